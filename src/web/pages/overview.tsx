/** Overview (总览): the 20 main indicators grouped as in the plan, each with value, target, status and trend. */
import { api, type Progress, type Series } from '../api.ts';
import { BindingTag, DataTable, LoadState, Sparkline, StatusBadge, StatusSummary, ValueText, exportValue, useData, type Column } from '../components.tsx';
import { categoryKey, categoryLabel, categoryRank, formatTarget, newestRelease, statusLabel, unitLabel, updatedText } from '../format.ts';
import { pick, t, tf, type Lang } from '../i18n.ts';
import { Link, useLang, useNav } from '../nav.tsx';
import { useSite } from '../site.tsx';

export interface OverviewData {
  progress: Progress[];
  series: Map<string, Series>;
}

async function loadOverview(year: number | undefined, signal: AbortSignal): Promise<OverviewData> {
  // /api/progress carries everything the page shows (names, category, target, nature) in the
  // plan's order, so the page does not download the plan file itself.
  const progress = await api.progress({ year }, signal);
  // Sparklines are a nicety: a failed series leaves its card without one.
  const series = await Promise.all(
    progress.map((p) => api.series(p.code, undefined, signal).catch(() => null)),
  );
  return { progress, series: new Map(series.filter((s): s is Series => s !== null).map((s) => [s.code, s])) };
}

/**
 * Progress rows grouped by the plan's three categories. /api/progress answers in the plan's
 * order (src/services/progress.ts maps the plan's indicators), so within a category that
 * order is kept (the sort is stable).
 */
export function groupByCategory(progress: readonly Progress[]): Array<{ category: string; rows: Progress[] }> {
  const rows = [...progress].sort((a, b) => categoryRank(a.category) - categoryRank(b.category));
  const groups: Array<{ category: string; rows: Progress[] }> = [];
  for (const r of rows) {
    const last = groups[groups.length - 1];
    if (last && categoryKey(last.category) === categoryKey(r.category)) last.rows.push(r);
    else groups.push({ category: r.category, rows: [r] });
  }
  return groups;
}

export function progressColumns(lang: Lang, opts: { link: (code: string) => string }): Column<Progress>[] {
  return [
    { key: 'code', header: t(lang, 'code'), render: (r) => r.code, exportValue: (r) => r.code },
    {
      key: 'name', header: t(lang, 'indicator'), rowHeader: true,
      render: (r) => <Link to={opts.link(r.code)}>{pick(lang, r.name_zh, r.name_en)}</Link>,
      exportValue: (r) => pick(lang, r.name_zh, r.name_en),
    },
    { key: 'category', header: t(lang, 'category'), render: (r) => categoryLabel(r.category, lang), exportValue: (r) => categoryLabel(r.category, lang) },
    {
      key: 'nature', header: t(lang, 'nature'),
      render: (r) => (r.nature === 'binding' ? <BindingTag /> : t(lang, 'expected')),
      exportValue: (r) => t(lang, r.nature === 'binding' ? 'binding' : 'expected'),
    },
    { key: 'unit', header: t(lang, 'unit'), render: (r) => unitLabel(r.unit, lang), exportValue: (r) => unitLabel(r.unit, lang) },
    {
      key: 'baseline', header: `${t(lang, 'baseline')}`, numeric: true,
      render: (r) => <ValueText value={r.baseline?.value} unit={r.unit} />,
      exportValue: (r) => r.baseline?.value ?? null,
    },
    { key: 'year', header: t(lang, 'year'), numeric: true, render: (r) => r.year ?? '', exportValue: (r) => r.year ?? null },
    {
      key: 'value', header: t(lang, 'value'), numeric: true,
      render: (r) => <ValueText value={r.value} suppressed={r.suppressed} unit={r.unit} />,
      exportValue: (r) => exportValue(r.value, r.suppressed, lang),
    },
    {
      key: 'target', header: t(lang, 'target'), numeric: true,
      render: (r) => formatTarget(r.target, r.unit, lang),
      exportValue: (r) => formatTarget(r.target, r.unit, lang),
    },
    { key: 'status', header: t(lang, 'status'), render: (r) => <StatusBadge status={r.status} />, exportValue: (r) => statusLabel(r.status, lang) },
  ];
}

