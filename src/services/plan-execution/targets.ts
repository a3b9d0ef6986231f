/**
 * Every target of the plan with its value per year and its status (规划目标进展): the 20 main
 * indicators, the 专栏 targets and the running text's — each through its data path:
 *
 * - `indicator`: the city's cell of the indicator (value or numerator), provisional
 *   (`indicator_value`) or released (`released_value`);
 * - `registry`: counted from the approved entries of the registry, per year;
 * - `entered`: the values the owner entered, with their evidence.
 *
 * Two views, as for the indicators (docs/releases.md): `provisional` — the workspace and the
 * operator's CLI, computed from the data as they are; `public` — what the portal shows: released
 * indicator cells, and for registry and entered targets the city's released snapshots
 * (`releaseTargetValues`, taken when the city releases the year). A target without a value says
 * why (`reason`), never silently missing.
 */
import { sql } from 'kysely';
import { EduplanError } from '../../core/errors.ts';
import { rootCodeOr } from '../org-tree.ts';
import { countStatuses, judgeTarget, targetStatusOf, type Judgement } from '../../core/plan-execution/judge.ts';
import { registryValue, type CountedEntry, type CoverageUnit, type RegistryValue } from '../../core/plan-execution/registry-count.ts';
import type { PlanTarget } from '../../core/plan-execution/targets.ts';
import { measureOf } from '../../core/plan/data-path.ts';
import type { EntryPayload } from '../../core/plan/registry.ts';
import type { FigureCell } from '../../core/learning/figures.ts';
import type { Point } from '../../core/progress/progress.ts';
import type { FileRefOut, TargetRelease, TargetRow, TargetsResponse } from '../../contract/plan-execution.ts';
import type { Store } from '../../store/store.ts';
import { appendAudit } from '../audit.ts';
import { isSystem, type Caller, type ServiceDeps } from '../deps.ts';
import { readCells } from '../indicators.ts';
import { computeLearningCityFigures } from '../learning-city.ts';
import { getProgress, type FigureView } from '../progress.ts';
import { latestPublishedYear, readPublishedCells } from '../releases.ts';
import { actorRef, cityCodeOf, requireAt } from './access.ts';
import { orgRows, planContext, type PlanContext } from './context.ts';

export type TargetView = FigureView;

const round = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1e6) / 1e6);

const reasonText: Readonly<Record<NonNullable<TargetRow['reason']>, { zh: string; en: string }>> = {
  indicator_not_computed: { zh: '该指标尚无计算结果（缺少所需数据）', en: 'The indicator has no computed value yet (its data are missing)' },
  indicator_not_released: { zh: '该指标在此年份尚无已发布的数据', en: 'The indicator has no released figure for this year' },
  suppressed: { zh: '样本过少，按披露规则不予公布', en: 'Withheld under the disclosure rule (too few counted)' },
  registry_empty: { zh: '名录尚无经审核的条目，无法计数', en: 'The registry has no approved entry yet, so nothing can be counted' },
  not_entered: { zh: '责任单位尚未填报该年份及以前的数值', en: 'The owner has not entered a value for this year or before' },
  not_released: { zh: '该年份的名录计数和填报值尚未发布', en: 'The registry counts and entered values of this year have not been released' },
  no_value_by_target_year: { zh: '目标年及以前没有数值（之后的数值不用于判定该目标）', en: 'No value at or before the target year (later values do not decide it)' },
};

interface Series {
  readonly points: Point[];
  /** Per year: registry details, evidence, release. */
  readonly detail: Map<number, { entries?: number; coverage?: { covered: number; total: number } | null; evidence?: FileRefOut[]; release?: TargetRow['release']; source?: string }>;
  /** Why there is no value at all, when the data path has nothing. */
  readonly emptyReason: TargetRow['reason'] | null;
}

