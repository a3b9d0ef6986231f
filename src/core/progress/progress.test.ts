import { describe, expect, it } from 'vitest';
import { computeProgress, fallingYears, isKeepTarget, keepReason, linearProjection, satisfies, statusFromRatio, trajectory, type ProgressInput } from './progress.ts';
import { explain } from './explain.ts';
import { indicatorByCode } from '../indicators/definitions.ts';

const base = (over: Partial<ProgressInput>): ProgressInput => ({
  direction: 'up', nature: 'expected', unit: '%',
  baseline: { year: 2020, value: 80, origin: 'plan' },
  target: { year: 2025, comparator: '>=', value: 90 },
  series: [], asOf: 2023,
  ...over,
});

describe('computeProgress — worked cases from anchors.md (b)', () => {
  it('increasing, on track: 80 → 90, 86 in 2023 (anchors.md B5 worked example)', () => {
    const p = computeProgress(base({ series: [{ year: 2023, value: 86 }] }));
    // CAGR_o = (86/80)^(1/3) − 1 = 2.439 %; CAGR_r = (90/80)^(1/5) − 1 = 2.383 %; R = 1.02
    expect(p.growth?.observed).toBeCloseTo(0.02439, 4);
    expect(p.growth?.required).toBeCloseTo(0.02383, 4);
    expect(p.ratio).toBeCloseTo(1.02, 2);
    expect(p.status).toBe('on_track');
    expect(p.distance_share).toBeCloseTo(0.6, 9);
    expect(p.time_share).toBeCloseTo(0.6, 9);
    expect(p.method).toBe('cagr');
  });

  it('decreasing, limited: 20 → 15, 19 in 2023 (B5): R = 0.30, 20 % of the distance in 60 % of the time', () => {
    const p = computeProgress(base({ direction: 'down', baseline: { year: 2020, value: 20, origin: 'plan' }, target: { year: 2025, comparator: '<=', value: 15 }, series: [{ year: 2023, value: 19 }] }));
    expect(p.ratio).toBeCloseTo(0.30, 2);
    expect(p.status).toBe('limited');
    expect(p.distance_share).toBeCloseTo(0.2, 9);
  });

  it('needs acceleration: 80 → 90, 84 in 2023: R = 0.688', () => {
    const p = computeProgress(base({ series: [{ year: 2023, value: 84 }] }));
    // ((84/80)^(1/3) − 1) / ((90/80)^(1/5) − 1) = 0.016396 / 0.023836
    expect(p.ratio).toBeCloseTo(0.016396 / 0.023836, 3);
    expect(p.status).toBe('needs_acceleration');
  });

  it('deteriorating: moving away from the target gives R < 0', () => {
    const p = computeProgress(base({ series: [{ year: 2023, value: 78 }] }));
    expect(p.ratio).toBeLessThan(0);
    expect(p.status).toBe('deteriorating');
    const down = computeProgress(base({ direction: 'down', baseline: { year: 2020, value: 53.5, origin: 'plan' }, target: { year: 2025, comparator: '<=', value: 48.5 }, series: [{ year: 2023, value: 55 }] }));
    expect(down.status).toBe('deteriorating');
  });

  it('achieved as soon as the latest value satisfies the target, whatever the pace', () => {
    expect(computeProgress(base({ series: [{ year: 2021, value: 91 }] })).status).toBe('achieved');
    expect(computeProgress(base({ direction: 'down', baseline: { year: 2020, value: 53.5, origin: 'plan' }, target: { year: 2025, comparator: '<=', value: 48.5 }, series: [{ year: 2023, value: 48.5 }] })).status).toBe('achieved');
  });

  it('insufficient data: no value, only the baseline year, or no baseline', () => {
    expect(computeProgress(base({ series: [] })).status).toBe('insufficient_data');
    expect(computeProgress(base({ series: [{ year: 2020, value: 85 }] })).status).toBe('insufficient_data');
    expect(computeProgress(base({ baseline: null, series: [{ year: 2023, value: 85 }] })).status).toBe('insufficient_data');
    // values after the as-of year are not used
    expect(computeProgress(base({ series: [{ year: 2024, value: 95 }], asOf: 2023 })).status).toBe('insufficient_data');
  });

  it('zero baseline: CAGR is undefined, linear annual change is used (0 → 100 %, 25 % in 2023: R = (25/3)/(100/5))', () => {
    const p = computeProgress(base({ baseline: { year: 2020, value: 0, origin: 'plan' }, target: { year: 2025, comparator: '>=', value: 100 }, series: [{ year: 2023, value: 25 }] }));
    expect(p.method).toBe('linear');
    expect(p.ratio).toBeCloseTo(25 / 3 / 20, 9);
    expect(p.status).toBe('limited');
    expect(p.distance_share).toBeCloseTo(0.25, 9);
  });

  it('keep targets: >99 from 99, = 0 from 0, maintain 4500 → achieved while satisfied, else off_track', () => {
    const retention = { baseline: { year: 2020, value: 99, origin: 'plan' as const }, target: { year: 2025, comparator: '>' as const, value: 99 }, nature: 'binding' as const };
    expect(computeProgress(base({ ...retention, series: [{ year: 2023, value: 99.2 }] }))).toMatchObject({ status: 'achieved', method: 'keep', met: true, ratio: null });
    expect(computeProgress(base({ ...retention, series: [{ year: 2023, value: 98.8 }] }))).toMatchObject({ status: 'off_track', met: false });
    const zero = { direction: 'down' as const, baseline: { year: 2020, value: 0, origin: 'plan' as const }, target: { year: 2025, comparator: '=' as const, value: 0 } };
    expect(computeProgress(base({ ...zero, series: [{ year: 2023, value: 0 }] })).status).toBe('achieved');
    expect(computeProgress(base({ ...zero, series: [{ year: 2023, value: 0.4 }] })).status).toBe('off_track');
    const maintain = { unit: '人', baseline: { year: 2020, value: 4500, origin: 'plan' as const }, target: { year: 2025, comparator: 'maintain' as const, value: 4500 } };
    expect(computeProgress(base({ ...maintain, series: [{ year: 2023, value: 4600 }] })).status).toBe('achieved');
    expect(computeProgress(base({ ...maintain, series: [{ year: 2023, value: 4400 }] })).status).toBe('off_track');
  });

  it('binding indicators get met/not met from the latest value; expected ones do not', () => {
    const p = computeProgress(base({ nature: 'binding', baseline: { year: 2020, value: 12.03, origin: 'plan' }, target: { year: 2025, comparator: '>=', value: 12.3 }, unit: '年', series: [{ year: 2023, value: 12.2 }] }));
    // R = ((12.2/12.03)^(1/3) − 1)/((12.3/12.03)^(1/5) − 1) = 1.054
    expect(p).toMatchObject({ status: 'on_track', met: false });
    expect(p.ratio).toBeCloseTo(1.0538, 3);
    expect(computeProgress(base({ series: [{ year: 2023, value: 95 }] })).met).toBeNull();
  });

  it('projection: least-squares line from the baseline, clamped to 0–100 for %', () => {
    // points (2020, 80), (2021, 82), (2023, 86): slope 2/yr, passes through them → 2025: 90
    const p = computeProgress(base({ series: [{ year: 2021, value: 82 }, { year: 2023, value: 86 }] }));
    expect(p.projection).toMatchObject({ year: 2025, method: 'ols_linear', points: 3 });
    expect(p.projection?.value).toBeCloseTo(90, 9);
    const steep = computeProgress(base({ series: [{ year: 2023, value: 98 }] }));
    expect(steep.projection?.value).toBe(100);
  });

  it('duplicate years: the last given wins; the ratio measures from the stated baseline, not the observed baseline-year value', () => {
    const p = computeProgress(base({ series: [{ year: 2023, value: 80 }, { year: 2023, value: 86 }, { year: 2020, value: 70 }] }));
    expect(p.value).toBe(86);
    expect(p.ratio).toBeCloseTo(1.02, 2);
  });

  it('projection: every observed point from the baseline year on, the observed baseline-year value included', () => {
    // Plan baseline 80 (2020) but 70 observed in 2020: the line goes through (2020, 70), (2023, 86) → slope 16/3 → 2025: 96.67.
    const p = computeProgress(base({ series: [{ year: 2020, value: 70 }, { year: 2023, value: 86 }] }));
    expect(p.projection).toMatchObject({ points: 2 });
    expect(p.projection?.value).toBeCloseTo(70 + (16 / 3) * 5, 9);
    // Without a 2020 observation the baseline value stands in for it: (2020, 80), (2023, 86) → 90.
    expect(computeProgress(base({ series: [{ year: 2023, value: 86 }] })).projection?.value).toBeCloseTo(90, 9);
    // Points before the baseline year are not used; once the target year is observed there is nothing to project.
    expect(computeProgress(base({ series: [{ year: 2019, value: 10 }, { year: 2020, value: 80 }, { year: 2023, value: 86 }] })).projection?.value).toBeCloseTo(90, 9);
    expect(computeProgress(base({ asOf: 2025, series: [{ year: 2025, value: 86 }] })).projection).toBeNull();
  });
});

