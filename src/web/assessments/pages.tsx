/**
 * 督导评估工作台 in the browser: the city view (16 districts on the map by 优质均衡 and
 * 普及普惠 status, the plan's schedule against what happened) and one district's 优质均衡
 * scorecard (per school and indicator, CVs against their limits, entered items, verdict,
 * what-if, downloads, workflow). Every figure comes from /api/assessments unchanged; every
 * chart has a table beside it.
 */
import { useMemo, useState } from 'react';
import { api } from '../api.ts';
import { EChart, TIANJIN_MAP, loadTianjinMap, palette, type ChartOption } from '../charts.tsx';
import { DataTable, LoadState, errorText, useData, type Column } from '../components.tsx';
import { pick, type Lang } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';
import { useSite } from '../site.tsx';
import { stateNames } from '../../core/standards/balanced/workflow.ts';
import { SessionGate, useSession } from '../workspace/session.tsx';
import { assessmentApi } from './api.ts';
import {
  balancedStatus, cellStatus, formatCv, formatNum, latestYear, levels, nextActions, preschoolStatus, readableDistricts, workflowHistory,
  type BalancedDistrictResult, type BalancedIndicatorKey, type BalancedVerdict, type DistrictStatus, type Level, type LevelWithWhatIf,
  type Me, type PreschoolDistrictResult, type ScheduleResult, type WorkflowAction,
} from './model.ts';
import { actionLabel, at, cellLabel, cellSymbol, itemStatusLabel, scheduleLabel, statusColour, statusLabel, statusSymbol } from './strings.ts';

const FIRST_YEAR = 2020;

// Signing in (password, one-time code, forced password change, idle timeout) is the
// workspace's SessionGate (src/web/workspace/session.tsx): one sign-in for both workspaces.

// ------------------------------------------------------------------ shared bits

function StatusTag({ status }: { status: DistrictStatus }) {
  const lang = useLang();
  return (
    <span className={`a-status a-status-${status}`} data-status={status} data-testid="a-status">
      <span aria-hidden="true">{statusSymbol(status)}</span> {statusLabel(status, lang)}
    </span>
  );
}

async function resolveYear(year: number | undefined, signal: AbortSignal): Promise<number> {
  if (year) return year;
  return latestYear(await api.progress({}, signal)) ?? FIRST_YEAR;
}

function YearPicker({ year, latest, to }: { year: number; latest: number; to: (y: number) => string }) {
  const lang = useLang();
  const years: number[] = [];
  for (let y = Math.max(latest, year); y >= FIRST_YEAR; y--) years.push(y);
  return (
    <nav className="year-select" aria-label={at(lang, 'year')}>
      {at(lang, 'year')}:{' '}
      {years.map((y) => <span key={y}>{y === year ? <strong aria-current="page">{y}</strong> : <Link to={to(y)}>{y}</Link>}{' '}</span>)}
    </nav>
  );
}

function statusMapOption(rows: Array<{ code: string; name: string; status: DistrictStatus }>, lang: Lang): ChartOption {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return {
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'item', formatter: (p: { name: string }) => { const r = byCode.get(p.name); return r ? `${r.name}: ${statusLabel(r.status, lang)}` : p.name; } },
    series: [{
      type: 'map', map: TIANJIN_MAP, nameProperty: 'code', roam: false, aspectScale: 0.78,
      label: { show: false }, itemStyle: { areaColor: '#eeeeee', borderColor: '#ffffff' },
      emphasis: { label: { show: true, formatter: (p: { name: string }) => byCode.get(p.name)?.name ?? p.name } },
      data: rows.map((r) => ({ name: r.code, value: r.status, itemStyle: { areaColor: statusColour[r.status] } })),
    }],
  };
}

function StatusLegend() {
  const lang = useLang();
  return (
    <ul className="a-legend" aria-hidden="true">
      {(['certified', 'pass', 'incomplete', 'fail', 'no_data'] as const).map((s) => (
        <li key={s}><span className="a-swatch" style={{ background: statusColour[s] }} /> {statusSymbol(s)} {statusLabel(s, lang)}</li>
      ))}
    </ul>
  );
}

// ------------------------------------------------------------------ city view

