/**
 * 优质均衡 资源配置 (教督〔2017〕6号 第六条) for one level (小学 or 初中) of one district:
 * the 7 per-school indicators, the school rule (≥ 6 of 7 met, the rest ≥ 85 % of its
 * threshold) and the enrolment-weighted CV of every indicator (≤ 0.50 / ≤ 0.45).
 *
 * Threshold tests are exact (see rational.ts): a school exactly at 4.2 meets "4.2人以上",
 * and one at exactly 85 % of a threshold meets "不能低于要求的85%".
 */
import type { AssessmentCriteria, BalancedIndicatorKey, InputField, Level } from './criteria.ts';
import { cvWithin, weightedCv } from './cv.ts';
import { cmp, div, mul, rat, toNumber, type Rational } from './rational.ts';

/** One school's part at one level: its enrolment there and the resources attributed to it. */
export interface LevelSchool {
  readonly code: string;
  readonly name_zh?: string;
  readonly enrolment: number;
  readonly resources: Readonly<Record<InputField, Rational>>;
  /** For 一贯制 / 完全中学: the share of the school's resources attributed to this level. */
  readonly share?: number;
  readonly school_type?: string;
}

export interface ExcludedSchool {
  readonly code: string;
  readonly name_zh?: string;
  readonly enrolment: number;
  readonly reason: 'small_teaching_point' | 'type_out_of_scope' | 'no_enrolment';
  readonly reason_zh: string;
  readonly reason_en: string;
}

export interface IndicatorResult {
  readonly name_zh: string;
  readonly name_en: string;
  readonly unit_zh: string;
  readonly unit_en: string;
  readonly threshold: number;
  /** The 85 % floor for the one indicator a school may miss. */
  readonly rest_floor: number;
  readonly cv: number | null;
  readonly cv_limit: number;
  readonly cv_pass: boolean;
  /** Enrolment-weighted mean (= district total ÷ district students). */
  readonly mean: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly schools_met: number;
  readonly schools_below_floor: number;
  readonly source: string;
  readonly confidence: string;
}

export interface Shortfall {
  readonly indicator: BalancedIndicatorKey;
  readonly value: number;
  readonly threshold: number;
  /** value ÷ threshold. */
  readonly fraction: number;
  /** Below 85 % of the threshold. */
  readonly below_floor: boolean;
}

export interface SchoolResult {
  readonly code: string;
  readonly name_zh?: string;
  readonly enrolment: number;
  readonly share?: number;
  readonly values: Record<BalancedIndicatorKey, number>;
  /** How many of the 7 indicators the school meets (per-indicator detail in met_by_indicator). */
  readonly met: number;
  readonly met_by_indicator: Record<BalancedIndicatorKey, boolean>;
  readonly shortfalls: readonly Shortfall[];
  readonly pass: boolean;
}

export interface LevelResult {
  readonly level: Level;
  readonly indicators: Record<BalancedIndicatorKey, IndicatorResult>;
  readonly schools: readonly SchoolResult[];
  readonly excluded: readonly ExcludedSchool[];
  readonly schools_pass: boolean;
  readonly cv_pass: boolean;
  readonly pass: boolean;
  /** Plain explanation of every failure, one line each. */
  readonly explanation_zh: readonly string[];
  readonly explanation_en: readonly string[];
  readonly method: {
    readonly comparison: string;
    readonly cv: string;
    readonly school_rule: string;
  };
}

const fmt = (x: number): string => String(Number(x.toFixed(Math.abs(x) >= 100 ? 0 : 3)));
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The indicator value as an exact fraction: resource × per ÷ enrolment. */
export function indicatorValue(resource: Rational, per: number, enrolment: number): Rational {
  return div(mul(resource, rat(per)), rat(enrolment));
}

