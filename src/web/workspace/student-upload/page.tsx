/**
 * 学生体测与视力数据导入: a district reviewer or city administrator picks the kind (体测 /
 * 视力), optionally the academic year, and a .csv/.xlsx file; the file goes up with a real
 * progress bar (bytes sent), then the server's import job is polled (rows checked and
 * written) until it ends with the rows imported or every located problem. A file that would
 * replace records already stored for its schools' year stops first and lists those schools
 * with both counts; 确认替换 sends the same file again with replace=true (or the uploader
 * ticks "this file corrects earlier data" up front).
 *
 * Accessibility: native controls with labels, a fieldset for the kind, <progress> bars with
 * their names, and one polite live region that announces each phase (not every row count).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLang } from '../../nav.tsx';
import type { Lang } from '../../i18n.ts';
import { ErrorBox, SessionGate, useSession } from '../session.tsx';
import { ws } from '../strings.ts';
import { getJob, uploadStudentFile, type StudentKind, type StudentUploadJob } from './api.ts';
import { su } from './strings.ts';
import { actions } from '../../../core/auth/roles.ts';

/** Roles the server lets import (the action `student_records.import`, src/core/auth/roles.ts). */
const importRoles: readonly string[] = actions['student_records.import'];
const POLL_MS = 500;

const num = (n: number, lang: Lang): string => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
/** Bytes as KB below 1 MB, else MB, one decimal. */
const size = (bytes: number, lang: Lang): string => {
  const mega = bytes >= 1024 * 1024;
  const v = bytes / (mega ? 1024 * 1024 : 1024);
  return `${v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} ${mega ? 'MB' : 'KB'}`;
};
const pct = (a: number, b: number): number => (b > 0 ? Math.min(100, Math.floor((100 * a) / b)) : 0);

export function StudentUploadPage() {
  return <SessionGate><StudentUpload /></SessionGate>;
}

function StudentUpload() {
  const lang = useLang();
  const { me } = useSession();
  const allowed = me.grants.some((g) => importRoles.includes(g.role));
  const [kind, setKind] = useState<StudentKind>('fitness');
  const [year, setYear] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [replace, setReplace] = useState(false);
  /** What was last sent: a refused replacement is confirmed by sending the same File again with replace=true. */
  const [sentFile, setSentFile] = useState<{ file: File; kind: StudentKind; year: number | null } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ sent: number; total: number } | null>(null);
  const [job, setJob] = useState<StudentUploadJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const running = busy || (job !== null && job.phase !== 'done' && job.phase !== 'failed');

  // Poll the job until it ends.
  useEffect(() => {
    if (!job || job.phase === 'done' || job.phase === 'failed') return undefined;
    let stopped = false;
    const timer = window.setTimeout(() => {
      getJob(job.id).then((j) => { if (!stopped) setJob(j); }, (err: unknown) => { if (!stopped) { setError(err); setBusy(false); } });
    }, POLL_MS);
    return () => { stopped = true; window.clearTimeout(timer); };
  }, [job]);

  useEffect(() => {
    if (job && (job.phase === 'done' || job.phase === 'failed')) setBusy(false);
  }, [job]);

  const send = async (what: { file: File; kind: StudentKind; year: number | null }, replacing: boolean) => {
    setBusy(true);
    setError(null);
    setJob(null);
    setSentFile(what);
    setSent({ sent: 0, total: what.file.size });
    try {
      const j = await uploadStudentFile(what.file, what.kind, what.year, replacing, (s, total) => setSent({ sent: s, total }));
      setJob(j);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const y = year.trim();
    if (y !== '' && !/^20\d\d$/.test(y)) { setFormError(su(lang, 'yearInvalid')); return; }
    if (!file) { setFormError(su(lang, 'chooseFile')); fileInput.current?.focus(); return; }
    await send({ file, kind, year: y === '' ? null : Number(y) }, replace);
  };

  /** The uploader saw the schools and counts and confirms: the same file again, replacing. */
  const confirmReplace = async () => {
    if (sentFile) await send(sentFile, true);
  };

  const reset = () => {
    setJob(null);
    setSent(null);
    setError(null);
    setFile(null);
    setSentFile(null);
    setReplace(false);
    if (fileInput.current) fileInput.current.value = '';
    fileInput.current?.focus();
  };

  return (
    <>
      <p className="breadcrumb"><Link to="/workspace">{ws(lang, 'backToWorkspace')}</Link></p>
      <h1 tabIndex={-1}>{su(lang, 'title')}</h1>
      <p className="lead">{su(lang, 'intro')}</p>
      <p>{su(lang, 'whoMay')}</p>
      {!allowed ? <p className="notice" data-testid="student-upload-not-allowed">{su(lang, 'notAllowed')}</p> : (
        <>
          <form className="ws-form" onSubmit={(e) => void start(e)} data-testid="student-upload-form" noValidate>
            <fieldset disabled={running}>
              <legend>{su(lang, 'kind')}</legend>
              <label className="su-radio"><input type="radio" name="kind" value="fitness" checked={kind === 'fitness'} onChange={() => setKind('fitness')} data-testid="kind-fitness" /> {su(lang, 'kindFitness')}</label>
              <label className="su-radio"><input type="radio" name="kind" value="vision" checked={kind === 'vision'} onChange={() => setKind('vision')} data-testid="kind-vision" /> {su(lang, 'kindVision')}</label>
            </fieldset>
            <label>{su(lang, 'year')}
              <input name="year" inputMode="numeric" value={year} disabled={running} onChange={(e) => setYear(e.target.value)} aria-describedby="su-year-hint" data-testid="student-year" />
            </label>
            <span id="su-year-hint" className="muted">{su(lang, 'yearHint')}</span>
            <label>{su(lang, 'file')}
              <input ref={fileInput} type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" disabled={running}
                onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="student-file" />
            </label>
            <label className="su-radio su-check">
              <input type="checkbox" name="replace" checked={replace} disabled={running} onChange={(e) => setReplace(e.target.checked)} aria-describedby="su-replace-hint" data-testid="student-replace" />
              {' '}{su(lang, 'replaceOption')}
            </label>
            <span id="su-replace-hint" className="muted">{su(lang, 'replaceOptionHint')}</span>
            {formError && <div role="alert" className="error-box">{formError}</div>}
            <div className="ws-inline">
              <button type="submit" className="btn" disabled={running} data-testid="student-upload-start">{su(lang, 'start')}</button>
              {!running && (job || error !== null) && <button type="button" className="btn btn-secondary" onClick={reset}>{su(lang, 'another')}</button>}
            </div>
          </form>
          {(sent || job || error !== null) && <Progress lang={lang} sent={sent} job={job} error={error} onConfirmReplace={sentFile ? () => void confirmReplace() : null} />}
        </>
      )}
    </>
  );
}