interface CityData {
  year: number;
  latest: number;
  verdicts: BalancedVerdict[];
  preschool: Array<{ district: string; name_zh: string; result: PreschoolDistrictResult | null }>;
  schedules: { balanced: ScheduleResult; preschool: ScheduleResult };
  names: Map<string, { zh: string; en: string }>;
}

async function loadCity(year: number | undefined, signal: AbortSignal): Promise<CityData> {
  const progress = await api.progress({}, signal);
  const latest = latestYear(progress) ?? FIRST_YEAR;
  const y = year ?? latest;
  // The schedule counts events by calendar year: academic year y ends in calendar year y + 1.
  const [v, balanced, preschool, orgs] = await Promise.all([
    assessmentApi.verdicts(y, signal), assessmentApi.schedule('balanced', y + 1, signal), assessmentApi.schedule('preschool', y + 1, signal),
    api.orgUnits(signal), loadTianjinMap(),
  ]);
  const pre = await Promise.all(v.districts.map(async (d) => ({ district: d.district, name_zh: d.name_zh, result: await assessmentApi.preschool(d.district, y, signal) })));
  return { year: y, latest, verdicts: v.districts, preschool: pre, schedules: { balanced, preschool }, names: new Map(orgs.map((o) => [o.code, { zh: o.name_zh, en: o.name_en }])) };
}

function ScheduleBlock({ s, title, testId }: { s: ScheduleResult; title: string; testId: string }) {
  const lang = useLang();
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    aria: { enabled: true },
    legend: { top: 0, textStyle: { color: palette.text } },
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: s.by_year.map((r) => String(r.year)), axisLabel: { color: palette.text } },
    yAxis: { type: 'value', min: 0, max: 16, axisLabel: { color: palette.text } },
    series: [
      { name: at(lang, 'submitted'), type: 'bar', itemStyle: { color: palette.observed }, data: s.by_year.map((r) => r.submitted) },
      { name: at(lang, 'certified'), type: 'bar', itemStyle: { color: statusColour.pass }, data: s.by_year.map((r) => r.certified) },
      { name: at(lang, 'plannedSubmitted'), type: 'line', lineStyle: { type: 'dashed', color: palette.trajectory }, itemStyle: { color: palette.trajectory }, connectNulls: true, data: s.by_year.map((r) => r.planned_submitted) },
      { name: at(lang, 'plannedCertified'), type: 'line', lineStyle: { type: 'dotted', color: palette.target }, itemStyle: { color: palette.target }, connectNulls: true, data: s.by_year.map((r) => r.planned_certified) },
    ],
  }), [s, lang]);
  type Row = ScheduleResult['by_year'][number];
  const cols: Column<Row>[] = [
    { key: 'year', header: at(lang, 'calendarYear'), rowHeader: true, render: (r) => r.year, exportValue: (r) => r.year },
    { key: 'planned_submitted', header: at(lang, 'plannedSubmitted'), numeric: true, render: (r) => r.planned_submitted ?? '—', exportValue: (r) => r.planned_submitted },
    { key: 'submitted', header: at(lang, 'submitted'), numeric: true, render: (r) => r.submitted, exportValue: (r) => r.submitted },
    { key: 'planned_certified', header: at(lang, 'plannedCertified'), numeric: true, render: (r) => r.planned_certified ?? '—', exportValue: (r) => r.planned_certified },
    { key: 'certified', header: at(lang, 'certified'), numeric: true, render: (r) => r.certified, exportValue: (r) => r.certified },
    { key: 'status', header: at(lang, 'scheduleStatus'), render: (r) => <span data-status={r.status}>{scheduleLabel(r.status, lang)}</span>, exportValue: (r) => scheduleLabel(r.status, lang) },
  ];
  return (
    <div data-testid={testId}>
      <h3>{title}</h3>
      <p className="muted small">{s.source}</p>
      <p>{lang === 'en' ? `${at(lang, 'kpi')} (${s.kpi.name_zh})` : s.kpi.name_zh}: <strong data-testid={`${testId}-kpi`}>{s.kpi.certified} / {s.kpi.total}</strong> ({formatNum(s.kpi.value * 100, lang, 1)}%)</p>
      <EChart option={option} height={260} label={`${title}. ${at(lang, 'scheduleTitle')}`} />
      <DataTable title={`${title} — ${at(lang, 'scheduleTitle')}`} columns={cols} rows={[...s.by_year]} />
    </div>
  );
}

