import { sql, type Kysely } from 'kysely';

/**
 * Evaluation reports (规划评估报告, src/services/evaluation-reports/, docs/reports.md):
 *
 * - `report_narrative`: the planning office's paragraph for one section of one report (kind and
 *   year), every saved version kept (who, when, the text in zh and en); numbers in the text are
 *   placeholders filled at generation, so the stored text never holds a figure.
 * - `report_publication`: a published report, frozen — its as-of year, the release versions
 *   and narrative versions it used (`snapshot`), versioned per kind and year.
 * - `report_file`: the published files' bytes (DOCX, PDF, HTML per language) with their
 *   sha256, served as they were published however the data change afterwards.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE report_narrative (
      kind text NOT NULL CHECK (kind IN ('final', 'midterm', 'annual', 'luban')),
      year integer NOT NULL,
      section text NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      text_zh text NOT NULL,
      text_en text NOT NULL,
      saved_at timestamptz NOT NULL,
      saved_by text NOT NULL,
      PRIMARY KEY (kind, year, section, version)
    );
    CREATE TABLE report_publication (
      id serial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('final', 'midterm', 'annual', 'luban')),
      year integer NOT NULL,
      version integer NOT NULL CHECK (version >= 1),
      title_zh text NOT NULL,
      title_en text NOT NULL,
      published_at timestamptz NOT NULL,
      published_by text NOT NULL,
      note text NOT NULL,
      snapshot jsonb NOT NULL,
      UNIQUE (kind, year, version)
    );
    CREATE TABLE report_file (
      publication_id integer NOT NULL REFERENCES report_publication (id),
      name text NOT NULL CHECK (name ~ '^report\\.(zh|en)\\.(docx|pdf|html)$'),
      mime text NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      bytes integer NOT NULL CHECK (bytes >= 0),
      content bytea NOT NULL,
      PRIMARY KEY (publication_id, name)
    );
  `.execute(db);
}