describe('computeProgress — final verdicts, baselines, maintain (issue 12 §5)', () => {
  it('at the target year the verdict is final: achieved or not_achieved, never a pace', () => {
    // 学生体质优良率 19.9 → ≥ 50: 43.9 in 2025 would be "needs acceleration" by its pace, but the period is over.
    const fitness = { baseline: { year: 2020, value: 19.9, origin: 'plan' as const }, target: { year: 2025, comparator: '>=' as const, value: 50 } };
    const f = computeProgress(base({ ...fitness, asOf: 2025, series: [{ year: 2023, value: 38 }, { year: 2025, value: 43.9 }] }));
    expect(f).toMatchObject({ status: 'not_achieved', final: true, value: 43.9 });
    expect(f.ratio).toBeGreaterThan(0.6);
    // 双师型 60 → ≥ 70: 69.5 in 2025 is on track by its pace, and still not achieved.
    const dual = computeProgress(base({ baseline: { year: 2020, value: 60, origin: 'plan' }, target: { year: 2025, comparator: '>=', value: 70 }, asOf: 2025, series: [{ year: 2025, value: 69.5 }] }));
    expect(dual.status).toBe('not_achieved');
    expect(dual.ratio).toBeGreaterThan(0.95);
    expect(computeProgress(base({ asOf: 2025, series: [{ year: 2025, value: 90 }] })).status).toBe('achieved');
    // After the target year too, and judged on the latest value available when the target year has none.
    expect(computeProgress(base({ asOf: 2026, series: [{ year: 2024, value: 89 }] }))).toMatchObject({ status: 'not_achieved', year: 2024, final: true });
    // The same value before the target year is a pace.
    expect(computeProgress(base({ asOf: 2024, series: [{ year: 2024, value: 89 }] })).status).toBe('on_track');
    // No value at all stays insufficient_data.
    expect(computeProgress(base({ asOf: 2025, series: [] })).status).toBe('insufficient_data');
  });

  it('keep targets at the target year: not_achieved instead of off_track; a binding one is not met', () => {
    const retention = { nature: 'binding' as const, baseline: { year: 2020, value: 99, origin: 'plan' as const }, target: { year: 2025, comparator: '>' as const, value: 99 } };
    expect(computeProgress(base({ ...retention, asOf: 2025, series: [{ year: 2025, value: 98.9 }] }))).toMatchObject({ status: 'not_achieved', met: false, method: 'keep' });
    expect(computeProgress(base({ ...retention, asOf: 2025, series: [{ year: 2025, value: 99.4 }] }))).toMatchObject({ status: 'achieved', met: true });
    // Strict: exactly 99 does not satisfy ＞99.
    expect(computeProgress(base({ ...retention, asOf: 2025, series: [{ year: 2025, value: 99 }] })).status).toBe('not_achieved');
  });

  it('maintain targets are checked for every observed year from the baseline year on', () => {
    const maintain = { unit: '人', baseline: { year: 2020, value: 4500, origin: 'plan' as const }, target: { year: 2025, comparator: 'maintain' as const, value: 4500 } };
    const dip = [{ year: 2019, value: 4000 }, { year: 2021, value: 4600 }, { year: 2022, value: 4450 }, { year: 2023, value: 4700 }];
    // The latest value (4,700) is above 4,500, but 2022 was not; 2019 is before the baseline year and does not count.
    expect(computeProgress(base({ ...maintain, series: dip }))).toMatchObject({ status: 'off_track', failed_years: [2022], method: 'keep' });
    expect(computeProgress(base({ ...maintain, series: dip, asOf: 2025 }))).toMatchObject({ status: 'not_achieved', failed_years: [2022] });
    expect(computeProgress(base({ ...maintain, series: dip.filter((p) => p.year !== 2022) }))).toMatchObject({ status: 'achieved', failed_years: [] });
    const binding = computeProgress(base({ ...maintain, nature: 'binding', series: dip }));
    expect(binding.met).toBe(false);
  });

  it('a baseline that already satisfies the target is judged "stay at or beyond it", with no distance to cover', () => {
    // A district at 96 % in 2020 against the city's ≥ 93 %: not 已达成 beside a negative distance.
    const own = { baseline: { year: 2020, value: 96, origin: 'data' as const }, target: { year: 2025, comparator: '>=' as const, value: 93 } };
    expect(computeProgress(base({ ...own, series: [{ year: 2020, value: 96 }, { year: 2023, value: 94 }] }))).toMatchObject({ status: 'achieved', method: 'keep', keep_reason: 'baseline_meets', distance_share: null, ratio: null });
    expect(computeProgress(base({ ...own, series: [{ year: 2020, value: 96 }, { year: 2023, value: 92 }] }))).toMatchObject({ status: 'off_track', keep_reason: 'baseline_meets' });
    expect(computeProgress(base({ ...own, asOf: 2025, series: [{ year: 2025, value: 92 }] })).status).toBe('not_achieved');
    // Downward: a district already below the myopia target.
    expect(keepReason({ year: 2025, comparator: '<=', value: 48.5 }, 40, 'down')).toBe('baseline_meets');
    expect(keepReason({ year: 2025, comparator: '<=', value: 48.5 }, 53.5, 'down')).toBeNull();
    expect(keepReason({ year: 2025, comparator: '>', value: 99 }, 99, 'up')).toBe('target');
  });

  it('a zero baseline: R = share of distance ÷ share of time, which moves as soon as the value does', () => {
    // 优质均衡区比例 0 → 100 %: 6.25 % (1 district) in 2021, 50 % in 2023.
    const zero = { baseline: { year: 2020, value: 0, origin: 'plan' as const }, target: { year: 2025, comparator: '>=' as const, value: 100 } };
    const early = computeProgress(base({ ...zero, series: [{ year: 2021, value: 6.25 }], asOf: 2021 }));
    expect(early.ratio).toBeCloseTo((6.25 / 100) / (1 / 5), 9);
    const p = computeProgress(base({ ...zero, series: [{ year: 2021, value: 6.25 }, { year: 2023, value: 50 }] }));
    expect(p.method).toBe('linear');
    expect(p.ratio).toBeCloseTo((p.distance_share ?? NaN) / (p.time_share ?? NaN), 12);
    expect(p.ratio).toBeCloseTo(0.5 / 0.6, 9);
    expect(p.status).toBe('needs_acceleration');
    // Still 0 after three years: R = 0, limited — not a ratio that cannot move.
    expect(computeProgress(base({ ...zero, series: [{ year: 2023, value: 0 }] }))).toMatchObject({ ratio: 0, status: 'limited' });
  });
});

