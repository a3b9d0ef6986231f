/**
 * Scoring one student's school year under 《国家学生体质健康标准（2014年修订）》.
 *
 * Two entry points over the same code:
 * - `scoreCompiled` — the fast path for city-scale imports: values by item index in a
 *   Float64Array (NaN = missing), results written into caller-owned typed arrays; no
 *   allocation per student.
 * - `scoreStudent` — the readable path for the CLI and API: named measurements in,
 *   a plain result object out.
 *
 * Totals are kept in hundredths of a point as integers (score × weight%), so that a
 * total of exactly 90.00 is 9000 and never 89.99999 (the bands compare unrounded totals
 * with 90 / 80 / 60: see the JSON's `totals.rounding_note`).
 */
import { BMI, fitnessItems, fitnessStandard, groupKey, ITEM_COUNT, itemIndex, type BonusLadder, type CompiledGroup, type CompiledStandard, type FitnessItem, type FitnessSex, type LadderLookup } from './tables.ts';

/** 等级 (说明 7): from the annual total (学年总分). */
export const gradeBands = ['优秀', '良好', '及格', '不及格'] as const;
export type GradeBand = (typeof gradeBands)[number];
export const BAND_EXCELLENT = 0;
export const BAND_GOOD = 1;
export const BAND_PASS = 2;
export const BAND_FAIL = 3;

/** 附加分 at most 20 in total (说明: 附加分满分为20分). */
export const MAX_BONUS_TOTAL = 20;

/** Band from an annual total in hundredths: ≥ 90.0 优秀, 80.0–89.9 良好, 60.0–79.9 及格, else 不及格. */
export function bandOfHundredths(totalHundredths: number): number {
  if (totalHundredths >= 9000) return BAND_EXCELLENT;
  if (totalHundredths >= 8000) return BAND_GOOD;
  if (totalHundredths >= 6000) return BAND_PASS;
  return BAND_FAIL;
}

/**
 * BMI = weight (kg) / height (m)², rounded half-up to 0.1 before the band lookup: the
 * bands are contiguous only at 0.1 (normal ≤ 18.1, overweight ≥ 18.2), and half-up is
 * the platform's choice (PROVENANCE: "Choices the standard leaves open").
 */
export function bmiOf(heightCm: number, weightKg: number): number {
  const m = heightCm / 100;
  return roundBmi(weightKg / (m * m));
}

/** Half-up to one decimal; the tiny epsilon absorbs binary error (18.15 stored as 18.1499999…). */
export function roundBmi(bmi: number): number {
  return Math.floor(bmi * 10 + 0.5 + 1e-9) / 10;
}

/**
 * Score of a measured value on slot `k` of a group's ladders (`LadderLookup`; v not NaN):
 * the highest score whose threshold the value reaches, 0 below the lowest (评分表:
 * reach the threshold to earn the score). The value is normalised (× sign: times are
 * negated), its grid cell names a ladder entry, and the walk moves to the entry i with
 * thresholds[i] ≤ normalised v < thresholds[i − 1] — the one the top-down scan returns, for
 * every v whatever the rounding of the cell arithmetic: the cell only chooses where the
 * walk starts (on the standard's grids it starts on the answer; the sentinels NaN and
 * −Infinity end it). Off the grid a ladder has one cell at t0 and the walk is the scan.
 *
 * Why a grid: scoring alone must reach 2 M records/s on one thread (issue goal). On the
 * benchmark's data (1 M records over the 24 grade × sex groups of grades 11–33, values
 * over each ladder's range ± 10 %), median of 5 rounds after a warm-up, all in one process
 * (a scratch A/B script under the git-ignored .scratch/, run with `flock /tmp/bench.lock
 * npx tsx …`, load average 1.7–2.6 on 2 vCPUs): the scan
 * 1.72–1.80 M records/s; the flat layout with the scan 2.08; the flat layout with these
 * cells 3.2–3.5; cells holding the score, corrected by one compare with stored Float64
 * grid edges, 3.1–3.4 — no faster and 4.5× the memory, and exact only while the cell
 * arithmetic is off by at most one cell, where the walk is exact by construction.
 * A BMI table instead of the three compares, and slot parameters interleaved in one
 * array, measured within the noise (± 10 %) and were left out.
 * The bench itself, HEAD before this change and after it, alternated three times
 * (`EDUPLAN_BENCH_FITNESS_ROWS=30000 flock /tmp/bench.lock npx tsx bench/run.ts --only
 * fitness`, load average 1.7–4.5): before 1.87 / 1.40 / 1.48 M/s, after 3.09 / 3.55 /
 * 3.30 M/s (slowest round after: 2.68).
 */
export function ladderScoreAt(lk: LadderLookup, k: number, v: number): number {
  const nv = v * (lk.sign[k] as number);
  const x = (nv - (lk.gridLo[k] as number)) * (lk.cellsPerUnit[k] as number);
  const last = lk.lastCell[k] as number;
  const t = lk.thresholds;
  let i = lk.cells[(lk.cellStart[k] as number) + (x <= 0 ? 0 : x >= last ? last : x | 0)] as number;
  while (nv < (t[i] as number)) i++;
  while (nv >= (t[i - 1] as number)) i--;
  return lk.scores[i] as number;
}

