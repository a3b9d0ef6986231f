/**
 * Student-record uploads from the web (routes/student-uploads.ts): the in-memory job
 * registry, the district-scope check before anything is written, and the job that imports
 * the file (`importStudentFile`) and then recomputes the year's indicators. The route only
 * receives the body and answers; everything here takes its dependencies as arguments.
 */
import { rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { z } from 'zod';
import type { Role } from '../core/auth/roles.ts';
import { EduplanError, type Problem } from '../core/errors.ts';
import { countCsvDataLines, mapHeader, readRowBatches, type StudentFileKind } from '../ingest/student-records/index.ts';
import type { ServiceDeps, ServiceLog } from './deps.ts';
import { auditAlone } from './audit.ts';
import type { AuthAccount } from './auth.ts';
import { importStudentRecords } from './student-records.ts';

export interface StudentUploadDeps extends ServiceDeps {
  /** Key for pseudonymising student numbers (configuration; never stored). */
  readonly pseudonymKey: string;
  /** For failures that must not reach the client in detail (no student data in the fields). */
  readonly log: ServiceLog;
}

/** Roles that may import student records; a district reviewer only for its district's schools. */
export const STUDENT_IMPORT_ROLES: readonly Role[] = ['district_reviewer', 'city_admin'];
/** Problems kept on a failed job (the service lists at most this many too). */
const MAX_JOB_PROBLEMS = 1000;
/** Finished jobs kept in memory (the oldest are forgotten first). */
const KEPT_JOBS = 20;

export const jobPhases = ['uploaded', 'validating', 'importing', 'done', 'failed'] as const;
export type JobPhase = (typeof jobPhases)[number];


const problemSchema = z.object({
  file: z.string().optional(), sheet: z.string().optional(), row: z.number().optional(), column: z.string().optional(), path: z.string().optional(),
  value: z.unknown().optional(), rule: z.string(), message_zh: z.string(), message_en: z.string(), fix_zh: z.string().optional(), fix_en: z.string().optional(),
});
export const studentUploadJobSchema = z.object({
  id: z.string(),
  kind: z.enum(['fitness', 'vision']),
  year: z.number().nullable().describe('as given; null = from the file name'),
  replace: z.boolean().describe('the uploader confirmed that the file replaces records already stored for its schools’ year'),
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
export type StudentUploadJob = z.infer<typeof studentUploadJobSchema>;
interface JobEntry {
  readonly ownerId: number;
  readonly view: StudentUploadJob;
}

/** The in-memory job registry: one running job per server, the last few finished ones. */
export class JobRegistry {
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

/** Each org unit's lineage (itself and its ancestors), from one read of the org-unit table. */
async function lineages(deps: Pick<StudentUploadDeps, 'store'>): Promise<(code: string) => readonly string[] | null> {
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
export async function checkUploadScope(deps: Pick<StudentUploadDeps, 'store' | 'clock'>, account: AuthAccount, ip: string | null, path: string, fileName: string, kind: StudentFileKind, job: StudentUploadJob): Promise<void> {
  const grants = account.grants.filter((g) => STUDENT_IMPORT_ROLES.includes(g.role));
  const lineageOf = await lineages(deps);
  const cityWide = grants.some((g) => (lineageOf(g.orgCode)?.length ?? 0) === 1);
  const isCsv = extname(path).toLowerCase() === '.csv';
  if (cityWide) {
    if (isCsv) job.rowsTotal = await countCsvDataLines(path);
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
export async function runStudentUploadJob(deps: StudentUploadDeps, account: AuthAccount, ip: string | null, dir: string, path: string, job: StudentUploadJob, release: () => void): Promise<void> {
  const kind = job.kind;
  let final: { phase: 'done'; result: NonNullable<StudentUploadJob['result']> } | { phase: 'failed'; error: NonNullable<StudentUploadJob['error']> };
  try {
    job.phase = 'validating';
    await checkUploadScope(deps, account, ip, path, job.fileName, kind, job);
    job.phase = 'importing';
    const r = await importStudentRecords(deps, path, {
      kind, ...(job.year !== null ? { year: job.year } : {}), pseudonymKey: deps.pseudonymKey, actor: account.username, replace: job.replace,
      onProgress: (rows) => { job.rowsDone = rows; },
    });
    job.rowsDone = r.rows;
    final = { phase: 'done', result: { batchId: r.batchId, rows: r.rows, skipped: r.skipped, parseThreads: r.parseThreads, indicators: r.indicators } };
  } catch (err) {
    final = { phase: 'failed', error: errorOf(err) };
    // Only the name: messages of database errors can quote row values (student data).
    if (!(err instanceof EduplanError)) deps.log.error({ name: err instanceof Error ? err.name : typeof err }, 'student upload: import failed');
  }
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  release();
  job.finishedAt = deps.clock().toISOString();
  if (final.phase === 'done') job.result = final.result;
  else job.error = final.error;
  job.phase = final.phase;
}

