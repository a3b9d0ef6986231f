/**
 * 筛查性近视 (screening myopia), WS/T 663—2020 《中小学生屈光不正筛查规范》 following
 * the 《儿童青少年近视防控适宜技术指南》: age 6 or older, uncorrected distance visual
 * acuity (裸眼远视力, GB/T 11533 5-point log scale) below 5.0, and non-cycloplegic
 * autorefraction spherical equivalent (SE = S + C/2) at or beyond −0.50 D, in either eye.
 *
 * The SE comparison is configurable because the sources disagree (assessments.md §B):
 * the 指南 text says SE ≤ −0.50 D, one quotation of WS/T 663 says SE < −0.50 D. The
 * default is `le` (≤), as statistics-forms.md §3 recommends: WS/T 663 states it follows
 * the 指南 for this decision. With `lt`, an eye at exactly −0.50 D is not myopic.
 */

export interface MyopiaPolicy {
  /** Uncorrected acuity strictly below this is 视力不良 (5.0 on the 5-point scale). */
  readonly acuityCutoff: number;
  /** SE threshold in diopters (−0.50). */
  readonly seThreshold: number;
  /** `le`: SE ≤ threshold (指南, default); `lt`: SE < threshold. */
  readonly seComparison: 'le' | 'lt';
  /** The definition applies from age 6 (WS/T 663 scope; younger children are not classified). */
  readonly minAgeYears: number;
  /**
   * Orthokeratology (夜戴角膜塑形镜) wearers: their daytime uncorrected acuity is
   * artificially good, and they wear the lens because they are myopic, so they are
   * counted as myopic. PLATFORM POLICY (common screening practice, not quoted from WS/T 663).
   */
  readonly orthoKIsMyopic: boolean;
}

export const defaultMyopiaPolicy: MyopiaPolicy = { acuityCutoff: 5.0, seThreshold: -0.5, seComparison: 'le', minAgeYears: 6, orthoKIsMyopic: true };

export interface EyeMeasurement {
  /** 裸眼视力, 5-point scale; 0 = below 3.0 (the 2021 upload rule writes “0”). */
  readonly acuity: number | null;
  /** 球镜 S, diopters. */
  readonly sphere: number | null;
  /** 柱镜 C, diopters. */
  readonly cylinder: number | null;
}

export interface VisionInput {
  readonly ageYears: number;
  readonly right: EyeMeasurement;
  readonly left: EyeMeasurement;
  readonly orthoK: boolean;
}

/** SE = S + C/2 (diopters); null when the sphere is missing (a missing cylinder counts as 0). */
export function sphericalEquivalent(sphere: number | null, cylinder: number | null): number | null {
  if (sphere === null) return null;
  return sphere + (cylinder ?? 0) / 2;
}

/** One eye: true / false, or null when it cannot be decided (acuity below the cutoff but no refraction). */
export function eyeIsMyopic(eye: EyeMeasurement, policy: MyopiaPolicy = defaultMyopiaPolicy): boolean | null {
  if (eye.acuity === null) return null;
  if (eye.acuity >= policy.acuityCutoff) return false;
  const se = sphericalEquivalent(eye.sphere, eye.cylinder);
  if (se === null) return null;
  return policy.seComparison === 'le' ? se <= policy.seThreshold : se < policy.seThreshold;
}

/**
 * The student: myopic if either eye is; not myopic only if both eyes are decided and
 * neither is; null (not classified, excluded from the rate's denominator) otherwise,
 * or under the minimum age.
 */
export function screeningMyopia(v: VisionInput, policy: MyopiaPolicy = defaultMyopiaPolicy): boolean | null {
  if (v.ageYears < policy.minAgeYears) return null;
  if (v.orthoK && policy.orthoKIsMyopic) return true;
  const r = eyeIsMyopic(v.right, policy);
  const l = eyeIsMyopic(v.left, policy);
  if (r === true || l === true) return true;
  if (r === null || l === null) return null;
  return false;
}

export interface MyopiaTally {
  screened: number;
  myopic: number;
}

/** 近视率 = myopic / screened (classified students), or null with nobody screened. */
export function myopiaRate(t: MyopiaTally): number | null {
  return t.screened === 0 ? null : t.myopic / t.screened;
}

/** Tally classified students by any key (grade, sex, school, district, city). */
export function tallyMyopia<T>(rows: Iterable<T>, key: (row: T) => string, myopic: (row: T) => boolean | null): Map<string, MyopiaTally> {
  const out = new Map<string, MyopiaTally>();
  for (const row of rows) {
    const m = myopic(row);
    if (m === null) continue;
    const k = key(row);
    let t = out.get(k);
    if (!t) { t = { screened: 0, myopic: 0 }; out.set(k, t); }
    t.screened += 1;
    if (m) t.myopic += 1;
  }
  return out;
}
