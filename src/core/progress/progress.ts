/**
 * Progress against a target (目标进度), pure. Methods from ../shared/reference/anchors.md (b):
 *
 * - Share of distance covered vs share of time elapsed (B5.1, the "expected-by-now" line):
 *   r = (x_t − x_0)/(x_T − x_0), e = (t − t_0)/(T − t_0) — 2023 is 0.6 of 2020→2025.
 * - Statistics Canada's ratio as implemented by Open SDG (B1, method 2):
 *   CAGR_o = (y_t/y_0)^(1/(t−t_0)) − 1, CAGR_r = (y_T/y_0)^(1/(T−t_0)) − 1,
 *   R = s·d·CAGR_o/|CAGR_r|; achieved when the target is met; on_track R ≥ 0.95;
 *   needs_acceleration 0.6 ≤ R < 0.95; limited 0 ≤ R < 0.6; deteriorating R < 0;
 *   fewer than 2 points → insufficient_data.
 *   Zero (or negative) baseline or target: CAGR is undefined. Open SDG substitutes 0.001,
 *   which makes R explode (0 → 100 % would need +300 %/yr), and a CAGR from 0 stays 0
 *   whatever happens. We use R = share of distance ÷ share of time instead,
 *   R = d·((y_t − y_0)/(t − t_0)) / |(y_T − y_0)/(T − t_0)| = r / e: the same bands
 *   (`method: 'linear'`).
 * - Keep-above/at targets (`>99` with baseline 99, `=0`, `maintain`; any target equal to its
 *   baseline, or one the baseline already satisfies — a district whose own 2020 value is past
 *   the city's target): there is no distance to cover, so the status is `achieved` while the
 *   value satisfies the comparator, else `off_track` (DESIGN.md, progress item 4). A
 *   `maintain` target must hold in every observed year from the baseline year on, not only
 *   the latest.
 * - The verdict is final at and after the target year: `achieved` or `not_achieved`, never a
 *   pace (on_track, needs_acceleration …) — the plan's period is over (issue 12 §5).
 * - Projection to the target year: ordinary least-squares line through every observed point
 *   from the baseline year on, the baseline-year observation included; the baseline value
 *   stands in for that year only when it has no observation (ESCAP's linear-regression
 *   projection, anchors.md B3, unweighted: with ≤ 5 points weighting adds noise). Linear
 *   rather than CAGR extrapolation (B2) because it is defined for zero values and does not
 *   explode on short series. None once the target year is observed.
 * - Binding (约束性) indicators: `met` = the target is satisfied (as `achieved`; final at the target year).
 * - `non_decreasing` (稳中有升 / 只增不减, e.g. 专栏11's 双一流 counts): a keep target judged in
 *   every observed year from the baseline year on — no year below the target value (the level
 *   the plan starts from) and none below the year before it. A fall in any year is a failed year.
 */

export type Comparator = '>' | '>=' | '=' | '<=' | '<' | 'maintain' | 'non_decreasing';

/** Comparators judged in every observed year, not only the latest (保持 / 只增不减). */
export const everyYearComparators: readonly Comparator[] = ['maintain', 'non_decreasing'];
export type Direction = 'up' | 'down';
/**
 * `off_track`: a keep target not kept, before the target year. `not_achieved` (未达成): the
 * final verdict at or after the target year when the target is not met.
 */
export type ProgressStatus = 'achieved' | 'on_track' | 'needs_acceleration' | 'limited' | 'deteriorating' | 'insufficient_data' | 'off_track' | 'not_achieved';

/** Every status, in the order of the scale (best first): the one vocabulary the API schema uses. */
export const progressStatuses = ['achieved', 'on_track', 'needs_acceleration', 'limited', 'deteriorating', 'off_track', 'not_achieved', 'insufficient_data'] as const satisfies readonly ProgressStatus[];
// Every ProgressStatus is listed (a status added to the type but not here fails to compile).
const everyStatusListed: ProgressStatus extends (typeof progressStatuses)[number] ? true : never = true;
void everyStatusListed;

export interface Point { readonly year: number; readonly value: number }
export interface Target { readonly year: number; readonly comparator: Comparator; readonly value: number }

export interface ProgressInput {
  readonly direction: Direction;
  readonly nature: 'binding' | 'expected';
  /** Unit: '%' clamps projections to 0..100. */
  readonly unit: string;
  /** The baseline this org unit is measured from (the plan's for the city; its own data for a district). */
  readonly baseline: { readonly year: number; readonly value: number; readonly origin: 'plan' | 'data' } | null;
  readonly target: Target;
  /** Observed values (published, not suppressed), any order. */
  readonly series: readonly Point[];
  /** Report as of this year: the latest value at or before it is used. */
  readonly asOf: number;
}

