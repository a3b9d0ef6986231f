/**
 * Public feedback and news over HTTP (issue 16): a message waits for moderation and is not
 * public until a city administrator approves it; the published text has personal data
 * masked and carries the reply; markup and oversize messages are refused; the 11th post from
 * one address within a minute gets 429; moderation is the city's and is audited; release
 * notes and announcements make the news list and its Atom feed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.ts';
import { verifyAudit } from '../../src/services/audit.ts';
import { Client, errorCode, fakeClock, makeApp, seedAccounts, seedOrgs } from './submissions.fixture.ts';

interface Published { id: number; message: string; reply: string | null }

describe('feedback (意见建议) and news (发布动态)', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-20T02:00:00Z');
  let visitor: Client;
  let city: Client;

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    app = await makeApp(store, clock);
    visitor = new Client(app, clock);
    city = new Client(app, clock);
    expect((await city.login('city')).status).toBe(200);
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  const published = async (code = 'fitness_good_rate'): Promise<Published[]> =>
    ((await visitor.req('GET', `/api/feedback?subject_type=indicator&subject_code=${code}`)).body.items as Published[]);

  it('a posted message is not public until a moderator approves it; then it is published masked, with the reply', async () => {
    const text = '体质优良率的分母是否包含免测学生？我的电话13812345678，邮箱 parent@example.com';
    const posted = await visitor.req('POST', '/api/feedback', { subject_type: 'indicator', subject_code: 'fitness_good_rate', message: text, contact: '王女士 13812345678', lang: 'zh' });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ state: 'pending' });
    const id = posted.body.id as number;
    expect(await published()).toEqual([]);

    // The moderator sees the text as written and as it would be published, and the contact.
    const queue = await city.req('GET', '/api/workspace/feedback?state=pending');
    expect(queue.status).toBe(200);
    const item = (queue.body.items as Array<{ id: number; message: string; published_message: string; contact: string }>).find((x) => x.id === id);
    expect(item?.message).toBe(text);
    expect(item?.published_message).not.toContain('13812345678');
    expect(item?.published_message).not.toContain('parent@example.com');
    expect(item?.contact).toBe('王女士 13812345678');

    const approved = await city.req('POST', `/api/workspace/feedback/${id}/moderate`, { decision: 'approve', reply: '免测学生不计入分母，见指标说明。' });
    expect(approved.status).toBe(200);
    const pub = await published();
    expect(pub.map((p) => p.id)).toEqual([id]);
    expect(pub[0]?.reply).toBe('免测学生不计入分母，见指标说明。');
    expect(pub[0]?.message).toContain('【电话已隐去】');
    expect(pub[0]?.message).toContain('【邮箱已隐去】');
    // Nothing personal leaves the queue: not the number, not the contact.
    const raw = (await visitor.req('GET', '/api/feedback?subject_type=indicator&subject_code=fitness_good_rate')).body;
    expect(JSON.stringify(raw)).not.toMatch(/13812345678|parent@example\.com|王女士/);
    // A second decision on the same message is refused.
    expect(errorCode(await city.req('POST', `/api/workspace/feedback/${id}/moderate`, { decision: 'reject' }))).toBe('E_STATE');
  });

  it('a rejected message never appears; moderation is audited and the chain verifies', async () => {
    const posted = await visitor.req('POST', '/api/feedback', { subject_type: 'indicator', subject_code: 'myopia_rate', message: '广告：代写论文' });
    expect(posted.status).toBe(201);
    expect((await city.req('POST', `/api/workspace/feedback/${posted.body.id as number}/moderate`, { decision: 'reject' })).status).toBe(200);
    expect(await published('myopia_rate')).toEqual([]);
    const events = await store.db.selectFrom('audit_event').select(['action', 'object_id']).where('object_type', '=', 'feedback').execute();
    expect(events.map((e) => e.action).sort()).toEqual(['feedback.approve', 'feedback.reject']);
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it('only the city moderates: a district reviewer and an anonymous visitor are refused', async () => {
    const district = new Client(app, clock);
    expect((await district.login('district_a')).status).toBe(200);
    expect((await district.req('GET', '/api/workspace/feedback')).status).toBe(403);
    expect((await visitor.req('GET', '/api/workspace/feedback')).status).toBe(401);
  });

  it('markup, an unknown indicator, an empty or oversize message are 400 naming the field', async () => {
    // A fresh address each time: the throttle allows five posts per address.
    const bad = async (body: Record<string, unknown>) => new Client(app, clock).req('POST', '/api/feedback', { subject_type: 'indicator', subject_code: 'fitness_good_rate', message: 'ok', ...body });
    const html = await bad({ message: '<img src=x onerror=alert(1)>' });
    expect(html.status).toBe(400);
    expect(JSON.stringify(html.body)).toContain('body.message');
    expect((await bad({ subject_code: 'no_such_indicator' })).status).toBe(400);
    expect((await bad({ message: '' })).status).toBe(400);
    expect((await bad({ message: '长'.repeat(2001) })).status).toBe(400);
    // A body beyond 16 KiB is refused before it is parsed.
    expect((await bad({ message: 'x'.repeat(20_000) })).status).toBe(413);
  });

  it('an 11th feedback post from one address within a minute gets 429 (the rule lets five through per ten minutes)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/feedback', remoteAddress: '198.51.100.99', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ subject_type: 'site', subject_code: 'portal', message: `第 ${i + 1} 条` }) });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses[10]).toBe(429);
    // Another address is not affected.
    const other = await app.inject({ method: 'POST', url: '/api/feedback', remoteAddress: '198.51.100.98', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ subject_type: 'site', subject_code: 'portal', message: 'hello' }) });
    expect(other.statusCode).toBe(201);
  });

  it('announcements (city only) appear in the news list and the Atom feed, text escaped', async () => {
    const ann = { title_zh: '关于发布2023学年数据的说明', title_en: 'About the 2023 figures', body_zh: '数据 <含> 修订 & 说明', body_en: 'Figures <with> revisions & notes' };
    const district = new Client(app, clock);
    expect((await district.login('district_b')).status).toBe(200);
    expect((await district.req('POST', '/api/workspace/announcements', ann)).status).toBe(403);
    expect((await city.req('POST', '/api/workspace/announcements', ann)).status).toBe(201);
    const news = (await visitor.req('GET', '/api/news')).body.items as Array<{ kind: string; title_zh: string }>;
    expect(news.some((n) => n.kind === 'announcement' && n.title_zh === ann.title_zh)).toBe(true);
    const feed = await app.inject({ method: 'GET', url: '/api/news.atom?lang=en' });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect(feed.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    expect(feed.body).toContain('<title type="text">About the 2023 figures</title>');
    expect(feed.body).toContain('Figures &lt;with&gt; revisions &amp; notes');
    expect(feed.body).not.toContain('<with>');
  });

  it('site search: Chinese, English, code and pinyin initials over indicators, districts and schools; an empty query is 400', async () => {
    const hits = async (q: string) => ((await visitor.req('GET', `/api/search?q=${encodeURIComponent(q)}`)).body.hits as Array<{ kind: string; id: string; link: string }>);
    expect((await hits('巩固'))[0]).toMatchObject({ kind: 'indicator', id: 'compulsory_retention_rate', link: '/indicators/compulsory_retention_rate' });
    expect((await hits('MYOPIA'))[0]?.id).toBe('myopia_rate');
    expect((await hits('hpq')).map((h) => h.id)).toContain('120101');
    expect((await hits('和平 二小')).map((h) => `${h.kind}:${h.id}`)).toEqual(['school:1201010002']);
    expect((await hits('河东一小'))[0]).toMatchObject({ kind: 'school', link: '/districts/120102' });
    expect((await visitor.req('GET', '/api/search?q=')).status).toBe(400);
  });
});
