/**
 * Worked cases for 《国家学生体质健康标准（2014年修订）》 scoring. Every expected number
 * was read off the official tables by hand; the comment names the table and row.
 */
import { describe, expect, it } from 'vitest';
import { EduplanError } from '../../errors.ts';
import rawTables from '../data/fitness-2014.json' with { type: 'json' };
import { bmiOf, FitnessInputError, graduationScore, scoreStudent, type FitnessInput } from './score.ts';
import { compileFitnessStandard, fitnessStandard } from './tables.ts';

type M = FitnessInput['measurements'];
const itemScore = (grade: number, sex: 'male' | 'female', m: M, item: string): number | null | undefined =>
  scoreStudent({ grade, sex, measurements: m }).items.find((i) => i.item === item)?.score;
const itemBonus = (grade: number, sex: 'male' | 'female', m: M, item: string): number | undefined =>
  scoreStudent({ grade, sex, measurements: m }).items.find((i) => i.item === item)?.bonus;

describe('single-item lookup (reach the threshold to earn the score)', () => {
  it('higher is better: at a threshold, between thresholds, at and below the lowest level', () => {
    // 表1-3 肺活量 男 一年级: 90 分 = 1500, 95 分 = 1600, 10 分 = 500.
    expect(itemScore(11, 'male', { vital_capacity: 1500 }, 'vital_capacity')).toBe(90);
    expect(itemScore(11, 'male', { vital_capacity: 1599 }, 'vital_capacity')).toBe(90);
    expect(itemScore(11, 'male', { vital_capacity: 1600 }, 'vital_capacity')).toBe(95);
    expect(itemScore(11, 'male', { vital_capacity: 500 }, 'vital_capacity')).toBe(10);
    expect(itemScore(11, 'male', { vital_capacity: 499 }, 'vital_capacity')).toBe(0);
  });

  it('lower is better (times): at a threshold, between, slower than the lowest level', () => {
    // 表1-5 50米跑 男 一年级: 100 = 10.2, 95 = 10.3, 10 = 13.6.
    expect(itemScore(11, 'male', { run_50m: 10.2 }, 'run_50m')).toBe(100);
    expect(itemScore(11, 'male', { run_50m: 10.25 }, 'run_50m')).toBe(95);
    expect(itemScore(11, 'male', { run_50m: 13.6 }, 'run_50m')).toBe(10);
    expect(itemScore(11, 'male', { run_50m: 13.7 }, 'run_50m')).toBe(0);
    // 表1-15 1000米跑 男 初一: 80 = 270 s (4'30"), 78 = 275 s.
    expect(itemScore(21, 'male', { run_1000m: 272 }, 'run_1000m')).toBe(78);
  });

  it('sit-and-reach thresholds may be negative', () => {
    // 表1-7 坐位体前屈 男 一年级: 60 = 0.0, 50 = −0.8, 40 = −1.6.
    expect(itemScore(11, 'male', { sit_and_reach: 0 }, 'sit_and_reach')).toBe(60);
    expect(itemScore(11, 'male', { sit_and_reach: -0.8 }, 'sit_and_reach')).toBe(50);
    expect(itemScore(11, 'male', { sit_and_reach: -0.9 }, 'sit_and_reach')).toBe(40);
  });

  it('blank pull-up levels cannot be earned', () => {
    // 表1-13 引体向上 男 初一: 80 = 9, 76 = 8 (78 blank), 60 = 4, 30 = 1 (20 and 10 blank).
    expect(itemScore(21, 'male', { pull_ups: 8 }, 'pull_ups')).toBe(76);
    expect(itemScore(21, 'male', { pull_ups: 9 }, 'pull_ups')).toBe(80);
    expect(itemScore(21, 'male', { pull_ups: 1 }, 'pull_ups')).toBe(30);
    expect(itemScore(21, 'male', { pull_ups: 0 }, 'pull_ups')).toBe(0);
    // 初二: 20 = 1 (only 10 blank).
    expect(itemScore(22, 'male', { pull_ups: 1 }, 'pull_ups')).toBe(20);
    const earned = new Set<number | null | undefined>();
    for (const grade of [21, 22, 23, 31, 32, 33, 41, 43]) for (let n = 0; n <= 30; n++) earned.add(itemScore(grade, 'male', { pull_ups: n }, 'pull_ups'));
    for (const blank of [78, 74, 70, 66, 62]) expect(earned.has(blank)).toBe(false);
    expect(earned.has(76)).toBe(true);
  });
});

