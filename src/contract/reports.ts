/**
 * Evaluation reports (规划评估报告): the final evaluation (总结评估), the mid-term review
 * (中期评估), the annual monitoring report (年度监测报告) and the 鲁班工坊 annual report — the
 * request and response shapes of the routes, the CLI (`eduplan report …`), the workspace and
 * the portal's reports page; and `ReportData`, the snapshot of released figures a service hands
 * to the renderers (src/reports/evaluation), which is what a published report freezes.
 */
import { z } from 'zod';
import type { ProgressItem } from './progress.ts';
import type { ScheduleResult } from './assessments.ts';
import type { TargetRow } from './plan-execution.ts';
import type { PublicLearningCity } from './learning.ts';

export const reportKinds = ['final', 'midterm', 'annual', 'luban', 'learning_city'] as const;
export const reportKind = z.enum(reportKinds).describe('final 总结评估 / midterm 中期评估 / annual 年度监测报告 / luban 鲁班工坊建设年度报告 / learning_city 学习型城市建设监测年度报告');
export type ReportKind = z.infer<typeof reportKind>;
export const reportLang = z.enum(['zh', 'en']);
export type ReportLang = z.infer<typeof reportLang>;
export const reportFormat = z.enum(['docx', 'pdf', 'html']);
export type ReportFormat = z.infer<typeof reportFormat>;

const year = z.coerce.number().int().min(2000).max(2100);

/** /api/workspace/reports/:kind/:year… — `year`: the as-of year (final, midterm) or the report's year (annual, luban). */
export const reportParams = z.strictObject({ kind: reportKind, year });
export type ReportParams = z.infer<typeof reportParams>;
export const sectionParams = reportParams.extend({ section: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'section key (lower_snake_case)') });
export const exportQuery = z.strictObject({ format: reportFormat, lang: reportLang.default('zh') });
export const previewQuery = z.strictObject({ lang: reportLang.default('zh') });

/** PUT …/narratives/:section — the planning office's paragraph for a section; numbers only as placeholders. */
export const saveNarrativeRequest = z.strictObject({
  text_zh: z.string().max(20000).describe('Chinese narrative (required to have text unless both are empty, which clears the block); figures as {{value code}}, {{target code}} … placeholders'),
  text_en: z.string().max(40000).default('').describe('English version (optional; the English edition falls back to a note that the narrative is in Chinese)'),
  version: z.number().int().min(0).optional().describe('The version edited (optimistic check): a newer stored version is E_STATE; 0 = no version yet'),
});
export type SaveNarrativeRequest = z.infer<typeof saveNarrativeRequest>;

export const narrativeVersion = z.object({ version: z.number().int(), text_zh: z.string(), text_en: z.string(), saved_at: z.string(), saved_by: z.string() });
export type NarrativeVersion = z.infer<typeof narrativeVersion>;
export const narrativeBlock = z.object({
  section: z.string(), title_zh: z.string(), title_en: z.string(),
  current: narrativeVersion.nullable(),
  history: z.array(narrativeVersion).describe('Every version, newest first'),
});
export type NarrativeBlock = z.infer<typeof narrativeBlock>;
export const narrativesResponse = z.object({ kind: reportKind, year: z.number().int(), placeholders: z.array(z.string()), blocks: z.array(narrativeBlock) });
export type NarrativesResponse = z.infer<typeof narrativesResponse>;

/** The release versions a report's figures come from (its data snapshot). */
export const releaseUse = z.object({ year: z.number().int(), id: z.number().int(), version: z.number().int(), released_at: z.string() });
export const reportSnapshot = z.object({
  indicator_releases: z.array(releaseUse).describe('Per academic year, the indicator release read'),
  target_releases: z.array(releaseUse).describe('Per year, the release of registry counts and entered values read'),
  narratives: z.array(z.object({ section: z.string(), version: z.number().int() })).describe('The narrative versions used'),
});
export type ReportSnapshot = z.infer<typeof reportSnapshot>;