function phaseText(lang: Lang, job: StudentUploadJob | null, uploading: boolean): string {
  if (!job) return uploading ? su(lang, 'uploading') : '';
  return su(lang, job.phase);
}

function Progress(props: { lang: Lang; sent: { sent: number; total: number } | null; job: StudentUploadJob | null; error: unknown; onConfirmReplace: (() => void) | null }) {
  const { lang, sent, job, error } = props;
  const uploadDone = job !== null;
  const sentBytes = uploadDone ? job.bytes : sent?.sent ?? 0;
  const totalBytes = uploadDone ? job.bytes : sent?.total ?? 0;
  const ended = job?.phase === 'done' || job?.phase === 'failed';
  const total = job?.rowsTotal ?? null;
  const rows = job === null ? 0 : job.phase === 'validating' ? job.rowsChecked : job.phase === 'done' ? (job.result?.rows ?? job.rowsDone) : job.rowsDone;
  const rowsText = job === null ? '' : job.phase === 'validating' && job.rowsChecked > 0 ? su(lang, 'checkedRows', { n: num(job.rowsChecked, lang) })
    : total !== null ? su(lang, 'rowsOf', { n: num(rows, lang), total: num(total, lang) }) : su(lang, 'rowsOnly', { n: num(rows, lang) });
  return (
    <section aria-labelledby="su-progress-title" data-testid="student-upload-progress">
      <h2 id="su-progress-title">{su(lang, 'progressTitle')}</h2>
      {/* One polite live region: each phase is announced once, not every count. */}
      <p role="status" aria-live="polite" data-testid="upload-phase" data-phase={job?.phase ?? (error !== null ? 'error' : 'uploading')} data-replace={job ? String(job.replace) : undefined}>
        {phaseText(lang, job, error === null)}{job?.replace ? su(lang, 'replacing') : ''}
      </p>
      <div className="su-bar">
        <span id="su-upload-label">{su(lang, 'uploadBar')}</span>
        <progress aria-labelledby="su-upload-label" max={Math.max(totalBytes, 1)} value={sentBytes} data-testid="upload-progress" data-percent={pct(sentBytes, totalBytes)} />
        <span>{pct(sentBytes, totalBytes)} % · {su(lang, 'bytesOf', { n: size(sentBytes, lang), total: size(totalBytes, lang) })}</span>
      </div>
      {job && (
        <div className="su-bar">
          <span id="su-import-label">{su(lang, 'importBar')}</span>
          {total !== null || ended
            ? <progress aria-labelledby="su-import-label" max={Math.max(total ?? rows, 1)} value={ended ? Math.max(total ?? rows, 1) : Math.min(rows, total ?? rows)} data-testid="import-progress" data-phase={job.phase} />
            : <progress aria-labelledby="su-import-label" data-testid="import-progress" data-phase={job.phase} />}
          <span data-testid="import-rows-progress">{rowsText}</span>
        </div>
      )}
      {error !== null && <ErrorBox error={error} />}
      {job?.phase === 'done' && job.result && <Result lang={lang} result={job.result} />}
      {job?.phase === 'failed' && job.error && (job.error.code === 'E_REPLACE_UNCONFIRMED'
        ? <ReplaceConfirm lang={lang} error={job.error} onConfirm={props.onConfirmReplace} />
        : <Problems lang={lang} error={job.error} />)}
    </section>
  );
}