function IndicatorCard({ p, series }: { p: Progress; series: Series | undefined }) {
  const lang = useLang();
  return (
    <li className="card" data-testid="indicator-card" data-code={p.code}>
      <h3 className="card-title">
        <Link to={`/indicators/${encodeURIComponent(p.code)}`}>{pick(lang, p.name_zh, p.name_en)}</Link>
      </h3>
      {p.nature === 'binding' ? <BindingTag /> : null}
      <p className="card-value" data-testid="card-value">
        <ValueText value={p.value} suppressed={p.suppressed} unit={p.unit} />
        {p.year !== null && p.year !== undefined ? <span className="muted small">{lang === 'zh' ? `（${p.year}）` : ` (${p.year})`}</span> : null}
      </p>
      <p className="card-target">
        {t(lang, 'target')} {p.target?.year ?? ''}: <span data-testid="card-target">{formatTarget(p.target, p.unit, lang)}</span>
      </p>
      <StatusBadge status={p.status} />
      {series ? <Sparkline points={series.points} unit={p.unit} /> : null}
    </li>
  );
}

/** Academic years with at least one published value, newest first (for the year selector). */
export function yearsWithValues(series: Iterable<Series>): number[] {
  const years = new Set<number>();
  for (const s of series) for (const p of s.points) if (p.value !== null && !p.suppressed) years.add(p.year);
  return [...years].sort((a, b) => b - a);
}

function YearSelect({ years, year }: { years: number[]; year: number | undefined }) {
  const lang = useLang();
  const { navigate } = useNav();
  if (years.length < 2) return null;
  return (
    <p className="year-select">
      <label htmlFor="year-select">{t(lang, 'academicYear')}</label>{' '}
      <select id="year-select" data-testid="year-select" value={year ?? ''}
        onChange={(e) => navigate(e.target.value ? `/?year=${e.target.value}` : '/')}>
        <option value="">{t(lang, 'latestYear')}</option>
        {years.map((y) => <option key={y} value={y}>{y}</option>)}
      </select>
    </p>
  );
}

/**
 * Nothing released for what the page asks (数据发布): say so plainly instead of twenty empty
 * cards; for an earlier year, point to the latest released figures.
 */
export function NotReleased({ year }: { year?: number | undefined }) {
  const lang = useLang();
  const site = useSite();
  return (
    <div className="notice" role="status" data-testid="not-released">
      <p>{year !== undefined ? tf(lang, 'notReleasedYear', { year }) : t(lang, 'notReleased')}</p>
      {year !== undefined && site?.latest_release ? <p><Link to="/">{t(lang, 'seeLatestRelease')}</Link></p> : null}
    </div>
  );
}

/** 「数据更新于 2025-06-30（2024学年第1版）」 from the figures' own releases, with the release history a click away. */
export function DataUpdated({ items, historyLink = true }: { items: readonly Progress[]; historyLink?: boolean }) {
  const lang = useLang();
  const latest = newestRelease(items);
  if (!latest) return null;
  return (
    <p className="data-updated" data-testid="data-updated" data-year={latest.year} data-version={latest.version}>
      {updatedText(latest, lang)}
      {historyLink ? <> · <Link to="/open-data">{t(lang, 'releasesTitle')}</Link></> : null}
    </p>
  );
}

export function OverviewPage({ year }: { year?: number | undefined }) {
  const lang = useLang();
  const loaded = useData(`overview:${year ?? ''}`, (signal) => loadOverview(year, signal));
  const released = loaded.state === 'ok' && loaded.data.progress.some((p) => p.release !== null);
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'overviewTitle')}</h1>
      <p className="lead">{t(lang, 'overviewIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' && !released ? <NotReleased year={year} /> : null}
      {loaded.state === 'ok' && released ? (
        <>
          <DataUpdated items={loaded.data.progress} />
          <YearSelect years={yearsWithValues(loaded.data.series.values())} year={year} />
          <StatusSummary testId="status-summary" statuses={loaded.data.progress.map((p) => p.status)} />
          {groupByCategory(loaded.data.progress).map((g) => (
            <section key={g.category} aria-labelledby={`cat-${categoryKey(g.category)}`} data-testid="category">
              <h2 id={`cat-${categoryKey(g.category)}`}>{categoryLabel(g.category, lang)}</h2>
              <ul className="cards">
                {g.rows.map((p) => <IndicatorCard key={p.code} p={p} series={loaded.data.series.get(p.code)} />)}
              </ul>
            </section>
          ))}
          <section aria-labelledby="all-indicators">
            <h2 id="all-indicators">{t(lang, 'allIndicators')}</h2>
            <DataTable
              testId="overview-table"
              title={`${t(lang, 'allIndicators')} — ${t(lang, 'cityWide')}`}
              columns={progressColumns(lang, { link: (c) => `/indicators/${encodeURIComponent(c)}` })}
              rows={groupByCategory(loaded.data.progress).flatMap((g) => g.rows)}
            />
          </section>
        </>
      ) : null}
    </>
  );
}
