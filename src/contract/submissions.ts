/**
 * The submission workflow (填报—审核—锁定): request and response shapes shared by
 * src/services/submissions.ts, the routes (/api/submissions…, /api/deadlines…), the CLI's
 * `submit --username` and the workspace.
 */
import { z } from 'zod';
import { submissionStates } from '../core/workflow/submission.ts';
import { formComments, formValues, schoolCode, validationResult, year } from './problem.ts';

const formCode = z.string().min(1).max(64);
const instant = z.string().describe('ISO 8601 instant');

/** The statistics law's three sign-offs (填报人、审核人、单位负责人). */
export const signoffs = z.object({
  preparer: z.string().min(1).max(100).describe('填报人'),
  reviewer: z.string().min(1).max(100).describe('审核人'),
  head: z.string().min(1).max(100).describe('单位负责人'),
});
export type SignOffsShape = z.infer<typeof signoffs>;

/** One submission: a school's form for a year, its values, comments and where it stands. */
export const submission = z.object({
  id: z.number().int(),
  orgCode: z.string(),
  formCode: z.string(),
  year: z.number().int(),
  state: z.enum(submissionStates),
  version: z.number().int(),
  values: formValues,
  comments: z.record(z.string(), z.string()),
  signoffs: signoffs.nullable(),
  reason: z.string().nullable().describe('Why it was returned or reopened'),
  submittedAt: instant.nullable(),
  approvedAt: instant.nullable(),
  lockedAt: instant.nullable(),
  updatedAt: instant,
});
export type Submission = z.infer<typeof submission>;

export const submissionWithValidation = z.object({ submission, validation: validationResult });
export type SubmissionWithValidation = z.infer<typeof submissionWithValidation>;

// ---- requests

export const submissionIdParams = z.object({ id: z.coerce.number().int().positive() });
export type SubmissionId = z.infer<typeof submissionIdParams>;

/** PUT /api/submissions/:orgCode/:formCode/:year — which draft. */
export const draftKeyParams = z.object({ orgCode: schoolCode, formCode, year });

/** The values of a draft: at most 20,000 element codes of at most 200 characters. */
const draftValues = formValues
  .refine((v) => Object.keys(v).length <= 20_000, 'too many values (at most 20,000)')
  .refine((v) => Object.keys(v).every((k) => k.length <= 200), 'an element code is at most 200 characters');

export const saveDraftRequest = z.object({
  values: draftValues,
  comments: formComments.optional().describe('{element code: explanation} (说明)'),
});
export type SaveDraftRequest = z.infer<typeof draftKeyParams> & z.infer<typeof saveDraftRequest>;

export const submitRequest = z.object({ signoffs });
export const reasonRequest = z.object({ reason: z.string().min(1).max(2000) });

export const listSubmissionsQuery = z.object({
  year: z.coerce.number().int().optional(),
  formCode: z.string().max(64).optional(),
  state: z.enum(submissionStates).optional(),
  districtCode: z.string().regex(/^\d{6}$/).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});
export type ListSubmissionsQuery = z.infer<typeof listSubmissionsQuery>;

export const yearQuery = z.object({ year });

export const deadlineParams = z.object({ formCode, year });
export const deadlineRequest = z.object({ dueAt: z.string().min(10).max(40).describe('ISO 8601, e.g. 2024-10-15T17:00:00+08:00') });
export type SetDeadlineRequest = z.infer<typeof deadlineParams> & z.infer<typeof deadlineRequest>;

// ---- responses

export const submissionListItem = z.object({
  id: z.number().int(),
  orgCode: z.string(),
  orgName: z.string(),
  districtCode: z.string().nullable(),
  formCode: z.string(),
  year: z.number().int(),
  state: z.enum(submissionStates),
  submittedAt: instant.nullable(),
  updatedAt: instant,
});
export type SubmissionListItem = z.infer<typeof submissionListItem>;
export const submissionList = z.object({ submissions: z.array(submissionListItem) });

/** Completeness and timeliness of one form in one district (DHIS2 reporting rate). */
export const completenessCell = z.object({
  district_code: z.string(),
  form_code: z.string(),
  expected: z.number().int(),
  submitted: z.number().int().describe('Submitted, approved or locked'),
  approved: z.number().int(),
  locked: z.number().int(),
  on_time: z.number().int(),
  completeness: z.number().nullable().describe('submitted / expected (完整性)'),
  timeliness: z.number().nullable().describe('on_time / expected (及时性); null without a deadline'),
  deadline: instant.nullable(),
});
export type CompletenessCell = z.infer<typeof completenessCell>;
export const completenessResponse = z.object({ year: z.number().int(), cells: z.array(completenessCell) });

export const historyEntry = z.object({
  seq: z.number().int(),
  at: instant,
  actor: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;
export const historyResponse = z.object({ history: z.array(historyEntry) });

export const deadlineResponse = z.object({ formCode: z.string(), year: z.number().int(), dueAt: instant });
export type Deadline = z.infer<typeof deadlineResponse>;
