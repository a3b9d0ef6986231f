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
 *   runs is refused with E_STATE (409). A job is visible only to the account that started it;
 *   the last 20 jobs are kept until the server restarts.
 * - Phases: uploaded → validating (file type, header, scope, rows counted) → importing
 *   (`importStudentFile`: validate, score, pseudonymise, write, in one transaction; then the
 *   year's indicators are recomputed) → done | failed (the error with its first 1,000 located problems).
 * - The import is audited by the service (counts only); a refused scope is audited as
 *   `access.denied` with school codes only. No student data is logged.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EduplanError, type Problem } from '../../core/errors.ts';
import type { Role } from '../../core/auth/roles.ts';
import { mapHeader, readRowBatches, type StudentFileKind } from '../../ingest/student-records.ts';
import { auditAlone } from '../../services/audit.ts';
import type { AuthAccount } from '../../services/auth.ts';
import { recomputeIndicators } from '../../services/indicators.ts';
import { importStudentFile, yearFromFileName, type StudentImportResult } from '../../services/students-import.ts';
import { clientIp, requireRole } from '../auth.ts';
import type { RouteModule, ServerDeps } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

/** Roles that may import student records; a district reviewer only for its district's schools. */
export const STUDENT_IMPORT_ROLES: readonly Role[] = ['district_reviewer', 'city_admin'];
/** Default upload limit: a 1.5 M-row fitness CSV is ~250 MB. */
export const STUDENT_UPLOAD_DEFAULT_MAX_BYTES = 300 * 1024 * 1024;
/** Problems kept on a failed job (the service lists at most this many too). */
const MAX_JOB_PROBLEMS = 1000;
/** Finished jobs kept in memory (the oldest are forgotten first). */
const KEPT_JOBS = 20;

export const jobPhases = ['uploaded', 'validating', 'importing', 'done', 'failed'] as const;
export type JobPhase = (typeof jobPhases)[number];

const uploadQuery = z.object({
  kind: z.enum(['fitness', 'vision']).describe('fitness 体测 | vision 视力筛查'),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('学年 academic year (2023 = 2023-09-01…2024-08-31); otherwise from the file name fitness-<year>.csv'),
});
const jobParams = z.object({ id: z.uuid().describe('job id from the upload answer') });

const problemSchema = z.object({
  file: z.string().optional(), sheet: z.string().optional(), row: z.number().optional(), column: z.string().optional(), path: z.string().optional(),
  value: z.unknown().optional(), rule: z.string(), message_zh: z.string(), message_en: z.string(), fix_zh: z.string().optional(), fix_en: z.string().optional(),
});
const jobSchema = z.object({
  id: z.string(),
  kind: z.enum(['fitness', 'vision']),
  year: z.number().nullable().describe('as given; null = from the file name'),
  fileName: z.string(),
  phase: z.enum(jobPhases),
  bytes: z.number().describe('bytes received'),
  rowsTotal: z.number().nullable().describe('data rows in the file, once counted (CSV, or any file of a district account); null otherwise'),
  rowsChecked: z.number().describe('rows read while validating (scope check)'),
  rowsDone: z.number().describe('rows imported so far'),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: z.object({ batchId: z.number().nullable(), rows: z.number(), skipped: z.boolean(), parseThreads: z.number(), indicators: z.enum(['recomputed', 'unchanged', 'failed']) }).nullable(),
  error: z.object({
    code: z.string(), message_zh: z.string(), message_en: z.string(), fix_zh: z.string(), fix_en: z.string(), detail: z.string().optional(),
    problems: z.array(problemSchema).describe('the first 1,000 located problems'),
  }).nullable(),
});
export type StudentUploadJob = z.infer<typeof jobSchema>;
const jobAnswer = z.object({ job: jobSchema });

interface JobEntry {
  readonly ownerId: number;
  readonly view: StudentUploadJob;
}

/** The in-memory job registry: one running job per server, the last few finished ones. */
class JobRegistry {
  private readonly jobs = new Map<string, JobEntry>();
  private running = false;

  /** Reserve the server's one import slot, or refuse. */
  reserve(): void {
    if (this.running) throw new EduplanError('E_STATE', { detail: 'another student-record import is running; wait for it to finish / 另一个学生数据导入正在进行，请等待其完成后再上传' });
    this.running = true;
  }