/**
 * Why a target is judged as "keep": the target itself (`maintain`, `=`, or equal to the
 * baseline), or a baseline that already satisfies it (a district's own 2020 value past the
 * city's target: a path from it to the target would run the wrong way).
 */
export type KeepReason = 'target' | 'baseline_meets';

export interface ProgressResult {
  readonly value: number | null;
  readonly year: number | null;
  readonly status: ProgressStatus;
  /** Open SDG R (null for keep targets or too few points). */
  readonly ratio: number | null;
  readonly method: 'cagr' | 'linear' | 'keep' | null;
  readonly growth: { readonly observed: number; readonly required: number } | null;
  readonly distance_share: number | null;
  readonly time_share: number | null;
  readonly projection: { readonly year: number; readonly value: number; readonly method: 'ols_linear'; readonly points: number } | null;
  readonly met: boolean | null;
  readonly keep: boolean;
  readonly keep_reason: KeepReason | null;
  /** True at and after the target year: the status is the final verdict. */
  readonly final: boolean;
  /** `maintain` / `non_decreasing` targets: the observed years in which the value did not satisfy the target (or fell). */
  readonly failed_years: readonly number[];
  readonly baseline: ProgressInput['baseline'];
}
const EPS = 1e-9;

/** Does a value satisfy the target's comparator? `maintain` = stay at or beyond the target in the desired direction. */
export function satisfies(value: number, target: Target, direction: Direction): boolean {
  const t = target.value;
  switch (target.comparator) {
    case '>': return value > t + EPS;
    case '>=': return value >= t - EPS;
    case '=': return Math.abs(value - t) <= EPS;
    case '<=': return value <= t + EPS;
    case '<': return value < t - EPS;
    case 'maintain':
    case 'non_decreasing': return direction === 'up' ? value >= t - EPS : value <= t + EPS;
  }
}

/**
 * Years of an ordered series that break "not below the previous year" (只增不减; for direction
 * `down`, not above it). Years without an observation are skipped: the comparison is with the
 * previous observed year.
 */
export function fallingYears(series: readonly Point[], direction: Direction): number[] {
  const out: number[] = [];
  for (let i = 1; i < series.length; i++) {
    const prev = series[i - 1] as Point;
    const cur = series[i] as Point;
    if (direction === 'up' ? cur.value < prev.value - EPS : cur.value > prev.value + EPS) out.push(cur.year);
  }
  return out;
}

/** Targets with no distance to cover: `maintain`, `=`, or a target equal to the baseline (`>99` from 99). */
export function isKeepTarget(target: Target, baselineValue: number | null): boolean {
  return keepReason(target, baselineValue, 'up') === 'target';
}

/**
 * Why a target is a keep target, or null when there is a distance to cover. A baseline that
 * already satisfies the target (a district at 95 % against the city's ≥ 93 %) is judged as
 * "stay at or beyond the target": measuring progress from it toward the target would count
 * the wrong way.
 */
export function keepReason(target: Target, baselineValue: number | null, direction: Direction): KeepReason | null {
  if (everyYearComparators.includes(target.comparator) || target.comparator === '=' || (baselineValue !== null && Math.abs(target.value - baselineValue) <= EPS)) return 'target';
  if (baselineValue !== null && satisfies(baselineValue, target, direction)) return 'baseline_meets';
  return null;
}

export function statusFromRatio(r: number): Exclude<ProgressStatus, 'achieved' | 'insufficient_data' | 'off_track' | 'not_achieved'> {
  if (r >= 0.95) return 'on_track';
  if (r >= 0.6) return 'needs_acceleration';
  if (r >= 0) return 'limited';
  return 'deteriorating';
}

/** Least-squares line through the points, evaluated at `year`. Needs 2 distinct years. */
export function linearProjection(points: readonly Point[], year: number): number | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.year, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) { sxx += (p.year - mx) ** 2; sxy += (p.year - mx) * (p.value - my); }
  if (sxx === 0) return null;
  return my + (sxy / sxx) * (year - mx);
}

/** Expected-by-now line from the baseline to the target; flat at the target for keep targets (including a baseline already past it). */
export function trajectory(baseline: { year: number; value: number } | null, target: Target, direction: Direction): Point[] {
  if (!baseline || target.year <= baseline.year) return [];
  const keep = keepReason(target, baseline.value, direction) !== null;
  const out: Point[] = [];
  for (let y = baseline.year; y <= target.year; y++) {
    const v = keep ? target.value : baseline.value + ((target.value - baseline.value) * (y - baseline.year)) / (target.year - baseline.year);
    out.push({ year: y, value: v });
  }
  return out;
}

