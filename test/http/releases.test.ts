/**
 * Release control over HTTP, in process: approved data are provisional (the workspace sees
 * them, the public does not) until the city releases the year; releasing needs the
 * completeness threshold or an audited reason; a second release is a new version with the
 * changed cells marked, and the first stays downloadable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../src/store/store.ts';
import { verifyAudit } from '../../src/services/audit.ts';
import { Client, errorCode, fakeClock, goodValues, makeApp, org, seedAccounts, seedOrgs } from './submissions.fixture.ts';

const signoffs = { preparer: '王芳', reviewer: '李强', head: '张校长' };
interface Item { code: string; value: number | null; year: number | null; provisional: boolean; release: { id: number; version: number; released_at: string; revised: boolean } | null }

describe('release control over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-20T02:00:00Z');
  const c: Record<string, Client> = {};

  /** A school submits its 2024 form with `classes` large classes; its district approves. */
  async function approve(school: 'school_a1' | 'school_a2' | 'school_b1', schoolCode: string, district: 'district_a' | 'district_b', largeClasses: number): Promise<Record<string, unknown>> {
    const values = { ...goodValues(), 'classes.cmp.lt46': 12 - largeClasses, 'classes.cmp.56_65': largeClasses };
    const saved = await c[school]!.req('PUT', `/api/submissions/${schoolCode}/annual.primary/2024`, { values });
    expect(saved.status).toBe(200);
    const id = (saved.body.submission as { id: number }).id;
    expect((await c[school]!.req('POST', `/api/submissions/${id}/submit`, { signoffs })).status).toBe(200);
    const r = await c[district]!.req('POST', `/api/submissions/${id}/approve`);
    expect(r.status).toBe(200);
    return r.headers;
  }
  const publicItem = async (code: string, year = 2024): Promise<Item | undefined> =>
    ((await app.inject({ method: 'GET', url: `/api/progress?year=${year}` })).json() as Item[]).find((i) => i.code === code);

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await store.db.updateTable('org_unit').set({ contact_name: '教务处 李老师', contact_phone: '022-2345 6789' }).where('code', '=', org.schoolA2).execute();
    await seedAccounts(store, clock.now);
    app = await makeApp(store, clock);
    for (const u of ['school_a1', 'school_a2', 'school_b1', 'district_a', 'district_b', 'city', 'analyst']) {
      c[u] = new Client(app, clock);
      expect((await c[u]!.login(u)).status).toBe(200);
    }
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('an approval recomputes at once: the workspace sees the provisional figure, the public sees nothing new', async () => {
    const approved = await approve('school_a1', org.schoolA1, 'district_a', 3);
    expect(approved['x-indicators']).toBe('recomputed');
    const ws = await c.city!.req('GET', '/api/workspace/progress?year=2024');
    expect(ws.status).toBe(200);
    expect(ws.headers['cache-control']).toBe('no-store');
    const large = (ws.body as unknown as Item[]).find((i) => i.code === 'large_class_share');
    expect(large).toMatchObject({ value: 25, year: 2024, provisional: true, release: null });
    // Nothing released: the public API has no figure for it.
    expect(await publicItem('large_class_share')).toMatchObject({ value: null, release: null, provisional: false });
    expect((await app.inject({ method: 'GET', url: '/api/site' })).json()).toMatchObject({ demo: false, latest_release: null });
    // The workspace view needs a role that reads progress, within its scope.
    expect((await c.school_a1!.req('GET', '/api/workspace/progress?year=2024')).status).toBe(403);
    expect((await c.district_b!.req('GET', `/api/workspace/progress?year=2024&org=${org.districtA}`)).status).toBe(403);
    expect((await c.district_a!.req('GET', `/api/workspace/progress?year=2024&org=${org.districtA}`)).status).toBe(200);
  });

  it('readiness lists completeness per form and the schools not reported, with contacts; a district sees itself only', async () => {
    const r = await c.city!.req('GET', '/api/workspace/releases/2024/readiness');
    expect(r.status).toBe(200);
    expect(r.body.forms).toEqual([expect.objectContaining({ form_code: 'annual.primary', expected: 3, reported: 1, threshold: 0.95, met: false })]);
    expect(r.body.complete).toBe(false);
    const districts = r.body.districts as Array<{ district_code: string; reported: number; expected: number; missing: Array<{ code: string; contact_name: string | null; contact_phone: string | null; submission_state: string | null }> }>;
    expect(districts.find((d) => d.district_code === org.districtA)).toMatchObject({ expected: 2, reported: 1, missing: [{ code: org.schoolA2, name_en: 'Heping No.2 Primary', contact_name: '教务处 李老师', contact_phone: '022-2345 6789', submission_state: null }] });
    expect(districts.find((d) => d.district_code === org.districtB)?.missing.map((m) => m.code)).toEqual([org.schoolB1]);
    expect(r.body.current).toBeNull();
    expect(r.body.unreleased_changes).toBe(r.body.provisional_cells);
    const d = await c.district_a!.req('GET', '/api/workspace/releases/2024/readiness');
    expect((d.body.districts as Array<{ district_code: string }>).map((x) => x.district_code)).toEqual([org.districtA]);
    // The district counts its own cells only (the district and its schools), not the city's.
    expect(d.body.provisional_cells).toBeGreaterThan(0);
    expect(d.body.provisional_cells).toBeLessThan(r.body.provisional_cells as number);
    const mine = await store.db.selectFrom('indicator_value').select((eb) => eb.fn.countAll<number>().as('n')).where('year', '=', 2024).where('org_code', 'in', [org.districtA, org.schoolA1, org.schoolA2]).executeTakeFirstOrThrow();
    expect(d.body.provisional_cells).toBe(Number(mine.n));
  });

  it('only the city releases; below the threshold it needs a reason', async () => {
    const body = { year: 2024, note: '2024学年统计数据' };
    expect((await c.district_a!.req('POST', '/api/workspace/releases', body)).status).toBe(403);
    expect((await c.analyst!.req('POST', '/api/workspace/releases', body)).status).toBe(403);
    const refused = await c.city!.req('POST', '/api/workspace/releases', body);
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe('E_RELEASE_INCOMPLETE');
    expect((refused.body.error as { problems: Array<{ path: string; message_en: string }> }).problems).toEqual([
      expect.objectContaining({ path: 'forms.annual.primary', message_en: expect.stringContaining('1 of 3 schools reported (33.3%), below the 95.0% needed') }),
    ]);
    expect(errorCode(await c.city!.req('POST', '/api/workspace/releases', { year: 2031, note: 'x' }))).toBe('E_RELEASE_EMPTY');
    expect(errorCode(await c.city!.req('POST', '/api/workspace/releases', { ...body, indicators: ['no_such_indicator'] }))).toBe('E_INPUT_INVALID');
    expect(await publicItem('large_class_share')).toMatchObject({ value: null });
  });

  it('released with a reason: the public sees the year with its release date', async () => {
    clock.advance(600_000);
    const r = await c.city!.req('POST', '/api/workspace/releases', { year: 2024, note: '2024学年统计数据（初步）', override_reason: '河东一小尚未报送，先发布已审核数据' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ year: 2024, version: 1, current: true, released_by: 'city', override_reason: '河东一小尚未报送，先发布已审核数据', changes: { revised: 0, added: 0, removed: 0 } });
    const releasedAt = clock.now.toISOString();
    expect(await publicItem('large_class_share')).toMatchObject({ value: 25, year: 2024, provisional: false, release: { version: 1, released_at: releasedAt, revised: false } });
    const site = (await app.inject({ method: 'GET', url: '/api/site' })).json() as { demo: boolean; latest_release: unknown; region: { root: { code: string; level: string }; units: Array<{ code: string }> } | null };
    expect(site).toMatchObject({ demo: false, latest_release: { year: 2024, version: 1, released_at: releasedAt } });
    // The region the pages name units from: the stored root and the units directly under it.
    const root = (await app.inject({ method: 'GET', url: '/api/org-units' })).json() as Array<{ code: string; parent_code: string | null; level: string }>;
    const top = root.find((o) => o.parent_code === null);
    expect(site.region?.root).toMatchObject({ code: top?.code, level: top?.level });
    expect(site.region?.units.map((u) => u.code)).toEqual(root.filter((o) => o.parent_code === top?.code && o.level !== 'school').map((o) => o.code));
  });

  it('a later approval stays provisional; the next release is version 2 with the changes marked, and version 1 stays downloadable', async () => {
    await approve('school_a2', org.schoolA2, 'district_a', 0);
    expect(await publicItem('large_class_share')).toMatchObject({ value: 25, release: { version: 1 } });
    const ready = await c.city!.req('GET', '/api/workspace/releases/2024/readiness');
    expect(ready.body.unreleased_changes).toBeGreaterThan(0);
    expect((ready.body.current as { version: number }).version).toBe(1);
    // 2 of 3 schools: the city lowers the primary form's threshold to 60 %, then releases without a reason.
    expect((await c.district_a!.req('PUT', '/api/workspace/release-thresholds/annual.primary', { share: 0.6 })).status).toBe(403);
    expect((await c.city!.req('PUT', '/api/workspace/release-thresholds/annual.primary', { share: 0.6 })).status).toBe(200);
    expect(errorCode(await c.city!.req('PUT', '/api/workspace/release-thresholds/annual.none', { share: 0.6 }))).toBe('E_FORM_UNKNOWN');
    clock.advance(600_000);
    const v2 = await c.city!.req('POST', '/api/workspace/releases', { year: 2024, note: '2024学年统计数据（修订）' });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, override_reason: null });
    expect((v2.body.changes as { revised: number }).revised).toBeGreaterThan(0);
    // 3 large classes of 24: 12.5 %, marked as revised.
    expect(await publicItem('large_class_share')).toMatchObject({ value: 12.5, release: { version: 2, revised: true } });

    const list = (await app.inject({ method: 'GET', url: '/api/releases?year=2024' })).json() as { releases: Array<{ id: number; version: number; current: boolean; released_by?: string }> };
    expect(list.releases.map((x) => [x.version, x.current])).toEqual([[2, true], [1, false]]);
    expect(list.releases[0]?.released_by).toBeUndefined();
    const v1 = list.releases.find((x) => x.version === 1)!;
    const csv = await app.inject({ method: 'GET', url: `/api/releases/${v1.id}/values.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('indicator,org_code,org_name_zh,org_name_en,level,year,disaggregation,value,numerator,denominator,unit,suppressed,revised,release_version,released_at');
    const cityLarge = lines.find((l) => l.startsWith(`large_class_share,${org.city},`));
    expect(cityLarge?.split(',').slice(7, 10)).toEqual(['25', '3', '12']);
    const json = (await app.inject({ method: 'GET', url: `/api/releases/${v1.id}/values.json` })).json() as { rows: Array<{ suppressed: boolean; value: number | null; numerator: number | null }> };
    expect(json.rows.length).toBe(lines.length - 1);
    // A suppressed cell is listed without numbers.
    for (const row of json.rows.filter((x) => x.suppressed)) expect([row.value, row.numerator]).toEqual([null, null]);
    expect((await app.inject({ method: 'GET', url: '/api/releases/999/values.csv' })).statusCode).toBe(404);
  });

  it('every release and threshold change is in the audit chain, which verifies', async () => {
    const events = await store.db.selectFrom('audit_event').select(['action', 'actor', 'after']).where('action', 'like', 'release.%').orderBy('seq').execute();
    expect(events.map((e) => [e.action, e.actor])).toEqual([['release.create', 'city'], ['release.threshold', 'city'], ['release.create', 'city']]);
    expect(events[0]?.after).toMatchObject({ year: 2024, version: 1, override_reason: '河东一小尚未报送，先发布已审核数据' });
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });
});
