/**
 * 《国家学生体质健康标准（2014年修订）》 scoring tables: the repository's own copy
 * (`../data/fitness-2014.json`, copied unchanged from the transcription described in
 * its PROVENANCE — never retyped), validated on load and compiled into typed arrays.
 *
 * Validation fails loudly (E_STANDARD_TABLE) rather than score with a damaged table:
 * a wrong cell silently changes thousands of students' bands.
 */
import { z } from 'zod';
import { EduplanError, type Problem } from '../../errors.ts';
import rawTables from '../data/fitness-2014.json' with { type: 'json' };

/** Test items (测试项目), in a fixed order: the index is used by the compiled tables. */
export const fitnessItems = [
  'bmi', // 体重指数
  'vital_capacity', // 肺活量
  'run_50m', // 50米跑
  'sit_and_reach', // 坐位体前屈
  'rope_skip_1min', // 1分钟跳绳
  'sit_ups_1min', // 1分钟仰卧起坐
  'shuttle_run_50x8', // 50米×8往返跑
  'standing_long_jump', // 立定跳远
  'pull_ups', // 引体向上
  'run_800m', // 800米跑
  'run_1000m', // 1000米跑
] as const;
export type FitnessItem = (typeof fitnessItems)[number];
export const ITEM_COUNT = fitnessItems.length;
export const itemIndex: Readonly<Record<FitnessItem, number>> = Object.fromEntries(fitnessItems.map((k, i) => [k, i])) as Record<FitnessItem, number>;
export const BMI = 0;

export type FitnessSex = 'male' | 'female';

const pair = z.tuple([z.number().int(), z.number()]);
const direction = z.enum(['banded', 'higher_is_better', 'lower_is_better']);
const bmiBand = z.object({
  band: z.enum(['underweight', 'normal', 'overweight', 'obese']),
  label_zh: z.string(),
  score: z.number().int(),
  min: z.number().optional(),
  max: z.number().optional(),
});
const sexRecord = <T extends z.ZodType>(t: T) => z.object({ male: t.optional(), female: t.optional() });

export const fitnessStandardSchema = z.object({
  format_version: z.string(),
  score_levels: z.array(z.number().int()),
  grades: z.array(z.object({ code: z.number().int(), name_zh: z.string(), group: z.string() })),
  items: z.partialRecord(z.enum(fitnessItems), z.object({ name_zh: z.string(), name_en: z.string(), unit: z.string(), direction })),
  grade_groups: z.record(z.string(), z.object({
    grades: z.array(z.number().int()),
    items: sexRecord(z.array(z.enum(fitnessItems))),
    weights_percent: sexRecord(z.partialRecord(z.enum(fitnessItems), z.number().int().positive())),
  })),
  scoring_tables: z.partialRecord(z.enum(fitnessItems), sexRecord(z.record(z.string(), z.array(pair).min(1)))),
  bmi_bands: z.object({ by_sex: z.object({ male: z.record(z.string(), z.array(bmiBand).length(4)), female: z.record(z.string(), z.array(bmiBand).length(4)) }) }),
  bonus: z.object({
    tables: z.partialRecord(z.enum(fitnessItems), z.object({
      measure: z.enum(['excess_count_over_100_point_threshold', 'seconds_faster_than_100_point_threshold']),
      max_bonus: z.number().int().positive(),
      by_sex: sexRecord(z.object({ grades: z.array(z.number().int()), pairs: z.array(pair).min(1) })),
    })),
  }),
  grade_bands: z.array(z.object({ label_zh: z.string(), label_en: z.string(), min: z.number().optional(), max: z.number().optional() })).length(4),
});
export type FitnessStandard = z.infer<typeof fitnessStandardSchema>;

/** One item's ladder for one grade and sex, normalised so that higher is always better. */
export interface Ladder {
  /** Thresholds, highest score first; lower-is-better items are negated (−seconds). */
  readonly thresholds: Float64Array;
  readonly scores: Uint8Array;
}

