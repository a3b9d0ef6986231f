import { sql, type Kysely } from 'kysely';

/**
 * The credit bank's statistics as released figures (docs/credit-bank.md "Statistics"): a
 * release of academic year Y copies the credit statistics of calendar year Y — computed under
 * disclosure control, a withheld cell keeps its row without numbers — into
 * `released_credit_stat`; the public reads only these copies, never the live tables.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE released_credit_stat (
      release_id integer NOT NULL REFERENCES release(id),
      year integer NOT NULL,
      district_code text NOT NULL,
      source_kind text NOT NULL,
      learners integer,
      credits_accumulated double precision,
      credits_recognised double precision,
      suppressed boolean NOT NULL,
      PRIMARY KEY (release_id, year, district_code, source_kind),
      -- A withheld cell carries no numbers at all, so nothing below the threshold can leak.
      CHECK (NOT suppressed OR (learners IS NULL AND credits_accumulated IS NULL AND credits_recognised IS NULL))
    );
    CREATE INDEX released_credit_stat_year ON released_credit_stat (year, release_id);
  `.execute(db);
}
