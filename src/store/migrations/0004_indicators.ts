import { sql, type Kysely } from 'kysely';

/**
 * Precomputed indicator values (指标预计算结果) and the runs that produced them.
 * `indicator_value` keeps the true figures (numerator, denominator, value) with a
 * `suppressed` flag; only the API's public projection hides suppressed cells.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE indicator_value (
      indicator text NOT NULL,
      org_code text NOT NULL,
      year integer NOT NULL,
      disaggregation text NOT NULL DEFAULT '',
      level text NOT NULL CHECK (level IN ('city', 'district', 'school')),
      numerator double precision,
      denominator double precision,
      value double precision,
      basis double precision,
      suppressed boolean NOT NULL DEFAULT false,
      suppression text CHECK (suppression IN ('primary', 'complementary')),
      inputs jsonb NOT NULL DEFAULT '{}'::jsonb,
      run_id integer NOT NULL,
      PRIMARY KEY (year, indicator, org_code, disaggregation)
    );
    CREATE INDEX indicator_value_org ON indicator_value (org_code, indicator);
    CREATE TABLE indicator_run (
      id serial PRIMARY KEY,
      years integer[] NOT NULL,
      cells integer NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms integer NOT NULL
    );
  `.execute(db);
}
