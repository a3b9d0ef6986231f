/**
 * Supervision assessments (督导评估: 优质均衡 教督〔2017〕6号, 普及普惠 教督〔2020〕1号): the
 * request and response shapes shared by the services (src/services/assessments/), the routes
 * (/api/assessments), the CLI (`eduplan assess … --json`), the reports (xlsx, HTML, PDF) and
 * the web workspace (src/web/assessments). One zod schema per shape, the type inferred from it.
 *
 * The per-level shapes (`levelResult`) are exactly what `eduplan assess balanced --input
 * … --json` prints, so a district given directly and one read from the store answer alike.
 */
import { z } from 'zod';
import { balancedIndicatorKeys, criteriaSchema, inputFields, itemSchema, levels } from '../core/standards/balanced/criteria.ts';
import { balancedInputSchema } from '../core/standards/balanced/input.ts';
import { evidenceSchema, itemEntriesSchema } from '../core/standards/balanced/items.ts';
import { workflowActions } from '../core/standards/balanced/workflow.ts';

// ---------------------------------------------------------------- requests

export const districtCode = z.string().regex(/^\d{6}$/).describe('GB/T 2260 区代码, e.g. 120101');
export const assessmentYear = z.coerce.number().int().min(2000).max(2100).describe('学年 academic year, e.g. 2023 = 2023/24');
export const assessmentKind = z.enum(['balanced', 'preschool']);
export type AssessmentKind = z.infer<typeof assessmentKind>;
export const workflowAction = z.enum(workflowActions);

/** GET /api/assessments/preschool?district=&year= (and the CLI's --district --year). */
export const districtYearQuery = z.object({ district: districtCode, year: assessmentYear });
export type DistrictYear = z.infer<typeof districtYearQuery>;

/** GET /api/assessments/balanced?district=&year=&what_if= */
export const balancedQuery = z.object({ district: districtCode, year: assessmentYear, what_if: z.enum(['true', 'false']).optional().describe('include what-if for failing levels (default true)') });
/** What the 优质均衡 use case takes: `what_if` (default true) adds 整改测算 to a failing level. */
export const balancedRequest = z.object({ district: districtCode, year: assessmentYear, what_if: z.boolean().optional() });
export type BalancedRequest = z.infer<typeof balancedRequest>;

/** POST /api/assessments/balanced/evaluate — the same document as `eduplan assess balanced --input`. */
export const evaluateBody = balancedInputSchema.describe('Same document as `eduplan assess balanced --input`');
/**
 * What the use case takes: the document as sent, validated there with every problem located
 * in `file` (`body`, `stdin` or a path).
 */
export const evaluateRequest = z.object({ doc: z.unknown(), file: z.string().optional(), what_if: z.boolean().optional() });
export type EvaluateRequest = z.infer<typeof evaluateRequest>;

/** /api/assessments/:kind/:district/:year/… */
export const assessmentParams = z.object({ kind: assessmentKind, district: districtCode, year: assessmentYear });
export type AssessmentRef = z.infer<typeof assessmentParams>;

/** PUT /api/assessments/:kind/:district/:year/items — the items a district enters, with evidence. */
export const itemsEntryBody = itemEntriesSchema;
/**
 * What entering items takes. `doc` is validated by the service against the kind's item
 * definitions (every bad entry located, in `file`). `actor_name`: the name recorded as
 * having entered them when the system acts (the CLI's --actor, the demo); a signed-in
 * account is always recorded under its own username.
 */
export const itemsEntryRequest = assessmentParams.extend({ doc: z.unknown(), file: z.string().optional(), actor_name: z.string().optional() });
export type ItemsEntryRequest = z.infer<typeof itemsEntryRequest>;

/** POST /api/assessments/:kind/:district/:year/workflow */
export const workflowStepBody = z.object({
  action: workflowAction,
  on_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('the date it happened, e.g. the certification date'),
  comment: z.string().max(4000).optional(),
  item_comments: z.record(z.string(), z.string().max(4000)).optional().describe('市级评估专家逐项意见 {item code: comment}'),
});
/** What recording a step takes; `actor_name` as for items. */
export const workflowStepRequest = assessmentParams.extend({ ...workflowStepBody.shape, actor_name: z.string().optional() });
export type WorkflowStepRequest = z.infer<typeof workflowStepRequest>;