describe('BMI bands', () => {
  it('uses the band edges of 表1-1 (男 一年级: 低体重 ≤13.4, 正常 13.5–18.1, 超重 18.2–20.3, 肥胖 ≥20.4)', () => {
    expect(itemScore(11, 'male', { bmi: 13.4 }, 'bmi')).toBe(80);
    expect(itemScore(11, 'male', { bmi: 13.5 }, 'bmi')).toBe(100);
    expect(itemScore(11, 'male', { bmi: 18.1 }, 'bmi')).toBe(100);
    expect(itemScore(11, 'male', { bmi: 18.2 }, 'bmi')).toBe(80);
    expect(itemScore(11, 'male', { bmi: 20.3 }, 'bmi')).toBe(80);
    expect(itemScore(11, 'male', { bmi: 20.4 }, 'bmi')).toBe(60);
  });

  it('rounds BMI half-up to 0.1 before the lookup', () => {
    // 18.15 kg at 1.00 m → 18.15 → 18.2 (超重, 80); 18.14 → 18.1 (正常, 100).
    expect(bmiOf(100, 18.15)).toBe(18.2);
    expect(bmiOf(100, 18.14)).toBe(18.1);
    expect(itemScore(11, 'male', { height_cm: 100, weight_kg: 18.15 }, 'bmi')).toBe(80);
    expect(itemScore(11, 'male', { height_cm: 100, weight_kg: 18.14 }, 'bmi')).toBe(100);
    // A given BMI is rounded the same way: 18.149 → 18.1.
    expect(itemScore(11, 'male', { bmi: 18.149 }, 'bmi')).toBe(100);
    // 160 cm, 50 kg → 19.53 → 19.5 (表1-1 男 初一 正常 15.5–22.1 → 100).
    const r = scoreStudent({ grade: 21, sex: 'male', measurements: { height_cm: 160, weight_kg: 50 } });
    expect(r.items.find((i) => i.item === 'bmi')).toEqual({ item: 'bmi', value: 19.5, score: 100, bonus: 0 });
  });
});

describe('bonus (附加分)', () => {
  it('rope skipping, primary (表2-1): the excess over the 100-point count, steps of 2, capped at 20', () => {
    // 表1-9 男 一年级 100 分 = 109 次. Excess 1 → 0, 2 → 1, 19 → 9, 40 → 20, 91 → 20.
    expect(itemBonus(11, 'male', { rope_skip_1min: 109 }, 'rope_skip_1min')).toBe(0);
    expect(itemBonus(11, 'male', { rope_skip_1min: 110 }, 'rope_skip_1min')).toBe(0);
    expect(itemBonus(11, 'male', { rope_skip_1min: 111 }, 'rope_skip_1min')).toBe(1);
    expect(itemBonus(11, 'male', { rope_skip_1min: 128 }, 'rope_skip_1min')).toBe(9);
    expect(itemBonus(11, 'male', { rope_skip_1min: 149 }, 'rope_skip_1min')).toBe(20);
    expect(itemBonus(11, 'male', { rope_skip_1min: 200 }, 'rope_skip_1min')).toBe(20);
  });

  it('pull-ups (表2-3): one point per extra pull-up over the 100-point count, capped at 10', () => {
    // 表1-13 初一 100 分 = 13.
    expect(itemBonus(21, 'male', { pull_ups: 13 }, 'pull_ups')).toBe(0);
    expect(itemBonus(21, 'male', { pull_ups: 14 }, 'pull_ups')).toBe(1);
    expect(itemBonus(21, 'male', { pull_ups: 23 }, 'pull_ups')).toBe(10);
    expect(itemBonus(21, 'male', { pull_ups: 30 }, 'pull_ups')).toBe(10);
  });

  it('1000 m (表2-5): seconds faster than the 100-point time, 4 s for the first point, capped at 10', () => {
    // 表1-15 初一 100 分 = 3'55" = 235 s.
    expect(itemBonus(21, 'male', { run_1000m: 232 }, 'run_1000m')).toBe(0); // 3 s faster
    expect(itemBonus(21, 'male', { run_1000m: 231 }, 'run_1000m')).toBe(1); // 4 s
    expect(itemBonus(21, 'male', { run_1000m: 215 }, 'run_1000m')).toBe(5); // 20 s
    expect(itemBonus(21, 'male', { run_1000m: 200 }, 'run_1000m')).toBe(10); // 35 s
    expect(itemBonus(21, 'male', { run_1000m: 150 }, 'run_1000m')).toBe(10);
  });

  it('girls: sit-ups (表2-4) and 800 m (表2-6)', () => {
    // 表1-14 女 初一 100 分 = 50 次; 表2-4: excess 2 → 1, 4 → 2, 13 → 10.
    expect(itemBonus(21, 'female', { sit_ups_1min: 51 }, 'sit_ups_1min')).toBe(0);
    expect(itemBonus(21, 'female', { sit_ups_1min: 53 }, 'sit_ups_1min')).toBe(1);
    expect(itemBonus(21, 'female', { sit_ups_1min: 54 }, 'sit_ups_1min')).toBe(2);
    expect(itemBonus(21, 'female', { sit_ups_1min: 63 }, 'sit_ups_1min')).toBe(10);
    // 表1-16 女 初一 100 分 = 3'35" = 215 s; 表2-6: 5 s → 1, 50 s → 10.
    expect(itemBonus(21, 'female', { run_800m: 210 }, 'run_800m')).toBe(1);
    expect(itemBonus(21, 'female', { run_800m: 165 }, 'run_800m')).toBe(10);
  });

  it('primary sit-ups and the 50×8 shuttle carry no bonus', () => {
    // 表1-14 女 三年级 100 分 = 46; far beyond it still earns nothing.
    expect(itemBonus(13, 'female', { sit_ups_1min: 70 }, 'sit_ups_1min')).toBe(0);
    // 表1-15 男 五年级 50×8 100 分 = 1'36" = 96 s.
    expect(itemBonus(15, 'male', { shuttle_run_50x8: 80 }, 'shuttle_run_50x8')).toBe(0);
  });

  it('caps the annual total at 120 (standard 100 + bonus 20)', () => {
    // 初一 男 every item at 100 (表1-1,1-3,1-5,1-7,1-11,1-13,1-15), pull-ups +10, 1000 m +10.
    const r = scoreStudent({ grade: 21, sex: 'male', measurements: { bmi: 19.5, vital_capacity: 3640, run_50m: 7.8, sit_and_reach: 17.6, standing_long_jump: 225, pull_ups: 40, run_1000m: 150 } });
    expect(r.standard_score).toBe(100);
    expect(r.bonus_total).toBe(20);
    expect(r.annual_total).toBe(120);
    expect(r.grade_band).toBe('优秀');
  });
});

