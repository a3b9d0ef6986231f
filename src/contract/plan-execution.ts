/**
 * Plan execution (规划实施): the request and response shapes shared by the services
 * (src/services/plan-execution), the routes, the CLI (`eduplan targets|tasks|registries …`),
 * the portal's 规划实施 section and the workspace, and the OpenAPI document.
 */
import { z } from 'zod';
import { targetStatuses } from '../core/plan-execution/judge.ts';
import { frequencies, reportStates, reportStatuses } from '../core/plan-execution/reporting.ts';
import { targetComparators } from '../core/plan/data-path.ts';
import { progressStatuses } from '../core/progress/progress.ts';

const year = z.coerce.number().int().min(2000).max(2100);
const num = z.number().nullable();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256: 64 lower-case hex digits');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const code = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower_snake_case code');
/** A plan item: `moral_education`, `moral_education.2`, `p19_luban_workshops`. */
export const itemCode = z.string().regex(/^[a-z][a-z0-9_]{0,63}(\.\d{1,2})?$/, 'plan item code: task area (moral_education), sub-task (moral_education.2) or 专栏 (p19_luban_workshops)');
export const unitCode = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, 'unit code: lower-case letters, digits, _ and -');
export const entryCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'entry code: 1–64 letters, digits, . _ -');
export const periodCode = z.string().regex(/^\d{4}(H[12]|Q[1-4])?$/, 'period: 2023H1, 2023Q3 or 2023');

export const targetStatus = z.enum(targetStatuses).describe('achieved 已达成 / on_track 进度正常 / at_risk 存在风险 / not_achieved 未达成 (final at the target year) / no_data 暂无数据 (with reason)');
export const fileRef = z.object({ sha256, name: z.string(), bytes: z.number().int() });
export type FileRefOut = z.infer<typeof fileRef>;

export const reasonCodes = ['indicator_not_computed', 'indicator_not_released', 'suppressed', 'registry_empty', 'not_entered', 'not_released', 'no_value_by_target_year'] as const;
export const reasonCode = z.enum(reasonCodes);

export const statusCounts = z.object(Object.fromEntries(targetStatuses.map((s) => [s, z.number().int()])) as Record<(typeof targetStatuses)[number], z.ZodNumber>);
export type StatusCounts = z.infer<typeof statusCounts>;

export const targetRow = z.object({
  id: z.string().describe('Target code (an indicator code for the 20 main indicators)'),
  kind: z.enum(['indicator', 'project', 'text']).describe('indicator 主要指标 / project 专栏 / text 正文'),
  source: z.string().describe('Where in the plan: 二(二), 专栏19, 三(七)3'),
  section: z.string(),
  text_zh: z.string(), text_en: z.string(), source_zh: z.string(),
  comparator: z.enum(targetComparators), target: z.number(), target_max: num, approximate: z.boolean(), unit: z.string(), year: z.number().int(),
  judged: z.object({ comparator: z.enum(targetComparators), value: z.number(), unit: z.string(), every_year: z.boolean(), note_zh: z.string().nullable(), note_en: z.string().nullable() })
    .describe('What the value is judged against: the target, or its restatement (左右 at 90 %, a share of schools)'),
  value: num.describe('In value_unit; null when there is no value (see reason)'),
  value_year: num,
  value_unit: z.string(),
  status: targetStatus,
  progress_status: z.enum(progressStatuses).describe('The progress engine’s status behind `status`'),
  reason: reasonCode.optional(), reason_zh: z.string().optional(), reason_en: z.string().optional(),
  note_zh: z.string().optional(), note_en: z.string().optional(),
  data_path: z.enum(['indicator', 'registry', 'entered']),
  path: z.object({
    indicator: z.string().optional(), take: z.enum(['value', 'numerator', 'denominator']).optional(),
    registry: z.string().optional(), filter: z.record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()]))).optional(),
    rule: z.enum(['count', 'sum', 'coverage']).optional(), years: z.enum(['in_effect', 'that_year', 'window']).optional(), measure: z.string().optional(),
  }),
  baseline: z.object({ year: z.number(), value: z.number(), origin: z.enum(['plan', 'data']) }).nullable(),
  failed_years: z.array(z.number()),
  project: z.string().nullable(), task_area: z.string().nullable(), subtask: z.number().nullable(), indicator: z.string().nullable(),
  entries: num.describe('Registry targets: the entries counted'),
  coverage: z.object({ covered: z.number(), total: z.number() }).nullable(),
  evidence: z.array(fileRef).describe('Entered values: the evidence cited (name and sha256)'),
  value_source: z.string().nullable().optional().describe('Set when eduplan computed the value itself instead of taking a reported one (e.g. computed:elderly_participation_rate …)'),
  release: z.object({ id: z.number(), version: z.number(), released_at: z.string() }).nullable().describe('The release the value comes from; null for provisional figures'),
  provisional: z.boolean(),
});
export type TargetRow = z.infer<typeof targetRow>;

