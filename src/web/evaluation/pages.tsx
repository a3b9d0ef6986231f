/**
 * Evaluation reports in the portal: the public reports page (every published report, read
 * online as HTML or downloaded as PDF and DOCX, in Chinese and English, with the data versions
 * it used) and the workspace page where the planning office writes each section's narrative,
 * previews, downloads and publishes.
 */
import { useCallback, useEffect, useState } from 'react';
import type { NarrativesResponse, Publication, ReportFormat, ReportKind } from '../../contract/reports.ts';
import { getJson } from '../api.ts';
import { LoadState, useData } from '../components.tsx';
import { releaseDate } from '../format.ts';
import type { Lang } from '../i18n.ts';
import { useLang } from '../nav.tsx';
import { call, WsApiError } from '../workspace/api.ts';
import { hasRole } from '../workspace/parts.tsx';
import { ErrorBox, SessionGate, useSession } from '../workspace/session.tsx';
import { rt, type ReportStringKey } from './strings.ts';

const kinds: readonly ReportKind[] = ['final', 'midterm', 'annual', 'luban', 'learning_city'];
const kindName = (k: ReportKind, lang: Lang): string => rt(lang, `kind_${k}` as ReportStringKey);

function dataVersions(p: Publication, lang: Lang): string {
  const r = p.snapshot.indicator_releases;
  if (r.length === 0) return '—';
  const years = `${r[0]?.year ?? ''}–${r[r.length - 1]?.year ?? ''}`;
  const versions = [...new Set(r.map((x) => x.version))].map((v) => `v${v}`).join('/');
  return lang === 'zh' ? `${years}学年 ${versions}` : `${years} ${versions}`;
}

