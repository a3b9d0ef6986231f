import { sql, type Kysely } from 'kysely';

/**
 * Learning-city figures under release control (docs/learning-city.md): `learning_released_figure`
 * is the snapshot of the learning-city figures (老年教育活动参与率, 街镇老年教育学校覆盖率,
 * 示范性老年大学) a release of the year published, taken when the release includes KPI 8
 * (服务市民终身学习人次). The public reads only the latest release's snapshot of a year, so it
 * never sees a figure before the city has released it. Plain SQL for PostgreSQL 15 and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE learning_released_figure (
      release_id integer NOT NULL REFERENCES release(id),
      figure text NOT NULL,
      org_code text NOT NULL REFERENCES org_unit(code),
      year integer NOT NULL,
      level text NOT NULL CHECK (level IN ('city', 'district')),
      numerator double precision,
      denominator double precision,
      value double precision,
      suppressed boolean NOT NULL,
      source text NOT NULL,
      PRIMARY KEY (release_id, figure, org_code)
    );
    CREATE INDEX learning_released_figure_year ON learning_released_figure (year, release_id);
  `.execute(db);
}