export const targetsQuery = z.strictObject({ year: year.optional().describe('Year to judge as of; default: the plan’s end year or the latest with values') });
export const targetsResponse = z.object({ year: z.number(), provisional: z.boolean(), summary: statusCounts, targets: z.array(targetRow) });
export type TargetsResponse = z.infer<typeof targetsResponse>;

export const unitRef = z.object({ code: z.string(), name_zh: z.string(), name_en: z.string(), kind: z.enum(['department', 'district']), org_code: z.string() });
export type UnitRef = z.infer<typeof unitRef>;
export const owners = z.object({ lead: unitRef.nullable(), co: z.array(unitRef), frequency: z.enum(frequencies) });

export const taskStatus = z.enum([...reportStatuses, 'not_reported']).describe('The lead unit’s latest report: on_track 进展顺利 / at_risk 存在风险 / delayed 滞后 / done 已完成, or not_reported');
export const reportingRate = z.object({ expected: z.number(), received: z.number(), on_time: z.number(), overdue: z.number(), rate: num, on_time_rate: num });
export const milestoneCounts = z.object({ total: z.number(), done: z.number(), overdue: z.number() });

export const taskRow = z.object({
  code: z.string(), kind: z.enum(['area', 'subtask', 'project']), source: z.string(), number: z.number(),
  title_zh: z.string(), title_en: z.string(), area: z.string(), subtask: z.number().nullable(),
  owners,
  status: taskStatus, status_period: z.string().nullable(), status_reason: z.string().nullable(),
  reporting: reportingRate,
  milestones: milestoneCounts,
  targets: statusCounts.extend({ total: z.number() }).describe('Targets of the item (a task area: with its sub-tasks and 专栏) by status'),
});
export type TaskRow = z.infer<typeof taskRow>;
export const tasksResponse = z.object({ year: z.number(), provisional: z.boolean(), tasks: z.array(taskRow) });

export const milestoneRow = z.object({
  item: z.string(), code: z.string(), year: z.number(), text_zh: z.string(), text_en: z.string(), due: z.string(), done_on: z.string().nullable(),
  overdue: z.boolean(), evidence: z.array(fileRef), note: z.string(),
});
export type MilestoneRow = z.infer<typeof milestoneRow>;

export const reportRow = z.object({
  id: z.number(), item: z.string(), unit: unitRef, period: z.string(), status: z.enum(reportStatuses), reason: z.string(),
  narrative_zh: z.string(), narrative_en: z.string(), evidence: z.array(fileRef), state: z.enum(reportStates), review_note: z.string(),
  version: z.number(), submitted_at: z.string().nullable(), reviewed_at: z.string().nullable(), updated_at: z.string(),
});
export type ReportRow = z.infer<typeof reportRow>;

export const projectsResponse = z.object({ year: z.number(), provisional: z.boolean(), projects: z.array(taskRow) });
export const projectDetail = z.object({
  year: z.number(), provisional: z.boolean(),
  project: taskRow.extend({ items_zh: z.array(z.string()), summary_en: z.string(), text_en: z.string(), task_area_title_zh: z.string(), task_area_title_en: z.string() }),
  targets: z.array(targetRow), milestones: z.array(milestoneRow),
  reports: z.array(reportRow).describe('Public: each unit’s latest report accepted by the planning office; workspace: every report'),
});
export type ProjectDetail = z.infer<typeof projectDetail>;
export const projectParams = z.strictObject({ id: z.string().min(1).max(64).describe('专栏 code (p19_luban_workshops) or number (19)') });