/** GET /api/assessments/verdicts?year= */
export const verdictsQuery = z.object({ year: assessmentYear });
export type VerdictsRequest = z.infer<typeof verdictsQuery>;

/** GET /api/assessments/schedule?kind=&as_of= (as_of: default this calendar year). */
export const scheduleQuery = z.object({ kind: assessmentKind, as_of: z.coerce.number().int().min(2000).max(2100).optional() });
export type ScheduleRequest = z.infer<typeof scheduleQuery>;

export const exportFormat = z.enum(['xlsx', 'pdf', 'html']);
export type ExportFormat = z.infer<typeof exportFormat>;
/** GET /api/assessments/:kind/:district/:year/export?format= */
export const exportQuery = z.object({ format: exportFormat.describe('xlsx: official-style workbook; pdf: printed by the system Chromium; html: the printable page') });
/** What the export takes (`eduplan assess export` and the download route); `what_if` as for 优质均衡. */
export const exportRequest = assessmentParams.extend({ format: exportFormat, what_if: z.boolean().optional() });
export type ExportRequest = z.infer<typeof exportRequest>;

// ---------------------------------------------------------------- 优质均衡 per level (the `--input` shape)

const indicatorKey = z.enum(balancedIndicatorKeys);
const level = z.enum(levels);
const lines = z.array(z.string()).readonly();

export const indicatorResult = z.object({
  name_zh: z.string(), name_en: z.string(), unit_zh: z.string(), unit_en: z.string(),
  threshold: z.number(),
  rest_floor: z.number().describe('85 % of the threshold: the floor for the one indicator a school may miss'),
  cv: z.number().nullable(), cv_limit: z.number(), cv_pass: z.boolean(),
  mean: z.number().describe('enrolment-weighted mean (district total ÷ district students)'),
  min: z.number().nullable(), max: z.number().nullable(),
  schools_met: z.number().int(), schools_below_floor: z.number().int(),
  source: z.string(), confidence: z.string(),
});

export const shortfall = z.object({ indicator: indicatorKey, value: z.number(), threshold: z.number(), fraction: z.number(), below_floor: z.boolean() });

export const schoolResult = z.object({
  code: z.string(), name_zh: z.string().optional(), enrolment: z.number(),
  share: z.number().optional().describe('一贯制 / 完全中学: the share of the school’s resources attributed to this level'),
  values: z.record(indicatorKey, z.number()),
  met: z.number().int(), met_by_indicator: z.record(indicatorKey, z.boolean()),
  shortfalls: z.array(shortfall).readonly(), pass: z.boolean(),
});
export type SchoolResult = z.infer<typeof schoolResult>;

export const excludedSchool = z.object({
  code: z.string(), name_zh: z.string().optional(), enrolment: z.number(),
  reason: z.enum(['small_teaching_point', 'type_out_of_scope', 'no_enrolment']), reason_zh: z.string(), reason_en: z.string(),
});

export const levelResult = z.object({
  level,
  indicators: z.record(indicatorKey, indicatorResult),
  schools: z.array(schoolResult).readonly(),
  excluded: z.array(excludedSchool).readonly(),
  schools_pass: z.boolean(), cv_pass: z.boolean(), pass: z.boolean(),
  explanation_zh: lines, explanation_en: lines,
  method: z.object({ comparison: z.string(), cv: z.string(), school_rule: z.string() }),
});
export type LevelResult = z.infer<typeof levelResult>;

export const whatIfChange = z.object({
  code: z.string(), name_zh: z.string().optional(), indicator: indicatorKey,
  resource_zh: z.string(), resource_en: z.string(),
  add: z.number().describe('amount of the resource to add (teachers, rooms, m² or yuan)'),
  reasons: z.array(z.enum(['school_rule', 'cv'])).readonly(),
  value_before: z.number(), value_after: z.number(),
});

/** 整改测算: the smallest additions per school that make a failing level pass. */
export const whatIfResult = z.object({
  level, pass_before: z.boolean(), pass_after: z.boolean(),
  changes: z.array(whatIfChange).readonly(),
  totals: z.partialRecord(indicatorKey, z.number()),
  cv: z.record(indicatorKey, z.object({ before: z.number().nullable(), after: z.number().nullable(), limit: z.number(), pass_before: z.boolean(), pass_after: z.boolean() })),
  after: levelResult,
  method: z.string(),
});
export type WhatIfResult = z.infer<typeof whatIfResult>;

