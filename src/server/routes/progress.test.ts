/**
 * Conditional GET on the public progress API: every response carries a strong ETag of
 * its bytes; If-None-Match with that tag gets 304 and no body; after a recompute that
 * changes the figures the tag changes, so a portal that revalidates sees the new values.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { recomputeIndicators } from '../../services/indicators.ts';
import { openStore, type Store } from '../../store/store.ts';
import { S, loadFixture, loadFixturePlan } from '../../../test/storage/indicators.fixture.ts';

describe('progress API: ETag and 304', () => {
  let store: Store;
  let app: FastifyInstance;
  const balanced = async (_s: Store, year: number) => (year === 2023 ? { passing: 4, total: 16 } : null);

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await loadFixture(store);
    await loadFixturePlan(store);
    await recomputeIndicators(store, { balancedVerdicts: balanced });
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
    const row = await store.db.selectFrom('data_value').select(['element', 'value']).where('org_code', '=', S.PA1).where('year', '=', 2023).where('element', 'like', 'fitness.excellent_good.%').orderBy('element').executeTakeFirstOrThrow();
    await store.db.updateTable('data_value').set({ value: Number(row.value) + 1 }).where('org_code', '=', S.PA1).where('year', '=', 2023).where('element', '=', row.element).execute();
    await recomputeIndicators(store, { years: [2023], balancedVerdicts: balanced });
    const after = await app.inject({ method: 'GET', url: '/api/indicators/fitness_good_rate/series', headers: { 'if-none-match': oldTag } });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(oldTag);
    expect(after.body).not.toBe(before.body);
  });
});
