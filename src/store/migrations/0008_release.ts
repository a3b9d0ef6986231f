import { sql, type Kysely } from 'kysely';

/**
 * Release control (数据发布) and the one recompute policy (src/services/releases.ts,
 * src/services/recompute.ts).
 *
 * - `indicator_stale`: a data-changing transaction marks the academic years it touched in
 *   the same transaction; the recompute that follows clears the marks it has seen. A mark
 *   left behind (a failed recompute, a killed process) says the provisional figures of that
 *   year are out of date until the next recompute, which every reader of figures runs first.
 * - `release`: the city's decision to publish a year's figures, versioned per year. A
 *   revision is a new version; earlier versions stay readable.
 * - `released_value`: the snapshot of `indicator_value` each release published, with
 *   `revised` set where the cell differs from the version it replaced.
 * - `release_current`: which release the public sees, per year and indicator. The public
 *   portal, API and downloads read released values only; the workspace reads provisional.
 * - `release_threshold`: the share of expected schools that must have reported a form
 *   before the year can be released without an override (default 95 % when absent).
 * - `indicator_option`: the definitions' scope options (口径选项, core/indicators/scope.ts) the
 *   city has chosen; an option absent here has its documented default.
 * - `org_unit.contact_*`: who to call when a school has not reported (the completeness
 *   list), optional columns of org-units.csv.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE indicator_stale (
      id serial PRIMARY KEY,
      year integer NOT NULL,
      cause text NOT NULL,
      marked_at timestamptz NOT NULL
    );
    CREATE INDEX indicator_stale_year ON indicator_stale (year);
    CREATE TABLE release (
      id serial PRIMARY KEY,
      year integer NOT NULL,
      version integer NOT NULL,
      indicators text[] NOT NULL,
      released_at timestamptz NOT NULL,
      released_by text NOT NULL,
      account_id integer REFERENCES account(id),
      note text NOT NULL DEFAULT '',
      override_reason text,
      completeness jsonb NOT NULL,
      run_id integer NOT NULL,
      cells integer NOT NULL,
      changes jsonb NOT NULL DEFAULT '{}'::jsonb,
      UNIQUE (year, version)
    );
    CREATE TABLE released_value (
      release_id integer NOT NULL REFERENCES release(id),
      indicator text NOT NULL,
      org_code text NOT NULL,
      year integer NOT NULL,
      disaggregation text NOT NULL DEFAULT '',
      level text NOT NULL,
      numerator double precision,
      denominator double precision,
      value double precision,
      basis double precision,
      suppressed boolean NOT NULL,
      suppression text,
      inputs jsonb NOT NULL DEFAULT '{}'::jsonb,
      revised boolean NOT NULL DEFAULT false,
      PRIMARY KEY (release_id, indicator, org_code, disaggregation)
    );
    CREATE INDEX released_value_org ON released_value (org_code, indicator);
    CREATE TABLE release_current (
      year integer NOT NULL,
      indicator text NOT NULL,
      release_id integer NOT NULL REFERENCES release(id),
      PRIMARY KEY (year, indicator)
    );
    CREATE TABLE release_threshold (
      form_code text PRIMARY KEY,
      share double precision NOT NULL CHECK (share >= 0 AND share <= 1),
      set_by integer REFERENCES account(id),
      set_at timestamptz NOT NULL
    );
    CREATE TABLE indicator_option (
      name text PRIMARY KEY,
      value text NOT NULL,
      set_by integer REFERENCES account(id),
      set_at timestamptz NOT NULL
    );
    ALTER TABLE org_unit ADD COLUMN contact_name text, ADD COLUMN contact_phone text;
  `.execute(db);
}
