/**
 * The plan (规划) and its versions, one owner per use case:
 *
 *   validateDir   read and check a plan directory (docs/plan-format.md), every problem listed
 *   loadDir       store it as the next version when its content changed (the console, the first start)
 *   currentPlan   the plan as the API and `plan show` present it: a stored version, or the bundled plan
 *   planVersions  every stored version with its number of changes
 *
 * Only this module reads plan directories (src/ingest/plan-files.ts). `loadPlan` stores a
 * new row in `plan_version` only when the content changed (sha256 of the canonical JSON),
 * and records what changed against the previous version — a mid-term revision (中期调整)
 * stays auditable. Other services read the plan through `getCurrentPlan`.
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { canonicalJson, diffPlans, type PlanChange } from '../core/plan/diff.ts';
import { planSchema, type Plan } from '../core/plan/schema.ts';
import type { LoadPlanResult, PlanDirRequest, PlanOrigin, PlanQuery, PlanVersions, PlanView } from '../contract/plan.ts';
import { readPlanDir } from '../ingest/plan-files.ts';
import type { Store } from '../store/store.ts';
import type { ServiceDeps, SystemCaller } from './deps.ts';

export type { LoadPlanResult } from '../contract/plan.ts';

export interface StoredPlan {
  readonly plan: Plan;
  readonly version: number;
  readonly content_hash: string;
  readonly loaded_at: Date;
  readonly changes: readonly PlanChange[];
}

/** Absolute path of the plan bundled with the product (plans/tianjin-2021-2025). */
export function bundledPlanDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../plans/tianjin-2021-2025');
}

export function planContentHash(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

/**
 * Store `plan` as the next version of its plan code unless the latest stored version
 * has the same content. Serialised per plan code (advisory lock) so two concurrent
 * loads cannot both claim the same version number.
 */
export async function loadPlan(store: Store, plan: Plan, clock: () => Date): Promise<LoadPlanResult> {
  // Re-validate: callers may build a Plan in code, and the stored document is what
  // every other service trusts.
  const valid = planSchema.parse(plan);
  const hash = planContentHash(valid);
  return store.transaction(async ({ db }) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`plan_version:${valid.code}`}))`.execute(db);
    const latest = await db
      .selectFrom('plan_version')
      .select(['version', 'content_hash', 'document'])
      .where('plan_code', '=', valid.code)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.content_hash === hash) {
      return { plan_code: valid.code, version: latest.version, changed: false, changes: [], content_hash: hash };
    }
    const changes = latest ? diffPlans(latest.document, JSON.parse(JSON.stringify(valid)) as unknown) : [];
    const version = (latest?.version ?? 0) + 1;
    await db
      .insertInto('plan_version')
      .values({
        plan_code: valid.code,
        version,
        content_hash: hash,
        loaded_at: clock().toISOString(),
        document: JSON.stringify(valid),
        changes: JSON.stringify(changes),
      })
      .execute();
    return { plan_code: valid.code, version, changed: true, changes, content_hash: hash };
  });
}

/** The most recently loaded plan version (any plan code), or null when none is loaded. */
export async function getCurrentPlanVersion(store: Store, planCode?: string): Promise<StoredPlan | null> {
  let q = store.db.selectFrom('plan_version').select(['version', 'content_hash', 'loaded_at', 'document', 'changes']);
  if (planCode !== undefined) q = q.where('plan_code', '=', planCode);
  const row = await q.orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toStored(row) : null;
}


function toStored(row: { version: number; content_hash: string; loaded_at: Date; document: unknown; changes: unknown }): StoredPlan {
  const document = typeof row.document === 'string' ? (JSON.parse(row.document) as unknown) : row.document;
  const changes = typeof row.changes === 'string' ? (JSON.parse(row.changes) as unknown) : row.changes;
  const parsed = planSchema.safeParse(document);
  if (!parsed.success) {
    // A version stored by an older release that the current schema no longer accepts:
    // say which version and how to move on, rather than a bare validation error.
    throw new EduplanError('E_PLAN_INVALID', {
      detail: `stored plan version ${row.version} does not match the current plan schema (${parsed.error.issues.length} issue(s), first at ${parsed.error.issues[0]?.path.join('.') ?? '(root)'}); run \`eduplan plan load\` to store a valid version`,
    });
  }
  return {
    plan: parsed.data,
    version: row.version,
    content_hash: row.content_hash,
    loaded_at: row.loaded_at instanceof Date ? row.loaded_at : new Date(String(row.loaded_at)),
    changes: Array.isArray(changes) ? (changes as PlanChange[]) : [],
  };
}

