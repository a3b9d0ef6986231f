/**
 * Open data (开放数据): the release history (every version of every year, with its note,
 * the reason when released below the completeness threshold, what changed, and its cells as
 * CSV and JSON — replaced versions too), the API endpoints, and the city-wide table.
 */
import { api, releaseDownloadUrl, type DatasetList, type ReleaseSummary } from '../api.ts';
import { DataTable, LoadState, useData } from '../components.tsx';
import { releaseDate } from '../format.ts';
import { pick, t, tf, type Lang } from '../i18n.ts';
import { useLang } from '../nav.tsx';
import { DataUpdated, NotReleased, groupByCategory, progressColumns } from './overview.tsx';

const endpoints = [
  '/api/open-data',
  '/api/download/indicators.csv',
  '/api/sdmx/structure',
  '/api/news.atom',
  '/api/plan',
  '/api/progress',
  '/api/releases',
  '/api/site',
  '/api/org-units?level=district',
  '/api/openapi.json',
];

/** Releases grouped by academic year, newest year first; versions newest first within a year. */
export function releasesByYear<R extends ReleaseSummary>(releases: readonly R[]): Array<{ year: number; versions: R[] }> {
  const years = new Map<number, R[]>();
  for (const r of releases) years.set(r.year, [...(years.get(r.year) ?? []), r]);
  return [...years.entries()].sort((a, b) => b[0] - a[0]).map(([year, versions]) => ({ year, versions: [...versions].sort((a, b) => b.version - a.version) }));
}

export function changesText(r: ReleaseSummary, lang: Lang): string {
  if (r.version === 1) return t(lang, 'firstVersion');
  return tf(lang, 'changesText', { revised: r.changes.revised, added: r.changes.added, removed: r.changes.removed });
}

