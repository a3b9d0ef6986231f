/**
 * Breakdowns through the public API (issue 16): `?disaggregation=` on the series route
 * answers one series per part, from released figures under the same disclosure control,
 * and the parts of an additive breakdown add up to the total.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import type { SeriesResponse } from '../../src/contract/progress.ts';
import { A, loadReleasedFixture } from '../storage/indicators.fixture.ts';

describe('GET /api/indicators/:code/series?disaggregation=', () => {
  let store: Store;
  let app: FastifyInstance;
  const get = async (url: string) => app.inject({ method: 'GET', url });

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await loadReleasedFixture(store);
    app = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config: { demo: false, pseudonymKey: 'test', maxUploadBytes: 1 << 20 } });
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('fitness_good_rate by sex at the city: one series per sex, and each year boys + girls = the total', async () => {
    const r = await get('/api/indicators/fitness_good_rate/series?org=120000&disaggregation=sex');
    expect(r.statusCode).toBe(200);
    const s = r.json() as SeriesResponse;
    expect(s.disaggregation.map((d) => d.key)).toEqual(['sex:m', 'sex:f']);
    expect(s.breakdowns.find((b) => b.dimension === 'sex')?.additive).toBe(true);
    const withData = s.points.filter((p) => p.numerator !== null);
    expect(withData.length).toBeGreaterThan(0);
    for (const total of withData) {
      const parts = s.disaggregation.map((d) => d.points.find((p) => p.year === total.year));
      expect(parts.every((p) => p !== undefined && !p.suppressed)).toBe(true);
      expect(parts.reduce((a, p) => a + (p?.numerator ?? 0), 0)).toBeCloseTo(total.numerator ?? NaN, 6);
      expect(parts.reduce((a, p) => a + (p?.denominator ?? 0), 0)).toBeCloseTo(total.denominator ?? NaN, 6);
      // Each part carries the release it comes from, like the total.
      expect(parts.every((p) => p?.release?.version === total.release?.version)).toBe(true);
    }
  });

  it('combinations: sex,stage gives every part of both; sex:f gives that part only', async () => {
    const both = (await get('/api/indicators/fitness_good_rate/series?disaggregation=sex,stage')).json() as SeriesResponse;
    expect(both.disaggregation.map((d) => d.dimension)).toEqual(['sex', 'sex', 'stage', 'stage', 'stage']);
    const one = (await get('/api/indicators/fitness_good_rate/series?disaggregation=sex:f')).json() as SeriesResponse;
    expect(one.disaggregation.map((d) => d.key)).toEqual(['sex:f']);
  });

  it('a withheld part carries no numbers (the same disclosure control as the total)', async () => {
    // 和平 (A) has one primary school with 6 + 9 rated good: too few to publish.
    const s = (await get(`/api/indicators/fitness_good_rate/series?org=${A}&disaggregation=sex`)).json() as SeriesResponse;
    const suppressed = s.disaggregation.flatMap((d) => d.points).filter((p) => p.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const p of suppressed) expect([p.value, p.numerator, p.denominator]).toEqual([null, null, null]);
  });

  it('urban/rural on a school indicator: 义务教育巩固率 by area, rural part = the rural schools', async () => {
    const s = (await get('/api/indicators/compulsory_retention_rate/series?disaggregation=area')).json() as SeriesResponse;
    expect(s.breakdowns.map((b) => b.dimension)).toEqual(['area']);
    // Every junior-stage school of the fixture is in rural 滨海 (JB1 188/200, NB2 49/50): the rural part is the total.
    const rural = s.disaggregation.find((d) => d.key === 'area:rural')?.points.find((p) => p.year === 2023);
    const total = s.points.find((p) => p.year === 2023);
    expect(rural?.suppressed).toBe(false);
    expect([rural?.numerator, rural?.denominator]).toEqual([total?.numerator, total?.denominator]);
    expect(s.disaggregation.find((d) => d.key === 'area:urban')?.points ?? []).toEqual([]);
  });

  it('without disaggregation the answer lists the breakdowns the indicator has and no part series', async () => {
    const s = (await get('/api/indicators/fitness_good_rate/series')).json() as SeriesResponse;
    expect(s.disaggregation).toEqual([]);
    expect(s.breakdowns.map((b) => b.dimension)).toEqual(['sex', 'stage']);
  });

  it('an unknown or absent breakdown is a 400 naming it and the ones available', async () => {
    const r = await get('/api/indicators/fitness_good_rate/series?disaggregation=provider');
    expect(r.statusCode).toBe(400);
    const { error } = r.json() as { error: { code: string; problems: Array<{ path: string; value: string; message_en: string }> } };
    expect(error.code).toBe('E_INPUT_INVALID');
    expect(error.problems[0]?.path).toBe('disaggregation');
    expect(error.problems[0]?.message_en).toContain('available: sex, stage');
    expect((await get('/api/indicators/fitness_good_rate/series?disaggregation=SEX;drop')).statusCode).toBe(400);
  });
});