function CityView({ data }: { data: CityData }) {
  const lang = useLang();
  const name = (code: string, zh: string) => (lang === 'en' ? data.names.get(code)?.en ?? zh : zh);
  const bRows = data.verdicts.map((v) => ({ code: v.district, name: name(v.district, v.name_zh), status: balancedStatus(v), v }));
  const pRows = data.preschool.map((p) => ({ code: p.district, name: name(p.district, p.name_zh), status: preschoolStatus(p.result), r: p.result }));
  const bMap = useMemo(() => statusMapOption(bRows, lang), [data, lang]);
  const pMap = useMemo(() => statusMapOption(pRows, lang), [data, lang]);
  const link = (code: string) => `/workspace/assessments/${code}?year=${data.year}`;
  const bCols: Column<(typeof bRows)[number]>[] = [
    { key: 'district', header: at(lang, 'district'), rowHeader: true, render: (r) => <Link to={link(r.code)} testId="district-link">{r.name}</Link>, exportValue: (r) => r.name },
    { key: 'status', header: at(lang, 'verdict'), render: (r) => <StatusTag status={r.status} />, exportValue: (r) => statusLabel(r.status, lang) },
    { key: 'resources', header: at(lang, 'resources'), render: (r) => (r.v.resources_pass === null ? '—' : r.v.resources_pass ? `✓ ${at(lang, 'yes')}` : `✗ ${at(lang, 'no')}`), exportValue: (r) => r.v.resources_pass },
    { key: 'state', header: at(lang, 'state'), render: (r) => <span data-state={r.v.state}>{stateNames[r.v.state][lang]}</span>, exportValue: (r) => stateNames[r.v.state][lang] },
    { key: 'certified_on', header: at(lang, 'certifiedOn'), render: (r) => r.v.certified_on ?? '—', exportValue: (r) => r.v.certified_on },
  ];
  const pCols: Column<(typeof pRows)[number]>[] = [
    { key: 'district', header: at(lang, 'district'), rowHeader: true, render: (r) => r.name, exportValue: (r) => r.name },
    { key: 'status', header: at(lang, 'verdict'), render: (r) => <StatusTag status={r.status} />, exportValue: (r) => statusLabel(r.status, lang) },
    { key: 'state', header: at(lang, 'state'), render: (r) => (r.r ? pick(lang, r.r.workflow.state_zh, r.r.workflow.state_en) : '—'), exportValue: (r) => r.r?.workflow.state ?? null },
  ];
  return (
    <>
      <YearPicker year={data.year} latest={data.latest} to={(y) => `/workspace/assessments?year=${y}`} />
      <section aria-labelledby="a-balanced">
        <h2 id="a-balanced">{at(lang, 'balancedTitle')}（{data.year}）</h2>
        <figure className="map-figure">
          <EChart option={bMap} height={380} testId="balanced-map" label={`${at(lang, 'balancedTitle')}: ${at(lang, 'mapNote')}`} />
          <figcaption className="muted small"><StatusLegend />{at(lang, 'mapNote')}</figcaption>
        </figure>
        <DataTable testId="balanced-table" title={`${at(lang, 'balancedTitle')} — ${at(lang, 'verdictTable')}`} columns={bCols} rows={bRows} />
      </section>
      <section aria-labelledby="a-preschool">
        <h2 id="a-preschool">{at(lang, 'preschoolTitle')}（{data.year}）</h2>
        <figure className="map-figure">
          <EChart option={pMap} height={380} testId="preschool-map" label={`${at(lang, 'preschoolTitle')}: ${at(lang, 'mapNote')}`} />
          <figcaption className="muted small"><StatusLegend />{at(lang, 'mapNote')}</figcaption>
        </figure>
        <DataTable testId="preschool-table" title={`${at(lang, 'preschoolTitle')} — ${at(lang, 'verdictTable')}`} columns={pCols} rows={pRows} />
      </section>
      <section aria-labelledby="a-schedule">
        <h2 id="a-schedule">{at(lang, 'scheduleTitle')}</h2>
        <p>{at(lang, 'scheduleIntro')}</p>
        <ScheduleBlock s={data.schedules.balanced} title={at(lang, 'balancedTitle')} testId="schedule-balanced" />
        <ScheduleBlock s={data.schedules.preschool} title={at(lang, 'preschoolTitle')} testId="schedule-preschool" />
      </section>
    </>
  );
}

