/**
 * The whole cycle through HTTP, in process: a school saves and submits, its district
 * returns it with a reason, the school fixes and resubmits, the district approves (the
 * values become data_value rows), the city locks, and reopening needs a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../src/store/store.ts';
import { verifyAudit } from '../../src/services/audit.ts';
import { Client, errorCode, fakeClock, goodValues, makeApp, org, seedAccounts, seedOrgs } from './submissions.fixture.ts';

const signoffs = { preparer: '王芳', reviewer: '李强', head: '张校长' };

describe('submission workflow over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-20T02:00:00Z');
  let school: Client;
  let district: Client;
  let city: Client;
  let id = 0;

  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    app = await makeApp(store, clock);
    school = new Client(app, clock);
    district = new Client(app, clock);
    city = new Client(app, clock);
    expect((await school.login('school_a1')).status).toBe(200);
    expect((await district.login('district_a')).status).toBe(200);
    expect((await city.login('city')).status).toBe(200);
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('city sets the deadline for the form', async () => {
    const r = await city.req('PUT', '/api/deadlines/annual.primary/2024', { dueAt: '2024-10-15T17:00:00+08:00' });
    expect(r.status).toBe(200);
    expect(r.body.dueAt).toBe('2024-10-15T09:00:00.000Z');
  });

  it('school saves a draft with a hard problem and sees it listed', async () => {
    const values = { ...goodValues(), 'teachers.backbone': 31 };
    const r = await school.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values });
    expect(r.status).toBe(200);
    const sub = r.body.submission as { id: number; state: string };
    id = sub.id;
    expect(sub.state).toBe('draft');
    const hard = (r.body.validation as { hard: Array<{ rule: string }> }).hard;
    expect(hard.map((p) => p.rule)).toContain('backbone_le_fulltime');
  });

  it('submit is refused while a hard problem remains, and without the three sign-offs', async () => {
    const bad = await school.req('POST', `/api/submissions/${id}/submit`, { signoffs });
    expect(bad.status).toBe(422);
    expect(errorCode(bad)).toBe('E_SUBMISSION_INVALID');
    const noSign = await school.req('POST', `/api/submissions/${id}/submit`, { signoffs: { preparer: '王芳' } });
    expect(noSign.status).toBe(400);
  });

  it('a soft problem blocks submit until it is explained in a comment', async () => {
    // 480 pupils and 12 teachers: ratio 40 is outside the plausible 3–30 (a soft rule).
    const values = { ...goodValues(), 'teachers.fulltime': 12, 'teachers.bachelor_plus': 12, 'teachers.above_required': 10, 'teachers.backbone': 3, 'teachers.pe_arts': 2 };
    let r = await school.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values });
    expect((r.body.validation as { hard: unknown[] }).hard).toEqual([]);
    const unexplained = (r.body.validation as { unexplained: Array<{ rule: string }> }).unexplained;
    expect(unexplained.map((p) => p.rule)).toContain('pupil_teacher_ratio_plausible');
    r = await school.req('POST', `/api/submissions/${id}/submit`, { signoffs });
    expect(errorCode(r)).toBe('E_SUBMISSION_INVALID');
    r = await school.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values, comments: { 'teachers.fulltime': '今年有 8 名教师外出支教 / 8 teachers seconded' } });
    expect((r.body.validation as { unexplained: unknown[] }).unexplained).toEqual([]);
  });

  it('school submits with sign-offs; the district returns it with a reason', async () => {
    const s = await school.req('POST', `/api/submissions/${id}/submit`, { signoffs });
    expect(s.status).toBe(200);
    expect(s.body.state).toBe('submitted');
    expect(s.body.signoffs).toEqual(signoffs);
    expect(errorCode(await district.req('POST', `/api/submissions/${id}/return`, { reason: '' }))).toBe('E_INPUT_INVALID');
    const r = await district.req('POST', `/api/submissions/${id}/return`, { reason: '专任教师数与人事系统不符，请核对' });
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('returned');
    expect(r.body.reason).toBe('专任教师数与人事系统不符，请核对');
  });

  it('school cannot approve; school fixes and resubmits; district approves and values land in data_value', async () => {
    let r = await school.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: goodValues() });
    expect(r.status).toBe(200);
    r = await school.req('POST', `/api/submissions/${id}/submit`, { signoffs });
    expect(r.body.state).toBe('submitted');
    expect((await school.req('POST', `/api/submissions/${id}/approve`)).status).toBe(403);
    expect((await school.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: goodValues() })).status).toBe(409);
    r = await district.req('POST', `/api/submissions/${id}/approve`);
    expect(r.status).toBe(200);
    expect(r.body.state).toBe('approved');
    const rows = await store.db.selectFrom('data_value').selectAll().where('org_code', '=', org.schoolA1).where('year', '=', 2024).execute();
    const byElement = Object.fromEntries(rows.map((x) => [x.element, x.value]));
    expect(byElement['teachers.fulltime']).toBe(30);
    expect(byElement['enrol.g3.f']).toBe(39);
    expect(new Set(rows.map((x) => x.source))).toEqual(new Set([`submission:${id}`]));
    expect(rows.length).toBe(Object.keys(goodValues()).length);
  });

  it('city sees completeness and timeliness per district and form', async () => {
    const r = await city.req('GET', '/api/submissions/progress?year=2024');
    expect(r.status).toBe(200);
    const cells = r.body.cells as Array<{ district_code: string; form_code: string; expected: number; submitted: number; approved: number; completeness: number; timeliness: number }>;
    const a = cells.find((c) => c.district_code === org.districtA && c.form_code === 'annual.primary');
    expect(a).toMatchObject({ expected: 2, submitted: 1, approved: 1, completeness: 0.5, timeliness: 0.5 });
    const b = cells.find((c) => c.district_code === org.districtB);
    expect(b).toMatchObject({ expected: 1, submitted: 0, completeness: 0 });
    // A district sees only itself.
    const d = await district.req('GET', '/api/submissions/progress?year=2024');
    expect((d.body.cells as Array<{ district_code: string }>).map((c) => c.district_code)).toEqual([org.districtA]);
  });

  it('city locks; reopening needs a reason; the school can edit again after reopen', async () => {
    expect((await district.req('POST', `/api/submissions/${id}/lock`)).status).toBe(403);
    let r = await city.req('POST', `/api/submissions/${id}/lock`);
    expect(r.body.state).toBe('locked');
    expect((await school.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: goodValues() })).status).toBe(409);
    expect((await city.req('POST', `/api/submissions/${id}/reopen`, { reason: '  ' })).status).toBe(400);
    r = await city.req('POST', `/api/submissions/${id}/reopen`, { reason: '市统计局反馈：体育场地面积口径有误' });
    expect(r.body.state).toBe('returned');
    expect((await school.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: goodValues() })).status).toBe(200);
  });

  it('every step is in the audit log, with before and after, and the chain verifies', async () => {
    const events = await store.db.selectFrom('audit_event').select(['action', 'before', 'after', 'object_id']).where('object_type', '=', 'submission').where('object_id', '=', String(id)).orderBy('seq').execute();
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(['submission.create', 'submission.edit', 'submission.edit', 'submission.submit', 'submission.return', 'submission.edit', 'submission.submit', 'access.denied', 'submission.approve', 'submission.lock', 'submission.reopen', 'submission.edit']);
    const approveEv = events.find((e) => e.action === 'submission.approve');
    expect(approveEv?.before).toEqual({ state: 'submitted' });
    expect(approveEv?.after).toEqual({ state: 'approved' });
    const reopenEv = events.find((e) => e.action === 'submission.reopen');
    expect(reopenEv?.after).toMatchObject({ reason: '市统计局反馈：体育场地面积口径有误' });
    const v = await verifyAudit(store.db);
    expect(v.ok).toBe(true);
    // The same history through the API, for the school and its district.
    const h = await district.req('GET', `/api/submissions/${id}/history`);
    expect((h.body.history as Array<{ action: string }>).map((e) => e.action)).toEqual(actions);
    const edit = (h.body.history as Array<{ action: string; before: Record<string, unknown>; after: Record<string, unknown> }>)[1];
    expect(edit?.before).toMatchObject({ values: { 'teachers.fulltime': 30 } });
    expect(edit?.after).toMatchObject({ values: { 'teachers.fulltime': 12 } });
  });

  it('a district system pushes with an Idempotency-Key: retries land once, a reused key with another body is refused', async () => {
    const key = 'push-2024-1201010002-0001';
    const body = { values: goodValues() };
    const first = await school.req('PUT', `/api/submissions/${org.schoolA2}/annual.primary/2024`, body, { 'idempotency-key': key });
    expect(first.status).toBe(404); // school_a1 is not school A2's reporter: out of scope looks like absent
    const other = new Client(app, clock);
    await other.login('school_a2');
    const a = await other.req('PUT', `/api/submissions/${org.schoolA2}/annual.primary/2024`, body, { 'idempotency-key': key });
    const b = await other.req('PUT', `/api/submissions/${org.schoolA2}/annual.primary/2024`, body, { 'idempotency-key': key });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body).toEqual(a.body);
    const subId = (a.body.submission as { id: number }).id;
    const edits = await store.db.selectFrom('audit_event').select('action').where('object_type', '=', 'submission').where('object_id', '=', String(subId)).execute();
    expect(edits.map((e) => e.action)).toEqual(['submission.create']);
    const s1 = await other.req('POST', `/api/submissions/${subId}/submit`, { signoffs }, { 'idempotency-key': `${key}-submit` });
    const s2 = await other.req('POST', `/api/submissions/${subId}/submit`, { signoffs }, { 'idempotency-key': `${key}-submit` });
    expect([s1.status, s2.status]).toEqual([200, 200]);
    expect(s2.body).toEqual(s1.body);
    const conflict = await other.req('PUT', `/api/submissions/${org.schoolA2}/annual.primary/2024`, { values: { ...goodValues(), 'rooms.multimedia': 13 } }, { 'idempotency-key': key });
    expect(errorCode(conflict)).toBe('E_IDEMPOTENCY_CONFLICT');
  });
});
