/**
 * The public portal's feedback (意见建议) and news (发布动态) over HTTP: thin routes over
 * src/services/feedback.ts and src/services/news.ts.
 *
 * Public:
 *   POST /api/feedback                          leave a message (throttled per address: rate-limits.ts; 16 KiB body)
 *   GET  /api/feedback?subject_type=&subject_code=   the approved messages with replies (masked)
 *   GET  /api/news                              release notes and announcements, newest first
 *   GET  /api/news.atom?lang=zh|en              the same as an Atom feed
 *   GET  /api/search?q=                         site search (indicators, targets, 专栏, districts, schools; zh, en, pinyin initials)
 *   GET  /api/districts/:code/assessments       the district's certified (认定) 优质均衡 / 普及普惠 assessments
 * Workspace (city administrators):
 *   GET  /api/workspace/feedback?state=         the moderation queue
 *   POST /api/workspace/feedback/:id/moderate   approve (with a reply) or reject
 *   POST /api/workspace/announcements           publish an announcement
 */
import { z } from 'zod';
import { searchQuery, searchResponse } from '../../contract/portal.ts';
import { siteSearch } from '../../services/search.ts';
import { announcementRequest, feedbackIdParams, feedbackQuery, feedbackReceipt, feedbackRequest, moderateRequest, moderationItem, moderationList, moderationQuery, newsItem, newsList, publicFeedbackList } from '../../contract/portal.ts';
import { moderateFeedback, moderationQueue, publicFeedback, submitFeedback } from '../../services/feedback.ts';
import { listNews, newsFeed, publishAnnouncement } from '../../services/news.ts';
import { districtAssessmentParams, districtAssessments } from '../../contract/portal.ts';
import { certifiedAssessments } from '../../services/assessments/public.ts';
import type { RouteModule } from '../deps.ts';
import { actorOf, authenticate } from '../auth.ts';
import { openapi, parseInput } from '../openapi.ts';

const feedQuery = z.strictObject({ lang: z.enum(['zh', 'en']).default('zh') });

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock, log: { error: (fields: Record<string, unknown>, message: string) => app.log.error(fields, message) } };

  app.post('/api/feedback', {
    ...openapi({
      summary: '提交意见建议 / Leave a message on an indicator, a 专栏 or the site',
      description: 'Plain text up to 2,000 characters (no HTML). Not public until a moderator approves it; personal data (ID numbers, phone numbers, e-mail) is masked before publication; the contact is never published. Throttled per address (429 E_RATE_LIMITED).',
      tags: ['portal'], body: feedbackRequest, response: feedbackReceipt,
    }),
    bodyLimit: 16 * 1024,
  }, async (req, reply) => {
    const r = await submitFeedback(sdeps, parseInput(feedbackRequest, req.body, 'body'));
    reply.status(201);
    return r;
  });

  app.get('/api/feedback', openapi({ summary: '已公开的意见建议与答复 / Published messages and replies on one subject', tags: ['portal'], query: feedbackQuery, response: publicFeedbackList }), async (req, reply) => {
    reply.header('cache-control', 'no-cache');
    return { items: await publicFeedback(sdeps, parseInput(feedbackQuery, req.query, 'query')) };
  });

  app.get('/api/news', openapi({ summary: '发布动态：数据发布说明与公告 / News: release notes and announcements', tags: ['portal'], response: newsList }), async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return { items: await listNews(sdeps) };
  });

  app.get('/api/news.atom', openapi({ summary: '发布动态（Atom 订阅）/ News as an Atom feed', tags: ['portal'], query: feedQuery }), async (req, reply) => {
    const { lang } = parseInput(feedQuery, req.query, 'query');
    reply.header('content-type', 'application/atom+xml; charset=utf-8');
    reply.header('cache-control', 'no-cache');
    return newsFeed(sdeps, `${req.protocol}://${req.host}`, lang);
  });

  app.get('/api/search', openapi({ summary: '站内搜索 / Site search: indicators, targets, 专栏, districts, schools (Chinese, English, pinyin initials)', tags: ['portal'], query: searchQuery, response: searchResponse }), async (req, reply) => {
    reply.header('cache-control', 'no-cache');
    return { hits: await siteSearch(sdeps, parseInput(searchQuery, req.query, 'query')) };
  });

  app.get('/api/districts/:code/assessments', openapi({
    summary: '区督导评估结果（仅已通过国家认定的）/ A district\'s certified supervision assessments (优质均衡, 普及普惠)',
    description: 'Only results nationally certified (认定) are public; self-evaluations, city assessments, submissions and returns stay in the workspace.',
    tags: ['portal'], params: districtAssessmentParams, response: districtAssessments,
  }), async (req, reply) => {
    reply.header('cache-control', 'no-cache');
    return certifiedAssessments(deps.store, parseInput(districtAssessmentParams, req.params, 'params').code);
  });

  app.get('/api/workspace/feedback', openapi({ summary: '意见建议审核队列 / The moderation queue', tags: ['portal'], query: moderationQuery, response: moderationList, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    reply.header('cache-control', 'no-store');
    return { items: await moderationQueue(sdeps, actorOf(req), parseInput(moderationQuery, req.query, 'query')) };
  });

  app.post('/api/workspace/feedback/:id/moderate', openapi({ summary: '审核意见建议：公开（可附答复）或不予公开 / Approve (with a reply) or reject a message', tags: ['portal'], params: feedbackIdParams, body: moderateRequest, response: moderationItem, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(feedbackIdParams, req.params, 'params');
    return moderateFeedback(sdeps, actorOf(req), id, parseInput(moderateRequest, req.body, 'body'));
  });

  app.post('/api/workspace/announcements', openapi({ summary: '发布公告 / Publish an announcement', tags: ['portal'], body: announcementRequest, response: newsItem, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const r = await publishAnnouncement(sdeps, actorOf(req), parseInput(announcementRequest, req.body, 'body'));
    reply.status(201);
    return r;
  });
};

export default routes;