interface Inputs {
  readonly ctx: PlanContext;
  readonly view: TargetView;
  readonly years: readonly number[];
  readonly cells: Map<string, Array<{ year: number; value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean; release: TargetRow['release'] }>>;
  readonly entries: Map<string, CountedEntry[]>;
  readonly units: CoverageUnit[];
  readonly entered: Map<string, Map<number, { value: number; evidence: FileRefOut[] }>>;
  /** Entered measures eduplan computes itself (learning-city figures), per year, with their source: they take the place of a reported value. */
  readonly computed: Map<string, Map<number, { value: number; source: string }>>;
  /** Public view: per target and year, the released snapshot. */
  readonly snapshots: Map<string, Map<number, { value: number | null; detail: SnapshotDetail; release: NonNullable<TargetRow['release']> }>>;
}

interface SnapshotDetail { entries?: number | null; coverage?: { covered: number; total: number } | null; evidence?: FileRefOut[]; reason?: TargetRow['reason']; source?: string }

async function readInputs(store: Store, ctx: PlanContext, view: TargetView, upTo: number): Promise<Inputs> {
  const years: number[] = [];
  for (let y = ctx.plan.baseline_year; y <= upTo; y++) years.push(y);
  const nonKpi = ctx.targets.filter((t) => t.kind !== 'indicator');
  const indicatorCodes = [...new Set(nonKpi.flatMap((t) => (t.data_path.kind === 'indicator' ? [t.data_path.indicator] : [])))];
  const cells: Inputs['cells'] = new Map();
  // The plan's targets are the root's (the region the plan is for).
  const root = await rootCodeOr(store.db, '');
  for (const code of indicatorCodes) {
    const rows = view === 'public'
      ? (await readPublishedCells(store, { indicator: code, org_code: root, disaggregation: '' })).map((c) => ({ ...c, release: { id: c.release.id, version: c.release.version, released_at: c.release.released_at } }))
      : (await readCells(store, { indicator: code, org_code: root, disaggregation: '' })).map((c) => ({ ...c, release: null }));
    cells.set(code, rows.map((c) => ({ year: c.year, value: c.value, numerator: c.numerator, denominator: c.denominator, suppressed: c.suppressed, release: c.release })));
  }
  const entries: Inputs['entries'] = new Map();
  const entered: Inputs['entered'] = new Map();
  const snapshots: Inputs['snapshots'] = new Map();
  const computed: Inputs['computed'] = new Map();
  let units: CoverageUnit[] = [];
  if (view === 'provisional') {
    const registryIds = [...new Set(nonKpi.flatMap((t) => (t.data_path.kind === 'registry' ? [t.data_path.registry] : [])))];
    if (registryIds.length > 0) {
      const rows = await store.db.selectFrom('registry_entry').select(['registry', 'entry_code', 'payload']).where('state', '=', 'approved').where('registry', 'in', registryIds).orderBy('registry').orderBy('entry_code').execute();
      for (const r of rows) {
        let l = entries.get(r.registry);
        if (!l) entries.set(r.registry, (l = []));
        l.push({ code: r.entry_code, payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as EntryPayload });
      }
    }
    units = (await orgRows(store)).map((o) => ({ code: o.code, level: o.level, school_type: o.school_type, opened: o.opened, closed: o.closed }));
    const rows = await store.db.selectFrom('target_entry').select(['measure', 'year', 'value', 'evidence']).execute();
    for (const r of rows) {
      let m = entered.get(r.measure);
      if (!m) entered.set(r.measure, (m = new Map()));
      m.set(r.year, { value: Number(r.value), evidence: (r.evidence ?? []) as FileRefOut[] });
    }
    const measures = new Set(ctx.targets.flatMap((t) => (t.data_path.kind === 'entered' ? [measureOf(t.id, t.data_path)] : [])));
    for (const [measure, v] of await computedMeasures(store, years, measures)) computed.set(measure, v);
  } else {
    const rows = await sql<{ target: string; year: number; value: number | null; detail: unknown; release_id: number; version: number; released_at: Date }>`
      SELECT v.target, v.year, v.value, v.detail, r.id AS release_id, r.version, r.released_at
      FROM target_release_current c JOIN target_release r ON r.id = c.release_id JOIN target_released_value v ON v.release_id = c.release_id
      ORDER BY v.target, v.year`.execute(store.db);
    for (const r of rows.rows) {
      let m = snapshots.get(r.target);
      if (!m) snapshots.set(r.target, (m = new Map()));
      m.set(Number(r.year), {
        value: r.value === null ? null : Number(r.value),
        detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as SnapshotDetail,
        release: { id: r.release_id, version: r.version, released_at: new Date(r.released_at).toISOString() },
      });
    }
  }
  return { ctx, view, years, cells, entries, units, entered, computed, snapshots };
}

