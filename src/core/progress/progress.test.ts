import { describe, expect, it } from 'vitest';
import { computeProgress, isKeepTarget, linearProjection, satisfies, statusFromRatio, trajectory, type ProgressInput } from './progress.ts';
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

  it('duplicate years: the last given wins; the plan baseline replaces a data point in the baseline year', () => {
    const p = computeProgress(base({ series: [{ year: 2023, value: 80 }, { year: 2023, value: 86 }, { year: 2020, value: 70 }] }));
    expect(p.value).toBe(86);
    expect(p.ratio).toBeCloseTo(1.02, 2);
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
    expect(trajectory({ year: 2020, value: 80 }, { year: 2025, comparator: '>=', value: 90 }).map((p) => p.value)).toEqual([80, 82, 84, 86, 88, 90]);
    expect(trajectory({ year: 2020, value: 99 }, { year: 2025, comparator: '>', value: 99 }).every((p) => p.value === 99)).toBe(true);
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
});
