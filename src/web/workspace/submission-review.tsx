/**
 * One submission for the district reviewer or the city (审核): its values, problems and
 * explanations, and the actions the role may take — approve, return with a reason, lock,
 * reopen with a reason.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useLang } from '../nav.tsx';
import { pick } from '../i18n.ts';
import { errorText } from '../components.tsx';
import type { Problem } from '../../core/errors.ts';
import type { FormDef } from '../../core/forms/index.ts';
import type { ValidationResult } from '../../core/validation/engine.ts';
import { wsApi, type HistoryEntry, type Submission } from './api.ts';
import { cellText } from './model.ts';
import { hasRole, History, ProblemList, StateBadge, when } from './parts.tsx';
import { ErrorBox, SessionGate, useSession } from './session.tsx';
import { ws } from './strings.ts';

export function SubmissionPage(props: { id: number }) {
  return <SessionGate><SubmissionReview id={props.id} /></SessionGate>;
}

function SubmissionReview(props: { id: number }) {
  const lang = useLang();
  const { me } = useSession();
  const [data, setData] = useState<{ submission: Submission; validation: ValidationResult } | null>(null);
  const [form, setForm] = useState<FormDef | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const r = await wsApi.get(props.id);
    setData(r);
    setForm(await wsApi.form(r.submission.formCode));
    setHistory(await wsApi.history(props.id));
  }, [props.id]);
  useEffect(() => { load().catch(setLoadError); }, [load]);

  if (loadError) {
    return (
      <>
        <h1 tabIndex={-1}>{ws(lang, 'formTitle')} #{props.id}</h1>
        <div role="alert" className="error-box" data-testid="ws-denied">{ws(lang, 'notAvailable')} {errorText(loadError, lang)}</div>
        <p><Link to="/workspace">{ws(lang, 'backToWorkspace')}</Link></p>
      </>
    );
  }
  if (!data || !form) return <p role="status" className="muted">{ws(lang, 'working')}</p>;
  const s = data.submission;
  const isDistrict = hasRole(me, 'district_reviewer');
  const isCity = hasRole(me, 'city_admin');

  const act = async (label: string, fn: () => Promise<unknown>, needsReason: boolean) => {
    if (needsReason && !reason.trim()) { setError(new Error(ws(lang, 'reasonMissing'))); return; }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await fn();
      setDone(label);
      setReason('');
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const problemsAt = new Map<string, Problem[]>();
  for (const p of [...data.validation.hard, ...data.validation.soft]) if (p.path) problemsAt.set(p.path, [...(problemsAt.get(p.path) ?? []), p]);

  return (
    <>
      <p className="breadcrumb"><Link to={`/workspace?year=${s.year}`}>{ws(lang, 'backToWorkspace')}</Link></p>
      <h1 tabIndex={-1}>{pick(lang, form.name_zh, form.name_en)} · {s.year} · {s.orgCode}</h1>
      <p>{ws(lang, 'state')}: <StateBadge state={s.state} /> · {ws(lang, 'version')} {s.version} · {ws(lang, 'submittedAt')}: {when(s.submittedAt, lang)}</p>
      {s.signoffs && <p>{ws(lang, 'preparer')}: {s.signoffs.preparer} · {ws(lang, 'reviewer')}: {s.signoffs.reviewer} · {ws(lang, 'head')}: {s.signoffs.head}</p>}
      {s.reason && <p className="notice" role="note">{ws(lang, 'returnedReason')}{lang === 'zh' ? '：' : ': '}{s.reason}</p>}

      <section aria-labelledby="ws-actions-h">
        <h2 id="ws-actions-h">{ws(lang, 'action')}</h2>
        <div className="ws-actions" data-testid="review-actions">
          {isDistrict && s.state === 'submitted' && <button type="button" className="btn" data-testid="approve" disabled={busy} onClick={() => void act(ws(lang, 'approve'), () => wsApi.approve(s.id), false)}>{ws(lang, 'approve')}</button>}
          {isCity && s.state === 'approved' && <button type="button" className="btn" data-testid="lock" disabled={busy} onClick={() => void act(ws(lang, 'lock'), () => wsApi.lock(s.id), false)}>{ws(lang, 'lock')}</button>}
        </div>
        {((isDistrict && (s.state === 'submitted' || s.state === 'approved')) || (isCity && (s.state === 'submitted' || s.state === 'approved' || s.state === 'locked'))) && (
          <div className="ws-form">
            <label>{ws(lang, 'reason')}<textarea data-testid="reason" rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
            <div className="ws-actions">
              {s.state !== 'locked' && <button type="button" className="btn btn-secondary" data-testid="return" disabled={busy} onClick={() => void act(ws(lang, 'returnIt'), () => wsApi.returnIt(s.id, reason.trim()), true)}>{ws(lang, 'returnIt')}</button>}
              {isCity && s.state === 'locked' && <button type="button" className="btn btn-secondary" data-testid="reopen" disabled={busy} onClick={() => void act(ws(lang, 'reopen'), () => wsApi.reopen(s.id, reason.trim()), true)}>{ws(lang, 'reopen')}</button>}
            </div>
          </div>
        )}
        <div aria-live="polite">
          {done && <p role="status" className="notice" data-testid="ws-done">{ws(lang, 'done')}{done}</p>}
          <ErrorBox error={error} />
        </div>
      </section>

      <ProblemList form={form} problems={data.validation.hard} kind="hard" testId="hard-problems" />
      <ProblemList form={form} problems={data.validation.soft} kind="soft" comments={s.comments} testId="soft-problems" />

      {form.sections.map((sec) => (
        <section key={sec.code}>
          <h2>{pick(lang, sec.name_zh, sec.name_en)}</h2>
          <div className="table-scroll">
            <table className="data-table" data-testid="values">
              <thead><tr><th scope="col">{ws(lang, 'item')}</th><th scope="col" className="num">{ws(lang, 'value')}</th><th scope="col">{ws(lang, 'unit')}</th><th scope="col">{ws(lang, 'explain')}</th><th scope="col">{ws(lang, 'problem')}</th></tr></thead>
              <tbody>
                {sec.fields.map((f) => {
                  const ps = problemsAt.get(f.code) ?? [];
                  return (
                    <tr key={f.code} data-code={f.code}>
                      <th scope="row">{pick(lang, f.label_zh, f.label_en)}</th>
                      <td className="num" data-col="value">{cellText(s.values[f.code])}</td>
                      <td>{pick(lang, f.unit_zh, f.unit_en)}</td>
                      <td data-col="comment">{s.comments[f.code] ?? ''}</td>
                      <td className="small">{ps.map((p) => (lang === 'zh' ? p.message_zh : p.message_en)).join('；')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <History entries={history} />
    </>
  );
}
