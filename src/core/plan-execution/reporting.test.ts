import { describe, expect, it } from 'vitest';
import { chinaDate, milestoneOverdue, parsePeriod, periodsOf, reportingRate, standings } from './reporting.ts';

describe('reporting periods', () => {
  it('semi-annual by default: H1 due 15 July, H2 due 15 January of the next year', () => {
    expect(periodsOf('semiannual', 2023, 2023)).toEqual([
      { code: '2023H1', year: 2023, start: '2023-01-01', end: '2023-06-30', due: '2023-07-15' },
      { code: '2023H2', year: 2023, start: '2023-07-01', end: '2023-12-31', due: '2024-01-15' },
    ]);
    expect(periodsOf('quarterly', 2024, 2024).map((p) => [p.code, p.end])).toEqual([['2024Q1', '2024-03-31'], ['2024Q2', '2024-06-30'], ['2024Q3', '2024-09-30'], ['2024Q4', '2024-12-31']]);
    expect(parsePeriod('2024')).toMatchObject({ start: '2024-01-01', due: '2025-01-15' });
    expect(parsePeriod('2024H3')).toBeNull();
    expect(parsePeriod('24H1')).toBeNull();
  });

  it('dates are China Standard Time: 23:30 UTC on 14 July is already 15 July in Tianjin', () => {
    expect(chinaDate(new Date('2023-07-14T23:30:00Z'))).toBe('2023-07-15');
    expect(chinaDate(new Date('2023-07-15T15:59:00Z'))).toBe('2023-07-15');
    expect(chinaDate(new Date('2023-07-15T16:00:00Z'))).toBe('2023-07-16');
  });
});

describe('who is late (DHIS2-style reporting rates)', () => {
  const periods = periodsOf('semiannual', 2023, 2024);
  it('on time, late, missing, returned and not yet due', () => {
    const s = standings(periods, [
      { period: '2023H1', state: 'accepted', submitted_at: '2023-07-10T02:00:00Z' },
      { period: '2023H2', state: 'submitted', submitted_at: '2024-01-20T02:00:00Z' },
      { period: '2024H1', state: 'returned', submitted_at: null },
    ], '2024-09-01');
    expect(s.map((x) => [x.period.code, x.state, x.days_late])).toEqual([
      ['2023H1', 'on_time', null], ['2023H2', 'late', 5], ['2024H1', 'returned', 48], ['2024H2', 'not_due', null],
    ]);
    expect(reportingRate(s)).toEqual({ expected: 3, received: 2, on_time: 1, overdue: 1, rate: 2 / 3, on_time_rate: 1 / 3 });
  });

  it('a draft is not a report; a report due today is not yet late', () => {
    const s = standings(periods.slice(0, 1), [{ period: '2023H1', state: 'draft', submitted_at: null }], '2023-07-15');
    expect(s[0]?.state).toBe('not_due');
    expect(standings(periods.slice(0, 1), [{ period: '2023H1', state: 'draft', submitted_at: null }], '2023-07-16')[0]).toMatchObject({ state: 'missing', days_late: 1 });
    expect(reportingRate([])).toMatchObject({ expected: 0, rate: null });
  });

  it('milestones are overdue after their due date unless done', () => {
    expect(milestoneOverdue({ due: '2023-12-31', done_on: null }, '2024-01-01')).toBe(true);
    expect(milestoneOverdue({ due: '2023-12-31', done_on: null }, '2023-12-31')).toBe(false);
    expect(milestoneOverdue({ due: '2023-12-31', done_on: '2024-02-01' }, '2024-03-01')).toBe(false);
  });
});
