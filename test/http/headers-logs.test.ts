/**
 * Every answer's security headers (CSP, nosniff, frame-ancestors, Referrer-Policy, HSTS
 * behind TLS), `no-store` on signed-in answers, and bad input at the edge: an undecodable
 * session cookie, NUL and lone surrogates in JSON text, a username or a query are 400s with
 * the catalogue's message, never 500. Then the structured log: one line per request with its
 * id, every 500 with its stack, nothing secret or personal in any line.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { Client, errorCode, fakeClock, PASSWORD, seedAccounts, seedOrgs, serverDeps } from './submissions.fixture.ts';

const clock = fakeClock('2024-09-20T02:00:00Z');

function expectSecurityHeaders(h: Record<string, unknown>): void {
  expect(String(h['content-security-policy'])).toContain("frame-ancestors 'none'");
  expect(String(h['content-security-policy'])).toContain("script-src 'self'");
  expect(String(h['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe/);
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['referrer-policy']).toBe('same-origin');
}

/** A log destination that keeps each JSON line. */
function collector(): { stream: Writable; lines: Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim() !== '') { raw.push(l); lines.push(JSON.parse(l) as Record<string, unknown>); }
      cb();
    },
  });
  return { stream, lines, text: () => raw.join('\n') };
}

describe('security headers and bad input', () => {
  let store: Store;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    app = await buildApp(serverDeps(store, clock), { errorLog: () => undefined });
    app.get('/api/test/defect', async () => { throw new TypeError('boom'); });
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('public pages, the public API, errors and 404s carry CSP, nosniff and a frame-ancestors rule', async () => {
    for (const url of ['/', '/api/progress', '/api/plan', '/api/no-such-route', '/api/progress?year=abc', '/api/test/defect']) {
      const r = await app.inject({ url });
      expectSecurityHeaders(r.headers);
      // Public answers are not marked no-store (they are revalidated with their ETag).
      expect(r.headers['cache-control']).not.toBe('no-store');
    }
  });

  it('a signed-in answer carries the same headers and Cache-Control: no-store; so does the sign-in answer', async () => {
    const c = new Client(app, clock);
    const login = await c.req('POST', '/api/auth/login', { username: 'school_a1', password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const me = await c.req('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expectSecurityHeaders(me.headers);
    expect(me.headers['cache-control']).toBe('no-store');
    const subs = await c.req('GET', '/api/submissions?org=1201010001&year=2024');
    expect(subs.headers['cache-control']).toBe('no-store');
  });

  it('HSTS is sent only when the server is behind TLS', async () => {
    expect((await app.inject({ url: '/api/plan' })).headers['strict-transport-security']).toBeUndefined();
    const tls = await buildApp({ ...serverDeps(store, clock), config: { ...serverDeps(store, clock).config, tls: true } });
    try {
      expect((await tls.inject({ url: '/api/plan' })).headers['strict-transport-security']).toMatch(/^max-age=31536000; includeSubDomains$/);
    } finally { await tls.close(); }
  });

  it('a malformed session cookie is 400 E_INPUT_INVALID, not 500', async () => {
    for (const cookie of ['eduplan_session=%E0%A4%A', 'eduplan_session=%', 'a=1; eduplan_session=%zz', 'eduplan_session=abc%00def']) {
      const r = await app.inject({ url: '/api/auth/me', headers: { cookie } });
      expect(r.statusCode).toBe(400);
      expect((r.json() as { error: { code: string } }).error.code).toBe('E_INPUT_INVALID');
    }
    // Someone else's odd cookie on the same site is not our business.
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: 'other=%E0%A4%A' } })).statusCode).toBe(401);
  });

  it('NUL or a lone surrogate in JSON text or a username is a located 400, never 500', async () => {
    const c = new Client(app, clock);
    for (const username of ['school\u0000a1', 'school\ud800a1', '\udc00']) {
      const r = await c.req('POST', '/api/auth/login', { username, password: PASSWORD });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe('E_INPUT_INVALID');
      const problems = (r.body.error as { problems: Array<{ path: string; message_en: string }> }).problems;
      expect(problems[0]?.path).toBe('body.username');
    }
    // Nested, in a key, and as JSON escapes (what a client really sends).
    const raw = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json', 'x-requested-with': 'eduplan' }, payload: '{"username":"x","password":"y","extra":{"k\\u0000":["ok","\\ud83d"]}}' });
    expect(raw.statusCode).toBe(400);
    const paths = (raw.json() as { error: { problems: Array<{ path: string }> } }).error.problems.map((p) => p.path);
    expect(paths).toEqual(['body.extra.k?', 'body.extra.k\u0000.1']);
    // A valid surrogate pair (an emoji) is fine: the request goes on to the password check.
    expect(errorCode(await c.req('POST', '/api/auth/login', { username: 'school_a1😀', password: PASSWORD }))).toBe('E_AUTH_FAILED');
    const q = await app.inject({ url: '/api/progress?org=%00' });
    expect(q.statusCode).toBe(400);
  });
});

