import { sql, type Kysely } from 'kysely';

/**
 * Supervision assessments (督导评估: 优质均衡 / 普及普惠): the items a district enters with
 * evidence, and the append-only workflow events (自评 → 市级评估 → 申报 → 认定/退回).
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE assessment_item (
      kind text NOT NULL CHECK (kind IN ('balanced', 'preschool')),
      district_code text NOT NULL REFERENCES org_unit(code),
      year integer NOT NULL,
      item_code text NOT NULL,
      value double precision,
      met boolean,
      evidence jsonb NOT NULL DEFAULT '[]'::jsonb,
      comment text NOT NULL DEFAULT '',
      entered_by text NOT NULL,
      entered_at timestamptz NOT NULL,
      PRIMARY KEY (kind, district_code, year, item_code)
    );
    CREATE TABLE assessment_event (
      id serial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('balanced', 'preschool')),
      district_code text NOT NULL REFERENCES org_unit(code),
      year integer NOT NULL,
      action text NOT NULL CHECK (action IN ('self_evaluate', 'city_assess', 'submit', 'certify', 'return')),
      state_after text NOT NULL,
      on_date date NOT NULL,
      actor text NOT NULL,
      comment text NOT NULL DEFAULT '',
      item_comments jsonb NOT NULL DEFAULT '{}'::jsonb,
      verdict jsonb,
      recorded_at timestamptz NOT NULL
    );
    CREATE INDEX assessment_event_key ON assessment_event (kind, district_code, year, id);
  `.execute(db);
}
