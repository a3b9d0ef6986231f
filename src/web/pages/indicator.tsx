/**
 * Indicator page: the city series against the target and the expected-by-now trajectory,
 * the district comparison (bar chart, table, choropleth), a metadata panel (definition,
 * sources, unit, scope, disclosure rule, last release) and how the figure is computed.
 */
import { useEffect, useMemo } from 'react';
import { api, type DistrictValue, type Explanation, type ExplanationInput, type Progress, type Series } from '../api.ts';
import { EChart, TIANJIN_MAP, loadTianjinMap, palette, type ChartOption } from '../charts.tsx';
import { BindingTag, DataTable, LoadState, RevisedMark, StatusBadge, ValueText, exportValue, useData, type Column } from '../components.tsx';
import { baselineLabel, categoryLabel, formatNumber, formatShare, formatTarget, formatValue, releaseText, statusLabel, unitLabel } from '../format.ts';
import { pick, t, type Lang } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';
import { useSite } from '../site.tsx';
import { NotReleased } from './overview.tsx';
import { BreakdownSection, FeedbackSection, chartText } from './breakdown.tsx';

interface IndicatorData {
  progress: Progress;
  series: Series;
  districts: DistrictValue[];
}

async function loadIndicator(code: string, org: string | undefined, signal: AbortSignal): Promise<IndicatorData> {
  // The indicator's definition comes with its progress (explanation), so the page does not download the plan file.
  const [progress, series] = await Promise.all([
    api.progress({ org }, signal), api.series(code, org, signal), loadTianjinMap(),
  ]);
  const p = progress.find((x) => x.code === code);
  if (!p) throw new Error(`indicator ${code} not in /api/progress`);
  const districts = await api.districts(code, p.year ?? undefined, signal);
  return { progress: p, series, districts };
}

/** Years covered by the observed points and the trajectory, in order. */
export function seriesYears(series: Series): number[] {
  return [...new Set([...series.points.map((p) => p.year), ...series.trajectory.map((p) => p.year)])].sort((a, b) => a - b);
}

function seriesOption(series: Series, progress: Progress, lang: Lang): ChartOption {
  const years = seriesYears(series);
  const byYear = new Map(series.points.map((p) => [p.year, p]));
  const trajectory = new Map(series.trajectory.map((p) => [p.year, p.value]));
  const unit = progress.unit === '%' || progress.unit === 'percent' ? '%' : unitLabel(progress.unit, lang);
  const target = progress.target?.value;
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: palette.text } },
    grid: { left: 56, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: years.map(String), axisLabel: { color: palette.text } },
    yAxis: { type: 'value', scale: true, name: unit, axisLabel: { color: palette.text }, nameTextStyle: { color: palette.text } },
    series: [
      {
        name: t(lang, 'seriesObserved'), type: 'line', symbolSize: 8, lineStyle: { width: 3, color: palette.observed },
        itemStyle: { color: palette.observed },
        data: years.map((y) => { const p = byYear.get(y); return p && !p.suppressed ? p.value : null; }),
        ...(target !== null && target !== undefined ? {
          markLine: {
            symbol: 'none', silent: true, lineStyle: { color: palette.target, type: 'solid', width: 2 },
            label: { formatter: `${t(lang, 'seriesTarget')} ${formatTarget(progress.target, progress.unit, lang)}`, color: palette.target, position: 'insideEndTop' },
            data: [{ yAxis: target }],
          },
        } : {}),
      },
      {
        name: t(lang, 'seriesTrajectory'), type: 'line', symbol: 'emptyCircle', symbolSize: 6,
        lineStyle: { width: 2, type: 'dashed', color: palette.trajectory }, itemStyle: { color: palette.trajectory },
        data: years.map((y) => trajectory.get(y) ?? null),
      },
    ],
  };
}

function countText(n: number | null | undefined, lang: Lang): string {
  return n === null || n === undefined ? '' : formatNumber(n, lang);
}

function districtName(d: DistrictValue, lang: Lang): string {
  return pick(lang, d.name_zh, d.name_en);
}

