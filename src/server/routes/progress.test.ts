/**
 * Conditional GET on the public progress API: every response carries a strong ETag of
 * its bytes; If-None-Match with that tag gets 304 and no body; after a recompute that
 * changes the figures the tag changes, so a portal that revalidates sees the new values.
 * Content coding: a browser's Accept-Encoding gets the same JSON compressed (brotli, or
 * gzip), with its own ETag and `vary: accept-encoding`; no Accept-Encoding gets identity.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { recomputeIndicators } from '../../services/indicators.ts';
import { publicFiguresCache } from '../figures-cache.ts';
import { openStore, type Store } from '../../store/store.ts';
import { addOneGoodStudent, fixtureBalancedVerdicts, loadFixture, loadFixturePlan, releaseFixture } from '../../../test/storage/indicators.fixture.ts';

describe('progress API: ETag and 304', () => {
  let store: Store;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await loadFixture(store);
    await loadFixturePlan(store);
    await recomputeIndicators(store, { balancedVerdicts: fixtureBalancedVerdicts });
    await releaseFixture(store);
    app = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config: { demo: false, pseudonymKey: 'test', maxUploadBytes: 1 << 20 } });
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); });

  for (const url of ['/api/progress', '/api/progress?org=120101', '/api/indicators/fitness_good_rate/series', '/api/indicators/fitness_good_rate/districts']) {
    it(`${url}: 200 with an ETag, then 304 without a body for that tag`, async () => {
      const first = await app.inject({ method: 'GET', url });
      expect(first.statusCode).toBe(200);
      const tag = first.headers.etag;
      expect(typeof tag).toBe('string');
      expect(String(tag)).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers['cache-control']).toBe('no-cache');
      const again = await app.inject({ method: 'GET', url, headers: { 'if-none-match': String(tag) } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      // A list of tags, or the weak form of the same tag, also matches (RFC 9110 §13.1.2: weak comparison).
      expect((await app.inject({ method: 'GET', url, headers: { 'if-none-match': `"other", W/${String(tag)}` } })).statusCode).toBe(304);
      // Any other tag: the full body again, identical bytes.
      const stale = await app.inject({ method: 'GET', url, headers: { 'if-none-match': '"not-this-one"' } });
      expect(stale.statusCode).toBe(200);
      expect(stale.body).toBe(first.body);
      expect(stale.headers.etag).toBe(tag);
    });
  }

  it('different responses have different tags', async () => {
    const a = await app.inject({ method: 'GET', url: '/api/progress' });
    const b = await app.inject({ method: 'GET', url: '/api/progress?org=120101' });
    expect(a.body).not.toBe(b.body);
    expect(a.headers.etag).not.toBe(b.headers.etag);
  });

  it('a recompute that changes a figure changes the tag: the old tag gets the new body, not 304', async () => {
    const before = await app.inject({ method: 'GET', url: '/api/indicators/fitness_good_rate/series' });
    const oldTag = String(before.headers.etag);
    // One more student rated good at a school in 2023 changes the city's 体质健康优良率.
    await addOneGoodStudent(store);
    const after = await app.inject({ method: 'GET', url: '/api/indicators/fitness_good_rate/series', headers: { 'if-none-match': oldTag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(oldTag);
    expect(after.body).not.toBe(before.body);
  });

  describe('content coding', () => {
    const BROWSER = 'gzip, deflate, br';
    const decode = { identity: (b: Buffer) => b, gzip: gunzipSync, br: brotliDecompressSync } as const;
    const codings = [
      { name: 'identity', accept: undefined, encoding: undefined },
      { name: 'gzip', accept: 'gzip, deflate', encoding: 'gzip' },
      { name: 'br', accept: BROWSER, encoding: 'br' },
    ] as const;
    const getAs = (url: string, accept: string | undefined, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url, headers: accept === undefined ? headers : { ...headers, 'accept-encoding': accept } });

    for (const url of ['/api/progress', '/api/progress?org=120101', '/api/indicators/fitness_good_rate/series', '/api/indicators/fitness_good_rate/districts']) {
      it(`${url}: every coding decodes to exactly the uncompressed bytes, each with its own ETag and 304`, async () => {
        const plain = await getAs(url, undefined);
        expect(plain.statusCode).toBe(200);
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
        const tags = new Set<string>();
        for (const c of codings) {
          const res = await getAs(url, c.accept);
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-encoding']).toBe(c.encoding);
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(res.headers.vary).toBe('accept-encoding');
          expect(res.headers['cache-control']).toBe('no-cache');
          expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
          expect(decode[c.name](res.rawPayload).equals(plain.rawPayload)).toBe(true);
          if (c.name !== 'identity') expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length);
          const tag = String(res.headers.etag);
          expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
          tags.add(tag);
          // Revalidation in the same coding: 304, no body, and the headers a cache needs.
          const again = await getAs(url, c.accept, { 'if-none-match': tag });
          expect(again.statusCode).toBe(304);
          expect(again.rawPayload.length).toBe(0);
          expect(again.headers.etag).toBe(tag);
          expect(again.headers.vary).toBe('accept-encoding');
        }
        expect(tags.size).toBe(3);
      });
    }

    it("one coding's ETag does not validate another coding's bytes", async () => {
      const br = await getAs('/api/progress', BROWSER);
      const gz = await getAs('/api/progress', 'gzip');
      const plain = await getAs('/api/progress', undefined, { 'if-none-match': String(br.headers.etag) });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const gzAgain = await getAs('/api/progress', 'gzip', { 'if-none-match': String(br.headers.etag) });
      expect(gzAgain.statusCode).toBe(200);
      expect(gzAgain.headers.etag).toBe(gz.headers.etag);
      expect(gzAgain.rawPayload.equals(gz.rawPayload)).toBe(true);
    });

    it('errors are unchanged: a bad query is a 400 JSON error whatever the Accept-Encoding', async () => {
      for (const accept of [undefined, BROWSER]) {
        const res = await getAs('/api/progress?year=abc', accept);
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-encoding']).toBeUndefined();
        expect((res.json() as { error: { code: string } }).error.code).toBe('E_INPUT_INVALID');
        const unknown = await getAs('/api/progress?org=129999', accept);
        expect(unknown.statusCode).toBe(404);
        expect(unknown.headers['content-encoding']).toBeUndefined();
        expect((unknown.json() as { error: { code: string } }).error.code).toBe('E_ORG_UNKNOWN');
      }
    });

    it('a recompute replaces every coding: the new bytes are served in each, under new tags', async () => {
      const url = '/api/progress?org=120101';
      const before = await Promise.all(codings.map((c) => getAs(url, c.accept)));
      await addOneGoodStudent(store);
      const plainAfter = await getAs(url, undefined);
      expect(plainAfter.rawPayload.equals(before[0]?.rawPayload ?? Buffer.alloc(0))).toBe(false);
      for (const [i, c] of codings.entries()) {
        const old = before[i];
        if (!old) throw new Error('missing response');
        const after = await getAs(url, c.accept, { 'if-none-match': String(old.headers.etag) });
        expect(after.statusCode).toBe(200);
        expect(after.headers['content-encoding']).toBe(c.encoding);
        expect(after.headers.etag).not.toBe(old.headers.etag);
        expect(decode[c.name](after.rawPayload).equals(plainAfter.rawPayload)).toBe(true);
      }
    });

    it('concurrent first requests share one build of a response', async () => {
      const figures = publicFiguresCache(store);
      const [a, b] = await Promise.all([figures.progress({ org: '120116', year: 2020 }), figures.progress({ org: '120116', year: 2020 })]);
      expect(a).toBe(b);
      expect(await figures.progress({ org: '120116', year: 2020 })).toBe(a);
    });
  });
});