/** One stored version of a plan, or null. */
export async function getPlanVersion(store: Store, planCode: string, version: number): Promise<StoredPlan | null> {
  const row = await store.db
    .selectFrom('plan_version')
    .select(['version', 'content_hash', 'loaded_at', 'document', 'changes'])
    .where('plan_code', '=', planCode)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? toStored(row) : null;
}

export async function getCurrentPlan(store: Store, planCode?: string): Promise<Plan | null> {
  return (await getCurrentPlanVersion(store, planCode))?.plan ?? null;
}

/** Every stored version of a plan, newest first, without the documents. */
export async function listPlanVersions(store: Store, planCode: string): Promise<Array<{ version: number; content_hash: string; loaded_at: Date; changes: number }>> {
  const rows = await store.db
    .selectFrom('plan_version')
    .select(['version', 'content_hash', 'loaded_at', 'changes'])
    .where('plan_code', '=', planCode)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    content_hash: r.content_hash,
    loaded_at: r.loaded_at instanceof Date ? r.loaded_at : new Date(String(r.loaded_at)),
    changes: Array.isArray(r.changes) ? r.changes.length : 0,
  }));
}

/**
 * The plan as the API and `plan show --json` present it: the validated document plus
 * where it came from. Indicators keep every schema field (code, category, name_zh,
 * name_en, unit, nature, direction, baseline, target, …).
 */
function planView(plan: Plan, origin: PlanOrigin): PlanView {
  return { ...plan, origin };
}

const storedOrigin = (s: StoredPlan): PlanOrigin => ({ source: 'store', version: s.version, loaded_at: s.loaded_at.toISOString() });

/** Read and check a plan directory (default: the plan bundled with the product); touches no store. */
export function validateDir(input: PlanDirRequest): Promise<Plan> {
  return readPlanDir(input.dir ?? bundledPlanDir());
}

/**
 * Store a plan directory's plan — or a plan `validateDir` has already read — as the next
 * version unless unchanged. The system's job (the operator's console, the first start):
 * no account loads a plan.
 */
export async function loadDir(deps: ServiceDeps, _caller: SystemCaller, input: PlanDirRequest | { plan: Plan }): Promise<LoadPlanResult> {
  const plan = 'plan' in input ? input.plan : await validateDir(input);
  return loadPlan(deps.store, plan, deps.clock);
}

/**
 * The current plan: the latest stored version (or `version`, which must be stored), else
 * the bundled plan when none is loaded yet. Public.
 */
export async function currentPlan(deps: ServiceDeps, input: PlanQuery): Promise<PlanView> {
  const stored = await getCurrentPlanVersion(deps.store);
  if (input.version !== undefined) {
    const wanted = stored ? await getPlanVersion(deps.store, stored.plan.code, input.version) : null;
    if (!wanted) throw new EduplanError('E_NOT_FOUND', { detail: `plan version ${input.version} is not stored` });
    return planView(wanted.plan, storedOrigin(wanted));
  }
  if (stored) return planView(stored.plan, storedOrigin(stored));
  return planView(await validateDir({}), { source: 'bundled', version: null, loaded_at: null });
}

/** Every stored version of the current plan, newest first; E_PLAN_NOT_LOADED before the first load. */
export async function planVersions(deps: ServiceDeps): Promise<PlanVersions> {
  const current = await getCurrentPlanVersion(deps.store);
  if (!current) throw new EduplanError('E_PLAN_NOT_LOADED');
  const versions = await listPlanVersions(deps.store, current.plan.code);
  return { plan_code: current.plan.code, versions: versions.map((v) => ({ ...v, loaded_at: v.loaded_at.toISOString() })) };
}
