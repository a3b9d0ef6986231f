/**
 * 数据发布 (release control) in the workspace, for one academic year: completeness per form,
 * the schools not reported per district with their contacts (as DHIS2's reporting-rate view
 * lists them), a warning when the provisional figures are stale, the provisional figures
 * beside the released ones, the year's release history, and for a city administrator the
 * release form. A district reviewer sees its own district (the API scopes every answer).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Progress } from '../../api.ts';
import { RevisedMark, ValueText } from '../../components.tsx';
import { releaseDate, releaseText } from '../../format.ts';
import { pick, type Lang } from '../../i18n.ts';
import { Link, useLang } from '../../nav.tsx';
import { ReleaseTable } from '../../pages/open-data.tsx';
import type { ReleaseReadiness, ReleaseRecord } from '../../../contract/releases.ts';
import { stateNames, type SubmissionState } from '../../../core/workflow/submission.ts';
import { WsApiError } from '../api.ts';
import { academicYearOf } from '../model.ts';
import { when, YearPicker } from '../parts.tsx';
import { ErrorBox, SessionGate, useSession } from '../session.tsx';
import { ws } from '../strings.ts';
import { releasesApi } from './api.ts';
import { figureRows, figuresOrg, formsBelow, sharePct, type Figure, type FigureRow } from './model.ts';
import { rl } from './strings.ts';

/** Roles that read progress (src/core/auth/roles.ts `progress.read`): they see this page. */
const readers = ['district_reviewer', 'city_admin', 'supervisor', 'analyst'];

export function ReleasesPage(props: { year?: number | undefined }) {
  return <SessionGate><Releases year={props.year ?? academicYearOf(new Date())} /></SessionGate>;
}

interface PageData {
  readiness: ReleaseReadiness;
  history: ReleaseRecord[];
  provisional: Progress[];
  released: Progress[];
}

function Releases(props: { year: number }) {
  const lang = useLang();
  const { me } = useSession();
  const year = props.year;
  const mayRead = me.grants.some((g) => readers.includes(g.role));
  const isCity = me.grants.some((g) => g.role === 'city_admin');
  const org = figuresOrg(me.grants);
  const [data, setData] = useState<PageData | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);

  const load = useCallback(async () => {
    if (!mayRead || org === null) return;
    try {
      const [readiness, history, provisional, released] = await Promise.all([
        releasesApi.readiness(year), releasesApi.list(year), releasesApi.provisional(year, org), api.progress({ year, org }),
      ]);
      setData({ readiness, history, provisional, released });
      setLoadError(null);
    } catch (err) {
      setLoadError(err);
    }
  }, [year, org, mayRead]);
  useEffect(() => { setData(null); void load(); }, [load]);

  return (
    <>
      <p className="breadcrumb"><Link to={`/workspace?year=${year}`}>{ws(lang, 'backToWorkspace')}</Link></p>
      <h1 tabIndex={-1}>{rl(lang, 'title', { year })}</h1>
      <p className="lead">{rl(lang, 'intro')}</p>
      <YearPicker year={year} path="/workspace/releases" />
      {!mayRead ? <p className="notice" data-testid="releases-not-for-role">{rl(lang, 'notForRole')}</p> : null}
      <ErrorBox error={loadError} />
      {mayRead && data === null && loadError === null ? <p role="status" className="muted">{ws(lang, 'working')}</p> : null}
      {data ? (
        <>
          {data.readiness.stale ? <Stale stale={data.readiness.stale} lang={lang} /> : null}
          <Status readiness={data.readiness} lang={lang} />
          <Completeness readiness={data.readiness} lang={lang} />
          <Figures rows={figureRows(data.provisional, data.released)} year={year} lang={lang} />
          {isCity ? <ReleaseForm year={year} readiness={data.readiness} onReleased={load} /> : <p className="muted" data-testid="city-only">{rl(lang, 'cityOnly')}</p>}
          <History history={data.history} year={year} lang={lang} />
          {/* Last: for a new year nearly every school is listed, a long list. */}
          <Missing readiness={data.readiness} lang={lang} />
        </>
      ) : null}
    </>
  );
}