describe('weighted totals and bands (一年级 男: BMI 15, 肺活量 15, 50米 20, 坐位体前屈 30, 跳绳 20)', () => {
  // 100-point values: BMI 15.0 (正常), 肺活量 1700, 50米 10.2, 坐位体前屈 16.1, 跳绳 109.
  const base = { bmi: 15.0, vital_capacity: 1700, run_50m: 10.2, sit_and_reach: 16.1, rope_skip_1min: 109 };
  const total = (m: M) => scoreStudent({ grade: 11, sex: 'male', measurements: { ...base, ...m } });

  it('90.0 exactly is 优秀; 89.6 is 良好', () => {
    // 坐位体前屈 11.0 → 80 (×30 = 24), 跳绳 87 → 80 (×20 = 16): 15 + 15 + 20 + 24 + 16 = 90.
    expect(total({ sit_and_reach: 11.0, rope_skip_1min: 87 })).toMatchObject({ standard_score: 90, annual_total: 90, grade_band: '优秀', complete: true });
    // 跳绳 86 → 78 (×20 = 15.6): 89.6.
    expect(total({ sit_and_reach: 11.0, rope_skip_1min: 86 })).toMatchObject({ annual_total: 89.6, grade_band: '良好' });
  });

  it('80.0 exactly is 良好', () => {
    // 50米 10.6 → 80 (16), 坐位体前屈 0.0 → 60 (18), 跳绳 87 → 80 (16): 15 + 15 + 16 + 18 + 16 = 80.
    expect(total({ run_50m: 10.6, sit_and_reach: 0.0, rope_skip_1min: 87 })).toMatchObject({ annual_total: 80, grade_band: '良好' });
  });

  it('60.0 exactly is 及格; 58.0 is 不及格', () => {
    // Every item at 60: BMI 20.4 (肥胖 60), 肺活量 700, 50米 12.6, 坐位体前屈 0.0, 跳绳 17.
    const sixty = { bmi: 20.4, vital_capacity: 700, run_50m: 12.6, sit_and_reach: 0.0, rope_skip_1min: 17 };
    expect(total(sixty)).toMatchObject({ standard_score: 60, annual_total: 60, grade_band: '及格' });
    // 跳绳 14 → 50 (×20 = 10 instead of 12): 58.
    expect(total({ ...sixty, rope_skip_1min: 14 })).toMatchObject({ annual_total: 58, grade_band: '不及格' });
  });

  it('the band comes from the annual total, bonus included', () => {
    // 坐位体前屈 −0.8 → 50 (15): standard 15 + 15 + 20 + 15 + 20 = 85; 跳绳 119 = 109 + 10 → 表2-1 +5.
    expect(total({ sit_and_reach: -0.8, rope_skip_1min: 119 })).toMatchObject({ standard_score: 85, bonus_total: 5, annual_total: 90, grade_band: '优秀' });
  });

  it('weights give two-decimal totals (95 × 15 % = 14.25)', () => {
    // 肺活量 1600 → 95: 15 + 14.25 + 20 + 30 + 20 = 99.25.
    expect(total({ vital_capacity: 1600 }).standard_score).toBe(99.25);
  });
});