/**
 * Result slots written by `scoreCompiled` into an Int32Array of length RESULT_SLOTS.
 */
export const R_STANDARD_HUNDREDTHS = 0;
export const R_BONUS = 1;
export const R_ANNUAL_HUNDREDTHS = 2;
export const R_BAND = 3;
export const R_COMPLETE = 4;
export const RESULT_SLOTS = 5;

/**
 * Fast path. `values[base + item]` is the measured value (NaN = missing; `base` lets a
 * batch of students live in one array); BMI must already be
 * rounded (see `bmiOf`). Writes each tested item's score (NaN when missing) and bonus
 * into `itemScores` / `itemBonus` (entries of untested items are left as they were),
 * and the totals into `out`.
 *
 * Missing items (PLATFORM POLICY, the JSON's `missing_items`): score null, 0 towards the
 * standard score, no bonus, and the record is flagged incomplete.
 */
export function scoreCompiled(g: CompiledGroup, values: Float64Array, itemScores: Float64Array, itemBonus: Float64Array, out: Int32Array, base = 0): void {
  let weighted = 0;
  let complete = 1;
  const lk = g.lookup;
  // BMI (表1-1/1-2): bands on the rounded value in tenths, no ladder.
  if (lk.bmiTested) {
    const v = values[base + BMI] as number;
    itemBonus[BMI] = 0;
    if (v !== v) { complete = 0; itemScores[BMI] = NaN; } else { // NaN: missing
      const tenths = Math.round(v * 10);
      const mx = g.bmiMaxTenths;
      const s = g.bmiScores[tenths <= (mx[0] as number) ? 0 : tenths <= (mx[1] as number) ? 1 : tenths <= (mx[2] as number) ? 2 : 3] as number;
      itemScores[BMI] = s;
      weighted += s * (g.weights[BMI] as number);
    }
  }
  const items = lk.items;
  for (let k = 0; k < items.length; k++) {
    const it = items[k] as number;
    const v = values[base + it] as number;
    itemBonus[it] = 0;
    if (v !== v) { complete = 0; itemScores[it] = NaN; continue; }
    const s = ladderScoreAt(lk, k, v);
    itemScores[it] = s;
    weighted += s * (lk.weights[k] as number);
  }
  // 附加分: only the part beyond the 100-point threshold, per item cap, then total cap 20.
  let bonus = 0;
  for (let b = 0; b < g.bonus.length; b++) {
    const bl = g.bonus[b] as BonusLadder;
    const margin = (values[base + bl.item] as number) * bl.sign - bl.top;
    if (!(margin > 0)) continue; // also a missing (NaN) value
    let p = 0;
    for (let i = 0; i < bl.margins.length; i++) {
      if (margin >= (bl.margins[i] as number)) { p = bl.points[i] as number; break; }
    }
    if (p > bl.max) p = bl.max;
    itemBonus[bl.item] = p;
    bonus += p;
  }
  if (bonus > MAX_BONUS_TOTAL) bonus = MAX_BONUS_TOTAL;
  const annual = weighted + bonus * 100;
  out[R_STANDARD_HUNDREDTHS] = weighted;
  out[R_BONUS] = bonus;
  out[R_ANNUAL_HUNDREDTHS] = annual;
  out[R_BAND] = bandOfHundredths(annual);
  out[R_COMPLETE] = complete;
}

/** Readable inputs for one student and year. */
export interface FitnessInput {
  /** 年级编号 of the national upload (11–16, 21–23, 31–33, 41–44; 中职 uses 31–33). */
  readonly grade: number;
  readonly sex: FitnessSex;
  /** Item keys of fitness-2014.json; `height_cm` + `weight_kg` may replace `bmi`. Times in seconds. */
  readonly measurements: Readonly<Partial<Record<FitnessItem | 'height_cm' | 'weight_kg', number | null>>>;
  /** 免测 (exempt on medical grounds, 说明 ... 免予执行): not scored, excluded from rates. */
  readonly exempt?: boolean;
}

export interface ItemResult {
  readonly item: FitnessItem;
  readonly value: number | null;
  readonly score: number | null;
  readonly bonus: number;
}

export interface FitnessResult {
  readonly items: ItemResult[];
  readonly standard_score: number | null;
  readonly bonus_total: number;
  readonly annual_total: number | null;
  readonly grade_band: GradeBand | null;
  readonly complete: boolean;
  readonly exempt: boolean;
}

export class FitnessInputError extends Error {
  readonly rule: string;
  readonly path: string;
  readonly value: unknown;
  readonly message_zh: string;
  constructor(rule: string, path: string, value: unknown, message_en: string, message_zh: string) {
    super(message_en);
    this.rule = rule;
    this.path = path;
    this.value = value;
    this.message_zh = message_zh;
  }
}

