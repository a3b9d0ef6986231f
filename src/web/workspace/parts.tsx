/**
 * Pieces the workspace pages share: the state badge, the year picker, the submission
 * table, the list of problems and a submission's history.
 */
import { useState, type ReactNode } from 'react';
import { Link, useLang, useNav } from '../nav.tsx';
import type { Lang } from '../i18n.ts';
import type { Problem } from '../../core/errors.ts';
import type { FormDef } from '../../core/forms/index.ts';
import { stateNames, type SubmissionState } from '../../core/workflow/submission.ts';
import type { Comments, HistoryEntry, ListItem } from './api.ts';
import { fieldOf, isExplained, locationText } from './model.ts';
import { ws } from './strings.ts';

export const hasRole = (me: { grants: Array<{ role: string }> }, role: string): boolean => me.grants.some((g) => g.role === role);
export const editable = (s: SubmissionState | undefined): boolean => s === undefined || s === 'draft' || s === 'returned';
export const when = (iso: string | null | undefined, lang: Lang): string =>
  iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

export function StateBadge(props: { state: SubmissionState | undefined }) {
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

export function SubmissionTable(props: { rows: ListItem[] | null; testId: string; extra?: (r: ListItem) => ReactNode }) {
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

// ---- problems

export function ProblemList(props: { form: FormDef | null; problems: readonly Problem[]; kind: 'hard' | 'soft'; comments?: Comments; testId: string; linkCells?: boolean }) {
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

export const cssId = (code: string): string => code.replace(/[^A-Za-z0-9_-]/g, '_');

export function History(props: { entries: HistoryEntry[] }) {
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