/** One level as `assess balanced --input --json` prints it, plus `what_if` when it fails. */
export const levelWithWhatIf = levelResult.extend({ what_if: whatIfResult.optional() });
export type LevelWithWhatIf = z.infer<typeof levelWithWhatIf>;

// ---------------------------------------------------------------- items, verdicts, workflow

export const verdictStatus = z.enum(['pass', 'fail', 'incomplete']);
export type VerdictStatus = z.infer<typeof verdictStatus>;

export const itemResult = z.object({
  code: z.string(), part: itemSchema.shape.part, name_zh: z.string(), name_en: z.string(), kind: itemSchema.shape.kind,
  comparator: z.string().optional(), threshold: z.number().optional(), unit_zh: z.string().optional(),
  veto: z.boolean(), value: z.number().nullable(), met: z.boolean().nullable(),
  status: z.enum(['met', 'not_met', 'missing', 'no_evidence']),
  evidence: z.array(evidenceSchema).readonly(), comment: z.string(),
  expert_comment: z.string().optional().describe('the city experts’ comment (市级评估), when there is one'),
  source: z.string(), confidence: z.string(),
});
export type ItemResult = z.infer<typeof itemResult>;

export const partVerdict = z.object({
  part: z.string(), name_zh: z.string(), name_en: z.string(), status: verdictStatus,
  failing: z.array(z.string()).readonly(), pending: z.array(z.string()).readonly(),
});

export const workflowState = z.enum(['not_started', 'self_evaluated', 'city_assessed', 'submitted', 'certified', 'returned']);

/** Where a district stands: 区级自评 → 市级评估 → 申报国家认定 → 认定 / 退回, with the date of each. */
export const workflowStatus = z.object({
  state: workflowState, state_zh: z.string(), state_en: z.string(),
  self_evaluated_on: z.string().nullable(), city_assessed_on: z.string().nullable(), submitted_on: z.string().nullable(),
  certified_on: z.string().nullable(), returned_on: z.string().nullable(),
  expert_comments: z.record(z.string(), z.string()),
});
export type WorkflowStatus = z.infer<typeof workflowStatus>;

/** What the one recompute policy did after the change (services/recompute.ts). */
export const recomputeStatus = z.enum(['recomputed', 'unchanged', 'failed']);

// ---------------------------------------------------------------- district results

/** GET /api/assessments/balanced, `eduplan assess balanced --district --year --json`. */
export const balancedDistrictResult = z.object({
  kind: z.literal('balanced'), document: z.string(),
  district: z.string(), district_name_zh: z.string(), district_name_en: z.string(), year: z.number().int(),
  levels: z.record(level, levelWithWhatIf).describe('each level exactly in the `assess balanced --input` output shape, plus `what_if` when it fails'),
  resources_pass: z.boolean(),
  items: z.array(itemResult).readonly(), parts: z.array(partVerdict).readonly(),
  workflow: workflowStatus, verdict: verdictStatus,
  pass: z.boolean().describe('passes on everything entered and computed (not the same as certified)'),
  certified: z.boolean(),
  explanation_zh: lines, explanation_en: lines,
  data_problems: z.array(z.object({ code: z.string(), name_zh: z.string(), field: z.enum(inputFields), message_zh: z.string(), message_en: z.string() })).readonly(),
});
export type BalancedDistrictResult = z.infer<typeof balancedDistrictResult>;

const computedKey = criteriaSchema.shape.preschool.shape.computed.element.shape.key;

export const computedResult = z.object({
  key: computedKey, name_zh: z.string(), name_en: z.string(),
  value: z.number().nullable(), numerator: z.number(), denominator: z.number().nullable(),
  comparator: z.string(), threshold: z.number(), threshold_label: z.string(),
  status: z.enum(['met', 'not_met', 'missing']),
  formula_zh: z.string(), formula_en: z.string(), source: z.string(), confidence: z.string(),
  plan_target: z.unknown().optional().describe('the plan’s own target for the same measure, for contrast (never the pass test)'),
});

