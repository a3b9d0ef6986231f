/**
 * Table types for Kysely. One interface per table; column names are the SQL names.
 * A new table: add its migration in migrations/, its interface here, and its entry
 * in `Database`.
 */
import type { ColumnType, Generated } from 'kysely';

export interface PlanVersionTable {
  id: Generated<number>;
  plan_code: string;
  version: number;
  content_hash: string;
  loaded_at: ColumnType<Date, string, never>;
  /** The validated plan document (JSON). */
  document: unknown;
  /** What changed against the previous version: [{path, before, after}]. */
  changes: unknown;
}

// ---- 0017_org_levels: a region's hierarchy as data (src/core/org/levels.ts)
export interface OrgLevelTable {
  code: string;
  /** Parents before children: a level's rank is above its parent's. */
  rank: number;
  name_zh: string;
  name_en: string;
  parent_level: string | null;
  /** Units of this level report data (学校); the others aggregate them. */
  reporting_unit: boolean;
}

export interface OrgUnitTable {
  code: string;
  name_zh: string;
  name_en: string;
  /** An `org_level.code` (0017): the region's levels are data, so this is any level it defines. */
  level: string;
  parent_code: string | null;
  school_type: string | null;
  ownership: 'public' | 'private' | null;
  inclusive: boolean | null;
  urban_rural: 'urban' | 'town' | 'rural' | null;
  opened: string | null;
  closed: string | null;
  /** Who to contact when the school has not reported (0008; optional columns of org-units.csv). */
  contact_name: string | null;
  contact_phone: string | null;
  /** Learning-network units (0014): learning centre, 老年学校, 示范性老年大学; null for schools. */
  unit_type?: 'learning_centre' | 'elderly_school' | 'model_elderly_university' | null;
  /** The 四纵 line of a learning-network unit (0014): 开放教育、社区教育、老年教育、农民教育. */
  service_line?: 'open' | 'community' | 'elderly' | 'farmer' | null;
}

export interface DataValueTable {
  org_code: string;
  year: number;
  element: string;
  value: number;
  /** Where the number came from: `import:<batch id>`, `submission:<id>`, `derived:<batch id>`. */
  source: string;
}

export interface ReferenceValueTable {
  org_code: string;
  year: number;
  code: string;
  value: number;
  /** Publisher and document, e.g. `天津市统计局 2020年第七次人口普查公报`. */
  source: string;
}

export interface ImportBatchTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  sha256: string;
  rows: number;
  imported_at: ColumnType<Date, string, never>;
}

/**
 * The partition of a student-record table for one school year (migration 0007): the
 * importer COPYs into it directly. Made from an integer, so safe as a name.
 */
export function yearPartition(table: 'student_fitness' | 'vision_screening', year: number): string {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new RangeError(`not a school year: ${year}`);
  return `${table}_y${year}`;
}

/** Which import holds each school's student records of a year (migration 0007). */
export interface StudentSchoolYearTable {
  kind: 'fitness' | 'vision';
  year: number;
  org_code: string;
  batch_id: number;
}

/** 学生体质健康测试: one row per student per school year (migration 0003; by year, 0007). */
export interface StudentFitnessTable {
  batch_id: number;
  org_code: string;
  year: number;
  /** HMAC-SHA256(key, 学籍号), hex; the key is configuration, never stored. */
  pseudonym: string;
  grade_code: number;
  sex: 'm' | 'f';
  age_years: number;
  class_code: string;
  exempt: boolean;
  height_cm: number | null;
  weight_kg: number | null;
  bmi: number | null;
  vital_capacity: number | null;
  run_50m: number | null;
  sit_and_reach: number | null;
  rope_skip_1min: number | null;
  sit_ups_1min: number | null;
  shuttle_run_50x8: number | null;
  standing_long_jump: number | null;
  pull_ups: number | null;
  run_800m: number | null;
  run_1000m: number | null;
  standard_score: number | null;
  bonus: number | null;
  annual_total: number | null;
  grade_band: '优秀' | '良好' | '及格' | '不及格' | null;
  complete: boolean;
}

/** 视力筛查: one row per student per school year (migration 0003). */
export interface VisionScreeningTable {
  batch_id: number;
  org_code: string;
  year: number;
  pseudonym: string;
  grade_code: number;
  sex: 'm' | 'f';
  age_years: number;
  class_code: string;
  va_right: number | null;
  va_left: number | null;
  sph_right: number | null;
  cyl_right: number | null;
  axis_right: number | null;
  sph_left: number | null;
  cyl_left: number | null;
  axis_left: number | null;
  ortho_k: boolean;
  se_right: number | null;
  se_left: number | null;
  /** 筛查性近视; null = not classified (under 6, or acuity < 5.0 without refraction). */
  myopic: boolean | null;
}