describe('helpers', () => {
  it('satisfies each comparator, maintain following the direction', () => {
    expect(satisfies(99.01, { year: 2025, comparator: '>', value: 99 }, 'up')).toBe(true);
    expect(satisfies(99, { year: 2025, comparator: '>', value: 99 }, 'up')).toBe(false);
    expect(satisfies(48.5, { year: 2025, comparator: '<', value: 48.5 }, 'down')).toBe(false);
    expect(satisfies(40, { year: 2025, comparator: 'maintain', value: 48.5 }, 'down')).toBe(true);
    expect(satisfies(50, { year: 2025, comparator: 'maintain', value: 48.5 }, 'down')).toBe(false);
  });
  it('keep targets are maintain, =, or a target equal to its baseline', () => {
    expect(isKeepTarget({ year: 2025, comparator: '>', value: 98 }, 98)).toBe(true);
    expect(isKeepTarget({ year: 2025, comparator: '>=', value: 93 }, 92.3)).toBe(false);
  });
  it('status bands', () => {
    expect([0.95, 0.94, 0.6, 0.59, 0, -0.01].map(statusFromRatio)).toEqual(['on_track', 'needs_acceleration', 'needs_acceleration', 'limited', 'limited', 'deteriorating']);
  });
  it('linear projection needs two distinct years', () => {
    expect(linearProjection([{ year: 2020, value: 1 }], 2025)).toBeNull();
    expect(linearProjection([{ year: 2020, value: 1 }, { year: 2020, value: 2 }], 2025)).toBeNull();
  });
  it('trajectory: linear from baseline to target; flat for keep targets', () => {
    expect(trajectory({ year: 2020, value: 80 }, { year: 2025, comparator: '>=', value: 90 }, 'up').map((p) => p.value)).toEqual([80, 82, 84, 86, 88, 90]);
    expect(trajectory({ year: 2020, value: 99 }, { year: 2025, comparator: '>', value: 99 }, 'up').every((p) => p.value === 99)).toBe(true);
    // A baseline already past the target: flat at the target, never a path running the wrong way.
    expect(trajectory({ year: 2020, value: 96 }, { year: 2025, comparator: '>=', value: 93 }, 'up').map((p) => p.value)).toEqual([93, 93, 93, 93, 93, 93]);
    expect(trajectory({ year: 2020, value: 40 }, { year: 2025, comparator: '<=', value: 48.5 }, 'down').every((p) => p.value === 48.5)).toBe(true);
  });
});