/** Bonus (附加分) ladder for one item: margins beyond the 100-point threshold. */
export interface BonusLadder {
  readonly item: number;
  /** −1 for a time (lower is better), else 1: value × sign is the normalised value. */
  readonly sign: number;
  /** The item's normalised 100-point threshold, from which the margin is measured. */
  readonly top: number;
  /** Required margin, largest first (same normalisation as the ladder). */
  readonly margins: Float64Array;
  readonly points: Uint8Array;
  readonly max: number;
}

/**
 * A group's ladders (every tested item but BMI) laid out flat for `ladderScoreAt`, by
 * slot k = 0 … items.length − 1. Each ladder is on a grid of cells (see `ladderGrid`);
 * a cell names the ladder entry where the lookup starts, and a short walk over the
 * ladder's own thresholds ends on the entry the plain top-down scan would return.
 */
export interface LadderLookup {
  /** BMI is scored by its bands (bmiMaxTenths), outside the slots. */
  readonly bmiTested: boolean;
  /** Item index per slot. */
  readonly items: Int32Array;
  /** Weight in percent per slot (二、单项指标与权重). */
  readonly weights: Int32Array;
  /** −1 for times (lower is better), else 1: the negation of `Ladder` folded into one multiply. */
  readonly sign: Float64Array;
  /** Grid per slot: lowest normalised threshold, cells per unit, last cell (0 and 0: one cell, a plain scan). */
  readonly gridLo: Float64Array;
  readonly cellsPerUnit: Float64Array;
  readonly lastCell: Int32Array;
  /** Where the slot's cells start in `cells`. */
  readonly cellStart: Int32Array;
  /**
   * Per cell: the index in `thresholds` of the scan's answer at the cell's lower edge.
   * 16 bits are enough: a validated ladder has strictly falling Uint8 scores (≤ 256
   * entries + 2 sentinels) and a group at most ITEM_COUNT ladders.
   */
  readonly cells: Uint16Array;
  /** Every slot's normalised thresholds, each ladder between sentinels: NaN, t0 … tn−1, −Infinity. */
  readonly thresholds: Float64Array;
  /** Score per entry of `thresholds`; 0 at the −Infinity sentinel (below the lowest level). */
  readonly scores: Uint8Array;
}

/** Everything needed to score one grade × sex, precompiled. */
export interface CompiledGroup {
  readonly grade: number;
  readonly sex: FitnessSex;
  /** Item indices tested at this grade and sex (all mandatory, 必测). */
  readonly items: Uint8Array;
  /** Weight in percent, by item index (0 = not tested). */
  readonly weights: Uint8Array;
  /** Ladder by item index (undefined for BMI and untested items). */
  readonly ladders: ReadonlyArray<Ladder | undefined>;
  /** BMI band upper bounds in tenths (inclusive): underweight, normal, overweight; above = obese. */
  readonly bmiMaxTenths: Int32Array;
  /** BMI band scores: underweight, normal, overweight, obese. */
  readonly bmiScores: Uint8Array;
  readonly bonus: readonly BonusLadder[];
  /** The ladders again, flat, for the fast path. */
  readonly lookup: LadderLookup;
}

export interface CompiledStandard {
  readonly standard: FitnessStandard;
  /** Grade codes of the standard (11–16, 21–23, 31–33, 41–44). */
  readonly gradeCodes: readonly number[];
  /** key = grade * 2 + (female ? 1 : 0) */
  readonly groups: ReadonlyMap<number, CompiledGroup>;
  /** By item index: 1 where a lower value is better (the timed runs; `items.*.direction`). */
  readonly lowerIsBetter: Uint8Array;
}

export const groupKey = (grade: number, sex: FitnessSex): number => grade * 2 + (sex === 'female' ? 1 : 0);

function problem(path: string, message_en: string, message_zh: string, value?: unknown): Problem {
  return { file: 'src/core/standards/data/fitness-2014.json', path, rule: 'standard_table', message_en, message_zh, ...(value !== undefined ? { value } : {}) };
}

