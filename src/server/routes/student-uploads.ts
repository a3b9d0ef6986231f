/**
 * Web upload of student fitness (体测) and vision (视力筛查) record files, imported as a
 * background job with progress (issue 5).
 *
 *   POST /api/student-records/uploads?kind=fitness&year=2023   body: the raw .csv / .xlsx file
 *        (any Content-Type; `application/octet-stream` recommended), header X-File-Name
 *        (percent-encoded UTF-8) → 202 {job}
 *   GET  /api/student-records/uploads/:id                      → {job}: phase, bytes, rows, result or problems
 *
 * - Who: `district_reviewer` (only schools of its district: every 学校代码 in the file is
 *   checked before anything is written) and `city_admin` (any school). Everyone else: 403.
 * - The body is streamed to a temporary file (never held in memory), at most
 *   `max(config.maxUploadBytes, 300 MiB)` bytes; the file is deleted when the job ends.
 * - One job at a time per server (the registry is in memory): another upload while one
 *   runs is refused with E_STATE (409). The slot is taken after the body has arrived, so a
 *   slow sender blocks nobody else. A job is visible only to the account that started it;
 *   the last 20 jobs are kept until the server restarts.
 * The job registry, the scope check and the job itself are in services/student-uploads.ts.
 * - Phases: uploaded → validating (file type, header, scope, rows counted) → importing
 *   (`importStudentFile`: validate, score, pseudonymise, write, in one transaction; then the
 *   year's indicators are recomputed) → done | failed (the error with its first 1,000 located problems).
 * - The import is audited by the service (counts only); a refused scope is audited as
 *   `access.denied` with school codes only. No student data is logged.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EduplanError } from '../../core/errors.ts';
import type { StudentFileKind } from '../../ingest/student-records.ts';
import { refuseNonUtf8Csv } from '../../ingest/text-encoding.ts';
import { checkXlsxFileOffThread } from '../../ingest/xlsx-off-thread.ts';
import { clientIp, requireRole } from '../auth.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import {
  JobRegistry, runStudentUploadJob, STUDENT_IMPORT_ROLES, studentUploadJobSchema, type StudentUploadDeps, type StudentUploadJob,
} from '../../services/student-uploads.ts';

export type { StudentUploadJob };

/** Default upload limit: a 1.5 M-row fitness CSV is ~250 MB. */
export const STUDENT_UPLOAD_DEFAULT_MAX_BYTES = 300 * 1024 * 1024;
const uploadQuery = z.object({
  kind: z.enum(['fitness', 'vision']).describe('fitness 体测 | vision 视力筛查'),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('学年 academic year (2023 = 2023-09-01…2024-08-31); otherwise from the file name fitness-<year>.csv'),
  replace: z.enum(['true', 'false']).optional().describe('true: the uploader confirmed replacing records already stored for the schools’ year (otherwise such a file fails with E_REPLACE_UNCONFIRMED, listing them)'),
});
const jobParams = z.object({ id: z.uuid().describe('job id from the upload answer') });

const jobAnswer = z.object({ job: studentUploadJobSchema });

function headerText(req: FastifyRequest, name: string): string | undefined {
  const h = req.headers[name];
  return Array.isArray(h) ? h[0] : h;
}

/** The uploaded file's name (X-File-Name, percent-encoded UTF-8), safe as a file name; .csv or .xlsx only. */
function uploadFileName(req: FastifyRequest, kind: StudentFileKind): string {
  const raw = headerText(req, 'x-file-name') ?? `${kind}.csv`;
  let name = raw;
  try { name = decodeURIComponent(raw); } catch { /* keep raw */ }
  name = name.replace(/[\\/\r\n\0:*?"<>|]/g, '_').replace(/^\.+/, '').slice(-200) || `${kind}.csv`;
  const ext = extname(name).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx') {
    throw new EduplanError('E_IMPORT_FILE_TYPE', { detail: 'student records are a .csv (UTF-8) or .xlsx file / 学生数据文件应为 .csv（UTF-8）或 .xlsx 文件' });
  }
  return name;
}

function tooLarge(limit: number): EduplanError {
  const mib = limit / (1024 * 1024);
  const text = mib >= 1 ? `${Math.floor(mib)} MiB` : `${Math.floor(limit / 1024)} KiB`;
  return new EduplanError('E_IMPORT_TOO_LARGE', { detail: `at most ${text} per file / 每个文件不超过 ${text}` });
}

/**
 * Stream the body into `dest` (with backpressure), counting bytes. Past `limit` bytes the
 * file is dropped and the rest of the body is discarded unread (the answer closes the
 * connection); a client that goes away fails it too.
 */
function receive(body: Readable, dest: string, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(dest, { flags: 'wx', mode: 0o600 });
    let bytes = 0;
    let ended = false;
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.resume();
      out.destroy();
      reject(err instanceof EduplanError ? err : new EduplanError('E_INPUT_INVALID', { detail: 'the upload stopped before the end of the file / 上传未完成即中断' }));
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) { fail(tooLarge(limit)); return; }
      if (!out.write(chunk)) { body.pause(); out.once('drain', () => { if (!settled) body.resume(); }); }
    };
    body.on('data', onData);
    body.once('end', () => { ended = true; if (!settled) out.end(); });
    body.once('error', fail);
    body.once('close', () => { if (!ended) fail(null); });
    out.once('error', fail);
    out.once('finish', () => { if (!settled) { settled = true; resolve(bytes); } });
  });
}

