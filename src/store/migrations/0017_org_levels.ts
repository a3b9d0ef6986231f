import { sql, type Kysely } from 'kysely';

/**
 * Org levels as data (issue 19): a region's hierarchy (层级) is rows of `org_level`, not a CHECK.
 * `org_unit.level` and `indicator_value.level` now reference `org_level(code)`.
 *
 * Tianjin's levels are seeded here, not at import: every database made before 0017 already holds
 * org units of these levels (`city`, `district`, `school`, and 0014's `street` 街镇 and `community`
 * 村居), and the foreign key cannot be added until the rows it points at exist. They are the same
 * rows as Tianjin's `regions/tianjin/org-levels.csv`; another region's `org-levels.csv`, imported
 * with its org units (docs/data-files.md), adds or updates its own levels.
 *
 * `rank` orders parents before children (a level's rank is above its parent's); `reporting_unit`
 * marks the level whose units report data (学校): the aggregates are everything above them.
 * Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE org_level (
      code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
      rank integer NOT NULL CHECK (rank BETWEEN 0 AND 20),
      name_zh text NOT NULL CHECK (name_zh <> ''),
      name_en text NOT NULL DEFAULT '',
      parent_level text REFERENCES org_level(code),
      reporting_unit boolean NOT NULL DEFAULT false
    );
    INSERT INTO org_level (code, rank, name_zh, name_en, parent_level, reporting_unit) VALUES
      ('city', 0, '市', 'City', NULL, false),
      ('district', 1, '区', 'District', 'city', false),
      ('street', 2, '街镇', 'Street / town', 'district', false),
      ('community', 3, '村居', 'Village / residents'' committee', 'street', false),
      ('school', 2, '学校', 'School', 'district', true);
    ALTER TABLE org_unit DROP CONSTRAINT IF EXISTS org_unit_level_check;
    ALTER TABLE org_unit ADD CONSTRAINT org_unit_level_fkey FOREIGN KEY (level) REFERENCES org_level(code);
    ALTER TABLE indicator_value DROP CONSTRAINT IF EXISTS indicator_value_level_check;
    ALTER TABLE indicator_value ADD CONSTRAINT indicator_value_level_fkey FOREIGN KEY (level) REFERENCES org_level(code);
    -- The root (the one unit without a parent) is read by most requests; at a nation's
    -- 500 k units it must not be a scan.
    CREATE INDEX org_unit_root ON org_unit (code) WHERE parent_code IS NULL;
  `.execute(db);
}
