/**
 * The centres' upload of learning events over HTTP (issue 18): a centre's account sends JSON
 * rows for its own 街镇 and the 村居 beneath it; re-sending, or a duplicate row, adds nothing;
 * a bad row is refused naming the row and column, nothing written; a centre of another
 * district is refused (403, audited); every accepted upload is in the audit chain.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { listAudit } from '../../src/services/audit.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { Client, errorCode, FAST_SCRYPT, fakeClock, makeApp, org, PASSWORD, seedAccounts, seedOrgs } from './submissions.fixture.ts';

const STREET_A = '120101001';
const COMMUNITY_A = '120101001001';
const STREET_B = '120102001';
const elder = (() => { const f = '12010119500301123'; return `${f}${idCheckChar(f)}`; })();
const row = (id: string, centre: string, extra: Partial<Record<string, string>> = {}) => ({ event_id: id, centre_code: centre, date: '2024-03-01', channel: 'course', activity: '书法课', learner_id_number: elder, ...extra });

describe('learning events over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2025-01-10T02:00:00Z');
  const c: Record<string, Client> = {};
  const events = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM learning_event`.execute(store.db)).rows[0]?.n);

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await sql`INSERT INTO org_unit (code, name_zh, level, parent_code, unit_type, service_line) VALUES
      (${STREET_A}, '劝业场街社区学校', 'street', ${org.districtA}, 'learning_centre', 'community'),
      (${COMMUNITY_A}, '某社区学习点', 'community', ${STREET_A}, 'learning_centre', 'community'),
      (${STREET_B}, '大王庄街社区学校', 'street', ${org.districtB}, 'learning_centre', 'community')`.execute(store.db);
    await seedAccounts(store, clock.now);
    await insertAccount(store.db, clock.now, { username: 'centre_a', password: PASSWORD, grants: [{ role: 'learning_reporter', orgCode: STREET_A }], scrypt: FAST_SCRYPT });
    app = await makeApp(store, clock);
    for (const u of ['centre_a', 'school_a1']) {
      c[u] = new Client(app, clock);
      expect((await c[u]!.login(u)).status).toBe(200);
    }
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('asks for a session', async () => {
    const anon = new Client(app, clock);
    expect((await anon.req('POST', '/api/learning/events', { rows: [row('A0', STREET_A)] })).status).toBe(401);
  });

  it('a centre sends rows for itself and the 村居 beneath it; a duplicate row counts once; the upload is audited', async () => {
    const rows = [row('A1', STREET_A), row('A2', COMMUNITY_A), row('A3', COMMUNITY_A), row('A4', STREET_A, { channel: 'visit', learner_id_number: '' })];
    // A3 is A2 again (the same learner, centre, activity and day, another record id).
    const r = await c.centre_a!.req('POST', '/api/learning/events', { rows });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ rows: 4, added: 3, duplicates: 1, years: [2024], file: 'api:centre_a' });
    expect(await events()).toBe(3);
    const [audit] = await listAudit(store.db, { action: 'learning.import', actor: 'centre_a', limit: 1 });
    expect(audit).toMatchObject({ outcome: 'success', object_type: 'import_batch', object_id: String(r.body.batch_id) });
    const again = await c.centre_a!.req('POST', '/api/learning/events', { rows });
    expect(again.body).toMatchObject({ added: 0, batch_id: null });
    expect(await events()).toBe(3);
  });

  it('refuses a bad row naming the row and column, and writes nothing', async () => {
    const r = await c.centre_a!.req('POST', '/api/learning/events', { rows: [row('B1', STREET_A, { date: '2024-03-02' }), row('B2', STREET_A, { date: '2024-02-30' })] });
    expect(r.status).toBe(422);
    expect(errorCode(r)).toBe('E_IMPORT_INVALID');
    expect(r.body.error).toMatchObject({ problems: [expect.objectContaining({ row: 2, column: 'date', path: 'rows[1].date', rule: 'date', value: '2024-02-30' })] });
    expect(await events()).toBe(3);
  });

  it('refuses a centre outside the account’s unit (403, audited) and a role that does not import', async () => {
    const r = await c.centre_a!.req('POST', '/api/learning/events', { rows: [row('C1', STREET_A, { date: '2024-04-01' }), row('C2', STREET_B)] });
    expect(r.status).toBe(403);
    expect(errorCode(r)).toBe('E_FORBIDDEN');
    const [denied] = await listAudit(store.db, { action: 'access.denied', actor: 'centre_a', limit: 1 });
    expect(denied).toMatchObject({ outcome: 'denied', org_code: STREET_B });
    expect((await c.school_a1!.req('POST', '/api/learning/events', { rows: [row('C3', STREET_A)] })).status).toBe(403);
    expect(await events()).toBe(3);
  });

  it('checks the request shape: no rows is E_INPUT_INVALID', async () => {
    const r = await c.centre_a!.req('POST', '/api/learning/events', { rows: [] });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe('E_INPUT_INVALID');
  });

  it('GET /api/learning-city is public and shows nothing before a release (the uploads above are provisional)', async () => {
    const anon = new Client(app, clock);
    const r = await anon.req('GET', '/api/learning-city?year=2024');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ year: 2024, release: null, figures: [], kpi8: [] });
    expect(errorCode(await anon.req('GET', '/api/learning-city?year=24'))).toBe('E_INPUT_INVALID');
  });
});