const routes: RouteModule = async (app, deps) => {
  const registry = new JobRegistry();
  const jobDeps: StudentUploadDeps = { store: deps.store, clock: deps.clock, pseudonymKey: deps.config.pseudonymKey, log: { error: (fields, message) => app.log.error(fields, message) } };
  const limit = deps.config.maxStudentUploadBytes ?? Math.max(deps.config.maxUploadBytes, STUDENT_UPLOAD_DEFAULT_MAX_BYTES);

  // Own context: the body is handed over unread (whatever its type) and streamed to disk by
  // the handler, after the sign-in and role checks; the app-wide parsers and body limit do not apply.
  await app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    child.post('/api/student-records/uploads', {
      preHandler: requireRole(deps, ...STUDENT_IMPORT_ROLES),
      ...openapi({
        summary: '上传学生体测或视力记录文件并在后台导入 / Upload a student fitness or vision record file, imported in the background',
        description: 'Body: the raw .csv (UTF-8) or .xlsx file (Content-Type application/octet-stream); header X-File-Name: the file name, percent-encoded. '
          + `Roles: district_reviewer (its district's schools only) and city_admin. At most max(EDUPLAN_MAX_UPLOAD_MB, 300) MiB. One import at a time per server (409 E_STATE otherwise). `
          + 'Answers 202 {job}; poll GET /api/student-records/uploads/{id}. 区审核员（仅本区学校）与市级管理员可用；同一时间只运行一个导入。',
        tags: ['students'], query: uploadQuery, response: jobAnswer, auth: true,
      }),
    }, async (req, reply) => {
      const account = req.account;
      if (!account) throw new EduplanError('E_AUTH_REQUIRED');
      const q = parseInput(uploadQuery, req.query, 'query');
      const fileName = uploadFileName(req, q.kind);
      const declared = Number(headerText(req, 'content-length') ?? 'NaN');
      if (Number.isFinite(declared) && declared > limit) {
        reply.header('connection', 'close'); // do not read the body only to discard it
        throw tooLarge(limit);
      }
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') throw new EduplanError('E_INPUT_INVALID', { detail: 'send the file as the request body / 请将文件作为请求体发送' });

      // The import slot is taken only once the whole body is on disk: a client sending its file
      // a byte at a time must not keep every other upload waiting (it holds only its own socket
      // and temporary file, until the request deadline, timeouts.ts). A busy server still says
      // so before the body is read.
      registry.reserve();
      registry.release();
      let dir: string | null = null;
      let reserved = false;
      try {
        dir = await mkdtemp(join(tmpdir(), 'eduplan-student-upload-'));
        const path = join(dir, fileName);
        const bytes = await receive(body, path, limit);
        if (bytes === 0) throw new EduplanError('E_INPUT_INVALID', { detail: 'the file is empty / 文件为空' });
        // Before the import slot: a workbook passes the bounded xlsx gate (in a worker thread),
        // a CSV must be UTF-8 (a GBK file is named as such, not reported as missing columns).
        if (extname(fileName).toLowerCase() === '.xlsx') await checkXlsxFileOffThread(path, fileName);
        else await refuseNonUtf8Csv(path, fileName);
        registry.reserve();
        reserved = true;
        const job: StudentUploadJob = {
          id: randomUUID(), kind: q.kind, year: q.year ?? null, replace: q.replace === 'true', fileName, phase: 'uploaded', bytes, rowsTotal: null, rowsChecked: 0, rowsDone: 0,
          startedAt: deps.clock().toISOString(), finishedAt: null, result: null, error: null,
        };
        registry.add({ ownerId: account.id, view: job });
        const jobDir = dir;
        dir = null; // the job owns the folder now
        const answer = { job: { ...job } };
        runStudentUploadJob(jobDeps, account, clientIp(req), jobDir, path, job, () => registry.release()).catch(() => registry.release());
        reply.status(202);
        return answer;
      } catch (err) {
        // A body cut off mid-way cannot be left on a kept-alive connection.
        if (err instanceof EduplanError && err.code === 'E_IMPORT_TOO_LARGE') reply.header('connection', 'close');
        if (reserved) registry.release();
        if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw err;
      }
    });

    child.get('/api/student-records/uploads/:id', {
      preHandler: requireRole(deps, ...STUDENT_IMPORT_ROLES),
      ...openapi({
        summary: '学生数据导入任务的进度与结果 / Progress and result of a student-record import job',
        description: 'phase: uploaded → validating → importing → done | failed. Only the account that uploaded the file sees its job.',
        tags: ['students'], params: jobParams, response: jobAnswer, auth: true,
      }),
    }, async (req) => {
      const { id } = parseInput(jobParams, req.params, 'params');
      const account = req.account;
      if (!account) throw new EduplanError('E_AUTH_REQUIRED');
      return { job: registry.get(id, account.id) };
    });
  });
};

export default routes;