function barOption(rows: DistrictValue[], unit: string, lang: Lang): ChartOption {
  const shown = rows.filter((d) => !d.suppressed && d.value !== null);
  const sorted = [...shown].sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
  return {
    animation: false,
    aria: { enabled: true },
    // Bars start at zero (scale: false): a cut axis would exaggerate small differences between districts.
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 110, right: 40, top: 10, bottom: 24 },
    xAxis: { type: 'value', scale: false, axisLabel: { color: palette.text }, name: unit === '%' || unit === 'percent' ? '%' : unitLabel(unit, lang) },
    yAxis: { type: 'category', data: sorted.map((d) => districtName(d, lang)), axisLabel: { color: palette.text } },
    series: [{
      type: 'bar', itemStyle: { color: palette.bar }, data: sorted.map((d) => d.value),
      label: { show: true, position: 'right', color: palette.text, formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang) },
    }],
  };
}

function mapOption(rows: DistrictValue[], unit: string, lang: Lang): ChartOption {
  const values = rows.filter((d) => !d.suppressed && d.value !== null).map((d) => d.value as number);
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const names = new Map(rows.map((d) => [d.org_code, districtName(d, lang)]));
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; data?: { value: number | null; suppressed?: boolean } }) =>
        `${names.get(p.name) ?? p.name}: ${formatValue({ value: p.data?.value ?? null, suppressed: p.data?.suppressed }, unit, lang)}`,
    },
    visualMap: {
      min, max: max === min ? min + 1 : max, left: 8, bottom: 8, calculable: false, text: [formatNumber(max, lang), formatNumber(min, lang)],
      inRange: { color: [palette.mapLow, palette.mapHigh] }, textStyle: { color: palette.text },
    },
    series: [{
      type: 'map', map: TIANJIN_MAP, nameProperty: 'code', roam: false, aspectScale: 0.78,
      label: { show: false },
      itemStyle: { areaColor: '#eeeeee', borderColor: '#ffffff' },
      emphasis: { label: { show: true, formatter: (p: { name: string }) => names.get(p.name) ?? p.name } },
      // Suppressed cells carry no value, so the map leaves them grey (no number leaks into the chart).
      data: rows.map((d) => ({ name: d.org_code, value: d.suppressed ? null : d.value, suppressed: d.suppressed ?? false })),
    }],
  };
}

function inputValue(i: ExplanationInput, lang: Lang) {
  if (typeof i.value === 'number') return formatValue({ value: i.value }, i.unit, lang);
  if (typeof i.value === 'string') return i.value;
  return t(lang, 'noData');
}