function Stale(props: { stale: NonNullable<ReleaseReadiness['stale']>; lang: Lang }) {
  const { stale, lang } = props;
  return (
    <div className="ws-warn-box" role="note" data-testid="stale-warning">
      <strong>{rl(lang, 'staleTitle')}</strong>
      <p>{rl(lang, 'staleText', { since: when(stale.since, lang), causes: stale.causes.join(lang === 'zh' ? '、' : ', ') })}</p>
    </div>
  );
}

function Status(props: { readiness: ReleaseReadiness; lang: Lang }) {
  const { readiness: r, lang } = props;
  return (
    <section aria-labelledby="rl-status-h">
      <h2 id="rl-status-h">{rl(lang, 'statusTitle')}</h2>
      <dl className="summary" data-testid="release-status">
        <div>
          <dt>{rl(lang, 'publicVersion')}</dt>
          <dd data-testid="current-release" data-version={r.current?.version ?? ''}>
            {r.current ? rl(lang, 'publicVersionText', { n: r.current.version, date: releaseDate(r.current.released_at), who: r.current.released_by }) : rl(lang, 'notYetReleased')}
          </dd>
        </div>
        <div><dt>{rl(lang, 'provisionalCells')}</dt><dd data-testid="provisional-cells">{r.provisional_cells}</dd></div>
        <div><dt>{rl(lang, 'unreleasedChanges')}</dt><dd data-testid="unreleased-changes">{r.unreleased_changes}</dd></div>
      </dl>
      <p data-testid="release-complete" data-complete={String(r.complete)} className={r.complete ? 'ws-ok' : 'ws-warn'}>{rl(lang, r.complete ? 'completeAll' : 'completeNot')}</p>
    </section>
  );
}

