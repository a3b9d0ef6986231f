import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan/schema.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import planRoutes from '../../src/server/routes/plan.ts';
import { EduplanError } from '../../src/core/errors.ts';
import { buildOpenApiDocument, type RouteDoc } from '../../src/server/openapi.ts';
import { bundledPlanDir, getCurrentPlan, getCurrentPlanVersion, getPlanVersion, listPlanVersions, loadPlan } from '../../src/services/plan.ts';
import { backends } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';

const clock = (): Date => new Date('2026-03-01T08:00:00Z');

describe.each(backends)('plan versions on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let plan: Plan;
  beforeAll(async () => {
    store = await backend.open();
    plan = await readPlanDir(bundledPlanDir());
  });
  afterAll(async () => store?.dispose());

  it('has no plan before the first load', async () => {
    expect(await getCurrentPlan(store)).toBeNull();
  });

  it('stores nothing when the plan is invalid', async () => {
    const broken = structuredClone(plan);
    broken.projects[0]!.task_area = 'nowhere';
    await expect(loadPlan(store, broken, clock)).rejects.toThrow();
    expect(await store.db.selectFrom('plan_version').selectAll().execute()).toEqual([]);
  });

  it('loads the bundled plan as version 1, and loading it again is a no-op', async () => {
    const first = await loadPlan(store, plan, clock);
    expect(first).toMatchObject({ plan_code: 'tianjin-2021-2025', version: 1, changed: true, changes: [] });
    const again = await loadPlan(store, structuredClone(plan), clock);
    expect(again).toMatchObject({ version: 1, changed: false, changes: [] });
    expect(again.content_hash).toBe(first.content_hash);
    const rows = await store.db.selectFrom('plan_version').select(['version']).execute();
    expect(rows).toEqual([{ version: 1 }]);
    const current = await getCurrentPlanVersion(store);
    expect(current?.version).toBe(1);
    expect(current?.loaded_at.toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(current?.plan).toEqual(plan);
  });

  it('a mid-term revision becomes version 2 with the change recorded', async () => {
    const revised = structuredClone(plan);
    const myopia = revised.indicators.find((i) => i.code === 'myopia_rate');
    if (!myopia) throw new Error('myopia_rate missing');
    myopia.target.value = 49;
    const r = await loadPlan(store, revised, clock);
    expect(r).toMatchObject({ version: 2, changed: true, changes: [{ path: 'indicators[myopia_rate].target.value', before: 48.5, after: 49 }] });
    expect((await getCurrentPlan(store))?.indicators.find((i) => i.code === 'myopia_rate')?.target.value).toBe(49);
    const v2 = await getCurrentPlanVersion(store);
    expect(v2?.changes).toEqual(r.changes);
    expect((await getPlanVersion(store, 'tianjin-2021-2025', 1))?.plan.indicators.find((i) => i.code === 'myopia_rate')?.target.value).toBe(48.5);
    expect((await listPlanVersions(store, 'tianjin-2021-2025')).map((v) => [v.version, v.changes])).toEqual([[2, 1], [1, 0]]);
  });

  it('a stored document the schema no longer accepts is reported as E_PLAN_INVALID, naming the version', async () => {
    const other = structuredClone(plan);
    other.code = 'other-plan';
    await loadPlan(store, other, clock);
    const row = await store.db.selectFrom('plan_version').select(['id', 'document']).where('plan_code', '=', 'other-plan').executeTakeFirstOrThrow();
    const doc = (typeof row.document === 'string' ? JSON.parse(row.document) : row.document) as Record<string, unknown>;
    delete doc.indicators;
    await store.db.updateTable('plan_version').set({ document: JSON.stringify(doc) }).where('id', '=', row.id).execute();
    await expect(getCurrentPlan(store, 'other-plan')).rejects.toMatchObject({ code: 'E_PLAN_INVALID', detail: expect.stringMatching(/version 1/) });
    await store.db.deleteFrom('plan_version').where('plan_code', '=', 'other-plan').execute();
  });

  it('GET /api/plan serves the stored plan with its indicators; ?version picks an older one', async () => {
    const app = Fastify();
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof EduplanError) return reply.status(err.status).send(err.toJSON());
      return reply.status(500).send({ error: String(err) });
    });
    await planRoutes(app, { store, clock, config: { demo: false, pseudonymKey: 'k', maxUploadBytes: 1 << 20 } });
    const res = await app.inject({ method: 'GET', url: '/api/plan' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Plan & { origin: { source: string; version: number } };
    expect(body.origin).toMatchObject({ source: 'store', version: 2 });
    expect(body.indicators).toHaveLength(20);
    expect(body.indicators[0]).toMatchObject({ code: 'preschool_gross_enrolment_rate', category: 'access', unit: '%', nature: 'expected', direction: 'up', baseline: { year: 2020, value: 92.3 }, target: { year: 2025, comparator: '>=', value: 93 } });
    const v1 = (await app.inject({ method: 'GET', url: '/api/plan?version=1' })).json() as Plan & { origin: { version: number } };
    expect(v1.origin.version).toBe(1);
    expect(v1.indicators.find((i) => i.code === 'myopia_rate')?.target.value).toBe(48.5);
    const missing = await app.inject({ method: 'GET', url: '/api/plan?version=9' });
    expect(missing.statusCode).toBe(404);
    const bad = await app.inject({ method: 'GET', url: '/api/plan?version=abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'E_INPUT_INVALID', problems: [{ path: 'query.version' }] } });
    const versions = (await app.inject({ method: 'GET', url: '/api/plan/versions' })).json() as { versions: Array<{ version: number }> };
    expect(versions.versions.map((v) => v.version)).toEqual([2, 1]);
    await app.close();
  });
});

describe('plan routes in the OpenAPI document', () => {
  it('documents GET /api/plan with its query and response schemas', async () => {
    const app = Fastify();
    const documented: Array<{ method: string; url: string; doc: RouteDoc }> = [];
    app.addHook('onRoute', (route) => {
      const doc = (route.config as { openapi?: RouteDoc } | undefined)?.openapi;
      if (doc) for (const method of [route.method].flat()) if (method !== 'HEAD') documented.push({ method, url: route.url, doc });
    });
    // The routes only touch the store when called; registering needs none.
    await planRoutes(app, { store: {} as Store, clock, config: { demo: false, pseudonymKey: 'k', maxUploadBytes: 1 } });
    const doc = buildOpenApiDocument(documented) as { paths: Record<string, { get?: { parameters: Array<{ name: string }>; responses: Record<string, unknown> } }> };
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/plan', '/api/plan/versions']);
    expect(doc.paths['/api/plan']?.get?.parameters.map((p) => p.name)).toEqual(['version']);
    expect(JSON.stringify(doc.paths['/api/plan']?.get?.responses)).toContain('indicators');
    await app.close();
  });
});
