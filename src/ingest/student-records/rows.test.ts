/**
 * The byte path (`processLine`, row-bytes.ts, for fitness and vision files, and in batches: `queueLine` +
 * `flushLines`, student numbers hashed by hmac-batch.ts) against the string path
 * (`process`, parseStudentRow) on the same lines: generated rows of every grade, then the
 * same rows with cells changed to the forms schools actually send and to every kind of
 * mistake. Whatever the path, the stored tuples (byte for byte), the problems (in order,
 * with their rows and columns), the tallies and the first-seen pseudonyms must be the same.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMyopiaPolicy } from '../../core/standards/vision/myopia.ts';
import { writeStudentRecordFiles, type DemoSchool } from '../../demo/students.ts';
import { mapHeader, type StudentFileKind } from './format.ts';
import { StudentRowProcessor, type RowProcessorInit } from './rows.ts';

const schools: DemoSchool[] = [
  { code: '1201010101', type: 'primary', district: '120101', enrolment: { g1: { m: 30, f: 30 }, g2: { m: 20, f: 20 }, g4: { m: 20, f: 20 }, g6: { m: 30, f: 30 } } },
  { code: '1201020102', type: 'junior', district: '120102', enrolment: { g7: { m: 30, f: 30 }, g9: { m: 30, f: 30 } } },
  { code: '1201030103', type: 'senior', district: '120103', enrolment: { g10: { m: 20, f: 20 }, g12: { m: 20, f: 20 } } },
  { code: '1201040104', type: 'vocational', district: '120104', enrolment: { v1: { m: 20, f: 20 } } },
];

/** The string path, the byte path line by line, and the byte path in batches, over the same lines. */
function runBoth(header: string[], lines: string[], kind: StudentFileKind = 'fitness', withSchools: readonly DemoSchool[] = schools): { strings: Outcome; bytes: Outcome; batched: Outcome; readFromBytes: number; hashedInBatches: number } {
  const { index } = mapHeader(header, kind, { file: 'f.csv' });
  const init: RowProcessorInit = {
    kind, year: 2023, where: { file: 'f.csv' }, header, index,
    schoolTypes: withSchools.map((s) => [s.code, s.type] as const), pseudonymKey: 'test-pseudonym-key-0123456789',
    myopiaPolicy: defaultMyopiaPolicy, batchId: 3, expectedRows: lines.length,
  };
  const a = new StudentRowProcessor(init, { keepFirstSeen: true });
  const b = new StudentRowProcessor(init, { keepFirstSeen: true });
  // Batches of 12 lines: many full queues, and a partial one at the end.
  const c = new StudentRowProcessor(init, { keepFirstSeen: true, lineBatch: 12 });
  lines.forEach((line, i) => {
    // Keep writing after problems, so that every valid row's tuple is compared too.
    a.process({ row: i + 2, cells: line.split(',') }, true);
    // The line inside a larger buffer, as the splitter hands it over.
    const buf = Buffer.from(`junk,${line}\n`, 'utf8');
    b.processLine(buf, 5, buf.length - 1, i + 2, true);
    if (c.queueLine(buf, 5, buf.length - 1, i + 2)) c.flushLines(true);
  });
  c.flushLines(true);
  return { strings: outcome(a), bytes: outcome(b), batched: outcome(c), readFromBytes: b.rowsFromBytes, hashedInBatches: c.digestsFromBatch };
}

interface Outcome { copy: Buffer; problems: unknown[]; problemCount: number; rows: number; tallies: unknown; firstSeen: unknown }
function outcome(p: StudentRowProcessor): Outcome {
  const f = p.firstSeen;
  return {
    copy: Buffer.concat(p.copy.take()), problems: p.problems, problemCount: p.problemCount, rows: p.rows,
    tallies: [...p.tallies].map(([k, t]) => [k, t.type, [...t.counts]]),
    firstSeen: f ? [Array.from(p.firstSeenWords()), Array.from(f.rows.subarray(0, f.count))] : null,
  };
}

