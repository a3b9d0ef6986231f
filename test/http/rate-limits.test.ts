/**
 * Throttling per client address (server/rate-limits.ts) and the lockout per account+address
 * (services/auth.ts), over HTTP: the acceptance — twelve wrong passwords for one
 * account from one address within a minute meet a 429, and the owner still signs in from
 * another address — then every other throttled route, the scoring batch cap and the hook
 * waiting for the feedback route.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { fakeClock, PASSWORD, seedAccounts, seedOrgs, serverDeps } from './submissions.fixture.ts';

const clock = fakeClock('2024-09-20T02:00:00Z');
const json = { 'content-type': 'application/json', 'x-requested-with': 'eduplan' };

describe('throttling and lockout per address', () => {
  let store: Store;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    app = await buildApp(serverDeps(store, clock));
    app.post('/api/feedback', async () => ({ ok: true }));
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  const post = (url: string, body: unknown, ip: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, remoteAddress: ip, headers: { ...json, ...headers }, payload: JSON.stringify(body) });

  it('twelve wrong passwords for one account from one address within a minute meet a 429; the owner signs in from another address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('/api/auth/login', { username: 'school_a1', password: `wrong-${i}` }, '198.51.100.20')).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    const limited = await post('/api/auth/login', { username: 'school_a1', password: PASSWORD }, '198.51.100.20');
    expect(limited.statusCode).toBe(429);
    expect((limited.json() as { error: { code: string } }).error.code).toBe('E_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-security-policy']).toBeDefined();
    // The account was locked for that address (five failures), not for everyone.
    const elsewhere = await post('/api/auth/login', { username: 'school_a1', password: PASSWORD }, '203.0.113.50');
    expect(elsewhere.statusCode).toBe(200);
    expect(JSON.parse(elsewhere.body)).toMatchObject({ state: 'ok' });
  });

  it('TOTP, setup and password change are throttled per address too', async () => {
    for (const [url, body, max] of [
      ['/api/auth/totp', { code: '000000' }, 10],
      ['/api/setup', { token: 'not-a-real-token', username: 'someone', password: 'x' }, 5],
      ['/api/auth/password', { current: 'a', next: 'b' }, 5],
    ] as const) {
      const statuses: number[] = [];
      for (let i = 0; i <= max; i++) statuses.push((await post(url, body, '198.51.100.30')).statusCode);
      expect(statuses.slice(0, max).includes(429), url).toBe(false);
      expect(statuses[max], url).toBe(429);
      // Another address is not affected.
      expect((await post(url, body, '198.51.100.31')).statusCode, url).not.toBe(429);
    }
  });

  it('PDF exports count apart and are allowed fewer than xlsx ones', async () => {
    const get = (format: string, ip: string) => app.inject({ url: `/api/assessments/balanced/120101/2023/export?format=${format}`, remoteAddress: ip });
    const pdf: number[] = [];
    for (let i = 0; i < 6; i++) pdf.push((await get('pdf', '198.51.100.40')).statusCode);
    expect(pdf.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(pdf[5]).toBe(429);
    expect((await get('xlsx', '198.51.100.40')).statusCode).toBe(401);
  });

  it('the public scoring endpoint: a batch over 5,000 records is refused, and requests are throttled', async () => {
    const record = { grade: 21, sex: 'male', measurements: { bmi: 19.5 } };
    const big = await post('/api/fitness/score', { records: Array.from({ length: 5001 }, () => record) }, '198.51.100.50');
    expect(big.statusCode).toBe(400);
    expect((big.json() as { error: { problems: Array<{ path: string }> } }).error.problems[0]?.path).toBe('body.records');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await post('/api/fitness/score', { records: [record] }, '198.51.100.51')).statusCode);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await post('/api/fitness/score', { records: [record] }, '198.51.100.51')).statusCode).toBe(429);
  });

  it('a route added as POST /api/feedback is throttled the moment it exists (five per ten minutes)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('/api/feedback', { text: 'hi' }, '198.51.100.60')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('public reads are not throttled', async () => {
    for (let i = 0; i < 40; i++) expect((await app.inject({ url: '/api/plan', remoteAddress: '198.51.100.70' })).statusCode).not.toBe(429);
  });
});