/**
 * Entered measures that eduplan computes from the learning-city data (docs/learning-city.md):
 * 街镇老年教育学校全覆盖 from the network's org units, 老年教育活动参与率 from the learning
 * events, both the city's figure. A year whose figure is missing keeps the reported value.
 * The network is as on record today, so its coverage stands for the latest year only.
 */
const COMPUTED_MEASURES: Readonly<Record<string, { figure: FigureCell['figure']; latestOnly: boolean }>> = {
  town_elderly_schools_coverage: { figure: 'street_elderly_school_coverage', latestOnly: true },
  elderly_education_participation: { figure: 'elderly_participation_rate', latestOnly: false },
};

async function computedMeasures(store: Store, years: readonly number[], measures: ReadonlySet<string>): Promise<Map<string, Map<number, { value: number; source: string }>>> {
  const out = new Map<string, Map<number, { value: number; source: string }>>();
  const wanted = Object.entries(COMPUTED_MEASURES).filter(([m]) => measures.has(m));
  if (wanted.length === 0 || years.length === 0) return out;
  const latest = years[years.length - 1] as number;
  const root = await cityCodeOf(store.db);
  const eventYears = new Set((await store.db.selectFrom('learning_event').select('year').distinct().execute()).map((r) => Number(r.year)));
  for (const year of years) {
    if (year !== latest && !eventYears.has(year)) continue;
    const cells = await computeLearningCityFigures(store.db, year);
    for (const [measure, { figure, latestOnly }] of wanted) {
      if (latestOnly && year !== latest) continue;
      const c = cells.find((x) => x.figure === figure && x.org_code === root);
      if (!c || c.value === null || c.suppressed) continue;
      let m = out.get(measure);
      if (!m) out.set(measure, (m = new Map()));
      m.set(year, { value: c.value, source: `computed:${figure} ${c.source}` });
    }
  }
  return out;
}

/** The registry or entered value of one target in one year, from the live data (what a release snapshots). */
function liveValue(t: PlanTarget, inputs: Inputs, year: number): { value: number | null; detail: SnapshotDetail } {
  const dp = t.data_path;
  if (dp.kind === 'registry') {
    const reg = inputs.ctx.registries.get(dp.registry);
    const list = inputs.entries.get(dp.registry) ?? [];
    if (!reg || list.length === 0) return { value: null, detail: { reason: 'registry_empty' } };
    const v: RegistryValue = registryValue(reg, dp, list, year, inputs.units);
    return { value: v.value, detail: { entries: v.entries.length, coverage: v.coverage } };
  }
  if (dp.kind === 'entered') {
    const c = inputs.computed.get(measureOf(t.id, dp))?.get(year);
    if (c) return { value: c.value, detail: { evidence: [], source: c.source } };
    const e = inputs.entered.get(measureOf(t.id, dp))?.get(year);
    return e ? { value: e.value, detail: { evidence: e.evidence } } : { value: null, detail: { reason: 'not_entered' } };
  }
  return { value: null, detail: {} };
}