/** What the indicator is: definition, sources, unit, scope, disclosure rule and last release. */
function MetadataPanel({ progress }: { progress: Progress }) {
  const lang = useLang();
  const e = progress.explanation;
  const definition = pick(lang, e.definition_zh, e.definition_en);
  const sources = e.sources;
  const scope = e.scope;
  const disclosure = pick(lang, e.disclosure_zh, e.disclosure_en);
  const release = releaseText(progress.release, lang);
  return (
    <section aria-labelledby="metadata-h" className="metadata" data-testid="metadata">
      <h2 id="metadata-h">{t(lang, 'metadata')}</h2>
      <dl>
        {definition ? <><dt>{t(lang, 'definition')}</dt><dd data-testid="metadata-definition">{definition}</dd></> : null}
        {sources.length ? (
          <>
            <dt>{t(lang, 'sources')}</dt>
            <dd>
              <ul data-testid="metadata-sources">
                {sources.map((x, n) => <li key={n}>{pick(lang, x.zh, x.en)}</li>)}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>{t(lang, 'unit')}</dt><dd data-testid="metadata-unit">{unitLabel(progress.unit, lang)}</dd>
        {scope.length ? (
          <>
            <dt>{t(lang, 'scope')}</dt>
            <dd>
              <ul data-testid="metadata-scope">
                {scope.map((x, n) => <li key={n}>{pick(lang, x.zh, x.en)}</li>)}
              </ul>
            </dd>
          </>
        ) : null}
        {disclosure ? <><dt>{t(lang, 'disclosureRule')}</dt><dd data-testid="metadata-disclosure">{disclosure}</dd></> : null}
        {release ? (
          <>
            <dt>{t(lang, 'lastRelease')}</dt>
            <dd><span data-testid="metadata-release">{release}</span>{progress.release?.revised ? <> <RevisedMark /></> : null}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function ExplanationBlock({ explanation }: { explanation: Explanation }) {
  const lang = useLang();
  const text = pick(lang, explanation.text_zh, explanation.text_en);
  const formula = pick(lang, explanation.formula_zh, explanation.formula_en);
  const method = pick(lang, explanation.method_zh, explanation.method_en);
  const inputs = explanation.inputs;
  return (
    <section aria-labelledby="explanation" className="explanation" data-testid="explanation">
      <h2 id="explanation">{t(lang, 'explanation')}</h2>
      {text ? <p data-testid="explanation-text">{text}</p> : null}
      <dl>
        {formula ? <><dt>{t(lang, 'formula')}</dt><dd><code>{formula}</code></dd></> : null}
        {method ? <><dt>{t(lang, 'method')}</dt><dd>{method}</dd></> : null}
        {inputs.length ? (
          <>
            <dt>{t(lang, 'inputs')}</dt>
            <dd>
              <ul>
                {inputs.map((i, n) => (
                  <li key={n}>
                    {pick(lang, i.name_zh, i.name_en)}: {inputValue(i, lang)}
                    {pick(lang, i.source_zh, i.source_en) ? <span className="muted"> — {pick(lang, i.source_zh, i.source_en)}</span> : null}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

export function IndicatorPage({ code, org: asked }: { code: string; org?: string | undefined }) {
  // The root's own code is the region-wide view (no `org`), whatever the region's root is.
  const rootCode = useSite()?.region?.root.code;
  const org = asked === rootCode ? undefined : asked;
  const lang = useLang();
  const loaded = useData(`indicator:${code}:${org ?? ''}`, (signal) => loadIndicator(code, org, signal));
  const data = loaded.state === 'ok' ? loaded.data : null;
  // The page's own <title>: the indicator (and the district), then the site.
  useEffect(() => {
    const n = data ? pick(lang, data.progress.name_zh, data.progress.name_en) : `${t(lang, 'indicator')} ${code}`;
    document.title = `${n}${org ? ` — ${org}` : ''} — ${t(lang, 'siteTitle')}`;
  }, [data, lang, code, org]);
  const options = useMemo(() => data ? {
    series: seriesOption(data.series, data.progress, lang),
    bar: barOption(data.districts, data.progress.unit, lang),
    map: mapOption(data.districts, data.progress.unit, lang),
  } : null, [data, lang]);

  if (!data || !options) {
    return (
      <>
        {/* Same element order as the loaded page (breadcrumb, h1) so React keeps the focused h1. */}
        <p className="breadcrumb"><Link to="/">{t(lang, 'navOverview')}</Link></p>
        <h1 tabIndex={-1} data-testid="indicator-title">{t(lang, 'indicator')} {code}</h1>
        <LoadState loaded={loaded} />
        <p><Link to="/">{t(lang, 'backToOverview')}</Link></p>
      </>
    );
  }
  const p = data.progress;
  const unit = unitLabel(p.unit, lang);
  const orgRow = org ? data.districts.find((d) => d.org_code === org) : undefined;
  const place = orgRow ? districtName(orgRow, lang) : org ?? t(lang, 'cityWide');
  const name = pick(lang, p.name_zh, p.name_en);
  const cityPath = `/indicators/${encodeURIComponent(code)}`;
  const trajectory = new Map(data.series.trajectory.map((x) => [x.year, x.value]));
  const points = new Map(data.series.points.map((x) => [x.year, x]));
  const seriesRows = seriesYears(data.series).map((year) => ({ year, point: points.get(year), expected: trajectory.get(year) ?? null }));

  const seriesColumns: Column<(typeof seriesRows)[number]>[] = [
    { key: 'year', header: t(lang, 'year'), rowHeader: true, render: (r) => r.year, exportValue: (r) => r.year },
    {
      key: 'observed', header: t(lang, 'seriesObserved'), unit, numeric: true,
      render: (r) => <ValueText value={r.point?.value} suppressed={r.point?.suppressed} unit={p.unit} />,
      exportValue: (r) => exportValue(r.point?.value, r.point?.suppressed, lang),
    },
    {
      key: 'expected', header: t(lang, 'seriesTrajectory'), unit, numeric: true,
      render: (r) => <ValueText value={r.expected} unit={p.unit} />, exportValue: (r) => r.expected,
    },
    {
      key: 'numerator', header: t(lang, 'numerator'), numeric: true,
      render: (r) => (r.point?.suppressed ? t(lang, 'suppressed') : countText(r.point?.numerator, lang)),
      exportValue: (r) => exportValue(r.point?.numerator, r.point?.suppressed, lang),
    },
    {
      key: 'denominator', header: t(lang, 'denominator'), numeric: true,
      render: (r) => (r.point?.suppressed ? t(lang, 'suppressed') : countText(r.point?.denominator, lang)),
      exportValue: (r) => exportValue(r.point?.denominator, r.point?.suppressed, lang),
    },
    {
      // Which release each figure comes from; a figure changed by a later version of its year's release is marked 修订.
      key: 'release', header: t(lang, 'release'),
      render: (r) => (r.point?.release ? <>{releaseText(r.point.release, lang)}{r.point.release.revised ? <> <RevisedMark /></> : null}</> : ''),
      exportValue: (r) => (r.point?.release ? `${releaseText(r.point.release, lang)}${r.point.release.revised ? ` ${t(lang, 'revised')}` : ''}` : ''),
    },
  ];
  const anyRevised = data.series.points.some((x) => x.release?.revised) || data.districts.some((d) => d.release?.revised);
  const districtColumns: Column<DistrictValue>[] = [
    { key: 'org_code', header: t(lang, 'code'), render: (d) => d.org_code, exportValue: (d) => d.org_code },
    {
      key: 'district', header: t(lang, 'district'), rowHeader: true,
      render: (d) => <Link to={`/districts/${d.org_code}`}>{districtName(d, lang)}</Link>, exportValue: (d) => districtName(d, lang),
    },
    { key: 'year', header: t(lang, 'year'), numeric: true, render: (d) => d.year ?? p.year ?? '', exportValue: (d) => d.year ?? p.year ?? null },
    {
      key: 'value', header: pick(lang, p.name_zh, p.name_en), unit, numeric: true,
      render: (d) => <><ValueText value={d.value} suppressed={d.suppressed} unit={p.unit} />{d.release?.revised ? <> <RevisedMark /></> : null}</>,
      exportValue: (d) => exportValue(d.value, d.suppressed, lang),
    },
    ...(data.districts.some((d) => d.status) ? [{
      key: 'status', header: t(lang, 'status'),
      render: (d: DistrictValue) => <StatusBadge status={d.status} />, exportValue: (d: DistrictValue) => statusLabel(d.status, lang),
    }] : []),
  ];
  const projected = p.projection?.value ?? null;

  return (
    <>
      <p className="breadcrumb">
        {org
          ? <><Link to="/districts">{t(lang, 'navDistricts')}</Link> › <Link to={`/districts/${org}`}>{place}</Link></>
          : <><Link to="/">{t(lang, 'navOverview')}</Link> › {categoryLabel(p.category, lang)}</>}
      </p>
      <h1 tabIndex={-1} data-testid="indicator-title">{name}</h1>
      <p className="lead" data-testid="indicator-place">
        {place}
        {org ? <> · <Link to={cityPath}>{t(lang, 'seeCity')}</Link></> : null}
      </p>
      <p>
        {p.nature === 'binding' ? <BindingTag /> : <span className="tag-expected">{t(lang, 'expected')}</span>}{' '}
        <StatusBadge status={p.status} />
      </p>
      {p.release === null && data.series.points.length === 0 ? <NotReleased /> : null}
      <dl className="summary" data-testid="indicator-summary">
        <div><dt>{t(lang, 'value')}{p.year !== null && p.year !== undefined ? ` (${p.year})` : ''}</dt>
          <dd data-testid="summary-value"><ValueText value={p.value} suppressed={p.suppressed} unit={p.unit} /></dd></div>
        <div><dt>{t(lang, 'baseline')} ({baselineLabel(p.baseline, lang)})</dt><dd data-testid="summary-baseline"><ValueText value={p.baseline?.value} unit={p.unit} /></dd></div>
        <div><dt>{t(lang, 'target')} ({p.target?.year})</dt><dd data-testid="summary-target">{formatTarget(p.target, p.unit, lang)}</dd></div>
        <div><dt>{t(lang, 'distanceShare')} / {t(lang, 'timeShare')}</dt>
          <dd>{formatShare(p.distance_share, lang)} / {formatShare(p.time_share, lang)}</dd></div>
        {projected !== null ? <div><dt>{t(lang, 'projection')}</dt><dd>{formatValue({ value: projected }, p.unit, lang)}</dd></div> : null}
        {p.nature === 'binding' && p.met !== undefined && p.met !== null
          ? <div><dt>{t(lang, 'met')}</dt><dd>{t(lang, p.met ? 'metYes' : 'metNo')}</dd></div> : null}
      </dl>

      <section aria-labelledby="series-h">
        <h2 id="series-h">{t(lang, 'seriesTitle')}</h2>
        <EChart option={options.series} height={320} testId="series-chart"
          label={`${name} — ${place}: ${t(lang, 'seriesTitle')}. ${t(lang, 'chartPointsIntro')}: ${chartText([{ name: t(lang, 'seriesObserved'), points: data.series.points }], p.unit, lang)}. ${t(lang, 'tableAlternative')}`} />
        <DataTable testId="series-table" title={`${name} — ${place} — ${t(lang, 'seriesTitle')}`} columns={seriesColumns} rows={seriesRows}
          note={anyRevised ? <span data-testid="revised-legend"><RevisedMark /> {t(lang, 'revisedNote')}</span> : undefined} />
      </section>

      <BreakdownSection code={code} org={org} series={data.series} name={name} place={place} />

      <section aria-labelledby="districts-h">
        <h2 id="districts-h">{t(lang, 'districtComparison')}{p.year !== null && p.year !== undefined ? ` (${p.year})` : ''}</h2>
        <div className="two-col">
          <EChart option={options.bar} height={Math.max(260, data.districts.length * 26)} testId="district-bar"
            label={`${name}: ${t(lang, 'districtComparison')}. ${t(lang, 'tableAlternative')}`} />
          <figure className="map-figure">
            <EChart option={options.map} height={420} testId="district-map"
              label={`${name}: ${t(lang, 'districtMapTitle')}. ${t(lang, 'tableAlternative')}`} />
            <figcaption className="muted small">{t(lang, 'districtMapTitle')} — {t(lang, 'districtMapNote')}</figcaption>
          </figure>
        </div>
        <DataTable testId="district-table" title={`${name} — ${t(lang, 'districtComparison')}`} columns={districtColumns}
          rows={[...data.districts].sort((a, b) => a.org_code.localeCompare(b.org_code))}
          note={data.districts.some((d) => d.suppressed) || data.districts.some((d) => d.release?.revised)
            ? <>{data.districts.some((d) => d.suppressed) ? t(lang, 'suppressedNote') : null}{data.districts.some((d) => d.release?.revised) ? <> <RevisedMark /> {t(lang, 'revisedNote')}</> : null}</>
            : undefined} />
      </section>

      <MetadataPanel progress={p} />

      <ExplanationBlock explanation={p.explanation} />

      <FeedbackSection subjectType="indicator" code={code} />
    </>
  );
}
