/**
 * The data-collection workspace (数据填报工作台): a school reporter's form, a district
 * reviewer's list and review page, the city's completeness and locking. Every page asks the
 * API, which checks role and scope on each object; the UI only hides what a role cannot do.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLang, useNav } from '../nav.tsx';
import { pick, type Lang } from '../i18n.ts';
import { errorText } from '../components.tsx';
import type { Problem } from '../../core/errors.ts';
import type { FormDef } from '../../core/forms/index.ts';
import type { ValidationResult } from '../../core/validation/engine.ts';
import { stateNames, type SignOffs, type SubmissionState } from '../../core/workflow/submission.ts';
import { wsApi, WsApiError, type Comments, type HistoryEntry, type ListItem, type OrgUnitRow, type Submission, type UploadAnswer } from './api.ts';
import { academicYearOf, cellText, fieldOf, formValues, isExplained, liveValidation, locationText, percent } from './model.ts';
import { ErrorBox, SessionGate, useSession } from './session.tsx';
import { ws } from './strings.ts';
import { su } from './student-upload/strings.ts';
import { rl } from './releases/strings.ts';

const hasRole = (me: { grants: Array<{ role: string }> }, role: string): boolean => me.grants.some((g) => g.role === role);
const editable = (s: SubmissionState | undefined): boolean => s === undefined || s === 'draft' || s === 'returned';
export const when = (iso: string | null | undefined, lang: Lang): string =>
  iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

function StateBadge(props: { state: SubmissionState | undefined }) {
  const lang = useLang();
  const s = props.state;
  return <span className={`badge ws-state ws-state-${s ?? 'none'}`} data-testid="submission-state" data-state={s ?? 'none'}>{s ? stateNames[s][lang] : ws(lang, 'notStarted')}</span>;
}

export function YearPicker(props: { year: number; path: string }) {
  const lang = useLang();
  const { navigate } = useNav();
  const [y, setY] = useState(String(props.year));
  return (
    <form className="ws-inline" onSubmit={(e) => { e.preventDefault(); if (/^20\d\d$/.test(y)) navigate(`${props.path}?year=${y}`); }}>
      <label>{ws(lang, 'academicYear')} <input className="ws-year" inputMode="numeric" value={y} onChange={(e) => setY(e.target.value)} data-testid="year-input" /></label>
      <button type="submit" className="btn btn-secondary">{ws(lang, 'show')}</button>
    </form>
  );
}

// ---- home: what the signed-in role does

export function WorkspacePage(props: { year?: number | undefined }) {
  return <SessionGate><WorkspaceHome year={props.year ?? academicYearOf(new Date())} /></SessionGate>;
}

function WorkspaceHome(props: { year: number }) {
  const lang = useLang();
  const { me } = useSession();
  const school = me.grants.find((g) => g.role === 'school_reporter');
  return (
    <>
      <h1 tabIndex={-1}>{ws(lang, 'homeTitle')}</h1>
      <YearPicker year={props.year} path="/workspace" />
      {(hasRole(me, 'district_reviewer') || hasRole(me, 'city_admin')) && (
        <ul className="ws-links">
          <li><Link to={`/workspace/releases?year=${props.year}`} testId="open-releases">{rl(lang, 'navReleases')}</Link></li>
          <li><Link to="/workspace/student-records" testId="open-student-upload">{su(lang, 'navStudentUpload')}</Link></li>
        </ul>
      )}
      {school && <SchoolHome orgCode={school.orgCode} year={props.year} />}
      {hasRole(me, 'district_reviewer') && <ReviewList year={props.year} />}
      {hasRole(me, 'city_admin') && <CityProgress year={props.year} />}
      {!school && !hasRole(me, 'district_reviewer') && !hasRole(me, 'city_admin') && <p>{ws(lang, 'noRole')}</p>}
    </>
  );
}

function SchoolHome(props: { orgCode: string; year: number }) {
  const lang = useLang();
  const [schools, setSchools] = useState<OrgUnitRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    // A school reporter held at a district (a district system) reports for all its schools;
    // school codes (学校标识码) do not start with the district's code, so a school is looked up by code.
    const atDistrict = /^\d{6}$/.test(props.orgCode);
    wsApi.orgUnits(atDistrict ? { level: 'school', parent: props.orgCode } : { level: 'school', code: props.orgCode }).then(setSchools, setError);
  }, [props.orgCode]);
  return (
    <section>
      <h2>{ws(lang, 'yourForms')}</h2>
      <ErrorBox error={error} />
      <ul data-testid="school-forms">
        {(schools ?? []).filter((s) => s.school_type).map((s) => (
          <li key={s.code}>
            <Link to={`/workspace/schools/${s.code}/annual.${s.school_type ?? ''}/${props.year}`} testId="open-school-form">
              {pick(lang, s.name_zh, s.name_en)} — {ws(lang, 'openForm')} {props.year}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReviewList(props: { year: number }) {
  const lang = useLang();
  const [state, setState] = useState<string>('');
  const [rows, setRows] = useState<ListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRows(null);
    wsApi.list({ year: props.year, ...(state ? { state } : {}) }).then(setRows, setError);
  }, [props.year, state]);
  return (
    <section>
      <h2>{ws(lang, 'reviewTitle')}</h2>
      <p className="lead">{ws(lang, 'reviewIntro')}</p>
      <label>{ws(lang, 'filterState')}{' '}
        <select className="ws-select" value={state} onChange={(e) => setState(e.target.value)} data-testid="state-filter">
          <option value="">{ws(lang, 'all')}</option>
          {(Object.keys(stateNames) as SubmissionState[]).map((s) => <option key={s} value={s}>{stateNames[s][lang]}</option>)}
        </select>
      </label>
      <ErrorBox error={error} />
      <SubmissionTable rows={rows} testId="review-list" />
    </section>
  );
}

function SubmissionTable(props: { rows: ListItem[] | null; testId: string; extra?: (r: ListItem) => ReactNode }) {
  const lang = useLang();
  if (props.rows === null) return <p role="status" className="muted">{ws(lang, 'working')}</p>;
  if (props.rows.length === 0) return <p data-testid={`${props.testId}-empty`}>{ws(lang, 'noSubmissions')}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid={props.testId}>
        <thead><tr><th scope="col">{ws(lang, 'school')}</th><th scope="col">{ws(lang, 'form')}</th><th scope="col">{ws(lang, 'state')}</th><th scope="col">{ws(lang, 'submittedAt')}</th><th scope="col"><span className="sr-only">{ws(lang, 'open')}</span></th></tr></thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.id} data-id={r.id} data-org={r.orgCode}>
              <td>{r.orgName} <span className="muted small">{r.orgCode}</span></td>
              <td>{r.formCode}</td>
              <td><StateBadge state={r.state} /></td>
              <td>{when(r.submittedAt, lang)}</td>
              <td><Link to={`/workspace/submissions/${r.id}`} testId="open-submission">{ws(lang, 'open')}<span className="sr-only"> {r.orgName}</span></Link>{props.extra?.(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CityProgress(props: { year: number }) {
  const lang = useLang();
  const [cells, setCells] = useState<Awaited<ReturnType<typeof wsApi.progress>> | null>(null);
  const [districts, setDistricts] = useState<Map<string, OrgUnitRow>>(new Map());
  const [formNames, setFormNames] = useState<Map<string, { name_zh: string; name_en: string }>>(new Map());
  const [approved, setApproved] = useState<ListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const reload = useCallback(() => {
    wsApi.progress(props.year).then(setCells, setError);
    wsApi.list({ year: props.year, state: 'approved' }).then(setApproved, setError);
  }, [props.year]);
  useEffect(() => {
    reload();
    wsApi.orgUnits({ level: 'district' }).then((rows) => setDistricts(new Map(rows.map((r) => [r.code, r]))), setError);
    wsApi.forms().then((fs) => setFormNames(new Map(fs.map((f) => [f.code, f]))), () => undefined);
  }, [reload]);
  const lock = async (r: ListItem) => {
    setError(null);
    try {
      await wsApi.lock(r.id);
      setDone(`${ws(lang, 'lock')} ${r.orgName}`);
      reload();
    } catch (err) { setError(err); }
  };
  return (
    <section>
      <h2>{ws(lang, 'cityTitle')}</h2>
      <p className="lead">{ws(lang, 'cityIntro')}</p>
      <ErrorBox error={error} />
      {cells === null ? <p role="status" className="muted">{ws(lang, 'working')}</p> : (
        <div className="table-scroll">
          <table className="data-table" data-testid="city-progress">
            <thead><tr>
              <th scope="col">{ws(lang, 'district')}</th><th scope="col">{ws(lang, 'form')}</th><th scope="col" className="num">{ws(lang, 'expected')}</th>
              <th scope="col" className="num">{ws(lang, 'submittedCount')}</th><th scope="col" className="num">{ws(lang, 'approvedCount')}</th><th scope="col" className="num">{ws(lang, 'lockedCount')}</th>
              <th scope="col" className="num">{ws(lang, 'onTime')}</th><th scope="col" className="num">{ws(lang, 'completeness')}</th><th scope="col" className="num">{ws(lang, 'timeliness')}</th>
            </tr></thead>
            <tbody>
              {cells.map((c) => {
                const d = districts.get(c.district_code);
                return (
                  <tr key={`${c.district_code}/${c.form_code}`} data-district={c.district_code} data-form={c.form_code}>
                    <th scope="row">{d ? pick(lang, d.name_zh, d.name_en) : c.district_code}</th>
                    <td>{formNames.get(c.form_code) ? pick(lang, formNames.get(c.form_code)?.name_zh, formNames.get(c.form_code)?.name_en) : c.form_code}</td>
                    <td className="num">{c.expected}</td><td className="num" data-col="submitted">{c.submitted}</td><td className="num" data-col="approved">{c.approved}</td>
                    <td className="num" data-col="locked">{c.locked}</td><td className="num">{c.on_time}</td>
                    <td className="num" data-col="completeness">{percent(c.completeness)}</td><td className="num">{percent(c.timeliness)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h2>{ws(lang, 'toLock')}</h2>
      {done && <p role="status" className="notice" data-testid="ws-done">{ws(lang, 'done')}{done}</p>}
      <SubmissionTable rows={approved} testId="to-lock" extra={(r) => (
        <> <button type="button" className="btn btn-small" data-testid="lock" onClick={() => void lock(r)}>{ws(lang, 'lock')}<span className="sr-only"> {r.orgName}</span></button></>
      )} />
    </section>
  );
}

// ---- problems

function ProblemList(props: { form: FormDef | null; problems: readonly Problem[]; kind: 'hard' | 'soft'; comments?: Comments; testId: string; linkCells?: boolean }) {
  const lang = useLang();
  if (props.problems.length === 0) return null;
  return (
    <div className={`ws-problems ws-problems-${props.kind}`}>
      <h3>{ws(lang, props.kind === 'hard' ? 'problemsHard' : 'problemsSoft')} ({props.problems.length})</h3>
      <ul data-testid={props.testId}>
        {props.problems.map((p, i) => {
          const explained = props.kind === 'soft' && props.form && props.comments ? isExplained(props.form, p, props.comments) : null;
          return (
            <li key={`${p.rule}/${p.path ?? ''}/${p.row ?? ''}/${i}`} data-rule={p.rule} data-cell={p.path ?? ''}>
              <strong>{locationText(props.form, p, lang)}</strong>{lang === 'zh' ? '：' : ': '}{lang === 'zh' ? p.message_zh : p.message_en}
              {(lang === 'zh' ? p.fix_zh : p.fix_en) && <span className="muted"> — {ws(lang, 'fix')}{lang === 'zh' ? '：' : ': '}{lang === 'zh' ? p.fix_zh : p.fix_en}</span>}
              {explained !== null && <span className={explained ? 'ws-ok' : 'ws-warn'} data-testid="explained" data-explained={String(explained)}> [{ws(lang, explained ? 'explained' : 'unexplained')}]</span>}
              {props.linkCells && p.path && props.form && fieldOf(props.form, p.path) && <> <a href={`#f-${cssId(p.path)}`} className="small">{ws(lang, 'show')}</a></>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

const cssId = (code: string): string => code.replace(/[^A-Za-z0-9_-]/g, '_');

// ---- school reporter: the form

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
    try {
      const r = await wsApi.save(props.org, props.form, props.year, formValues(form, texts), comments);
      show(r.submission, r.validation);
      setMessage(ws(lang, 'saved'));
      return r.submission;
    } catch (err) {
      setError(err);
      return null;
    } finally {
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

function History(props: { entries: HistoryEntry[] }) {
  const lang = useLang();
  const summary = (e: HistoryEntry): string => {
    const after = e.after && typeof e.after === 'object' ? (e.after as Record<string, unknown>) : null;
    if (!after) return '';
    const parts = Object.entries(after).slice(0, 6).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    return parts.join('; ') + (Object.keys(after).length > 6 ? ' …' : '');
  };
  return (
    <section>
      <h2>{ws(lang, 'historyTitle')}</h2>
      <div className="table-scroll">
        <table className="data-table" data-testid="history">
          <thead><tr><th scope="col">{ws(lang, 'when')}</th><th scope="col">{ws(lang, 'who')}</th><th scope="col">{ws(lang, 'action')}</th><th scope="col">{ws(lang, 'changes')}</th></tr></thead>
          <tbody>
            {props.entries.map((e) => (
              <tr key={e.seq} data-action={e.action}><td>{when(e.at, lang)}</td><td>{e.actor}</td><td>{e.action}</td><td className="small ws-wrap">{summary(e)}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// ---- district reviewer / city: one submission

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
