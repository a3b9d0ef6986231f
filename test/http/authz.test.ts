/**
 * Authorisation matrix (AC-02, AC-04, AUD-07): every endpoint of this area called as no one,
 * as the wrong school and as the wrong district. Each is refused (401/403/404), the body
 * carries nothing of the object, and the attempt is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.ts';
import { Client, errorCode, fakeClock, goodValues, makeApp, org, seedAccounts, seedOrgs, type Reply } from './submissions.fixture.ts';

const signoffs = { preparer: '王芳', reviewer: '李强', head: '张校长' };

describe('authorisation on every endpoint', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-20T02:00:00Z');
  const c: Record<string, Client> = {};
  let ids: Record<string, number>;
  let subId = 0;
  /** Values only the owner knows: must never appear in a refused answer. */
  const secret = { ...goodValues(), 'equipment.value_yuan': 987_654_321 };

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    ids = await seedAccounts(store, clock.now);
    app = await makeApp(store, clock);
    for (const u of ['school_a1', 'school_b1', 'district_a', 'district_b', 'city', 'analyst', 'sysadmin', 'secadmin', 'auditor']) {
      c[u] = new Client(app, clock);
      const r = await (c[u] as Client).login(u);
      expect(r.status, u).toBe(200);
    }
    c.nobody = new Client(app, clock);
    const r = await (c.school_a1 as Client).req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: secret });
    subId = (r.body.submission as { id: number }).id;
    await (c.school_a1 as Client).req('POST', `/api/submissions/${subId}/submit`, { signoffs });
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  const cl = (u: string): Client => c[u] as Client;
  const deniedCount = async (): Promise<number> => {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE action = 'access.denied'`.execute(store.db);
    return Number(r.rows[0]?.n ?? 0);
  };
  const refused = async (r: Promise<Reply>, statuses: number[]): Promise<Reply> => {
    const before = await deniedCount();
    const rr = await r;
    expect(statuses).toContain(rr.status);
    const text = JSON.stringify(rr.body);
    expect(text).not.toContain('987654321');
    expect(text).not.toContain('王芳');
    expect(await deniedCount()).toBeGreaterThan(before);
    return rr;
  };

  const endpoints = (): Array<[string, 'GET' | 'POST' | 'PUT', string, unknown]> => [
    ['read one', 'GET', `/api/submissions/${subId}`, undefined],
    ['history', 'GET', `/api/submissions/${subId}/history`, undefined],
    ['save draft', 'PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: goodValues() }],
    ['submit', 'POST', `/api/submissions/${subId}/submit`, { signoffs }],
    ['approve', 'POST', `/api/submissions/${subId}/approve`, undefined],
    ['return', 'POST', `/api/submissions/${subId}/return`, { reason: 'x' }],
    ['lock', 'POST', `/api/submissions/${subId}/lock`, undefined],
    ['reopen', 'POST', `/api/submissions/${subId}/reopen`, { reason: 'x' }],
  ];

  it('no one (no session): 401 everywhere, attempt audited', async () => {
    for (const [, m, url, body] of [...endpoints(), ['list', 'GET', '/api/submissions', undefined] as const, ['progress', 'GET', '/api/submissions/progress?year=2024', undefined] as const,
      ['accounts', 'GET', '/api/accounts', undefined] as const, ['audit', 'GET', '/api/audit', undefined] as const, ['deadline', 'PUT', '/api/deadlines/annual.primary/2024', { dueAt: '2024-10-15T00:00:00Z' }] as const]) {
      await refused(cl('nobody').req(m, url, body), [401]);
    }
  });

  it('the wrong school (another district): 404 on the object, nothing leaks', async () => {
    for (const [name, m, url, body] of endpoints()) {
      const r = await refused(cl('school_b1').req(m, url, body), [403, 404]);
      expect(['E_NOT_FOUND', 'E_FORBIDDEN'], name).toContain(errorCode(r));
    }
    const list = await cl('school_b1').req('GET', '/api/submissions');
    expect(list.body.submissions).toEqual([]);
  });

  it('a school user is refused every administrative and city endpoint, each attempt audited', async () => {
    const admin: Array<['GET' | 'POST' | 'PUT', string, unknown]> = [
      ['GET', '/api/accounts', undefined],
      ['POST', '/api/accounts', { username: 'mallory' }],
      ['PUT', `/api/accounts/${ids.school_b1}/grants`, { grants: [{ role: 'city_admin', orgCode: org.city }] }],
      ['PUT', `/api/accounts/${ids.school_a1}/disabled`, { disabled: true }],
      ['POST', `/api/accounts/${ids.school_a1}/unlock`, undefined],
      ['GET', '/api/audit', undefined],
      ['GET', '/api/audit/verify', undefined],
      ['POST', '/api/audit/verify', {}],
      ['POST', '/api/audit/checkpoint', undefined],
      ['PUT', '/api/deadlines/annual.primary/2024', { dueAt: '2030-01-01T00:00:00Z' }],
      ['GET', '/api/submissions/progress?year=2024', undefined],
    ];
    for (const [m, url, body] of admin) {
      const r = await refused(cl('school_b1').req(m, url, body), [403]);
      expect(errorCode(r), `${m} ${url}`).toBe('E_FORBIDDEN');
    }
  });

  it('the wrong district: cannot read, approve or return another district\'s school', async () => {
    for (const [name, m, url, body] of endpoints()) {
      const r = await refused(cl('district_b').req(m, url, body), [403, 404]);
      expect(r.status, name).not.toBe(200);
    }
    const list = await cl('district_b').req('GET', '/api/submissions?year=2024');
    expect(list.body.submissions).toEqual([]);
  });

  it('the right district sees it; an analyst reads but cannot act', async () => {
    expect((await cl('district_a').req('GET', `/api/submissions/${subId}`)).status).toBe(200);
    expect((await cl('analyst').req('GET', `/api/submissions/${subId}`)).status).toBe(200);
    await refused(cl('analyst').req('POST', `/api/submissions/${subId}/approve`), [403]);
  });

  it('separation of duties: system admin cannot read the audit log or grant roles; security admin enters no data; auditor changes nothing', async () => {
    await refused(cl('sysadmin').req('GET', '/api/audit'), [403]);
    await refused(cl('sysadmin').req('PUT', `/api/accounts/${ids.analyst}/grants`, { grants: [{ role: 'city_admin', orgCode: org.city }] }), [403]);
    await refused(cl('secadmin').req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: goodValues() }), [403]);
    await refused(cl('secadmin').req('GET', '/api/audit'), [403]);
    await refused(cl('auditor').req('POST', `/api/submissions/${subId}/approve`), [403]);
    await refused(cl('auditor').req('POST', '/api/accounts', { username: 'mallory' }), [403]);
    // The security admin cannot give themself more (privilege ceiling) …
    await refused(cl('secadmin').req('PUT', `/api/accounts/${ids.secadmin}/grants`, { grants: [{ role: 'security_admin', orgCode: org.city }, { role: 'city_admin', orgCode: org.city }] }), [403]);
    // … nor combine an admin role with a business role on someone else.
    const mix = await cl('secadmin').req('PUT', `/api/accounts/${ids.analyst}/grants`, { grants: [{ role: 'analyst', orgCode: org.city }, { role: 'audit_admin', orgCode: org.city }] });
    expect(mix.status).toBe(400);
    // The auditor reads and verifies; reading is itself audited.
    const read = await cl('auditor').req('GET', '/api/audit?limit=5');
    expect(read.status).toBe(200);
    expect((read.body.events as unknown[]).length).toBe(5);
    const v = await cl('auditor').req('GET', '/api/audit/verify');
    expect(v.body.ok).toBe(true);
    const reads = await store.db.selectFrom('audit_event').select('action').where('action', 'in', ['audit.read', 'audit.verify']).execute();
    expect(reads.length).toBe(2);
    // The auditor takes a checkpoint (a download to keep elsewhere) and verifies against it.
    const cp = await cl('auditor').req('POST', '/api/audit/checkpoint');
    expect(cp.status).toBe(200);
    expect(cp.body).toMatchObject({ format: 'eduplan-audit-checkpoint/1', keyedFrom: 1 });
    const against = await cl('auditor').req('POST', '/api/audit/verify', { checkpoint: cp.body });
    expect(against.body).toMatchObject({ ok: true, checkpoint: { seq: cp.body.seq } });
    const forged = await cl('auditor').req('POST', '/api/audit/verify', { checkpoint: { ...cp.body, seq: Number(cp.body.seq) + 1000 } });
    expect(forged.body).toMatchObject({ ok: false, firstBreak: { reason: 'checkpoint_invalid' } });
  });

  it('a revoked role takes effect on the next request (sessions of the account end)', async () => {
    const r = await cl('secadmin').req('PUT', `/api/accounts/${ids.district_a}/grants`, { grants: [] });
    expect(r.status).toBe(200);
    expect((await cl('district_a').req('GET', `/api/submissions/${subId}`)).status).toBe(401);
  });

  it('the submitter cannot approve their own submission (even holding both roles)', async () => {
    // Give school_a1 a reviewer role for its district as well: still may not approve what it submitted.
    const g = await cl('secadmin').req('PUT', `/api/accounts/${ids.school_a1}/grants`, { grants: [{ role: 'school_reporter', orgCode: org.schoolA1 }, { role: 'district_reviewer', orgCode: org.districtA }] });
    expect(g.status).toBe(200);
    const again = new Client(app, clock);
    expect((await again.login('school_a1')).status).toBe(200);
    const r = await again.req('POST', `/api/submissions/${subId}/approve`);
    expect(r.status).toBe(403);
    const s = await store.db.selectFrom('submission').select('state').where('id', '=', subId).executeTakeFirstOrThrow();
    expect(s.state).toBe('submitted');
  });
});
