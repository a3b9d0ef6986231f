import { describe, expect, it } from 'vitest';
import { chinaDay, chineseNumeral, formatDate, formatNumber, formatTarget, formatValue } from './format.ts';

describe('report number format', () => {
  it('prints percentages with one decimal, schooling years with two, head counts whole', () => {
    expect(formatValue(43.94, '%', 'zh')).toBe('43.9%');
    expect(formatValue(43.95, '%', 'zh')).toBe('44.0%');
    expect(formatValue(0.05, '%', 'zh')).toBe('0.1%');
    expect(formatValue(12.034, '年', 'zh')).toBe('12.03年');
    expect(formatValue(12.034, '年', 'en')).toBe('12.03 years');
    expect(formatValue(4521.6, '人', 'zh')).toBe('4522人');
    expect(formatValue(5123456.4, '人次', 'zh')).toBe('5123456人次');
  });

  it('prints other plan units with at most two decimals and no trailing zeros', () => {
    expect(formatNumber(7.5, '平方米')).toBe('7.5');
    expect(formatValue(20, '个', 'zh')).toBe('20个');
    expect(formatValue(20, '个', 'en')).toBe('20');
    expect(formatValue(3.333, '所/区', 'en')).toBe('3.33 per district');
  });

  it('prints targets with their comparator', () => {
    expect(formatTarget('>=', 50, '%', 'zh')).toBe('≥50.0%');
    expect(formatTarget('maintain', 4500, '人', 'zh')).toBe('保持4500人');
    expect(formatTarget('<=', 48.5, '%', 'en')).toBe('≤48.5%');
  });

  it('dates print as the day in Tianjin and in each language', () => {
    expect(chinaDay('2025-06-30T20:00:00Z')).toBe('2025-07-01');
    expect(formatDate('2025-07-01', 'zh')).toBe('2025年7月1日');
    expect(formatDate('2025-07-01', 'en')).toBe('1 July 2025');
  });

  it('numbers sections as the plan does', () => {
    expect([1, 4, 10, 11, 20].map(chineseNumeral)).toEqual(['一', '四', '十', '十一', '二十']);
  });
});