describe('missing, exempt and invalid inputs', () => {
  it('a missing item scores null, adds 0, earns no bonus, and flags the record incomplete', () => {
    const r = scoreStudent({ grade: 11, sex: 'male', measurements: { bmi: 15.0, vital_capacity: 1700, run_50m: 10.2, sit_and_reach: 16.1 } });
    expect(r.items.find((i) => i.item === 'rope_skip_1min')).toEqual({ item: 'rope_skip_1min', value: null, score: null, bonus: 0 });
    expect(r).toMatchObject({ standard_score: 80, annual_total: 80, complete: false, exempt: false });
  });

  it('an exempt (免测) student gets no score and no band', () => {
    const r = scoreStudent({ grade: 21, sex: 'female', exempt: true, measurements: {} });
    expect(r).toMatchObject({ exempt: true, standard_score: null, annual_total: null, grade_band: null, complete: false });
    expect(r.items.map((i) => i.item)).toEqual(['bmi', 'vital_capacity', 'run_50m', 'sit_and_reach', 'sit_ups_1min', 'standing_long_jump', 'run_800m']);
  });

  it('rejects an item the grade does not test, and an unknown grade code', () => {
    expect(() => scoreStudent({ grade: 21, sex: 'female', measurements: { pull_ups: 3 } })).toThrow(FitnessInputError);
    try { scoreStudent({ grade: 24, sex: 'male', measurements: {} }); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(FitnessInputError);
      expect((e as FitnessInputError).rule).toBe('grade_code');
    }
  });

  it('vocational students use the senior columns (31–33)', () => {
    // 表1-3 肺活量 男 高一 — same lookup as any 31 student; 100-point value read from the table.
    const top = fitnessStandard().standard.scoring_tables.vital_capacity?.male?.['31']?.[0];
    expect(top?.[0]).toBe(100);
    expect(itemScore(31, 'male', { vital_capacity: top?.[1] ?? 0 }, 'vital_capacity')).toBe(100);
  });
});

describe('graduation score (说明 8)', () => {
  it('is half the final year plus half the mean of the other years', () => {
    // 0.5 × 80 + 0.5 × (70 + 90 + 60) / 3 = 40 + 36.67 = 76.67 → 及格.
    expect(graduationScore(80, [70, 90, 60])).toEqual({ score: 76.67, grade_band: '及格' });
    // 0.5 × 92 + 0.5 × 88 = 90 → 优秀 (exactly at the edge).
    expect(graduationScore(92, [88])).toEqual({ score: 90, grade_band: '优秀' });
    expect(graduationScore(59.9, [])).toEqual({ score: 59.9, grade_band: '不及格' });
  });
});

describe('the shipped tables are validated on load', () => {
  const copy = (): Record<string, unknown> => JSON.parse(JSON.stringify(rawTables)) as Record<string, unknown>;

  it('accepts the repository copy', () => {
    expect(fitnessStandard().groups.size).toBe(32);
  });

  it('rejects a ladder that is not monotonic, naming the cell', () => {
    const bad = copy() as { scoring_tables: { vital_capacity: { male: Record<string, number[][]> } } };
    const row = bad.scoring_tables.vital_capacity.male['11']?.[3];
    if (row) row[1] = 9999;
    try { compileFitnessStandard(bad); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(EduplanError);
      expect((e as EduplanError).code).toBe('E_STANDARD_TABLE');
      expect((e as EduplanError).problems.map((p) => p.path)).toContain('scoring_tables.vital_capacity.male.11[3]');
    }
  });

  it('rejects weights that do not sum to 100', () => {
    const bad = copy() as { grade_groups: { junior: { weights_percent: { female: Record<string, number> } } } };
    bad.grade_groups.junior.weights_percent.female.run_800m = 25;
    expect(() => compileFitnessStandard(bad)).toThrow(/E_STANDARD_TABLE/);
  });
});
