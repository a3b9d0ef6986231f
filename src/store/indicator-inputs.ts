/**
 * How the indicator recompute reads its inputs from the store (services/indicators.ts does
 * the arithmetic). The shapes are chosen for the embedded database: on PGlite row transfer
 * is what costs (tens of µs a row across its worker thread), so each read comes back as ONE
 * text value, a line per row, which the service parses in place. A GROUP BY in the database
 * was measured slower on PGlite. (Issue 19 replaces this with SQL aggregation for scale.)
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

/**
 * Every org unit as `code|level|parent|type|ownership|inclusive|urban_rural|name_zh`, one
 * per line. The name goes last: everything after the 7th '|' is the name, with its
 * backslashes and line breaks escaped (\\ and \n) so that one line is one org unit.
 */
export async function orgUnitLines(db: Kysely<Database>): Promise<string> {
  const r = await sql<{ t: string | null }>`
    SELECT string_agg(code || '|' || level || '|' || coalesce(parent_code, '') || '|' || coalesce(school_type, '') || '|' || coalesce(ownership, '') || '|' || coalesce(inclusive::text, '') || '|' || coalesce(urban_rural, '') || '|' || replace(replace(name_zh, '\\', '\\\\'), E'\n', '\\n'), E'\n') AS t
    FROM org_unit`.execute(db);
  return r.rows[0]?.t ?? '';
}

/**
 * The data values of `years` whose element is one of `codes` (or an `enrol.g…` code), as
 * `org,year,element,value` lines, where `element` is the code's 1-based position in `codes`
 * (or the code itself for the `enrol.g…` codes outside the list).
 *
 * The element filter is a hash join on the wanted codes: `element = ANY(<160 codes>)`
 * compares each row with every code and cost more than the scan itself (measured). The join
 * also gives each code's position, sent instead of the code (half the text, no substring or
 * map lookup per line in the parser), and positive integers are printed as bigint: float8 to
 * text was a third of the query's time; Number() reads both the same.
 */
export async function dataValueLines(db: Kysely<Database>, years: readonly number[], codes: readonly string[]): Promise<string> {
  if (years.length === 0) return '';
  const r = await sql<{ t: string | null }>`
    SELECT string_agg(d.org_code || ',' || d.year || ',' || coalesce(w.i::text, d.element) || ',' ||
      CASE WHEN d.value > 0 AND d.value < 1e15 AND d.value = trunc(d.value) THEN d.value::bigint::text ELSE d.value::text END, E'\n') AS t
    FROM data_value d LEFT JOIN unnest(${`{${codes.join(',')}}`}::text[]) WITH ORDINALITY AS w(code, i) ON w.code = d.element
    WHERE d.year = ANY(${`{${years.join(',')}}`}::int[]) AND (w.i IS NOT NULL OR d.element LIKE 'enrol.g%')`.execute(db);
  return r.rows[0]?.t ?? '';
}

/**
 * After a write that deleted many rows of `table`: PGlite runs without autovacuum, so each
 * recompute left its deleted rows dead and the next COPY checked every new key against them
 * in the primary key — the write got slower run after run (measured). PostgreSQL's
 * autovacuum does this itself.
 */
export async function reclaimDeletedRows(store: Store, table: 'indicator_value'): Promise<void> {
  if (store.kind === 'pglite') await sql`VACUUM ${sql.table(table)}`.execute(store.db);
}
