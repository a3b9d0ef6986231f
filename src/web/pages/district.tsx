/** District pages (各区): the list of the 16 districts, and one district's indicators and status. */
import { useMemo } from 'react';
import { api, type OrgUnit, type Progress, type PublicAssessment, type Series } from '../api.ts';
import { EChart, TIANJIN_MAP, loadTianjinMap, palette, type ChartOption } from '../charts.tsx';
import { DataTable, LoadState, Sparkline, StatusBadge, StatusSummary, ValueText, exportValue, useData, type Column } from '../components.tsx';
import { statusLabel, unitLabel } from '../format.ts';
import { pick, t, type Lang } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';
import { DataUpdated, NotReleased, groupByCategory, progressColumns } from './overview.tsx';

function sortDistricts(units: OrgUnit[]): OrgUnit[] {
  return [...units].sort((a, b) => a.code.localeCompare(b.code));
}

function DistrictNav({ units, current }: { units: OrgUnit[]; current?: string }) {
  const lang = useLang();
  return (
    <nav aria-label={t(lang, 'navDistricts')}>
      <ul className="district-list" data-testid="district-list">
        {sortDistricts(units).map((u) => (
          <li key={u.code}>
            <Link to={`/districts/${u.code}`} ariaCurrent={u.code === current}>{pick(lang, u.name_zh, u.name_en)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function DistrictsPage() {
  const lang = useLang();
  const loaded = useData('org-units', (signal) => api.orgUnits(signal));
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'districtsTitle')}</h1>
      <p className="lead">{t(lang, 'districtsIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? <DistrictNav units={loaded.data} /> : null}
    </>
  );
}

/** The district on the map of Tianjin: it filled, the others outlined (schematic, maps/README.md). */
function positionOption(code: string, units: OrgUnit[], lang: Lang): ChartOption {
  const names = new Map(units.map((u) => [u.code, pick(lang, u.name_zh, u.name_en)]));
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { name: string }) => names.get(p.name) ?? p.name },
    series: [{
      type: 'map', map: TIANJIN_MAP, nameProperty: 'code', roam: false, aspectScale: 0.78, label: { show: false },
      itemStyle: { areaColor: '#f2f2f2', borderColor: '#8c8c8c' }, emphasis: { disabled: true },
      data: [{ name: code, itemStyle: { areaColor: palette.observed } }],
    }],
  };
}

interface CompareRow { p: Progress; city: Progress | undefined; series: Series | undefined }

function compareColumns(lang: Lang, code: string): Column<CompareRow>[] {
  return [
    { key: 'indicator', header: t(lang, 'indicator'), rowHeader: true, render: (r) => <Link to={`/indicators/${encodeURIComponent(r.p.code)}?org=${code}`}>{pick(lang, r.p.name_zh, r.p.name_en)}</Link>, exportValue: (r) => pick(lang, r.p.name_zh, r.p.name_en) },
    { key: 'year', header: t(lang, 'year'), numeric: true, render: (r) => r.p.year ?? '', exportValue: (r) => r.p.year ?? null },
    { key: 'district', header: t(lang, 'districtValue'), numeric: true, render: (r) => <ValueText value={r.p.value} suppressed={r.p.suppressed} unit={r.p.unit} />, exportValue: (r) => exportValue(r.p.value, r.p.suppressed, lang) },
    { key: 'city', header: t(lang, 'cityValue'), numeric: true, render: (r) => <ValueText value={r.city?.value} suppressed={r.city?.suppressed} unit={r.p.unit} />, exportValue: (r) => exportValue(r.city?.value, r.city?.suppressed, lang) },
    { key: 'unit', header: t(lang, 'unit'), render: (r) => unitLabel(r.p.unit, lang), exportValue: (r) => unitLabel(r.p.unit, lang) },
    { key: 'status', header: t(lang, 'status'), render: (r) => <StatusBadge status={r.p.status} />, exportValue: (r) => statusLabel(r.p.status, lang) },
    { key: 'trend', header: t(lang, 'sparklineLabel'), render: (r) => (r.series ? <Sparkline points={r.series.points} unit={r.p.unit} /> : null), exportValue: () => null },
  ];
}

const assessKind = { balanced: 'assessKind_balanced', preschool: 'assessKind_preschool' } as const;
const assessVerdict = { pass: 'assessVerdict_pass', fail: 'assessVerdict_fail', incomplete: 'assessVerdict_incomplete' } as const;

/** 督导评估结果: the district's certified assessments (the API sends no others). */
function AssessmentsSection({ items, name }: { items: PublicAssessment[]; name: string }) {
  const lang = useLang();
  const columns: Column<PublicAssessment>[] = [
    { key: 'kind', header: t(lang, 'assessKind'), rowHeader: true, render: (r) => t(lang, assessKind[r.kind]), exportValue: (r) => t(lang, assessKind[r.kind]) },
    { key: 'year', header: t(lang, 'assessYear'), numeric: true, render: (r) => r.year, exportValue: (r) => r.year },
    {
      key: 'steps', header: t(lang, 'assessSteps'),
      render: (r) => [r.self_evaluated_on, r.city_assessed_on, r.submitted_on].map((d) => d ?? '—').join(' / '),
      exportValue: (r) => [r.self_evaluated_on, r.city_assessed_on, r.submitted_on].map((d) => d ?? '').join(' / '),
    },
    { key: 'certified', header: t(lang, 'assessCertifiedOn'), render: (r) => r.certified_on, exportValue: (r) => r.certified_on },
    { key: 'verdict', header: t(lang, 'assessVerdict'), render: (r) => t(lang, assessVerdict[r.verdict]), exportValue: (r) => t(lang, assessVerdict[r.verdict]) },
  ];
  return (
    <section aria-labelledby="assess-h" data-testid="district-assessments">
      <h2 id="assess-h">{t(lang, 'assessTitle')}</h2>
      <p className="muted">{t(lang, 'assessIntro')}</p>
      {items.length
        ? <DataTable testId="district-assessments-table" title={`${name} — ${t(lang, 'assessTitle')}`} columns={columns} rows={items} />
        : <p data-testid="district-assessments-none">{t(lang, 'assessNone')}</p>}
    </section>
  );
}

export function DistrictPage({ code }: { code: string }) {
  const lang = useLang();
  const loaded = useData(`district:${code}`, async (signal) => {
    const [units, progress, city, assessments] = await Promise.all([api.orgUnits(signal), api.progress({ org: code }, signal), api.progress({}, signal), api.districtAssessments(code, signal), loadTianjinMap()]);
    // Each indicator's series for the district (its sparkline); one that fails leaves its cell empty.
    const series = await Promise.all(progress.map((p) => api.series(p.code, code, signal).catch(() => undefined)));
    return { units, progress, city, series, assessments };
  });
  const position = useMemo(() => (loaded.state === 'ok' ? positionOption(code, loaded.data.units, lang) : null), [loaded, code, lang]);
  const unit = loaded.state === 'ok' ? loaded.data.units.find((u) => u.code === code) : undefined;
  const name = unit ? pick(lang, unit.name_zh, unit.name_en) : code;
  return (
    <>
      <p className="breadcrumb"><Link to="/districts">{t(lang, 'navDistricts')}</Link></p>
      <h1 tabIndex={-1} data-testid="district-title">{name}</h1>
      <p className="lead">{t(lang, 'districtPageIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? (
        <>
          {loaded.data.progress.some((p) => p.release !== null) ? (
            <>
              <DataUpdated items={loaded.data.progress} />
              <StatusSummary statuses={loaded.data.progress.map((p) => p.status)} />
              <DataTable
                testId="district-progress-table"
                title={`${name} — ${t(lang, 'allIndicators')}`}
                columns={progressColumns(lang, { link: (c) => `/indicators/${encodeURIComponent(c)}?org=${code}` })}
                rows={groupByCategory(loaded.data.progress).flatMap((g) => g.rows)}
              />
            </>
          ) : <NotReleased />}
          {loaded.data.progress.some((p) => p.release !== null) ? (
            <section aria-labelledby="compare-h">
              <h2 id="compare-h">{t(lang, 'districtCompare')}</h2>
              <DataTable testId="district-compare-table" title={`${name} — ${t(lang, 'districtCompare')}`} columns={compareColumns(lang, code)}
                rows={loaded.data.progress.map((p, i) => ({ p, city: loaded.data.city.find((c) => c.code === p.code), series: loaded.data.series[i] }))} />
            </section>
          ) : null}
          <AssessmentsSection items={loaded.data.assessments} name={name} />
          {position ? (
            <figure className="map-figure district-position">
              <EChart option={position} height={320} testId="district-position" label={`${name}: ${t(lang, 'districtMapPosition')}`} />
              <figcaption className="muted small">{t(lang, 'districtMapPosition')}</figcaption>
            </figure>
          ) : null}
          <h2>{t(lang, 'navDistricts')}</h2>
          <DistrictNav units={loaded.data.units} current={code} />
        </>
      ) : null}
    </>
  );
}
