/**
 * What every plan-execution use case reads first: the current plan (the latest stored
 * version, else the bundled one), its targets, items and registries, and the org units —
 * memoised per store and plan version.
 */
import { EduplanError } from '../../core/errors.ts';
import { planItems, type PlanItem } from '../../core/plan-execution/items.ts';
import { planTargets, type PlanTarget } from '../../core/plan-execution/targets.ts';
import { OrgTree, type LevelModel } from '../../core/org/levels.ts';
import type { OrgLookup, Registry } from '../../core/plan/registry.ts';
import type { Plan } from '../../core/plan/schema.ts';
import type { Store } from '../../store/store.ts';
import { readLevelModel } from '../org-tree.ts';
import { bundledPlanDir, getCurrentPlanVersion } from '../plan.ts';

export interface PlanContext {
  readonly plan: Plan;
  /** The stored version (null: the bundled plan, nothing stored yet). */
  readonly version: number | null;
  readonly targets: readonly PlanTarget[];
  readonly targetById: ReadonlyMap<string, PlanTarget>;
  readonly items: readonly PlanItem[];
  readonly itemByCode: ReadonlyMap<string, PlanItem>;
  readonly registries: ReadonlyMap<string, Registry>;
}

const memo = new WeakMap<Store, { key: string; ctx: PlanContext }>();

function build(plan: Plan, version: number | null): PlanContext {
  const targets = planTargets(plan);
  const items = planItems(plan);
  return {
    plan, version, targets, targetById: new Map(targets.map((t) => [t.id, t])),
    items, itemByCode: new Map(items.map((i) => [i.code, i])),
    registries: new Map(plan.registries.map((r) => [r.id, r])),
  };
}

export async function planContext(store: Store): Promise<PlanContext> {
  const latest = await store.db.selectFrom('plan_version').select(['id', 'content_hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const key = latest ? `${latest.id}:${latest.content_hash}` : 'bundled';
  const cached = memo.get(store);
  if (cached?.key === key) return cached.ctx;
  let ctx: PlanContext;
  if (latest) {
    const stored = await getCurrentPlanVersion(store);
    if (!stored) throw new EduplanError('E_PLAN_NOT_LOADED');
    ctx = build(stored.plan, stored.version);
  } else {
    const { readPlanDir } = await import('../../ingest/plan-files.ts');
    ctx = build(await readPlanDir(bundledPlanDir()), null);
  }
  memo.set(store, { key, ctx });
  return ctx;
}

export function registryOrThrow(ctx: PlanContext, id: string): Registry {
  const r = ctx.registries.get(id);
  if (!r) throw new EduplanError('E_REGISTRY_UNKNOWN', { detail: id, problems: [{ path: 'registry', value: id, rule: 'registry_exists', message_zh: `名录 ${id} 不存在（已有：${[...ctx.registries.keys()].join('、')}）`, message_en: `registry ${id} does not exist (known: ${[...ctx.registries.keys()].join(', ')})` }] });
  return r;
}

export function itemOrThrow(ctx: PlanContext, code: string): PlanItem {
  const i = ctx.itemByCode.get(code);
  if (!i) throw new EduplanError('E_PLAN_ITEM_UNKNOWN', { detail: code, problems: [{ path: 'item', value: code, rule: 'item_exists', message_zh: `规划事项 ${code} 不存在`, message_en: `plan item ${code} does not exist` }] });
  return i;
}

export function targetOrThrow(ctx: PlanContext, id: string): PlanTarget {
  const t = ctx.targetById.get(id);
  if (!t) throw new EduplanError('E_TARGET_UNKNOWN', { detail: id, problems: [{ path: 'target', value: id, rule: 'target_exists', message_zh: `规划目标 ${id} 不存在`, message_en: `plan target ${id} does not exist` }] });
  return t;
}

export interface OrgRow {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly level: string;
  readonly parent_code: string | null;
  readonly school_type: string | null;
  readonly opened: string | null;
  readonly closed: string | null;
}

export async function orgRows(store: Store): Promise<OrgRow[]> {
  return store.db.selectFrom('org_unit').select(['code', 'name_zh', 'name_en', 'level', 'parent_code', 'school_type', 'opened', 'closed']).execute();
}

/** The org units as the plan-execution validators see them: with each unit's place in the region's tree and its top unit. */
export function orgLookupOf(rows: readonly OrgRow[], model: LevelModel): OrgLookup {
  const tree = new OrgTree(rows, model);
  return (code) => {
    const r = tree.get(code);
    const place = tree.placeOf(code);
    return r && place ? { ...r, place, top: tree.topOf(code) } : undefined;
  };
}

/** The stored org units as an OrgLookup (one read of the units and the levels). */
export async function storedOrgLookup(store: Store): Promise<OrgLookup> {
  const [rows, model] = await Promise.all([orgRows(store), readLevelModel(store.db)]);
  return orgLookupOf(rows, model);
}
