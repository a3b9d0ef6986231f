import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../core/errors.ts';
import { fitnessStandard, groupKey } from '../core/standards/fitness/tables.ts';
import { readRows } from '../ingest/student-records/index.ts';
import { mapHeader, newStudentRow, parseStudentRow, templateHeaders, type StudentFileKind } from '../ingest/student-records/index.ts';
import { writeStudentRecordFiles, type DemoSchool } from './students.ts';

const schools: DemoSchool[] = [
  { code: '1201010001', type: 'primary', district: '120101', enrolment: { g1: { m: 30, f: 30 }, g6: { m: 30, f: 30 } } },
  { code: '1201160002', type: 'complete_secondary', district: '120116', enrolment: { g8: { m: 25, f: 25 }, g11: { m: 25, f: 25 } } },
  { code: '1201190003', type: 'vocational', district: '120119', enrolment: { v2: { m: 20, f: 20 } } },
];

async function validate(file: string, kind: StudentFileKind, year: number): Promise<{ rows: number; problems: Problem[] }> {
  const std = fitnessStandard();
  const it = readRows(file).rows[Symbol.asyncIterator]();
  const header = (await it.next()).value?.cells ?? [];
  expect(header).toEqual(templateHeaders(kind));
  const ctx = { file, kind, year, index: mapHeader(header, kind, { file }).index, itemsFor: (g: number, s: 'male' | 'female') => std.groups.get(groupKey(g, s))?.items };
  const problems: Problem[] = [];
  const rec = newStudentRow();
  let rows = 0;
  for (let r = await it.next(); !r.done; r = await it.next()) { rows += 1; parseStudentRow(ctx, header, r.value, rec, problems); }
  return { rows, problems };
}

describe('demo student records', () => {
  it('writes both files per year in the documented template, valid for the importer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eduplan-demo-students-'));
    const r = await writeStudentRecordFiles({ schools, years: [2020, 2025], seed: 42, outDir: dir });
    expect(r.files.map((f) => f.slice(dir.length + 1))).toEqual(['fitness-2020.csv', 'vision-2020.csv', 'fitness-2025.csv', 'vision-2025.csv']);
    expect(r.rows).toBe(2 * 2 * (120 + 100 + 40));
    for (const [file, kind, year] of [[r.files[0], 'fitness', 2020], [r.files[1], 'vision', 2020], [r.files[2], 'fitness', 2025]] as const) {
      const v = await validate(file ?? '', kind, year);
      expect(v.rows).toBe(260);
      expect(v.problems).toEqual([]); // includes GB 11643 checks of every 学籍号 and 身份证号
    }
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = mkdtempSync(join(tmpdir(), 'eduplan-demo-a-'));
    const b = mkdtempSync(join(tmpdir(), 'eduplan-demo-b-'));
    const c = mkdtempSync(join(tmpdir(), 'eduplan-demo-c-'));
    await writeStudentRecordFiles({ schools, years: [2023], seed: 7, outDir: a });
    await writeStudentRecordFiles({ schools, years: [2023], seed: 7, outDir: b });
    await writeStudentRecordFiles({ schools, years: [2023], seed: 8, outDir: c });
    const read = (d: string) => readFileSync(join(d, 'fitness-2023.csv'), 'utf8');
    expect(read(a)).toBe(read(b));
    expect(read(a)).not.toBe(read(c));
  });

  it('gives the kindergartens’ 大班 children vision records (年级编号 03) and no fitness record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eduplan-demo-k3-'));
    const kg: DemoSchool = { code: '1201010004', type: 'kindergarten', district: '120101', enrolment: { k1: { m: 10, f: 10 }, k2: { m: 10, f: 10 }, k3: { m: 15, f: 14 } } };
    const r = await writeStudentRecordFiles({ schools: [...schools, kg], years: [2023], seed: 42, outDir: dir });
    expect(r.rows).toBe(2 * (120 + 100 + 40) + 29);
    const [fitnessFile, visionFile] = r.files;
    const vision = await validate(visionFile ?? '', 'vision', 2023);
    expect(vision).toEqual({ rows: 260 + 29, problems: [] });
    expect((await validate(fitnessFile ?? '', 'fitness', 2023)).rows).toBe(260);
    const k3 = readFileSync(visionFile ?? '', 'utf8').split('\n').filter((l) => l.split(',')[1] === '03');
    expect(k3).toHaveLength(29);
    expect(k3.every((l) => l.startsWith('1201010004,03,'))).toBe(true);
  });
});