function Result(props: { lang: Lang; result: NonNullable<StudentUploadJob['result']> }) {
  const { lang, result } = props;
  return (
    <div className="notice" data-testid="import-result">
      {result.skipped && <p>{su(lang, 'resultSkipped')}</p>}
      <dl className="su-result">
        <dt>{su(lang, 'resultRows')}</dt><dd data-testid="import-rows">{num(result.rows, lang)}</dd>
        <dt>{su(lang, 'resultBatch')}</dt><dd data-testid="import-batch">{result.batchId ?? '—'}</dd>
      </dl>
      {result.indicators === 'recomputed' && <p>{su(lang, 'resultIndicators')}</p>}
      {result.indicators === 'failed' && <p>{su(lang, 'resultIndicatorsFailed')}</p>}
    </div>
  );
}

/**
 * A file that would replace records already stored for some schools' year stops before
 * writing (E_REPLACE_UNCONFIRMED): each such school with both counts, and one button that
 * sends the same file again with replace=true.
 */
function ReplaceConfirm(props: { lang: Lang; error: NonNullable<StudentUploadJob['error']>; onConfirm: (() => void) | null }) {
  const { lang, error } = props;
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return (
    <div data-testid="replace-confirm">
      <div role="alert" className="ws-warn-box" data-testid="import-error" data-code={error.code}>
        <strong>{su(lang, 'replaceTitle')}</strong>
        <p>{lang === 'zh' ? error.message_zh : error.message_en}{error.detail ? (lang === 'zh' ? `（${error.detail}）` : ` (${error.detail})`) : ''}</p>
        <p>{su(lang, 'replaceIntro')}</p>
      </div>
      <div className="table-scroll">
        <table className="data-table" data-testid="replace-schools">
          <caption>{su(lang, 'replaceSchools', { n: num(error.problems.length, lang) })}</caption>
          <thead><tr><th scope="col">{su(lang, 'colSchool')}</th><th scope="col">{su(lang, 'colReplace')}</th></tr></thead>
          <tbody>
            {error.problems.map((p, i) => (
              <tr key={i} data-school={p.value === undefined || p.value === null ? '' : String(p.value)}>
                <th scope="row" data-col="school">{p.value === undefined || p.value === null ? '—' : String(p.value)}</th>
                <td data-col="message">
                  {lang === 'zh' ? p.message_zh : p.message_en}
                  <br /><span className="muted" lang={other === 'zh' ? 'zh-CN' : 'en'}>{other === 'zh' ? p.message_zh : p.message_en}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.onConfirm ? (
        <div className="ws-actions">
          <button type="button" className="btn" onClick={props.onConfirm} data-testid="confirm-replace">{su(lang, 'confirmReplace')}</button>
        </div>
      ) : null}
    </div>
  );
}

function Problems(props: { lang: Lang; error: NonNullable<StudentUploadJob['error']> }) {
  const { lang, error } = props;
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const totalMatch = /^(\d+)/.exec(error.detail ?? '');
  const total = totalMatch ? Number(totalMatch[1]) : error.problems.length;
  return (
    <div data-testid="import-failed">
      <div role="alert" className="error-box" data-testid="import-error" data-code={error.code}>
        {lang === 'zh' ? error.message_zh : error.message_en}{error.detail ? (lang === 'zh' ? `（${error.detail}）` : ` (${error.detail})`) : ''}
        {' '}{lang === 'zh' ? error.fix_zh : error.fix_en}
      </div>
      {error.problems.length > 0 && (
        <>
          <h3>{su(lang, 'problemsTitle')}</h3>
          {total > error.problems.length && <p>{su(lang, 'problemsMore', { total: num(total, lang), n: num(error.problems.length, lang) })}</p>}
          <div className="table-scroll">
            <table className="data-table" data-testid="import-problems">
              <thead>
                <tr>
                  <th scope="col">{su(lang, 'colFile')}</th><th scope="col">{su(lang, 'colRow')}</th><th scope="col">{su(lang, 'colColumn')}</th>
                  <th scope="col">{su(lang, 'colValue')}</th><th scope="col">{su(lang, 'colRule')}</th><th scope="col">{su(lang, 'colMessage')}</th><th scope="col">{su(lang, 'colFix')}</th>
                </tr>
              </thead>
              <tbody>
                {error.problems.map((p, i) => (
                  <tr key={i} data-rule={p.rule}>
                    <td>{p.file ?? '—'}{p.sheet ? ` · ${p.sheet}` : ''}</td>
                    <td>{p.row ?? '—'}</td>
                    <td>{p.column ?? '—'}</td>
                    <td>{p.value === undefined || p.value === null ? '—' : String(p.value)}</td>
                    <td><code>{p.rule}</code></td>
                    <td>
                      {lang === 'zh' ? p.message_zh : p.message_en}
                      <br /><span className="muted" lang={other === 'zh' ? 'zh-CN' : 'en'}>{other === 'zh' ? p.message_zh : p.message_en}</span>
                    </td>
                    <td>{(lang === 'zh' ? p.fix_zh : p.fix_en) ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