describe('explain', () => {
  it('says the value, target, shares, ratio, status and projection in both languages, and hides suppressed inputs', () => {
    const def = indicatorByCode.get('fitness_good_rate');
    if (!def) throw new Error('definition missing');
    const progress = computeProgress(base({ series: [{ year: 2023, value: 86 }] }));
    const e = explain({ def, org: { code: '120000', name_zh: '天津市', name_en: 'Tianjin' }, cell: { numerator: 86, denominator: 100, inputs: { schools: 3 } }, suppressed: false, target: { year: 2025, comparator: '>=', value: 90 }, progress });
    expect(e.text_zh).toContain('天津市2023年为 86.0%');
    expect(e.text_zh).toContain('已完成距离的 60%，时间已过 60%');
    expect(e.text_en).toContain('Status: on track.');
    expect(e.inputs.find((i) => i.name_en === 'numerator')?.value).toBe(86);
    const hidden = explain({ def, org: { code: '120000', name_zh: '天津市', name_en: 'Tianjin' }, cell: { numerator: 3, denominator: 5, inputs: { schools: 1 } }, suppressed: true, target: { year: 2025, comparator: '>=', value: 90 }, progress: computeProgress(base({ series: [] })) });
    expect(hidden.inputs.some((i) => i.name_en === 'numerator')).toBe(false);
    expect(hidden.text_en).toContain('fewer than 10');
  });

  const tianjin = { code: '120000', name_zh: '天津市', name_en: 'Tianjin', parent_code: null };
  const defOf = (code: string) => {
    const d = indicatorByCode.get(code);
    if (!d) throw new Error(`definition ${code} missing`);
    return d;
  };

  it('counts the kindergartens behind a ratio over a population, and names them so', () => {
    const target = { year: 2025, comparator: '>=' as const, value: 93 };
    const e = explain({ def: defOf('preschool_gross_enrolment_rate'), org: tianjin, cell: { numerator: 9000, denominator: 9800, inputs: { schools: 116, reference: { code: 'pop.age3_5', value: 9800, source: 'census', org_code: '120000' } } }, suppressed: false, target,
      progress: computeProgress(base({ baseline: { year: 2020, value: 92.3, origin: 'plan' }, target, series: [{ year: 2023, value: 91.8 }] })) });
    expect(e.inputs.find((i) => i.name_en === 'kindergartens counted (either side)')?.value).toBe(116);
    expect(e.inputs.find((i) => i.name_zh === '计入幼儿园数（分子或分母）')?.value).toBe(116);
  });

  it('shows graduates beside the graduating-class ratio of 巩固率, and explains the strict ＞ target', () => {
    const target = { year: 2025, comparator: '>' as const, value: 99 };
    const e = explain({ def: defOf('compulsory_retention_rate'), org: tianjin, cell: { numerator: 990, denominator: 1000, inputs: { schools: 4, beside: { graduates: 984 } } }, suppressed: false, target,
      progress: computeProgress(base({ nature: 'binding', baseline: { year: 2020, value: 99, origin: 'plan' }, target, series: [{ year: 2023, value: 99 }] })) });
    expect(e.inputs.map((i) => [i.name_en, i.value])).toEqual(expect.arrayContaining([['numerator', 990], ['denominator', 1000], ['junior-secondary graduates (shown for reference, not used)', 984]]));
    // Below the top of the tree the graduates are not shown: they are not under disclosure control.
    const district = explain({ def: defOf('compulsory_retention_rate'), org: { code: '120101', name_zh: '和平区', name_en: 'Heping', parent_code: '120000' }, cell: { numerator: 490, denominator: 500, inputs: { schools: 2, beside: { graduates: 484 } } }, suppressed: false, target,
      progress: computeProgress(base({ nature: 'binding', baseline: { year: 2020, value: 99, origin: 'data' }, target, series: [{ year: 2023, value: 98 }] })) });
    expect(district.inputs.map((i) => i.name_en)).not.toContain('junior-secondary graduates (shown for reference, not used)');
    expect(e.text_zh).toContain('规划原文为“＞99”，须严格高于99才算达成（恰好为99不算）');
    expect(e.text_en).toContain('achieved only strictly above 99 (exactly 99 is not); Open SDG counts reaching the target (≥) as achieved.');
    expect(e.text_en).toContain('Status: off track.');
  });

  it('states the scope (in and out, why, source; options with their default) and the disclosure rule in both languages', () => {
    const target = { year: 2025, comparator: '>=' as const, value: 70 };
    const e = explain({ def: defOf('vocational_dual_teacher_share'), org: tianjin, cell: { numerator: 65, denominator: 100, inputs: { schools: 3, scope: { dual_teachers: 'secondary' } } }, suppressed: false, target,
      progress: computeProgress(base({ baseline: { year: 2020, value: 60, origin: 'plan' }, target, series: [{ year: 2023, value: 65 }] })) });
    expect(e.scope.map((x) => x.zh)).toEqual(expect.arrayContaining([expect.stringMatching(/^纳入：中等职业学校——/), expect.stringMatching(/^不纳入：高等职业院校.*［可配置项 dual_teachers = secondary；默认 secondary］$/)]));
    expect(e.scope.every((x) => x.en.startsWith('In: ') || x.en.startsWith('Out: '))).toBe(true);
    expect(e.disclosure_zh).toContain('计数单位为教师（分母）：少于10个的单元格不予公布');
    expect(e.disclosure_en).toContain('Counted in teachers (the denominator)');
    const ref = explain({ def: defOf('working_age_schooling_years'), org: tianjin, cell: null, suppressed: false, target, progress: computeProgress(base({ series: [] })) });
    expect(ref.disclosure_en).toBe('A published statistic or assessment result: no small-cell suppression.');
  });

  it('a district: names its own baseline, says when it already meets the target, and gives the final verdict at the target year', () => {
    const heping = { code: '120101', name_zh: '和平区', name_en: 'Heping' };
    const target = { year: 2025, comparator: '>=' as const, value: 93 };
    const p = computeProgress(base({ baseline: { year: 2020, value: 96, origin: 'data' }, target, asOf: 2025, series: [{ year: 2020, value: 96 }, { year: 2025, value: 95 }] }));
    const e = explain({ def: defOf('preschool_gross_enrolment_rate'), org: heping, cell: { numerator: 950, denominator: 1000, inputs: { schools: 12 } }, suppressed: false, target, progress: p });
    expect(e.inputs.find((i) => i.name_zh.startsWith('基线'))).toMatchObject({ name_zh: '基线（2020年，和平区自身数值）', value: 96 });
    expect(e.text_zh).toContain('基线为和平区自身2020年数值 96.0%（不使用全市规划基数）');
    expect(e.text_zh).toContain('基线已满足目标，按“保持在目标以内”判断');
    expect(e.text_zh).toContain('目标年已到，结论为最终结论');
    expect(e.text_zh).toContain('状态：已达成。');
    expect(e.method_en).toContain('This unit’s baseline already meets the target');
  });

  it('keeps sources to published documents: no internal note is cited', () => {
    const e = explain({ def: defOf('myopia_rate'), org: tianjin, cell: null, suppressed: false, target: { year: 2025, comparator: '<=', value: 48.5 }, progress: computeProgress(base({ series: [] })) });
    expect(e.sources.map((x) => x.zh)).toContain('《中小学生屈光不正筛查规范》（WS/T 663—2020）');
    expect(JSON.stringify([e.sources, e.scope, e.definition_zh, e.definition_en])).not.toMatch(/\.md\b|§/);
  });
});