function seriesOf(t: PlanTarget, inputs: Inputs): Series {
  const dp = t.data_path;
  const detail: Series['detail'] = new Map();
  const points: Point[] = [];
  if (dp.kind === 'indicator') {
    const cells = inputs.cells.get(dp.indicator) ?? [];
    const take = dp.take ?? 'value';
    let suppressedLatest = false;
    for (const c of cells) {
      if (c.suppressed) { suppressedLatest = true; continue; }
      const v = c[take];
      if (v === null) continue;
      suppressedLatest = false;
      points.push({ year: c.year, value: v });
      detail.set(c.year, { release: c.release });
    }
    const emptyReason: TargetRow['reason'] | null = points.length > 0 ? null : suppressedLatest ? 'suppressed' : inputs.view === 'public' ? 'indicator_not_released' : 'indicator_not_computed';
    return { points, detail, emptyReason };
  }
  if (inputs.view === 'public') {
    const snaps = inputs.snapshots.get(t.id);
    for (const [year, s] of snaps ?? []) {
      if (s.value === null) continue;
      points.push({ year, value: s.value });
      detail.set(year, { ...(typeof s.detail.entries === 'number' ? { entries: s.detail.entries } : {}), coverage: s.detail.coverage ?? null, evidence: s.detail.evidence ?? [], release: s.release, ...(s.detail.source !== undefined ? { source: s.detail.source } : {}) });
    }
    return { points, detail, emptyReason: points.length > 0 ? null : 'not_released' };
  }
  let reason: TargetRow['reason'] | null = null;
  for (const year of inputs.years) {
    const { value, detail: d } = liveValue(t, inputs, year);
    if (value === null) { reason ??= d.reason ?? null; continue; }
    points.push({ year, value });
    detail.set(year, { ...(d.entries !== undefined && d.entries !== null ? { entries: d.entries } : {}), coverage: d.coverage ?? null, evidence: d.evidence ?? [], ...(d.source !== undefined ? { source: d.source } : {}) });
  }
  return { points, detail, emptyReason: points.length > 0 ? null : (reason ?? (dp.kind === 'entered' ? 'not_entered' : 'registry_empty')) };
}

/** Why a target has no value when its series has none to judge by. */
function noneReason(t: PlanTarget, view: TargetView): NonNullable<TargetRow['reason']> {
  if (t.data_path.kind === 'indicator') return view === 'public' ? 'indicator_not_released' : 'indicator_not_computed';
  if (view === 'public') return 'not_released';
  return t.data_path.kind === 'entered' ? 'not_entered' : 'registry_empty';
}

function pathOf(t: PlanTarget): TargetRow['path'] {
  const dp = t.data_path;
  if (dp.kind === 'indicator') return { indicator: dp.indicator, take: dp.take ?? 'value' };
  if (dp.kind === 'registry') return { registry: dp.registry, ...(dp.filter ? { filter: dp.filter } : {}), rule: dp.rule ?? 'count', years: dp.years ?? 'in_effect' };
  return { measure: measureOf(t.id, dp) };
}

function rowOf(t: PlanTarget, j: Pick<Judgement, 'status' | 'progress_status' | 'value' | 'value_year' | 'baseline' | 'failed_years' | 'pace_unknown'>, s: Series | null, view: TargetView, release: TargetRow['release'], year: number): TargetRow {
  const d = j.value_year !== null ? s?.detail.get(j.value_year) : undefined;
  let reason: TargetRow['reason'] | undefined;
  if (j.value === null) {
    // Values only after a schedule's year do not decide it; otherwise the data path's own reason.
    const later = s !== null && s.points.some((p) => p.year > Math.min(year, t.year));
    reason = later ? 'no_value_by_target_year' : (s?.emptyReason ?? noneReason(t, view));
  }
  return {
    id: t.id, kind: t.kind, source: t.source, section: t.section, text_zh: t.text_zh, text_en: t.text_en, source_zh: t.source_zh,
    comparator: t.comparator, target: t.target, target_max: t.target_max, approximate: t.approximate, unit: t.unit, year: t.year,
    judged: { ...t.judged },
    value: round(j.value), value_year: j.value_year, value_unit: t.judged.unit,
    status: j.status, progress_status: j.progress_status,
    ...(reason ? { reason, reason_zh: reasonText[reason].zh, reason_en: reasonText[reason].en } : {}),
    ...(j.pace_unknown ? { note_zh: '只有一个年度的数值，尚不能判断进度', note_en: 'Only one year has a value: the pace cannot be judged yet' } : {}),
    data_path: t.data_path.kind, path: pathOf(t),
    baseline: j.baseline, failed_years: [...j.failed_years],
    project: t.project, task_area: t.task_area, subtask: t.subtask, indicator: t.indicator,
    entries: d?.entries ?? null, coverage: d?.coverage ?? null, evidence: d?.evidence ?? [], value_source: d?.source ?? null,
    release: view === 'public' ? (d?.release ?? release) : null,
    provisional: view === 'provisional',
  };
}

