/**
 * GET /api/districts/:code/assessments over HTTP: public (no session), certified results only,
 * and a bad or unknown district code answered with the catalogue's error naming it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.ts';
import { Client, errorCode, fakeClock, makeApp, org, seedOrgs } from './submissions.fixture.ts';

describe('public district assessments (督导评估公开)', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2025-06-30T02:00:00Z');
  let visitor: Client;

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    const step = (district: string, action: 'self_evaluate' | 'city_assess' | 'submit' | 'certify', on_date: string) => ({
      kind: 'balanced' as const, district_code: district, year: 2023, action, on_date, state_after: action, actor: 'test', comment: '',
      item_comments: '{}', verdict: JSON.stringify({ verdict: 'pass' }), recorded_at: '2025-01-01T00:00:00Z',
    });
    await store.db.insertInto('assessment_event').values([
      step(org.districtA, 'self_evaluate', '2024-03-01'), step(org.districtA, 'city_assess', '2024-04-01'),
      step(org.districtA, 'submit', '2024-05-01'), step(org.districtA, 'certify', '2025-03-28'),
      step(org.districtB, 'self_evaluate', '2024-03-01'), step(org.districtB, 'city_assess', '2024-04-01'), step(org.districtB, 'submit', '2024-05-01'),
    ]).execute();
    app = await makeApp(store, clock);
    visitor = new Client(app, clock);
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('answers without a session with the certified assessment only', async () => {
    const a = await visitor.req('GET', `/api/districts/${org.districtA}/assessments`);
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ district: org.districtA, items: [{ kind: 'balanced', year: 2023, self_evaluated_on: '2024-03-01', city_assessed_on: '2024-04-01', submitted_on: '2024-05-01', certified_on: '2025-03-28', verdict: 'pass' }] });
    const b = await visitor.req('GET', `/api/districts/${org.districtB}/assessments`);
    expect(b.status).toBe(200);
    expect(b.body).toEqual({ district: org.districtB, items: [] });
  });

  it('a malformed code is a 400 naming the parameter; a code that is no Tianjin district is E_ORG_UNKNOWN', async () => {
    const bad = await visitor.req('GET', '/api/districts/12a101/assessments');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('code');
    const unknown = await visitor.req('GET', '/api/districts/129999/assessments');
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown)).toBe('E_ORG_UNKNOWN');
  });
});