  release(): void {
    this.running = false;
  }

  add(entry: JobEntry): void {
    this.jobs.set(entry.view.id, entry);
    while (this.jobs.size > KEPT_JOBS) {
      const oldest = this.jobs.keys().next().value;
      if (oldest === undefined) break;
      this.jobs.delete(oldest);
    }
  }

  get(id: string, ownerId: number): StudentUploadJob {
    const e = this.jobs.get(id);
    // Someone else's job answers as a missing one: nothing about it leaks.
    if (!e || e.ownerId !== ownerId) throw new EduplanError('E_NOT_FOUND');
    return e.view;
  }
}

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

/** Data lines of a CSV file (lines after the header that are not empty), counted on bytes. */
async function countCsvRows(path: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines += 1;
    if (b.length > 0) last = b[b.length - 1] as number;
  }
  if (last !== 10) lines += 1;
  return Math.max(0, lines - 1);
}

/** Each org unit's lineage (itself and its ancestors), from one read of the org-unit table. */
async function lineages(deps: ServerDeps): Promise<(code: string) => readonly string[] | null> {
  const rows = await deps.store.db.selectFrom('org_unit').select(['code', 'parent_code']).execute();
  const parent = new Map(rows.map((r) => [r.code, r.parent_code]));
  return (code) => {
    if (!parent.has(code)) return null;
    const out: string[] = [];
    for (let c: string | null | undefined = code; c !== null && c !== undefined && out.length < 8; c = parent.get(c)) out.push(c);
    return out;
  };
}

/**
 * Validating: count the rows and, for an account without a city-wide import grant, check
 * that every school in the file lies within its grants. Unknown school codes are left to the
 * import, which lists them as problems; a bad header too.
 */
async function validate(deps: ServerDeps, account: AuthAccount, ip: string | null, path: string, fileName: string, kind: StudentFileKind, job: StudentUploadJob): Promise<void> {
  const grants = account.grants.filter((g) => STUDENT_IMPORT_ROLES.includes(g.role));
  const lineageOf = await lineages(deps);
  const cityWide = grants.some((g) => (lineageOf(g.orgCode)?.length ?? 0) === 1);
  const isCsv = extname(path).toLowerCase() === '.csv';
  if (cityWide) {
    if (isCsv) job.rowsTotal = await countCsvRows(path);
    return;
  }
  const { sheet, batches } = readRowBatches(path);
  const where = { file: fileName, ...(sheet !== undefined ? { sheet } : {}) };
  let schoolColumn: number | undefined;
  let headerSeen = false;
  let rows = 0;
  const firstRow = new Map<string, number>();
  for await (const batch of batches) {
    for (const r of batch) {
      if (!headerSeen) {
        headerSeen = true;
        schoolColumn = mapHeader(r.cells, kind, where).index.school;
        if (schoolColumn === undefined) return; // the import reports the header
        continue;
      }
      rows += 1;
      const code = (r.cells[schoolColumn as number] ?? '').trim();
      if (!firstRow.has(code)) firstRow.set(code, r.row);
    }
    job.rowsChecked = rows;
  }
  job.rowsTotal = rows;
  const outside: Problem[] = [];
  for (const [code, row] of firstRow) {
    const lineage = lineageOf(code);
    if (lineage === null) continue;
    if (grants.some((g) => lineage.includes(g.orgCode))) continue;
    outside.push({
      ...where, row, column: '学校代码', value: code, rule: 'scope',
      message_zh: `学校 ${code} 不在您的管理范围内：只能导入本区学校的记录`, message_en: `school ${code} is outside your scope: you can import records of your district's schools only`,
      fix_zh: '删去其他区学校的行，或请市级管理员导入', fix_en: 'Remove the rows of other districts’ schools, or ask the city administrator to import the file',
    });
  }
  if (outside.length > 0) {
    await auditAlone(deps.store, deps.clock(), {
      actorId: account.id, actor: account.username, action: 'access.denied', outcome: 'denied', ip,
      after: { attempted: 'student_records.import', kind, schools: outside.slice(0, 50).map((p) => String(p.value)), outsideCount: outside.length },
    });
    throw new EduplanError('E_FORBIDDEN', { problems: outside.slice(0, MAX_JOB_PROBLEMS), detail: `${outside.length} school(s) outside your scope / ${outside.length} 所学校不在管理范围内` });
  }
}