export function ReportsPage() {
  const lang = useLang();
  const loaded = useData('reports', (signal) => getJson<{ reports: Publication[] }>('/api/reports', signal));
  return (
    <>
      <h1 tabIndex={-1}>{rt(lang, 'title')}</h1>
      <p className="lead">{rt(lang, 'intro')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' && (loaded.data.reports.length === 0 ? <p>{rt(lang, 'none')}</p> : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={rt(lang, 'title')}>
          <table data-testid="reports-table">
            <caption>{rt(lang, 'title')}</caption>
            <thead>
              <tr>
                <th scope="col">{rt(lang, 'report')}</th>
                <th scope="col">{rt(lang, 'version')}</th>
                <th scope="col">{rt(lang, 'publishedAt')}</th>
                <th scope="col">{rt(lang, 'dataVersions')}</th>
                <th scope="col">{rt(lang, 'files')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.reports.map((p) => {
                const title = lang === 'zh' ? p.title_zh : p.title_en;
                const file = (l: 'zh' | 'en', f: ReportFormat) => p.files.find((x) => x.lang === l && x.format === f);
                return (
                  <tr key={p.id} data-testid="report-row" data-kind={p.kind} data-year={p.year} data-current={String(p.current)}>
                    <th scope="row">{title}<br /><span className="muted">{kindName(p.kind, lang)} · {p.year}{p.note ? ` · ${p.note}` : ''}</span></th>
                    <td>v{p.version}{p.current ? '' : ` (${rt(lang, 'replaced')})`}</td>
                    <td>{releaseDate(p.published_at)}</td>
                    <td>{dataVersions(p, lang)}</td>
                    <td>
                      {(['zh', 'en'] as const).map((l) => (
                        <span key={l} className="report-files" lang={l === 'zh' ? 'zh-CN' : 'en'}>
                          {rt(lang, l === 'zh' ? 'zhEdition' : 'enEdition')}：
                          {file(l, 'html') ? <a href={file(l, 'html')?.url} data-testid={`report-read-${l}`}>{rt(lang, 'read')}<span className="sr-only"> {title}</span></a> : null}{' '}
                          {file(l, 'pdf') ? <a href={file(l, 'pdf')?.url} download data-testid={`report-pdf-${l}`}>PDF<span className="sr-only"> {title}</span></a> : null}{' '}
                          {file(l, 'docx') ? <a href={file(l, 'docx')?.url} download data-testid={`report-docx-${l}`}>DOCX<span className="sr-only"> {title}</span></a> : null}
                          <br />
                        </span>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}

export function ReportsWorkspacePage() {
  return <SessionGate><ReportsWorkspace /></SessionGate>;
}

function ReportsWorkspace() {
  const lang = useLang();
  const { me } = useSession();
  const [kind, setKind] = useState<ReportKind>('final');
  const [year, setYear] = useState(2025);
  const [data, setData] = useState<NarrativesResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState<Publication | null>(null);
  const [note, setNote] = useState('');
  const reload = useCallback(() => {
    setError(null);
    call<NarrativesResponse>('GET', `/api/workspace/reports/${kind}/${year}/narratives`).then(setData, setError);
  }, [kind, year]);
  useEffect(reload, [reload]);
  if (!hasRole(me, 'city_admin')) return <p>{rt(lang, 'cityOnly')}</p>;
  const exportUrl = (format: ReportFormat, l: Lang) => `/api/workspace/reports/${kind}/${year}/export?format=${format}&lang=${l}`;
  const publish = () => {
    setBusy(true);
    setError(null);
    call<Publication>('POST', `/api/workspace/reports/${kind}/${year}/publish`, { note }).then((p) => { setPublished(p); setBusy(false); }, (e: unknown) => { setError(e); setBusy(false); });
  };
  return (
    <>
      <h1 tabIndex={-1}>{rt(lang, 'wsTitle')}</h1>
      <p className="lead">{rt(lang, 'wsIntro')}</p>
      <div className="ws-row">
        <label>{rt(lang, 'kind')}{' '}
          <select value={kind} data-testid="report-kind" onChange={(e) => setKind(e.target.value as ReportKind)}>
            {kinds.map((k) => <option key={k} value={k}>{kindName(k, lang)}</option>)}
          </select>
        </label>{' '}
        <label>{rt(lang, 'year')}{' '}
          <select value={year} data-testid="report-year" onChange={(e) => setYear(Number(e.target.value))}>
            {[2021, 2022, 2023, 2024, 2025].map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </label>
      </div>
      <ErrorBox error={error} />
      <p>
        <a href={exportUrl('html', lang)} target="_blank" rel="noopener" data-testid="report-preview">{rt(lang, 'preview')}</a>{' · '}
        {rt(lang, 'download')}: <a href={exportUrl('docx', 'zh')} download>DOCX</a> <a href={exportUrl('pdf', 'zh')} download>PDF</a>
        {' '}({rt(lang, 'enEdition')}: <a href={exportUrl('docx', 'en')} download>DOCX</a> <a href={exportUrl('pdf', 'en')} download>PDF</a>)
      </p>
      {data === null ? <p role="status" className="muted">{rt(lang, 'working')}</p> : data.blocks.map((b) => <NarrativeEditor key={`${kind}/${year}/${b.section}`} kind={kind} year={year} block={b} onSaved={reload} />)}
      <section aria-labelledby="report-publish">
        <h2 id="report-publish">{rt(lang, 'publish')}</h2>
        <label>{rt(lang, 'publishNote')}{' '}<input value={note} onChange={(e) => setNote(e.target.value)} data-testid="report-publish-note" /></label>{' '}
        <button type="button" className="btn" disabled={busy} onClick={publish} data-testid="report-publish">{busy ? rt(lang, 'working') : rt(lang, 'publish')}</button>
        {published ? <p role="status" data-testid="report-published">{rt(lang, 'published')}: {lang === 'zh' ? published.title_zh : published.title_en} v{published.version}</p> : null}
      </section>
    </>
  );
}

function NarrativeEditor(props: { kind: ReportKind; year: number; block: NarrativesResponse['blocks'][number]; onSaved: () => void }) {
  const lang = useLang();
  const b = props.block;
  const [zh, setZh] = useState(b.current?.text_zh ?? '');
  const [en, setEn] = useState(b.current?.text_en ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const save = () => {
    setError(null);
    setSaved(false);
    call('PUT', `/api/workspace/reports/${props.kind}/${props.year}/narratives/${b.section}`, { text_zh: zh, text_en: en, version: b.current?.version ?? 0 })
      .then(() => { setSaved(true); props.onSaved(); }, setError);
  };
  const id = `narrative-${b.section}`;
  return (
    <section aria-labelledby={id} data-testid="narrative" data-section={b.section}>
      <h2 id={id}>{lang === 'zh' ? b.title_zh : b.title_en}</h2>
      <label>{rt(lang, 'textZh')}<br /><textarea rows={4} cols={80} value={zh} onChange={(e) => setZh(e.target.value)} lang="zh-CN" data-testid="narrative-zh" /></label><br />
      <label>{rt(lang, 'textEn')}<br /><textarea rows={3} cols={80} value={en} onChange={(e) => setEn(e.target.value)} lang="en" data-testid="narrative-en" /></label><br />
      <button type="button" className="btn btn-secondary" onClick={save} data-testid="narrative-save">{rt(lang, 'save')}</button>
      {saved ? <span role="status"> {rt(lang, 'saved')}</span> : null}
      <ErrorBox error={error} />
      {error instanceof WsApiError && error.problems.length > 0 ? (
        <ul className="error-box" data-testid="narrative-problems">
          {error.problems.map((p, i) => <li key={i}>{lang === 'zh' ? p.message_zh : p.message_en} <code>{String(p.value ?? '')}</code></li>)}
        </ul>
      ) : null}
      <details>
        <summary>{rt(lang, 'history')} ({b.history.length})</summary>
        {b.history.length === 0 ? <p>{rt(lang, 'noVersion')}</p> : (
          <ol>{b.history.map((h) => <li key={h.version}>v{h.version} · {releaseDate(h.saved_at)} · {h.saved_by}: {h.text_zh.slice(0, 80)}</li>)}</ol>
        )}
      </details>
    </section>
  );
}
