/**
 * Release control (数据发布): the request and response shapes shared by the service
 * (src/services/releases.ts), the routes, the CLI (`eduplan release …`), the web workspace
 * and the OpenAPI document. One zod schema per shape; the types are inferred from them.
 */
import { z } from 'zod';

export const academicYear = z.coerce.number().int().min(2000).max(2100).describe('Academic year (学年): 2023 = 2023-09-01..2024-08-31');
export const indicatorCode = z.string().regex(/^[a-z0-9_]{1,64}$/, 'indicator code (lower case, digits, _)');
export const formCode = z.string().regex(/^[a-z0-9_.]{1,64}$/, 'form code, e.g. annual.primary');

/** POST /api/workspace/releases — the city releases a year's figures. */
export const createReleaseRequest = z.strictObject({
  year: academicYear,
  indicators: z.array(indicatorCode).min(1).max(200).optional().describe('Release only these indicators (default: every indicator computed for the year)'),
  note: z.string().trim().min(1).max(2000).describe('Release note shown with the figures (发布说明)'),
  override_reason: z.string().trim().min(4).max(2000).optional().describe('Required when a form is below its completeness threshold: why release anyway (audited)'),
});
export type CreateReleaseRequest = z.infer<typeof createReleaseRequest>;

/** PUT /api/workspace/release-thresholds/:formCode */
export const setThresholdRequest = z.strictObject({
  share: z.number().min(0).max(1).describe('Share of expected schools that must have reported, 0..1 (default 0.95)'),
});
export type SetThresholdRequest = z.infer<typeof setThresholdRequest>;

/** Completeness of one form for the year: expected schools (open on 1 September) and those whose data are in. */
export const formCompleteness = z.object({
  form_code: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  expected: z.number().int(),
  /** Schools whose figures are in: an approved (or locked) submission, or the city's folder import. */
  reported: z.number().int(),
  share: z.number().nullable(),
  threshold: z.number(),
  met: z.boolean(),
});
export type FormCompleteness = z.infer<typeof formCompleteness>;

export const missingSchool = z.object({
  code: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  form_code: z.string(),
  contact_name: z.string().nullable(),
  contact_phone: z.string().nullable(),
  /** Where its submission stands, if it has one (draft, submitted, returned). */
  submission_state: z.string().nullable(),
});
export type MissingSchool = z.infer<typeof missingSchool>;

export const districtCompleteness = z.object({
  district_code: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  expected: z.number().int(),
  reported: z.number().int(),
  share: z.number().nullable(),
  missing: z.array(missingSchool),
});
export type DistrictCompleteness = z.infer<typeof districtCompleteness>;

export const releaseChanges = z.object({
  /** Cells whose published numbers differ from the version this release replaced. */
  revised: z.number().int(),
  /** Cells new in this release. */
  added: z.number().int(),
  /** Cells the replaced version published that this one no longer has. */
  removed: z.number().int(),
  by_indicator: z.record(z.string(), z.object({ revised: z.number().int(), added: z.number().int(), removed: z.number().int() })),
});
export type ReleaseChanges = z.infer<typeof releaseChanges>;

/** A release as the public sees it. */
export const releaseSummary = z.object({
  id: z.number().int(),
  year: z.number().int(),
  version: z.number().int(),
  indicators: z.array(z.string()),
  released_at: z.string().describe('ISO instant (数据更新于)'),
  note: z.string(),
  override_reason: z.string().nullable(),
  completeness: z.array(formCompleteness),
  cells: z.number().int(),
  changes: releaseChanges,
  /** Whether the public sees this version now (a later version of the same year replaces it). */
  current: z.boolean(),
});
export type ReleaseSummary = z.infer<typeof releaseSummary>;

/** The workspace also sees who released. */
export const releaseRecord = releaseSummary.extend({ released_by: z.string() });
export type ReleaseRecord = z.infer<typeof releaseRecord>;

export const releaseList = z.object({ releases: z.array(releaseSummary) });
export const releaseRecordList = z.object({ releases: z.array(releaseRecord) });

/** The release a published figure comes from, attached to every public value. */
export const releaseRef = z.object({
  id: z.number().int(),
  version: z.number().int(),
  released_at: z.string(),
  /** The figure differs from the previous version of this year's release. */
  revised: z.boolean(),
});
export type ReleaseRef = z.infer<typeof releaseRef>;

/** GET /api/workspace/releases/:year/readiness — what the city checks before releasing. */
export const releaseReadiness = z.object({
  year: z.number().int(),
  forms: z.array(formCompleteness),
  districts: z.array(districtCompleteness),
  /** Every form meets its threshold: a release needs no override. */
  complete: z.boolean(),
  /** Provisional figures out of date (a change not yet recomputed), or null. */
  stale: z.object({ since: z.string(), causes: z.array(z.string()) }).nullable(),
  /** The release the public sees now for this year, if any. */
  current: releaseRecord.nullable(),
  /** Provisional cells for the year, and how many differ from what the public sees. */
  provisional_cells: z.number().int(),
  unreleased_changes: z.number().int(),
});
export type ReleaseReadiness = z.infer<typeof releaseReadiness>;

/** One row of a release download (GET /api/releases/:id/values.csv|.json). Suppressed rows carry no numbers. */
export const releasedRow = z.object({
  indicator: z.string(),
  org_code: z.string(),
  org_name_zh: z.string(),
  org_name_en: z.string(),
  level: z.string(),
  year: z.number().int(),
  disaggregation: z.string(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  unit: z.string(),
  suppressed: z.boolean(),
  revised: z.boolean(),
  release_version: z.number().int(),
  released_at: z.string(),
});
export type ReleasedRow = z.infer<typeof releasedRow>;

export const releaseIdParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const releaseYearParams = z.strictObject({ year: academicYear });
export const releaseListQuery = z.strictObject({ year: academicYear.optional() });
export const formCodeParams = z.strictObject({ formCode });
