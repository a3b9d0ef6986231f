import { sql, type Kysely } from 'kysely';

/**
 * Incremental recompute (issue 19): a stale mark (`indicator_stale`) may name the org unit
 * whose data changed (`org_code`, a school for an approved submission). The recompute then
 * re-reads only the marked schools of that year; a mark without `org_code` (an import, an
 * assessment step, a scope change) still means "the whole year". No foreign key: a mark
 * outlives nothing it names, and on Citus the table stays a plain coordinator table.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE indicator_stale ADD COLUMN org_code text`.execute(db);
}
