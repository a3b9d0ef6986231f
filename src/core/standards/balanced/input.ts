/**
 * Getting schools into the engine: a district given directly (`assess balanced --input`)
 * or schools read from the store, with 一贯制 / 完全中学 split by weighted enrolment and
 * small teaching points and out-of-scope types excluded as configured.
 */
import { z } from 'zod';
import { EduplanError, type Problem } from '../../errors.ts';
import type { SchoolType } from '../../org/types.ts';
import { inputFields, levels, type AssessmentCriteria, type InputField, type Level } from './criteria.ts';
import type { ExcludedSchool, LevelSchool } from './engine.ts';
import { add, div, mul, rat, toNumber, type Rational } from './rational.ts';

const amount = z.number().finite().min(0, 'must be ≥ 0');

export const balancedInputSchema = z.object({
  level: z.enum(levels),
  schools: z.array(z.object({
    code: z.string().min(1),
    name_zh: z.string().optional(),
    enrolment: z.number().int('whole students').positive('must be > 0'),
    teachers_above_required: amount,
    backbone_teachers: amount,
    pe_arts_teachers: amount,
    teaching_aux_area_m2: amount,
    sports_area_m2: amount,
    equipment_value_yuan: amount,
    multimedia_classrooms: amount,
  })).min(1, 'at least one school'),
});
export type BalancedInput = z.infer<typeof balancedInputSchema>;

function excludeSmall(code: string, enrolment: number, criteria: AssessmentCriteria, name_zh?: string): ExcludedSchool | undefined {
  const min = criteria.balanced.scope.min_enrolment;
  if (enrolment > 0 && enrolment >= min) return undefined;
  return enrolment <= 0
    ? { code, ...(name_zh ? { name_zh } : {}), enrolment, reason: 'no_enrolment', reason_zh: '该学段无在校生', reason_en: 'no students at this level' }
    : { code, ...(name_zh ? { name_zh } : {}), enrolment, reason: 'small_teaching_point', reason_zh: `在校生不足${min}人的教学点，按配置不纳入评估`, reason_en: `fewer than ${min} students (small teaching point), excluded as configured` };
}

/** Validate an `--input` document and turn it into engine schools. Throws E_INPUT_INVALID listing every problem. */
export function readBalancedInput(doc: unknown, criteria: AssessmentCriteria, file?: string): { level: Level; schools: LevelSchool[]; excluded: ExcludedSchool[] } {
  const r = balancedInputSchema.safeParse(doc);
  const problems: Problem[] = [];
  if (!r.success) {
    for (const i of r.error.issues) {
      const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
      const value = i.path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k as string] : undefined), doc);
      problems.push({
        ...(file ? { file } : {}), path, value, rule: i.code,
        message_zh: `字段 ${path} 不符合要求：${i.message}`,
        message_en: `${path}: ${i.message}`,
        fix_zh: '在校生数为正整数，资源数为非负数；level 为 primary 或 junior',
        fix_en: 'enrolment is a positive integer, resources are non-negative numbers, level is primary or junior',
      });
    }
    throw new EduplanError('E_INPUT_INVALID', { problems });
  }
  const seen = new Map<string, number>();
  r.data.schools.forEach((s, i) => {
    const prev = seen.get(s.code);
    if (prev !== undefined) {
      problems.push({ ...(file ? { file } : {}), path: `schools[${i}].code`, value: s.code, rule: 'unique', message_zh: `学校代码 ${s.code} 与 schools[${prev}] 重复`, message_en: `school code ${s.code} repeats schools[${prev}]`, fix_zh: '每所学校只出现一次', fix_en: 'list each school once' });
    } else seen.set(s.code, i);
  });
  if (problems.length) throw new EduplanError('E_INPUT_INVALID', { problems });
  const schools: LevelSchool[] = [];
  const excluded: ExcludedSchool[] = [];
  for (const s of r.data.schools) {
    const ex = excludeSmall(s.code, s.enrolment, criteria, s.name_zh);
    if (ex) { excluded.push(ex); continue; }
    const resources = {} as Record<InputField, Rational>;
    for (const f of inputFields) resources[f] = rat(s[f]);
    schools.push({ code: s.code, ...(s.name_zh ? { name_zh: s.name_zh } : {}), enrolment: s.enrolment, resources });
  }
  return { level: r.data.level, schools, excluded };
}