// ---- 0005_assessments: supervision assessments 优质均衡 / 普及普惠 (src/services/assessments.ts)
export interface AssessmentItemTable {
  kind: 'balanced' | 'preschool';
  district_code: string;
  year: number;
  item_code: string;
  value: number | null;
  met: boolean | null;
  /** [{name, url?, sha256?, bytes?}] */
  evidence: unknown;
  comment: string;
  entered_by: string;
  entered_at: ColumnType<Date, Date | string, Date | string>;
}

export interface AssessmentEventTable {
  id: Generated<number>;
  kind: 'balanced' | 'preschool';
  district_code: string;
  year: number;
  action: 'self_evaluate' | 'city_assess' | 'submit' | 'certify' | 'return';
  state_after: string;
  on_date: string;
  actor: string;
  comment: string;
  item_comments: unknown;
  verdict: unknown;
  recorded_at: ColumnType<Date, Date | string, never>;
}

export interface Database {
  plan_version: PlanVersionTable;
  org_unit: OrgUnitTable;
  data_value: DataValueTable;
  reference_value: ReferenceValueTable;
  import_batch: ImportBatchTable;
  student_fitness: StudentFitnessTable;
  vision_screening: VisionScreeningTable;
  student_school_year: StudentSchoolYearTable;
  account: AccountTable;
  account_grant: AccountGrantTable;
  auth_session: AuthSessionTable;
  setup_token: SetupTokenTable;
  form_deadline: FormDeadlineTable;
  submission: SubmissionTable;
  idempotency_key: IdempotencyKeyTable;
  audit_event: AuditEventTable;
  audit_chain_epoch: AuditChainEpochTable;
  account_activation: AccountActivationTable;
  indicator_value: IndicatorValueTable;
  indicator_run: IndicatorRunTable;
  assessment_item: AssessmentItemTable;
  assessment_event: AssessmentEventTable;
  indicator_stale: IndicatorStaleTable;
  release: ReleaseTable;
  released_value: ReleasedValueTable;
  release_current: ReleaseCurrentTable;
  release_threshold: ReleaseThresholdTable;
  indicator_option: IndicatorOptionTable;
  plan_file: PlanFileTable;
  registry_entry: RegistryEntryTable;
  plan_unit: PlanUnitTable;
  plan_owner: PlanOwnerTable;
  plan_milestone: PlanMilestoneTable;
  plan_report: PlanReportTable;
  feedback: FeedbackTable;
  announcement: AnnouncementTable;
  target_entry: TargetEntryTable;
  target_release: TargetReleaseTable;
  target_released_value: TargetReleasedValueTable;
  target_release_current: TargetReleaseCurrentTable;
  credit_institution: CreditInstitutionTable;
  credit_learner: CreditLearnerTable;
  credit_learner_code: CreditLearnerCodeTable;
  released_credit_stat: ReleasedCreditStatTable;
  credit_framework_level: CreditFrameworkLevelTable;
  org_level: OrgLevelTable;
  credit_rule: CreditRuleTable;
  credit_outcome: CreditOutcomeTable;
  credit_recognition: CreditRecognitionTable;
  credit_credential: CreditCredentialTable;
  learning_event: LearningEventTable;
  learning_released_figure: LearningReleasedFigureTable;
  report_narrative: ReportNarrativeTable;
  report_publication: ReportPublicationTable;
  report_file: ReportFileTable;
}

// ---- 0012_reports: evaluation reports' narratives and publications (src/services/evaluation-reports/)
/** One saved version of a report section's narrative (叙述段落). */
export interface ReportNarrativeTable {
  kind: string;
  year: number;
  section: string;
  version: number;
  text_zh: string;
  text_en: string;
  saved_at: ColumnType<Date, Date | string, never>;
  saved_by: string;
}
/** A published report (报告发布), frozen with the release and narrative versions it used. */
export interface ReportPublicationTable {
  id: Generated<number>;
  kind: string;
  year: number;
  version: number;
  title_zh: string;
  title_en: string;
  published_at: ColumnType<Date, Date | string, never>;
  published_by: string;
  note: string;
  snapshot: unknown;
}
/** A published report's file, kept as published. */
export interface ReportFileTable {
  publication_id: number;
  name: string;
  mime: string;
  sha256: string;
  bytes: number;
  content: Uint8Array;
}

