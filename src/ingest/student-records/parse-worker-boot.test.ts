/**
 * The parse workers' fallback boot: when the worker bundle cannot be built
 * (worker-bundle.ts answers null: no esbuild, a read-only install), each worker starts
 * through tsx (parse-worker-boot.mjs) and the import stores exactly what one
 * thread stores. The bundle is switched off here by mocking `workerBundle`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeStudentRecordFiles, type DemoSchool } from '../../demo/students.ts';
import type { Store } from '../../store/store.ts';
import { seedSchools } from '../../../test/helpers/org-units.ts';
import { backends } from '../../../test/helpers/stores.ts';
import { importStudentFile } from '../../services/student-records.ts';
import { workerBundle } from '../worker-bundle.ts';

vi.mock('../worker-bundle.ts', () => ({ workerBundle: vi.fn(() => Promise.resolve(null)) }));

const KEY = 'test-pseudonym-key-0123456789';
const clock = () => new Date('2024-01-15T08:00:00Z');
const schools: DemoSchool[] = [
  { code: '1201010101', type: 'primary', district: '120101', enrolment: { g2: { m: 50, f: 50 }, g5: { m: 50, f: 50 } } },
  { code: '1201020102', type: 'junior', district: '120102', enrolment: { g8: { m: 60, f: 60 } } },
];

const backend = backends[0];
if (backend === undefined) throw new Error('no test backend');

describe('parse workers booted through tsx (no worker bundle)', () => {
  let store: Store & { dispose(): Promise<void> };
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-tsx-boot-'));
  const rowsOf = async (year: number): Promise<string[]> =>
    (await sql<{ r: string }>`SELECT concat_ws('|', pseudonym, org_code, grade_code, sex, age_years, bmi, standard_score, bonus, annual_total, grade_band, complete) AS r FROM student_fitness WHERE year = ${year} ORDER BY 1`.execute(store.db)).rows.map((x) => x.r);

  beforeAll(async () => {
    store = await backend.open();
    await seedSchools(store, schools);
    await writeStudentRecordFiles({ schools, years: [2023], seed: 5, outDir: dir, kinds: ['fitness'] });
  }, 60_000);
  afterAll(async () => { await store.dispose(); });

  it('store the same rows as one thread', async () => {
    const file = join(dir, 'fitness-2023.csv');
    const one = await importStudentFile(store, file, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, parseWorkers: 1 });
    const reference = await rowsOf(2023);
    expect(reference.length).toBe(one.rows);
    // Same rows, other bytes (not skipped as a re-import): it replaces the schools' year.
    const copy = join(dir, 'copy-fitness-2023.csv');
    writeFileSync(copy, `${readFileSync(file, 'utf8')}\n`);
    const sharded = await importStudentFile(store, copy, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, parseWorkers: 2, parallelMinBytes: 0, segmentRows: 40 });
    expect(vi.mocked(workerBundle)).toHaveBeenCalled();
    expect(sharded.skipped).toBe(false);
    expect(sharded.parseThreads).toBe(2);
    expect(sharded.rows).toBe(one.rows);
    expect(await rowsOf(2023)).toEqual(reference);
  }, 120_000);
});