/**
 * Decimal scales at which a ladder's thresholds are tried as whole numbers: the standard's
 * tables are in whole units (ml, cm, counts, seconds) or tenths (50米跑 s, 坐位体前屈 cm).
 */
const GRID_SCALES = [1, 10, 100, 1000] as const;
/** Above this many cells a ladder keeps the plain scan (the standard's own need at most 280). */
export const MAX_LADDER_CELLS = 65_536;

/**
 * The grid of a normalised ladder (thresholds strictly descending): the coarsest step on
 * which every threshold lies, as the lowest threshold, cells per unit (1 / step) and the
 * number of cells from the lowest to the highest threshold (the last cell is [t0, ∞)).
 * At a scale s where every tᵢ·s is a whole number kᵢ with kᵢ / s === tᵢ exactly, the step
 * is gcd(kᵢ₋₁ − kᵢ) / s, so no threshold falls inside a cell and the scan's answer is the
 * same for every value of a cell. `undefined` when the thresholds are on no such grid or
 * the grid would exceed MAX_LADDER_CELLS (the caller then scans).
 */
export function ladderGrid(thresholds: Float64Array): { lo: number; cellsPerUnit: number; cells: number; edge: (c: number) => number } | undefined {
  const n = thresholds.length;
  for (const scale of GRID_SCALES) {
    const k = Array.from(thresholds, (t) => Math.round(t * scale));
    if (!k.every((ki, i) => ki / scale === thresholds[i])) continue;
    let step = 0;
    for (let i = 1; i < n; i++) step = gcd(step, (k[i - 1] as number) - (k[i] as number));
    const kLo = k[n - 1] as number;
    const cells = n === 1 ? 1 : ((k[0] as number) - kLo) / step + 1;
    if (cells > MAX_LADDER_CELLS) return undefined;
    return { lo: kLo / scale, cellsPerUnit: n === 1 ? 0 : scale / step, cells, edge: (c) => (kLo + c * step) / scale };
  }
  return undefined;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Index of the plain top-down scan's answer on a normalised ladder (n: below the lowest level). */
function scanIndex(thresholds: Float64Array, v: number): number {
  for (let i = 0; i < thresholds.length; i++) if (v >= (thresholds[i] as number)) return i;
  return thresholds.length;
}

/** Flatten a group's ladders into a `LadderLookup` (slots in the group's item order, BMI left out). */
function compileLookup(items: readonly number[], weights: Uint8Array, ladders: ReadonlyArray<Ladder | undefined>, lower: Uint8Array): LadderLookup {
  const slots = items.filter((it) => it !== BMI && ladders[it] !== undefined);
  const n = slots.length;
  const sign = new Float64Array(n);
  const gridLo = new Float64Array(n);
  const cellsPerUnit = new Float64Array(n);
  const lastCell = new Int32Array(n);
  const cellStart = new Int32Array(n);
  const thresholds: number[] = [];
  const scores: number[] = [];
  const cells: number[] = [];
  for (let k = 0; k < n; k++) {
    const it = slots[k] as number;
    const lad = ladders[it] as Ladder;
    sign[k] = lower[it] === 1 ? -1 : 1;
    const top = thresholds.length + 1; // index of t0, after the NaN sentinel
    thresholds.push(NaN, ...lad.thresholds, -Infinity);
    scores.push(0, ...lad.scores, 0);
    cellStart[k] = cells.length;
    const grid = ladderGrid(lad.thresholds);
    if (grid === undefined) {
      // One cell starting at t0: the lookup's walk is then the plain scan.
      cells.push(top);
      continue;
    }
    gridLo[k] = grid.lo;
    cellsPerUnit[k] = grid.cellsPerUnit;
    lastCell[k] = grid.cells - 1;
    for (let c = 0; c < grid.cells; c++) cells.push(top + scanIndex(lad.thresholds, grid.edge(c)));
  }
  return {
    bmiTested: items.includes(BMI), items: new Int32Array(slots), weights: new Int32Array(slots.map((it) => weights[it] ?? 0)), sign, gridLo, cellsPerUnit, lastCell, cellStart,
    cells: new Uint16Array(cells), thresholds: new Float64Array(thresholds), scores: new Uint8Array(scores),
  };
}

/** Validate the JSON against the schema and the standard's own invariants, then compile. */
export function compileFitnessStandard(raw: unknown): CompiledStandard {
  const parsed = fitnessStandardSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EduplanError('E_STANDARD_TABLE', {
      problems: parsed.error.issues.map((i) => problem(i.path.map(String).join('.'), i.message, `结构不符合要求：${i.message}`)),
    });
  }
  const std = parsed.data;
  const problems: Problem[] = [];
  const groups = new Map<number, CompiledGroup>();
  const gradeCodes = std.grades.map((g) => g.code);
  // A property of the item, the same in every group: its ladders are stored negated.
  const lower = new Uint8Array(ITEM_COUNT);
  for (const it of fitnessItems) if (std.items[it]?.direction === 'lower_is_better') lower[itemIndex[it]] = 1;

  for (const [groupName, group] of Object.entries(std.grade_groups)) {
    for (const sex of ['male', 'female'] as const) {
      const items = group.items[sex];
      const weights = group.weights_percent[sex];
      if (!items || !weights) { problems.push(problem(`grade_groups.${groupName}.${sex}`, 'items or weights missing', '缺少测试项目或权重')); continue; }
      // 二、单项指标与权重: weights sum to 100 in every group.
      const sum = items.reduce((s, it) => s + (weights[it] ?? 0), 0);
      if (sum !== 100) problems.push(problem(`grade_groups.${groupName}.weights_percent.${sex}`, `weights sum to ${sum}, not 100`, `权重之和为${sum}，应为100`, sum));
      for (const it of Object.keys(weights)) {
        if (!items.includes(it as FitnessItem)) problems.push(problem(`grade_groups.${groupName}.weights_percent.${sex}.${it}`, 'weight for an item not tested', '未测项目不应有权重'));
      }
      for (const grade of group.grades) {
        const w = new Uint8Array(ITEM_COUNT);
        const ladders: Array<Ladder | undefined> = new Array<Ladder | undefined>(ITEM_COUNT).fill(undefined);
        for (const it of items) {
          const idx = itemIndex[it];
          w[idx] = weights[it] ?? 0;
          if (it === 'bmi') continue;
          const pairs = std.scoring_tables[it]?.[sex]?.[String(grade)];
          const path = `scoring_tables.${it}.${sex}.${grade}`;
          if (!pairs) { problems.push(problem(path, 'no table for a tested item', '测试项目缺少评分表')); continue; }
          const thresholds = new Float64Array(pairs.length);
          const scores = new Uint8Array(pairs.length);
          pairs.forEach(([score, threshold], i) => {
            thresholds[i] = lower[idx] === 1 ? -threshold : threshold;
            scores[i] = score;
            if (!std.score_levels.includes(score)) problems.push(problem(`${path}[${i}]`, `score ${score} is not a level of the standard`, `得分${score}不是标准规定的分值`, score));
          });
          // Ladders must be strictly monotonic: scores down, (normalised) thresholds down.
          for (let i = 1; i < pairs.length; i++) {
            if (!((scores[i] ?? 0) < (scores[i - 1] ?? 0)) || !((thresholds[i] ?? 0) < (thresholds[i - 1] ?? 0))) {
              problems.push(problem(`${path}[${i}]`, 'ladder not strictly monotonic', '评分阶梯不严格单调', pairs[i]));
            }
          }
          if (scores[0] !== 100) problems.push(problem(`${path}[0]`, 'ladder does not start at 100', '评分阶梯应从100分开始', pairs[0]));
          ladders[idx] = { thresholds, scores };
        }
        // BMI bands (表1-1/1-2): contiguous at 0.1 kg/m², scores 80/100/80/60.
        const bands = std.bmi_bands.by_sex[sex][String(grade)];
        const bmiMaxTenths = new Int32Array(3);
        const bmiScores = new Uint8Array(4);
        if (!bands) problems.push(problem(`bmi_bands.by_sex.${sex}.${grade}`, 'no BMI bands', '缺少BMI分档'));
        else {
          const order = ['underweight', 'normal', 'overweight', 'obese'];
          bands.forEach((b, i) => {
            bmiScores[i] = b.score;
            if (b.band !== order[i]) problems.push(problem(`bmi_bands.by_sex.${sex}.${grade}[${i}]`, `band ${b.band} out of order`, 'BMI分档顺序有误', b.band));
            if (i < 3) {
              if (b.max === undefined) problems.push(problem(`bmi_bands.by_sex.${sex}.${grade}[${i}]`, 'band without max', 'BMI分档缺少上限'));
              else bmiMaxTenths[i] = Math.round(b.max * 10);
            }
            if (i > 0) {
              const prevMax = bands[i - 1]?.max;
              if (b.min === undefined || prevMax === undefined || Math.round(b.min * 10) !== Math.round(prevMax * 10) + 1) {
                problems.push(problem(`bmi_bands.by_sex.${sex}.${grade}[${i}]`, 'BMI bands not contiguous at 0.1', 'BMI分档在0.1处不连续', b.min));
              }
            }
          });
        }
        // 附加分 tables (表2-1…2-6).
        const bonus: BonusLadder[] = [];
        for (const [it, table] of Object.entries(std.bonus.tables)) {
          const bySex = table.by_sex[sex];
          if (!bySex || !bySex.grades.includes(grade)) continue;
          const idx = itemIndex[it as FitnessItem];
          const path = `bonus.tables.${it}.${sex}`;
          if (!items.includes(it as FitnessItem)) { problems.push(problem(path, `bonus item not tested at grade ${grade}`, `附加分项目在${grade}年级不测试`)); continue; }
          const margins = new Float64Array(bySex.pairs.map(([, m]) => m));
          const points = new Uint8Array(bySex.pairs.map(([p]) => p));
          for (let i = 1; i < points.length; i++) {
            if (!((points[i] ?? 0) < (points[i - 1] ?? 0)) || !((margins[i] ?? 0) < (margins[i - 1] ?? 0))) problems.push(problem(`${path}.pairs[${i}]`, 'bonus ladder not strictly monotonic', '附加分阶梯不严格单调', bySex.pairs[i]));
          }
          if (points[0] !== table.max_bonus) problems.push(problem(`${path}.pairs[0]`, 'bonus ladder does not reach max_bonus', '附加分阶梯最高分与上限不符', bySex.pairs[0]));
          bonus.push({ item: idx, sign: lower[idx] === 1 ? -1 : 1, top: ladders[idx]?.thresholds[0] ?? NaN, margins, points, max: table.max_bonus });
        }
        const itemIdx = items.map((it) => itemIndex[it]);
        groups.set(groupKey(grade, sex), {
          grade, sex, items: new Uint8Array(itemIdx), weights: w, ladders, bmiMaxTenths, bmiScores, bonus,
          lookup: compileLookup(itemIdx, w, ladders, lower),
        });
      }
    }
  }
  for (const g of gradeCodes) {
    for (const sex of ['male', 'female'] as const) {
      if (!groups.has(groupKey(g, sex))) problems.push(problem(`grades`, `grade ${g} (${sex}) belongs to no grade group`, `年级${g}（${sex}）不属于任何组别`, g));
    }
  }
  const totalBonusMax = 20;
  for (const g of groups.values()) {
    if (g.bonus.reduce((s, b) => s + b.max, 0) > totalBonusMax) problems.push(problem(`bonus.tables`, `bonus caps exceed 20 at grade ${g.grade}`, '附加分上限之和超过20'));
  }
  if (problems.length > 0) throw new EduplanError('E_STANDARD_TABLE', { problems });
  return { standard: std, gradeCodes, groups, lowerIsBetter: lower };
}

let cached: CompiledStandard | undefined;
/** The standard as shipped in the repository, validated once per process. */
export function fitnessStandard(): CompiledStandard {
  cached ??= compileFitnessStandard(rawTables);
  return cached;
}