/** One year's versions: a table; the version the public sees now, and those it replaced (still downloadable). */
export function ReleaseTable<R extends ReleaseSummary>({ year, versions, extra }: { year: number; versions: readonly R[]; extra?: { header: string; cell: (r: R) => string } | undefined }) {
  const lang = useLang();
  const title = tf(lang, 'releaseYearTitle', { year });
  return (
    <div className="table-scroll release-scroll" tabIndex={0} role="region" aria-label={`${t(lang, 'releasesTitle')} — ${title}`}>
      <table data-testid="release-table" data-year={year}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t(lang, 'versionCol')}</th>
            <th scope="col">{t(lang, 'releasedAt')}</th>
            {extra ? <th scope="col">{extra.header}</th> : null}
            <th scope="col">{t(lang, 'releaseNote')}</th>
            <th scope="col">{t(lang, 'overrideReason')}</th>
            <th scope="col">{t(lang, 'changes')}</th>
            <th scope="col" className="num">{t(lang, 'cellsCol')}</th>
            <th scope="col">{t(lang, 'versionState')}</th>
            <th scope="col">{t(lang, 'downloadsCol')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((r) => {
            const which = tf(lang, 'downloadVersion', { year: r.year, n: r.version });
            return (
              <tr key={r.id} data-version={r.version} data-current={String(r.current)}>
                <th scope="row">{tf(lang, 'releaseVersion', { n: r.version })}</th>
                <td data-col="released_at">{releaseDate(r.released_at)}</td>
                {extra ? <td data-col="extra">{extra.cell(r)}</td> : null}
                <td data-col="note" className="ws-wrap">{r.note}</td>
                <td data-col="override" className="ws-wrap">{r.override_reason ?? '—'}</td>
                <td data-col="changes">{changesText(r, lang)}</td>
                <td data-col="cells" className="num">{r.cells}</td>
                <td data-col="state">{r.current ? <strong>{t(lang, 'currentVersion')}</strong> : <span className="replaced-mark">{t(lang, 'replacedVersion')}</span>}</td>
                <td data-col="downloads" className="release-downloads">
                  <a href={releaseDownloadUrl(r.id, 'csv')} download data-testid="release-csv">CSV<span className="sr-only"> {which}</span></a>{' '}
                  <a href={releaseDownloadUrl(r.id, 'json')} data-testid="release-json">JSON<span className="sr-only"> {which}</span></a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Every dataset with its description, formats (stable URLs), rows and last update; the licence and how to cite. */
function Datasets({ list }: { list: DatasetList }) {
  const lang = useLang();
  const l = list.licence;
  const cite = lang === 'zh'
    ? `天津市教育委员会：《天津市“十四五”教育现代化规划监测指标》，<数据集>，<学年与版本>，<下载地址>。许可：${l.name_zh}。`
    : `Tianjin Municipal Education Commission: “Tianjin education plan monitoring indicators”, <dataset>, <academic year and version>, <URL>. Licence: ${l.name_en}.`;
  return (
    <section aria-labelledby="datasets-h" data-testid="datasets">
      <h2 id="datasets-h">{t(lang, 'datasetsTitle')}</h2>
      <p>{t(lang, 'datasetsIntro')}</p>
      <p data-testid="licence-line">{t(lang, 'licenceLine')}: <a href={l.url} rel="license">{pick(lang, l.name_zh, l.name_en)}</a></p>
      <p data-testid="citation-line">{t(lang, 'citeAs')}: {cite}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t(lang, 'datasetsTitle')}>
        <table data-testid="datasets-table">
          <caption>{t(lang, 'datasetsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t(lang, 'indicator')}</th>
              <th scope="col">{t(lang, 'description')}</th>
              <th scope="col">{t(lang, 'formats')}</th>
              <th scope="col" className="num">{t(lang, 'rowsCol')}</th>
              <th scope="col">{t(lang, 'lastUpdate')}</th>
            </tr>
          </thead>
          <tbody>
            {list.datasets.map((d) => (
              <tr key={d.id} data-dataset={d.id}>
                <th scope="row">{pick(lang, d.title_zh, d.title_en)}</th>
                <td className="ws-wrap">{pick(lang, d.description_zh, d.description_en)}</td>
                <td>{d.formats.map((f, i) => <span key={f.format}>{i > 0 ? ' · ' : ''}<a href={f.url} data-format={f.format}>{f.format}<span className="sr-only"> {pick(lang, d.title_zh, d.title_en)}</span></a></span>)}</td>
                <td className="num">{d.rows}</td>
                <td>{d.last_update ? releaseDate(d.last_update) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function OpenDataPage() {
  const lang = useLang();
  const loaded = useData('open-data', async (signal) => {
    const [progress, releases, datasets] = await Promise.all([api.progress({}, signal), api.releases(undefined, signal), api.datasets(signal)]);
    return { progress, releases, datasets };
  });
  const released = loaded.state === 'ok' && loaded.data.progress.some((p) => p.release !== null);
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'openDataTitle')}</h1>
      <p className="lead">{t(lang, 'openDataIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? <Datasets list={loaded.data.datasets} /> : null}
      <section aria-labelledby="releases-h" data-testid="releases">
        <h2 id="releases-h">{t(lang, 'releasesTitle')}</h2>
        <p>{t(lang, 'releasesIntro')}</p>
        {loaded.state === 'ok' && loaded.data.releases.length === 0 ? <p data-testid="no-releases">{t(lang, 'noReleases')}</p> : null}
        {loaded.state === 'ok' ? releasesByYear(loaded.data.releases).map((g) => <ReleaseTable key={g.year} year={g.year} versions={g.versions} />) : null}
      </section>
      <h2>{t(lang, 'apiNote')}</h2>
      <ul>
        {endpoints.map((e) => <li key={e}><a href={e}><code>{e}</code></a></li>)}
      </ul>
      {loaded.state === 'ok' && !released ? <NotReleased /> : null}
      {loaded.state === 'ok' && released ? (
        <>
          <DataUpdated items={loaded.data.progress} historyLink={false} />
          <DataTable
            title={`${t(lang, 'allIndicators')} — ${t(lang, 'cityWide')}`}
            columns={progressColumns(lang, { link: (c) => `/indicators/${encodeURIComponent(c)}` })}
            rows={groupByCategory(loaded.data.progress).flatMap((g) => g.rows)}
          />
        </>
      ) : null}
    </>
  );
}