// ---- 0006_collection: accounts, sessions, submissions, audit (src/services/{accounts,auth,submissions,audit}.ts)
type Instant = ColumnType<Date, Date | string, Date | string>;
type NullableInstant = ColumnType<Date | null, Date | string | null, Date | string | null>;

export interface AccountTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  totp_secret: string | null;
  totp_pending: string | null;
  totp_last_step: number | null;
  totp_exempt: boolean;
  failed_logins: number;
  first_failed_at: NullableInstant;
  locked_until: NullableInstant;
  disabled: boolean;
  must_change_password: boolean;
  created_at: Instant;
  password_changed_at: Instant;
}

export interface AccountGrantTable {
  account_id: number;
  role: string;
  org_code: string;
  granted_by: number | null;
  granted_at: Instant;
}

export interface AuthSessionTable {
  token_hash: string;
  account_id: number;
  created_at: Instant;
  last_seen_at: Instant;
  mfa_done: boolean;
  ip: string | null;
}

export interface SetupTokenTable {
  token_hash: string;
  created_at: Instant;
  used_at: NullableInstant;
}

export interface FormDeadlineTable {
  form_code: string;
  year: number;
  due_at: Instant;
  set_by: number | null;
}

export interface SubmissionTable {
  id: Generated<number>;
  org_code: string;
  form_code: string;
  year: number;
  state: 'draft' | 'submitted' | 'returned' | 'approved' | 'locked';
  /** {element code: number | null} (JSON). */
  entries: unknown;
  /** {element code or rule: explanation} (JSON). */
  comments: unknown;
  /** {preparer, reviewer, head} (JSON) — 填报人, 审核人, 单位负责人. */
  signoffs: unknown;
  version: number;
  reason: string | null;
  created_at: Instant;
  created_by: number;
  updated_at: Instant;
  updated_by: number;
  submitted_at: NullableInstant;
  submitted_by: number | null;
  approved_at: NullableInstant;
  approved_by: number | null;
  locked_at: NullableInstant;
  locked_by: number | null;
}

export interface IdempotencyKeyTable {
  account_id: number;
  key: string;
  request_hash: string;
  status: number;
  response: unknown;
  created_at: Instant;
}

/** 0011: a new account's one-time activation (services/accounts.ts `activateAccount`); the token's hash only. */
export interface AccountActivationTable {
  token_hash: string;
  account_id: number;
  created_by: number | null;
  created_at: Instant;
  expires_at: Instant;
  used_at: NullableInstant;
  used_ip: string | null;
}

/** 0011: from which event on which key chains the audit log (core/audit/chain.ts `ChainEpoch`). */
export interface AuditChainEpochTable {
  from_seq: number;
  key_id: string | null;
  created_at: Generated<Date>;
}

