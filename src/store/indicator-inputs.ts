/**
 * How the indicator recompute reads its inputs from the store (services/indicators.ts does
 * the arithmetic). The shapes are chosen for the embedded database: on PGlite row transfer
 * is what costs (tens of µs a row across its worker thread), so each read comes back as ONE
 * text value, a line per row, which the service parses in place. The sums per school and
 * atom are a GROUP BY in the database, read in bounded slices of org units (issue 19).
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

/** A bounded piece of `data_value` to read: a range of org codes (in the database's own order), or listed org units. */
export type OrgSlice =
  | { readonly kind: 'range'; readonly after: string | null; readonly upTo: string | null }
  | { readonly kind: 'codes'; readonly codes: readonly string[] };

/**
 * Batch boundaries over `org_unit.code` in the database's collation (a JavaScript sort could
 * order codes differently and make two ranges overlap): every `size`-th code, so each slice
 * holds at most `size` org units.
 */
export async function orgSlices(db: Kysely<Database>, size: number): Promise<OrgSlice[]> {
  const r = await sql<{ code: string }>`
    SELECT code FROM (SELECT code, row_number() OVER (ORDER BY code) AS n FROM org_unit) x
    WHERE n % ${size} = 0 ORDER BY code`.execute(db);
  const bounds = r.rows.map((x) => x.code);
  const out: OrgSlice[] = [];
  let after: string | null = null;
  for (const b of bounds) { out.push({ kind: 'range', after, upTo: b }); after = b; }
  out.push({ kind: 'range', after, upTo: null });
  return out;
}

const sliceWhere = (slice: OrgSlice) => {
  if (slice.kind === 'codes') return sql`d.org_code = ANY(${`{${slice.codes.map((c) => `"${c.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[])`;
  const lo = slice.after === null ? sql`TRUE` : sql`d.org_code > ${slice.after}`;
  const hi = slice.upTo === null ? sql`TRUE` : sql`d.org_code <= ${slice.upTo}`;
  return sql`${lo} AND ${hi}`;
};

/** Positive integers print as bigint: float8 to text cost a third of the read (measured); Number() reads both the same. */
const valueText = (v: string) => sql.raw(`CASE WHEN ${v} > 0 AND ${v} < 1e15 AND ${v} = trunc(${v}) THEN ${v}::bigint::text ELSE ${v}::text END`);

export interface SliceInputs {
  /** `org,year,atom,sum` lines: each org unit's sum per atom, summed by the database. */
  readonly atoms: string;
  /** `org,year,element,value` lines: the rows 优质均衡 reads (`balanced` codes and `enrol.g…`). */
  readonly balanced: string;
}

/**
 * One slice of a year's inputs, aggregated by the database: `GROUP BY org_code, year, atom`
 * over the (code → atom) pairs, so Node receives one line per org unit and atom (~57) instead
 * of one per data value, and never more than a slice at a time (issue 19: the one-value read
 * of every data value hit PGlite's and Node's string limits). Each piece comes back as ONE text
 * value: on PGlite rows cost tens of µs each across its worker thread. The GROUP BY includes
 * `org_code` and the join partner is a literal array, so Citus pushes the whole query down to
 * the shards of a table distributed by `org_code`.
 */
export async function sliceInputs(db: Kysely<Database>, year: number, pairs: { readonly codes: readonly string[]; readonly atoms: readonly number[] }, balancedCodes: readonly string[], slice: OrgSlice): Promise<SliceInputs> {
  const where = sliceWhere(slice);
  const r = await sql<{ atoms: string | null; balanced: string | null }>`
    SELECT
      (SELECT string_agg(g.org_code || ',' || g.year || ',' || g.atom || ',' || ${valueText('g.v')}, E'\n')
       FROM (SELECT d.org_code, d.year, w.atom, sum(d.value) AS v
             FROM data_value d JOIN unnest(${`{${pairs.codes.join(',')}}`}::text[], ${`{${pairs.atoms.join(',')}}`}::int[]) AS w(code, atom) ON w.code = d.element
             WHERE d.year = ${year} AND ${where}
             GROUP BY d.org_code, d.year, w.atom) g) AS atoms,
      (SELECT string_agg(d.org_code || ',' || d.year || ',' || d.element || ',' || ${valueText('d.value')}, E'\n')
       FROM data_value d
       WHERE d.year = ${year} AND ${where} AND (d.element LIKE 'enrol.g%' OR d.element = ANY(${`{${balancedCodes.join(',')}}`}::text[]))) AS balanced`.execute(db);
  return { atoms: r.rows[0]?.atoms ?? '', balanced: r.rows[0]?.balanced ?? '' };
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