/** Deterministic choices (the test must fail the same way every time). */
function chooser(seed: number): <T>(xs: readonly T[]) => T {
  let s = seed >>> 0;
  return <T>(xs: readonly T[]): T => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return xs[s % xs.length] as T;
  };
}

describe('student rows: the byte path equals the string path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-rows-'));
  let header: string[] = [];
  let lines: string[] = [];
  beforeAll(async () => {
    await writeStudentRecordFiles({ schools, years: [2023], seed: 11, outDir: dir, kinds: ['fitness'] });
    const text = readFileSync(join(dir, 'fitness-2023.csv'), 'utf8').replace(/^\uFEFF/, '');
    const all = text.split('\n').filter((l) => l !== '');
    header = (all[0] as string).split(',');
    lines = all.slice(1);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on the generated rows as schools send them (m′ss times, 否, G + ID student numbers): the bytes path reads them all', () => {
    expect(lines.length).toBeGreaterThan(400);
    const { strings, bytes, batched, readFromBytes, hashedInBatches } = runBoth(header, lines);
    expect(strings.problemCount).toBe(0);
    expect(readFromBytes).toBe(lines.length);
    expect(bytes).toEqual(strings);
    expect(hashedInBatches).toBe(lines.length);
    expect(batched).toEqual(strings);
  });

  it.each([20231, 7, 99])('on rows with one or more cells changed to unusual forms and mistakes (seed %i)', (seed) => {
    const pick = chooser(seed);
    const col = (name: string): number => header.indexOf(name);
    const idOf = (line: string): string => line.split(',')[col('身份证号')] ?? '';
    const variants: Record<string, readonly string[]> = {
      学校代码: ['', ' 1201010101', '1201010101 ', '120101010', '12010101011', '１201010101', '1201019999', 'abcdefghij', '\uFEFF1201010101'],
      // 03 (大班) is a vision grade: a fitness file refuses it on both paths.
      年级编号: ['', '1', '111', '17', '41', ' 11', '２1', '21', '31', '16', '11', '03', '3'],
      学籍号: ['', 'ABC12', 'A'.repeat(33), 'g120101201304290019', 'G120101201304290011', '学籍号12345', ' L1234567', 'l1234567abc', 'L1234567ABC'],
      性别: ['', '1', '2', '男', '女', '3', ' 1', 'M', '男 '],
      出生日期: ['', '2013-04-29', '2013/4/29', '20130229', '20120229', '20130431', '19000101', '18991231', '20130429 ', '99999999', '20100101', '20170901', '20170902'],
      身份证号: ['', '12010120130429001x', '120101201304290011', '12010120130429001', ' 120101201304290019', '110105194912310021'],
      班级编号: ['', ' 1101', '1101 ', '一班', 'A-1', 'x'.repeat(70), '1101'],
      免测: ['', '否', '是', '0', '1', 'Y', 'yes', '免测', ' 否', 'x', '免体'],
    };
    const itemVariants = ['', '0', '-0', '-1', '1.', '.5', '1.5', '007', '1e3', '1234567890123456', '3′45', "3'45", '3’45', "3'60", "3'4", '3′45″', "12'05", '免测', ' 12', '12 ', '99999', '1\u3000', '45', '150', '8.5', '2000', '1.25'];
    const itemHeaders = header.slice(col('身高'), col('免测'));
    const mutated: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const cells = (lines[i] as string).split(',');
      const changes = 1 + (i % 3);
      for (let k = 0; k < changes; k++) {
        const h = pick([...Object.keys(variants), ...itemHeaders, ...itemHeaders]);
        const c = col(h);
        let v = pick(variants[h] ?? itemVariants);
        // The ID column: sometimes the student's own ID in lower case, or another student's.
        if (h === '身份证号' && v === '') v = pick(['', idOf(pick(lines)), (cells[c] ?? '').toLowerCase()]);
        cells[c] = v;
      }
      let line = cells.join(',');
      // Line shapes: short, long, a trailing comma; and a student number seen before.
      if (i % 41 === 0) line = cells.slice(0, 12).join(',');
      if (i % 43 === 0) line += ',extra,cells';
      if (i % 47 === 0) line += ',';
      if (i % 53 === 0) line = lines[Math.max(0, i - 5)] as string;
      mutated.push(line);
    }
    const { strings, bytes, batched, readFromBytes, hashedInBatches } = runBoth(header, mutated);
    // The mutations must reach both sides of the contract: problems, and changed rows the byte path still reads.
    expect(strings.problemCount).toBeGreaterThan(200);
    expect(readFromBytes).toBeGreaterThan(30);
    expect(readFromBytes).toBeLessThan(mutated.length - 200);
    expect(bytes.problems).toEqual(strings.problems);
    expect(bytes).toEqual(strings);
    // In batches: the same again, the byte path's rows hashed in the batch (lower case, 33 letters and Chinese included).
    expect(hashedInBatches).toBe(readFromBytes);
    expect(batched).toEqual(strings);
  });
});

