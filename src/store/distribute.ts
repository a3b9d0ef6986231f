/**
 * Distributed mode (分布式模式): when the database is a Citus coordinator, place every table
 * on the cluster. docs/scale.md says per table why it goes where it goes.
 *
 * - Distributed by `org_code`, all in one colocation group, so a school's rows of every
 *   large table sit on the same shard and per-school joins and GROUP BYs run on the workers:
 *   the student records (their year partitions follow the parent), `data_value`,
 *   `student_school_year`, `indicator_value`, `reference_value`. Their keys already include
 *   `org_code`, which Citus requires of a distributed table's primary and unique keys.
 * - Reference tables (a copy on every node, so a worker joins with them locally): the
 *   small tables the large ones are read with (`org_unit`) and the small read-mostly ones
 *   whose foreign keys stay among reference tables (accounts, plan, forms' deadlines, options).
 * - Everything else stays on the coordinator as a Citus local table: in Citus's metadata,
 *   so queries may join it with the distributed tables, but stored once. That is where the
 *   audit chain must be (one sequence and one advisory lock order its links) and where the
 *   tables with serial ids, triggers or foreign keys to other coordinator tables live.
 *
 * Idempotent and incremental: a table already in `citus_tables` is left as it is, so this
 * runs after the migrations on every open, and a table a later migration creates is placed
 * the next time. On PGlite and plain PostgreSQL nothing happens.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Colocated, distributed by org_code; the first is the group's anchor. */
export const DISTRIBUTED_TABLES = ['data_value', 'student_fitness', 'vision_screening', 'student_school_year', 'indicator_value', 'reference_value'] as const;

/**
 * Reference tables, in an order where a table's foreign keys point only at tables before
 * it (Citus requires a reference table's foreign keys to reach reference tables only).
 */
export const REFERENCE_TABLES = [
  // org_level (migration 0017, levels as data): org_unit and indicator_value reference it.
  'org_level', 'org_unit', 'account', 'plan_version', 'plan_unit', 'plan_owner', 'plan_milestone', 'plan_file',
  'form_deadline', 'indicator_option', 'release_threshold', 'credit_framework_level', 'target_entry',
] as const;

/** Kysely's migration bookkeeping: read and written by the migrator alone, never joined. */
const LEFT_ALONE = new Set(['eduplan_migration', 'eduplan_migration_lock']);

export interface Placement {
  readonly table: string;
  readonly as: 'distributed' | 'reference' | 'local';
}

/** Whether this database has the citus extension (a Citus coordinator). */
export async function isCitus(db: Kysely<Database>): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

/**
 * Place every table not yet in Citus's metadata; returns what was placed (empty when the
 * database is no Citus coordinator or everything was already placed).
 */
export async function distributeTables(db: Kysely<Database>): Promise<Placement[]> {
  if (!(await isCitus(db))) return [];
  // Processes opening one new database together: one places, the others then find it done.
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${sql.lit(DISTRIBUTE_LOCK)})`.execute(conn);
    try {
      return await place(conn);
    } finally {
      await sql`SELECT pg_advisory_unlock(${sql.lit(DISTRIBUTE_LOCK)})`.execute(conn);
    }
  });
}

/** An arbitrary constant of our own, serialising `distributeTables` between processes. */
const DISTRIBUTE_LOCK = 7_204_511_390;

async function place(db: Kysely<Database>): Promise<Placement[]> {
  const placed = new Set((await sql<{ t: string }>`SELECT table_name::text AS t FROM citus_tables`.execute(db)).rows.map((r) => r.t));
  // Top-level tables of this schema (a year partition follows its parent).
  const all = (await sql<{ t: string }>`SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`.execute(db)).rows.map((r) => r.t);
  const present = new Set(all);
  const done: Placement[] = [];
  for (const t of REFERENCE_TABLES) {
    if (!present.has(t) || placed.has(t)) continue;
    await sql`SELECT create_reference_table(${t})`.execute(db);
    placed.add(t);
    done.push({ table: t, as: 'reference' });
  }
  const anchor = DISTRIBUTED_TABLES[0];
  for (const t of DISTRIBUTED_TABLES) {
    if (!present.has(t) || placed.has(t)) continue;
    const colocateWith = t === anchor ? 'default' : anchor;
    await sql`SELECT create_distributed_table(${t}, 'org_code', colocate_with => ${colocateWith})`.execute(db);
    placed.add(t);
    done.push({ table: t, as: 'distributed' });
  }
  for (const t of all) {
    if (placed.has(t) || LEFT_ALONE.has(t)) continue;
    // A table with a foreign key to a reference table was made a Citus local table when
    // that reference table was created (Citus converts it); the check above sees it next time.
    const already = await sql<{ n: number }>`SELECT count(*)::int AS n FROM citus_tables WHERE table_name = ${t}::regclass`.execute(db);
    if ((already.rows[0]?.n ?? 0) === 0) {
      await sql`SELECT citus_add_local_table_to_metadata(${t}, cascade_via_foreign_keys => true)`.execute(db);
    }
    placed.add(t);
    done.push({ table: t, as: 'local' });
  }
  return done;
}

/** One table as Citus's metadata lists it (`citus_tables`). */
export interface CitusTable {
  readonly table: string;
  readonly as: Placement['as'];
  readonly distribution_column: string | null;
  readonly colocation_id: number | null;
  readonly shard_count: number;
}

/** The coordinator's Citus version and active workers, and every table in `citus_tables` (partitions included), by name. */
export async function readCitusPlacement(db: Kysely<Database>): Promise<{ version: string; workers: number; tables: CitusTable[] }> {
  const version = (await sql<{ v: string }>`SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'`.execute(db)).rows[0]?.v ?? '';
  const workers = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM citus_get_active_worker_nodes()`.execute(db)).rows[0]?.n ?? 0;
  const rows = (await sql<{ t: string; k: string; col: string | null; colocation: number | null; shards: number }>`
    SELECT table_name::text AS t, citus_table_type AS k, NULLIF(distribution_column, '<none>') AS col, colocation_id AS colocation, shard_count::int AS shards
    FROM citus_tables ORDER BY table_name::text`.execute(db)).rows;
  const kind = (k: string): Placement['as'] => (k === 'distributed' ? 'distributed' : k === 'reference' ? 'reference' : 'local');
  return {
    version, workers,
    tables: rows.map((r) => ({ table: r.t, as: kind(r.k), distribution_column: kind(r.k) === 'distributed' ? r.col : null, colocation_id: kind(r.k) === 'distributed' ? Number(r.colocation) : null, shard_count: Number(r.shards) })),
  };
}
