/**
 * 学前教育普及普惠 (教督〔2020〕1号): the criteria computed from the data — 学前三年毛入园率,
 * 普惠性幼儿园覆盖率, 公办园在园幼儿占比, 专任教师与幼儿之比 — plus the entered items
 * (政府保障情况, 保教质量保障情况, 社会认可度, 否决项). Thresholds are the national
 * assessment's (85 % / 80 % / 50 % / 1:15), kept apart from the plan's own targets
 * (毛入园率 93 % by 2025), which are reported beside them for contrast only.
 */
import type { AssessmentCriteria, PreschoolComputedDef } from '../balanced/criteria.ts';
import { div, rat, ratio, satisfies, toNumber, type Rational } from '../balanced/rational.ts';

export interface Kindergarten {
  readonly code: string;
  readonly name_zh: string;
  readonly ownership: 'public' | 'private' | null;
  /** 普惠性 (private ones); public kindergartens are inclusive by definition. */
  readonly inclusive: boolean | null;
  readonly enrolment: number;
  readonly teachers: number | null;
}

export interface ComputedResult {
  readonly key: PreschoolComputedDef['key'];
  readonly name_zh: string;
  readonly name_en: string;
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number | null;
  readonly comparator: string;
  readonly threshold: number;
  readonly threshold_label: string;
  readonly status: 'met' | 'not_met' | 'missing';
  readonly formula_zh: string;
  readonly formula_en: string;
  readonly source: string;
  readonly confidence: string;
  /** The plan's own target for the same measure, for contrast (never the pass test). */
  readonly plan_target?: unknown;
}

export interface PreschoolData {
  readonly kindergartens: readonly Kindergarten[];
  /** 3—5岁人口 (reference_value pop.age3_5 of the district). */
  readonly population3to5: number | null;
}

export interface PreschoolComputed {
  readonly computed: readonly ComputedResult[];
  readonly totals: { readonly kindergartens: number; readonly enrolment: number; readonly public_enrolment: number; readonly inclusive_private_enrolment: number; readonly teachers: number };
  /** Data gaps found (ownership unknown, teachers missing, population missing). */
  readonly data_problems_zh: readonly string[];
  readonly data_problems_en: readonly string[];
}

export function computePreschool(data: PreschoolData, criteria: AssessmentCriteria): PreschoolComputed {
  let total = 0;
  let pub = 0;
  let incPriv = 0;
  let teachers = 0;
  let teachersMissing = 0;
  const zh: string[] = [];
  const en: string[] = [];
  for (const k of data.kindergartens) {
    total += k.enrolment;
    if (k.ownership === 'public') pub += k.enrolment;
    else if (k.ownership === 'private' && k.inclusive === true) incPriv += k.enrolment;
    else if (k.ownership === null) {
      // Counted as neither public nor inclusive: an unknown cannot raise the rates.
      zh.push(`幼儿园 ${k.name_zh}（${k.code}）未登记办别（公办/民办），按非普惠计`);
      en.push(`kindergarten ${k.code}: ownership unknown, counted as neither public nor inclusive`);
    }
    if (k.teachers === null) teachersMissing++; else teachers += k.teachers;
  }
  if (teachersMissing) {
    zh.push(`${teachersMissing} 所幼儿园缺少专任教师数`);
    en.push(`${teachersMissing} kindergarten(s) have no full-time teacher count`);
  }
  if (data.population3to5 === null) {
    zh.push('缺少该区 3—5 岁人口（参考数据 pop.age3_5），无法计算毛入园率');
    en.push('population aged 3–5 (reference value pop.age3_5) is missing: gross enrolment rate cannot be computed');
  }
  const contrast = criteria.plan_targets_for_contrast;
  const parts: Record<PreschoolComputedDef['key'], { num: number; den: number | null; missing: boolean }> = {
    gross_enrolment_rate: { num: total, den: data.population3to5, missing: data.population3to5 === null || data.population3to5 <= 0 },
    inclusive_coverage: { num: pub + incPriv, den: total, missing: total === 0 },
    public_share: { num: pub, den: total, missing: total === 0 },
    teacher_child_ratio: { num: teachers, den: total, missing: total === 0 || teachersMissing > 0 },
  };
  const computed = criteria.preschool.computed.map((d): ComputedResult => {
    const p = parts[d.key];
    const threshold: Rational = d.threshold_fraction ? ratio(BigInt(d.threshold_fraction[0]), BigInt(d.threshold_fraction[1])) : rat(d.threshold);
    let value: number | null = null;
    let status: ComputedResult['status'] = 'missing';
    if (!p.missing && p.den !== null) {
      const v = div(rat(p.num), rat(p.den));
      value = toNumber(v);
      status = satisfies(v, d.comparator, threshold) ? 'met' : 'not_met';
    }
    return {
      key: d.key, name_zh: d.name_zh, name_en: d.name_en, value, numerator: p.num, denominator: p.den,
      comparator: d.comparator, threshold: d.threshold, threshold_label: d.threshold_label ?? `${d.threshold * 100}%`,
      status, formula_zh: d.formula_zh, formula_en: d.formula_en, source: `${criteria.preschool.document}; ${d.source}`, confidence: d.confidence,
      ...(contrast[d.key] !== undefined ? { plan_target: contrast[d.key] } : {}),
    };
  });
  return {
    computed,
    totals: { kindergartens: data.kindergartens.length, enrolment: total, public_enrolment: pub, inclusive_private_enrolment: incPriv, teachers },
    data_problems_zh: zh, data_problems_en: en,
  };
}

export function explainComputed(c: readonly ComputedResult[]): { zh: string[]; en: string[] } {
  const zh: string[] = [];
  const en: string[] = [];
  const show = (r: ComputedResult, v: number): string => (r.key === 'teacher_child_ratio' ? `1:${(1 / v).toFixed(1)}` : `${(v * 100).toFixed(1)}%`);
  for (const r of c) {
    if (r.status === 'met') continue;
    if (r.status === 'missing' || r.value === null) {
      zh.push(`${r.name_zh}：数据不全，无法计算`);
      en.push(`${r.name_en}: data incomplete, cannot be computed`);
    } else {
      zh.push(`${r.name_zh} ${show(r, r.value)}，未达到 ${r.threshold_label}`);
      en.push(`${r.name_en} ${show(r, r.value)} does not reach ${r.threshold_label}`);
    }
  }
  return { zh, en };
}