export interface AuditEventTable {
  seq: number;
  at: Instant;
  actor_id: number | null;
  actor: string;
  action: string;
  outcome: string;
  object_type: string | null;
  object_id: string | null;
  org_code: string | null;
  ip: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

// ---- 0004_indicators: precomputed indicator values (src/services/indicators.ts)
export interface IndicatorValueTable {
  indicator: string;
  org_code: string;
  year: number;
  /** '' = total, else e.g. `sex:f`, `stage:junior`. */
  disaggregation: string;
  /** The org unit's own level code (`org_level.code`, 0017). */
  level: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  /** The count disclosure control looked at (students, schools…). */
  basis: number | null;
  suppressed: boolean;
  /** Why it is withheld (src/core/disclosure/rules.ts). */
  suppression: 'primary' | 'attribute' | 'complementary' | null;
  inputs: unknown;
  run_id: number;
}

export interface IndicatorRunTable {
  id: Generated<number>;
  years: number[];
  cells: number;
  started_at: ColumnType<Date, Date | string, never>;
  duration_ms: number;
}

// ---- 0008_release: release control and the recompute policy (services/releases.ts, services/recompute.ts)
/** An academic year whose provisional figures are out of date (marked by the change, cleared by the recompute). */
export interface IndicatorStaleTable {
  id: Generated<number>;
  year: number;
  /** What changed, e.g. `import:12`, `submission:4 approved`, `assessment 120101/2024`. */
  cause: string;
  marked_at: ColumnType<Date, Date | string, never>;
  /** The org unit whose data changed (a school); null = the whole year (migration 0018). */
  org_code: ColumnType<string | null, string | null | undefined, never>;
}

/** A release (发布) of one year's figures: version 1, 2… per year. */
export interface ReleaseTable {
  id: Generated<number>;
  year: number;
  version: number;
  /** The indicators this release publishes (the rest of the year keeps its earlier release, if any). */
  indicators: string[];
  released_at: ColumnType<Date, Date | string, never>;
  /** Account user name, or `system` (the demo's first start), or `cli`. */
  released_by: string;
  account_id: number | null;
  note: string;
  /** Set when the completeness threshold was not met and the city released anyway. */
  override_reason: string | null;
  /** Per form: expected, reported, share, threshold, met (JSON). */
  completeness: unknown;
  /** The indicator run whose values were published. */
  run_id: number;
  cells: number;
  /** Against the version it replaced: cells revised, added, removed, per indicator (JSON). */
  changes: unknown;
}

/** A published cell: `indicator_value` as it was at the release (without its run), marked when revised. */
export interface ReleasedValueTable extends Omit<IndicatorValueTable, 'run_id'> {
  release_id: number;
  /** Differs from the version this release replaced (or is new in it). */
  revised: boolean;
}

/** Which release the public sees for a year and indicator. */
export interface ReleaseCurrentTable {
  year: number;
  indicator: string;
  release_id: number;
}

/** The completeness a form needs before its year is released without an override (default 0.95). */
export interface ReleaseThresholdTable {
  form_code: string;
  share: number;
  set_by: number | null;
  set_at: ColumnType<Date, Date | string, Date | string>;
}

/** A scope option of the indicator definitions the city has chosen (core/indicators/scope.ts). */
export interface IndicatorOptionTable {
  name: string;
  value: string;
  set_by: number | null;
  set_at: ColumnType<Date, Date | string, Date | string>;
}

// ---- 0010_plan_execution: registries, owners, milestones, reports, entered target values (services/plan-execution)
/** An evidence or designation document, content-addressed. */
export interface PlanFileTable {
  sha256: string;
  name: string;
  mime: string;
  bytes: number;
  content: Uint8Array;
  stored_at: ColumnType<Date, Date | string, never>;
  stored_by: string;
}

/** One entry of a registry (名录条目); `payload` is validated by the registry's schema. */
export interface RegistryEntryTable {
  registry: string;
  entry_code: string;
  /** The district of an entry of a district-kept registry; null for the city's. */
  district_code: string | null;
  payload: unknown;
  document_sha256: string | null;
  state: 'submitted' | 'approved' | 'returned';
  reason: string | null;
  version: number;
  /** `import:<batch>`, `workspace`, `xlsx`. */
  source: string;
  updated_at: ColumnType<Date, Date | string, Date | string>;
  updated_by: string;
  approved_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  approved_by: string | null;
}

/** A unit owning plan items: a city department, or a district. */
export interface PlanUnitTable {
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'department' | 'district';
  /** The org unit whose grants act for it: the district, or the city (120000) for a department. */
  org_code: string;
}

export interface PlanOwnerTable {
  item: string;
  lead_unit: string;
  co_units: string[];
  frequency: 'semiannual' | 'quarterly' | 'annual';
  assigned_at: ColumnType<Date, Date | string, Date | string>;
  assigned_by: string;
}

export interface PlanMilestoneTable {
  item: string;
  code: string;
  year: number;
  text_zh: string;
  text_en: string;
  /** YYYY-MM-DD. */
  due: string;
  done_on: string | null;
  /** [{sha256, name, bytes}] */
  evidence: unknown;
  note: string;
  updated_at: ColumnType<Date, Date | string, Date | string>;
  updated_by: string;
}

export interface PlanReportTable {
  id: Generated<number>;
  item: string;
  unit: string;
  period: string;
  status: 'on_track' | 'at_risk' | 'delayed' | 'done';
  reason: string;
  narrative_zh: string;
  narrative_en: string;
  evidence: unknown;
  state: 'draft' | 'submitted' | 'accepted' | 'returned';
  review_note: string;
  version: number;
  source: string;
  updated_at: ColumnType<Date, Date | string, Date | string>;
  updated_by: string;
  submitted_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  reviewed_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  reviewed_by: string | null;
}

/** A value entered by a target's owner for a year (填报值), with evidence. */
export interface TargetEntryTable {
  measure: string;
  year: number;
  value: number;
  note: string;
  evidence: unknown;
  source: string;
  entered_at: ColumnType<Date, Date | string, Date | string>;
  entered_by: string;
}

export interface TargetReleaseTable {
  id: Generated<number>;
  year: number;
  version: number;
  released_at: ColumnType<Date, Date | string, never>;
  released_by: string;
  note: string;
  targets: number;
}

export interface TargetReleasedValueTable {
  release_id: number;
  target: string;
  year: number;
  value: number | null;
  detail: unknown;
}

export interface TargetReleaseCurrentTable {
  year: number;
  release_id: number;
}

/** A message from the public (意见建议), migration 0013: `message` for moderators, `published_message` masked. */
export interface FeedbackTable {
  id: Generated<number>;
  subject_type: 'indicator' | 'column' | 'site';
  subject_code: string;
  message: string;
  published_message: string;
  contact: string | null;
  lang: 'zh' | 'en';
  state: ColumnType<'pending' | 'approved' | 'rejected', 'pending' | 'approved' | 'rejected' | undefined, 'pending' | 'approved' | 'rejected'>;
  reply: string | null;
  received_at: ColumnType<Date, Date | string, Date | string>;
  moderated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  moderated_by: number | null;
}

/** The city's announcement (发布动态), migration 0013. */
export interface AnnouncementTable {
  id: Generated<number>;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  published_at: ColumnType<Date, Date | string, Date | string>;
  published_by: number | null;
}

// ---- 0014_credit_bank: the credit bank and learning events (src/services/credits/*, src/services/learning-city.ts)
export interface CreditInstitutionTable {
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'university' | 'open_university' | 'vocational_college' | 'training_body' | 'community_school' | 'elderly_school';
  org_code: string;
}

export interface CreditLearnerTable {
  id: Generated<number>;
  /** HMAC-SHA256 of the ID number under the pseudonym key (hex). */
  pseudonym: string;
  /** The random `urn:uuid:` the learner's credentials name as their subject. */
  subject_id: string;
  consent_at: NullableInstant;
  consent_by: string | null;
  created_at: Instant;
  created_by: string;
}

/** A credit statistics cell as released (migration 0016): numbers null where withheld. */
export interface ReleasedCreditStatTable {
  release_id: number;
  year: number;
  district_code: string;
  source_kind: string;
  learners: number | null;
  credits_accumulated: number | null;
  credits_recognised: number | null;
  suppressed: boolean;
}

export interface CreditLearnerCodeTable {
  code_hash: string;
  learner_id: number;
  issued_by: string;
  institution_code: string;
  issued_at: Instant;
  expires_at: Instant;
  used_at: NullableInstant;
}

export interface CreditFrameworkLevelTable {
  level: number;
  name_zh: string;
  name_en: string;
  hours_per_credit: number;
  source: string;
}

export interface CreditRuleTable {
  code: string;
  version: number;
  source_kind: 'academic_course' | 'vocational_certificate' | 'non_formal' | 'mooc';
  achievement_code: string;
  receiving_code: string;
  target_programme: string;
  target_course: string;
  credits: number;
  annual_cap: number | null;
  source_cap: number | null;
  valid_from: string;
  source: string;
  created_at: Instant;
  created_by: string;
}

export interface CreditOutcomeTable {
  id: Generated<number>;
  learner_id: number;
  institution_code: string;
  kind: 'academic_course' | 'vocational_certificate' | 'non_formal' | 'mooc';
  achievement_code: string;
  name: string;
  description: string;
  level: number | null;
  hours: number | null;
  credits: number;
  evidence: string | null;
  issued_on: string;
  registered_at: Instant;
  registered_by: string;
}

export interface CreditRecognitionTable {
  id: Generated<number>;
  outcome_id: number;
  learner_id: number;
  rule_code: string;
  rule_version: number;
  receiving_code: string;
  credits: number;
  year: number;
  state: 'applied' | 'recognised' | 'refused';
  reason: string | null;
  applied_at: Instant;
  applied_by: string;
  decided_at: NullableInstant;
  decided_by: string | null;
}

export interface CreditCredentialTable {
  id: string;
  learner_id: number;
  outcome_id: number;
  recognition_id: number | null;
  status_list: number;
  status_index: number;
  jws: string;
  issued_at: Instant;
  issued_by: string;
  revoked_at: NullableInstant;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface LearningEventTable {
  dedup_key: string;
  centre_code: string;
  district_code: string;
  event_id: string;
  year: number;
  event_date: string;
  channel: 'course' | 'visit' | 'online';
  activity: string;
  learner_pseudonym: string | null;
  elderly: boolean;
  batch_id: number;
}

// ---- 0015_learning_city: the learning-city figures each release published (src/services/learning-city.ts)
export interface LearningReleasedFigureTable {
  release_id: number;
  figure: string;
  org_code: string;
  year: number;
  level: 'city' | 'district';
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  suppressed: boolean;
  source: string;
}
