/**
 * Progress against the plan's targets (规划目标进度), computed from precomputed cells —
 * never from raw rows — with an in-memory memo of the org units, plan and series, in two views:
 *
 * - `public`: the released figures only (`released_value` through `release_current`,
 *   src/services/releases.ts), each with the release it comes from. What the portal, the
 *   public API and downloads show; it changes when the city releases, not when data arrive.
 * - `provisional` (暂定): the latest computed figures (`indicator_value`), for the workspace
 *   and the operator's CLI; it changes after every recompute.
 *
 * Each view's memo is refreshed in this process after a release (public) or a recompute
 * (provisional), and, for a shared PostgreSQL, when another process's release or run id
 * appears; `onFiguresChanged` tells the server's response cache (src/server/figures-cache.ts,
 * which keeps the serialized, compressed bytes). A suppressed cell's value, numerator and
 * denominator are withheld in both views, and progress is computed from unsuppressed values only.
 */
import { EduplanError } from '../core/errors.ts';
import { definitionForScope, indicatorByCode } from '../core/indicators/definitions.ts';
import type { CellInputs } from '../core/indicators/types.ts';
import { readTopUnits } from './org-tree.ts';
import { explain, type Explanation } from '../core/progress/explain.ts';
import { planIndicators, type PlanIndicatorShape } from '../core/progress/plan-indicator.ts';
import { computeProgress, trajectory, type Point } from '../core/progress/progress.ts';
import type { Store } from '../store/store.ts';
import type { ReleaseRef } from '../contract/releases.ts';
import type { BreakdownInfo, BreakdownSeries, DistrictValue, ProgressItem, SeriesPoint, SeriesResponse } from '../contract/progress.ts';
import { breakdownDimensions, dimensionInfo, dimensionOf, dimensionsOf } from '../core/indicators/breakdowns.ts';
import { partitionsTotal } from '../core/disclosure/operands.ts';
import type { Disaggregation, IndicatorDef } from '../core/indicators/types.ts';

export type { DistrictValue, ProgressItem, SeriesPoint, SeriesResponse };
import { latestRunId, onRecomputed, readCells, type StoredCell } from './indicators.ts';
import { latestPublishedYear, onReleased, readPublishedCells } from './releases.ts';
import { mayDoAt } from '../core/auth/roles.ts';
import { deny, requireAction } from './authorize.ts';
import type { Actor } from './deps.ts';
import { validateDir as validatePlanDir } from './plan.ts';
import { orgPath } from './auth.ts';
import { ensureFresh, type RecomputeDeps } from './recompute.ts';


/** Which figures: the released ones the public sees, or the latest computed (workspace, CLI). */
export type FigureView = 'public' | 'provisional';




const round = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1e6) / 1e6);

/**
 * The plan's indicators, from the latest stored plan version (`plan_version`, written by
 * src/services/plan.ts `loadPlan`), else the bundled plan. Read leniently (only the fields progress needs) so
 * that progress does not depend on every detail of the plan schema.
 */
export async function currentPlanIndicators(store: Store): Promise<PlanIndicatorShape[]> {
  const row = await store.db.selectFrom('plan_version').select('document').orderBy('id', 'desc').limit(1).executeTakeFirst();
  let document: unknown = typeof row?.document === 'string' ? JSON.parse(row.document) : (row?.document ?? null);
  if (document === null || document === undefined) {
    // No plan stored yet: the bundled plan (as GET /api/plan does), when it can be read.
    document = await validatePlanDir({}).catch(() => null);
  }
  if (document === null || document === undefined) throw new EduplanError('E_PLAN_NOT_LOADED');
  const { indicators, invalid } = planIndicators(document);
  if (indicators.length === 0) {
    throw new EduplanError('E_PLAN_INVALID', { problems: invalid.map((path) => ({ path, rule: 'indicator_shape', message_zh: '指标缺少必需字段（code、unit、nature、direction、baseline、target）', message_en: 'indicator lacks required fields (code, unit, nature, direction, baseline, target)' })) });
  }
  return indicators;
}

interface OrgInfo { code: string; name_zh: string; name_en: string; level: string; parent_code: string | null }

type ViewCell = StoredCell & { readonly release?: ReleaseRef };