describe('student rows: vision files, kindergarten 大班 (年级编号 03) included', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-rows-vision-'));
  const withKg: DemoSchool[] = [...schools, { code: '1201050105', type: 'kindergarten', district: '120105', enrolment: { k1: { m: 20, f: 20 }, k3: { m: 25, f: 25 } } }];
  let header: string[] = [];
  let lines: string[] = [];
  beforeAll(async () => {
    await writeStudentRecordFiles({ schools: withKg, years: [2023], seed: 11, outDir: dir, kinds: ['vision'] });
    const text = readFileSync(join(dir, 'vision-2023.csv'), 'utf8').replace(/^\uFEFF/, '');
    const all = text.split('\n').filter((l) => l !== '');
    header = (all[0] as string).split(',');
    lines = all.slice(1);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tallyOf = (o: Outcome, school: string): Map<string, number[]> => {
    const t = (o.tallies as Array<[string, string, Array<[string, number[]]>]>).find(([k]) => k === school);
    return new Map(t?.[2] ?? []);
  };

  it('the 大班 records import (tallied as k3, the 6-year-olds classified) and both ways of reading a line agree', () => {
    const k3Lines = lines.filter((l) => l.split(',')[1] === '03');
    // 25 + 25 大班 children; 小班 (k1) has no record (no 年级编号, under 6).
    expect(k3Lines).toHaveLength(50);
    const { strings, bytes, batched, readFromBytes, hashedInBatches } = runBoth(header, lines, 'vision', withKg);
    expect(strings.problemCount).toBe(0);
    // The generated rows (+0.25, -1.00, 4.6, 否, G + ID student numbers) are all read from their bytes, hashed in batches.
    expect(readFromBytes).toBe(lines.length);
    expect(hashedInBatches).toBe(lines.length);
    expect(bytes).toEqual(strings);
    expect(batched).toEqual(strings);
    const kg = tallyOf(strings, '1201050105');
    expect([...kg.keys()].sort()).toEqual(['k3.f', 'k3.m']);
    // Every 大班 child is 5 on the statistics day and 6 by the end of the year: classified (screened), none left out.
    expect((kg.get('k3.m')?.[0] ?? 0) + (kg.get('k3.f')?.[0] ?? 0)).toBe(50);
  });

  it('a 大班 record at a primary school, or a 大班 child of 9, is refused the same way on both paths', () => {
    const col = (name: string): number => header.indexOf(name);
    const k3 = lines.find((l) => l.split(',')[1] === '03') ?? '';
    const atPrimary = k3.split(',');
    atPrimary[col('学校代码')] = '1201010101';
    const tooOld = k3.split(',');
    tooOld[col('出生日期')] = '20140101';
    tooOld[col('身份证号')] = '';
    tooOld[col('学籍号')] = 'L20140101999';
    const { strings, bytes } = runBoth(header, [atPrimary.join(','), tooOld.join(',')], 'vision', withKg);
    expect(strings.problems).toMatchObject([
      { row: 2, rule: 'grade_for_school', message_zh: '该校（primary）没有年级编号03' },
      { row: 3, rule: 'grade_age' },
    ]);
    expect(bytes).toEqual(strings);
  });

  it.each([4011, 5, 77])('on vision rows with cells changed to unusual forms and mistakes (seed %i): the same tuples, problems, tallies and pseudonyms', (seed) => {
    const pick = chooser(seed);
    const col = (name: string): number => header.indexOf(name);
    const acuity = ['', '0', '9', '9.0', '0.0', '5', '3', '2', '6', '3.0', '5.3', '5.4', '2.9', '4.85', '4.', '.8', '4,8', ' 4.8', '4.8 ', '-4.8', '+4.8', '4.8\u3000', '４.8', 'x', '10'];
    const diopter = ['', '0', '-0', '+0', '-0.00', '+0.00', '0.25', '-0.25', '+0.25', '-1.', '.5', '+-1', '--1', '-+1', '+', '-', '1e1', '-30', '-30.00', '30.01', '-15.25', '15', '+15.00', '-0.125', ' -1.00', '-1.00 ', '0.1234567890123456', '１.00', '−1.00'];
    const axis = ['', '0', '00', '000', '0000', '180', '181', '-1', '1.0', '90', '007', ' 90', '90 ', 'a'];
    const variants: Record<string, readonly string[]> = {
      学校代码: ['', ' 1201010101', '120101010', '1201019999', '1201050105'],
      年级编号: ['', '03', '3', '11', '17', '21', '31', '33', ' 11'],
      学籍号: ['', 'ABC12', 'A'.repeat(33), 'g120101201304290019', 'G120101201304290011', 'l1234567abc', '学籍号12345'],
      性别: ['', '1', '2', '男', '女', '3', 'M'],
      出生日期: ['', '2013-04-29', '20130229', '20170101', '20180301', '20130429 '],
      身份证号: ['', '12010120130429001x', '120101201304290011', ' 120101201304290019'],
      班级编号: ['', ' 1101', '一班', 'A-1', '1101'],
      右眼裸眼视力: acuity, 左眼裸眼视力: acuity,
      右眼屈光球镜S: diopter, 右眼屈光柱镜C: diopter, 左眼屈光球镜S: diopter, 左眼屈光柱镜C: diopter,
      右眼屈光轴位A: axis, 左眼屈光轴位A: axis,
      '是否为角膜塑形镜(OK镜)佩戴者': ['', '是', '否', '0', '1', 'y', 'YES', 'true', '√', '是 ', 'x', 'N'],
    };
    const eyeHeaders = header.slice(col('右眼裸眼视力'));
    const mutated: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const cells = (lines[i] as string).split(',');
      const changes = 1 + (i % 3);
      for (let k = 0; k < changes; k++) {
        // Eye cells twice as often as identity cells: they are what this path adds.
        const h = pick([...Object.keys(variants), ...eyeHeaders]);
        cells[col(h)] = pick(variants[h] ?? []);
      }
      let line = cells.join(',');
      if (i % 41 === 0) line = cells.slice(0, 13).join(',');
      if (i % 43 === 0) line += ',extra';
      if (i % 53 === 0) line = lines[Math.max(0, i - 5)] as string;
      mutated.push(line);
    }
    const { strings, bytes, batched, readFromBytes, hashedInBatches } = runBoth(header, mutated, 'vision', withKg);
    expect(strings.problemCount).toBeGreaterThan(100);
    expect(readFromBytes).toBeGreaterThan(30);
    expect(readFromBytes).toBeLessThan(mutated.length - 100);
    expect(bytes.problems).toEqual(strings.problems);
    expect(bytes).toEqual(strings);
    expect(hashedInBatches).toBe(readFromBytes);
    expect(batched).toEqual(strings);
  });
});
