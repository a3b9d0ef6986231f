import { describe, expect, it } from 'vitest';
import type { Problem } from '../../core/errors.ts';
import { fitnessStandard, groupKey, itemIndex, BMI } from '../../core/standards/fitness/tables.ts';
import { mapHeader, newStudentRow, normaliseHeader, parseBirthDate, parseDecimal, parseSeconds, parseStudentRow, plausibleAge, templateHeaders, type RowContext } from './format.ts';

describe('cell formats', () => {
  it('reads decimals exactly as Number() does, and rejects what the pattern -?d+(.d+)? rejects', () => {
    const pattern = /^-?\d+(\.\d+)?$/;
    const texts = ['0', '-0', '7', '118.2', '27.25', '0.1', '0.3', '-12.5', '9.95', '1.005', '123456789012345', '1234567890.12345', '12345678901234567', '0.12345678901234567',
      '', '-', '12.', '.5', '1.2.3', '+1', '1e3', ' 1', '1 ', '１２', '3′45', '免测', 'NaN'];
    // Plus every measurement-like decimal a seeded walk produces (up to 4 decimals).
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const scale = x % 5;
      const int = Math.floor(x / 7) % 100000;
      texts.push(scale === 0 ? String(int) : `${Math.floor(int / 10 ** scale)}.${String(int % 10 ** scale).padStart(scale, '0')}`);
    }
    for (const t of texts) {
      const want = pattern.test(t) ? Number(t) : NaN;
      expect(Object.is(parseDecimal(t), want), `${JSON.stringify(t)} → ${parseDecimal(t)}, Number() ${want}`).toBe(true);
    }
  });

  it('reads times as integer seconds in every form clerks use (statistics-forms.md §2.4)', () => {
    expect(parseSeconds("3'45")).toBe(225);
    expect(parseSeconds('3′45″')).toBe(225);
    expect(parseSeconds('3’05')).toBe(185);
    expect(parseSeconds('225')).toBe(225);
    expect(parseSeconds("3'75")).toBeNull(); // seconds > 59
    expect(parseSeconds("3'5")).toBeNull(); // seconds need two digits
  });

  it('reads birth dates as yyyymmdd, yyyy-mm-dd, yyyy/mm/dd and rejects impossible dates', () => {
    expect(parseBirthDate('20170315')).toBe('2017-03-15');
    expect(parseBirthDate('2017/3/5')).toBe('2017-03-05');
    expect(parseBirthDate('2017-02-29')).toBeNull();
  });

  it('expects age = years of schooling + 5, accepting −1 … +4', () => {
    expect(plausibleAge(11)).toEqual({ min: 5, max: 10 });
    expect(plausibleAge(21)).toEqual({ min: 11, max: 16 });
    expect(plausibleAge(24)).toBeNull();
    // 大班 (03): normally 5 on the statistics day.
    expect(plausibleAge(3)).toEqual({ min: 4, max: 7 });
  });
});

describe('header matching', () => {
  it('normalises brackets, × and spaces', () => {
    expect(normaliseHeader('800米跑（女）')).toBe('800米跑(女)');
    expect(normaliseHeader(' 50米×8往返跑 ')).toBe('50米x8往返跑');
  });

  it('finds columns in any order and names missing required ones', () => {
    const { index, problems } = mapHeader(['性别', '学籍号', '年级编号', '出生日期', '学校代码', '1000米跑（男）'], 'fitness', { file: 'f.csv' });
    expect(problems).toEqual([]);
    expect(index).toMatchObject({ sex: 0, student_no: 1, grade: 2, run_1000m: 5 });
    const r = mapHeader(['学校代码', '学籍号', '学籍号'], 'vision', { file: 'v.csv' });
    expect(r.problems.map((p) => `${p.rule}:${p.column}`)).toEqual([
      'duplicate_column:学籍号', 'missing_column:年级编号', 'missing_column:性别', 'missing_column:出生日期', 'missing_column:右眼裸眼视力', 'missing_column:左眼裸眼视力',
    ]);
  });
});