export function AssessmentsCityPage({ year }: { year?: number | undefined }) {
  const lang = useLang();
  return (
    <SessionGate>
      <h1 tabIndex={-1}>{at(lang, 'cityTitle')}</h1>
      <p className="lead">{at(lang, 'cityIntro')}</p>
      <CityLoader year={year} />
    </SessionGate>
  );
}

/** A district's name from /api/site (the units directly under the root); its code until that answers. */
function useDistrictName(): (code: string) => string {
  const lang = useLang();
  const units = useSite()?.region?.units;
  return (code) => {
    const d = units?.find((u) => u.code === code);
    return d ? pick(lang, d.name_zh, d.name_en) : code;
  };
}

function CityLoader({ year }: { year: number | undefined }) {
  const lang = useLang();
  const districtName = useDistrictName();
  const { me } = useSession();
  const region = useSite()?.region;
  // Until /api/site names the root and its districts there is nothing to decide on.
  if (!region) return null;
  const scope = readableDistricts(me.grants, { root: region.root.code, units: region.units.map((u) => u.code) });
  // A district reviewer may not read the other districts: offer their own scorecard instead.
  if (scope !== 'city') {
    return scope.length === 0 ? <p role="alert" className="error-box">{at(lang, 'noReadGrant')}</p> : (
      <ul data-testid="own-districts">
        {scope.map((code) => (
          <li key={code}><Link to={`/workspace/assessments/${code}${year ? `?year=${year}` : ''}`}>
            {districtName(code)}：{at(lang, 'scorecardTitle')}
          </Link></li>
        ))}
      </ul>
    );
  }
  return <CityLoaderForCity year={year} />;
}

function CityLoaderForCity({ year }: { year: number | undefined }) {
  const loaded = useData(`a-city:${year ?? ''}`, (signal) => loadCity(year, signal));
  return loaded.state === 'ok' ? <CityView data={loaded.data} /> : <LoadState loaded={loaded} />;
}

// ------------------------------------------------------------------ district scorecard

function indicatorKeys(l: LevelWithWhatIf): BalancedIndicatorKey[] {
  return Object.keys(l.indicators) as BalancedIndicatorKey[];
}

function SchoolsTable({ l }: { l: LevelWithWhatIf }) {
  const lang = useLang();
  const keys = indicatorKeys(l);
  type S = LevelWithWhatIf['schools'][number];
  const cols: Column<S>[] = [
    { key: 'school', header: at(lang, 'school'), rowHeader: true, render: (s) => <span data-code={s.code}>{s.name_zh ?? s.code}</span>, exportValue: (s) => s.name_zh ?? s.code },
    { key: 'enrolment', header: at(lang, 'enrolment'), numeric: true, render: (s) => formatNum(s.enrolment, lang), exportValue: (s) => s.enrolment },
    ...keys.map((k): Column<S> => {
      const ind = l.indicators[k];
      return {
        key: k, numeric: true,
        header: `${pick(lang, ind.name_zh, ind.name_en)}（${at(lang, 'threshold')} ≥ ${formatNum(ind.threshold, lang)}）`,
        unit: pick(lang, ind.unit_zh, ind.unit_en),
        render: (s) => {
          const st = cellStatus(s, k);
          return <span className={`cell-${st}`} data-status={st} title={cellLabel(st, lang)}><span aria-hidden="true">{cellSymbol(st)} </span><span className="v">{formatNum(s.values[k], lang)}</span><span className="sr-only"> ({cellLabel(st, lang)})</span></span>;
        },
        exportValue: (s) => s.values[k],
      };
    }),
    { key: 'met', header: at(lang, 'metCount'), numeric: true, render: (s) => `${s.met} / ${keys.length}`, exportValue: (s) => s.met },
    { key: 'pass', header: at(lang, 'schoolPass'), render: (s) => <StatusTag status={s.pass ? 'pass' : 'fail'} />, exportValue: (s) => s.pass },
  ];
  return <DataTable testId="school-table" title={at(lang, 'schoolsTable')} columns={cols} rows={[...l.schools]} note={at(lang, 'legend')} />;
}

