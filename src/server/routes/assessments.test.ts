/**
 * /api/assessments over HTTP, in process: the contract shape, who may read and write, and
 * that GET /api/assessments/balanced gives each level in the `assess balanced --input` shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../store/store.ts';
import { Client, errorCode, fakeClock, makeApp, org, seedAccounts, seedOrgs } from '../../../test/http/submissions.fixture.ts';

const keys = ['teachers_above_required_per_100', 'backbone_teachers_per_100', 'pe_arts_teachers_per_100', 'teaching_aux_area_per_student', 'sports_area_per_student', 'equipment_value_per_student', 'multimedia_classrooms_per_100'];

describe('/api/assessments', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-20T02:00:00Z');
  const c: Record<string, Client> = {};

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    const v = (code: string, element: string, value: number) => ({ org_code: code, year: 2023, element, value, source: 'test' });
    const school = (code: string, pupils: number, equip: number) => [
      v(code, 'enrol.g1.m', pupils), v(code, 'teachers.above_required', pupils * 0.05), v(code, 'teachers.backbone', pupils * 0.012), v(code, 'teachers.pe_arts', pupils * 0.01),
      v(code, 'area.teaching_aux_m2', pupils * 5), v(code, 'area.sports_m2', pupils * 8), v(code, 'equipment.value_yuan', equip), v(code, 'rooms.multimedia', pupils * 0.025),
    ];
    await store.db.insertInto('data_value').values([...school(org.schoolA1, 400, 1_000_000), ...school(org.schoolA2, 800, 1_700_000)]).execute();
    app = await makeApp(store, clock);
    for (const u of ['district_a', 'district_b', 'city']) {
      c[u] = new Client(app, clock);
      expect((await (c[u] as Client).login(u)).status, u).toBe(200);
    }
    c.nobody = new Client(app, clock);
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('serves the criteria with sources to anyone', async () => {
    const r = await (c.nobody as Client).req('GET', '/api/assessments/criteria');
    expect(r.status).toBe(200);
    expect((r.body.balanced as { indicators: Array<{ confidence: string }> }).indicators).toHaveLength(7);
  });

  it('refuses an anonymous reader and a reviewer of another district', async () => {
    const url = `/api/assessments/balanced?district=${org.districtA}&year=2023`;
    const anon = await (c.nobody as Client).req('GET', url);
    expect(anon.status).toBe(401);
    const other = await (c.district_b as Client).req('GET', url);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body)).not.toContain('1700000');
  });

  it('returns both levels in the --input contract shape for the district reviewer', async () => {
    const r = await (c.district_a as Client).req('GET', `/api/assessments/balanced?district=${org.districtA}&year=2023`);
    expect(r.status).toBe(200);
    const levels = r.body.levels as Record<string, { level: string; indicators: Record<string, { threshold: number; cv: number | null; cv_limit: number; cv_pass: boolean }>; schools: Array<{ code: string; values: Record<string, number>; met: number; pass: boolean }>; schools_pass: boolean; cv_pass: boolean; pass: boolean }>;
    const p = levels.primary;
    expect(Object.keys(p?.indicators ?? {})).toEqual(keys);
    expect(p?.schools.map((s) => s.code)).toEqual([org.schoolA1, org.schoolA2]);
    // 2500 and 2125 yuan per pupil, both ≥ 2000: every school passes.
    expect(p?.schools.every((s) => s.pass && s.met === 7)).toBe(true);
    expect(p?.indicators.equipment_value_per_student?.cv_pass).toBe(true);
    expect(levels.junior?.schools).toEqual([]);
    expect(levels.junior?.pass).toBe(false);
    expect(r.body.verdict).toBe('fail');
  });

  it('evaluates a district given directly, same shape as the CLI', async () => {
    const doc = { level: 'junior', schools: [{ code: 'X', enrolment: 500, teachers_above_required: 26.5, backbone_teachers: 5, pe_arts_teachers: 4.5, teaching_aux_area_m2: 2900, sports_area_m2: 5100, equipment_value_yuan: 1_250_000, multimedia_classrooms: 12 }] };
    const r = await (c.district_a as Client).req('POST', '/api/assessments/balanced/evaluate', doc);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ level: 'junior', schools_pass: true, cv_pass: true, pass: true });
    const bad = await (c.district_a as Client).req('POST', '/api/assessments/balanced/evaluate', { level: 'junior', schools: [{ code: 'X' }] });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('E_INPUT_INVALID');
  });

  it('lets the district self-evaluate but only the city assess', async () => {
    const base = `/api/assessments/balanced/${org.districtA}/2023/workflow`;
    const self = await (c.district_a as Client).req('POST', base, { action: 'self_evaluate', on_date: '2024-03-01' });
    expect(self.status).toBe(200);
    expect(self.body.state).toBe('self_evaluated');
    const denied = await (c.district_a as Client).req('POST', base, { action: 'city_assess', on_date: '2024-04-01' });
    expect(denied.status).toBe(403);
    const city = await (c.city as Client).req('POST', base, { action: 'city_assess', on_date: '2024-04-01', item_comments: { 'gov.03': '音乐教室面积不足' } });
    expect(city.status).toBe(200);
    const submit = await (c.city as Client).req('POST', base, { action: 'submit', on_date: '2024-05-01' });
    expect(submit.status).toBe(409);
    expect(errorCode(submit)).toBe('E_ASSESSMENT_WORKFLOW');
  });
});
