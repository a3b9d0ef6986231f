import { sql, type Kysely } from 'kysely';
import { yearPartition } from '../schema.ts';

/**
 * Student-level records partitioned by school year, without the (year, org_code) btree,
 * and a small table saying which import holds each school's year.
 *
 * Why: the btree took ~40 % of the database's work in a 1.5 M-row COPY (PostgreSQL 15,
 * server CPU 9.1 and 10.5 s with it, 6.0 and 5.0 s without, same importer and file;
 * docs/student-records.md "Performance"): each row is one more index entry and one WAL
 * record. Its only use was the delete when a corrected file replaces schools' years.
 * Now the importer COPYs straight into the year's partition (`student_fitness_y2023`,
 * made on first use), `student_school_year` tells which schools of a file already have
 * rows that year, and only for those does the delete scan — one year's partition, not
 * every year. First uploads of a year (the normal case: one file per district) scan
 * nothing. Partitions by year are also where the tables go when they hold a country.
 *
 * Existing rows move into their year's partition; the manifest is filled from them.
 */
const tables = ['student_fitness', 'vision_screening'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const t of tables) {
    const old = `${t}_before_0007`;
    await sql`ALTER TABLE ${sql.table(t)} RENAME TO ${sql.table(old)}`.execute(db);
    await sql`DROP INDEX ${sql.table(`${t}_year_org`)}`.execute(db);
    await sql`CREATE TABLE ${sql.table(t)} (LIKE ${sql.table(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY LIST (year)`.execute(db);
    const years = await sql<{ year: number }>`SELECT DISTINCT year FROM ${sql.table(old)} ORDER BY year`.execute(db);
    for (const { year } of years.rows) {
      await sql`CREATE TABLE ${sql.table(yearPartition(t, year))} PARTITION OF ${sql.table(t)} FOR VALUES IN (${sql.lit(year)})`.execute(db);
    }
    await sql`INSERT INTO ${sql.table(t)} SELECT * FROM ${sql.table(old)}`.execute(db);
    await sql`DROP TABLE ${sql.table(old)}`.execute(db);
  }
  await sql`
    CREATE TABLE student_school_year (
      kind text NOT NULL CHECK (kind IN ('fitness', 'vision')),
      year integer NOT NULL,
      org_code text NOT NULL,
      batch_id integer NOT NULL,
      PRIMARY KEY (kind, year, org_code)
    )
  `.execute(db);
  await sql`INSERT INTO student_school_year SELECT 'fitness', year, org_code, max(batch_id) FROM student_fitness GROUP BY year, org_code`.execute(db);
  await sql`INSERT INTO student_school_year SELECT 'vision', year, org_code, max(batch_id) FROM vision_screening GROUP BY year, org_code`.execute(db);
}
