/**
 * News and updates (发布动态): release notes generated from the releases (each version of a
 * year's figures, with its note and what changed) and the city's announcements, newest
 * first; the same list as an Atom feed. Announcements are published by a city
 * administrator, audited.
 */
import type { AnnouncementRequest, NewsItem } from '../contract/portal.ts';
import { publisher } from '../core/open-data/licence.ts';
import { atomFeed } from '../core/news/atom.ts';
import { appendAudit } from './audit.ts';
import { callerId, callerName, isSystem, type Caller, type ServiceDeps } from './deps.ts';
import { requireModerator } from './feedback.ts';
import { listReleases } from './releases.ts';

/** Every release note and announcement, newest first. */
export async function listNews(deps: Pick<ServiceDeps, 'store'>): Promise<NewsItem[]> {
  const releases = await listReleases(deps.store);
  const notes = releases.map((r): NewsItem => {
    const changed = r.version === 1 ? '' : `（修订 ${r.changes.revised}、新增 ${r.changes.added}、删除 ${r.changes.removed} 个数据）`;
    const changedEn = r.version === 1 ? '' : ` (${r.changes.revised} revised, ${r.changes.added} added, ${r.changes.removed} removed)`;
    return {
      id: `release-${r.id}`, kind: 'release',
      title_zh: `发布 ${r.year} 学年指标数据（第 ${r.version} 版）`, title_en: `Figures for academic year ${r.year} released (version ${r.version})`,
      body_zh: `${r.indicators.length} 项指标、${r.cells} 个数据${changed}。${r.note ? `说明：${r.note}` : ''}${r.override_reason ? ` 提前发布原因：${r.override_reason}` : ''}`.trim(),
      body_en: `${r.indicators.length} indicators, ${r.cells} figures${changedEn}.${r.note ? ` Note: ${r.note}` : ''}${r.override_reason ? ` Released before completeness because: ${r.override_reason}` : ''}`,
      published_at: r.released_at, link: '/open-data',
    };
  });
  const anns = await deps.store.db.selectFrom('announcement').selectAll().orderBy('published_at', 'desc').limit(200).execute();
  const items = anns.map((a): NewsItem => ({
    id: `announcement-${a.id}`, kind: 'announcement', title_zh: a.title_zh, title_en: a.title_en, body_zh: a.body_zh, body_en: a.body_en,
    published_at: new Date(a.published_at).toISOString(), link: `/news#announcement-${a.id}`,
  }));
  return [...notes, ...items].sort((a, b) => b.published_at.localeCompare(a.published_at) || a.id.localeCompare(b.id));
}

export async function publishAnnouncement(deps: ServiceDeps, caller: Caller, req: AnnouncementRequest): Promise<NewsItem> {
  await requireModerator(deps, caller, 'announcement.publish');
  const now = deps.clock();
  const id = await deps.store.transaction(async (tx) => {
    const row = await tx.db.insertInto('announcement').values({ ...req, published_at: now, published_by: callerId(caller) }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx.db, now, {
      actorId: callerId(caller), actor: callerName(caller), action: 'announcement.publish', outcome: 'success',
      objectType: 'announcement', objectId: row.id, ip: isSystem(caller) ? null : caller.ip, after: { title_zh: req.title_zh, title_en: req.title_en },
    });
    return row.id;
  });
  return { id: `announcement-${id}`, kind: 'announcement', ...req, published_at: now.toISOString(), link: `/news#announcement-${id}` };
}

/** The Atom feed of the news, in one language; `origin` makes the links absolute. */
export async function newsFeed(deps: Pick<ServiceDeps, 'store'>, origin: string, lang: 'zh' | 'en'): Promise<string> {
  const items = await listNews(deps);
  const q = lang === 'en' ? '?lang=en' : '';
  return atomFeed({
    id: `${origin}/api/news.atom${q}`, self: `${origin}/api/news.atom${q}`, alternate: `${origin}/news${q}`, lang,
    title: lang === 'zh' ? '天津市“十四五”教育现代化规划监测 — 发布动态' : 'Tianjin education plan monitoring — news and updates',
    author: lang === 'zh' ? publisher.name_zh : publisher.name_en,
    entries: items.map((i) => ({ id: `${origin}/news#${i.id}`, title: lang === 'zh' ? i.title_zh : i.title_en, body: lang === 'zh' ? i.body_zh : i.body_en, published_at: i.published_at, link: `${origin}${i.link}${q}` })),
  });
}