function Completeness(props: { readiness: ReleaseReadiness; lang: Lang }) {
  const { readiness: r, lang } = props;
  return (
    <section aria-labelledby="rl-forms-h">
      <h2 id="rl-forms-h">{rl(lang, 'completenessTitle')}</h2>
      <div className="table-scroll release-scroll" tabIndex={0} role="region" aria-labelledby="rl-forms-h">
        <table className="data-table" data-testid="form-completeness">
          <thead><tr>
            <th scope="col">{rl(lang, 'form')}</th><th scope="col" className="num">{rl(lang, 'expected')}</th><th scope="col" className="num">{rl(lang, 'reported')}</th>
            <th scope="col" className="num">{rl(lang, 'share')}</th><th scope="col" className="num">{rl(lang, 'threshold')}</th><th scope="col">{rl(lang, 'met')}</th>
          </tr></thead>
          <tbody>
            {r.forms.map((f) => (
              <tr key={f.form_code} data-form={f.form_code} data-met={String(f.met)}>
                <th scope="row">{pick(lang, f.name_zh, f.name_en)}</th>
                <td className="num" data-col="expected">{f.expected}</td>
                <td className="num" data-col="reported">{f.reported}</td>
                <td className="num" data-col="share">{sharePct(f.share)}</td>
                <td className="num" data-col="threshold">{sharePct(f.threshold)}</td>
                <td data-col="met" className={f.met ? 'ws-ok' : 'ws-warn'}><span aria-hidden="true">{f.met ? '✔ ' : '✖ '}</span>{rl(lang, f.met ? 'metYes' : 'metNo')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function stateText(state: string | null, lang: Lang): string {
  if (state === null) return rl(lang, 'noSubmission');
  return state in stateNames ? stateNames[state as SubmissionState][lang] : state;
}

/** Per district: a summary line, and the schools not reported in a table (collapsed when the district is complete). */
function Missing(props: { readiness: ReleaseReadiness; lang: Lang }) {
  const { readiness: r, lang } = props;
  const formName = new Map(r.forms.map((f) => [f.form_code, pick(lang, f.name_zh, f.name_en)]));
  return (
    <section aria-labelledby="rl-missing-h">
      <h2 id="rl-missing-h">{rl(lang, 'missingTitle')}</h2>
      <p>{rl(lang, 'missingIntro')}</p>
      {r.districts.map((d) => {
        const name = pick(lang, d.name_zh, d.name_en);
        const vars = { name, reported: d.reported, expected: d.expected, share: sharePct(d.share), missing: d.missing.length };
        return (
          <details key={d.district_code} open={d.missing.length > 0} className="rl-district" data-testid="district-missing" data-district={d.district_code} data-missing={d.missing.length}>
            <summary>{rl(lang, d.missing.length > 0 ? 'districtSummary' : 'districtComplete', vars)}</summary>
            {d.missing.length > 0 ? (
              <div className="table-scroll release-scroll">
                <table className="data-table" data-testid="missing-schools">
                  <caption className="sr-only">{rl(lang, 'missingTableTitle', { name })}</caption>
                  <thead><tr>
                    <th scope="col">{rl(lang, 'schoolCode')}</th><th scope="col">{rl(lang, 'school')}</th><th scope="col">{rl(lang, 'form')}</th>
                    <th scope="col">{rl(lang, 'contact')}</th><th scope="col">{rl(lang, 'phone')}</th><th scope="col">{rl(lang, 'submissionState')}</th>
                  </tr></thead>
                  <tbody>
                    {d.missing.map((m) => (
                      <tr key={m.code} data-school={m.code}>
                        <td data-col="code">{m.code}</td>
                        <th scope="row" data-col="name">{pick(lang, m.name_zh, m.name_en)}</th>
                        <td data-col="form">{formName.get(m.form_code) ?? m.form_code}</td>
                        <td data-col="contact">{m.contact_name ?? '—'}</td>
                        <td data-col="phone">{m.contact_phone ? <a href={`tel:${m.contact_phone.replace(/[^\d+]/g, '')}`}>{m.contact_phone}</a> : '—'}</td>
                        <td data-col="state" data-state={m.submission_state ?? 'none'}>{stateText(m.submission_state, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </details>
        );
      })}
    </section>
  );
}

function FigureCell(props: { f: Figure | null; unit: string; lang: Lang; tag?: boolean }) {
  const { f, unit, lang } = props;
  if (!f) return <>—</>;
  return (
    <>
      <ValueText value={f.value} suppressed={f.suppressed} unit={unit} />
      {f.year !== null ? <span className="muted small">{lang === 'zh' ? `（${f.year}）` : ` (${f.year})`}</span> : null}
      {props.tag && (f.value !== null || f.suppressed) ? <> <span className="provisional-tag">{rl(lang, 'provisionalTag')}</span></> : null}
    </>
  );
}

/** The provisional figures beside the released ones, for the user's own org unit (the city, or the reviewer's district). */
function Figures(props: { rows: FigureRow[]; year: number; lang: Lang }) {
  const { rows, lang } = props;
  return (
    <section aria-labelledby="rl-figures-h">
      <h2 id="rl-figures-h">{rl(lang, 'figuresTitle')}</h2>
      <p>{rl(lang, 'figuresIntro')}</p>
      <div className="table-scroll release-scroll" tabIndex={0} role="region" aria-labelledby="rl-figures-h">
        <table className="data-table" data-testid="provisional-figures">
          <thead><tr>
            <th scope="col">{rl(lang, 'indicator')}</th>
            <th scope="col" className="num provisional-col">{rl(lang, 'provisional')}</th>
            <th scope="col" className="num">{rl(lang, 'released')}</th>
            <th scope="col">{rl(lang, 'differs')}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.code} data-code={r.code} data-changes={String(r.changes)}>
                <th scope="row">{pick(lang, r.name_zh, r.name_en)}</th>
                <td className="num provisional-col" data-col="provisional"><FigureCell f={r.provisional} unit={r.unit} lang={lang} tag /></td>
                <td className="num" data-col="released">
                  <FigureCell f={r.released} unit={r.unit} lang={lang} />
                  {r.released?.release ? <div className="muted small">{releaseText(r.released.release, lang)}{r.released.release.revised ? <> <RevisedMark /></> : null}</div> : null}
                </td>
                <td data-col="changes" className={r.changes ? 'ws-warn' : undefined}>{rl(lang, r.changes ? 'differsYes' : 'differsNo')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function History(props: { history: ReleaseRecord[]; year: number; lang: Lang }) {
  const { history, year, lang } = props;
  return (
    <section aria-labelledby="rl-history-h" data-testid="release-history">
      <h2 id="rl-history-h">{rl(lang, 'historyTitle')}</h2>
      {history.length === 0
        ? <p data-testid="no-history">{rl(lang, 'noHistory')}</p>
        : <ReleaseTable year={year} versions={[...history].sort((a, b) => b.version - a.version)} extra={{ header: rl(lang, 'releasedBy'), cell: (r) => r.released_by }} />}
    </section>
  );
}

/**
 * The city administrator's release form. The note is checked here; whether the year may be
 * released without a reason is the server's decision (completeness can change after the page
 * loaded), and its refusal lists each form below its threshold, shown located.
 */
function ReleaseForm(props: { year: number; readiness: ReleaseReadiness; onReleased: () => Promise<void> }) {
  const lang = useLang();
  const { year, readiness } = props;
  const [note, setNote] = useState('');
  const [override, setOverride] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<ReleaseRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const overrideRef = useRef<HTMLTextAreaElement>(null);
  const below = formsBelow(readiness.forms);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (note.trim() === '') { setError(new Error(rl(lang, 'noteMissing'))); noteRef.current?.focus(); return; }
    setBusy(true);
    setError(null);
    try {
      const r = await releasesApi.create({ year, note: note.trim(), ...(override.trim() !== '' ? { override_reason: override.trim() } : {}) });
      setDone(r);
      setNote('');
      setOverride('');
      await props.onReleased();
    } catch (err) {
      setError(err);
      if (err instanceof WsApiError && (err.code === 'E_RELEASE_INCOMPLETE' || err.problems.some((p) => p.path?.includes('override_reason')))) overrideRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const problems = error instanceof WsApiError ? error.problems : [];
  // A refusal names a form by its path (forms.annual.primary): show the form's name, the path beside it.
  const formNames = new Map(readiness.forms.map((f) => [`forms.${f.form_code}`, pick(lang, f.name_zh, f.name_en)]));
  const where = (path: string | undefined) => {
    if (path === undefined) return '—';
    const name = formNames.get(path);
    return name ? <>{name} <code className="muted small">{path}</code></> : <code>{path}</code>;
  };
  return (
    <section aria-labelledby="rl-form-h">
      <h2 id="rl-form-h">{rl(lang, 'formTitle')}</h2>
      <p>{rl(lang, 'formIntro')}</p>
      <form className="ws-form" onSubmit={(e) => void submit(e)} data-testid="release-form" noValidate>
        <label>{rl(lang, 'note')}
          <textarea ref={noteRef} name="note" rows={2} maxLength={2000} required value={note} onChange={(e) => setNote(e.target.value)} data-testid="release-note" />
        </label>
        {!readiness.complete ? (
          <>
            <label>{rl(lang, 'override')}
              <textarea ref={overrideRef} name="override_reason" rows={3} maxLength={2000} required aria-describedby="rl-override-hint"
                value={override} onChange={(e) => setOverride(e.target.value)} data-testid="release-override" />
            </label>
            <span id="rl-override-hint" className="muted small">
              {rl(lang, 'overrideHint', { forms: below.map((f) => `${pick(lang, f.name_zh, f.name_en)} ${f.reported}/${f.expected}（${sharePct(f.share)}）`).join(lang === 'zh' ? '；' : '; ') })}
            </span>
          </>
        ) : null}
        <div className="ws-actions">
          <button type="submit" className="btn" disabled={busy} data-testid="release-submit">{rl(lang, 'submit', { year })}</button>
        </div>
      </form>
      <div aria-live="polite">
        {done ? <p role="status" className="notice" data-testid="release-done" data-version={done.version}>{rl(lang, 'releasedDone', { year: done.year, n: done.version })}</p> : null}
        {error !== null ? (
          <div data-testid="release-error" data-code={error instanceof WsApiError ? error.code : ''}>
            <ErrorBox error={error} />
            {problems.length > 0 ? (
              <div className="table-scroll release-scroll">
                <table className="data-table" data-testid="release-problems">
                  <caption className="sr-only">{rl(lang, 'refusedTitle')}</caption>
                  <thead><tr><th scope="col">{rl(lang, 'where')}</th><th scope="col">{rl(lang, 'problem')}</th><th scope="col">{rl(lang, 'fix')}</th></tr></thead>
                  <tbody>
                    {problems.map((p, i) => (
                      <tr key={i} data-path={p.path ?? ''} data-rule={p.rule}>
                        <td data-col="where">{where(p.path)}</td>
                        <td>{lang === 'zh' ? p.message_zh : p.message_en}</td>
                        <td>{(lang === 'zh' ? p.fix_zh : p.fix_en) ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