describe('structured log', () => {
  let store: Store;
  let app: FastifyInstance;
  const log = collector();
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    app = await buildApp(serverDeps(store, clock), { logger: { level: 'info', stream: log.stream }, errorLog: () => undefined });
    app.get('/api/test/defect', async () => { throw new TypeError('boom'); });
    app.post('/api/test/echo-fail', async (req) => { req.log.info({ body: req.body }, 'handler saw a body'); throw new TypeError('failed on purpose'); });
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('writes one JSON line per request with its id, method, path (no query), status and time', async () => {
    log.lines.length = 0;
    const r = await app.inject({ url: '/api/plan?secret=querytext' });
    const lines = log.lines.filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, method: 'GET', path: '/api/plan', status: r.statusCode });
    expect(typeof lines[0]?.reqId).toBe('string');
    expect(typeof lines[0]?.ms).toBe('number');
    expect(log.text()).not.toContain('querytext');
  });

  it('logs every 500 at error level with the request id the client was given, and the stack', async () => {
    log.lines.length = 0;
    const r = await app.inject({ url: '/api/test/defect' });
    expect(r.statusCode).toBe(500);
    const id = /^request (\S+)$/.exec((r.json() as { error: { detail: string } }).error.detail)?.[1];
    const err = log.lines.find((l) => l.level === 50);
    expect(err).toBeDefined();
    expect(err?.reqId).toBe(id);
    expect(err?.errorCode).toBe('E_INTERNAL');
    expect(String((err?.err as { stack?: string }).stack)).toContain('TypeError: boom');
  });

  it('passwords, TOTP codes, session cookies, student numbers and pseudonyms never reach the log', async () => {
    log.lines.length = 0;
    const c = new Client(app, clock);
    await c.req('POST', '/api/auth/login', { username: 'school_a1', password: PASSWORD });
    expect(c.cookie).toBeDefined();
    await c.req('GET', '/api/auth/me');
    await c.req('POST', '/api/auth/login', { username: 'district_a', password: 'Wrong-Password-99' });
    await c.req('POST', '/api/auth/totp', { code: '123456' });
    // A handler that logs what it was sent: the sensitive fields are redacted wherever they are.
    await app.inject({
      method: 'POST', url: '/api/test/echo-fail', headers: { 'content-type': 'application/json', cookie: `eduplan_session=${c.cookie ?? ''}` },
      payload: JSON.stringify({ password: 'P4ss-In-Body', student_no: 'G120101200801010011', records: [{ pseudonym: 'ps-77aa', totp_code: '654321' }] }),
    });
    const text = log.text();
    for (const secret of [PASSWORD, 'Wrong-Password-99', '123456', c.cookie ?? 'no-cookie', 'P4ss-In-Body', 'G120101200801010011', 'ps-77aa', '654321']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    // Still useful: the failed request is there with its status.
    expect(log.lines.some((l) => l.msg === 'request' && l.path === '/api/auth/login' && l.status === 401)).toBe(true);
  });
});
