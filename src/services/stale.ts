/**
 * Stale marks (过期标记) for the recompute policy (services/recompute.ts): a change records,
 * in its own transaction, the academic years whose figures it made out of date. Kept apart
 * from the recompute itself so that services the indicators read (assessments) can mark
 * without importing the indicator engine.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

/**
 * Record, in the caller's transaction, that these academic years' figures are out of date.
 * `orgCodes`: the schools whose data changed, when the change is confined to them (an
 * approved submission); the recompute then re-reads only those schools (incremental).
 * Without it the whole year is re-read.
 */
export async function markStale(db: Kysely<Database>, at: Date, years: Iterable<number>, cause: string, orgCodes?: Iterable<string>): Promise<void> {
  const list = [...new Set(years)].filter((y) => Number.isInteger(y));
  if (list.length === 0) return;
  const orgs: Array<string | null> = orgCodes === undefined ? [null] : [...new Set(orgCodes)];
  if (orgs.length === 0) return;
  const c = cause.slice(0, 200);
  await db.insertInto('indicator_stale').values(list.flatMap((year) => orgs.map((org_code) => ({ year, cause: c, marked_at: at, org_code })))).execute();
}

/** A stale mark as the recompute reads it: which year, and which school (null = the whole year). */
export interface StaleMark {
  readonly year: number;
  readonly org_code: string | null;
}

/** The marks at or below `highWater` (the recompute's snapshot of what it answers for). */
export async function staleMarks(db: Kysely<Database>, highWater: number): Promise<StaleMark[]> {
  if (highWater === 0) return [];
  return db.selectFrom('indicator_stale').select(['year', 'org_code']).where('id', '<=', highWater).execute();
}

export interface StaleYear {
  readonly year: number;
  /** The oldest change not yet reflected in the figures (ISO instant). */
  readonly since: string;
  readonly causes: readonly string[];
}

/** Years whose provisional figures are out of date, oldest change first. */
export async function staleYears(store: Store): Promise<StaleYear[]> {
  const rows = await store.db.selectFrom('indicator_stale').select(['year', 'cause', 'marked_at']).orderBy('year').orderBy('id').execute();
  const byYear = new Map<number, { since: Date; causes: string[] }>();
  for (const r of rows) {
    const y = byYear.get(r.year);
    if (!y) byYear.set(r.year, { since: new Date(r.marked_at), causes: [r.cause] });
    else if (y.causes.length < 20 && !y.causes.includes(r.cause)) y.causes.push(r.cause);
  }
  return [...byYear].map(([year, y]) => ({ year, since: y.since.toISOString(), causes: y.causes }));
}

