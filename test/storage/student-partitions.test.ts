/**
 * Migration 0007 on every backend: student records that were stored before it move into
 * their school year's partition, nothing is lost, and `student_school_year` says which
 * import holds each school's year; new imports then COPY into the year's partition.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as m0003 from '../../src/store/migrations/0003_students.ts';
import * as m0007 from '../../src/store/migrations/0007_student_year_partitions.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

describe.each(backends)('student year partitions on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  beforeAll(async () => { store = await backend.open(); }, 60_000);
  afterAll(async () => { await store.dispose(); });

  it('moves rows stored before 0007 into one partition per year and fills the manifest', async () => {
    await store.transaction(async (tx) => {
      const db = tx.db as unknown as Kysely<unknown>;
      // The tables as 0003 made them, with rows of two years, three schools and two imports.
      await sql`DROP TABLE student_fitness, vision_screening, student_school_year`.execute(db);
      await m0003.up(db);
      const row = (batch: number, org: string, year: number, pseudonym: string) => sql`(${batch}, ${org}, ${year}, ${pseudonym}, 11, 'm', 7, '1101', false, true)`;
      await sql`INSERT INTO student_fitness (batch_id, org_code, year, pseudonym, grade_code, sex, age_years, class_code, exempt, complete) VALUES
        ${sql.join([row(1, '1201010001', 2022, 'a'), row(1, '1201010002', 2022, 'b'), row(2, '1201010001', 2023, 'c'), row(3, '1201010001', 2023, 'd'), row(3, '1201010003', 2023, 'e')])}`.execute(db);
      await sql`INSERT INTO vision_screening (batch_id, org_code, year, pseudonym, grade_code, sex, age_years, ortho_k) VALUES (4, '1201010002', 2024, 'v', 11, 'f', 7, false)`.execute(db);

      await m0007.up(db);

      const parts = await sql<{ child: string; rows: number }>`
        SELECT c.relname AS child, (SELECT count(*)::int FROM student_fitness f WHERE f.tableoid = c.oid) AS rows
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'student_fitness'::regclass ORDER BY 1`.execute(db);
      expect(parts.rows).toEqual([{ child: 'student_fitness_y2022', rows: 2 }, { child: 'student_fitness_y2023', rows: 3 }]);
      const pseudonyms = await sql<{ p: string }>`SELECT pseudonym AS p FROM student_fitness ORDER BY 1`.execute(db);
      expect(pseudonyms.rows.map((r) => r.p)).toEqual(['a', 'b', 'c', 'd', 'e']);
      const vision = await sql<{ n: number }>`SELECT count(*)::int AS n FROM vision_screening_y2024`.execute(db);
      expect(vision.rows[0]?.n).toBe(1);
      // No index left on the student tables: every row used to be an index entry (0007's comment).
      const indexes = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename LIKE 'student_fitness%' OR tablename LIKE 'vision_screening%'`.execute(db);
      expect(indexes.rows[0]?.n).toBe(0);
      const manifest = await sql<{ kind: string; year: number; org_code: string; batch_id: number }>`SELECT kind, year, org_code, batch_id FROM student_school_year ORDER BY kind, year, org_code`.execute(db);
      expect(manifest.rows).toEqual([
        { kind: 'fitness', year: 2022, org_code: '1201010001', batch_id: 1 },
        { kind: 'fitness', year: 2022, org_code: '1201010002', batch_id: 1 },
        { kind: 'fitness', year: 2023, org_code: '1201010001', batch_id: 3 },
        { kind: 'fitness', year: 2023, org_code: '1201010003', batch_id: 3 },
        { kind: 'vision', year: 2024, org_code: '1201010002', batch_id: 4 },
      ]);
      // A year without a partition is refused, not silently stored elsewhere.
      const noPartition = await sql`INSERT INTO student_fitness (batch_id, org_code, year, pseudonym, grade_code, sex, age_years, exempt, complete) VALUES (9, '1201010001', 2030, 'z', 11, 'm', 7, false, true)`.execute(db).then(() => 'stored', (e: unknown) => String(e));
      expect(noPartition).toMatch(/partition/);
      throw new RollbackMarker();
    }).catch((e: unknown) => { if (!(e instanceof RollbackMarker)) throw e; });
  });
});

/** Thrown to roll the test's changes back, so the database stays as migrations left it. */
class RollbackMarker extends Error {}
