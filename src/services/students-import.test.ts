/**
 * The import's streaming machinery on every backend: a file spanning many COPY segments
 * (each built while the previous one is copied) stores exactly what a single-segment
 * import stores, and a bad row after several segments have been copied still leaves
 * nothing behind.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../core/errors.ts';
import { writeStudentRecordFiles, type DemoSchool } from '../demo/students.ts';
import type { Store } from '../store/store.ts';
import { backends } from '../../test/helpers/stores.ts';
import { importStudentFile } from './students-import.ts';

const KEY = 'test-pseudonym-key-0123456789';
const clock = () => new Date('2024-01-15T08:00:00Z');
const schools: DemoSchool[] = [
  { code: '1201010101', type: 'primary', district: '120101', enrolment: { g1: { m: 60, f: 60 }, g3: { m: 60, f: 60 }, g6: { m: 60, f: 60 } } },
  { code: '1201020102', type: 'junior', district: '120102', enrolment: { g7: { m: 70, f: 70 }, g9: { m: 70, f: 70 } } },
];

describe.each(backends)('student import segments on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-segments-'));
  let file = '';
  let dataRows = 0;

  /** Every stored row, pseudonym first, as text: the comparison is of content, not of counts. */
  const stored = async (): Promise<string[]> =>
    (await sql<{ r: string }>`SELECT concat_ws('|', pseudonym, org_code, grade_code, sex, age_years, bmi, vital_capacity, standard_score, bonus, annual_total, grade_band, complete) AS r FROM student_fitness WHERE year = 2023 ORDER BY 1`.execute(store.db)).rows.map((x) => x.r);

  beforeAll(async () => {
    store = await backend.open();
    const unit = (code: string, level: 'city' | 'district' | 'school', parent: string | null, type: string | null) => ({
      code, name_zh: code, name_en: '', level, parent_code: parent, school_type: type, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null,
    });
    await store.db.insertInto('org_unit').values([unit('120000', 'city', null, null), unit('120101', 'district', '120000', null), unit('120102', 'district', '120000', null)]).execute();
    await store.db.insertInto('org_unit').values(schools.map((s) => unit(s.code, 'school', s.district, s.type))).execute();
    const gen = await writeStudentRecordFiles({ schools, years: [2023], seed: 7, outDir: dir, kinds: ['fitness'] });
    file = join(dir, 'fitness-2023.csv');
    dataRows = gen.rows;
  }, 60_000);
  afterAll(async () => { await store.dispose(); });

  it('many small segments store the same rows as one segment', async () => {
    expect(dataRows).toBeGreaterThan(600);
    const one = await importStudentFile(store, file, { kind: 'fitness', pseudonymKey: KEY, clock, segmentRows: 1_000_000 });
    expect(one.rows).toBe(dataRows);
    const single = await stored();
    expect(single.length).toBe(dataRows);

    // Same rows, different bytes (a trailing empty line), so that it is not skipped as a re-import.
    const copy = join(dir, 'copy-fitness-2023.csv');
    writeFileSync(copy, readFileSync(file));
    appendFileSync(copy, '\n');
    const many = await importStudentFile(store, copy, { kind: 'fitness', pseudonymKey: KEY, clock, segmentRows: 97 });
    expect(many.skipped).toBe(false);
    // The corrected file replaced the same school-years: the table holds the new batch only.
    const rows = await stored();
    expect(rows).toEqual(single);
    const batches = await sql<{ b: number }>`SELECT DISTINCT batch_id AS b FROM student_fitness WHERE year = 2023`.execute(store.db);
    expect(batches.rows.map((r) => r.b)).toEqual([many.batchId]);
  });

  it('a bad row after several copied segments leaves the database as it was', async () => {
    const before = await stored();
    const bad = join(dir, 'bad-fitness-2023.csv');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    // Last data row: an impossible school code, far beyond the first segments.
    const cells = (lines[lines.length - 1] as string).split(',');
    cells[0] = '12010X0101';
    lines[lines.length - 1] = cells.join(',');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const err = await importStudentFile(store, bad, { kind: 'fitness', pseudonymKey: KEY, clock, segmentRows: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    const problems = (err as EduplanError).problems ?? [];
    expect(problems.map((p) => [p.row, p.rule])).toEqual([[lines.length, 'school_code']]);
    expect(await stored()).toEqual(before);
    const batches = await store.db.selectFrom('import_batch').select('file_name').where('file_name', '=', 'bad-fitness-2023.csv').execute();
    expect(batches).toEqual([]);
  });
});
