import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../../contract/plan-execution.ts';
import { reachedShare, statusesByArea, targetStatusLabel, targetText, valueText } from './model.ts';

describe('plan-execution figures on the portal', () => {
  it('words a target as the plan does, in both languages', () => {
    const base = { comparator: '>=' as const, target: 20, target_max: null, approximate: false, unit: '个', year: 2025 };
    expect(targetText(base, 'zh')).toBe('≥20个（2025年）');
    expect(targetText(base, 'en')).toBe('≥ 20 个 (2025)');
    expect(targetText({ ...base, comparator: '=', target: 40, approximate: true }, 'zh')).toBe('40个左右（2025年）');
    expect(targetText({ ...base, target: 1, target_max: 2, unit: '项' }, 'zh')).toBe('≥1—2项（2025年）');
    expect(targetText({ ...base, comparator: 'non_decreasing', target: 5, unit: '所' }, 'zh')).toBe('稳中有升，不低于5所（2025年）');
    expect(targetText({ ...base, comparator: '<=', target: 48.5, unit: '%' }, 'en')).toBe('≤ 48.5% (2025)');
  });

  it('a value with its unit, or the reason there is none', () => {
    expect(valueText({ value: 12.5, value_unit: '%' }, 'zh')).toBe('12.5%');
    expect(valueText({ value: null, value_unit: '个', reason_zh: '名录尚无经审核的条目', reason_en: 'The registry has no approved entry' }, 'en')).toBe('No data (The registry has no approved entry)');
    expect(targetStatusLabel('at_risk', 'zh')).toBe('存在风险');
    expect(targetStatusLabel('unknown', 'en')).toBe('No data');
  });

  it('how far a target is reached: up and down targets, capped at 150 %', () => {
    const judged = (comparator: string, value: number) => ({ comparator, value, unit: '%', every_year: false, note_zh: null, note_en: null }) as never;
    expect(reachedShare({ value: 15, judged: judged('>=', 20) })).toBe(0.75);
    expect(reachedShare({ value: 60, judged: judged('>=', 20) })).toBe(1.5);
    expect(reachedShare({ value: 50, judged: judged('<=', 48.5) })).toBeCloseTo(0.97, 2);
    expect(reachedShare({ value: null, judged: judged('>=', 20) })).toBeNull();
    expect(reachedShare({ value: 3, judged: judged('>=', 0) })).toBeNull();
  });

  it('counts targets per task area and status from the task rows', () => {
    const area = { code: 'teachers', kind: 'area', title_zh: '教师', title_en: 'Teachers', targets: { achieved: 3, on_track: 0, at_risk: 1, not_achieved: 2, no_data: 0, total: 6 } } as unknown as TaskRow;
    const project = { ...area, code: 'p14', kind: 'project' } as TaskRow;
    expect(statusesByArea([area, project])).toEqual([{ code: 'teachers', title_zh: '教师', title_en: 'Teachers', total: 6, counts: { achieved: 3, on_track: 0, at_risk: 1, not_achieved: 2, no_data: 0 } }]);
  });
});

describe('plan routes', () => {
  it('parses and prints the 规划实施 pages', async () => {
    const { parseRoute, routePath } = await import('../routes.ts');
    expect(parseRoute('/plan')).toEqual({ page: 'plan' });
    expect(parseRoute('/plan', '?year=2024')).toEqual({ page: 'plan', year: 2024 });
    expect(parseRoute('/plan/projects/19')).toEqual({ page: 'plan-project', id: '19' });
    expect(parseRoute('/plan/projects/p19_luban_workshops', '?year=2023')).toEqual({ page: 'plan-project', id: 'p19_luban_workshops', year: 2023 });
    expect(parseRoute('/workspace/plan')).toEqual({ page: 'plan-workspace' });
    expect(parseRoute('/workspace/registries')).toEqual({ page: 'registries' });
    expect(parseRoute('/workspace/registries/luban_workshops')).toEqual({ page: 'registry', id: 'luban_workshops' });
    for (const r of [{ page: 'plan' }, { page: 'plan-project', id: '7', year: 2025 }, { page: 'registry', id: 'campus_football' }] as const) expect(parseRoute(...(routePath(r).split('?').map((x, i) => (i === 1 ? `?${x}` : x)) as [string, string]))).toEqual(r);
    expect(parseRoute('/plan/projects/19/x').page).toBe('not-found');
    expect(parseRoute('/plan/projects/Bad-Id').page).toBe('not-found');
  });
});
