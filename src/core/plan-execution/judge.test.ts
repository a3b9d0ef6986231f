import { describe, expect, it } from 'vitest';
import type { Point } from '../progress/progress.ts';
import { countStatuses, judgeTarget, targetStatusOf } from './judge.ts';
import { judgedTarget, sourceLabel, type PlanTarget } from './targets.ts';

const opts = (year: number) => ({ year, baselineYear: 2020, periodStart: 2021 });
const target = (over: Partial<PlanTarget> & Pick<PlanTarget, 'comparator' | 'target'>): PlanTarget => {
  const t: PlanTarget = {
    id: 't', kind: 'project', source: '专栏19', section: '专栏19', text_zh: '', text_en: '', source_zh: '', target_max: null, approximate: false,
    unit: '个', year: 2025, baseline: null, direction: 'up', nature: 'expected', data_path: { kind: 'entered' },
    judged: { comparator: over.comparator, value: over.target, unit: over.unit ?? '个', every_year: false, note_zh: null, note_en: null },
    project: null, task_area: null, subtask: null, indicator: null, note_zh: null, note_en: null, ...over,
  };
  return t;
};
const series = (pairs: Array<[number, number]>): Point[] => pairs.map(([year, value]) => ({ year, value }));

describe('judgeTarget — count targets on the progress engine', () => {
  it('a count from its plan baseline: 17 → 20 鲁班工坊, 19 by 2023 is on track; the final verdict at 2025', () => {
    const luban = target({ comparator: '>=', target: 20, baseline: { year: 2020, value: 17 } });
    expect(judgeTarget(luban, series([[2020, 17], [2023, 19]]), opts(2023))).toMatchObject({ status: 'on_track', value: 19, value_year: 2023, final: false, baseline: { origin: 'plan', value: 17 } });
    expect(judgeTarget(luban, series([[2020, 17], [2023, 18]]), opts(2023))).toMatchObject({ status: 'at_risk', progress_status: 'limited' });
    expect(judgeTarget(luban, series([[2020, 17], [2025, 21]]), opts(2025))).toMatchObject({ status: 'achieved', final: true });
    expect(judgeTarget(luban, series([[2020, 17], [2025, 19]]), opts(2025))).toMatchObject({ status: 'not_achieved', final: true });
  });

  it('without a plan baseline, the value in the baseline year (from the data) is the baseline', () => {
    const schools = target({ comparator: '>=', target: 500 });
    expect(judgeTarget(schools, series([[2020, 300], [2022, 390]]), opts(2022))).toMatchObject({ status: 'on_track', baseline: { year: 2020, value: 300, origin: 'data' } });
  });

  it('a schedule (4 districts by 2021) is decided by its own year, however late the question', () => {
    const applied = target({ comparator: '>=', target: 4, year: 2021, unit: '个区' });
    expect(judgeTarget(applied, series([[2021, 3], [2022, 6]]), opts(2025))).toMatchObject({ status: 'not_achieved', value: 3, value_year: 2021, final: true });
    expect(judgeTarget(applied, series([[2021, 5]]), opts(2025))).toMatchObject({ status: 'achieved' });
  });

  it('no value at or before the year is no_data; one value with no pace to judge is at_risk, flagged', () => {
    const t = target({ comparator: '>=', target: 100 });
    expect(judgeTarget(t, [], opts(2025))).toMatchObject({ status: 'no_data', value: null });
    expect(judgeTarget(t, series([[2024, 50]]), opts(2023))).toMatchObject({ status: 'no_data' });
    expect(judgeTarget(t, series([[2022, 50]]), opts(2022))).toMatchObject({ status: 'at_risk', progress_status: 'insufficient_data', pace_unknown: true });
  });

  it('every year (每年遴选10名左右): judged at 90 % in every year of the period, the years before it ignored', () => {
    const t = target({ comparator: '=', target: 10, approximate: true, unit: '名/年', data_path: { kind: 'registry', registry: 'jinmen', every_year: true } });
    const judged = judgedTarget({ comparator: '=', value: 10, unit: '名/年', approximate: true, data_path: t.data_path });
    expect(judged).toMatchObject({ comparator: 'maintain', value: 9, every_year: true });
    const jt = { ...t, judged };
    expect(judgeTarget(jt, series([[2019, 2], [2021, 10], [2022, 11], [2023, 9]]), opts(2023))).toMatchObject({ status: 'achieved', failed_years: [] });
    expect(judgeTarget(jt, series([[2021, 10], [2022, 7], [2023, 12]]), opts(2023))).toMatchObject({ status: 'at_risk', progress_status: 'off_track', failed_years: [2022] });
    expect(judgeTarget(jt, series([[2021, 10], [2022, 7], [2025, 12]]), opts(2025))).toMatchObject({ status: 'not_achieved' });
  });

  it('稳中有升 (non_decreasing from 5): a fall in any year is a failed year', () => {
    const t = target({ comparator: 'non_decreasing', target: 5, baseline: { year: 2020, value: 5 }, unit: '所' });
    expect(judgeTarget(t, series([[2020, 5], [2022, 6], [2025, 6]]), opts(2025))).toMatchObject({ status: 'achieved' });
    expect(judgeTarget(t, series([[2020, 5], [2022, 7], [2025, 6]]), opts(2025))).toMatchObject({ status: 'not_achieved', failed_years: [2025] });
  });

  it('a down target (近视率 ≤ 48.5) judges downwards', () => {
    const t = target({ comparator: '<=', target: 48.5, unit: '%', direction: 'down', baseline: { year: 2020, value: 53.5 } });
    expect(judgeTarget(t, series([[2023, 50.5]]), opts(2023))).toMatchObject({ status: 'on_track' });
    expect(judgeTarget(t, series([[2023, 54]]), opts(2023))).toMatchObject({ status: 'at_risk', progress_status: 'deteriorating' });
  });
});

describe('judged target and labels', () => {
  it('左右 (about 40) is met at 90 % of it; judged_as replaces the printed number', () => {
    expect(judgedTarget({ comparator: '=', value: 40, unit: '个', approximate: true, data_path: { kind: 'entered' } })).toMatchObject({ comparator: '>=', value: 36, note_en: expect.stringMatching(/about 40/) });
    expect(judgedTarget({ comparator: '>=', value: 1, unit: '间/校', data_path: { kind: 'registry', registry: 'r', judged_as: { comparator: '>=', value: 100, unit: '%' } } })).toMatchObject({ comparator: '>=', value: 100, unit: '%' });
    expect(judgedTarget({ comparator: '>=', value: 1, unit: '项', data_path: { kind: 'entered' } })).toMatchObject({ comparator: '>=', value: 1, note_zh: null });
  });

  it('sources read as the plan numbers them', () => {
    expect(sourceLabel('三、(七)3')).toBe('三(七)3');
    expect(sourceLabel('二、(二)主要目标表·发展质量')).toBe('二(二)');
    expect(sourceLabel('专栏19')).toBe('专栏19');
    expect(sourceLabel('一、(二)')).toBe('一(二)');
  });

  it('maps every engine status and counts statuses with every one present', () => {
    expect(targetStatusOf('needs_acceleration', true)).toBe('at_risk');
    expect(targetStatusOf('off_track', true)).toBe('at_risk');
    expect(targetStatusOf('insufficient_data', false)).toBe('no_data');
    expect(countStatuses(['achieved', 'achieved', 'no_data'])).toEqual({ achieved: 2, on_track: 0, at_risk: 0, not_achieved: 0, no_data: 1 });
  });
});
