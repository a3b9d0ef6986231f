/**
 * The public portal's feedback (意见建议) and news (发布动态): request and response shapes
 * of `/api/feedback…`, `/api/workspace/feedback…`, `/api/news…` and `/api/workspace/announcements`.
 */
import { z } from 'zod';
import { assessmentKind, verdictStatus } from './assessments.ts';

export const feedbackSubjectType = z.enum(['indicator', 'column', 'site']).describe('indicator 指标 / column 专栏 / site 整个网站');
export const feedbackSubjectCode = z.string().regex(/^[a-z0-9][a-z0-9_.]{0,63}$/, 'indicator code, 专栏 code (p19_luban_workshops) or "portal"');

/** Size limits: a message of up to 2,000 characters (a page of text), a contact of up to 200. */
export const feedbackRequest = z.strictObject({
  subject_type: feedbackSubjectType,
  subject_code: feedbackSubjectCode,
  message: z.string().min(1).max(2000).describe('Plain text (no HTML), up to 2,000 characters; personal data is masked before publication'),
  contact: z.string().max(200).optional().describe('How to reach the sender (never published)'),
  lang: z.enum(['zh', 'en']).default('zh'),
});
export type FeedbackRequest = z.infer<typeof feedbackRequest>;

export const feedbackReceipt = z.object({ id: z.number(), state: z.literal('pending') });
export const feedbackQuery = z.strictObject({ subject_type: feedbackSubjectType, subject_code: feedbackSubjectCode });
export const publicFeedback = z.object({
  id: z.number(), subject_type: feedbackSubjectType, subject_code: z.string(),
  message: z.string().describe('As published: personal data masked'), lang: z.enum(['zh', 'en']),
  received_on: z.string().describe('Date received (YYYY-MM-DD)'), reply: z.string().nullable(), replied_on: z.string().nullable(),
});
export const publicFeedbackList = z.object({ items: z.array(publicFeedback) });
export type PublicFeedback = z.infer<typeof publicFeedback>;

export const moderationState = z.enum(['pending', 'approved', 'rejected']);
export const moderationQuery = z.strictObject({ state: moderationState.default('pending') });
export const moderationItem = z.object({
  id: z.number(), subject_type: feedbackSubjectType, subject_code: z.string(),
  message: z.string().describe('As written'), published_message: z.string().describe('As it would be published (personal data masked)'),
  contact: z.string().nullable(), lang: z.enum(['zh', 'en']), state: moderationState, reply: z.string().nullable(),
  received_at: z.string(), moderated_at: z.string().nullable(),
});
export const moderationList = z.object({ items: z.array(moderationItem) });
export type ModerationItem = z.infer<typeof moderationItem>;
export const feedbackIdParams = z.strictObject({ id: z.coerce.number().int().positive() });
export const moderateRequest = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reply: z.string().max(2000).optional().describe('The city’s reply, published with the message'),
});
export type ModerateRequest = z.infer<typeof moderateRequest>;

export const announcementRequest = z.strictObject({
  title_zh: z.string().min(1).max(200), title_en: z.string().min(1).max(200),
  body_zh: z.string().min(1).max(10000), body_en: z.string().min(1).max(10000),
});
export type AnnouncementRequest = z.infer<typeof announcementRequest>;
export const newsItem = z.object({
  id: z.string().describe('release-<id> or announcement-<id>'), kind: z.enum(['release', 'announcement']),
  title_zh: z.string(), title_en: z.string(), body_zh: z.string(), body_en: z.string(), published_at: z.string(),
  link: z.string().describe('Where to read more on the portal'),
});
export const newsList = z.object({ items: z.array(newsItem) });
export type NewsItem = z.infer<typeof newsItem>;

export const searchQuery = z.strictObject({
  q: z.string().min(1).max(100).describe('Words in Chinese or English, a code, or pinyin initials (jyjgl)'),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const searchHit = z.object({
  kind: z.enum(['indicator', 'target', 'column', 'area', 'district', 'school']), id: z.string(),
  title_zh: z.string(), title_en: z.string(), detail_zh: z.string().optional(), detail_en: z.string().optional(),
  link: z.string().describe('The portal page'), score: z.number(),
});
export const searchResponse = z.object({ hits: z.array(searchHit) });
export type SearchHitShape = z.infer<typeof searchHit>;

/**
 * GET /api/districts/:code/assessments: a district's supervision assessments (督导评估) that
 * are public — only those nationally certified (认定). Everything before certification
 * (自评, 市级评估, 申报, 退回) is internal and stays in the workspace.
 */
export const districtAssessmentParams = z.strictObject({ code: z.string().regex(/^\d{6}$/, '6-digit district code (GB/T 2260), e.g. 120101') });
export const publicAssessment = z.object({
  kind: assessmentKind.describe('balanced 义务教育优质均衡 / preschool 学前教育普及普惠'),
  year: z.number().int().describe('The academic year assessed'),
  self_evaluated_on: z.string().nullable(), city_assessed_on: z.string().nullable(), submitted_on: z.string().nullable(),
  certified_on: z.string().describe('Date of national certification (YYYY-MM-DD)'),
  verdict: verdictStatus.describe('The verdict recorded when certified (a certification needs a passing one)'),
});
export const districtAssessments = z.object({ district: z.string(), items: z.array(publicAssessment) });
export type PublicAssessment = z.infer<typeof publicAssessment>;
export type DistrictAssessments = z.infer<typeof districtAssessments>;
