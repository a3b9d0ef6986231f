/**
 * The fast ladder lookup (`ladderScoreAt`, grid cells + walk) and the whole fast path
 * (`scoreCompiled`) against plain references written straight from the JSON tables of
 * 《国家学生体质健康标准（2014年修订）》: reach the threshold to earn the score (评分表),
 * times lower is better, 附加分 on the excess over the 100-point threshold (表2-1…2-6),
 * weights (二、单项指标与权重), bands (说明 7). Equality must be exact for every real
 * value: at each threshold, a hair and one or two ulps either side, between, far outside.
 */
import { describe, expect, it } from 'vitest';
import rawTables from '../data/fitness-2014.json' with { type: 'json' };
import { ladderScoreAt, MAX_BONUS_TOTAL, R_ANNUAL_HUNDREDTHS, R_BAND, R_BONUS, R_COMPLETE, R_STANDARD_HUNDREDTHS, RESULT_SLOTS, scoreCompiled } from './score.ts';
import { BMI, compileFitnessStandard, fitnessItems, fitnessStandard, ITEM_COUNT, ladderGrid, MAX_LADDER_CELLS, type CompiledGroup, type CompiledStandard, type FitnessItem } from './tables.ts';

type Pair = readonly [number, number];

/** Plain scan of the JSON's [score, threshold] pairs, highest score first, in raw units. */
function referenceScore(pairs: readonly Pair[], lowerIsBetter: boolean, v: number): number {
  for (const [score, t] of pairs) if (lowerIsBetter ? v <= t : v >= t) return score;
  return 0;
}

function ladderOf(std: CompiledStandard, g: CompiledGroup, item: FitnessItem): { pairs: readonly Pair[]; lower: boolean } {
  const pairs = std.standard.scoring_tables[item]?.[g.sex]?.[String(g.grade)];
  if (!pairs) throw new Error(`no table for ${item} ${g.sex} ${g.grade}`);
  return { pairs, lower: std.standard.items[item]?.direction === 'lower_is_better' };
}

// Neighbouring doubles, from the bit pattern.
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + (x > 0 ? 1n : -1n);
  return f64[0] as number;
}
const nextDown = (x: number): number => -nextUp(-x);

/** Values that stress a ladder: each threshold, ± 1e-9, ± 1 and 2 ulps, midpoints, far outside. */
function edgeValues(pairs: readonly Pair[]): number[] {
  const out: number[] = [-Infinity, Infinity, 0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 1e300, -1e300, 1e6, -1e6];
  for (let i = 0; i < pairs.length; i++) {
    const t = (pairs[i] as Pair)[1];
    out.push(t, t + 1e-9, t - 1e-9, nextUp(t), nextDown(t), nextUp(nextUp(t)), nextDown(nextDown(t)), t + 0.05, t - 0.05, t + 0.5, t - 0.5, t + 1, t - 1);
    const next = pairs[i + 1];
    if (next !== undefined) out.push((t + next[1]) / 2);
  }
  return out;
}

/** Seeded xorshift32 in [0, 1): the test's own generator (src/core takes no randomness from outside). */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

interface Mismatch { grade: number; sex: string; item: string; v: number; fast: number; reference: number }

/** Compare the lookup with the reference on `values` for every ladder slot of every group of `std`. */
function mismatchesOf(std: CompiledStandard, valuesFor: (pairs: readonly Pair[], lower: boolean) => Iterable<number>): { checked: number; mismatches: Mismatch[] } {
  const mismatches: Mismatch[] = [];
  let checked = 0;
  for (const g of std.groups.values()) {
    const lk = g.lookup;
    for (let k = 0; k < lk.items.length; k++) {
      const item = fitnessItems[lk.items[k] as number] as FitnessItem;
      const { pairs, lower } = ladderOf(std, g, item);
      for (const v of valuesFor(pairs, lower)) {
        const fast = ladderScoreAt(lk, k, v);
        const reference = referenceScore(pairs, lower, v);
        checked++;
        if (fast !== reference && mismatches.length < 20) mismatches.push({ grade: g.grade, sex: g.sex, item, v, fast, reference });
      }
    }
  }
  return { checked, mismatches };
}

