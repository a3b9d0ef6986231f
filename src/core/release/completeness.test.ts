import { describe, expect, it } from 'vitest';
import { completeness, DEFAULT_RELEASE_THRESHOLD, type ExpectedSchool } from './completeness.ts';

const school = (code: string, district: string, form: string, reported: boolean, state: string | null = null): ExpectedSchool =>
  ({ code, name_zh: `学校${code}`, name_en: `School ${code}`, district_code: district, form_code: form, reported, contact_name: null, contact_phone: null, submission_state: state });
const forms = [{ code: 'annual.primary', name_zh: '小学', name_en: 'Primary' }, { code: 'annual.junior', name_zh: '初中', name_en: 'Junior' }, { code: 'annual.senior', name_zh: '高中', name_en: 'Senior' }];
const districts = [{ code: '120101', name_zh: '和平区', name_en: 'Heping' }, { code: '120102', name_zh: '河东区', name_en: 'Hedong' }];

describe('completeness before a release', () => {
  it('shares per form and per district; missing schools listed in code order with where their submission stands', () => {
    const c = completeness([
      school('0003', '120101', 'annual.primary', false, 'submitted'), school('0001', '120101', 'annual.primary', true),
      school('0002', '120101', 'annual.primary', false), school('0004', '120102', 'annual.junior', true),
    ], forms, districts, {});
    expect(c.forms.map((f) => [f.form_code, f.expected, f.reported, f.threshold, f.met])).toEqual([['annual.primary', 3, 1, DEFAULT_RELEASE_THRESHOLD, false], ['annual.junior', 1, 1, 0.95, true]]);
    expect(c.forms[0]?.share).toBeCloseTo(1 / 3, 12);
    expect(c.complete).toBe(false);
    expect(c.districts[0]?.missing.map((m) => [m.code, m.submission_state])).toEqual([['0002', null], ['0003', 'submitted']]);
    expect(c.districts[1]).toMatchObject({ expected: 1, reported: 1, share: 1, missing: [] });
  });

  it('compares whole schools with the threshold: 19 of 20 meets 95 %, 18 of 19 does not', () => {
    const of = (n: number, reported: number): ExpectedSchool[] => Array.from({ length: n }, (_, i) => school(String(i).padStart(4, '0'), '120101', 'annual.primary', i < reported));
    expect(completeness(of(20, 19), forms, districts, {}).complete).toBe(true);
    expect(completeness(of(19, 18), forms, districts, {}).complete).toBe(false); // 94.7 %
    // A form's own threshold (set by the city) replaces the default.
    expect(completeness(of(19, 18), forms, districts, { 'annual.primary': 0.9 }).complete).toBe(true);
    expect(completeness(of(10, 0), forms, districts, { 'annual.primary': 0 }).complete).toBe(true);
  });

  it('a form nobody is expected to report is left out; a district with no school has share null', () => {
    const c = completeness([school('0001', '120101', 'annual.primary', true)], forms, districts, {});
    expect(c.forms.map((f) => f.form_code)).toEqual(['annual.primary']);
    expect(c.districts[1]).toMatchObject({ district_code: '120102', expected: 0, share: null });
    expect(completeness([], forms, districts, {}).complete).toBe(true);
  });
});