/** The year a request without one is judged as of: the newest with figures in the view, within the plan period. */
async function defaultYear(store: Store, ctx: PlanContext, view: TargetView): Promise<number> {
  let latest: number | null;
  if (view === 'public') latest = await latestPublishedYear(store);
  else {
    const r = await store.db.selectFrom('indicator_value').select((eb) => eb.fn.max('year').as('y')).executeTakeFirst();
    latest = r?.y === null || r?.y === undefined ? null : Number(r.y);
  }
  return Math.min(ctx.plan.period.end, latest ?? ctx.plan.period.end);
}

/**
 * Every target's row as of `year`. The caller brings provisional figures up to date first
 * (`ensureFresh`) and checks who may read them; the public view needs no caller.
 */
export async function targetRows(store: Store, q: { year?: number | undefined; view: TargetView }): Promise<TargetsResponse> {
  const ctx = await planContext(store);
  const year = q.year ?? (await defaultYear(store, ctx, q.view));
  if (q.view !== 'public') return computeRows(store, ctx, year, q.view);
  // The public rows change only with a release (of indicators or of target values) or a new
  // plan version: kept per store, keyed by the newest of each.
  const [r, t] = await Promise.all([
    store.db.selectFrom('release').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
    store.db.selectFrom('target_release').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
  ]);
  const key = `${ctx.version ?? 'bundled'}|${Number(r?.id ?? 0)}|${Number(t?.id ?? 0)}`;
  let memo = publicMemo.get(store);
  if (memo?.key !== key) {
    memo = { key, byYear: new Map() };
    publicMemo.set(store, memo);
  }
  let rows = memo.byYear.get(year);
  if (!rows) {
    rows = computeRows(store, ctx, year, 'public');
    memo.byYear.set(year, rows);
    const held = memo;
    rows.catch(() => held.byYear.delete(year));
  }
  return rows;
}

/** Public rows per store: for the current releases and plan version, by year. */
const publicMemo = new WeakMap<Store, { key: string; byYear: Map<number, Promise<TargetsResponse>> }>();

async function computeRows(store: Store, ctx: PlanContext, year: number, view: TargetView): Promise<TargetsResponse> {
  const inputs = await readInputs(store, ctx, view, Math.max(year, ctx.plan.baseline_year));
  const kpis = new Map((await getProgress(store, { year, view: view })).map((p) => [p.code, p]));
  const opts = { year, baselineYear: ctx.plan.baseline_year, periodStart: ctx.plan.period.start };
  const rows = ctx.targets.map((t): TargetRow => {
    if (t.kind === 'indicator') {
      const p = kpis.get(t.id);
      const hasValue = p !== undefined && p.value !== null;
      const j = {
        status: p ? targetStatusOf(p.status, hasValue) : 'no_data' as const, progress_status: p?.status ?? 'insufficient_data' as const,
        value: hasValue ? (p?.value ?? null) : null, value_year: hasValue ? (p?.year ?? null) : null, baseline: p?.baseline ?? null, failed_years: [] as number[],
        pace_unknown: hasValue && p?.status === 'insufficient_data',
      };
      const s: Series = { points: [], detail: new Map(), emptyReason: p?.suppressed ? 'suppressed' : view === 'public' ? 'indicator_not_released' : 'indicator_not_computed' };
      return rowOf(t, j, s, view, p?.release ? { id: p.release.id, version: p.release.version, released_at: p.release.released_at } : null, year);
    }
    const s = seriesOf(t, inputs);
    return rowOf(t, judgeTarget(t, s.points, opts), s, view, null, year);
  });
  return { year, provisional: view === 'provisional', summary: countStatuses(rows.map((r) => r.status)), targets: rows };
}

// ---------------------------------------------------------------------------------------
// Releasing registry counts and entered values (发布)

