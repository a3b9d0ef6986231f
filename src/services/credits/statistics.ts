/**
 * The credit bank's statistics (学分累积与转换统计, issue 18 "Statistics"): credits accumulated
 * (outcomes registered) and converted (recognitions granted) per calendar year, source kind
 * and the unit directly under the root the institution lies in (Tianjin: its district), under
 * disclosure control. Signed-in users read them
 * live; the public reads only the copies a release makes (src/services/releases.ts calls
 * `snapshotCreditStatistics` in its transaction), as for every other published figure.
 */
import { sql, type Kysely } from 'kysely';
import type { SourceKind } from '../../core/credits/rules.ts';
import type { CreditStats, PublishedCreditStats } from '../../contract/credits.ts';
import type { Database } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { readOrgTree } from '../org-tree.ts';

/** Fewer learners than this in a cell and its numbers are withheld (docs/indicators.md "Disclosure control": 10 persons). */
export const MIN_LEARNERS = 10;

/** The statistics of every year, or of one calendar year; a cell with fewer than 10 learners carries no numbers. */
export async function computeCreditStats(db: Kysely<Database>, year?: number): Promise<CreditStats> {
  // An institution counts for the unit directly under the root that it lies in (Tianjin: its
  // district; a province: its prefecture city, not a school's county); one run by the root
  // itself counts for the root. From the level model (org-tree.ts), not from level codes.
  const institutions = await db.selectFrom('credit_institution').select(['code', 'org_code']).execute();
  const tree = await readOrgTree(db);
  const instCodes = institutions.map((i) => i.code);
  const unitCodes = institutions.map((i) => tree.topOf(i.org_code) ?? i.org_code);
  const r = await sql<{ year: number; district_code: string; source_kind: SourceKind; learners: number; accumulated: number; recognised: number }>`
    WITH inst AS (
      SELECT code, district_code FROM unnest(${instCodes}::text[], ${unitCodes}::text[]) AS t(code, district_code)
    ), acc AS (
      SELECT extract(year FROM c.issued_on)::int AS year, inst.district_code, c.kind AS source_kind, c.learner_id, c.credits AS accumulated, 0::float8 AS recognised
      FROM credit_outcome c JOIN inst ON inst.code = c.institution_code
      UNION ALL
      SELECT r.year, inst.district_code, u.source_kind, r.learner_id, 0::float8, r.credits
      FROM credit_recognition r JOIN credit_rule u ON u.code = r.rule_code AND u.version = r.rule_version JOIN inst ON inst.code = r.receiving_code
      WHERE r.state = 'recognised'
    )
    SELECT year, district_code, source_kind, count(DISTINCT learner_id)::int AS learners, sum(accumulated)::float8 AS accumulated, sum(recognised)::float8 AS recognised
    FROM acc WHERE ${year === undefined ? sql`true` : sql`year = ${year}`} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(db);
  return {
    rows: r.rows.map((x) => {
      const suppressed = Number(x.learners) < MIN_LEARNERS;
      return {
        year: Number(x.year), district_code: x.district_code, source_kind: x.source_kind, suppressed,
        learners: suppressed ? null : Number(x.learners), credits_accumulated: suppressed ? null : Number(x.accumulated), credits_recognised: suppressed ? null : Number(x.recognised),
      };
    }),
  };
}

/**
 * Copy calendar year `year`'s statistics into release `releaseId` (inside the release's
 * transaction). A release of academic year Y carries calendar year Y: caps, and so
 * recognitions, are counted by calendar year (docs/credit-bank.md). Returns the cells copied.
 */
export async function snapshotCreditStatistics(db: Kysely<Database>, releaseId: number, year: number): Promise<number> {
  const { rows } = await computeCreditStats(db, year);
  if (rows.length === 0) return 0;
  await db.insertInto('released_credit_stat').values(rows.map((r) => ({ release_id: releaseId, ...r }))).execute();
  return rows.length;
}

/** What the public sees: for each year, the cells of its latest release that carried credit statistics. */
export async function publishedCreditStatistics(store: Store): Promise<PublishedCreditStats> {
  const latest = await store.db.selectFrom('released_credit_stat as s').innerJoin('release as r', 'r.id', 's.release_id')
    .select(['s.year', (eb) => eb.fn.max('s.release_id').as('release_id')]).groupBy('s.year').orderBy('s.year').execute();
  const years: PublishedCreditStats['years'] = [];
  for (const l of latest) {
    const id = Number(l.release_id);
    const rel = await store.db.selectFrom('release').select(['id', 'year', 'version', 'released_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const rows = await store.db.selectFrom('released_credit_stat').selectAll().where('release_id', '=', id).where('year', '=', l.year)
      .orderBy('district_code').orderBy('source_kind').execute();
    years.push({
      year: Number(l.year),
      release: { id: rel.id, year: rel.year, version: rel.version, released_at: new Date(rel.released_at).toISOString() },
      rows: rows.map((r) => ({
        year: Number(r.year), district_code: r.district_code, source_kind: r.source_kind as SourceKind, suppressed: r.suppressed,
        learners: r.suppressed ? null : r.learners, credits_accumulated: r.suppressed ? null : r.credits_accumulated, credits_recognised: r.suppressed ? null : r.credits_recognised,
      })),
    });
  }
  return { years };
}
