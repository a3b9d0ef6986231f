/** The workspace's decisions from API data: cell marks, district colours, workflow buttons, routes. */
import { describe, expect, it } from 'vitest';
import { balancedStatus, cellStatus, formatCv, formatNum, grantCovers, readableDistricts, latestYear, nextActions, preschoolStatus, workflowHistory } from './model.ts';
import { parseRoute, routePath } from '../routes.ts';

const tianjin = { root: '120000', units: Array.from({ length: 16 }, (_, i) => `1201${String(i + 1).padStart(2, '0')}`) };

describe('cellStatus (第六条: meet, or at least 85 % on the one indicator a school may miss)', () => {
  const school = {
    met_by_indicator: { sports_area_per_student: true, equipment_value_per_student: false, multimedia_classrooms_per_100: false } as Record<string, boolean>,
    shortfalls: [
      { indicator: 'equipment_value_per_student', value: 1800, threshold: 2000, fraction: 0.9, below_floor: false },
      { indicator: 'multimedia_classrooms_per_100', value: 1.5, threshold: 2.3, fraction: 0.652, below_floor: true },
    ],
  } as unknown as Parameters<typeof cellStatus>[0];
  it('reads the engine’s exact verdicts, not rounded floats', () => {
    expect(cellStatus(school, 'sports_area_per_student')).toBe('pass');
    expect(cellStatus(school, 'equipment_value_per_student')).toBe('near');
    expect(cellStatus(school, 'multimedia_classrooms_per_100')).toBe('fail');
  });
  it('an unmet indicator without a shortfall row counts as failing (never shown as near)', () => {
    expect(cellStatus(school, 'teachers_above_required_per_100')).toBe('fail');
  });
});

describe('district status on the map', () => {
  it('certification outranks the computed verdict; otherwise the verdict', () => {
    expect(balancedStatus({ certified: true, verdict: 'fail' })).toBe('certified');
    expect(balancedStatus({ certified: false, verdict: 'incomplete' })).toBe('incomplete');
    expect(balancedStatus({ certified: false, verdict: 'no_data' })).toBe('no_data');
    expect(preschoolStatus(null)).toBe('no_data');
    expect(preschoolStatus({ certified: false, verdict: 'pass' })).toBe('pass');
  });
});

describe('nextActions (the server’s workflow rules, as buttons)', () => {
  const city = [{ role: 'city_admin', orgCode: '120000' }];
  const reviewer = [{ role: 'district_reviewer', orgCode: '120101' }];
  it('a district reviewer may only self-evaluate, and only in their own district', () => {
    expect(nextActions('not_started', 'fail', reviewer, '120101', '120000').map((a) => a.action)).toEqual(['self_evaluate']);
    expect(nextActions('not_started', 'fail', reviewer, '120102', '120000')).toEqual([]);
    expect(nextActions('self_evaluated', 'pass', reviewer, '120101', '120000').map((a) => a.action)).toEqual(['self_evaluate']);
    expect(nextActions('submitted', 'pass', reviewer, '120101', '120000')).toEqual([]);
  });
  it('the city assesses, submits and certifies; submission is disabled with a reason until the verdict passes', () => {
    expect(nextActions('self_evaluated', 'fail', city, '120105', '120000').map((a) => a.action)).toEqual(['self_evaluate', 'city_assess', 'return']);
    const failing = nextActions('city_assessed', 'fail', city, '120105', '120000');
    expect(failing.find((a) => a.action === 'submit')).toMatchObject({ enabled: false, reason_zh: expect.stringContaining('达标') });
    expect(nextActions('city_assessed', 'pass', city, '120105', '120000').find((a) => a.action === 'submit')?.enabled).toBe(true);
    expect(nextActions('submitted', 'pass', city, '120105', '120000').map((a) => a.action)).toEqual(['certify', 'return']);
    expect(nextActions('certified', 'pass', city, '120105', '120000')).toEqual([]);
  });
  it('an analyst reads but has no buttons', () => {
    expect(nextActions('not_started', 'pass', [{ role: 'analyst', orgCode: '120000' }], '120101', '120000')).toEqual([]);
  });
  it('a district reviewer reads only their districts; a city grant reads the city view', () => {
    expect(readableDistricts(reviewer, tianjin)).toEqual(['120101']);
    expect(readableDistricts(city, tianjin)).toBe('city');
    expect(readableDistricts([{ role: 'school_reporter', orgCode: '120101' }], tianjin)).toEqual([]);
  });
  it('in another region the root and its units come from /api/site: a province grant reads all, a prefecture grant its own, a county grant none', () => {
    const province = { root: '990000', units: ['990100', '990200'] };
    expect(readableDistricts([{ role: 'city_admin', orgCode: '990000' }], province)).toBe('city');
    expect(readableDistricts([{ role: 'city_admin', orgCode: '990100' }], province)).toEqual(['990100']);
    expect(readableDistricts([{ role: 'city_admin', orgCode: '990101' }], province)).toEqual([]);
    expect(readableDistricts([{ role: 'city_admin', orgCode: '120000' }], province)).toEqual([]);
    expect(grantCovers('990000', '990200', '990000')).toBe(true);
    expect(grantCovers('120000', '990200', '990000')).toBe(false);
    expect(grantCovers('990000', '990200', undefined)).toBe(false);
  });
  it('a city grant covers every district; a district grant only its own', () => {
    expect(grantCovers('120000', '120116', '120000')).toBe(true);
    expect(grantCovers('120101', '120116', '120000')).toBe(false);
  });
});