async function releaseRecords(store: Store, year?: number): Promise<TargetRelease[]> {
  let q = store.db.selectFrom('target_release').selectAll();
  if (year !== undefined) q = q.where('year', '=', year);
  const rows = await q.orderBy('year', 'desc').orderBy('version', 'desc').execute();
  const current = new Set((await store.db.selectFrom('target_release_current').select('release_id').execute()).map((r) => r.release_id));
  return rows.map((r) => ({ id: r.id, year: r.year, version: r.version, released_at: new Date(r.released_at).toISOString(), released_by: r.released_by, note: r.note, targets: r.targets, current: current.has(r.id) }));
}

/** Every release of target values, newest first (public: without who released). */
export async function listTargetReleases(store: Store, q: { year?: number | undefined } = {}): Promise<TargetRelease[]> {
  return (await releaseRecords(store, q.year)).map(({ released_by: _who, ...rest }) => rest);
}

const TARGET_RELEASE_LOCK = 9_009_009;

/**
 * The city releases a year's registry counts and entered values: each registry and entered
 * target's value for that year is copied as version N + 1 of the year and becomes what the
 * public sees. Indicator-path targets need no snapshot: they read the released indicator cells.
 * Audited with every value released.
 */
export async function releaseTargetValues(deps: ServiceDeps, caller: Caller, req: { year: number; note: string }): Promise<TargetRelease> {
  const city = await cityCodeOf(deps.store.db);
  await requireAt(deps, caller, 'release.create', city, { type: 'target_release', id: String(req.year) });
  const ctx = await planContext(deps.store);
  if (req.year < ctx.plan.baseline_year || req.year > ctx.plan.period.end) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'year', value: req.year, rule: 'plan_year', message_zh: `年份须在 ${ctx.plan.baseline_year}—${ctx.plan.period.end} 之间`, message_en: `the year must be within ${ctx.plan.baseline_year}–${ctx.plan.period.end}` }] });
  }
  const inputs = await readInputs(deps.store, ctx, 'provisional', req.year);
  const values = ctx.targets.filter((t) => t.data_path.kind !== 'indicator').map((t) => ({ t, ...liveValue(t, inputs, req.year) }));
  const now = deps.clock();
  const by = actorRef(caller);
  return deps.store.transaction(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${TARGET_RELEASE_LOCK})`.execute(tx.db);
    const last = await tx.db.selectFrom('target_release').select((eb) => eb.fn.max('version').as('v')).where('year', '=', req.year).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const { id } = await tx.db.insertInto('target_release').values({ year: req.year, version, released_at: now, released_by: by.actor, note: req.note, targets: values.length }).returning('id').executeTakeFirstOrThrow();
    await tx.db.insertInto('target_released_value').values(values.map((v) => ({ release_id: id, target: v.t.id, year: req.year, value: v.value, detail: JSON.stringify(v.detail) }))).execute();
    await tx.db.insertInto('target_release_current').values({ year: req.year, release_id: id }).onConflict((oc) => oc.column('year').doUpdateSet({ release_id: id })).execute();
    await appendAudit(tx.db, now, {
      actorId: by.actorId, actor: by.actor, action: 'target.release', outcome: 'success', objectType: 'target_release', objectId: id, ip: by.ip,
      after: { year: req.year, version, note: req.note, values: Object.fromEntries(values.map((v) => [v.t.id, v.value])) },
    });
    return { id, year: req.year, version, released_at: now.toISOString(), released_by: by.actor, note: req.note, targets: values.length, current: true };
  });
}

/** Release every plan year from the baseline year that has no target release yet (the demo's first start). */
export async function releaseUnreleasedTargetYears(deps: ServiceDeps, caller: Caller, note: string, years: readonly number[]): Promise<TargetRelease[]> {
  const released = new Set((await deps.store.db.selectFrom('target_release').select('year').distinct().execute()).map((r) => r.year));
  const out: TargetRelease[] = [];
  for (const year of years) if (!released.has(year)) out.push(await releaseTargetValues(deps, caller, { year, note }));
  return out;
}

/** The workspace's list, with who released each. */
export async function listTargetReleaseRecords(deps: ServiceDeps, caller: Caller, q: { year?: number | undefined } = {}): Promise<TargetRelease[]> {
  if (!isSystem(caller)) await requireAt(deps, caller, 'plan.read', null, { type: 'target_release', id: 'list' });
  return releaseRecords(deps.store, q.year);
}
