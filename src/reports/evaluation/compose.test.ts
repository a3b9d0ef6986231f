import { describe, expect, it } from 'vitest';
import type { ProgressItem } from '../../contract/progress.ts';
import { expectedBy, indicatorSentence } from './compose.ts';

/** Only the fields the sentence reads; the rest as the progress engine would leave them. */
function item(over: Partial<ProgressItem>): ProgressItem {
  return {
    code: 'fitness_good_rate', name_zh: '学生体质优良率', name_en: 'Share of students rated excellent or good in physical fitness', unit: '%', category: 'quality',
    nature: 'expected', direction: 'up', org_code: '120000', baseline: { year: 2020, value: 19.9, origin: 'plan' },
    target: { year: 2025, comparator: '>=', value: 50 }, value: 43.94, year: 2025, status: 'not_achieved',
    ratio: null, method: null, distance_share: null, time_share: null, projection: null, met: null, suppressed: false,
    explanation: {} as ProgressItem['explanation'], release: null, provisional: false,
    ...over,
  };
}

describe('indicatorSentence', () => {
  it('states a missed target with its numbers, as a government report does', () => {
    expect(indicatorSentence(item({}), 2025, true, 'zh')).toBe('学生体质优良率由2020年的19.9%提高到2025年的43.9%，未达到50.0%的目标。');
    expect(indicatorSentence(item({}), 2025, true, 'en')).toBe('Share of students rated excellent or good in physical fitness rose from 19.9% in 2020 to 43.9% in 2025, short of the target of 50.0%.');
  });

  it('marks binding indicators and a kept-down target', () => {
    const myopia = item({ name_zh: '儿童青少年总体近视率', nature: 'binding', direction: 'down', baseline: { year: 2020, value: 53.5, origin: 'plan' }, target: { year: 2025, comparator: '<=', value: 48.5 }, value: 47.96, status: 'achieved' });
    expect(indicatorSentence(myopia, 2025, true, 'zh')).toBe('儿童青少年总体近视率（约束性）由2020年的53.5%下降到2025年的48.0%，达到控制在48.5%以内的目标。');
  });

  it('before the plan ends gives the value expected by then and the progress status, never a verdict', () => {
    const mid = item({ value: 30.04, year: 2023, status: 'needs_acceleration' });
    const s = indicatorSentence(mid, 2023, false, 'zh');
    // 19.9 + (50 − 19.9) × 3/5 = 37.96
    expect(s).toBe('学生体质优良率由2020年的19.9%提高到2023年的30.0%，按进度2023年应达38.0%，2025年目标为50.0%，需加快进度。');
    expect(s).not.toMatch(/未达到|达成/);
  });

  it('says why there is no number for a suppressed cell', () => {
    expect(indicatorSentence(item({ value: null, suppressed: true, status: 'insufficient_data' }), 2025, true, 'zh')).toBe('学生体质优良率：2025年数据不足，不予公布，目标为2025年50.0%。');
  });
});

describe('expectedBy', () => {
  it('lies on the straight line from the baseline to the target, and stays at a kept target', () => {
    expect(expectedBy(item({}), 2020)).toBeCloseTo(19.9, 10);
    expect(expectedBy(item({}), 2023)).toBeCloseTo(37.96, 10);
    expect(expectedBy(item({}), 2025)).toBeCloseTo(50, 10);
    expect(expectedBy(item({ target: { year: 2025, comparator: 'maintain', value: 4500 } }), 2023)).toBe(4500);
    expect(expectedBy(item({ baseline: null }), 2023)).toBeNull();
  });
});
