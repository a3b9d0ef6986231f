/**
 * Web upload of student record files over HTTP, in process: the city uploads a generated
 * fitness CSV and polls the job to `done` (rows in the database); a bad file fails with
 * located problems and writes nothing; a district reviewer imports its own schools but not
 * another district's; schools, analysts and anonymous callers are refused; the size and
 * file-type limits hold; a job is visible only to its owner; a vision XLSX goes through;
 * one import runs at a time (409 while busy).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/server/app.ts';
import type { ServerConfig } from '../../src/server/deps.ts';
import type { StudentUploadJob } from '../../src/contract/student-records.ts';
import type { Store } from '../../src/store/store.ts';
import { writeStudentRecordFiles, type DemoSchool } from '../../src/demo/students.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';
import { Client, errorCode, fakeClock, org, seedAccounts, seedOrgs, serverDeps, type Reply } from './submissions.fixture.ts';

const YEAR = 2024;
const schoolsA: DemoSchool[] = [
  { code: org.schoolA1, type: 'primary', district: org.districtA, enrolment: { g1: { m: 6, f: 6 }, g4: { m: 5, f: 5 } } },
  { code: org.schoolA2, type: 'primary', district: org.districtA, enrolment: { g2: { m: 4, f: 4 } } },
];
const schoolB: DemoSchool = { code: org.schoolB1, type: 'primary', district: org.districtB, enrolment: { g3: { m: 5, f: 5 } } };

describe('student record upload over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-20T02:00:00Z');
  const c: Record<string, Client> = {};
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-upload-test-'));
  let cityFile: Buffer;
  let cityRows = 0;
  let districtFile: Buffer;
  let districtRows = 0;

  beforeAll(async () => {
    store = await openPgliteFromTemplate();
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    const deps = serverDeps(store, clock);
    const config: ServerConfig = { ...deps.config, maxStudentUploadBytes: 256 * 1024 };
    app = await buildApp({ ...deps, config });
    for (const u of ['city', 'district_a', 'district_b', 'school_a1', 'analyst']) {
      c[u] = new Client(app, clock);
      expect((await (c[u] as Client).login(u)).status, u).toBe(200);
    }
    c.nobody = new Client(app, clock);
    const all = await writeStudentRecordFiles({ schools: [...schoolsA, schoolB], years: [YEAR], seed: 11, outDir: join(dir, 'all'), kinds: ['fitness'] });
    cityFile = readFileSync(join(dir, 'all', `fitness-${YEAR}.csv`));
    cityRows = all.rows;
    const a = await writeStudentRecordFiles({ schools: schoolsA, years: [YEAR - 1], seed: 12, outDir: join(dir, 'a'), kinds: ['fitness'] });
    districtFile = readFileSync(join(dir, 'a', `fitness-${YEAR - 1}.csv`));
    districtRows = a.rows;
  }, 60_000);
  afterAll(async () => { await app?.close(); await store?.close(); rmSync(dir, { recursive: true, force: true }); });

  const cl = (u: string): Client => c[u] as Client;
  const upload = async (u: string, file: Buffer, fileName: string, query: string): Promise<Reply> => {
    const client = cl(u);
    const r = await app.inject({
      method: 'POST', url: `/api/student-records/uploads?${query}`, payload: file,
      headers: {
        'x-requested-with': 'eduplan', 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(fileName),
        ...(client.cookie ? { cookie: `eduplan_session=${client.cookie}` } : {}),
      },
    });
    let body: Record<string, unknown> = {};
    try { body = JSON.parse(r.body) as Record<string, unknown>; } catch { body = { raw: r.body }; }
    return { status: r.statusCode, body, headers: r.headers as Record<string, unknown> };
  };
  /** Poll the job until it ends, as the browser does. */
  const finished = async (u: string, id: string): Promise<StudentUploadJob> => {
    const seen: string[] = [];
    for (let i = 0; i < 600; i++) {
      const r = await cl(u).req('GET', `/api/student-records/uploads/${id}`);
      expect(r.status).toBe(200);
      const job = r.body.job as StudentUploadJob;
      if (seen.at(-1) !== job.phase) seen.push(job.phase);
      if (job.phase === 'done' || job.phase === 'failed') return job;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error(`job ${id} did not finish: ${seen.join(' → ')}`);
  };
  const fitnessRows = async (year: number): Promise<number> =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM student_fitness WHERE year = ${year}`.execute(store.db)).rows[0]?.n ?? 0);
  const batches = async (): Promise<number> =>
    Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM import_batch`.execute(store.db)).rows[0]?.n ?? 0);

  it('city uploads a fitness CSV; the job goes to done and the rows are in the database', async () => {
    const r = await upload('city', cityFile, `fitness-${YEAR}.csv`, 'kind=fitness');
    expect(r.status).toBe(202);
    const job = r.body.job as StudentUploadJob;
    expect(job.phase).toBe('uploaded');
    expect(job.bytes).toBe(cityFile.length);
    expect(job.fileName).toBe(`fitness-${YEAR}.csv`);
    const done = await finished('city', job.id);
    expect(done.error).toBeNull();
    expect(done.phase).toBe('done');
    expect(done.rowsTotal).toBe(cityRows);
    expect(done.rowsDone).toBe(cityRows);
    expect(done.result?.rows).toBe(cityRows);
    expect(done.result?.skipped).toBe(false);
    expect(done.result?.batchId).toBeGreaterThan(0);
    expect(done.result?.indicators).toBe('recomputed');
    expect(await fitnessRows(YEAR)).toBe(cityRows);
    // Counts only in the audit log: no student number or pseudonym.
    const audit = await sql<{ after: unknown }>`SELECT after FROM audit_event WHERE actor = 'city' ORDER BY seq DESC LIMIT 1`.execute(store.db);
    expect(JSON.stringify(audit.rows)).not.toMatch(/G\d{17}/);
  });

  it('the same file again is skipped; the job is not visible to another account', async () => {
    const r = await upload('city', cityFile, `fitness-${YEAR}.csv`, 'kind=fitness');
    const job = await finished('city', (r.body.job as StudentUploadJob).id);
    expect(job.result?.skipped).toBe(true);
    const other = await cl('district_a').req('GET', `/api/student-records/uploads/${job.id}`);
    expect(other.status).toBe(404);
  });

  it('a district reviewer uploads a vision XLSX of its schools; the job goes to done and the screenings are stored', async () => {
    const gen = await writeStudentRecordFiles({ schools: schoolsA, years: [YEAR], seed: 13, outDir: join(dir, 'vision'), kinds: ['vision'] });
    // The generated CSV as a workbook, every cell as text (as a clerk's sheet has codes).
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('视力');
    for (const line of readFileSync(join(dir, 'vision', `vision-${YEAR}.csv`), 'utf8').trimEnd().split('\n')) ws.addRow(line.split(','));
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await upload('district_a', xlsx, `vision-${YEAR}.xlsx`, 'kind=vision');
    expect(r.status).toBe(202);
    const job = await finished('district_a', (r.body.job as StudentUploadJob).id);
    expect(job.error).toBeNull();
    expect(job.result?.rows).toBe(gen.rows);
    expect(job.result?.parseThreads).toBe(1);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM vision_screening WHERE year = ${YEAR}`.execute(store.db);
    expect(stored.rows[0]?.n).toBe(gen.rows);
  });

  it('one import at a time: an upload while a job runs is refused with E_STATE (409), and accepted once it is done', async () => {
    const gen = await writeStudentRecordFiles({ schools: [...schoolsA, schoolB], years: [YEAR - 2], seed: 14, outDir: join(dir, 'busy'), kinds: ['fitness'] });
    const file = readFileSync(join(dir, 'busy', `fitness-${YEAR - 2}.csv`));
    await writeStudentRecordFiles({ schools: schoolsA, years: [YEAR - 3], seed: 15, outDir: join(dir, 'next'), kinds: ['fitness'] });
    const next = readFileSync(join(dir, 'next', `fitness-${YEAR - 3}.csv`));
    const first = await upload('city', file, `fitness-${YEAR - 2}.csv`, 'kind=fitness');
    expect(first.status).toBe(202);
    // The job (validate, import, recompute the year's indicators) is still running when this arrives.
    const second = await upload('city', next, `fitness-${YEAR - 3}.csv`, 'kind=fitness');
    expect(second.status).toBe(409);
    expect(errorCode(second)).toBe('E_STATE');
    const done = await finished('city', (first.body.job as StudentUploadJob).id);
    expect(done.result?.rows).toBe(gen.rows);
    const third = await upload('city', next, `fitness-${YEAR - 3}.csv`, 'kind=fitness');
    expect(third.status).toBe(202);
    expect((await finished('city', (third.body.job as StudentUploadJob).id)).phase).toBe('done');
  });

  it('a slow upload (a byte at a time) does not hold the import slot: another upload is accepted meanwhile', async () => {
    await writeStudentRecordFiles({ schools: schoolsA, years: [YEAR - 4], seed: 16, outDir: join(dir, 'slow'), kinds: ['fitness'] });
    const other = readFileSync(join(dir, 'slow', `fitness-${YEAR - 4}.csv`));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const slow = connect(port, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
      // Headers and the first bytes of a 10 KB body; the rest never comes while the other upload runs.
      slow.write(`POST /api/student-records/uploads?kind=fitness HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-With: eduplan\r\nContent-Type: application/octet-stream\r\n`
        + `X-File-Name: slow.csv\r\nCookie: eduplan_session=${cl('city').cookie ?? ''}\r\nContent-Length: 10000\r\n\r\n学`);
      for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 50)); slow.write('x'); }
      const meanwhile = await upload('district_a', other, `fitness-${YEAR - 4}.csv`, 'kind=fitness');
      expect(meanwhile.status).toBe(202);
      expect((await finished('district_a', (meanwhile.body.job as StudentUploadJob).id)).phase).toBe('done');
    } finally {
      slow.destroy();
    }
  });

  it('a GBK-encoded CSV is refused at once, naming its encoding; a zip bomb renamed .xlsx is refused by the gate', async () => {
    // 学校代码 in GBK, as Excel on a Chinese Windows saves "CSV".
    const gbkHeader = Buffer.concat([Buffer.from([0xd1, 0xa7, 0xd0, 0xa3, 0xb4, 0xfa, 0xc2, 0xeb]), Buffer.from(',x\r\n1201010001,1\r\n')]);
    const r = await upload('city', gbkHeader, 'fitness-2024.csv', 'kind=fitness');
    expect(r.status).toBe(422);
    const e = r.body.error as { code: string; problems: Array<{ rule: string; message_en: string }> };
    expect(e.problems[0]?.rule).toBe('encoding');
    expect(e.problems[0]?.message_en).toContain('GBK');
    expect(JSON.stringify(e)).not.toContain('missing');
    const { writeZip } = await import('../ingest/zip-helper.ts');
    const bomb = writeZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/sharedStrings.xml', data: Buffer.alloc(60 * 1024 * 1024, 0x20) }]);
    const b = await upload('city', bomb, 'fitness-2024.xlsx', 'kind=fitness');
    expect(b.status).toBe(413);
    expect((b.body.error as { code: string }).code).toBe('E_IMPORT_TOO_LARGE');
  });

  it('a bad file fails with located problems and writes nothing', async () => {
    const lines = districtFile.toString('utf8').split('\n');
    const header = (lines[0] as string).split(',');
    const height = header.indexOf('身高');
    const row = (lines[3] as string).split(',');
    row[height] = 'abc';
    lines[3] = row.join(',');
    const before = await batches();
    const r = await upload('city', Buffer.from(lines.join('\n')), 'bad.csv', `kind=fitness&year=${YEAR - 1}`);
    expect(r.status).toBe(202);
    const job = await finished('city', (r.body.job as StudentUploadJob).id);
    expect(job.phase).toBe('failed');
    expect(job.error?.code).toBe('E_IMPORT_INVALID');
    const p = job.error?.problems.find((x) => x.column === '身高');
    expect(p).toMatchObject({ file: 'bad.csv', row: 4, column: '身高', value: 'abc' });
    expect(p?.message_zh).toBeTruthy();
    expect(p?.message_en).toBeTruthy();
    expect(await fitnessRows(YEAR - 1)).toBe(0);
    expect(await batches()).toBe(before);
  });

  it('a district reviewer imports its own schools, not another district’s', async () => {
    const denied = await upload('district_b', districtFile, `fitness-${YEAR - 1}.csv`, 'kind=fitness');
    expect(denied.status).toBe(202);
    const refused = await finished('district_b', (denied.body.job as StudentUploadJob).id);
    expect(refused.phase).toBe('failed');
    expect(refused.error?.code).toBe('E_FORBIDDEN');
    expect(refused.error?.problems.map((x) => x.value).sort()).toEqual([org.schoolA1, org.schoolA2]);
    expect(refused.error?.problems[0]).toMatchObject({ column: '学校代码', rule: 'scope' });
    expect(await fitnessRows(YEAR - 1)).toBe(0);

    const ok = await upload('district_a', districtFile, `fitness-${YEAR - 1}.csv`, 'kind=fitness');
    const job = await finished('district_a', (ok.body.job as StudentUploadJob).id);
    expect(job.error).toBeNull();
    expect(job.rowsChecked).toBe(districtRows);
    expect(job.result?.rows).toBe(districtRows);
    expect(await fitnessRows(YEAR - 1)).toBe(districtRows);
  });

  it('anonymous callers, school reporters and analysts are refused before anything is read', async () => {
    const before = await batches();
    expect((await upload('nobody', cityFile, 'fitness-2022.csv', 'kind=fitness')).status).toBe(401);
    const school = await upload('school_a1', cityFile, 'fitness-2022.csv', 'kind=fitness');
    expect(school.status).toBe(403);
    expect(errorCode(school)).toBe('E_FORBIDDEN');
    expect((await upload('analyst', cityFile, 'fitness-2022.csv', 'kind=fitness')).status).toBe(403);
    expect((await cl('school_a1').req('GET', '/api/student-records/uploads/00000000-0000-4000-8000-000000000000')).status).toBe(403);
    expect(await batches()).toBe(before);
  });

  it('limits: file type, size, kind; the routes are in the OpenAPI document', async () => {
    const type = await upload('city', cityFile, 'fitness-2022.txt', 'kind=fitness');
    expect(type.status).toBe(415);
    expect(errorCode(type)).toBe('E_IMPORT_FILE_TYPE');
    const big = await upload('city', Buffer.alloc(300 * 1024, 0x41), 'fitness-2022.csv', 'kind=fitness');
    expect(big.status).toBe(413);
    expect(errorCode(big)).toBe('E_IMPORT_TOO_LARGE');
    // Without a Content-Length (chunked), the body is cut off once it passes the limit.
    const chunked = await app.inject({
      method: 'POST', url: '/api/student-records/uploads?kind=fitness', payload: Readable.from([Buffer.alloc(200 * 1024, 0x41), Buffer.alloc(200 * 1024, 0x41)]),
      headers: { 'x-requested-with': 'eduplan', 'content-type': 'application/octet-stream', 'x-file-name': 'fitness-2022.csv', cookie: `eduplan_session=${cl('city').cookie ?? ''}` },
    });
    expect(chunked.statusCode).toBe(413);
    const kind = await upload('city', cityFile, 'fitness-2022.csv', 'kind=height');
    expect(kind.status).toBe(400);
    expect(errorCode(kind)).toBe('E_INPUT_INVALID');
    // The slot was released after each refusal: a valid upload still runs.
    const r = await upload('city', cityFile, 'fitness-2022.csv', 'kind=fitness');
    expect(r.status).toBe(202);
    expect((await finished('city', (r.body.job as StudentUploadJob).id)).result?.skipped).toBe(true); // the same bytes as before

    const doc = (await cl('nobody').req('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/student-records/uploads'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/student-records/uploads/{id}'] ?? {})).toContain('get');
  });
});