// ---- registries
export const registryInfo = z.object({
  id: z.string(), name_zh: z.string(), name_en: z.string(), description_zh: z.string().nullable(), description_en: z.string().nullable(),
  maintainer: z.enum(['city', 'district']), document: z.enum(['required', 'optional']), file: z.string().describe('The import file name: registry-<id>.csv'),
  fields: z.array(z.object({ key: z.string(), type: z.string(), label_zh: z.string(), label_en: z.string(), required: z.boolean(), choices: z.array(z.object({ value: z.string(), label_zh: z.string(), label_en: z.string() })).optional() })),
  targets: z.array(z.string()).describe('The targets counting this registry'),
  entries: z.object({ approved: z.number(), submitted: z.number(), returned: z.number() }),
});
export type RegistryInfo = z.infer<typeof registryInfo>;
export const entryRow = z.object({
  registry: z.string(), entry_code: z.string(), district_code: z.string().nullable(),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), document: fileRef.nullable(),
  state: z.enum(['submitted', 'approved', 'returned']), reason: z.string().nullable(), version: z.number(), source: z.string(),
  updated_at: z.string(), updated_by: z.string(), approved_at: z.string().nullable(), approved_by: z.string().nullable(),
});
export type EntryRow = z.infer<typeof entryRow>;
export const registryParams = z.strictObject({ id: code });
export const entryParams = z.strictObject({ id: code, code: entryCode });
export const entriesQuery = z.strictObject({ state: z.enum(['submitted', 'approved', 'returned']).optional(), district: z.string().regex(/^\d{6}$/).optional() });
export const saveEntryRequest = z.strictObject({
  fields: z.record(z.string(), z.string().max(2000)).describe('Field key → text, as in the import file'),
  document_sha256: sha256.nullable().optional().describe('The designation document, uploaded first (POST /api/workspace/plan-files)'),
  version: z.number().int().min(1).optional().describe('The version edited (optimistic check): a newer stored version is E_STATE'),
});
export type SaveEntryRequest = z.infer<typeof saveEntryRequest>;
export const reviewEntryRequest = z.strictObject({ decision: z.enum(['approve', 'return']), reason: z.string().trim().min(2).max(2000).optional() });

// ---- owners, units, milestones, reports, entered values
export const unitParams = z.strictObject({ code: unitCode });
export const saveUnitRequest = z.strictObject({ name_zh: z.string().trim().min(1).max(100), name_en: z.string().trim().max(200).default(''), kind: z.enum(['department', 'district']), org_code: z.string().regex(/^\d{6}$/) });
export const itemParams = z.strictObject({ item: itemCode });
export const assignOwnersRequest = z.strictObject({ lead_unit: unitCode, co_units: z.array(unitCode).max(40).default([]), frequency: z.enum(frequencies).default('semiannual') });
export const milestoneParams = z.strictObject({ item: itemCode, code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/) });
export const saveMilestoneRequest = z.strictObject({
  year: z.number().int().min(2000).max(2100), text_zh: z.string().trim().min(1).max(500), text_en: z.string().trim().max(1000).default(''),
  due: isoDate, done_on: isoDate.nullable().optional(), evidence: z.array(sha256).max(20).default([]), note: z.string().max(2000).default(''),
});
export const saveReportRequest = z.strictObject({
  item: itemCode, unit: unitCode, period: periodCode, status: z.enum(reportStatuses),
  reason: z.string().trim().max(2000).default('').describe('Required when at_risk or delayed: why'),
  narrative_zh: z.string().trim().min(1).max(10000), narrative_en: z.string().trim().max(20000).default(''),
  evidence: z.array(sha256).max(20).default([]),
  submit: z.boolean().default(false).describe('false: save a draft; true: submit to the planning office'),
});
export type SaveReportRequest = z.infer<typeof saveReportRequest>;
export const reportParams = z.strictObject({ id: z.coerce.number().int().min(1) });
export const reviewReportRequest = z.strictObject({ decision: z.enum(['accept', 'return']), note: z.string().trim().max(2000).default('').describe('Required when returning: what to change') });
export const enterValueParams = z.strictObject({ target: code, year });
export const enterValueRequest = z.strictObject({ value: z.number().finite(), note: z.string().max(2000).default(''), evidence: z.array(sha256).min(1, 'a value is entered with its evidence').max(20) });
export const enteredValue = z.object({ measure: z.string(), year: z.number(), value: z.number(), note: z.string(), evidence: z.array(fileRef), entered_at: z.string(), entered_by: z.string() });

export const dueRow = z.object({
  item: z.string(), title_zh: z.string(), title_en: z.string(), unit: unitRef, period: z.string(), due: z.string(),
  state: z.enum(['not_due', 'missing', 'late', 'on_time', 'returned']), days_late: num, report_id: num, report_state: z.enum(reportStates).nullable(),
});
export type DueRow = z.infer<typeof dueRow>;
export const dueResponse = z.object({ today: z.string(), due: z.array(dueRow), milestones: z.array(milestoneRow.extend({ unit: unitRef.nullable() })) });
export const lateUnit = z.object({ unit: unitRef, reporting: reportingRate, overdue: z.array(z.object({ item: z.string(), period: z.string(), due: z.string(), days_late: z.number() })), overdue_milestones: z.number() });
export const lateResponse = z.object({ today: z.string(), units: z.array(lateUnit) });

export const createTargetReleaseRequest = z.strictObject({ year: z.number().int().min(2000).max(2100), note: z.string().trim().min(1).max(2000) });
export const targetRelease = z.object({ id: z.number(), year: z.number(), version: z.number(), released_at: z.string(), released_by: z.string().optional(), note: z.string(), targets: z.number(), current: z.boolean() });
export type TargetRelease = z.infer<typeof targetRelease>;
