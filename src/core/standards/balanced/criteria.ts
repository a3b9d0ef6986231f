/**
 * The assessment criteria (督导评估标准) as configuration: thresholds, weights, exclusions
 * and the items a district enters, each with its source and confidence. They live in
 * ../data/assessment-criteria.json so a corrected number is an edit to a data file;
 * this module validates that file with zod once, at import.
 */
import { z } from 'zod';
import { EduplanError } from '../../errors.ts';
import raw from '../data/assessment-criteria.json' with { type: 'json' };

/** assessments-confirmed.md's column "confirmed?": yes / partly / no. */
export const confidence = z.enum(['yes', 'partly', 'no']);
const sourced = { source: z.string().min(1), confidence, note: z.string().optional() };

export const levels = ['primary', 'junior'] as const;
export type Level = (typeof levels)[number];

export const balancedIndicatorKeys = [
  'teachers_above_required_per_100',
  'backbone_teachers_per_100',
  'pe_arts_teachers_per_100',
  'teaching_aux_area_per_student',
  'sports_area_per_student',
  'equipment_value_per_student',
  'multimedia_classrooms_per_100',
] as const;
export type BalancedIndicatorKey = (typeof balancedIndicatorKeys)[number];

export const inputFields = [
  'teachers_above_required', 'backbone_teachers', 'pe_arts_teachers', 'teaching_aux_area_m2',
  'sports_area_m2', 'equipment_value_yuan', 'multimedia_classrooms',
] as const;
export type InputField = (typeof inputFields)[number];

const comparator = z.enum(['>=', '>', '<=', '<', '=']);

const indicatorSchema = z.object({
  key: z.enum(balancedIndicatorKeys),
  article: z.string(),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  /** data_value element holding the school's resource. */
  element: z.string().min(1),
  /** Field name in `assess balanced --input` files. */
  input_field: z.enum(inputFields),
  /** 100 for "每百名学生", 1 for "生均". */
  per: z.union([z.literal(1), z.literal(100)]),
  unit_zh: z.string(),
  unit_en: z.string(),
  resource_zh: z.string(),
  resource_en: z.string(),
  /** Teachers and rooms come in whole units (what-if rounds up). */
  integer_resource: z.boolean(),
  threshold: z.object({ primary: z.number().positive(), junior: z.number().positive() }),
  ...sourced,
});

/** An item a district enters with evidence (政府保障程度, 教育质量, 社会认可度, 否决项, 前提条件). */
export const itemSchema = z.object({
  code: z.string().regex(/^[a-z]+\.[a-z0-9_]+$/),
  part: z.enum(['government', 'quality', 'social', 'veto', 'prerequisite']),
  article: z.string().optional(),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  /**
   * qualitative: met / not met by judgement; number / ratio: a value tested against
   * the threshold; absent: a one-vote-veto situation that must NOT have occurred.
   */
  kind: z.enum(['qualitative', 'number', 'ratio', 'absent']),
  comparator: comparator.optional(),
  threshold: z.number().optional(),
  unit_zh: z.string().optional(),
  unit_en: z.string().optional(),
  /** Failing it fails the whole assessment whatever else passes (一票否决). */
  veto: z.boolean().default(false),
  ...sourced,
}).superRefine((it, ctx) => {
  const numeric = it.kind === 'number' || it.kind === 'ratio';
  if (numeric && (it.comparator === undefined || it.threshold === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: `${it.code}: a ${it.kind} item needs comparator and threshold` });
  }
});
export type ItemDef = z.infer<typeof itemSchema>;

const computedSchema = z.object({
  key: z.enum(['gross_enrolment_rate', 'inclusive_coverage', 'public_share', 'teacher_child_ratio']),
  name_zh: z.string(),
  name_en: z.string(),
  comparator,
  threshold: z.number().positive(),
  /** Exact threshold when the decimal would be rounded (1:15). */
  threshold_fraction: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
  threshold_label: z.string().optional(),
  formula_zh: z.string(),
  formula_en: z.string(),
  ...sourced,
});
export type PreschoolComputedDef = z.infer<typeof computedSchema>;

const weights = z.partialRecord(z.enum(['primary', 'junior', 'senior']), z.number().positive());

export const criteriaSchema = z.object({
  meta: z.object({ title_zh: z.string(), title_en: z.string() }).loose(),
  balanced: z.object({
    document: z.string(),
    indicators: z.array(indicatorSchema).length(7),
    school_rule: z.object({ min_met: z.number().int().min(0).max(7), rest_min_fraction: z.number().gt(0).max(1), wording_zh: z.string(), article: z.string(), ...sourced }),
    cv_limit: z.object({ primary: z.number().positive(), junior: z.number().positive(), wording_zh: z.string(), article: z.string(), ...sourced }),
    scope: z.object({ excluded_types: z.array(z.string()), min_enrolment: z.number().int().min(0), wording_zh: z.string(), ...sourced }),
    split_weights: z.object({ nine_year: weights, twelve_year: weights, complete_secondary: weights, ...sourced }),
    items: z.array(itemSchema),
  }),
  preschool: z.object({
    document: z.string(),
    computed: z.array(computedSchema),
    items: z.array(itemSchema),
  }),
  schedule: z.object({
    balanced: z.object({ source: z.string(), certified_by_year: z.record(z.string(), z.number().int()), kpi_basis: z.enum(['certified', 'passing']), districts: z.record(z.string(), z.number().int()) }),
    preschool: z.object({ source: z.string(), submitted_by_year: z.record(z.string(), z.number().int()), certified_by_year: z.record(z.string(), z.number().int()), districts: z.record(z.string(), z.number().int()) }),
  }),
  plan_targets_for_contrast: z.record(z.string(), z.unknown()),
}).superRefine((c, ctx) => {
  const keys = new Set(c.balanced.indicators.map((i) => i.key));
  if (keys.size !== balancedIndicatorKeys.length) ctx.addIssue({ code: 'custom', path: ['balanced', 'indicators'], message: 'each of the 7 indicators exactly once' });
  for (const part of ['balanced', 'preschool'] as const) {
    const codes = c[part].items.map((i) => i.code);
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: [part, 'items'], message: 'item codes must be unique' });
  }
});
export type AssessmentCriteria = z.infer<typeof criteriaSchema>;

/** Validate a criteria document (the bundled one, or a district's tightened copy in tests). */
export function parseCriteria(doc: unknown, file = 'src/core/standards/data/assessment-criteria.json'): AssessmentCriteria {
  const r = criteriaSchema.safeParse(doc);
  if (r.success) {
    // Keep the indicators in the contract's order whatever the file's order.
    const order = new Map(balancedIndicatorKeys.map((k, i) => [k, i]));
    r.data.balanced.indicators.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
    return r.data;
  }
  throw new EduplanError('E_STANDARD_TABLE', {
    detail: file,
    problems: r.error.issues.map((i) => ({ file, path: i.path.map(String).join('.'), rule: i.code, message_zh: `评估标准配置有误：${i.message}`, message_en: `Assessment criteria invalid: ${i.message}` })),
  });
}

/** The bundled criteria, validated once. */
export const assessmentCriteria: AssessmentCriteria = parseCriteria(raw);
