/**
 * Plan execution over HTTP, in process: the city assigns owners; a district reports on what
 * its district owns and gets 403 (audited) for another district's task; the planning office
 * reviews; the public sees accepted reports and released figures only; every change is in the
 * audit chain, which verifies. The OpenAPI document lists the routes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { listAudit, verifyAudit } from '../../src/services/audit.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { Client, errorCode, fakeClock, makeApp, org, seedAccounts, seedOrgs } from './submissions.fixture.ts';

describe('plan execution over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2025-02-10T02:00:00Z');
  const c: Record<string, Client> = {};

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    await loadPlan(store, await readPlanDir(bundledPlanDir()), clock.fn);
    app = await makeApp(store, clock);
    for (const u of ['district_a', 'district_b', 'city', 'analyst', 'school_a1']) {
      c[u] = new Client(app, clock);
      expect((await c[u]!.login(u)).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('the city registers units and assigns owners; a district cannot', async () => {
    for (const [code, body] of [
      ['dept-basic', { name_zh: '基础教育处', name_en: 'Basic Education Division', kind: 'department', org_code: org.city }],
      ['district-a', { name_zh: '和平区教育局', name_en: 'Heping', kind: 'district', org_code: org.districtA }],
      ['district-b', { name_zh: '河东区教育局', name_en: 'Hedong', kind: 'district', org_code: org.districtB }],
    ] as const) expect((await c.city!.req('PUT', `/api/workspace/plan/units/${code}`, body)).status).toBe(200);
    const assign = { lead_unit: 'dept-basic', co_units: ['district-a', 'district-b'] };
    expect((await c.district_a!.req('PUT', '/api/workspace/plan/owners/p07_compulsory_balanced_action', assign)).status).toBe(403);
    expect((await c.city!.req('PUT', '/api/workspace/plan/owners/p07_compulsory_balanced_action', assign)).body).toMatchObject({ lead: 'dept-basic', co: ['district-a', 'district-b'], frequency: 'semiannual' });
    expect(errorCode(await c.city!.req('PUT', '/api/workspace/plan/owners/p99_nothing', assign))).toBe('E_PLAN_ITEM_UNKNOWN');
    expect(errorCode(await c.city!.req('PUT', '/api/workspace/plan/owners/p07_compulsory_balanced_action', { lead_unit: 'nobody' }))).toBe('E_INPUT_INVALID');
  });

  it('a district reviewer updating another district’s task gets 403, audited; its own report goes through', async () => {
    const report = { item: 'p07_compulsory_balanced_action', period: '2024H2', status: 'on_track', narrative_zh: '本区场馆建设按计划推进', submit: true };
    const other = await c.district_a!.req('POST', '/api/workspace/plan/reports', { ...report, unit: 'district-b' });
    expect(other.status).toBe(403);
    expect(errorCode(other)).toBe('E_FORBIDDEN');
    const [denied] = await listAudit(store.db, { action: 'access.denied', actor: 'district_a', limit: 1 });
    expect(denied).toMatchObject({ outcome: 'denied', object_type: 'plan_item', object_id: 'p07_compulsory_balanced_action', org_code: org.districtB });
    // A task its district does not own at all: 403 as well.
    expect((await c.district_a!.req('POST', '/api/workspace/plan/reports', { ...report, item: 'p19_luban_workshops', unit: 'district-a' })).status).toBe(403);
    // Schools and analysts do not report on the plan.
    expect((await c.school_a1!.req('POST', '/api/workspace/plan/reports', { ...report, unit: 'district-a' })).status).toBe(403);
    const own = await c.district_a!.req('POST', '/api/workspace/plan/reports', { ...report, unit: 'district-a' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ state: 'submitted', unit: { code: 'district-a' }, period: '2024H2' });
    // The city reviews; a district cannot.
    const id = own.body.id as number;
    expect((await c.district_b!.req('POST', `/api/workspace/plan/reports/${id}/review`, { decision: 'accept' })).status).toBe(403);
    expect((await c.city!.req('POST', `/api/workspace/plan/reports/${id}/review`, { decision: 'accept' })).body).toMatchObject({ state: 'accepted' });
  });

  it('owners see what is due; the city sees who is late', async () => {
    const due = await c.district_b!.req('GET', '/api/workspace/plan/due');
    expect(due.status).toBe(200);
    const rows = due.body.due as Array<{ item: string; unit: { code: string }; period: string; state: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.unit.code))).toEqual(new Set(['district-b']));
    expect(rows.find((r) => r.period === '2024H2')).toMatchObject({ item: 'p07_compulsory_balanced_action', state: 'missing' });
    expect((await c.district_a!.req('GET', '/api/workspace/plan/late')).status).toBe(403);
    const late = await c.city!.req('GET', '/api/workspace/plan/late');
    const units = late.body.units as Array<{ unit: { code: string }; reporting: { expected: number; received: number } }>;
    expect(units.find((u) => u.unit.code === 'district-a')?.reporting.received).toBe(1);
    expect(units.find((u) => u.unit.code === 'district-b')?.reporting.received).toBe(0);
  });

  it('the public sees accepted reports and the targets with their status and source, without a sign-in', async () => {
    const p = await app.inject({ method: 'GET', url: '/api/projects/7' });
    expect(p.statusCode).toBe(200);
    const body = p.json() as { project: { code: string; source: string }; targets: Array<{ id: string; source: string; status: string }>; reports: Array<{ state: string }> };
    expect(body.project).toMatchObject({ code: 'p07_compulsory_balanced_action', source: '专栏7' });
    expect(body.targets.map((t) => t.id)).toEqual(['sports_area_per_pupil_primary', 'sports_area_per_pupil_junior', 'new_teaching_instruments', 'p07_balanced_districts']);
    for (const t of body.targets) expect(t.source).toBe('专栏7');
    expect(body.reports.map((r) => r.state)).toEqual(['accepted']);
    const targets = (await app.inject({ method: 'GET', url: '/api/targets?year=2025' })).json() as { targets: Array<{ status: string }> };
    expect(targets.targets.length).toBe(96);
    expect((await app.inject({ method: 'GET', url: '/api/projects/99' })).statusCode).toBe(404);
  });

  it('every change is in the audit chain, which verifies; the OpenAPI document lists the routes', async () => {
    expect(await verifyAudit(store.db)).toMatchObject({ ok: true });
    const actions = (await listAudit(store.db, { limit: 200 })).map((e) => e.action);
    for (const a of ['plan.unit.save', 'plan.owner.assign', 'plan.report.submit', 'plan.report.accept', 'access.denied']) expect(actions, a).toContain(a);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['/api/targets', '/api/projects', '/api/projects/{id}', '/api/tasks', '/api/registries', '/api/workspace/registries/{id}/entries/{code}', '/api/workspace/plan/reports']) expect(doc.paths[path], path).toBeDefined();
    expect(Object.keys(doc.paths['/api/workspace/registries/{id}/entries/{code}'] ?? {}).sort()).toEqual(['delete', 'put']);
  });
});