describe('ladder lookup equals the plain scan, every ladder of every grade × sex', () => {
  const std = fitnessStandard();

  it('at every threshold, ± 1e-9, ± 1 and 2 ulps, between thresholds and far outside', () => {
    const { checked, mismatches } = mismatchesOf(std, (pairs) => edgeValues(pairs));
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(40_000);
  });

  it('on 100,000 random values: continuous, on the 0.1 and 0.01 grids, and ± 20 % beyond the ladder', () => {
    const rand = xorshift(2014);
    const slots = [...std.groups.values()].reduce((s, g) => s + g.lookup.items.length, 0);
    const perLadder = Math.ceil(100_000 / slots);
    const { checked, mismatches } = mismatchesOf(std, (pairs) => {
      const hi = Math.max(...pairs.map((p) => p[1]));
      const lo = Math.min(...pairs.map((p) => p[1]));
      const span = hi - lo;
      const out: number[] = [];
      for (let i = 0; i < perLadder; i++) {
        const v = lo - 0.2 * span + 1.4 * span * rand();
        out.push(i % 3 === 0 ? v : i % 3 === 1 ? Math.round(v * 10) / 10 : Math.round(v * 100) / 100);
      }
      return out;
    });
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(100_000);
  });

  it('every shipped ladder is on a grid (the fast path is taken), of a few hundred cells at most', () => {
    for (const g of std.groups.values()) {
      const lk = g.lookup;
      for (let k = 0; k < lk.items.length; k++) {
        const grid = ladderGrid((g.ladders[lk.items[k] as number] as { thresholds: Float64Array }).thresholds);
        expect(grid, `${g.grade} ${g.sex} ${fitnessItems[lk.items[k] as number]}`).toBeDefined();
        expect(lk.lastCell[k]).toBeGreaterThan(0);
        expect(lk.lastCell[k]).toBeLessThan(300);
      }
    }
  });

  it('ladders off any decimal grid, or on one too fine, fall back to the scan and still agree', () => {
    const copy = JSON.parse(JSON.stringify(rawTables)) as { scoring_tables: Record<string, Record<string, Record<string, number[][]>>> };
    const set = (item: string, sex: string, grade: string, row: number, t: number): void => {
      const pair = copy.scoring_tables[item]?.[sex]?.[grade]?.[row];
      if (!pair) throw new Error('no such cell');
      pair[1] = t;
    };
    // 肺活量 男 一年级 100 分: 1700 → 1700.0001 (no scale up to 1000 makes it whole).
    set('vital_capacity', 'male', '11', 0, 1700.0001);
    // 肺活量 男 二年级 95 分: on the 0.001 grid, 1.4 M cells > MAX_LADDER_CELLS.
    set('vital_capacity', 'male', '12', 1, (copy.scoring_tables.vital_capacity?.male?.['12']?.[1]?.[1] ?? 0) + 0.001);
    // 50米跑 女 初一 (a time) 100 分: 1/3 s faster than the table.
    set('run_50m', 'female', '21', 0, (copy.scoring_tables.run_50m?.female?.['21']?.[0]?.[1] ?? 0) - 1 / 3);
    const odd = compileFitnessStandard(copy);
    const offGrid: string[] = [];
    for (const g of odd.groups.values()) {
      for (let k = 0; k < g.lookup.items.length; k++) if (g.lookup.lastCell[k] === 0) offGrid.push(`${g.grade}${g.sex} ${fitnessItems[g.lookup.items[k] as number]}`);
    }
    expect(offGrid.sort()).toEqual(['11male vital_capacity', '12male vital_capacity', '21female run_50m']);
    expect(MAX_LADDER_CELLS).toBeLessThan(1_400_000);
    const rand = xorshift(7);
    const { mismatches } = mismatchesOf(odd, (pairs) => {
      const out = edgeValues(pairs);
      const lo = Math.min(...pairs.map((p) => p[1]));
      const hi = Math.max(...pairs.map((p) => p[1]));
      for (let i = 0; i < 300; i++) out.push(lo - 0.2 * (hi - lo) + 1.4 * (hi - lo) * rand());
      return out;
    });
    expect(mismatches).toEqual([]);
  });
});

/**
 * The whole record by hand from the JSON: BMI band on the value in tenths (表1-1/1-2),
 * ladders by the plain scan, weights in percent, 附加分 = the pair reached by the excess
 * over the 100-point threshold (only when positive), capped per item and at 20 in total;
 * a missing item scores nothing, earns no bonus and makes the record incomplete.
 */
