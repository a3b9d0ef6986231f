import { sql, type Kysely } from 'kysely';

/**
 * Plan execution (规划实施): registries, owners, milestones, progress reports, entered target
 * values and their releases (src/services/plan-execution/*, docs/plan-execution.md).
 *
 * - `plan_file`: evidence and designation documents, content-addressed by sha256 (one copy
 *   however many entries or reports cite it); the bytes are kept for the workspace to open.
 * - `registry_entry`: every registry's entries in one table, the fields as a JSON payload
 *   validated by the registry's schema from the plan files; `district_code` places an entry
 *   of a district-kept registry; only `approved` entries count.
 * - `plan_unit`: the units that own items — city departments and the 16 districts. The plan
 *   names no owners, so the city assigns them as data; departments are not org units (they
 *   report nothing to the statistics forms), so they are a list of their own.
 * - `plan_owner`: per item (task area, sub-task, 专栏) its lead unit, co-units and reporting frequency.
 * - `plan_milestone`: per item and year, what is to be done by when, and when it was done.
 * - `plan_report`: per item, unit and period a progress report (status, reason, narrative,
 *   evidence), reviewed by the planning office (accepted or returned).
 * - `target_entry`: a value entered by a target's owner for a year, with evidence.
 * - `target_release`, `target_released_value`, `target_release_current`: the city releases a
 *   year's registry counts and entered values as a snapshot, versioned like indicator releases;
 *   the public sees only released snapshots (indicator-path targets read released indicator cells).
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE plan_file (
      sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      name text NOT NULL,
      mime text NOT NULL,
      bytes integer NOT NULL CHECK (bytes >= 0),
      content bytea NOT NULL,
      stored_at timestamptz NOT NULL,
      stored_by text NOT NULL
    );
    CREATE TABLE registry_entry (
      registry text NOT NULL,
      entry_code text NOT NULL,
      district_code text,
      payload jsonb NOT NULL,
      document_sha256 text REFERENCES plan_file(sha256),
      state text NOT NULL CHECK (state IN ('submitted', 'approved', 'returned')),
      reason text,
      version integer NOT NULL DEFAULT 1,
      source text NOT NULL,
      updated_at timestamptz NOT NULL,
      updated_by text NOT NULL,
      approved_at timestamptz,
      approved_by text,
      PRIMARY KEY (registry, entry_code)
    );
    CREATE INDEX registry_entry_district ON registry_entry (registry, district_code);
    CREATE TABLE plan_unit (
      code text PRIMARY KEY,
      name_zh text NOT NULL,
      name_en text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('department', 'district')),
      org_code text NOT NULL
    );
    CREATE TABLE plan_owner (
      item text PRIMARY KEY,
      lead_unit text NOT NULL REFERENCES plan_unit(code),
      co_units text[] NOT NULL DEFAULT '{}',
      frequency text NOT NULL CHECK (frequency IN ('semiannual', 'quarterly', 'annual')),
      assigned_at timestamptz NOT NULL,
      assigned_by text NOT NULL
    );
    CREATE TABLE plan_milestone (
      item text NOT NULL,
      code text NOT NULL,
      year integer NOT NULL,
      text_zh text NOT NULL,
      text_en text NOT NULL DEFAULT '',
      due date NOT NULL,
      done_on date,
      evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
      note text NOT NULL DEFAULT '',
      updated_at timestamptz NOT NULL,
      updated_by text NOT NULL,
      PRIMARY KEY (item, code)
    );
    CREATE TABLE plan_report (
      id serial PRIMARY KEY,
      item text NOT NULL,
      unit text NOT NULL REFERENCES plan_unit(code),
      period text NOT NULL,
      status text NOT NULL CHECK (status IN ('on_track', 'at_risk', 'delayed', 'done')),
      reason text NOT NULL DEFAULT '',
      narrative_zh text NOT NULL,
      narrative_en text NOT NULL DEFAULT '',
      evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
      state text NOT NULL CHECK (state IN ('draft', 'submitted', 'accepted', 'returned')),
      review_note text NOT NULL DEFAULT '',
      version integer NOT NULL DEFAULT 1,
      source text NOT NULL,
      updated_at timestamptz NOT NULL,
      updated_by text NOT NULL,
      submitted_at timestamptz,
      reviewed_at timestamptz,
      reviewed_by text,
      UNIQUE (item, unit, period)
    );
    CREATE TABLE target_entry (
      measure text NOT NULL,
      year integer NOT NULL,
      value double precision NOT NULL,
      note text NOT NULL DEFAULT '',
      evidence jsonb NOT NULL,
      source text NOT NULL,
      entered_at timestamptz NOT NULL,
      entered_by text NOT NULL,
      PRIMARY KEY (measure, year)
    );
    CREATE TABLE target_release (
      id serial PRIMARY KEY,
      year integer NOT NULL,
      version integer NOT NULL,
      released_at timestamptz NOT NULL,
      released_by text NOT NULL,
      note text NOT NULL DEFAULT '',
      targets integer NOT NULL,
      UNIQUE (year, version)
    );
    CREATE TABLE target_released_value (
      release_id integer NOT NULL REFERENCES target_release(id),
      target text NOT NULL,
      year integer NOT NULL,
      value double precision,
      detail jsonb NOT NULL DEFAULT '{}'::jsonb,
      PRIMARY KEY (release_id, target)
    );
    CREATE TABLE target_release_current (
      year integer PRIMARY KEY,
      release_id integer NOT NULL REFERENCES target_release(id)
    );
  `.execute(db);
}
