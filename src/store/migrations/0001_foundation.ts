import { sql, type Kysely } from 'kysely';

// Plain SQL that runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): nothing newer than 15.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE plan_version (
      id serial PRIMARY KEY,
      plan_code text NOT NULL,
      version integer NOT NULL,
      content_hash text NOT NULL,
      loaded_at timestamptz NOT NULL,
      document jsonb NOT NULL,
      changes jsonb NOT NULL DEFAULT '[]'::jsonb,
      UNIQUE (plan_code, version)
    );
    CREATE TABLE org_unit (
      code text PRIMARY KEY,
      name_zh text NOT NULL,
      name_en text NOT NULL DEFAULT '',
      level text NOT NULL CHECK (level IN ('city', 'district', 'school')),
      parent_code text REFERENCES org_unit(code),
      school_type text,
      ownership text CHECK (ownership IN ('public', 'private')),
      inclusive boolean,
      urban_rural text CHECK (urban_rural IN ('urban', 'town', 'rural')),
      opened date,
      closed date
    );
    CREATE INDEX org_unit_parent ON org_unit (parent_code);
    CREATE TABLE data_value (
      org_code text NOT NULL REFERENCES org_unit(code),
      year integer NOT NULL,
      element text NOT NULL,
      value double precision NOT NULL,
      source text NOT NULL,
      PRIMARY KEY (year, org_code, element)
    );
    CREATE TABLE reference_value (
      org_code text NOT NULL REFERENCES org_unit(code),
      year integer NOT NULL,
      code text NOT NULL,
      value double precision NOT NULL,
      source text NOT NULL,
      PRIMARY KEY (code, org_code, year)
    );
    CREATE TABLE import_batch (
      id serial PRIMARY KEY,
      kind text NOT NULL,
      file_name text NOT NULL,
      sha256 text NOT NULL,
      rows integer NOT NULL,
      imported_at timestamptz NOT NULL,
      UNIQUE (kind, sha256)
    );
  `.execute(db);
}