function referenceRecord(std: CompiledStandard, g: CompiledGroup, values: Float64Array): { scores: Map<number, number>; bonus: Map<number, number>; out: number[] } {
  const s = std.standard;
  const scores = new Map<number, number>();
  const bonus = new Map<number, number>();
  let weighted = 0;
  let complete = 1;
  for (const it of g.items) {
    const item = fitnessItems[it] as FitnessItem;
    const v = values[it] as number;
    bonus.set(it, 0);
    if (Number.isNaN(v)) { complete = 0; scores.set(it, NaN); continue; }
    let score: number;
    if (it === BMI) {
      const bands = s.bmi_bands.by_sex[g.sex][String(g.grade)] ?? [];
      const tenths = Math.round(v * 10);
      const band = bands.findIndex((b, i) => i === 3 || tenths <= Math.round((b.max ?? Infinity) * 10));
      score = bands[band]?.score ?? NaN;
    } else {
      const { pairs, lower } = ladderOf(std, g, item);
      score = referenceScore(pairs, lower, v);
      const table = s.bonus.tables[item];
      const bySex = table?.by_sex[g.sex];
      if (table && bySex && bySex.grades.includes(g.grade)) {
        const t100 = (pairs[0] as Pair)[1];
        const excess = lower ? t100 - v : v - t100;
        if (excess > 0) {
          const p = Math.min(table.max_bonus, bySex.pairs.find(([, m]) => excess >= m)?.[0] ?? 0);
          bonus.set(it, p);
        }
      }
    }
    scores.set(it, score);
    weighted += score * (g.weights[it] as number);
  }
  const bonusTotal = Math.min(MAX_BONUS_TOTAL, [...bonus.values()].reduce((a, b) => a + b, 0));
  const annual = weighted + bonusTotal * 100;
  const band = annual >= 9000 ? 0 : annual >= 8000 ? 1 : annual >= 6000 ? 2 : 3;
  return { scores, bonus, out: [weighted, bonusTotal, annual, band, complete] };
}

describe('scoreCompiled equals a plain reference scorer', () => {
  it('on 30,000 random records over every grade × sex, ~8 % of items missing: item scores, bonus, totals, band, completeness', () => {
    const std = fitnessStandard();
    const groups = [...std.groups.values()];
    const rand = xorshift(2021);
    const values = new Float64Array(ITEM_COUNT);
    const itemScores = new Float64Array(ITEM_COUNT);
    const itemBonus = new Float64Array(ITEM_COUNT);
    const out = new Int32Array(RESULT_SLOTS);
    const problems: string[] = [];
    for (let r = 0; r < 30_000; r++) {
      const g = groups[r % groups.length] as CompiledGroup;
      values.fill(NaN);
      for (const it of g.items) {
        if (rand() < 0.08) continue;
        let v: number;
        if (it === BMI) v = Math.round((10 + 20 * rand()) * 10) / 10;
        else {
          const { pairs } = ladderOf(std, g, fitnessItems[it] as FitnessItem);
          const ts = pairs.map((p) => p[1]);
          const lo = Math.min(...ts);
          const hi = Math.max(...ts);
          // Thresholds exactly half the time (the edges matter most), else anywhere ± 30 %.
          v = rand() < 0.5 ? (ts[Math.floor(rand() * ts.length)] as number) : lo - 0.3 * (hi - lo) + 1.6 * (hi - lo) * rand();
        }
        values[it] = v;
      }
      const ref = referenceRecord(std, g, values);
      scoreCompiled(g, values, itemScores, itemBonus, out);
      for (const it of g.items) {
        if (!Object.is(itemScores[it], ref.scores.get(it)) || itemBonus[it] !== ref.bonus.get(it)) {
          problems.push(`${g.grade}${g.sex} ${fitnessItems[it]} ${values[it]}: ${itemScores[it]}+${itemBonus[it]} vs ${ref.scores.get(it)}+${ref.bonus.get(it)}`);
        }
      }
      const got = [out[R_STANDARD_HUNDREDTHS], out[R_BONUS], out[R_ANNUAL_HUNDREDTHS], out[R_BAND], out[R_COMPLETE]];
      if (got.join() !== ref.out.join()) problems.push(`${g.grade}${g.sex} record ${r}: ${got.join()} vs ${ref.out.join()}`);
      if (problems.length > 20) break;
    }
    expect(problems).toEqual([]);
  });
});