function CvBlock({ l }: { l: LevelWithWhatIf }) {
  const lang = useLang();
  const keys = indicatorKeys(l);
  const limit = l.indicators[keys[0] ?? 'sports_area_per_student'].cv_limit;
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    aria: { enabled: true },
    tooltip: { trigger: 'axis' },
    grid: { left: 200, right: 40, top: 16, bottom: 30 },
    xAxis: { type: 'value', min: 0, max: Math.ceil(Math.max(limit * 1.3, ...keys.map((k) => l.indicators[k].cv ?? 0)) * 10) / 10, axisLabel: { color: palette.text, formatter: (v: number) => formatCv(v, lang) } },
    yAxis: { type: 'category', inverse: true, data: keys.map((k) => pick(lang, l.indicators[k].name_zh, l.indicators[k].name_en)), axisLabel: { color: palette.text, width: 190, overflow: 'truncate' } },
    series: [{
      type: 'bar',
      data: keys.map((k) => ({ value: l.indicators[k].cv, itemStyle: { color: l.indicators[k].cv_pass ? palette.bar : statusColour.fail } })),
      markLine: { symbol: 'none', lineStyle: { color: palette.target, type: 'dashed', width: 2 }, label: { formatter: `${at(lang, 'cvLimit')} ${formatCv(limit, lang)}`, color: palette.target }, data: [{ xAxis: limit }] },
    }],
  }), [l, lang]);
  type R = { key: BalancedIndicatorKey };
  const cols: Column<R>[] = [
    { key: 'indicator', header: at(lang, 'indicator'), rowHeader: true, render: (r) => pick(lang, l.indicators[r.key].name_zh, l.indicators[r.key].name_en), exportValue: (r) => pick(lang, l.indicators[r.key].name_zh, l.indicators[r.key].name_en) },
    { key: 'cv', header: at(lang, 'cv'), numeric: true, render: (r) => formatCv(l.indicators[r.key].cv, lang), exportValue: (r) => l.indicators[r.key].cv },
    { key: 'cv_limit', header: at(lang, 'cvLimit'), numeric: true, render: (r) => `≤ ${formatCv(l.indicators[r.key].cv_limit, lang)}`, exportValue: (r) => l.indicators[r.key].cv_limit },
    { key: 'cv_pass', header: at(lang, 'verdict'), render: (r) => <StatusTag status={l.indicators[r.key].cv_pass ? 'pass' : 'fail'} />, exportValue: (r) => l.indicators[r.key].cv_pass },
    { key: 'mean', header: at(lang, 'mean'), numeric: true, render: (r) => formatNum(l.indicators[r.key].mean, lang), exportValue: (r) => l.indicators[r.key].mean },
    { key: 'schools_met', header: at(lang, 'schoolsMet'), numeric: true, render: (r) => `${l.indicators[r.key].schools_met} / ${l.schools.length}`, exportValue: (r) => l.indicators[r.key].schools_met },
  ];
  return (
    <section aria-labelledby="cv-title">
      <h3 id="cv-title">{at(lang, 'cvTitle')}</h3>
      <EChart option={option} height={300} testId="cv-chart" label={`${at(lang, 'cvTitle')}: ${keys.map((k) => `${l.indicators[k].name_zh} ${formatCv(l.indicators[k].cv, lang)}`).join('；')}; ${at(lang, 'cvLimit')} ${formatCv(limit, lang)}`} />
      <DataTable testId="cv-table" title={at(lang, 'cvTable')} columns={cols} rows={keys.map((key) => ({ key }))} />
    </section>
  );
}

