/**
 * Enrolment-weighted coefficient of variation (差异系数), assessments.md §A1.2:
 *
 *   X̄ = Σ Pᵢ·Xᵢ / P          (= county total resource ÷ county total students)
 *   S = √( Σ Pᵢ·(Xᵢ − X̄)² / P )
 *   CV = S / X̄
 *
 * Xᵢ = the indicator at school i, Pᵢ = its enrolment. Weighting by enrolment is what
 * the method prescribes ("当考虑到学校规模对均衡程度的影响时…Pi 为第 i 个学校的在校生数");
 * unweighted CVs are a known mistake (0.4888 / 0.5465 instead of 0.5153 on the published example).
 */
export interface WeightedCv {
  readonly mean: number;
  readonly std: number;
  /** null when the weighted mean is 0 (CV undefined). */
  readonly cv: number | null;
}

export function weightedCv(values: readonly number[], weights: readonly number[]): WeightedCv {
  if (values.length !== weights.length) throw new RangeError('values and weights differ in length');
  let p = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights[i] ?? 0;
    if (!(w > 0)) throw new RangeError(`weight ${i} must be positive, got ${w}`);
    p += w;
    sum += w * (values[i] ?? 0);
  }
  if (p === 0) return { mean: 0, std: 0, cv: null };
  const mean = sum / p;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i] ?? 0) - mean;
    ss += (weights[i] ?? 0) * d * d;
  }
  const std = Math.sqrt(ss / p);
  return { mean, std, cv: mean === 0 ? null : std / mean };
}

/**
 * CV ≤ limit. The CV is irrational in general, so this is a float comparison with a
 * relative tolerance of 1e-9: a CV that is mathematically exactly the limit (e.g. 0.5)
 * but computes as 0.5000000000000001 still passes ("小于或等于").
 */
export function cvWithin(cv: number | null, limit: number): boolean {
  return cv !== null && cv <= limit * (1 + 1e-9);
}
