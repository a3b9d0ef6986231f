/**
 * The public progress API in process (app.inject) on the hand-made fixture
 * (test/storage/indicators.fixture.ts: 2 districts, a few schools, 2020 and 2023),
 * and `eduplan progress --json` printing the same array.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { buildApp } from '../../src/server/app.ts';
import { recomputeIndicators } from '../../src/services/indicators.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { B, CITY, fixturePlanIndicators, loadReleasedFixture, releaseFixture, S } from '../storage/indicators.fixture.ts';

interface Item { code: string; value: number | null; status: string; suppressed: boolean; year: number | null; met: boolean | null; ratio: number | null; explanation: { text_zh: string; inputs: unknown[] }; release: { version: number; revised: boolean } | null }

describe('progress API', () => {
  let dir: string;
  let store: Store | null;
  let app: FastifyInstance | null;
  let cityBody = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eduplan-progress-'));
    store = await openStore({ dataDir: dir });
    await loadReleasedFixture(store);
    app = await buildApp({ store, clock: () => new Date('2026-01-01T00:00:00Z'), config: { demo: false, pseudonymKey: 'test', maxUploadBytes: 1 << 20 } });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (url: string): Promise<{ status: number; json: unknown; body: string }> => {
    const r = await app!.inject({ method: 'GET', url });
    return { status: r.statusCode, json: r.json(), body: r.body };
  };

  it('GET /api/progress defaults to the latest year and the city, one item per plan indicator', async () => {
    const r = await get('/api/progress');
    expect(r.status).toBe(200);
    cityBody = r.body;
    const items = r.json as Item[];
    expect(items.map((i) => i.code)).toEqual(fixturePlanIndicators.map((p) => p.code));
    const fit = items.find((i) => i.code === 'fitness_good_rate');
    // (6+9+10+2+4+1)/(30+30+40+5+20+3) = 32/128
    expect(fit?.value).toBeCloseTo(25, 5);
    expect(fit).toMatchObject({ year: 2023, status: 'limited' });
    expect(fit?.explanation.inputs.length).toBeGreaterThan(0);
    const retention = items.find((i) => i.code === 'compulsory_retention_rate');
    expect(retention).toMatchObject({ status: 'off_track', met: false });
    expect((await get('/api/progress?year=2023')).body).toBe(r.body);
  });

  it('a district, and 2020 (only the baseline year: reach targets cannot be assessed yet)', async () => {
    const items = (await get(`/api/progress?org=${B}`)).json as Item[];
    // B 2023: (36 + 66)/110 children per 3–5-year-old
    expect(items.find((i) => i.code === 'preschool_gross_enrolment_rate')?.value).toBeCloseTo((102 / 110) * 100, 5);
    const y2020 = (await get('/api/progress?year=2020')).json as Item[];
    expect(y2020.find((i) => i.code === 'fitness_good_rate')).toMatchObject({ value: null, status: 'insufficient_data' });
    expect(y2020.find((i) => i.code === 'preschool_gross_enrolment_rate')).toMatchObject({ value: 90, year: 2020, status: 'insufficient_data' });
  });

  it('suppressed cells carry no numbers anywhere', async () => {
    const items = (await get('/api/progress')).json as Item[];
    expect(items.find((i) => i.code === 'wireless_coverage_rate')).toMatchObject({ suppressed: true, value: null, ratio: null });
    const d = (await get('/api/indicators/wireless_coverage_rate/districts?year=2023')).json as Array<{ org_code: string; value: number | null; suppressed: boolean; numerator: number | null }>;
    // The units directly under the root, as stored (the fixture's two districts), not a constant list of 16.
    const stored = (await get('/api/org-units?level=district')).json as Array<{ code: string }>;
    expect(d.map((x) => x.org_code)).toEqual(stored.map((x) => x.code));
    expect(d.find((x) => x.org_code === B)).toMatchObject({ suppressed: true, value: null, numerator: null });
    const school = (await get(`/api/progress?org=${S.NB2}`)).json as Item[];
    expect(school.find((i) => i.code === 'large_class_share')).toMatchObject({ suppressed: true, value: null });
  });

  it('series: every year, numerator and denominator, and the expected-by-now trajectory', async () => {
    const r = await get('/api/indicators/preschool_gross_enrolment_rate/series');
    expect(r.status).toBe(200);
    const s = r.json as { points: Array<{ year: number; value: number; numerator: number; denominator: number }>; trajectory: Array<{ year: number; value: number }> };
    expect(s.points).toEqual([
      { year: 2020, value: 90, numerator: 180, denominator: 200, suppressed: false, release: { id: 1, version: 1, released_at: '2026-02-01T08:00:00.000Z', revised: false } },
      { year: 2023, value: expect.closeTo((210 / 230) * 100, 5), numerator: 210, denominator: 230, suppressed: false, release: { id: 2, version: 1, released_at: '2026-02-01T08:00:00.000Z', revised: false } },
    ]);
    // 92.3 → 93 over 2020–2025: +0.14 a year
    expect(s.trajectory.map((p) => p.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025]);
    expect(s.trajectory[3]?.value).toBeCloseTo(92.72, 9);
  });

  it('bad requests get located bilingual errors', async () => {
    const bad = await get('/api/progress?year=20x3');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'E_INPUT_INVALID', problems: [{ path: 'query.year' }] } });
    const unknownOrg = await get('/api/progress?org=129999');
    expect(unknownOrg.status).toBe(404);
    expect(unknownOrg.json).toMatchObject({ error: { code: 'E_ORG_UNKNOWN', message_zh: expect.any(String), message_en: expect.any(String) } });
    expect((await get('/api/indicators/no_such_indicator/series')).status).toBe(404);
    expect((await get('/api/progress?extra=1')).status).toBe(400);
  });

  it('GET /api/org-units filters by level and parent', async () => {
    const d = (await get('/api/org-units?level=district')).json as Array<{ code: string }>;
    expect(d.map((x) => x.code)).toEqual(['120101', '120116']);
    const kids = (await get(`/api/org-units?parent=${B}`)).json as Array<{ code: string; school_type: string }>;
    expect(kids).toHaveLength(5);
    // Levels are data (org_level): a level this region does not have lists nothing; a malformed one is refused.
    expect((await get('/api/org-units?level=province')).json).toEqual([]);
    expect((await get('/api/org-units?level=Province!')).status).toBe(400);
  });

  it('GET /api/org-units?code= returns that one org unit (the workspace asks for its school only)', async () => {
    const kids = (await get(`/api/org-units?parent=${B}`)).json as Array<{ code: string }>;
    const one = kids[2]?.code ?? '';
    const r = (await get(`/api/org-units?level=school&code=${one}`)).json as Array<{ code: string; parent_code: string }>;
    expect(r).toEqual([expect.objectContaining({ code: one, parent_code: B })]);
    expect((await get('/api/org-units?code=9999999999')).json).toEqual([]);
    expect((await get('/api/org-units?code=12a')).status).toBe(400);
  });

  it('the routes are documented in /api/openapi.json', async () => {
    const doc = (await get('/api/openapi.json')).json as { paths: Record<string, unknown> };
    for (const p of ['/api/progress', '/api/indicators/{code}/series', '/api/indicators/{code}/districts', '/api/org-units']) expect(doc.paths[p]).toBeDefined();
  });

  it('a recompute changes nothing public; the next release does, marked as a revision (the cache is refreshed, not stale)', async () => {
    const before = (await get('/api/progress')).json as Item[];
    expect(before.find((i) => i.code === 'public_kindergarten_share')?.value).toBeCloseTo((138 / 210) * 100, 5);
    // KB2 (public, B) gains 6 children in 2023: public (72 + 72) of all (72 + 36 + 36 + 72)
    await store!.db.updateTable('data_value').set({ value: 17 }).where('org_code', '=', S.KB2).where('year', '=', 2023).where('element', '=', 'enrol.k1.m').execute();
    await recomputeIndicators(store!, { years: [2023], balancedVerdicts: async (_s, year) => (year === 2023 ? { passing: 4, total: 16 } : null) });
    const unreleased = (await get('/api/progress')).json as Item[];
    expect(unreleased.find((i) => i.code === 'public_kindergarten_share')?.value).toBeCloseTo((138 / 210) * 100, 5);
    await releaseFixture(store!, [2023]);
    const r = await get('/api/progress');
    cityBody = r.body;
    const item = (r.json as Item[]).find((i) => i.code === 'public_kindergarten_share');
    expect(item?.value).toBeCloseTo((144 / 216) * 100, 5);
    expect(item?.release).toMatchObject({ version: 2, revised: true });
    // An unchanged figure of the same release is not marked.
    expect((r.json as Item[]).find((i) => i.code === 'large_class_share')?.release).toMatchObject({ version: 2, revised: false });
  }, 60_000);

  it('`eduplan progress --json --released` prints the same array as the API', async () => {
    await app?.close();
    app = null;
    await store?.close();
    store = null;
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => { text += c.toString(); });
    const code = await main(['progress', '--json', '--released'], { stdout: out, stderr: err, stdin: new PassThrough(), env: { EDUPLAN_DATA_DIR: dir }, cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(text)).toEqual(JSON.parse(cityBody));
    expect(CITY).toBe('120000');
  }, 60_000);
});