/** The compiled group for a grade and sex, or a located error naming the valid grade codes. */
export function groupFor(std: CompiledStandard, grade: number, sex: FitnessSex): CompiledGroup {
  const g = std.groups.get(groupKey(grade, sex));
  if (g === undefined) {
    throw new FitnessInputError('grade_code', 'grade', grade,
      `grade must be a national grade code (${std.gradeCodes.join(', ')})`,
      `年级编号应为国家年级编号（${std.gradeCodes.join('、')}）`);
  }
  return g;
}

/**
 * Values by item index from named measurements: BMI from height and weight when `bmi`
 * is not given. An item that the grade does not test is an error (the national upload
 * rejects e.g. 引体向上 for girls: statistics-forms.md §2.5 cross-field rules).
 */
export function valuesOf(g: CompiledGroup, input: FitnessInput, into: Float64Array = new Float64Array(ITEM_COUNT)): Float64Array {
  into.fill(NaN);
  const m = input.measurements;
  for (const key of Object.keys(m) as Array<keyof FitnessInput['measurements']>) {
    const v = m[key];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new FitnessInputError('number', `measurements.${key}`, v, `${key} must be a finite number`, `${key} 应为数值`);
    if (key === 'height_cm' || key === 'weight_kg') continue;
    const idx = itemIndex[key];
    if (idx === undefined) throw new FitnessInputError('unknown_item', `measurements.${key}`, key, `unknown item ${key}`, `未知测试项目 ${key}`);
    if ((g.weights[idx] ?? 0) === 0) {
      throw new FitnessInputError('item_not_for_grade', `measurements.${key}`, v, `${key} is not tested for grade ${g.grade} ${g.sex}`, `${g.grade}年级${g.sex === 'male' ? '男生' : '女生'}不测试 ${key}，请留空`);
    }
    into[idx] = key === 'bmi' ? roundBmi(v) : v;
  }
  const h = m.height_cm;
  const w = m.weight_kg;
  if (into[BMI] !== into[BMI] && typeof h === 'number' && typeof w === 'number') {
    if (!(h > 0) || !(w > 0)) throw new FitnessInputError('range', 'measurements.height_cm', h, 'height and weight must be positive', '身高和体重应为正数');
    into[BMI] = bmiOf(h, w);
  }
  return into;
}

/** Score one student's year: each item, the weighted standard score, bonus, annual total and band. */
export function scoreStudent(input: FitnessInput, std: CompiledStandard = fitnessStandard()): FitnessResult {
  const g = groupFor(std, input.grade, input.sex);
  const values = valuesOf(g, input);
  if (input.exempt === true) {
    return {
      items: Array.from(g.items, (it) => ({ item: fitnessItems[it] as FitnessItem, value: nullIfNaN(values[it]), score: null, bonus: 0 })),
      standard_score: null, bonus_total: 0, annual_total: null, grade_band: null, complete: false, exempt: true,
    };
  }
  const scores = new Float64Array(ITEM_COUNT).fill(NaN);
  const bonus = new Float64Array(ITEM_COUNT);
  const out = new Int32Array(RESULT_SLOTS);
  scoreCompiled(g, values, scores, bonus, out);
  return {
    items: Array.from(g.items, (it) => ({ item: fitnessItems[it] as FitnessItem, value: nullIfNaN(values[it]), score: nullIfNaN(scores[it]), bonus: bonus[it] ?? 0 })),
    standard_score: (out[R_STANDARD_HUNDREDTHS] ?? 0) / 100,
    bonus_total: out[R_BONUS] ?? 0,
    annual_total: (out[R_ANNUAL_HUNDREDTHS] ?? 0) / 100,
    grade_band: gradeBands[out[R_BAND] ?? BAND_FAIL] ?? null,
    complete: out[R_COMPLETE] === 1,
    exempt: false,
  };
}

function nullIfNaN(v: number | undefined): number | null {
  return v === undefined || Number.isNaN(v) ? null : v;
}

/**
 * 毕业成绩 (说明 8): 50 % of the graduation year's annual total + 50 % of the mean of
 * the other years' annual totals, banded with the same bands. With no other year on
 * record the graduation year's total stands alone (platform choice: the standard
 * presumes every year was tested).
 */
export function graduationScore(finalYearTotal: number, otherYearTotals: readonly number[]): { score: number; grade_band: GradeBand } {
  const f = Math.round(finalYearTotal * 100);
  let hundredths: number;
  if (otherYearTotals.length === 0) hundredths = f;
  else {
    const others = otherYearTotals.reduce((s, t) => s + Math.round(t * 100), 0);
    // 0.5·f + 0.5·(others/n) in hundredths; rounded to the nearest hundredth for display only.
    hundredths = (f * otherYearTotals.length + others) / (2 * otherYearTotals.length);
  }
  return { score: Math.round(hundredths) / 100, grade_band: gradeBands[bandOfHundredths(hundredths)] as GradeBand };
}
