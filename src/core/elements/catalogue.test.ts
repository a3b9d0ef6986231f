import { describe, expect, it } from 'vitest';
import { elementByCode, expandElement, parseElementCode, reportedCodes } from './catalogue.ts';

describe('data-element catalogue', () => {
  it('expands grade × sex for the grades a school type teaches', () => {
    const enrol = elementByCode.get('enrol');
    expect(enrol).toBeDefined();
    if (!enrol) return;
    expect(expandElement(enrol, 'junior')).toEqual(['enrol.g7.m', 'enrol.g7.f', 'enrol.g8.m', 'enrol.g8.f', 'enrol.g9.m', 'enrol.g9.f']);
    expect(expandElement(enrol, 'nine_year', { grades: ['g9'], sexes: ['f'] })).toEqual(['enrol.g9.f']);
  });

  it('lists what a kindergarten reports and nothing of a school', () => {
    const codes = reportedCodes('kindergarten');
    expect(codes).toContain('enrol.k1.m');
    expect(codes).toContain('teachers.fulltime');
    expect(codes).not.toContain('classes.cmp.56_65');
    expect(codes).not.toContain('he.students');
  });

  it('parses a concrete code back into its element and dimensions', () => {
    expect(parseElementCode('enrol.g7.f')).toMatchObject({ base: { code: 'enrol' }, grade: 'g7', sex: 'f' });
    expect(parseElementCode('fitness.tested.g3.m')).toMatchObject({ base: { code: 'fitness.tested' }, grade: 'g3', sex: 'm' });
    expect(parseElementCode('area.sports_m2')).toMatchObject({ base: { code: 'area.sports_m2' } });
    expect(parseElementCode('enrol.g13.f')).toBeUndefined();
    expect(parseElementCode('nonsense')).toBeUndefined();
  });

  it('has unique codes', () => {
    const all = [...elementByCode.keys()];
    expect(new Set(all).size).toBe(all.length);
  });
});