/** A school as the store knows it: type, enrolment per stage, whole-school resources. */
export interface StoredSchool {
  readonly code: string;
  readonly name_zh: string;
  readonly school_type: SchoolType | string;
  readonly enrolment: { readonly primary: number; readonly junior: number; readonly senior: number };
  /** Missing elements are absent (reported, then counted as 0). */
  readonly resources: Partial<Record<InputField, number>>;
}

export interface DistrictSchools {
  readonly levels: Record<Level, { schools: LevelSchool[]; excluded: ExcludedSchool[] }>;
  /** In-scope schools missing a resource element (counted as 0 so the gap shows). */
  readonly missing: ReadonlyArray<{ code: string; name_zh: string; field: InputField }>;
}

const STAGES = ['primary', 'junior', 'senior'] as const;

/**
 * Split each school into its primary and junior parts. A single-stage school goes whole
 * to its level; a 九年一贯制 / 十二年一贯制 / 完全中学 gives each stage the share
 * wₛ·Pₛ ÷ Σ wₜ·Pₜ of every resource (weights configured in split_weights).
 */
export function splitDistrictSchools(stored: readonly StoredSchool[], criteria: AssessmentCriteria): DistrictSchools {
  const out: DistrictSchools['levels'] = { primary: { schools: [], excluded: [] }, junior: { schools: [], excluded: [] } };
  const missing: Array<{ code: string; name_zh: string; field: InputField }> = [];
  const sw = criteria.balanced.split_weights;
  const scope = criteria.balanced.scope;
  for (const s of [...stored].sort((a, b) => a.code.localeCompare(b.code))) {
    const type = s.school_type;
    const served: Level[] = levels.filter((l) => s.enrolment[l] > 0);
    if (scope.excluded_types.includes(type)) {
      for (const l of served) out[l].excluded.push({ code: s.code, name_zh: s.name_zh, enrolment: s.enrolment[l], reason: 'type_out_of_scope', reason_zh: '特殊教育学校、职业学校等不纳入资源配置评估', reason_en: 'special, vocational and similar schools are out of scope' });
      continue;
    }
    if (served.length === 0) continue;
    const weights = type === 'nine_year' || type === 'twelve_year' || type === 'complete_secondary' ? sw[type] : undefined;
    // Weighted enrolment of every stage present, for the share.
    let total: Rational = { n: 0n, d: 1n };
    const wp: Record<string, Rational> = {};
    for (const st of STAGES) {
      const p = s.enrolment[st];
      if (p <= 0) continue;
      const w = weights?.[st] ?? 1;
      const part = mul(rat(w), rat(p));
      wp[st] = part;
      total = add(total, part);
    }
    const multiStage = Object.keys(wp).length > 1;
    for (const f of inputFields) if (s.resources[f] === undefined) missing.push({ code: s.code, name_zh: s.name_zh, field: f });
    for (const l of served) {
      const ex = excludeSmall(s.code, s.enrolment[l], criteria, s.name_zh);
      if (ex) { out[l].excluded.push(ex); continue; }
      const share = multiStage ? div(wp[l] ?? { n: 0n, d: 1n }, total) : { n: 1n, d: 1n };
      const resources = {} as Record<InputField, Rational>;
      for (const f of inputFields) {
        resources[f] = mul(rat(s.resources[f] ?? 0), share);
      }
      out[l].schools.push({ code: s.code, name_zh: s.name_zh, enrolment: s.enrolment[l], resources, school_type: type, ...(multiStage ? { share: toNumber(share) } : {}) });
    }
  }
  return { levels: out, missing };
}