function errorOf(err: unknown): NonNullable<StudentUploadJob['error']> {
  const e = err instanceof EduplanError ? err : new EduplanError('E_DB', { detail: 'internal error / 内部错误' });
  const body = e.toJSON().error;
  return { ...body, problems: body.problems.slice(0, MAX_JOB_PROBLEMS).map((p) => ({ ...p })) };
}

/**
 * Validate and import; the slot is released (`release`) before the job shows its final
 * phase, so a client that sees `done` can upload the next file at once.
 */
async function runJob(app: FastifyInstance, deps: ServerDeps, account: AuthAccount, ip: string | null, dir: string, path: string, job: StudentUploadJob, release: () => void): Promise<void> {
  const kind = job.kind;
  let final: { phase: 'done'; result: NonNullable<StudentUploadJob['result']> } | { phase: 'failed'; error: NonNullable<StudentUploadJob['error']> };
  try {
    job.phase = 'validating';
    await validate(deps, account, ip, path, job.fileName, kind, job);
    job.phase = 'importing';
    const r: StudentImportResult = await importStudentFile(deps.store, path, {
      kind, ...(job.year !== null ? { year: job.year } : {}), pseudonymKey: deps.config.pseudonymKey, clock: deps.clock, actor: account.username,
      onProgress: (rows) => { job.rowsDone = rows; },
    });
    job.rowsDone = r.rows;
    let indicators: 'recomputed' | 'unchanged' | 'failed' = 'unchanged';
    const year = job.year ?? yearFromFileName(path);
    if (!r.skipped && year !== null) {
      try {
        await recomputeIndicators(deps.store, { years: [year], clock: deps.clock });
        indicators = 'recomputed';
      } catch (err) {
        indicators = 'failed';
        app.log.error({ code: err instanceof EduplanError ? err.code : 'unknown' }, 'student upload: indicator recompute failed');
      }
    }
    final = { phase: 'done', result: { batchId: r.batchId, rows: r.rows, skipped: r.skipped, parseThreads: r.parseThreads, indicators } };
  } catch (err) {
    final = { phase: 'failed', error: errorOf(err) };
    // Only the name: messages of database errors can quote row values (student data).
    if (!(err instanceof EduplanError)) app.log.error({ name: err instanceof Error ? err.name : typeof err }, 'student upload: import failed');
  }
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  release();
  job.finishedAt = deps.clock().toISOString();
  if (final.phase === 'done') job.result = final.result;
  else job.error = final.error;
  job.phase = final.phase;
}

const routes: RouteModule = async (app, deps) => {
  const registry = new JobRegistry();
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

      registry.reserve();
      let dir: string | null = null;
      try {
        dir = await mkdtemp(join(tmpdir(), 'eduplan-student-upload-'));
        const path = join(dir, fileName);
        const bytes = await receive(body, path, limit);
        if (bytes === 0) throw new EduplanError('E_INPUT_INVALID', { detail: 'the file is empty / 文件为空' });
        const job: StudentUploadJob = {
          id: randomUUID(), kind: q.kind, year: q.year ?? null, fileName, phase: 'uploaded', bytes, rowsTotal: null, rowsChecked: 0, rowsDone: 0,
          startedAt: deps.clock().toISOString(), finishedAt: null, result: null, error: null,
        };
        registry.add({ ownerId: account.id, view: job });
        const jobDir = dir;
        dir = null; // the job owns the folder now
        const answer = { job: { ...job } };
        runJob(app, deps, account, clientIp(req), jobDir, path, job, () => registry.release()).catch(() => registry.release());
        reply.status(202);
        return answer;
      } catch (err) {
        // A body cut off mid-way cannot be left on a kept-alive connection.
        if (err instanceof EduplanError && err.code === 'E_IMPORT_TOO_LARGE') reply.header('connection', 'close');
        registry.release();
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
