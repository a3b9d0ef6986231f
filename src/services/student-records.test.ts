/**
 * The import's streaming machinery on every backend: a file spanning many COPY segments
 * (each built while the previous one is copied) stores exactly what a single-segment
 * import stores, and a bad row after several segments have been copied still leaves
 * nothing behind. Vision files take the same paths (parse workers reading rows from their
 * bytes, one thread for quoted CSV and XLSX, GBK/UTF-16 refused by name) with the same outcome.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../core/errors.ts';
import { writeStudentRecordFiles, type DemoSchool } from '../demo/students.ts';
import type { Store } from '../store/store.ts';
import { seedSchools } from '../../test/helpers/org-units.ts';
import { backends } from '../../test/helpers/stores.ts';
import { importStudentFile, screenStudentRecordFile } from './student-records.ts';

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
    await seedSchools(store, schools);
    const gen = await writeStudentRecordFiles({ schools, years: [2023], seed: 7, outDir: dir, kinds: ['fitness'] });
    file = join(dir, 'fitness-2023.csv');
    dataRows = gen.rows;
  }, 60_000);
  afterAll(async () => { await store.dispose(); });

  it('many small segments store the same rows as one segment', async () => {
    expect(dataRows).toBeGreaterThan(600);
    const one = await importStudentFile(store, file, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, segmentRows: 1_000_000 });
    expect(one.rows).toBe(dataRows);
    const single = await stored();
    expect(single.length).toBe(dataRows);

    // Same rows, different bytes (a trailing empty line), so that it is not skipped as a re-import.
    const copy = join(dir, 'copy-fitness-2023.csv');
    writeFileSync(copy, readFileSync(file));
    appendFileSync(copy, '\n');
    const many = await importStudentFile(store, copy, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, segmentRows: 97 });
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
    const err = await importStudentFile(store, bad, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, segmentRows: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    const problems = (err as EduplanError).problems ?? [];
    expect(problems.map((p) => [p.row, p.rule])).toEqual([[lines.length, 'school_code']]);
    expect(await stored()).toEqual(before);
    const batches = await store.db.selectFrom('import_batch').select('file_name').where('file_name', '=', 'bad-fitness-2023.csv').execute();
    expect(batches).toEqual([]);
  });

  describe('parse workers (a plain CSV file read in line-aligned ranges)', () => {
    const derived = async (): Promise<string[]> =>
      (await sql<{ r: string }>`SELECT concat_ws('|', org_code, element, value) AS r FROM data_value WHERE year = 2023 AND element LIKE 'fitness.%' ORDER BY 1`.execute(store.db)).rows.map((x) => x.r);
    /** The file's lines with a variation, so that each import has new bytes (not a re-import). */
    const variant = (name: string, edit: (lines: string[]) => void): string => {
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      edit(lines);
      const out = join(dir, name);
      writeFileSync(out, `${lines.join('\n')}\n`);
      return out;
    };
    const sharded = { parseWorkers: 3, parallelMinBytes: 0, segmentRows: 50 } as const;

    it('store the same rows and per-school counts as one thread', async () => {
      await importStudentFile(store, variant('one-fitness-2023.csv', (l) => l.push('')), { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, parseWorkers: 1 });
      const rows1 = await stored();
      const derived1 = await derived();
      expect(rows1.length).toBe(dataRows);
      expect(derived1.length).toBeGreaterThan(0);
      const progress: number[] = [];
      const r = await importStudentFile(store, variant('three-fitness-2023.csv', (l) => l.push('', '')), { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, ...sharded, onProgress: (n) => progress.push(n) });
      expect(r.rows).toBe(dataRows);
      expect(r.parseThreads).toBe(3);
      expect(await stored()).toEqual(rows1);
      expect(await derived()).toEqual(derived1);
      expect(progress[progress.length - 1]).toBe(dataRows);
    }, 60_000);

    it('report the same problems, at the same rows, as one thread — duplicates across ranges included', async () => {
      const mid = Math.floor((dataRows + 1) / 2);
      const bad = variant('dup-fitness-2023.csv', (l) => {
        // Row 3's student appears again in the middle range and as the last row (the last
        // range), row 300 has a bad school code.
        l.push(l[2] as string);
        l.splice(mid, 0, l[2] as string);
        const cells = (l[299] as string).split(',');
        cells[0] = '12010X0101';
        l[299] = cells.join(',');
      });
      const problemsOf = async (o: object): Promise<Array<[number | undefined, string, string | undefined]>> => {
        const err = await importStudentFile(store, bad, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, ...o }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EduplanError);
        return ((err as EduplanError).problems ?? []).map((p) => [p.row, p.rule, p.column]);
      };
      const one = await problemsOf({ parseWorkers: 1 });
      expect(one).toEqual([[300, 'school_code', '学校代码'], [mid + 1, 'duplicate_student', '学籍号'], [dataRows + 3, 'duplicate_student', '学籍号']]);
      expect(await problemsOf(sharded)).toEqual(one);
      expect(await store.db.selectFrom('import_batch').select('id').where('file_name', '=', 'dup-fitness-2023.csv').execute()).toEqual([]);
    }, 60_000);

    it('fall back to one thread when a range is not plain CSV (a quoted cell late in the file)', async () => {
      const before = await stored();
      const quoted = variant('quoted-fitness-2023.csv', (l) => {
        const cells = (l[l.length - 5] as string).split(',');
        cells[2] = `"${cells[2] ?? ''}"`; // 班级编号, quoted: same value
        l[l.length - 5] = cells.join(',');
      });
      const r = await importStudentFile(store, quoted, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, ...sharded });
      expect(r.rows).toBe(dataRows);
      expect(r.parseThreads).toBe(1);
      expect(await stored()).toEqual(before);
      const batches = await sql<{ b: number }>`SELECT DISTINCT batch_id AS b FROM student_fitness WHERE year = 2023`.execute(store.db);
      expect(batches.rows.map((x) => x.b)).toEqual([r.batchId]);
    }, 60_000);

    it('skip the same bytes again although the workers started while the file was hashed; the rows keep their batch', async () => {
      const again = variant('again-fitness-2023.csv', (l) => l.push('', '', ''));
      const first = await importStudentFile(store, again, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, ...sharded });
      expect(first.parseThreads).toBe(3);
      const rows = await stored();
      const second = await importStudentFile(store, again, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, ...sharded });
      expect(second).toEqual({ batchId: first.batchId, rows: first.rows, skipped: true, parseThreads: 0 });
      expect(await stored()).toEqual(rows);
      // Every stored row carries the batch the workers were given once it existed.
      const batches = await sql<{ b: number }>`SELECT DISTINCT batch_id AS b FROM student_fitness WHERE year = 2023`.execute(store.db);
      expect(batches.rows.map((x) => x.b)).toEqual([first.batchId]);
    }, 60_000);

    it('report a header without 学籍号 before any worker reads a row, and write nothing', async () => {
      const before = await stored();
      const headless = variant('nohead-fitness-2023.csv', (l) => { l[0] = (l[0] as string).replace('学籍号', '学号X'); });
      const err = await importStudentFile(store, headless, { kind: 'fitness', pseudonymKey: KEY, clock, replace: true, ...sharded }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EduplanError);
      expect(((err as EduplanError).problems ?? []).map((p) => p.rule)).toContain('missing_column');
      expect(await stored()).toEqual(before);
      expect(await store.db.selectFrom('import_batch').select('id').where('file_name', '=', 'nohead-fitness-2023.csv').execute()).toEqual([]);
    }, 60_000);
  });

  describe('vision files: parse workers, one thread, XLSX and other encodings give one outcome', () => {
    let vfile = '';
    let vRows = 0;
    const vstored = async (): Promise<string[]> =>
      (await sql<{ r: string }>`SELECT concat_ws('|', pseudonym, org_code, grade_code, sex, age_years, class_code, va_right, va_left, sph_right, cyl_right, axis_right, sph_left, cyl_left, axis_left, ortho_k, se_right, se_left, myopic) AS r FROM vision_screening WHERE year = 2023 ORDER BY 1`.execute(store.db)).rows.map((x) => x.r);
    const vderived = async (): Promise<string[]> =>
      (await sql<{ r: string }>`SELECT concat_ws('|', org_code, element, value) AS r FROM data_value WHERE year = 2023 AND element LIKE 'vision.%' ORDER BY 1`.execute(store.db)).rows.map((x) => x.r);
    const vvariant = (name: string, edit: (lines: string[]) => void): string => {
      const lines = readFileSync(vfile, 'utf8').trimEnd().split('\n');
      edit(lines);
      const out = join(dir, name);
      writeFileSync(out, `${lines.join('\n')}\n`);
      return out;
    };
    const sharded = { parseWorkers: 3, parallelMinBytes: 0, segmentRows: 50 } as const;
    const opts = { kind: 'vision', pseudonymKey: KEY, clock, replace: true } as const;

    beforeAll(async () => {
      const gen = await writeStudentRecordFiles({ schools, years: [2023], seed: 9, outDir: join(dir, 'vision'), kinds: ['vision'] });
      vfile = join(dir, 'vision', 'vision-2023.csv');
      vRows = gen.rows;
    }, 60_000);

    it('parse workers store the same rows and counts as one thread, and a quoted cell falls back to one thread with the same rows', async () => {
      const one = await importStudentFile(store, vvariant('one-vision-2023.csv', (l) => l.push('')), { ...opts, parseWorkers: 1 });
      expect(one.rows).toBe(vRows);
      const rows1 = await vstored();
      const derived1 = await vderived();
      expect(rows1.length).toBe(vRows);
      expect(derived1.some((r) => r.includes('vision.myopic.'))).toBe(true);
      const three = await importStudentFile(store, vvariant('three-vision-2023.csv', (l) => l.push('', '')), { ...opts, ...sharded });
      expect(three.parseThreads).toBe(3);
      expect(await vstored()).toEqual(rows1);
      expect(await vderived()).toEqual(derived1);
      const quoted = vvariant('quoted-vision-2023.csv', (l) => {
        const cells = (l[l.length - 3] as string).split(',');
        cells[2] = `"${cells[2] ?? ''}"`; // 班级编号, quoted: same value
        l[l.length - 3] = cells.join(',');
      });
      const q = await importStudentFile(store, quoted, { ...opts, ...sharded });
      expect(q.parseThreads).toBe(1);
      expect(await vstored()).toEqual(rows1);
    }, 60_000);

    it('the same workbook as XLSX stores the same rows', async () => {
      const csvRows = await vstored();
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('视力');
      for (const line of readFileSync(vfile, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\n')) ws.addRow(line.split(','));
      const xlsx = join(dir, 'vision-2023.xlsx');
      await wb.xlsx.writeFile(xlsx);
      const r = await importStudentFile(store, xlsx, { ...opts, ...sharded });
      expect(r.parseThreads).toBe(1);
      expect(await vstored()).toEqual(csvRows);
    }, 60_000);

    it('bad eye cells are reported with file, row, column, value, rule and both languages, the same by parse workers and one thread', async () => {
      const header = (readFileSync(vfile, 'utf8').replace(/^\uFEFF/, '').split('\n')[0] as string).split(',');
      const bad = vvariant('bad-vision-2023.csv', (l) => {
        const set = (row: number, column: string, value: string): void => {
          const cells = (l[row - 1] as string).split(',');
          cells[header.indexOf(column)] = value;
          l[row - 1] = cells.join(',');
        };
        set(40, '右眼裸眼视力', '5.4');
        set(Math.floor(vRows / 2), '左眼屈光球镜S', '--1.00');
        set(vRows, '右眼屈光轴位A', '181');
      });
      const problemsOf = async (o: object): Promise<readonly unknown[]> => {
        const err = await importStudentFile(store, bad, { ...opts, ...o }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EduplanError);
        return (err as EduplanError).problems ?? [];
      };
      const one = await problemsOf({ parseWorkers: 1 });
      expect(one).toMatchObject([
        { file: 'bad-vision-2023.csv', row: 40, column: '右眼裸眼视力', value: '5.4', rule: 'range', message_zh: expect.stringContaining('3.0—5.3'), message_en: expect.stringContaining('3.0–5.3') },
        { row: Math.floor(vRows / 2), column: '左眼屈光球镜S', value: '--1.00', rule: 'range', message_zh: expect.any(String), message_en: expect.any(String) },
        { row: vRows, column: '右眼屈光轴位A', value: '181', rule: 'range', message_zh: '轴位应为0—180的整数', message_en: 'the axis must be an integer 0–180' },
      ]);
      expect(await problemsOf(sharded)).toEqual(one);
    }, 60_000);

    it('a GBK or UTF-16 vision file is refused by the import screen naming its encoding, and nothing is written', async () => {
      const before = await vstored();
      const text = readFileSync(vfile, 'utf8').replace(/^\uFEFF/, '');
      const gbk = join(dir, 'gbk-vision-2023.csv');
      writeFileSync(gbk, encodeGbk(text));
      const utf16 = join(dir, 'utf16-vision-2023.csv');
      writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
      for (const [f, value] of [[gbk, 'gb18030'], [utf16, 'utf-16le']] as const) {
        // The screen every import (CLI, upload) runs first; importStudentFile itself would read the header as UTF-8.
        const err = await screenStudentRecordFile(f).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EduplanError);
        expect((err as EduplanError).problems?.[0]).toMatchObject({ rule: 'encoding', value });
      }
      expect(await vstored()).toEqual(before);
    }, 60_000);
  });
});

/** GBK bytes of a text (Node has a GB18030 decoder but no encoder): each character found by decoding the two-byte range once. */
function encodeGbk(text: string): Buffer {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('gb18030');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = dec.decode(Uint8Array.from([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else out.push(...(table.get(ch) ?? [0x3f]));
  }
  return Buffer.from(out);
}