describe('non_decreasing (稳中有升 / 只增不减)', () => {
  const steady = (series: ProgressInput['series'], asOf: number): ReturnType<typeof computeProgress> => computeProgress(base({
    unit: '所', baseline: { year: 2020, value: 5, origin: 'plan' }, target: { year: 2025, comparator: 'non_decreasing', value: 5 }, series, asOf,
  }));

  it('is judged in every year: achieved while no year falls below the year before or below the starting level', () => {
    expect(steady([{ year: 2021, value: 5 }, { year: 2022, value: 6 }, { year: 2023, value: 6 }], 2023)).toMatchObject({ status: 'achieved', method: 'keep', failed_years: [] });
    // A fall from 6 to 5 breaks it although 5 is still the starting level.
    expect(steady([{ year: 2021, value: 5 }, { year: 2022, value: 6 }, { year: 2023, value: 5 }], 2023)).toMatchObject({ status: 'off_track', failed_years: [2023] });
    // Below the starting level in the first year.
    expect(steady([{ year: 2021, value: 4 }, { year: 2022, value: 5 }], 2022)).toMatchObject({ status: 'off_track', failed_years: [2021] });
  });

  it('gives the final verdict at the target year: a single fall in the period is not achieved', () => {
    expect(steady([{ year: 2021, value: 5 }, { year: 2022, value: 7 }, { year: 2023, value: 6 }, { year: 2024, value: 7 }, { year: 2025, value: 8 }], 2025)).toMatchObject({ status: 'not_achieved', failed_years: [2023], final: true });
    expect(steady([{ year: 2021, value: 5 }, { year: 2025, value: 8 }], 2025)).toMatchObject({ status: 'achieved', final: true });
  });

  it('compares with the previous observed year when years are missing', () => {
    expect(fallingYears([{ year: 2021, value: 3 }, { year: 2023, value: 2 }, { year: 2024, value: 4 }], 'up')).toEqual([2023]);
    expect(fallingYears([{ year: 2021, value: 3 }, { year: 2023, value: 2 }], 'down')).toEqual([]);
    expect(fallingYears([{ year: 2021, value: 3 }, { year: 2023, value: 4 }], 'down')).toEqual([2023]);
  });
});
