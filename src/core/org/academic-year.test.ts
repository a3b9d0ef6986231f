import { describe, expect, it } from 'vitest';
import { academicYear, academicYearOf, ageAtEndOfAcademicYear, ageOnStatisticsDay } from './academic-year.ts';
import { districts } from './districts.ts';

describe('academic year (statistics date 1 September)', () => {
  it('runs from 1 September to 31 August', () => {
    expect(academicYear(2023)).toMatchObject({ statisticsDate: '2023-09-01', start: '2023-09-01', end: '2024-08-31', label_zh: '2023—2024学年', label_en: '2023/24' });
  });
  it('places a date in its academic year', () => {
    expect(academicYearOf('2024-08-31')).toBe(2023);
    expect(academicYearOf('2024-09-01')).toBe(2024);
    expect(academicYearOf('2025-01-15')).toBe(2024);
  });
  it('counts age in whole years on the statistics day', () => {
    expect(ageOnStatisticsDay('2017-09-01', 2023)).toBe(6); // birthday on the statistics day counts
    expect(ageOnStatisticsDay('2017-09-02', 2023)).toBe(5);
    expect(ageOnStatisticsDay('2017-12-31', 2023)).toBe(5);
  });
  it('counts the age reached by the end of the academic year (31 August next year)', () => {
    // A 大班 child of 2023 born in December 2017 is 5 on 2023-09-01 and 6 by 2024-08-31.
    expect(ageAtEndOfAcademicYear('2017-12-31', 2023)).toBe(6);
    expect(ageAtEndOfAcademicYear('2018-08-31', 2023)).toBe(6);
    expect(ageAtEndOfAcademicYear('2018-09-01', 2023)).toBe(5);
    expect(ageAtEndOfAcademicYear('2017-09-01', 2023)).toBe(6);
    expect(ageAtEndOfAcademicYear('2017-09-02', 2023)).toBe(6);
  });
  it('rejects malformed input', () => {
    expect(() => academicYear(20.5)).toThrow(RangeError);
    expect(() => academicYearOf('2024/09/01')).toThrow(RangeError);
  });
});

describe('Tianjin districts', () => {
  it('has the 16 current GB/T 2260 codes', () => {
    expect(districts.map((d) => d.code)).toEqual([
      '120101', '120102', '120103', '120104', '120105', '120106',
      '120110', '120111', '120112', '120113', '120114', '120115', '120116', '120117', '120118', '120119',
    ]);
    expect(districts.find((d) => d.code === '120119')?.name_zh).toBe('蓟州区');
  });
  it('sums to the 2020 census city population within 0.5 %', () => {
    const total = districts.reduce((s, d) => s + d.population2020, 0);
    expect(Math.abs(total - 13_866_009) / 13_866_009).toBeLessThan(0.005);
  });
});