/** Per store and view: org units, plan, per-org series. */
class ProgressCache {
  private runId = -1;
  private lastCheck = 0;
  private checking = false;
  private orgs: Map<string, OrgInfo> | null = null;
  private top: OrgInfo[] | null = null;
  private plan: PlanIndicatorShape[] | null = null;
  private latestYear: number | null | undefined;
  private readonly series = new Map<string, Promise<Map<string, ViewCell[]>>>();
  /** Told after every reset, once this memo is cleared (the server's response cache). */
  private readonly listeners = new Set<() => void>();

  constructor(private readonly store: Store, readonly view: FigureView) {
    // The public view changes when the city releases; the provisional one after each recompute.
    if (view === 'public') onReleased(store, (r) => { this.reset(r.id); });
    else onRecomputed(store, (r) => { this.reset(r.run_id); });
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  reset(runId: number): void {
    this.runId = runId;
    this.orgs = null;
    this.top = null;
    this.plan = null;
    this.latestYear = undefined;
    this.series.clear();
    for (const fn of this.listeners) fn();
  }

  /** Another process may have recomputed (shared PostgreSQL): check at most every 5 s, without blocking the request. */
  revalidate(now: number): void {
    if (this.checking || now - this.lastCheck < 5000) return;
    this.lastCheck = now;
    this.checking = true;
    void (this.view === 'public' ? latestReleaseId(this.store) : latestRunId(this.store)).then((id) => { if (this.runId !== -1 && id !== this.runId) this.reset(id); else this.runId = id; }).catch(() => undefined).finally(() => { this.checking = false; });
  }

  async orgUnits(): Promise<Map<string, OrgInfo>> {
    if (!this.orgs) {
      const rows = await this.store.db.selectFrom('org_unit').select(['code', 'name_zh', 'name_en', 'level', 'parent_code']).execute();
      this.orgs = new Map(rows.map((r) => [r.code, r]));
    }
    return this.orgs;
  }

  /** The root org unit (the one without a parent); E_ORG_UNKNOWN before any org unit is imported. */
  async root(): Promise<OrgInfo> {
    for (const o of (await this.orgUnits()).values()) if (o.parent_code === null) return o;
    throw new EduplanError('E_ORG_UNKNOWN', { problems: [{ path: 'org', rule: 'org_exists', message_zh: '尚未导入任何机构（缺少根机构）', message_en: 'no org units imported yet (there is no root org unit)' }] });
  }

  /** The aggregate units directly under the root (Tianjin: its districts). */
  async topUnits(): Promise<OrgInfo[]> {
    this.top ??= await readTopUnits(this.store.db, (await this.root()).code);
    return this.top;
  }

  async planIndicators(): Promise<PlanIndicatorShape[]> {
    this.plan ??= await currentPlanIndicators(this.store);
    return this.plan;
  }

  async latest(): Promise<number | null> {
    if (this.latestYear === undefined) {
      if (this.view === 'public') this.latestYear = await latestPublishedYear(this.store);
      else {
        const r = await this.store.db.selectFrom('indicator_value').select((eb) => eb.fn.max('year').as('y')).where('value', 'is not', null).where('suppressed', '=', false).executeTakeFirst();
        this.latestYear = r?.y === null || r?.y === undefined ? null : Number(r.y);
      }
    }
    return this.latestYear;
  }

  /** Every year's total cell per indicator, for one org unit. */
  /** The view's cells (same filters as `readCells`). */
  cells(where: Parameters<typeof readCells>[1]): Promise<ViewCell[]> {
    return this.view === 'public' ? readPublishedCells(this.store, where) : readCells(this.store, where);
  }

  orgSeries(org: string): Promise<Map<string, ViewCell[]>> {
    let p = this.series.get(org);
    if (!p) {
      p = this.cells({ org_code: org, disaggregation: '' }).then((cells) => {
        const m = new Map<string, ViewCell[]>();
        for (const c of cells) {
          let l = m.get(c.indicator);
          if (!l) m.set(c.indicator, (l = []));
          l.push(c);
        }
        return m;
      });
      p.catch(() => this.series.delete(org));
      this.series.set(org, p);
    }
    return p;
  }
}

const caches = new WeakMap<Store, Record<FigureView, ProgressCache | undefined>>();
function cacheFor(store: Store, view: FigureView = 'public'): ProgressCache {
  let byView = caches.get(store);
  if (!byView) caches.set(store, (byView = { public: undefined, provisional: undefined }));
  const c = (byView[view] ??= new ProgressCache(store, view));
  c.revalidate(Date.now());
  return c;
}

/**
 * Call `fn` whenever a view's figures may have changed (a release for the public view, a
 * recompute for the provisional one, or either seen from another process), after this
 * module's memo is cleared: the server's response cache resets and rebuilds from here.
 */
export function onFiguresChanged(store: Store, view: FigureView, fn: () => void): () => void {
  return cacheFor(store, view).onChange(fn);
}

/** Check (at most every 5 s, without waiting) whether another process released or recomputed. */
export function revalidateFigures(store: Store, view: FigureView = 'public'): void {
  cacheFor(store, view);
}

/** The newest release's id (0 when none): lets other processes notice a release. */
async function latestReleaseId(store: Store): Promise<number> {
  const r = await store.db.selectFrom('release').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(r?.id ?? 0);
}

async function orgOrThrow(cache: ProgressCache, org: string): Promise<OrgInfo> {
  const orgs = await cache.orgUnits();
  const info = orgs.get(org);
  if (info) return info;
  throw new EduplanError('E_ORG_UNKNOWN', { problems: [{ path: 'org', value: org, rule: 'org_exists', message_zh: `机构代码 ${org} 不存在`, message_en: `org unit ${org} does not exist` }] });
}

/**
 * The one baseline of a series (基线), stated with its origin and year: the plan's for the
 * city; for a district or school its own published value in the plan's baseline year, or —
 * when it has none — in the next later year with data (Open SDG, anchors.md B1). Never the
 * city's plan baseline: a district measured from the city's figure shows "achieved" beside
 * a negative distance covered.
 */
function baselineFor(plan: PlanIndicatorShape, org: OrgInfo, published: readonly Point[]): ProgressItem['baseline'] {
  // The plan's baseline is the root's (the region the plan is for).
  if (org.parent_code === null) return { year: plan.baseline.year, value: plan.baseline.value, origin: 'plan' };
  const first = [...published].sort((a, b) => a.year - b.year).find((p) => p.year >= plan.baseline.year);
  return first ? { year: first.year, value: first.value, origin: 'data' } : null;
}

function progressItem(plan: PlanIndicatorShape, org: OrgInfo, cells: readonly ViewCell[], asOf: number, view: FigureView): ProgressItem {
  const published: Point[] = cells.filter((c) => !c.suppressed && c.value !== null).map((c) => ({ year: c.year, value: c.value as number }));
  const atOrBefore = cells.filter((c) => c.year <= asOf);
  const latestCell = atOrBefore.filter((c) => c.value !== null).at(-1) ?? null;
  const suppressed = latestCell?.suppressed ?? false;
  const explained = latestCell ?? cells.at(-1) ?? null;
  // The definition under the scope options the cell was computed with, so the explanation names the scope used.
  const def = definitionForScope(plan.code, (explained?.inputs as CellInputs | undefined)?.scope);
  const baseline = baselineFor(plan, org, published);
  const p = computeProgress({ direction: plan.direction, nature: plan.nature, unit: plan.unit, baseline, target: plan.target, series: suppressed ? [] : published, asOf });
  const explanation: Explanation = def
    ? explain({ def, org, cell: latestCell ? { numerator: latestCell.numerator, denominator: latestCell.denominator, inputs: latestCell.inputs as CellInputs } : explained ? { numerator: null, denominator: null, inputs: explained.inputs as CellInputs } : null, suppressed, target: plan.target, progress: p })
    : { formula_zh: '', formula_en: '', definition_zh: '', definition_en: '', inputs: [], sources: [], scope: [], disclosure_zh: '', disclosure_en: '', method_zh: '', method_en: '', text_zh: '该指标没有计算定义。', text_en: 'This indicator has no computation defined.' };
  return {
    code: plan.code, name_zh: plan.name_zh, name_en: plan.name_en, unit: plan.unit, category: plan.category, nature: plan.nature, direction: plan.direction,
    org_code: org.code, baseline, target: plan.target,
    value: suppressed ? null : round(p.value), year: suppressed ? (latestCell?.year ?? null) : p.year,
    status: p.status, ratio: round(p.ratio), method: p.method,
    distance_share: round(p.distance_share), time_share: round(p.time_share),
    projection: p.projection && !suppressed ? { year: p.projection.year, value: round(p.projection.value) ?? 0, method: p.projection.method } : null,
    met: plan.nature === 'binding' ? p.met : null,
    suppressed, explanation,
    release: view === 'public' ? (latestCell?.release ?? null) : null,
    provisional: view === 'provisional',
  };
}

/** What a progress request asks: year (default: the view's latest), org unit (default: the city), view (default public). */
export interface ProgressQuery { readonly year?: number | undefined; readonly org?: string | undefined; readonly view?: FigureView | undefined }


export async function getProgress(store: Store, q: ProgressQuery): Promise<ProgressItem[]> {
  const view = q.view ?? 'public';
  const cache = cacheFor(store, view);
  const org = q.org === undefined ? await cache.root() : await orgOrThrow(cache, q.org);
  const plan = await cache.planIndicators();
  const year = q.year ?? (await cache.latest()) ?? Math.max(...plan.map((p) => p.baseline.year));
  const series = await cache.orgSeries(org.code);
  return plan.map((pi) => progressItem(pi, org, series.get(pi.code) ?? [], year, view));
}

const publicPoint = (c: ViewCell): SeriesPoint => ({
  year: c.year,
  value: c.suppressed ? null : round(c.value),
  numerator: c.suppressed ? null : round(c.numerator),
  denominator: c.suppressed ? null : round(c.denominator),
  suppressed: c.suppressed,
  release: c.release ?? null,
});

function unknownIndicator(code: string): EduplanError {
  return new EduplanError('E_NOT_FOUND', { detail: `indicator ${code}`, problems: [{ path: 'code', value: code, rule: 'indicator_exists', message_zh: `指标 ${code} 不存在`, message_en: `indicator ${code} does not exist` }] });
}

/** The breakdowns a definition has, by dimension, each with whether its parts add up to the total (disclosure/operands.ts `partitionsTotal`). */
export function breakdownsOf(def: IndicatorDef | undefined): BreakdownInfo[] {
  if (def?.kind !== 'ratio') return [];
  const parts = def.disaggregations ?? [];
  return dimensionsOf(parts).map((dim) => {
    const mine = parts.filter((p) => dimensionOf(p.key) === dim);
    const adds = (op: typeof def.numerator): boolean => op.kind === 'reference' || partitionsTotal(op, mine);
    const info = dimensionInfo[dim];
    return { dimension: dim, name_zh: info.name_zh, name_en: info.name_en, of: info.of, parts: mine.map((p) => ({ key: p.key, name_zh: p.name_zh, name_en: p.name_en })), additive: def.numerator.kind !== 'reference' && adds(def.numerator) && adds(def.denominator) };
  });
}

/**
 * The parts a `disaggregation=` request names (`sex`, `sex:f`, `sex,area`), in the
 * definition's order; a dimension or part the indicator does not have is a 400 that lists
 * the ones it has.
 */
export function requestedParts(def: IndicatorDef | undefined, code: string, request: string | undefined): Disaggregation[] {
  if (request === undefined || request === '') return [];
  const parts = def?.kind === 'ratio' ? (def.disaggregations ?? []) : [];
  const wanted = new Set<string>();
  const problems = [];
  for (const token of request.split(',')) {
    const hit = parts.filter((p) => p.key === token || dimensionOf(p.key) === token);
    if (hit.length === 0) {
      const has = dimensionsOf(parts);
      const known = (breakdownDimensions as readonly string[]).includes(dimensionOf(token) ?? token);
      problems.push({
        path: 'disaggregation', value: token, rule: 'breakdown_exists',
        message_zh: `指标 ${code} 没有分组“${token}”${known ? '' : '（未知的分组维度）'}；可用：${has.length > 0 ? has.join('、') : '无'}`,
        message_en: `indicator ${code} has no breakdown "${token}"${known ? '' : ' (unknown dimension)'}; available: ${has.length > 0 ? has.join(', ') : 'none'}`,
      });
    }
    for (const p of hit) wanted.add(p.key);
  }
  if (problems.length > 0) throw new EduplanError('E_INPUT_INVALID', { problems });
  return parts.filter((p) => wanted.has(p.key));
}

/** One indicator's series at `orgCode` (default: the root). */
export async function getSeries(store: Store, code: string, orgCode?: string, view: FigureView = 'public', disaggregation?: string): Promise<SeriesResponse> {
  const cache = cacheFor(store, view);
  const def = indicatorByCode.get(code);
  const plan = (await cache.planIndicators().catch(() => [])).find((p) => p.code === code) ?? null;
  if (!def && !plan) throw unknownIndicator(code);
  const org = orgCode === undefined ? await cache.root() : await orgOrThrow(cache, orgCode);
  const wanted = requestedParts(def, code, disaggregation);
  const cells = (await cache.orgSeries(org.code)).get(code) ?? [];
  const published = cells.filter((c) => !c.suppressed && c.value !== null).map((c) => ({ year: c.year, value: c.value as number }));
  const baseline = plan ? baselineFor(plan, org, published) : null;
  const partCells = wanted.length === 0 ? [] : (await cache.cells({ indicator: code, org_code: org.code })).filter((c) => c.disaggregation !== '');
  const parts: BreakdownSeries[] = wanted.map((p) => ({
    key: p.key, dimension: dimensionOf(p.key) ?? '', name_zh: p.name_zh, name_en: p.name_en,
    points: partCells.filter((c) => c.disaggregation === p.key).map(publicPoint),
  }));
  return {
    code, org: org.code, name_zh: plan?.name_zh ?? def?.name_zh ?? code, name_en: plan?.name_en ?? def?.name_en ?? code, unit: plan?.unit ?? def?.unit ?? '',
    baseline, target: plan?.target ?? null,
    points: cells.map(publicPoint),
    trajectory: plan ? trajectory(baseline, plan.target, plan.direction).map((p) => ({ year: p.year, value: round(p.value) ?? 0 })) : [],
    provisional: view === 'provisional',
    breakdowns: breakdownsOf(def),
    disaggregation: parts,
  };
}

/**
 * The values of the units directly under the root (Tianjin's 16 districts) for one indicator and year (for comparisons and maps), each with
 * its progress status (computed as /api/progress does for that district: its own baseline,
 * published values only); districts without data have value null.
 */
export async function getDistrictValues(store: Store, code: string, year?: number, view: FigureView = 'public'): Promise<DistrictValue[]> {
  const cache = cacheFor(store, view);
  if (!indicatorByCode.has(code)) throw unknownIndicator(code);
  const y = year ?? (await cache.latest());
  const top = await cache.topUnits();
  const cells = y === null ? [] : await cache.cells({ indicator: code, year: y, disaggregation: '' });
  const byOrg = new Map(cells.map((c) => [c.org_code, c]));
  const plan = (await cache.planIndicators().catch(() => [])).find((p) => p.code === code) ?? null;
  return Promise.all(top.map(async (d): Promise<DistrictValue> => {
    const c = byOrg.get(d.code);
    const status = plan && y !== null ? progressItem(plan, d, (await cache.orgSeries(d.code)).get(code) ?? [], y, view).status : null;
    return c ? { org_code: d.code, name_zh: d.name_zh, name_en: d.name_en, ...publicPoint(c), status } : { org_code: d.code, name_zh: d.name_zh, name_en: d.name_en, year: y, value: null, numerator: null, denominator: null, suppressed: false, release: null, status };
  }));
}


/**
 * The workspace's provisional figures (暂定数据) for one org unit: progress as `getProgress`
 * computes it, from the latest computed cells rather than the released ones, brought up to
 * date first. Only roles that read progress, and only within their scope: a district sees
 * its own district and schools, the city everything.
 */
export async function provisionalProgress(deps: RecomputeDeps, actor: Actor, q: { year?: number | undefined; org?: string | undefined }): Promise<ProgressItem[]> {
  const sdeps = { store: deps.store, clock: deps.clock };
  await requireAction(sdeps, actor, 'progress.read');
  const org = q.org ?? (await cacheFor(deps.store, 'provisional').root()).code;
  const path = await orgPath(deps.store.db, org);
  if (path === null) throw new EduplanError('E_ORG_UNKNOWN', { problems: [{ path: 'org', value: org, rule: 'org_exists', message_zh: `机构代码 ${org} 不存在`, message_en: `org unit ${org} does not exist` }] });
  if (!mayDoAt(actor.account.grants, 'progress.read', path)) await deny(sdeps, actor, 'progress.read', { type: 'org_unit', id: org, org });
  await ensureFresh(deps);
  return getProgress(deps.store, { ...q, org, view: 'provisional' });
}
