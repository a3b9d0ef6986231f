import { sql, type Kysely } from 'kysely';

/**
 * Student-level records (学生体质健康测试, 视力筛查): one row per student per school
 * year, keyed by a pseudonym (keyed HMAC-SHA256 of the national student number; the key
 * lives in configuration, never in the database). No names, addresses or ID numbers.
 *
 * No primary key or foreign keys: these tables are bulk-loaded with COPY (1.5 M rows a
 * year); uniqueness per file is checked by the importer, and a corrected file replaces
 * its schools' year (delete by (year, org_code), hence the one index).
 * `batch_id` is the import_batch the row came from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE student_fitness (
      batch_id integer NOT NULL,
      org_code text NOT NULL,
      year integer NOT NULL,
      pseudonym text NOT NULL,
      grade_code smallint NOT NULL,
      sex char(1) NOT NULL CHECK (sex IN ('m', 'f')),
      age_years smallint NOT NULL,
      class_code text NOT NULL DEFAULT '',
      exempt boolean NOT NULL,
      height_cm real,
      weight_kg real,
      bmi real,
      vital_capacity real,
      run_50m real,
      sit_and_reach real,
      rope_skip_1min real,
      sit_ups_1min real,
      shuttle_run_50x8 real,
      standing_long_jump real,
      pull_ups real,
      run_800m real,
      run_1000m real,
      standard_score double precision,
      bonus smallint,
      annual_total double precision,
      grade_band text CHECK (grade_band IN ('优秀', '良好', '及格', '不及格')),
      complete boolean NOT NULL
    );
    CREATE INDEX student_fitness_year_org ON student_fitness (year, org_code);
    CREATE TABLE vision_screening (
      batch_id integer NOT NULL,
      org_code text NOT NULL,
      year integer NOT NULL,
      pseudonym text NOT NULL,
      grade_code smallint NOT NULL,
      sex char(1) NOT NULL CHECK (sex IN ('m', 'f')),
      age_years smallint NOT NULL,
      class_code text NOT NULL DEFAULT '',
      va_right real,
      va_left real,
      sph_right real,
      cyl_right real,
      axis_right smallint,
      sph_left real,
      cyl_left real,
      axis_left smallint,
      ortho_k boolean NOT NULL,
      se_right real,
      se_left real,
      myopic boolean
    );
    CREATE INDEX vision_screening_year_org ON vision_screening (year, org_code);
  `.execute(db);
}
