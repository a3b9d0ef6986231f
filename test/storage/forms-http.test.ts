/**
 * The forms API in process (app.inject) on every backend: definitions, the template
 * download within the account's scope, uploading a filled workbook as the draft, the
 * marked workbook, and refusals.
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHEET_DATA } from '../../src/ingest/xlsx-form-layout.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';
import { Client, fakeClock, makeApp, org, seedAccounts, seedOrgs } from '../http/submissions.fixture.ts';
import { filledGood } from '../ingest/fixtures.ts';
import { formTemplate } from '../../src/services/forms.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(backends)('forms API on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let app: FastifyInstance;
  let school: Client;
  const clock = fakeClock('2023-10-10T02:00:00Z');

  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    app = await makeApp(store, clock);
    school = new Client(app, clock);
    expect((await school.login('school_a1')).status).toBe(200);
  });
  afterAll(async () => { await app?.close(); await store?.dispose(); });

  const upload = (url: string, body: Buffer, cookie: string | null | undefined = school.cookie) => app.inject({
    method: 'POST', url, payload: body,
    headers: { 'content-type': XLSX, 'x-requested-with': 'eduplan', 'x-file-name': encodeURIComponent('和平一小.xlsx'), ...(cookie ? { cookie: `eduplan_session=${cookie}` } : {}) },
  });
  const template = async (orgCode: string) => app.inject({ method: 'GET', url: `/api/forms/annual.primary/template?org=${orgCode}&year=2023`, headers: { cookie: `eduplan_session=${school.cookie}` } });

  it('serves form definitions with their rules', async () => {
    const list = await school.req('GET', '/api/forms');
    expect((list.body.forms as unknown[]).length).toBe(10);
    const one = await school.req('GET', '/api/forms/annual.primary');
    const form = one.body.form as { code: string; rules: Array<{ id: string; severity: string }> };
    expect(form.code).toBe('annual.primary');
    expect(form.rules.find((r) => r.id === 'no_large_class_capacity')?.severity).toBe('hard');
    expect((await school.req('GET', '/api/forms/annual.nope')).status).toBe(404);
  });

  it('downloads the template for its own school only', async () => {
    const ok = await template(org.schoolA1);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe(XLSX);
    expect(ok.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    const other = await template(org.schoolB1);
    expect(other.statusCode).toBe(403);
  });

  it('uploads a filled workbook as the school\'s draft, with its validation', async () => {
    const t = (await template(org.schoolA1)).rawPayload;
    const r = await upload('/api/forms/upload', await filledGood(t));
    expect(r.statusCode).toBe(200);
    const body = r.json() as { ready: boolean; signoffs: Record<string, string>; validation: { hard: unknown[] }; submission: { id: number; state: string; values: Record<string, number> } };
    expect(body).toMatchObject({ ready: true, signoffs: { preparer: '张三', reviewer: '李四', head: '王五' }, validation: { hard: [] } });
    expect(body.submission.state).toBe('draft');
    expect(body.submission.values['teachers.fulltime']).toBe(40);
    const again = await school.req('GET', `/api/submissions/${body.submission.id}`);
    expect(again.status).toBe(200);
  });

  it('refuses wrong file types and anonymous uploads', async () => {
    const csv = await upload('/api/forms/upload', Buffer.from('学校代码,在校生\n1201010001,528\n'));
    expect(csv.statusCode).toBe(415);
    expect(csv.json()).toMatchObject({ error: { code: 'E_IMPORT_FILE_TYPE', problems: [{ file: '和平一小.xlsx', rule: 'file_type' }] } });
    const anon = await upload('/api/forms/upload', Buffer.from('PK'), null);
    expect(anon.statusCode).toBe(401);
  });

  it('returns the same workbook with the bad cells marked', async () => {
    const t = (await template(org.schoolA1)).rawPayload;
    let row = 0;
    const bad = await filledGood(t, (ws, _wb, rowOf) => { row = rowOf('enrol.g1.m'); ws.getCell(`F${row}`).value = '四十五'; });
    const r = await upload('/api/forms/upload', bad);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ error: { code: 'E_IMPORT_INVALID', problems: [{ rule: 'not_a_number', row, column: 'F', value: '四十五' }] } });
    const marked = await upload('/api/forms/upload/errors', bad);
    expect(marked.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(marked.rawPayload as unknown as ArrayBuffer);
    const cell = (wb.getWorksheet(SHEET_DATA) as ExcelJS.Worksheet).getCell(`F${row}`);
    expect(JSON.stringify(cell.note)).toContain('不是数字');
  });

  it('refuses an upload for a school outside the account\'s scope (403), records the attempt and stores nothing', async () => {
    const other = await formTemplate({ store, clock: clock.fn }, { system: 'cli' }, { formCode: 'annual.primary', orgCode: org.schoolB1, year: 2023 });
    const denied = async (): Promise<number> => (await store.db.selectFrom('audit_event').select('seq').where('action', '=', 'access.denied').where('org_code', '=', org.schoolB1).execute()).length;
    const before = await denied();
    const r = await upload('/api/forms/upload', await filledGood(other.file));
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ error: { code: 'E_FORBIDDEN' } });
    expect(await denied()).toBe(before + 1);
    expect(await store.db.selectFrom('submission').select('id').where('org_code', '=', org.schoolB1).execute()).toEqual([]);
  });

  it('refuses an account that may not edit drafts before the workbook is read (403, not a workbook error)', async () => {
    const analyst = new Client(app, clock);
    expect((await analyst.login('analyst')).status).toBe(200);
    // Not a workbook at all: read first, it would be refused as a broken file.
    const junk = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(4096, 7)]);
    const r = await upload('/api/forms/upload', junk, analyst.cookie);
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ error: { code: 'E_FORBIDDEN' } });
    const ok = await upload('/api/forms/upload', junk);
    expect(ok.statusCode).not.toBe(403);
  });
});