function WhatIfPanel({ l }: { l: LevelWithWhatIf }) {
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const w = l.what_if;
  const id = `whatif-${l.level}`;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{at(lang, 'whatIfTitle')}</h3>
      <button type="button" aria-expanded={open} aria-controls={id} data-testid="whatif-toggle" onClick={() => setOpen((o) => !o)}>
        {at(lang, open ? 'whatIfClose' : 'whatIfOpen')}
      </button>
      {open ? (
        <div id={id} data-testid="whatif-panel">
          {!w ? <p>{at(lang, 'whatIfNone')}</p> : (
            <>
              <p data-testid="whatif-after">{at(lang, 'whatIfAfter')}: <StatusTag status={w.pass_after ? 'pass' : 'fail'} /></p>
              <DataTable testId="whatif-changes" title={at(lang, 'whatIfTitle')} rows={[...w.changes]} columns={[
                { key: 'school', header: at(lang, 'school'), rowHeader: true, render: (c) => c.name_zh ?? c.code, exportValue: (c) => c.name_zh ?? c.code },
                { key: 'resource', header: at(lang, 'indicator'), render: (c) => pick(lang, c.resource_zh, c.resource_en), exportValue: (c) => pick(lang, c.resource_zh, c.resource_en) },
                { key: 'add', header: at(lang, 'add'), numeric: true, render: (c) => `+${formatNum(c.add, lang)}`, exportValue: (c) => c.add },
                { key: 'value', header: `${at(lang, 'before')} → ${at(lang, 'after')}`, numeric: true, render: (c) => `${formatNum(c.value_before, lang)} → ${formatNum(c.value_after, lang)}`, exportValue: (c) => `${c.value_before} → ${c.value_after}` },
                { key: 'reasons', header: at(lang, 'reason'), render: (c) => c.reasons.map((r) => at(lang, r === 'cv' ? 'reasonCv' : 'reasonSchool')).join('、'), exportValue: (c) => c.reasons.join(',') },
              ]} />
              <DataTable testId="whatif-cv" title={at(lang, 'cvBeforeAfter')} rows={indicatorKeys(l).map((key) => ({ key }))} columns={[
                { key: 'indicator', header: at(lang, 'indicator'), rowHeader: true, render: (r) => pick(lang, l.indicators[r.key].name_zh, l.indicators[r.key].name_en), exportValue: (r) => l.indicators[r.key].name_zh },
                { key: 'before', header: at(lang, 'before'), numeric: true, render: (r) => formatCv(w.cv[r.key].before, lang), exportValue: (r) => w.cv[r.key].before },
                { key: 'after', header: at(lang, 'after'), numeric: true, render: (r) => formatCv(w.cv[r.key].after, lang), exportValue: (r) => w.cv[r.key].after },
                { key: 'limit', header: at(lang, 'cvLimit'), numeric: true, render: (r) => `≤ ${formatCv(w.cv[r.key].limit, lang)}`, exportValue: (r) => w.cv[r.key].limit },
                { key: 'pass_after', header: at(lang, 'verdict'), render: (r) => <StatusTag status={w.cv[r.key].pass_after ? 'pass' : 'fail'} />, exportValue: (r) => w.cv[r.key].pass_after },
              ]} />
              <p className="muted small">{at(lang, 'whatIfMethod')}: {w.method}</p>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}

function ItemsTable({ r }: { r: BalancedDistrictResult }) {
  const lang = useLang();
  type I = BalancedDistrictResult['items'][number];
  const partName = new Map(r.parts.map((p) => [p.part, pick(lang, p.name_zh, p.name_en)]));
  const cols: Column<I>[] = [
    { key: 'code', header: at(lang, 'item'), render: (i) => i.code, exportValue: (i) => i.code },
    { key: 'name', header: at(lang, 'indicator'), rowHeader: true, render: (i) => `${partName.get(i.part) ?? i.part}：${pick(lang, i.name_zh, i.name_en)}${i.veto ? `（${at(lang, 'veto')}）` : ''}`, exportValue: (i) => pick(lang, i.name_zh, i.name_en) },
    { key: 'threshold', header: at(lang, 'threshold'), render: (i) => (i.comparator ? `${i.comparator} ${i.threshold ?? ''}` : '—'), exportValue: (i) => (i.comparator ? `${i.comparator} ${i.threshold ?? ''}` : null) },
    { key: 'value', header: at(lang, 'value'), numeric: true, render: (i) => (i.value !== null ? formatNum(i.value, lang, 4) : i.met === null ? '—' : at(lang, i.met ? 'yes' : 'no')), exportValue: (i) => i.value ?? i.met },
    { key: 'status', header: at(lang, 'itemState'), render: (i) => <span data-status={i.status}>{itemStatusLabel(i.status, lang)}</span>, exportValue: (i) => i.status },
    {
      key: 'evidence', header: at(lang, 'evidence'),
      render: (i) => (i.evidence.length === 0 ? '—' : <ul className="plain">{i.evidence.map((e, n) => <li key={n}>{e.url ? <a href={e.url} rel="noreferrer">{e.name}</a> : e.name}</li>)}</ul>),
      exportValue: (i) => i.evidence.map((e) => e.name).join('; '),
    },
  ];
  return <DataTable testId="items-table" title={at(lang, 'itemsTitle')} columns={cols} rows={[...r.items]} />;
}

function WorkflowBlock({ r, me, onChanged }: { r: BalancedDistrictResult; me: Me; onChanged: () => void }) {
  const lang = useLang();
  const actions = nextActions(r.workflow.state, r.verdict, me.grants, r.district, useSite()?.region?.root.code);
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (action: WorkflowAction) => {
    setMessage(null);
    try {
      await assessmentApi.workflow('balanced', r.district, r.year, { action, on_date: date, ...(comment ? { comment } : {}) });
      setMessage({ ok: true, text: `${at(lang, 'actionDone')}: ${actionLabel(action, lang)}` });
      onChanged();
    } catch (e) {
      setMessage({ ok: false, text: errorText(e, lang) });
    }
  };
  const stepName: Record<string, { zh: string; en: string }> = {
    self_evaluated: { zh: '区级自评', en: 'District self-evaluation' }, city_assessed: { zh: '市级评估', en: 'City assessment' },
    submitted: { zh: '申报国家认定', en: 'Submitted for certification' }, certified: { zh: '国家认定', en: 'National certification' }, returned: { zh: '退回', en: 'Returned' },
  };
  return (
    <section aria-labelledby="wf-title" data-testid="workflow">
      <h2 id="wf-title">{at(lang, 'workflowTitle')}</h2>
      <p>{at(lang, 'state')}: <strong data-testid="workflow-state" data-state={r.workflow.state}>{pick(lang, r.workflow.state_zh, r.workflow.state_en)}</strong></p>
      <ol className="a-history" aria-label={at(lang, 'history')}>
        {workflowHistory(r.workflow).map((h) => (
          <li key={h.step} data-step={h.step} className={h.on ? 'done' : 'todo'}>{stepName[h.step]?.[lang] ?? h.step}: {h.on ?? at(lang, 'notYet')}</li>
        ))}
      </ol>
      {actions.length === 0 ? <p className="muted">{at(lang, 'noActions')}</p> : (
        <div className="a-actions">
          <p><label htmlFor="wf-date">{at(lang, 'actionDate')}</label>{' '}<input id="wf-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} /></p>
          <p><label htmlFor="wf-comment">{at(lang, 'actionComment')}</label><br /><textarea id="wf-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} /></p>
          <p>
            {actions.map((a) => (
              <span key={a.action}>
                <button type="button" data-testid={`action-${a.action}`} disabled={!a.enabled} aria-describedby={a.enabled ? undefined : `why-${a.action}`} onClick={() => { void run(a.action); }}>{actionLabel(a.action, lang)}</button>
                {a.enabled ? null : <span id={`why-${a.action}`} className="muted small"> {lang === 'en' ? a.reason_en : a.reason_zh}</span>}{' '}
              </span>
            ))}
          </p>
        </div>
      )}
      {message ? <div role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok-box' : 'error-box'}>{message.text}</div> : null}
    </section>
  );
}

function Scorecard({ r, me, level, onChanged }: { r: BalancedDistrictResult; me: Me; level: Level; onChanged: () => void }) {
  const lang = useLang();
  const l = r.levels[level];
  const status: DistrictStatus = r.certified ? 'certified' : r.verdict;
  const explanation = lang === 'en' ? r.explanation_en : r.explanation_zh;
  const base = `/workspace/assessments/${r.district}?year=${r.year}`;
  return (
    <>
      <p><Link to={`/workspace/assessments?year=${r.year}`}>{at(lang, 'backToCity')}</Link></p>
      <YearPicker year={r.year} latest={r.year} to={(y) => `/workspace/assessments/${r.district}?year=${y}&level=${level}`} />
      <section aria-labelledby="verdict-title" className="a-verdict">
        <h2 id="verdict-title">{at(lang, 'overallVerdict')}: <span data-testid="verdict" data-verdict={r.verdict}><StatusTag status={status} /></span></h2>
        <ul data-testid="explanation">{explanation.map((line, i) => <li key={i}>{line}</li>)}</ul>
        {r.data_problems.length ? (
          <details><summary>{at(lang, 'dataProblems')} ({r.data_problems.length})</summary>
            <ul>{r.data_problems.map((p, i) => <li key={i}>{lang === 'en' ? p.message_en : p.message_zh}</li>)}</ul></details>
        ) : null}
      </section>
      <section aria-labelledby="downloads-title">
        <h2 id="downloads-title">{at(lang, 'downloads')}</h2>
        <p className="downloads">
          <a href={assessmentApi.exportUrl('balanced', r.district, r.year, 'xlsx')} download data-testid="download-xlsx">{at(lang, 'downloadXlsx')}</a>{' '}
          <a href={assessmentApi.exportUrl('balanced', r.district, r.year, 'pdf')} download data-testid="download-pdf">{at(lang, 'downloadPdf')}</a>
        </p>
      </section>
      <nav aria-label={at(lang, 'level')} className="a-tabs">
        {levels.map((lv) => (
          <Link key={lv} to={`${base}&level=${lv}`} ariaCurrent={lv === level} testId={`level-${lv}`}>
            {at(lang, lv)} {r.levels[lv].pass ? '✓' : '✗'}
          </Link>
        ))}
      </nav>
      <section aria-labelledby="level-title" data-testid="level" data-level={level}>
        <h2 id="level-title">{at(lang, level)}: {at(lang, 'levelVerdict')} <span data-testid="level-verdict"><StatusTag status={l.pass ? 'pass' : 'fail'} /></span></h2>
        {l.explanation_zh.length ? <ul>{(lang === 'en' ? l.explanation_en : l.explanation_zh).map((x, i) => <li key={i}>{x}</li>)}</ul> : null}
        <SchoolsTable l={l} />
        {l.excluded.length ? (
          <details><summary>{at(lang, 'excluded')} ({l.excluded.length})</summary>
            <ul>{l.excluded.map((e) => <li key={e.code}>{e.name_zh ?? e.code}: {lang === 'en' ? e.reason_en : e.reason_zh}</li>)}</ul></details>
        ) : null}
        <CvBlock l={l} />
        <WhatIfPanel l={l} />
      </section>
      <section aria-labelledby="items-title">
        <h2 id="items-title">{at(lang, 'itemsTitle')}</h2>
        <ItemsTable r={r} />
      </section>
      <WorkflowBlock r={r} me={me} onChanged={onChanged} />
    </>
  );
}

export function AssessmentScorecardPage({ district, year, level }: { district: string; year?: number | undefined; level: Level }) {
  const lang = useLang();
  const districtName = useDistrictName();
  return (
    <SessionGate>
      <h1 tabIndex={-1} data-testid="scorecard-title">
        {districtName(district)} {year ?? ''} {at(lang, 'scorecardTitle')}
      </h1>
      <ScorecardLoaderInSession district={district} year={year} level={level} />
    </SessionGate>
  );
}

function ScorecardLoaderInSession(props: { district: string; year: number | undefined; level: Level }) {
  const { me } = useSession();
  return <ScorecardLoader me={me} {...props} />;
}

function ScorecardLoader({ me, district, year, level }: { me: Me; district: string; year: number | undefined; level: Level }) {
  const [round, setRound] = useState(0);
  const loaded = useData(`a-district:${district}:${year ?? ''}:${round}`, async (signal) => assessmentApi.balanced(district, await resolveYear(year, signal), signal));
  return loaded.state === 'ok'
    ? <Scorecard r={loaded.data} me={me} level={level} onChanged={() => setRound((n) => n + 1)} />
    : <LoadState loaded={loaded} />;
}
