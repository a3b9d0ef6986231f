/**
 * The fast path for the public cached-JSON GETs (cached-json.ts), over a real socket (it sits
 * in the node:http server, so app.inject never reaches it): a repeat GET of a URL the route
 * answered is answered from the cache with the same status, headers and bytes as Fastify's
 * answer; everything else (new or invalid URLs, cache misses after a recompute, HEAD, a
 * request body, a closing server) still goes through Fastify.
 */
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { recomputeIndicators } from '../services/indicators.ts';
import { openStore, type Store } from '../store/store.ts';
import { addOneGoodStudent, fixtureBalancedVerdicts, loadFixture, loadFixturePlan, releaseFixture } from '../../test/storage/indicators.fixture.ts';

interface Raw { status: number; headers: string[]; body: Buffer }

describe('cached-JSON fast path', () => {
  let store: Store;
  let app: FastifyInstance;
  let port = 0;
  const config = { demo: false, pseudonymKey: 'test', maxUploadBytes: 1 << 20 };

  /** One request; the raw response headers without Date (the only one that differs between two answers). */
  const get = (path: string, headers: Record<string, string> = {}, opts: { method?: string; body?: string } = {}): Promise<Raw> =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]?.toLowerCase() !== 'date') h.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
          resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(opts.body);
    });

  /** Answer `path` twice; the first through Fastify, the second through the fast path. */
  const twice = async (path: string, headers: Record<string, string> = {}): Promise<[Raw, Raw]> => {
    const n = app.cachedGets.answered;
    const first = await get(path, headers);
    const second = await get(path, headers);
    expect(app.cachedGets.answered).toBe(n + 1);
    return [first, second];
  };

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await loadFixture(store);
    await loadFixturePlan(store);
    await recomputeIndicators(store, { balancedVerdicts: fixtureBalancedVerdicts });
    await releaseFixture(store);
    app = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); });

  const urls = ['/api/progress', '/api/progress?org=120101&year=2023', '/api/indicators/fitness_good_rate/series?org=120116', '/api/indicators/fitness_good_rate/districts'];
  for (const [i, url] of urls.entries()) {
    it(`${url}: the repeat answer is Fastify's, byte for byte, in every coding and for 304`, async () => {
      for (const accept of [undefined, 'gzip, deflate', 'gzip, deflate, br']) {
        // A distinct raw URL per coding (a trailing `&` or `?`), so each first request is Fastify's.
        const path = `${url}${url.includes('?') ? '&' : '?'}${'&'.repeat(i + (accept?.length ?? 0))}`;
        const headers: Record<string, string> = accept === undefined ? {} : { 'accept-encoding': accept };
        const [viaFastify, viaFastPath] = await twice(path, headers);
        expect(viaFastify.status).toBe(200);
        expect(viaFastPath.status).toBe(200);
        expect(viaFastPath.headers).toEqual(viaFastify.headers);
        expect(viaFastPath.body.equals(viaFastify.body)).toBe(true);
        const etag = viaFastify.headers.find((h) => h.startsWith('etag: '))?.slice(6) ?? '';
        expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
        // 304 on the fast path, against 304 from Fastify for a URL it has not seen.
        const fresh = `${path}&`;
        const notModifiedFastify = await get(fresh, { ...headers, 'if-none-match': etag });
        const notModifiedFast = await get(path, { ...headers, 'if-none-match': etag });
        expect(notModifiedFastify.status).toBe(304);
        expect(notModifiedFast.status).toBe(304);
        expect(notModifiedFast.headers).toEqual(notModifiedFastify.headers);
        expect(notModifiedFast.body.length).toBe(0);
      }
    });
  }

  it('an invalid or unknown query is never learned: every request gets Fastify\'s error', async () => {
    const n = app.cachedGets.answered;
    for (const path of ['/api/progress?year=abc', '/api/progress?org=129999', '/api/progress?nope=1', '/api/indicators/no_such_indicator/series']) {
      const a = await get(path, { 'accept-encoding': 'br' });
      const b = await get(path, { 'accept-encoding': 'br' });
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(b.status).toBe(a.status);
      expect(b.body.equals(a.body)).toBe(true);
      expect(JSON.parse(b.body.toString()) as unknown).toHaveProperty('error.code');
    }
    expect(app.cachedGets.answered).toBe(n);
  });

  it('HEAD and a GET with a body go to Fastify', async () => {
    await twice('/api/progress?org=120000');
    const n = app.cachedGets.answered;
    const head = await get('/api/progress?org=120000', {}, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    // (Node's client frames no body for GET by itself: the length is given.)
    const withBody = await get('/api/progress?org=120000', { 'content-type': 'text/plain', 'content-length': '1' }, { body: 'x' });
    expect(withBody.status).toBe(200);
    expect(app.cachedGets.answered).toBe(n);
  });

  it('after a recompute the learned URL misses, Fastify builds the new bytes, then the fast path serves them', async () => {
    const path = '/api/progress?org=120101';
    const [before] = await twice(path, { 'accept-encoding': 'br' });
    await addOneGoodStudent(store);
    const n = app.cachedGets.answered;
    // The recompute's prewarm may already have rebuilt this entry (districts are prewarmed); either way the bytes are new.
    const after = await get(path, { 'accept-encoding': 'br' });
    const again = await get(path, { 'accept-encoding': 'br' });
    expect(after.body.equals(before.body)).toBe(false);
    expect(again.body.equals(after.body)).toBe(true);
    expect(again.headers).toEqual(after.headers);
    expect(app.cachedGets.answered).toBeGreaterThanOrEqual(n + 1);
  });

  it('keeps working with the logger on: each fast-path answer writes the same one-line record as Fastify\'s', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write(chunk: Buffer, _e, cb) { for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>); cb(); } });
    const logged = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config }, { logger: { level: 'info', stream } });
    await logged.listen({ port: 0, host: '127.0.0.1' });
    const addr = logged.server.address();
    const saved = port;
    port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      expect(logged.cachedGets.enabled).toBe(true);
      const n = logged.cachedGets.answered;
      const first = await get('/api/progress?org=120101');
      const second = await get('/api/progress?org=120101');
      expect(logged.cachedGets.answered).toBe(n + 1);
      expect(second.headers).toEqual(first.headers);
      expect(second.headers.some((h) => h.startsWith('content-security-policy: '))).toBe(true);
      const requests = lines.filter((l) => l.msg === 'request');
      expect(requests).toHaveLength(2);
      for (const l of requests) expect(l).toMatchObject({ method: 'GET', path: '/api/progress', status: 200 });
      expect(requests[0]?.reqId).not.toBe(requests[1]?.reqId);
    } finally {
      port = saved;
      await logged.close();
    }
    // Above `info`, nothing is written per request, and the fast path still answers.
    const quiet = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config }, { logger: { level: 'warn', stream } });
    expect(quiet.cachedGets.onAnswer).toBeNull();
    await quiet.close();
    const plain = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config });
    expect(plain.cachedGets.enabled).toBe(true);
    await plain.close();
    expect(plain.cachedGets.enabled).toBe(false);
  });
});
