/**
 * Evaluation reports over HTTP, in process: the workspace's narrative routes need a session and
 * the city's grant (a district gets 403, audited); a typed percentage is 422 E_REPORT_NARRATIVE
 * with the problems located; the preview renders the saved narrative; the public list is open
 * and an unknown published file is 404; the OpenAPI document lists the routes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { listAudit } from '../../src/services/audit.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { Client, errorCode, fakeClock, makeApp, seedAccounts, seedOrgs } from './submissions.fixture.ts';

describe('evaluation reports over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2026-01-10T02:00:00Z');
  const c: Record<string, Client> = {};

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    await loadPlan(store, await readPlanDir(bundledPlanDir()), clock.fn);
    app = await makeApp(store, clock);
    for (const u of ['district_a', 'city']) {
      c[u] = new Client(app, clock);
      expect((await c[u]!.login(u)).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('narratives: a session and the city grant are needed; a typed number is refused, located; a saved one is previewed filled', async () => {
    const anonymous = new Client(app, clock);
    expect((await anonymous.req('GET', '/api/workspace/reports/final/2025/narratives')).status).toBe(401);
    const district = await c.district_a!.req('PUT', '/api/workspace/reports/final/2025/narratives/summary', { text_zh: '区里写的' });
    expect(district.status).toBe(403);
    const [denied] = await listAudit(store.db, { action: 'access.denied', actor: 'district_a', limit: 1 });
    expect(denied).toMatchObject({ object_type: 'report_narrative', object_id: 'final/2025/summary' });

    const bad = await c.city!.req('PUT', '/api/workspace/reports/final/2025/narratives/summary', { text_zh: '优良率为43.9%' });
    expect(bad.status).toBe(422);
    expect(errorCode(bad)).toBe('E_REPORT_NARRATIVE');
    expect((bad.body.error as { problems: Array<{ path: string; rule: string }> }).problems).toEqual([expect.objectContaining({ path: 'text_zh:1:5', rule: 'typed_percentage' })]);
    expect(errorCode(await c.city!.req('PUT', '/api/workspace/reports/final/2025/narratives/Bad-Key', { text_zh: 'x' }))).toBe('E_INPUT_INVALID');
    expect(errorCode(await c.city!.req('PUT', '/api/workspace/reports/nope/2025/narratives/summary', { text_zh: 'x' }))).toBe('E_INPUT_INVALID');

    const ok = await c.city!.req('PUT', '/api/workspace/reports/final/2025/narratives/summary', { text_zh: '截至{{as_of}}年，规划目标{{target fitness_good_rate}}。', version: 0 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ section: 'summary', current: { version: 1, saved_by: 'city' } });
    const preview = await c.city!.req('GET', '/api/workspace/reports/final/2025/export?format=html&lang=zh');
    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toContain('text/html');
    expect(String(preview.body.raw)).toContain('截至2025年，规划目标50.0%。');
    expect(String(preview.headers['content-security-policy'])).toContain("default-src 'none'");
  });

  it('the public list is open; an unknown file is 404; the routes are documented', async () => {
    const anonymous = new Client(app, clock);
    const list = await anonymous.req('GET', '/api/reports');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ reports: [] });
    expect(errorCode(await anonymous.req('GET', '/api/reports/1/report.zh.pdf'))).toBe('E_REPORT_UNKNOWN');
    expect((await anonymous.req('GET', '/api/reports/1/secret.txt')).status).toBe(400);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['/api/reports', '/api/reports/{id}/{file}', '/api/workspace/reports/{kind}/{year}/narratives', '/api/workspace/reports/{kind}/{year}/narratives/{section}', '/api/workspace/reports/{kind}/{year}/export', '/api/workspace/reports/{kind}/{year}/publish']) expect(doc.paths[path], path).toBeDefined();
  });
});