export function computeProgress(input: ProgressInput): ProgressResult {
  const { target, direction, baseline } = input;
  const d = direction === 'up' ? 1 : -1;
  const series = dedupe(input.series).filter((p) => p.year <= input.asOf).sort((a, b) => a.year - b.year);
  const latest = series.at(-1) ?? null;
  const reason = keepReason(target, baseline?.value ?? null, direction);
  const keep = reason !== null;
  const final = input.asOf >= target.year;
  const span = baseline ? target.year - baseline.year : 0;
  const time_share = baseline && span > 0 ? ((latest?.year ?? input.asOf) - baseline.year) / span : null;
  // `maintain` and `non_decreasing` hold only if every observed year from the baseline year on satisfies them.
  const everyYear = everyYearComparators.includes(target.comparator);
  const judged = everyYear ? series.filter((p) => !baseline || p.year >= baseline.year) : latest ? [latest] : [];
  const below = everyYear ? judged.filter((p) => !satisfies(p.value, target, direction)).map((p) => p.year) : [];
  const falling = target.comparator === 'non_decreasing' ? fallingYears(judged, direction) : [];
  const failed_years = [...new Set([...below, ...falling])].sort((a, b) => a - b);
  const achieved = latest !== null && judged.length > 0 && failed_years.length === 0 && judged.every((p) => satisfies(p.value, target, direction));
  const met = input.nature === 'binding' && latest ? achieved : null;
  const projection = latest && latest.year < target.year ? project(series, baseline, target, input.unit) : null;
  const base = { value: latest?.value ?? null, year: latest?.year ?? null, time_share, projection, met, keep, keep_reason: reason, final, failed_years, baseline };
  const missed: ProgressStatus = final ? 'not_achieved' : 'off_track';

  if (!latest) return { ...base, status: 'insufficient_data', ratio: null, method: null, growth: null, distance_share: null };
  if (keep) {
    return { ...base, status: achieved ? 'achieved' : missed, ratio: null, method: 'keep', growth: null, distance_share: null };
  }
  const distance_share = baseline && Math.abs(target.value - baseline.value) > EPS ? (latest.value - baseline.value) / (target.value - baseline.value) : null;
  if (!baseline || latest.year <= baseline.year) {
    return { ...base, status: achieved ? 'achieved' : final ? 'not_achieved' : 'insufficient_data', ratio: null, method: null, growth: null, distance_share };
  }
  const y0 = baseline.value;
  const yt = latest.value;
  const yT = target.value;
  const dt = latest.year - baseline.year;
  let method: 'cagr' | 'linear';
  let observed: number;
  let required: number;
  if (y0 > 0 && yT > 0 && yt >= 0) {
    method = 'cagr';
    observed = (yt / y0) ** (1 / dt) - 1;
    required = (yT / y0) ** (1 / span) - 1;
  } else {
    // From (or to) zero: linear annual change, i.e. R = share of distance ÷ share of time.
    method = 'linear';
    observed = (yt - y0) / dt;
    required = (yT - y0) / span;
  }
  // s = sign of the baseline (Open SDG); values here are non-negative counts and rates, so s = 1.
  const ratio = Math.abs(required) > EPS ? (d * observed) / Math.abs(required) : null;
  const status: ProgressStatus = achieved ? 'achieved' : final ? 'not_achieved' : ratio === null ? 'insufficient_data' : statusFromRatio(ratio);
  return { ...base, status, ratio, method, growth: { observed, required }, distance_share };
}

/**
 * Least-squares projection to the target year over every observed point from the baseline
 * year on; the baseline value is a point only for a baseline year without an observation
 * (the plan's 2020 figure when the data start later, or a district's first year).
 */
function project(series: readonly Point[], baseline: ProgressInput['baseline'], target: Target, unit: string): ProgressResult['projection'] {
  const observed = baseline ? series.filter((p) => p.year >= baseline.year) : [...series];
  const points = baseline && !observed.some((p) => p.year === baseline.year) ? [{ year: baseline.year, value: baseline.value }, ...observed] : observed;
  const v = linearProjection(points, target.year);
  return v === null ? null : { year: target.year, value: clamp(v, unit), method: 'ols_linear', points: points.length };
}

function dedupe(points: readonly Point[]): Point[] {
  // Duplicate years (anchors.md B5 edge case): the last one given wins.
  const m = new Map<number, number>();
  for (const p of points) if (Number.isFinite(p.value)) m.set(p.year, p.value);
  return [...m].map(([year, value]) => ({ year, value }));
}

function clamp(v: number, unit: string): number {
  const lo = Math.max(0, v);
  return unit === '%' ? Math.min(100, lo) : lo;
}
