/**
 * A school reporter's form (学校填报): the form rendered from its definition, validated as
 * you type with the server's own rule engine, saved as a draft, signed and submitted; the
 * xlsx template and upload; the submission's history.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLang } from '../nav.tsx';
import { pick } from '../i18n.ts';
import { errorText } from '../components.tsx';
import type { Problem } from '../../core/errors.ts';
import type { FormDef } from '../../core/forms/index.ts';
import type { ValidationResult } from '../../core/validation/engine.ts';
import type { SignOffs } from '../../core/workflow/submission.ts';
import { newIdempotencyKey, wsApi, WsApiError, type Comments, type HistoryEntry, type Submission, type UploadAnswer } from './api.ts';
import { cellText, fieldOf, formValues, liveValidation } from './model.ts';
import { cssId, editable, History, ProblemList, StateBadge } from './parts.tsx';
import { ErrorBox, SessionGate } from './session.tsx';
import { ws } from './strings.ts';

export function SchoolFormPage(props: { org: string; form: string; year: number }) {
  return <SessionGate><SchoolForm {...props} /></SessionGate>;
}

function SchoolForm(props: { org: string; form: string; year: number }) {
  const lang = useLang();
  const [form, setForm] = useState<FormDef | null>(null);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [comments, setComments] = useState<Comments>({});
  const [server, setServer] = useState<ValidationResult | null>(null);
  const [submission, setSubmission] = useState<Submission | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [signoffs, setSignoffs] = useState<SignOffs>({ preparer: '', reviewer: '', head: '' });
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A save still in flight and its Idempotency-Key: the same save again (a double click, a
  // retry) reuses the key, so the server writes once and answers both alike.
  const inFlight = useRef<{ body: string; key: string } | null>(null);

  const show = useCallback((s: Submission, v: ValidationResult | null) => {
    setSubmission(s);
    if (v) setServer(v);
    const t: Record<string, string> = {};
    for (const [k, x] of Object.entries(s.values)) t[k] = cellText(x);
    setTexts(t);
    setComments(s.comments);
    if (s.signoffs) setSignoffs(s.signoffs);
    wsApi.history(s.id).then(setHistory, () => undefined);
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const f = await wsApi.form(props.form);
      const mine = (await wsApi.list({ year: props.year, formCode: props.form })).find((r) => r.orgCode === props.org);
      if (mine) {
        const r = await wsApi.get(mine.id);
        if (cancelled) return;
        setForm(f);
        show(r.submission, r.validation);
      } else {
        // Nothing saved yet: ask the server for its own checks, which also checks the scope.
        const v = await wsApi.validate(props.form, props.org, props.year, {}, {});
        if (cancelled) return;
        setForm(f);
        setServer(v);
      }
    })().catch((e: unknown) => { if (!cancelled) setLoadError(e); });
    return () => { cancelled = true; };
  }, [props.org, props.form, props.year, show]);

  const live = useMemo(() => (form ? liveValidation(form, texts, comments, server) : null), [form, texts, comments, server]);
  const canEdit = editable(submission?.state);

  if (loadError) {
    return (
      <>
        <h1 tabIndex={-1}>{ws(lang, 'formTitle')}</h1>
        <div role="alert" className="error-box" data-testid="ws-denied">
          {loadError instanceof WsApiError && (loadError.status === 403 || loadError.status === 404) ? `${ws(lang, 'notAvailable')} ` : ''}{errorText(loadError, lang)}
        </div>
        <p><Link to="/workspace">{ws(lang, 'backToWorkspace')}</Link></p>
      </>
    );
  }
  if (!form || !live) return <p role="status" className="muted">{ws(lang, 'working')}</p>;

  const hardAt = new Map<string, Problem>();
  for (const p of live.hard) if (p.path && !hardAt.has(p.path)) hardAt.set(p.path, p);
  const softAt = new Map<string, Problem[]>();
  for (const p of live.soft) if (p.path) softAt.set(p.path, [...(softAt.get(p.path) ?? []), p]);

  const save = async (): Promise<Submission | null> => {
    setBusy(true);
    setError(null);
    setMessage(null);
    const values = formValues(form, texts);
    const body = JSON.stringify([values, comments]);
    const key = inFlight.current?.body === body ? inFlight.current.key : newIdempotencyKey();
    inFlight.current = { body, key };
    try {
      const r = await wsApi.save(props.org, props.form, props.year, values, comments, key);
      show(r.submission, r.validation);
      setMessage(ws(lang, 'saved'));
      return r.submission;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      if (inFlight.current?.key === key) inFlight.current = null;
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Enter in a number cell must not submit the whole form: only the 上报 button does.
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    if (!submitter || submitter.getAttribute('name') !== 'submit-form') return;
    if (!signoffs.preparer.trim() || !signoffs.reviewer.trim() || !signoffs.head.trim()) { setError(new Error(ws(lang, 'signoffsMissing'))); return; }
    const s = await save();
    if (!s) return;
    setBusy(true);
    try {
      const after = await wsApi.submit(s.id, { preparer: signoffs.preparer.trim(), reviewer: signoffs.reviewer.trim(), head: signoffs.head.trim() });
      const r = await wsApi.get(after.id);
      show(r.submission, r.validation);
      setMessage(ws(lang, 'submitted'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const blocked = live.hard.length > 0 || live.unexplained.length > 0;

  return (
    <>
      <p className="breadcrumb"><Link to={`/workspace?year=${props.year}`}>{ws(lang, 'backToWorkspace')}</Link></p>
      <h1 tabIndex={-1}>{pick(lang, form.name_zh, form.name_en)} · {props.year}</h1>
      <p>{ws(lang, 'school')}: <span data-testid="form-org">{props.org}</span> · {ws(lang, 'state')}: <StateBadge state={submission?.state} />
        {submission && <> · {ws(lang, 'version')} {submission.version}</>}</p>
      {submission?.state === 'returned' && submission.reason && <div className="notice" role="note" data-testid="returned-reason">{ws(lang, 'returnedReason')}{lang === 'zh' ? '：' : ': '}{submission.reason}</div>}
      {!canEdit && <p className="notice" role="note">{ws(lang, 'readOnly')}</p>}

      <div aria-live="polite" data-testid="live-problems">
        <p className="muted small">{ws(lang, 'liveNote')}</p>
        {live.hard.length === 0 && live.soft.length === 0 && <p data-testid="no-problems">{ws(lang, 'noProblems')}</p>}
        <ProblemList form={form} problems={live.hard} kind="hard" testId="hard-problems" linkCells />
        <ProblemList form={form} problems={live.soft} kind="soft" comments={comments} testId="soft-problems" linkCells />
      </div>

      <form onSubmit={(e) => void submit(e)} data-testid="school-form">
        {form.sections.map((s) => (
          <fieldset key={s.code} className="ws-section" disabled={!canEdit || busy}>
            <legend>{pick(lang, s.name_zh, s.name_en)} <span className="muted small">{s.source}</span></legend>
            <div className="ws-fields">
              {s.fields.map((f) => {
                const hard = hardAt.get(f.code);
                const soft = softAt.get(f.code) ?? [];
                const id = `f-${cssId(f.code)}`;
                return (
                  <div key={f.code} className={`ws-field${hard ? ' ws-field-hard' : soft.length ? ' ws-field-soft' : ''}`}>
                    <label htmlFor={id}>{pick(lang, f.label_zh, f.label_en)}{f.required && <span className="muted small"> ({ws(lang, 'required')})</span>}</label>
                    <span className="ws-input-row">
                      <input id={id} name={f.code} data-code={f.code} inputMode={f.integer ? 'numeric' : 'decimal'} value={texts[f.code] ?? ''}
                        aria-invalid={hard ? true : undefined} aria-describedby={hard || soft.length ? `${id}-msg` : undefined}
                        onChange={(e) => setTexts((t) => ({ ...t, [f.code]: e.target.value }))} />
                      <span className="muted small">{pick(lang, f.unit_zh, f.unit_en)}</span>
                    </span>
                    {(hard || soft.length > 0) && (
                      <span id={`${id}-msg`} className={hard ? 'ws-msg-hard' : 'ws-msg-soft'}>
                        {hard ? (lang === 'zh' ? hard.message_zh : hard.message_en) : soft.map((p) => (lang === 'zh' ? p.message_zh : p.message_en)).join('；')}
                      </span>
                    )}
                    {soft.length > 0 && (
                      <label className="ws-comment">{ws(lang, 'explainFor')}{pick(lang, f.label_zh, f.label_en)}
                        <textarea data-comment={f.code} rows={2} maxLength={2000} value={comments[f.code] ?? ''}
                          onChange={(e) => setComments((c) => ({ ...c, [f.code]: e.target.value }))} />
                      </label>
                    )}
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}

        {canEdit && (
          <>
            <div className="ws-actions">
              <button type="button" className="btn btn-secondary" data-testid="save-draft" disabled={busy} onClick={() => void save()}>{ws(lang, 'saveDraft')}</button>
            </div>
            <fieldset className="ws-section" disabled={busy}>
              <legend>{ws(lang, 'signoffsTitle')}</legend>
              <div className="ws-fields">
                {(['preparer', 'reviewer', 'head'] as const).map((k) => (
                  <div key={k} className="ws-field">
                    <label htmlFor={`signoff-${k}`}>{ws(lang, k)}</label>
                    <input id={`signoff-${k}`} data-signoff={k} autoComplete="name" value={signoffs[k]} onChange={(e) => setSignoffs((s) => ({ ...s, [k]: e.target.value }))} />
                  </div>
                ))}
              </div>
            </fieldset>
            {blocked && <p className="ws-warn" data-testid="submit-blocked">{ws(lang, 'submitBlocked')}</p>}
            <div className="ws-actions">
              <button type="submit" name="submit-form" className="btn" data-testid="submit" disabled={busy || blocked}>{ws(lang, 'submit')}</button>
            </div>
          </>
        )}
      </form>
      <div aria-live="polite">
        {message && <p role="status" className="notice" data-testid="ws-message">{message}</p>}
        <ErrorBox error={error} />
        {error instanceof WsApiError && error.problems.length > 0 && <ProblemList form={form} problems={error.problems} kind="hard" testId="server-problems" />}
      </div>

      {canEdit && <Spreadsheet form={form} org={props.org} year={props.year} onSaved={(a) => show(a.submission, a.validation)} />}
      {submission && <History entries={history} />}
    </>
  );
}

function Spreadsheet(props: { form: FormDef; org: string; year: number; onSaved: (a: UploadAnswer) => void }) {
  const lang = useLang();
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<UploadAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [marked, setMarked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => { if (marked) URL.revokeObjectURL(marked); }, [marked]);

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setAnswer(null);
    setMarked(null);
    try {
      const a = await wsApi.upload(file, file.name);
      setAnswer(a);
      props.onSaved(a);
      if (a.validation.hard.length + a.validation.soft.length > 0) setMarked(URL.createObjectURL(await wsApi.markedWorkbook(file, file.name)));
    } catch (err) {
      setError(err);
      // A refused workbook whose problems sit on cells can still be marked.
      if (err instanceof WsApiError && err.problems.some((p) => p.row !== undefined)) {
        setMarked(URL.createObjectURL(await wsApi.markedWorkbook(file, file.name).catch(() => new Blob())));
      }
    } finally {
      setBusy(false);
    }
  };

  const problems = answer ? [...answer.validation.hard, ...answer.validation.soft] : error instanceof WsApiError ? error.problems : [];
  return (
    <section>
      <h2>{ws(lang, 'spreadsheetTitle')}</h2>
      <p><a href={wsApi.templateUrl(props.form.code, props.org, props.year)} download data-testid="download-template">{ws(lang, 'downloadTemplate')}</a></p>
      <form onSubmit={(e) => void upload(e)} className="ws-inline" data-testid="upload-form">
        <label>{ws(lang, 'uploadLabel')} <input type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="upload-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} /></label>
        <button type="submit" className="btn btn-secondary" disabled={!file || busy}>{ws(lang, 'upload')}</button>
      </form>
      <div aria-live="polite">
        {answer && <p role="status" className="notice" data-testid="upload-done">{ws(lang, 'uploadDone')}</p>}
        {error !== null && <div role="alert" className="error-box" data-testid="upload-error">{ws(lang, 'uploadRefused')} {errorText(error, lang)}</div>}
        {problems.length > 0 && (
          <div className="table-scroll">
            <table className="data-table" data-testid="upload-problems">
              <thead><tr><th scope="col">{ws(lang, 'sheet')}</th><th scope="col">{ws(lang, 'row')}</th><th scope="col">{ws(lang, 'column')}</th><th scope="col">{ws(lang, 'cell')}</th><th scope="col">{ws(lang, 'problem')}</th><th scope="col">{ws(lang, 'fix')}</th></tr></thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i} data-rule={p.rule}>
                    <td>{p.sheet ?? '—'}</td><td>{p.row ?? '—'}</td><td>{p.column ?? '—'}</td>
                    <td>{fieldOf(props.form, p.path) ? pick(lang, fieldOf(props.form, p.path)?.label_zh, fieldOf(props.form, p.path)?.label_en) : (p.path ?? '—')}</td>
                    <td>{lang === 'zh' ? p.message_zh : p.message_en}</td><td>{(lang === 'zh' ? p.fix_zh : p.fix_en) ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {marked && <p><a href={marked} download={`errors_${file?.name ?? 'upload.xlsx'}`} data-testid="download-marked">{ws(lang, 'downloadMarked')}</a></p>}
      </div>
    </section>
  );
}
