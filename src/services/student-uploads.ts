/**
 * Student-record uploads from the web (routes/student-uploads.ts): the in-memory job
 * registry, and the job that imports a received file through the use case
 * (`importStudentRecords`: the account's scope checked before anything is written, the
 * import, the recompute) while its owner polls it. The route only receives the body and
 * answers; everything here takes its dependencies as arguments.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { StudentUploadJob, StudentUploadQuery } from '../contract/student-records.ts';
import { EduplanError } from '../core/errors.ts';
import { requireAction } from './authorize.ts';
import type { Actor, ServiceDeps, ServiceLog } from './deps.ts';
import { importStudentRecords, type StudentRecordsDeps } from './student-records.ts';

export interface StudentUploadDeps extends StudentRecordsDeps {
  /** For failures that must not reach the client in detail (no student data in the fields). */
  readonly log: ServiceLog;
  /** The server's jobs (one registry per server). */
  readonly uploads: JobRegistry;
}

/** Problems kept on a failed job (the service lists at most this many too). */
const MAX_JOB_PROBLEMS = 1000;
/** Finished jobs kept in memory (the oldest are forgotten first). */
const KEPT_JOBS = 20;

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

/** A file received in full, in a temporary folder of its own (which the job deletes when it ends). */
export interface ReceivedUpload {
  readonly query: StudentUploadQuery;
  readonly fileName: string;
  readonly dir: string;
  readonly path: string;
  readonly bytes: number;
}

/**
 * Start the import job of a received file, in the slot the caller reserved
 * (`deps.uploads.reserve()`, released when the job ends); answers the job as it starts.
 */
export function startStudentUpload(deps: StudentUploadDeps, actor: Actor, input: ReceivedUpload): StudentUploadJob {
  const { query } = input;
  const job: StudentUploadJob = {
    id: randomUUID(), kind: query.kind, year: query.year ?? null, replace: query.replace === 'true', fileName: input.fileName, phase: 'uploaded', bytes: input.bytes,
    rowsTotal: null, rowsChecked: 0, rowsDone: 0, startedAt: deps.clock().toISOString(), finishedAt: null, result: null, error: null,
  };
  deps.uploads.add({ ownerId: actor.account.id, view: job });
  const started = { ...job };
  runJob(deps, actor, input, job).catch(() => deps.uploads.release());
  return started;
}

/** A job, to the account that started it only (anyone else: E_NOT_FOUND). */
export function studentUploadJob(deps: Pick<StudentUploadDeps, 'uploads'>, actor: Actor, input: { readonly id: string }): StudentUploadJob {
  return deps.uploads.get(input.id, actor.account.id);
}

function errorOf(err: unknown): NonNullable<StudentUploadJob['error']> {
  const e = err instanceof EduplanError ? err : new EduplanError('E_DB', { detail: 'internal error / 内部错误' });
  const body = e.toJSON().error;
  return { ...body, problems: body.problems.slice(0, MAX_JOB_PROBLEMS).map((p) => ({ ...p })) };
}

/**
 * Validate and import; the slot is released before the job shows its final phase, so a
 * client that sees `done` can upload the next file at once.
 */
async function runJob(deps: StudentUploadDeps, actor: Actor, upload: ReceivedUpload, job: StudentUploadJob): Promise<void> {
  let final: { phase: 'done'; result: NonNullable<StudentUploadJob['result']> } | { phase: 'failed'; error: NonNullable<StudentUploadJob['error']> };
  try {
    const r = await importStudentRecords(deps, actor, { path: upload.path, kind: job.kind, ...(job.year !== null ? { year: job.year } : {}), replace: job.replace }, {
      onPhase: (phase) => { job.phase = phase; },
      onRowsTotal: (rows) => { job.rowsTotal = rows; },
      onRowsChecked: (rows) => { job.rowsChecked = rows; },
      onRowsDone: (rows) => { job.rowsDone = rows; },
    });
    job.rowsDone = r.rows;
    final = { phase: 'done', result: { batchId: r.batchId, rows: r.rows, skipped: r.skipped, parseThreads: r.parseThreads, indicators: r.indicators } };
  } catch (err) {
    final = { phase: 'failed', error: errorOf(err) };
    // Only the name: messages of database errors can quote row values (student data).
    if (!(err instanceof EduplanError)) deps.log.error({ name: err instanceof Error ? err.name : typeof err }, 'student upload: import failed');
  }
  await rm(upload.dir, { recursive: true, force: true }).catch(() => undefined);
  deps.uploads.release();
  job.finishedAt = deps.clock().toISOString();
  if (final.phase === 'done') job.result = final.result;
  else job.error = final.error;
  job.phase = final.phase;
}

/**
 * May this account import student records at all (a district reviewer or the city)? Asked
 * before the upload's body is read, so a refused account never streams a file to disk; which
 * schools it may import is checked per school when the file is read (services/student-records.ts).
 */
export async function mayImportStudentRecords(deps: ServiceDeps, actor: Actor): Promise<void> {
  await requireAction(deps, actor, 'student_records.import');
}
