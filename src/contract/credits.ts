/**
 * The credit bank (终身教育学分银行): request and response shapes shared by the services
 * (src/services/credits), the routes, `eduplan credits …` and the web.
 */
import { z } from 'zod';
import { sourceKinds } from '../core/credits/rules.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** An institution's code: 统一社会信用代码 (18), 学校标识码 (10) or an org-unit code. */
export const institutionCode = z.string().trim().regex(/^[0-9A-Z]{6,18}$/, 'institution code: 6–18 digits or capital letters');
const achievementCode = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'achievement code: 1–64 letters, digits, . _ -');

export const institutionKinds = ['university', 'open_university', 'vocational_college', 'training_body', 'community_school', 'elderly_school'] as const;

export const institutionInput = z.object({
  code: institutionCode,
  name_zh: z.string().trim().min(1).max(200),
  name_en: z.string().trim().max(200).default(''),
  kind: z.enum(institutionKinds),
  org_code: z.string().regex(/^(\d{6}|\d{10})$/, 'the org unit the institution sits at (6-digit district/city or 10-digit school code)'),
});
export type InstitutionInput = z.infer<typeof institutionInput>;

/**
 * An outcome an institution registers for a learner (and `eduplan credits issue --input`).
 * The ID number is checked (GB 11643) and turned into the learner's pseudonym; neither it nor
 * the name is stored. `consent`: the institution attests that the learner agreed to the
 * credit bank keeping the record (recorded with who and when).
 */
export const outcomeInput = z.object({
  learner_id_number: z.string().trim().min(1),
  learner_name: z.string().trim().min(1).max(100),
  achievement: z.object({
    code: achievementCode.optional(),
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).default(''),
    kind: z.enum(sourceKinds).default('non_formal'),
    credits: z.number().min(0).max(200),
    level: z.number().int().min(1).max(7).nullable().default(null).describe('level of the learning-outcome framework, 1–7 (credit_framework_level)'),
    hours: z.number().min(0).max(10000).nullable().default(null),
    evidence: z.string().trim().max(500).nullable().default(null),
  }),
  issuer_org_code: institutionCode,
  issued_on: isoDate,
  consent: z.boolean().default(true),
});
export type OutcomeInput = z.input<typeof outcomeInput>;
export type OutcomeRequest = z.infer<typeof outcomeInput>;

export const issueResponse = z.object({
  credential_id: z.string(),
  outcome_id: z.number().int(),
  learner_subject_id: z.string(),
  status_list: z.number().int(),
  status_index: z.number().int(),
  jws: z.string(),
});
export type IssueResponse = z.infer<typeof issueResponse>;

export const verifyRequest = z.object({ credential: z.string().trim().min(1).max(100_000) });
export const verifyResult = z.object({
  result: z.enum(['valid', 'revoked', 'invalid']),
  reason_zh: z.string().optional(),
  reason_en: z.string().optional(),
  credential_id: z.string().optional(),
  issuer: z.string().optional(),
  achievement: z.string().optional(),
  credits: z.number().optional(),
  status_list_credential: z.string().optional(),
  status_index: z.number().int().optional(),
});
export type VerifyResult = z.infer<typeof verifyResult>;

export const revokeRequest = z.object({ credential_id: z.string().trim().min(1).max(200), reason: z.string().trim().min(1).max(500) });
export const revokeResponse = z.object({ credential_id: z.string(), revoked_at: z.string(), status_list: z.number().int(), status_index: z.number().int() });
export type RevokeResponse = z.infer<typeof revokeResponse>;

export const ruleInput = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'rule code: 1–64 letters, digits, . _ -'),
  source_kind: z.enum(sourceKinds),
  achievement_code: achievementCode,
  receiving_code: institutionCode,
  target_programme: z.string().trim().min(1).max(200),
  target_course: z.string().trim().min(1).max(200),
  credits: z.number().positive().max(200),
  annual_cap: z.number().positive().max(1000).nullable().default(null),
  source_cap: z.number().positive().max(1000).nullable().default(null),
  valid_from: isoDate,
  source: z.string().trim().min(1).max(500),
});
export type RuleInput = z.input<typeof ruleInput>;
export const ruleView = ruleInput.extend({ version: z.number().int(), annual_cap: z.number().nullable(), source_cap: z.number().nullable() });
export type RuleView = z.infer<typeof ruleView>;