describe('history, year and numbers', () => {
  it('lists the steps in order with their dates, and a return only when there was one', () => {
    const w = { state: 'returned', state_zh: '', state_en: '', self_evaluated_on: '2024-03-01', city_assessed_on: '2024-05-10', submitted_on: null, certified_on: null, returned_on: '2024-05-20', expert_comments: {} } as const;
    expect(workflowHistory(w)).toEqual([
      { step: 'self_evaluated', on: '2024-03-01' }, { step: 'city_assessed', on: '2024-05-10' },
      { step: 'submitted', on: null }, { step: 'certified', on: null }, { step: 'returned', on: '2024-05-20' },
    ]);
    expect(workflowHistory({ ...w, returned_on: null })).toHaveLength(4);
  });
  it('defaults to the newest year the progress API has a value for', () => {
    expect(latestYear([{ year: 2023 }, { year: null }, { year: 2025 }, { year: 2024 }])).toBe(2025);
    expect(latestYear([{ year: null }])).toBeNull();
  });
  it('rounds like the engine’s explanation lines: 3 decimals below 100, none from 100 up', () => {
    expect(formatNum(0.69444, 'zh')).toBe('0.694');
    expect(formatNum(3729.4, 'en')).toBe('3,729');
    expect(formatNum(187, 'zh')).toBe('187');
  });
  it('shows CVs to 3 decimals and a missing CV as a dash', () => {
    expect(formatCv(0.51534, 'zh')).toBe('0.515');
    expect(formatCv(null, 'en')).toBe('—');
  });
});

describe('workspace routes', () => {
  it('parses and prints the city view and a scorecard', () => {
    expect(parseRoute('/workspace/assessments', '?year=2024')).toEqual({ page: 'assessments', year: 2024 });
    expect(parseRoute('/workspace/assessments', '')).toEqual({ page: 'assessments' });
    const r = parseRoute('/workspace/assessments/120105', '?year=2023&level=junior');
    expect(r).toEqual({ page: 'assessment', district: '120105', year: 2023, level: 'junior' });
    expect(routePath(r)).toBe('/workspace/assessments/120105?year=2023&level=junior');
    expect(parseRoute('/workspace/assessments/120105', '?level=senior')).toEqual({ page: 'assessment', district: '120105' });
  });
  it('a malformed district code is not a scorecard', () => {
    expect(parseRoute('/workspace/assessments/12010x', '').page).not.toBe('assessment');
  });
});

describe('status colours (WCAG 2.1 1.4.3: they are also text colours, so ≥ 4.5:1 on white)', async () => {
  const { statusColour } = await import('./strings.ts');
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  for (const [status, colour] of Object.entries(statusColour)) {
    it(`${status} ${colour}`, () => {
      expect((1 + 0.05) / (lum(colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
    });
  }
});
