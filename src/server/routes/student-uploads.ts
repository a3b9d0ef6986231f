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
 * - Phases: uploaded → validating (rows counted; a district's scope checked) → importing →
 *   done | failed (the error with its first 1,000 located problems).
 * The job registry and the job are services/student-uploads.ts; the import, its scope check
 * and its audit services/student-records.ts; the shapes src/contract/student-records.ts.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import {
  studentUploadJobAnswer, studentUploadJobParams, studentUploadQuery, type StudentRecordKind,
} from '../../contract/student-records.ts';
import { EduplanError } from '../../core/errors.ts';
import { JobRegistry, mayImportStudentRecords, startStudentUpload, studentUploadJob, type StudentUploadDeps } from '../../services/student-uploads.ts';
import { screenStudentRecordFile } from '../../services/student-records.ts';
import { actorOf, authenticate } from '../auth.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

/** Default upload limit: a 1.5 M-row fitness CSV is ~250 MB. */
export const STUDENT_UPLOAD_DEFAULT_MAX_BYTES = 300 * 1024 * 1024;

function headerText(req: FastifyRequest, name: string): string | undefined {
  const h = req.headers[name];
  return Array.isArray(h) ? h[0] : h;
}

/** The uploaded file's name (X-File-Name, percent-encoded UTF-8), safe as a file name; .csv or .xlsx only. */
function uploadFileName(req: FastifyRequest, kind: StudentRecordKind): string {
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
  const jobDeps: StudentUploadDeps = {
    store: deps.store, clock: deps.clock, pseudonymKey: deps.config.pseudonymKey, log: { error: (fields, message) => app.log.error(fields, message) }, uploads: new JobRegistry(),
  };
  const limit = deps.config.maxStudentUploadBytes ?? Math.max(deps.config.maxUploadBytes, STUDENT_UPLOAD_DEFAULT_MAX_BYTES);

  // Signed in and allowed to import at all, decided by the service before the body is read.
  const mayImport = async (req: FastifyRequest): Promise<void> => {
    await authenticate(req, deps);
    await mayImportStudentRecords(jobDeps, actorOf(req));
  };

  // Own context: the body is handed over unread (whatever its type) and streamed to disk by
  // the handler, after the sign-in and role checks; the app-wide parsers and body limit do not apply.
  await app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    child.post('/api/student-records/uploads', {
      preHandler: mayImport,
      ...openapi({
        summary: '上传学生体测或视力记录文件并在后台导入 / Upload a student fitness or vision record file, imported in the background',
        description: 'Body: the raw .csv (UTF-8) or .xlsx file (Content-Type application/octet-stream); header X-File-Name: the file name, percent-encoded. '
          + `Roles: district_reviewer (its district's schools only) and city_admin. At most max(EDUPLAN_MAX_UPLOAD_MB, 300) MiB. One import at a time per server (409 E_STATE otherwise). `
          + 'Answers 202 {job}; poll GET /api/student-records/uploads/{id}. 区审核员（仅本区学校）与市级管理员可用；同一时间只运行一个导入。',
        tags: ['students'], query: studentUploadQuery, response: studentUploadJobAnswer, auth: true,
      }),
    }, async (req, reply) => {
      const actor = actorOf(req);
      const query = parseInput(studentUploadQuery, req.query, 'query');
      const fileName = uploadFileName(req, query.kind);
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
      jobDeps.uploads.reserve();
      jobDeps.uploads.release();
      let dir: string | null = null;
      let reserved = false;
      try {
        dir = await mkdtemp(join(tmpdir(), 'eduplan-student-upload-'));
        const path = join(dir, fileName);
        const bytes = await receive(body, path, limit);
        if (bytes === 0) throw new EduplanError('E_INPUT_INVALID', { detail: 'the file is empty / 文件为空' });
        // Before the import slot: the bounded xlsx gate, or a CSV that must be UTF-8.
        await screenStudentRecordFile(path, fileName);
        jobDeps.uploads.reserve();
        reserved = true;
        const received = { query, fileName, dir, path, bytes };
        dir = null; // the job owns the folder now
        const job = startStudentUpload(jobDeps, actor, received);
        reply.status(202);
        return { job };
      } catch (err) {
        // A body cut off mid-way cannot be left on a kept-alive connection.
        if (err instanceof EduplanError && err.code === 'E_IMPORT_TOO_LARGE') reply.header('connection', 'close');
        if (reserved) jobDeps.uploads.release();
        if (dir !== null) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw err;
      }
    });

    child.get('/api/student-records/uploads/:id', {
      preHandler: mayImport,
      ...openapi({
        summary: '学生数据导入任务的进度与结果 / Progress and result of a student-record import job',
        description: 'phase: uploaded → validating → importing → done | failed. Only the account that uploaded the file sees its job.',
        tags: ['students'], params: studentUploadJobParams, response: studentUploadJobAnswer, auth: true,
      }),
    }, async (req) => {
      const input = parseInput(studentUploadJobParams, req.params, 'params');
      return { job: studentUploadJob(jobDeps, actorOf(req), input) };
    });
  });
};

export default routes;