export const publicationFile = z.object({ format: reportFormat, lang: reportLang, sha256: z.string(), bytes: z.number().int(), url: z.string() });
export const publication = z.object({
  id: z.number().int(), kind: reportKind, year: z.number().int(), version: z.number().int(),
  title_zh: z.string(), title_en: z.string(), published_at: z.string(), note: z.string(),
  snapshot: reportSnapshot,
  files: z.array(publicationFile),
  current: z.boolean().describe('The newest publication of this report (kind and year); earlier ones stay downloadable'),
});
export type Publication = z.infer<typeof publication>;
export const publicationsResponse = z.object({ reports: z.array(publication) });
export const publishRequest = z.strictObject({ note: z.string().trim().max(2000).default('') });
export const publicationParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const publicationFileParams = z.strictObject({ id: z.coerce.number().int().positive(), file: z.string().regex(/^report\.(zh|en)\.(docx|pdf|html)$/, 'report.<zh|en>.<docx|pdf|html>') });

/** A generated file: what the CLI writes and a download sends. */
export interface GeneratedReport {
  readonly bytes: Buffer;
  readonly content_type: string;
  readonly file_name: string;
  readonly title: string;
  readonly snapshot: ReportSnapshot;
}

// ---- the snapshot of figures a report is rendered from (service → renderer)

export interface ReportSeriesPoint { readonly year: number; readonly value: number | null; readonly suppressed: boolean }
export interface ReportDistrict {
  readonly code: string; readonly name_zh: string; readonly name_en: string;
  /** Per indicator with district values: the value of the report's year (null: no data or suppressed). */
  readonly values: Readonly<Record<string, { readonly value: number | null; readonly suppressed: boolean; readonly status: string | null }>>;
}
export interface ReportArea {
  readonly code: string; readonly number: number; readonly title_zh: string; readonly title_en: string; readonly goal_zh: string; readonly goal_en: string;
  readonly lead_zh: string | null; readonly lead_en: string | null;
  readonly projects: ReadonlyArray<{ readonly code: string; readonly number: number; readonly title_zh: string; readonly title_en: string }>;
}
export interface ReportOwnerNarrative {
  readonly item: string; readonly item_title_zh: string; readonly item_title_en: string;
  readonly unit_zh: string; readonly unit_en: string; readonly period: string; readonly status: string;
  readonly narrative_zh: string; readonly narrative_en: string;
}
export interface ReportRegistryEntry { readonly code: string; readonly fields: Readonly<Record<string, string | number | boolean>> }
export interface ReportNarrative { readonly section: string; readonly version: number; readonly text_zh: string; readonly text_en: string }

export interface ReportData {
  readonly kind: ReportKind;
  /** As-of year (final, midterm) or the report's year (annual, luban). */
  readonly year: number;
  readonly plan: { readonly title_zh: string; readonly title_en: string; readonly start: number; readonly end: number; readonly baseline_year: number };
  /** When the figures were read (ISO). */
  readonly generated_at: string;
  readonly demo: boolean;
  /** The 20 main indicators as of the year (public view: released figures only). */
  readonly indicators: readonly ProgressItem[];
  /** Each indicator's city series up to the year. */
  readonly series: Readonly<Record<string, readonly ReportSeriesPoint[]>>;
  /** Every plan target as of the year (public view). */
  readonly targets: readonly TargetRow[];
  readonly areas: readonly ReportArea[];
  /** Owners' accepted progress reports of periods up to the year, latest per item and unit. */
  readonly owner_narratives: readonly ReportOwnerNarrative[];
  /** 专栏6 / 专栏7: districts submitted and certified by year, up to the year. */
  readonly schedules: { readonly balanced: ScheduleResult; readonly preschool: ScheduleResult };
  readonly districts: readonly ReportDistrict[];
  /** Registry entries in effect by the year (the 鲁班工坊 report lists its workshops). */
  readonly registries: Readonly<Record<string, { readonly name_zh: string; readonly name_en: string; readonly fields: ReadonlyArray<{ key: string; label_zh: string; label_en: string; choices?: ReadonlyArray<{ value: string; label_zh: string; label_en: string }> }>; readonly entries: readonly ReportRegistryEntry[] }>>;
  readonly narratives: readonly ReportNarrative[];
  readonly snapshot: ReportSnapshot;
  /** The learning-city report only: the released learning-city figures of the year (year without a release: no release, no figures). */
  readonly learning_city?: PublicLearningCity;
}