/** GET /api/assessments/preschool, `eduplan assess preschool --json`. */
export const preschoolDistrictResult = z.object({
  kind: z.literal('preschool'), document: z.string(),
  district: z.string(), district_name_zh: z.string(), district_name_en: z.string(), year: z.number().int(),
  computed: z.array(computedResult).readonly(),
  totals: z.object({ kindergartens: z.number().int(), enrolment: z.number(), public_enrolment: z.number(), inclusive_private_enrolment: z.number(), teachers: z.number() }),
  items: z.array(itemResult).readonly(), parts: z.array(partVerdict).readonly(),
  workflow: workflowStatus, verdict: verdictStatus, pass: z.boolean(), certified: z.boolean(),
  explanation_zh: lines, explanation_en: lines,
  data_problems_zh: lines, data_problems_en: lines,
});
export type PreschoolDistrictResult = z.infer<typeof preschoolDistrictResult>;

export type DistrictResult = BalancedDistrictResult | PreschoolDistrictResult;

/** One district's 优质均衡 standing, as 义务教育优质均衡区比例 counts it. */
export const balancedVerdict = z.object({
  district: z.string(), name_zh: z.string(),
  pass: z.boolean().describe('counts toward 义务教育优质均衡区比例 under kpi_basis: certified (default) or the verdict passing'),
  verdict: z.enum([...verdictStatus.options, 'no_data']),
  assessment_pass: z.boolean(), resources_pass: z.boolean().nullable(),
  certified: z.boolean(), certified_on: z.string().nullable(), state: workflowState,
});
export type BalancedVerdict = z.infer<typeof balancedVerdict>;

/** GET /api/assessments/verdicts: all 16 districts. */
export const verdictsResponse = z.object({
  year: z.number().int(),
  kpi_basis: criteriaSchema.shape.schedule.shape.balanced.shape.kpi_basis,
  districts: z.array(balancedVerdict),
});
export type VerdictsResponse = z.infer<typeof verdictsResponse>;

/** GET /api/assessments/schedule, `eduplan assess schedule --json`: the plan's schedule (专栏6 / 专栏7) against what happened. */
export const scheduleResult = z.object({
  kind: assessmentKind, source: z.string(), as_of_year: z.number().int(),
  by_year: z.array(z.object({
    year: z.number().int(), planned_submitted: z.number().nullable(), planned_certified: z.number().nullable(),
    submitted: z.number().int(), certified: z.number().int(), status: z.enum(['on_schedule', 'behind', 'ahead', 'no_target']),
  })).readonly(),
  districts: z.array(z.object({
    district: z.string(), name_zh: z.string(), planned_year: z.number().nullable(), state: workflowState, state_zh: z.string(),
    assessment_year: z.number().nullable(), self_evaluated_on: z.string().nullable(), submitted_on: z.string().nullable(),
    certified_on: z.string().nullable(), returned_on: z.string().nullable(), on_time: z.boolean().nullable(),
  })).readonly(),
  kpi: z.object({ name_zh: z.string(), certified: z.number().int(), total: z.number().int(), value: z.number(), target_2025: z.number(), basis: z.string() }),
});
export type ScheduleResult = z.infer<typeof scheduleResult>;

/** PUT …/items: how many entries the file had, how many changed, and what the recompute did. */
export const itemsEntryResult = z.object({ entries: z.number().int(), changed: z.number().int(), indicators: recomputeStatus });
export type ItemsEntryResult = z.infer<typeof itemsEntryResult>;

/** POST …/workflow: the district's workflow after the step, the verdict it was taken on, and the recompute. */
export const workflowStepResult = workflowStatus.extend({ verdict: verdictStatus, indicators: recomputeStatus });
export type WorkflowStepResult = z.infer<typeof workflowStepResult>;

/** An exported assessment: the file's bytes and how to name it (ASCII, and the Chinese title). */
export const exportedFile = z.object({
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array),
  content_type: z.string(),
  /** ASCII: `assessment_<kind>_<district>_<year>.<format>`. */
  file_name: z.string(),
  /** The Chinese name, e.g. 和平区2023学年优质均衡督导评估.xlsx. */
  title: z.string(),
});
export type ExportedFile = z.infer<typeof exportedFile>;