export const applyRequest = z.object({ outcome_id: z.number().int().positive(), rule_code: z.string().trim().min(1).max(64), applied_on: isoDate });
export const decideRequest = z.object({
  recognition_id: z.number().int().positive(),
  decision: z.enum(['recognise', 'refuse']),
  reason: z.string().trim().max(500).optional(),
});
export const recognitionView = z.object({
  id: z.number().int(),
  outcome_id: z.number().int(),
  rule_code: z.string(),
  rule_version: z.number().int(),
  receiving_code: z.string(),
  target_programme: z.string(),
  target_course: z.string(),
  credits: z.number(),
  year: z.number().int(),
  state: z.enum(['applied', 'recognised', 'refused']),
  reason: z.string().nullable(),
  credential_id: z.string().nullable(),
});
export type RecognitionView = z.infer<typeof recognitionView>;

export const outcomeView = z.object({
  id: z.number().int(),
  institution_code: z.string(),
  institution_name: z.string(),
  kind: z.enum(sourceKinds),
  achievement_code: z.string(),
  name: z.string(),
  level: z.number().int().nullable(),
  hours: z.number().nullable(),
  credits: z.number(),
  issued_on: z.string(),
});
/** An institution as the workspace lists it: what the caller may do there (the API checks again on every request). */
export const institutionView = institutionInput.extend({
  may_register: z.boolean(),
  may_review: z.boolean(),
});
export type InstitutionView = z.infer<typeof institutionView>;

/**
 * An outcome as its institution lists it: no learner identity (the ID number and name are never
 * stored; the pseudonym is not shown), with the outcome's own credential.
 */
export const institutionOutcomeView = z.object({
  id: z.number().int(),
  institution_code: z.string(),
  kind: z.enum(sourceKinds),
  achievement_code: z.string(),
  name: z.string(),
  level: z.number().int().nullable(),
  credits: z.number(),
  issued_on: z.string(),
  credential_id: z.string().nullable(),
  revoked: z.boolean(),
});
export type InstitutionOutcomeView = z.infer<typeof institutionOutcomeView>;
export const credentialView = z.object({ id: z.string(), outcome_id: z.number().int(), issued_at: z.string(), revoked: z.boolean(), jws: z.string() });

/** A learner's own record: what they see after signing in, and what an institution reads (audited). */
export const learnerRecord = z.object({
  subject_id: z.string(),
  consent_at: z.string().nullable(),
  outcomes: z.array(outcomeView),
  recognitions: z.array(recognitionView),
  credentials: z.array(credentialView),
  credits_accumulated: z.number(),
  credits_recognised: z.number(),
});
export type LearnerRecord = z.infer<typeof learnerRecord>;

export const learnerCodeRequest = z.object({ learner_id_number: z.string().trim().min(1), institution_code: institutionCode });
export const learnerCodeResponse = z.object({ code: z.string(), expires_at: z.string() });
export const learnerSignIn = z.object({ code: z.string().trim().min(6).max(32) });
export const learnerTranscript = z.object({ record: learnerRecord, clr_jws: z.string() });
export type LearnerTranscript = z.infer<typeof learnerTranscript>;

/** Published statistics: per year, source kind and district; `null` where disclosure control withholds the cell. */
export const creditStatsRow = z.object({
  year: z.number().int(),
  district_code: z.string(),
  source_kind: z.enum(sourceKinds),
  learners: z.number().int().nullable(),
  credits_accumulated: z.number().nullable(),
  credits_recognised: z.number().nullable(),
  suppressed: z.boolean(),
});
export const creditStats = z.object({ rows: z.array(creditStatsRow) });
export type CreditStats = z.infer<typeof creditStats>;

export const jwks = z.object({ keys: z.array(z.record(z.string(), z.string())) });

/**
 * The statistics the public sees: per calendar year, the rows carried by the latest release
 * of the academic year of the same number (src/services/releases.ts copies them at release);
 * withheld cells keep their row without numbers.
 */
export const publishedCreditStats = z.object({
  years: z.array(z.object({
    year: z.number().int(),
    release: z.object({ id: z.number().int(), year: z.number().int(), version: z.number().int(), released_at: z.string() }),
    rows: z.array(creditStatsRow),
  })),
});
export type PublishedCreditStats = z.infer<typeof publishedCreditStats>;