export function evaluateLevel(level: Level, schools: readonly LevelSchool[], criteria: AssessmentCriteria, excluded: readonly ExcludedSchool[] = []): LevelResult {
  const c = criteria.balanced;
  const restFraction = rat(c.school_rule.rest_min_fraction);
  const cvLimit = c.cv_limit[level];
  const schoolResults: SchoolResult[] = [];
  const exactValues = new Map<string, Map<BalancedIndicatorKey, Rational>>();
  for (const s of schools) {
    const values = {} as Record<BalancedIndicatorKey, number>;
    const metBy = {} as Record<BalancedIndicatorKey, boolean>;
    const shortfalls: Shortfall[] = [];
    const ex = new Map<BalancedIndicatorKey, Rational>();
    let met = 0;
    let belowFloor = 0;
    for (const ind of c.indicators) {
      const v = indicatorValue(s.resources[ind.input_field], ind.per, s.enrolment);
      ex.set(ind.key, v);
      const t = rat(ind.threshold[level]);
      const ok = cmp(v, t) >= 0;
      values[ind.key] = toNumber(v);
      metBy[ind.key] = ok;
      if (ok) { met++; continue; }
      const floorOk = cmp(v, mul(t, restFraction)) >= 0;
      if (!floorOk) belowFloor++;
      shortfalls.push({ indicator: ind.key, value: toNumber(v), threshold: ind.threshold[level], fraction: toNumber(div(v, t)), below_floor: !floorOk });
    }
    exactValues.set(s.code, ex);
    schoolResults.push({
      code: s.code,
      ...(s.name_zh !== undefined ? { name_zh: s.name_zh } : {}),
      enrolment: s.enrolment,
      ...(s.share !== undefined ? { share: s.share } : {}),
      values, met, met_by_indicator: metBy, shortfalls,
      // "至少6项指标达到上述要求，余项不能低于要求的85%"
      pass: met >= c.school_rule.min_met && belowFloor === 0,
    });
  }

  const indicators = {} as Record<BalancedIndicatorKey, IndicatorResult>;
  const weights = schoolResults.map((s) => s.enrolment);
  for (const ind of c.indicators) {
    const xs = schoolResults.map((s) => s.values[ind.key]);
    const w = xs.length > 0 ? weightedCv(xs, weights) : { mean: 0, std: 0, cv: null };
    indicators[ind.key] = {
      name_zh: ind.name_zh, name_en: ind.name_en, unit_zh: ind.unit_zh, unit_en: ind.unit_en,
      threshold: ind.threshold[level],
      rest_floor: toNumber(mul(rat(ind.threshold[level]), restFraction)),
      cv: w.cv, cv_limit: cvLimit, cv_pass: cvWithin(w.cv, cvLimit),
      mean: w.mean,
      min: xs.length ? Math.min(...xs) : null,
      max: xs.length ? Math.max(...xs) : null,
      schools_met: schoolResults.filter((s) => s.met_by_indicator[ind.key]).length,
      schools_below_floor: schoolResults.filter((s) => s.shortfalls.some((f) => f.indicator === ind.key && f.below_floor)).length,
      source: `${c.document} ${ind.article}; ${ind.source}`,
      confidence: ind.confidence,
    };
  }
  const schoolsPass = schoolResults.length > 0 && schoolResults.every((s) => s.pass);
  const cvPass = schoolResults.length > 0 && c.indicators.every((i) => indicators[i.key].cv_pass);
  const { zh, en } = explain(level, schoolResults, indicators, criteria);
  return {
    level,
    indicators,
    schools: schoolResults,
    excluded,
    schools_pass: schoolsPass,
    cv_pass: cvPass,
    pass: schoolsPass && cvPass,
    explanation_zh: zh,
    explanation_en: en,
    method: {
      comparison: 'exact decimal arithmetic (BigInt fractions of the numbers as written); a value exactly at a threshold meets it',
      cv: 'enrolment-weighted CV per indicator (assessments.md §A1.2), compared with the limit at a relative tolerance of 1e-9; no composite CV',
      school_rule: `at least ${c.school_rule.min_met} of 7 met and every other indicator ≥ ${c.school_rule.rest_min_fraction * 100}% of its threshold (${c.school_rule.article})`,
    },
  };
}

function explain(level: Level, schools: readonly SchoolResult[], indicators: Record<BalancedIndicatorKey, IndicatorResult>, criteria: AssessmentCriteria): { zh: string[]; en: string[] } {
  const c = criteria.balanced;
  const levelZh = level === 'primary' ? '小学' : '初中';
  const zh: string[] = [];
  const en: string[] = [];
  if (schools.length === 0) {
    zh.push(`${levelZh}：没有纳入评估的学校`);
    en.push(`${level}: no school in scope`);
    return { zh, en };
  }
  const byKey = new Map(c.indicators.map((i) => [i.key, i]));
  for (const s of schools) {
    if (s.pass) continue;
    const name = s.name_zh ? `${s.name_zh}（${s.code}）` : s.code;
    const parts = s.shortfalls.map((f) => {
      const d = byKey.get(f.indicator);
      return { d, f };
    });
    zh.push(`${levelZh}学校 ${name} 未达标：达到 ${s.met}/7 项（要求至少 ${c.school_rule.min_met} 项，其余不低于标准的 ${c.school_rule.rest_min_fraction * 100}%）；` +
      parts.map(({ d, f }) => `${d?.name_zh ?? f.indicator} ${fmt(f.value)}${d?.unit_zh ?? ''}，标准 ${fmt(f.threshold)}，为标准的 ${pct(f.fraction)}${f.below_floor ? '（低于85%）' : ''}`).join('；'));
    en.push(`${level} school ${s.code} fails: ${s.met}/7 met (needs ${c.school_rule.min_met}, the rest ≥ ${c.school_rule.rest_min_fraction * 100}%); ` +
      parts.map(({ d, f }) => `${d?.name_en ?? f.indicator} ${fmt(f.value)} ${d?.unit_en ?? ''} vs ${fmt(f.threshold)} (${pct(f.fraction)} of it${f.below_floor ? ', below 85%' : ''})`).join('; '));
  }
  for (const d of c.indicators) {
    const r = indicators[d.key];
    if (r.cv_pass) continue;
    const cv = r.cv === null ? '无法计算（均值为0）' : r.cv.toFixed(4);
    zh.push(`${levelZh}${d.name_zh}校际差异系数 ${cv}，超过 ${r.cv_limit.toFixed(2)}${r.cv === null ? '' : `（超出 ${(r.cv - r.cv_limit).toFixed(4)}）`}`);
    en.push(`${level} ${d.name_en}: CV ${r.cv === null ? 'undefined (mean 0)' : r.cv.toFixed(4)} exceeds ${r.cv_limit.toFixed(2)}${r.cv === null ? '' : ` by ${(r.cv - r.cv_limit).toFixed(4)}`}`);
  }
  return { zh, en };
}

/** The `--input` contract's output shape (extra fields allowed, all kept). */
export type BalancedInputResult = LevelResult;
