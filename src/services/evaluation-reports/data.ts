/**
 * The figures a report is written from (报告数据快照): read through the public services only —
 * released indicator cells (`getProgress`/`getSeries`/`getDistrictValues` in the public view),
 * released target values (`targetRows` public), the assessment schedule, accepted owners'
 * reports — never from raw tables of submitted data, so a report says what the public may see
 * and nothing newer. Everything is cut at the report's year: a mid-term review as of 2023
 * carries no value of 2024 or later.
 */
import { readRoot, readTopUnits } from '../org-tree.ts';
import type { ReportData, ReportDistrict, ReportKind, ReportNarrative, ReportOwnerNarrative, ReportSeriesPoint, ReportSnapshot } from '../../contract/reports.ts';
import type { Store } from '../../store/store.ts';
import { getDistrictValues, getProgress, getSeries } from '../progress.ts';
import { listReleases } from '../releases.ts';
import { assessmentSchedule } from '../assessments/workflow.ts';
import { planContext } from '../plan-execution/context.ts';
import { listTargetReleases, targetRows } from '../plan-execution/targets.ts';
import { listReports, listUnits } from '../plan-execution/tasks.ts';
import { publishedLearningCity } from '../learning-city.ts';

/** The registries a report lists entry by entry (the 鲁班工坊 report's workshops). */
const listedRegistries = ['luban_workshops'] as const;

/** `2024H2`, `2024Q3`, `2024` → 2024: the year a reporting period belongs to. */
const periodYear = (period: string): number => Number(period.slice(0, 4));

async function learningCitySnapshot(store: Store, year: number): Promise<NonNullable<ReportData['learning_city']>> {
  const p = await publishedLearningCity(store, { year });
  return { ...p, years: [...p.years], figures: [...p.figures], kpi8: [...p.kpi8] };
}

export async function reportData(store: Store, q: { kind: ReportKind; year: number; narratives: readonly ReportNarrative[]; now: Date; demo: boolean }): Promise<ReportData> {
  const { year } = q;
  const ctx = await planContext(store);
  const plan = ctx.plan;
  const indicators = await getProgress(store, { year, view: 'public' });
  const series: Record<string, ReportSeriesPoint[]> = {};
  const districtValues = new Map<string, Awaited<ReturnType<typeof getDistrictValues>>>();
  for (const i of indicators) {
    const s = await getSeries(store, i.code, undefined, 'public');
    series[i.code] = s.points.filter((p) => p.year <= year).map((p) => ({ year: p.year, value: p.suppressed ? null : p.value, suppressed: p.suppressed }));
    districtValues.set(i.code, await getDistrictValues(store, i.code, year, 'public'));
  }
  const districtList = await readTopUnits(store.db, (await readRoot(store.db)).code);
  const districts: ReportDistrict[] = districtList.map((d) => {
    const values: Record<string, { value: number | null; suppressed: boolean; status: string | null }> = {};
    for (const [code, rows] of districtValues) {
      const r = rows.find((x) => x.org_code === d.code);
      // A district value of a later year never reaches an earlier report.
      const inYear = r !== undefined && r.year !== null && r.year <= year;
      if (r) values[code] = { value: inYear && !r.suppressed ? r.value : null, suppressed: r.suppressed, status: inYear ? r.status : null };
    }
    return { code: d.code, name_zh: d.name_zh, name_en: d.name_en, values };
  });
  const targets = (await targetRows(store, { year, view: 'public' })).targets;

  const units = new Map((await listUnits(store)).map((u) => [u.code, u]));
  const accepted = (await listReports(store, { states: ['accepted'] })).filter((r) => periodYear(r.period) <= year);
  const latest = new Map<string, (typeof accepted)[number]>();
  for (const r of accepted) {
    const key = `${r.item}|${r.unit.code}`;
    const held = latest.get(key);
    if (!held || held.period < r.period) latest.set(key, r);
  }
  const owner_narratives: ReportOwnerNarrative[] = [...latest.values()].sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : a.unit.code < b.unit.code ? -1 : 1)).map((r) => {
    const item = ctx.itemByCode.get(r.item);
    const unit = units.get(r.unit.code) ?? r.unit;
    return {
      item: r.item, item_title_zh: item?.title_zh ?? r.item, item_title_en: item?.title_en ?? r.item,
      unit_zh: unit.name_zh, unit_en: unit.name_en, period: r.period, status: r.status,
      narrative_zh: r.narrative_zh, narrative_en: r.narrative_en,
    };
  });

  const schedule = async (kind: 'balanced' | 'preschool'): Promise<ReportData['schedules']['balanced']> => {
    const s = await assessmentSchedule(store, kind, year);
    return { ...s, by_year: s.by_year.filter((b) => b.year <= year) };
  };

  const registries: Record<string, ReportData['registries'][string]> = {};
  for (const id of listedRegistries) {
    const reg = ctx.registries.get(id);
    if (!reg) continue;
    const rows = await store.db.selectFrom('registry_entry').select(['entry_code', 'payload']).where('registry', '=', id).where('state', '=', 'approved').orderBy('entry_code').execute();
    const entries = rows.map((r) => ({ code: r.entry_code, fields: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, string | number | boolean> }))
      // In effect by the report's year: opened by then (an entry opened later is not yet built).
      .filter((e) => typeof e.fields.opened_year !== 'number' || e.fields.opened_year <= year);
    registries[id] = {
      name_zh: reg.name_zh, name_en: reg.name_en,
      fields: reg.fields.map((f) => ({ key: f.key, label_zh: f.label_zh, label_en: f.label_en, ...('choices' in f && f.choices ? { choices: f.choices } : {}) })),
      entries,
    };
  }

  const releases = await listReleases(store);
  const currentRelease = new Map<number, (typeof releases)[number]>();
  for (const r of releases) if (r.current && r.year <= year) currentRelease.set(r.year, r);
  const targetReleases = (await listTargetReleases(store)).filter((r) => r.current && r.year <= year);
  const snapshot: ReportSnapshot = {
    indicator_releases: [...currentRelease.values()].sort((a, b) => a.year - b.year).map((r) => ({ year: r.year, id: r.id, version: r.version, released_at: r.released_at })),
    target_releases: targetReleases.sort((a, b) => a.year - b.year).map((r) => ({ year: r.year, id: r.id, version: r.version, released_at: r.released_at })),
    narratives: q.narratives.map((n) => ({ section: n.section, version: n.version })),
  };

  return {
    kind: q.kind, year,
    plan: { title_zh: plan.title_zh, title_en: plan.title_en, start: plan.period.start, end: plan.period.end, baseline_year: plan.baseline_year },
    generated_at: q.now.toISOString(), demo: q.demo,
    indicators, series, targets,
    areas: plan.task_areas.map((a) => ({
      code: a.code, number: a.number, title_zh: a.title_zh, title_en: a.title_en, goal_zh: a.goal_zh ?? '', goal_en: a.goal_en ?? '',
      lead_zh: null, lead_en: null,
      projects: plan.projects.filter((p) => p.task_area === a.code).map((p) => ({ code: p.code, number: p.number, title_zh: p.title_zh, title_en: p.title_en })),
    })),
    owner_narratives,
    schedules: { balanced: await schedule('balanced'), preschool: await schedule('preschool') },
    districts, registries, narratives: q.narratives, snapshot,
    // The learning-city report reads the snapshot the public sees (GET /api/learning-city), never the provisional figures.
    ...(q.kind === 'learning_city' ? { learning_city: await learningCitySnapshot(store, year) } : {}),
  };
}