describe('row validation', () => {
  const std = fitnessStandard();
  const header = templateHeaders('fitness');
  const ctx: RowContext = {
    file: 'fitness-2023.csv', kind: 'fitness', year: 2023, index: mapHeader(header, 'fitness', { file: 'x' }).index,
    itemsFor: (g, s) => std.groups.get(groupKey(g, s))?.items,
  };
  const row = (cells: Record<string, string>) => ({ row: 2, cells: header.map((h) => cells[h] ?? '') });
  const base = { 学校代码: '1201010001', 年级编号: '21', 学籍号: 'L20110620001', 性别: '1', 出生日期: '20110620' };

  it('converts a good row: times to seconds, BMI from height and weight', () => {
    const out = newStudentRow();
    const problems: Problem[] = [];
    expect(parseStudentRow(ctx, header, row({ ...base, 身高: '160', 体重: '50', '1000米跑(男)': "3'55", 引体向上: '', '引体向上(男)': '13' }), out, problems)).toBe(true);
    expect(problems).toEqual([]);
    expect(out.values[itemIndex.run_1000m]).toBe(235);
    expect(out.values[itemIndex.pull_ups]).toBe(13);
    expect(out.values[BMI]).toBe(19.5);
    expect(out.ageYears).toBe(12);
    expect(Number.isNaN(out.values[itemIndex.vital_capacity])).toBe(true);
  });

  it('locates every bad cell with its rule, and hides identifiers in the report', () => {
    const problems: Problem[] = [];
    const ok = parseStudentRow(ctx, header, row({ ...base, 性别: '男生', 身份证号: '120104201509010018', 一分钟跳绳: '120', 肺活量: 'abc' }), newStudentRow(), problems);
    expect(ok).toBe(false);
    expect(problems.map((p) => `${p.column}:${p.rule}`)).toEqual(['性别:sex_code', '身份证号:id_checksum', '肺活量:number']);
    expect(JSON.stringify(problems)).not.toContain('120104201509010018');
    // A boy in 21: rope skipping is not a secondary item.
    const p2: Problem[] = [];
    parseStudentRow(ctx, header, row({ ...base, 一分钟跳绳: '120' }), newStudentRow(), p2);
    expect(p2.map((p) => p.rule)).toEqual(['item_not_for_grade']);
  });

  it('kindergarten 大班 (年级编号 03): accepted in vision files, refused in fitness files', () => {
    const vHeader = templateHeaders('vision');
    const vctx: RowContext = { ...ctx, file: 'vision-2023.csv', kind: 'vision', index: mapHeader(vHeader, 'vision', { file: 'v' }).index };
    const k3 = { 学校代码: '1201010009', 年级编号: '03', 学籍号: 'L2017120400012', 性别: '2', 出生日期: '20171204', 右眼裸眼视力: '4.8', 左眼裸眼视力: '5.0', 右眼屈光球镜S: '-0.75', 右眼屈光柱镜C: '-0.50' };
    const out = newStudentRow();
    const problems: Problem[] = [];
    expect(parseStudentRow(vctx, vHeader, { row: 2, cells: vHeader.map((h) => (k3 as Record<string, string>)[h] ?? '') }, out, problems)).toBe(true);
    expect(problems).toEqual([]);
    expect(out).toMatchObject({ gradeCode: 3, ageYears: 5, vaR: 4.8, sphR: -0.75 });
    // A 大班 child of 8 is not plausible.
    const old: Problem[] = [];
    parseStudentRow(vctx, vHeader, { row: 3, cells: vHeader.map((h) => ({ ...k3, 学籍号: 'L1234567', 出生日期: '20150101' } as Record<string, string>)[h] ?? '') }, newStudentRow(), old);
    expect(old.map((p) => p.rule)).toEqual(['grade_age']);
    // The fitness standard does not test kindergartens.
    const fit: Problem[] = [];
    parseStudentRow(ctx, header, row({ ...base, 年级编号: '03', 学籍号: 'L1234567', 出生日期: '20171204' }), newStudentRow(), fit);
    expect(fit.map((p) => `${p.column}:${p.rule}`)).toEqual(['年级编号:grade_code']);
    // Other unknown codes are refused in vision files too, with the codes the file may use.
    const bad: Problem[] = [];
    parseStudentRow(vctx, vHeader, { row: 4, cells: vHeader.map((h) => ({ ...k3, 年级编号: '02' } as Record<string, string>)[h] ?? '') }, newStudentRow(), bad);
    expect(bad).toMatchObject([{ column: '年级编号', rule: 'grade_code', message_zh: expect.stringContaining('03（幼儿园大班）') }]);
  });
});
