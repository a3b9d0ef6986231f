import { describe, expect, it } from 'vitest';
import { EduplanError, errorCatalogue, formatProblems, locate } from './errors.ts';

describe('error catalogue', () => {
  it('gives every code a status and Chinese and English message and fix', () => {
    for (const [code, e] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^E_[A-Z_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      for (const text of [e.zh, e.en, e.fix_zh, e.fix_en]) expect(text.length).toBeGreaterThan(2);
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('serialises an error with its code, both languages and every problem', () => {
    const err = new EduplanError('E_IMPORT_INVALID', {
      detail: 'school-stats-2023.csv',
      problems: [{ file: 'school-stats-2023.csv', row: 12, column: 'enrol.g1.f', value: '-3', rule: 'non_negative', message_zh: '不能为负数', message_en: 'must not be negative' }],
    });
    const body = err.toJSON();
    expect(err.status).toBe(422);
    expect(body.error.code).toBe('E_IMPORT_INVALID');
    expect(body.error.message_zh).toContain('未写入任何数据');
    expect(body.error.problems).toHaveLength(1);
    expect(body.error.detail).toBe('school-stats-2023.csv');
  });

  it('locates a problem in both languages', () => {
    expect(locate({ file: 'a.xlsx', sheet: '基础数据', row: 3, column: 'C', rule: 'r', message_zh: '', message_en: '' })).toEqual({
      en: 'a.xlsx, sheet 基础数据, row 3, column C',
      zh: 'a.xlsx 工作表「基础数据」 第3行 「C」列',
    });
    expect(locate({ path: 'indicators[2].target', rule: 'r', message_zh: '', message_en: '' }).en).toBe('at indicators[2].target');
  });

  it('formats problems for a terminal and says how many were left out', () => {
    const problems = Array.from({ length: 3 }, (_, i) => ({ row: i + 1, rule: 'range', message_zh: '超出范围', message_en: 'out of range', fix_zh: '改正', fix_en: 'correct it' }));
    const text = formatProblems(problems, 2);
    expect(text.split('\n')).toHaveLength(5);
    expect(text).toContain('第1行');
    expect(text).toContain('row 2: out of range (fix: correct it)');
    expect(text).toContain('1 more problems');
  });
});
