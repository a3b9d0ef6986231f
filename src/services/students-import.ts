/**
 * City-scale import of student fitness (体测) and vision (视力筛查) records:
 * stream → validate → score / classify → pseudonymise → COPY, all inside one
 * `store.transaction` (whole file or nothing), then per-school aggregates written into
 * `data_value` as the catalogue's derived elements, in the same transaction.
 *
 * - Re-importing the same bytes is a no-op (import_batch sha256, kind per record type).
 * - A corrected file replaces the school-years it contains (rows of other batches for
 *   the same schools and year are deleted once the new rows are in).
 * - Pseudonym = HMAC-SHA256(key, upper-cased 学籍号), hex. The key comes from
 *   configuration; the raw student number, names and ID numbers are never stored.
 * - Two ways to read, one row processor (student-rows.ts): a large plain CSV file is
 *   parsed by worker threads in line-aligned ranges (`importInShards`); XLSX, small files
 *   and CSV with quotes are read in this thread (`importInOneThread`). Rows go to the
 *   database as binary COPY (store/binary-copy.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import { derivedElements, expandElement } from '../core/elements/catalogue.ts';
import { schoolTypes, type SchoolType } from '../core/org/types.ts';
import { defaultMyopiaPolicy, type MyopiaPolicy } from '../core/standards/vision/myopia.ts';
import { lineAlignedRanges, readCsvHead, type CsvHead } from '../ingest/student-records/csv-shards.ts';
import { DigestSet } from '../ingest/student-records/fast-csv-hmac.ts';
import { readRowBatches } from '../ingest/student-records/readers.ts';
import { mapHeader, type RawRow, type StudentFileKind } from '../ingest/student-records/format.ts';
import { distinctBuffers } from '../store/binary-copy.ts';
import { yearPartition } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';
import { appendAudit } from './audit.ts';
import { markStale } from './recompute.ts';
import { workerBundle } from '../ingest/student-records/worker-bundle.ts';
import type { ShardCommand, ShardDone, ShardJob, ShardMessage } from '../ingest/student-records/protocol.ts';
import {
  columnsOf, duplicateStudentProblem, MAX_PROBLEMS, StudentRowProcessor, type RowProcessorInit, type SchoolTally,
} from '../ingest/student-records/rows.ts';


export interface StudentImportOptions {
  readonly kind: StudentFileKind;
  /** Academic year; otherwise taken from the file name `fitness-<year>.csv|xlsx`. */
  readonly year?: number;
  /** Key for the student-number pseudonym (configuration, e.g. EDUPLAN_PSEUDONYM_KEY). */
  readonly pseudonymKey: string;
  readonly clock: () => Date;
  readonly onProgress?: (rowsDone: number) => void;
  readonly myopiaPolicy?: MyopiaPolicy;
  /** Rows per COPY statement (default 200,000; per parse worker 50,000); tests use a small value to exercise several segments. */
  readonly segmentRows?: number;
  /** Who imports, for the audit log (an account name, or `cli`). Default `cli`. */
  readonly actor?: string;
  /**
   * Parse workers for a plain CSV file (default: the machine's cores, at most 4; 1 = parse
   * in this thread). XLSX and CSV with quotes are always read in this thread.
   */
  readonly parseWorkers?: number;
  /** Smallest CSV file given to parse workers (default 16 MiB, ~70,000 rows: starting a worker costs ~0.3 s). */
  readonly parallelMinBytes?: number;
  /**
   * The user has confirmed that this file replaces records already stored for its schools'
   * year. Without it, such an import changes nothing and answers E_REPLACE_UNCONFIRMED,
   * listing each school with the records it has and the rows the file brings.
   */
  readonly replace?: boolean;
}

export interface StudentImportResult {
  readonly batchId: number | null;
  readonly rows: number;
  readonly skipped: boolean;
  /** Threads that parsed the file: 1 = the importer's own; more = parse workers. 0 when skipped. */
  readonly parseThreads: number;
}

/**
 * Rows per COPY statement: bounds memory (PGlite buffers a whole COPY before running it;
 * at most two segments are held: the one being copied and the one being built).
 */
const SEGMENT_ROWS = 200_000;
/** Rows per segment from a parse worker (each holds at most two unacknowledged). */
const SHARD_SEGMENT_ROWS = 50_000;
const PARALLEL_MIN_BYTES = 16 << 20;
/** The parse workers' module (bundled by worker-bundle.ts, or booted through tsx). */
const WORKER_ENTRY = new URL('../ingest/student-records/parse-worker.ts', import.meta.url);

/** Academic year from `fitness-2023.csv` / `vision-2023.xlsx`, else null. */
export function yearFromFileName(filePath: string): number | null {
  const m = /(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)/.exec(basename(filePath));
  return m ? Number(m[1]) : null;
}

async function sha256File(filePath: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** What both reading paths share: the file, its year and batch, the org units, the options. */
interface ImportFile {
  readonly path: string;
  readonly fileName: string;
  readonly year: number;
  readonly sha: string;
  readonly size: number;
  readonly batchKind: 'student_fitness' | 'student_vision';
  readonly table: 'student_fitness' | 'vision_screening';
  /** The year's partition of `table`, which the rows are copied into. */
  readonly partition: string;
  readonly schoolTypes: ReadonlyArray<readonly [string, SchoolType]>;
  readonly opts: StudentImportOptions;
}

/** What reading a file produced, whichever path read it. */
interface ReadOutcome {
  readonly rows: number;
  readonly problems: Problem[];
  readonly problemCount: number;
  readonly tallies: ReadonlyMap<string, SchoolTally>;
  readonly where: { readonly file: string; readonly sheet?: string };
}

/** A shard met a quote or a stray CR: roll back and read the file in one thread. */
class NotPlainCsv extends Error {}

export async function importStudentFile(store: Store, filePath: string, opts: StudentImportOptions): Promise<StudentImportResult> {
  const fileName = basename(filePath);
  if (!existsSync(filePath)) throw new EduplanError('E_FILE_NOT_FOUND', { detail: filePath });
  if (opts.pseudonymKey.length < 16) {
    throw new EduplanError('E_CONFIG', { detail: 'pseudonym key missing or shorter than 16 characters (EDUPLAN_PSEUDONYM_KEY) / 假名化密钥未设置或少于16个字符' });
  }
  const fromName = yearFromFileName(filePath);
  const year = opts.year ?? fromName;
  if (year === null || !Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new EduplanError('E_IMPORT_INVALID', {
      problems: [{ file: fileName, rule: 'year', message_zh: '无法确定学年：文件名应为 fitness-<学年>.csv 或 vision-<学年>.xlsx，或指定 --year', message_en: 'cannot tell the academic year: name the file fitness-<year>.csv or vision-<year>.xlsx, or pass --year' }],
    });
  }
  const batchKind = opts.kind === 'fitness' ? 'student_fitness' : 'student_vision';
  // The file's SHA-256 decides whether this is a re-import (skipped). Meanwhile (the hash
  // reads the whole file, ~0.4 s for 1.5 M rows) the org units are read and, for a large
  // plain CSV file, the parse workers start and load what they need; they read no row
  // until the import's batch exists (ShardWorkers.begin).
  const hashing = sha256File(filePath);
  hashing.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const schoolRows = await store.db.selectFrom('org_unit').select(['code', 'school_type']).where('level', '=', 'school').execute();
  const types: Array<[string, SchoolType]> = [];
  for (const s of schoolRows) if (s.school_type !== null && (schoolTypes as readonly string[]).includes(s.school_type)) types.push([s.code, s.school_type as SchoolType]);
  const table = opts.kind === 'fitness' ? 'student_fitness' : 'vision_screening';
  const { size } = await stat(filePath);
  const base: Omit<ImportFile, 'sha'> = { path: filePath, fileName, year, size, batchKind, table, partition: yearPartition(table, year), schoolTypes: types, opts };

  const workerCount = opts.parseWorkers ?? Math.min(4, availableParallelism());
  let shards: ShardWorkers | null = null;
  try {
    if (workerCount > 1 && size >= (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES) && extname(filePath).toLowerCase() !== '.xlsx') {
      const head = await readCsvHead(filePath);
      if (head !== null) shards = await startShardWorkers(base, head, workerCount);
    }
    const sha = await hashing;
    const seen = await store.db.selectFrom('import_batch').select(['id', 'rows']).where('kind', '=', batchKind).where('sha256', '=', sha).executeTakeFirst();
    if (seen) return { batchId: seen.id, rows: seen.rows, skipped: true, parseThreads: 0 };
    const file: ImportFile = { ...base, sha };
    if (shards !== null) {
      const started = shards;
      try {
        return await store.transaction((tx) => importInShards(tx, file, started));
      } catch (err) {
        if (!(err instanceof NotPlainCsv)) throw err;
      }
    }
    return await store.transaction((tx) => importInOneThread(tx, file));
  } finally {
    await shards?.terminate();
  }
}

function processorInit(file: Omit<ImportFile, 'sha'>, where: ReadOutcome['where'], header: readonly string[], index: RowProcessorInit['index'], batchId: number, expectedRows: number): RowProcessorInit {
  return {
    kind: file.opts.kind, year: file.year, where, header, index, schoolTypes: file.schoolTypes, pseudonymKey: file.opts.pseudonymKey,
    myopiaPolicy: file.opts.myopiaPolicy ?? defaultMyopiaPolicy, batchId, expectedRows,
  };
}

async function beginBatch(tx: Tx, file: ImportFile): Promise<number> {
  // Rows go straight into the year's partition (migration 0007), made on the year's first import.
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(file.partition)} PARTITION OF ${sql.table(file.table)} FOR VALUES IN (${sql.lit(file.year)})`.execute(tx.db);
  const batch = await tx.db.insertInto('import_batch')
    .values({ kind: file.batchKind, file_name: file.fileName, sha256: file.sha, rows: 0, imported_at: file.opts.clock().toISOString() })
    .returning('id').executeTakeFirstOrThrow();
  return batch.id;
}

/** XLSX, small files and CSV outside the plain subset: read, validate and score in this thread. */
async function importInOneThread(tx: Tx, file: ImportFile): Promise<StudentImportResult> {
  const { opts } = file;
  const { sheet, batches } = readRowBatches(file.path);
  const iter = batches[Symbol.asyncIterator]();
  let first = await iter.next();
  while (!first.done && first.value.length === 0) first = await iter.next();
  const where = { file: file.fileName, ...(sheet !== undefined ? { sheet } : {}) };
  if (first.done) throw new EduplanError('E_IMPORT_INVALID', { problems: [{ ...where, rule: 'empty', message_zh: '文件为空', message_en: 'the file is empty' }] });
  const firstBatch = first.value;
  const header = (firstBatch[0] as RawRow).cells;
  const mapped = mapHeader(header, opts.kind, where);
  if (mapped.problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems: mapped.problems });

  const batchId = await beginBatch(tx, file);
  // A record line is ~150–300 bytes (147 in the demo files): the duplicate-check set is sized once from the file.
  const proc = new StudentRowProcessor(processorInit(file, where, header, mapped.index, batchId, Math.ceil(file.size / 150)));
  // Rows are written into segments of binary COPY tuples; a segment's COPY runs (in the
  // PGlite worker, or in the server) while the next segment is parsed, validated, scored
  // and pseudonymised here: two cores busy instead of taking turns. One COPY at a time on
  // the connection; at most two segments in memory.
  let inFlight: Promise<void> | null = null;
  const flush = async (): Promise<void> => {
    if (proc.copy.rows === 0) return;
    const segment = proc.copy.take();
    if (inFlight !== null) await inFlight;
    // The segment's buffers are written again once copied (BinaryCopyWriter.recycle).
    const copied = tx.copyBinary(file.partition, proc.columns, segment).then((r) => proc.copy.recycle(r.buffers));
    // Observed by the next await; this keeps a failed COPY from being an unhandled rejection meanwhile.
    copied.catch(() => undefined);
    inFlight = copied;
  };
  const consume = (rows: readonly RawRow[]): void => {
    for (let i = 0; i < rows.length; i++) {
      // Once the file is known to be bad nothing more is copied (it will be rolled back);
      // every row is still validated so that the answer lists every bad cell.
      proc.process(rows[i] as RawRow, proc.problemCount === 0);
      if (opts.onProgress && proc.rows % 10_000 === 0) opts.onProgress(proc.rows);
    }
  };
  consume(firstBatch.slice(1));
  for (;;) {
    const r = await iter.next();
    if (r.done) break;
    consume(r.value);
    if (proc.copy.rows >= (opts.segmentRows ?? SEGMENT_ROWS)) await flush();
  }
  if (proc.problemCount === 0) await flush();
  if (inFlight !== null) await inFlight;
  return finish(tx, file, batchId, { rows: proc.rows, problems: proc.problems, problemCount: proc.problemCount, tallies: proc.tallies, where }, 1);
}

/**
 * The parse workers of a large plain CSV file, started before the import's batch exists:
 * each gets its line-aligned range and loads the standard's tables and the hash kernel,
 * then waits for `begin`. Their messages are collected from the start (a worker that
 * fails while loading is reported when the import waits for it).
 */
interface ShardWorkers {
  readonly workers: readonly Worker[];
  readonly where: ReadOutcome['where'];
  readonly studentNoColumn: string;
  readonly queue: Array<{ readonly k: number; readonly msg: Extract<ShardMessage, { type: 'segment' }> }>;
  readonly dones: Array<ShardDone | undefined>;
  failure: unknown;
  notPlain: boolean;
  wake: (() => void) | null;
  /** Start reading, the rows to carry this batch id. */
  begin(batchId: number): void;
  terminate(): Promise<void>;
}

async function startShardWorkers(file: Omit<ImportFile, 'sha'>, head: CsvHead, workerCount: number): Promise<ShardWorkers> {
  const { opts } = file;
  const where = { file: file.fileName };
  const mapped = mapHeader(head.header, opts.kind, where);
  if (mapped.problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems: mapped.problems });
  const ranges = await lineAlignedRanges(file.path, head.dataStart, head.size, workerCount);
  const segmentRows = opts.segmentRows ?? SHARD_SEGMENT_ROWS;
  // Pre-bundled worker code (worker-bundle.ts), or null: boot through tsx.
  const bundle = await workerBundle(WORKER_ENTRY);
  const workers = ranges.map((r) => {
    const job: ShardJob = {
      path: file.path, start: r.start, end: r.end, crlf: head.crlf, segmentRows,
      // batchId 0 until `begin` gives the real one.
      init: processorInit(file, where, head.header, mapped.index, 0, Math.ceil((r.end - r.start) / 150)),
    };
    // A larger young generation (32 MiB semi-spaces instead of V8's 16): on the string path a row
    // makes ~30 short-lived strings, and fewer scavenges cut its CPU per row by ~20 % (15.5–16.3
    // against 19–21 µs, parse-only runs of 300,000 rows). The byte path allocates almost nothing
    // per row; the setting still serves files whose rows take the string path.
    return new Worker(bundle ?? new URL('../ingest/student-records/parse-worker-boot.mjs', import.meta.url), { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
  });
  const shards: ShardWorkers = {
    workers, where, studentNoColumn: head.header[mapped.index.student_no ?? 0] ?? '学籍号',
    queue: [], dones: workers.map(() => undefined), failure: null, notPlain: false, wake: null,
    begin(batchId) {
      const msg: ShardCommand = { type: 'begin', batchId };
      for (const w of workers) w.postMessage(msg);
    },
    terminate: async () => { await Promise.all(workers.map((w) => w.terminate())); },
  };
  workers.forEach((w, k) => {
    w.on('message', (msg: ShardMessage) => {
      if (msg.type === 'segment') shards.queue.push({ k, msg });
      else if (msg.type === 'done') shards.dones[k] = msg;
      else shards.notPlain = true;
      shards.wake?.();
    });
    w.on('error', (err) => { shards.failure ??= err; shards.wake?.(); });
    w.on('exit', (code) => {
      if (shards.dones[k] === undefined && !shards.notPlain) shards.failure ??= new Error(`parse worker ${k} stopped (exit code ${code}) before finishing`);
      shards.wake?.();
    });
  });
  return shards;
}

/**
 * A large plain CSV file: N parse workers each read one line-aligned range and do the
 * per-row work (student-import-worker.ts); this thread only copies their binary segments
 * into the database, one COPY at a time, and merges what they found. The result is the
 * same as reading in one thread (tested): row numbers are made absolute from each range's
 * line count, and a student number is a duplicate when it was seen in an earlier range
 * (each range checks its own). A range that is not plain CSV throws NotPlainCsv: the
 * transaction rolls back and the file is read in one thread.
 */
async function importInShards(tx: Tx, file: ImportFile, shards: ShardWorkers): Promise<StudentImportResult> {
  const { opts } = file;
  const { workers, queue, dones } = shards;
  const batchId = await beginBatch(tx, file);
  shards.begin(batchId);
  const columns = columnsOf(opts.kind);
  const seenByShard = workers.map(() => 0);
  try {
    let anyProblem = false;
    for (;;) {
      if (shards.notPlain) throw new NotPlainCsv();
      if (shards.failure !== null) throw shards.failure;
      const item = queue.shift();
      if (item !== undefined) {
        anyProblem ||= item.msg.problemCount > 0;
        // Once the file is known to be bad nothing more is copied (it will be rolled back).
        // The acknowledgement hands the segment's buffers back to the worker to write again.
        const buffers = anyProblem ? distinctBuffers(item.msg.chunks) : (await tx.copyBinary(file.partition, columns, item.msg.chunks)).buffers;
        const ack: ShardCommand = { type: 'ack', buffers };
        workers[item.k]?.postMessage(ack, buffers);
        seenByShard[item.k] = item.msg.rowsSeen;
        opts.onProgress?.(seenByShard.reduce((a, b) => a + b, 0));
        continue;
      }
      if (dones.every((d) => d !== undefined)) break;
      await new Promise<void>((resolve) => (shards.wake = resolve));
      shards.wake = null;
    }
  } finally {
    await shards.terminate();
  }
  return finish(tx, file, batchId, mergeShards(dones as ShardDone[], shards.where, shards.studentNoColumn), workers.length);
}

/** Absolute row numbers, duplicates across ranges, one problem list in file order, summed tallies. */
function mergeShards(dones: readonly ShardDone[], where: ReadOutcome['where'], studentNoColumn: string): ReadOutcome {
  const problems: Problem[] = [];
  let problemCount = 0;
  let rows = 0;
  const tallies = new Map<string, SchoolTally>();
  // The last range's digests are only looked up, never added.
  const seen = new DigestSet(dones.slice(0, -1).reduce((n, d) => n + d.firstSeenRows.length, 0));
  // The header is row 1; each range's rows follow the lines of the ranges before it.
  let base = 1;
  dones.forEach((d, k) => {
    rows += d.rowsSeen;
    problemCount += d.problemCount;
    for (const p of d.problems) problems.push(p.row === undefined ? p : { ...p, row: p.row + base });
    // A first occurrence in this range that an earlier range already had is a duplicate.
    // A range's first occurrences are distinct, so one probe answers both "seen before?"
    // and (for all but the last range) adds the digest.
    const words = d.firstSeenWords;
    const last = k === dones.length - 1;
    for (let i = 0; i < d.firstSeenRows.length; i++) {
      if (last ? seen.has(words, 8 * i) : !seen.add(words, 8 * i)) {
        problemCount += 1;
        problems.push(duplicateStudentProblem(where, (d.firstSeenRows[i] as number) + base, studentNoColumn));
      }
    }
    for (const [school, type, counts] of d.tallies) {
      let t = tallies.get(school);
      if (!t) { t = { type, counts: new Map() }; tallies.set(school, t); }
      for (const [key, c] of counts) {
        const have = t.counts.get(key);
        if (have) { have[0] += c[0]; have[1] += c[1]; have[2] += c[2]; } else t.counts.set(key, [c[0], c[1], c[2]]);
      }
    }
    base += d.lines;
  });
  // File order, as one thread would list them (stable: a row's own problems keep their order).
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { rows, problems: problems.slice(0, MAX_PROBLEMS), problemCount, tallies, where };
}

/** Problems → error; else replace the schools' year, write derived elements, count, audit. */
async function finish(tx: Tx, file: ImportFile, batchId: number, r: ReadOutcome, parseThreads: number): Promise<StudentImportResult> {
  const { opts } = file;
  opts.onProgress?.(r.rows);
  const problems = r.problems;
  if (r.rows === 0) problems.push({ ...r.where, rule: 'empty', message_zh: '文件没有数据行', message_en: 'the file has no data rows' });
  if (problems.length > 0) {
    throw new EduplanError('E_IMPORT_INVALID', { problems, detail: `${r.problemCount} problem(s) in ${r.rows} row(s) / 共${r.problemCount}处问题` });
  }
  const schools = [...r.tallies.keys()];
  if (opts.replace !== true) await refuseUnconfirmedReplacement(tx, file, r, batchId);
  await replaceSchoolYears(tx, file, schools, batchId);
  await markStale(tx.db, opts.clock(), [file.year], `${opts.kind}:${batchId}`);
  await writeDerivedElements(tx, opts.kind, file.year, r.tallies, batchId);
  await tx.db.updateTable('import_batch').set({ rows: r.rows }).where('id', '=', batchId).execute();
  // Minors' records: the import is audited in its own transaction, with counts only
  // (no student number, pseudonym or measurement goes into the audit log).
  await appendAudit(tx.db, opts.clock(), {
    actorId: null, actor: opts.actor ?? 'cli', action: 'students.import', outcome: 'success', objectType: 'import_batch', objectId: batchId,
    after: { file: file.fileName, kind: opts.kind, year: file.year, sha256: file.sha, rows: r.rows, schools: schools.length },
  });
  return { batchId, rows: r.rows, skipped: false, parseThreads };
}

/**
 * A file that would replace records already stored for some of its schools' year is
 * refused unless the user confirmed (`replace`): a 25-row file must not silently replace a
 * school's 280 records. The answer lists every such school with both counts; the caller's
 * transaction rolls back, so nothing is written.
 */
async function refuseUnconfirmedReplacement(tx: Tx, file: ImportFile, r: ReadOutcome, batchId: number): Promise<void> {
  const schools = [...r.tallies.keys()];
  const held: string[] = [];
  for (let i = 0; i < schools.length; i += 1000) {
    const part = schools.slice(i, i + 1000);
    const rows = await tx.db.selectFrom('student_school_year').select('org_code').where('kind', '=', file.opts.kind).where('year', '=', file.year).where('org_code', 'in', part).execute();
    held.push(...rows.map((e) => e.org_code));
  }
  if (held.length === 0) return;
  // The file's own rows are already copied in this transaction: count both sides in one scan.
  const counts = new Map<string, { stored: number; incoming: number }>();
  for (let i = 0; i < held.length; i += 1000) {
    const part = held.slice(i, i + 1000);
    const rows = await sql<{ org_code: string; stored: number; incoming: number }>`
      SELECT org_code, count(*) FILTER (WHERE batch_id <> ${batchId})::int AS stored, count(*) FILTER (WHERE batch_id = ${batchId})::int AS incoming
      FROM ${sql.table(file.table)} WHERE year = ${file.year} AND org_code IN (${sql.join(part)}) GROUP BY org_code`.execute(tx.db);
    for (const row of rows.rows) counts.set(row.org_code, { stored: Number(row.stored), incoming: Number(row.incoming) });
  }
  const stored = [...counts].filter(([, n]) => n.stored > 0).sort((a, b) => a[0].localeCompare(b[0]));
  if (stored.length === 0) return;
  const names = new Map((await tx.db.selectFrom('org_unit').select(['code', 'name_zh']).where('code', 'in', stored.map(([c]) => c)).execute()).map((o) => [o.code, o.name_zh]));
  const total = stored.reduce((a, [, n]) => a + n.stored, 0);
  const what = file.opts.kind === 'fitness' ? { zh: '体测', en: 'fitness' } : { zh: '视力筛查', en: 'vision' };
  throw new EduplanError('E_REPLACE_UNCONFIRMED', {
    detail: `${total} stored ${what.en} record(s) of ${stored.length} school(s) for ${file.year} / 将替换 ${stored.length} 所学校 ${file.year} 学年已有的 ${total} 条${what.zh}记录`,
    problems: stored.map(([code, n]) => ({
      file: file.fileName, column: '学校代码', value: code, rule: 'replaces_stored_records',
      message_zh: `${names.get(code) ?? code}（${code}）${file.year}学年已有 ${n.stored} 条${what.zh}记录，将被本文件的 ${n.incoming} 条替换`,
      message_en: `school ${code} has ${n.stored} stored ${what.en} record(s) for ${file.year}; this file would replace them with ${n.incoming}`,
    })),
  });
}

/**
 * A corrected file replaces its schools' year: rows of earlier imports for those schools
 * are dropped, and `student_school_year` records this import as the one holding them.
 * Only schools that already had rows that year are deleted from (the year's partition
 * has no index: migration 0007), so a first upload deletes nothing.
 */
async function replaceSchoolYears(tx: Tx, file: ImportFile, schools: readonly string[], batchId: number): Promise<void> {
  const kind = file.opts.kind;
  for (let i = 0; i < schools.length; i += 1000) {
    const part = schools.slice(i, i + 1000);
    const earlier = await tx.db.selectFrom('student_school_year').select('org_code')
      .where('kind', '=', kind).where('year', '=', file.year).where('org_code', 'in', part).execute();
    if (earlier.length > 0) {
      await tx.db.deleteFrom(file.table).where('year', '=', file.year).where('org_code', 'in', earlier.map((e) => e.org_code)).where('batch_id', '<>', batchId).execute();
    }
    await tx.db.insertInto('student_school_year').values(part.map((org_code) => ({ kind, year: file.year, org_code, batch_id: batchId })))
      .onConflict((oc) => oc.columns(['kind', 'year', 'org_code']).doUpdateSet({ batch_id: batchId })).execute();
  }
}

/**
 * Per-school counts as the catalogue's derived elements (`fitness.tested.g7.f`, …),
 * source `derived:<batch id>`, replacing the same elements of earlier imports for the
 * schools in this file. Every grade × sex of the school type is written (0 when none).
 */
async function writeDerivedElements(tx: Tx, kind: StudentFileKind, year: number, tallies: ReadonlyMap<string, SchoolTally>, batchId: number): Promise<void> {
  const prefix = kind === 'fitness' ? 'fitness.' : 'vision.';
  const defs = derivedElements.filter((d) => d.code.startsWith(prefix));
  const schools = [...tallies.keys()];
  for (let i = 0; i < schools.length; i += 1000) {
    const part = schools.slice(i, i + 1000);
    await tx.db.deleteFrom('data_value').where('year', '=', year).where('org_code', 'in', part).where('element', 'like', `${prefix}%`).execute();
  }
  const source = `derived:${batchId}`;
  const lines: string[] = [];
  const measureOf: Readonly<Record<string, number>> = { 'fitness.tested': 0, 'fitness.excellent_good': 1, 'fitness.passed': 2, 'vision.screened': 0, 'vision.myopic': 1 };
  for (const [school, t] of tallies) {
    defs.forEach((def) => {
      const measure = measureOf[def.code] ?? 0;
      for (const code of expandElement(def, t.type)) {
        const key = code.slice(def.code.length + 1); // `g7.f`
        const c = t.counts.get(key);
        // fitness: tested, excellent_good, passed; vision: screened, myopic.
        lines.push(`${school},${year},${code},${c ? c[measure] : 0},${source}\n`);
      }
    });
  }
  if (lines.length > 0) {
    await tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'], (function* () {
      for (let i = 0; i < lines.length; i += 2000) yield lines.slice(i, i + 2000).join('');
    })());
  }
}

/** Count check used by tests and the CLI summary. */
export async function countStudentRows(store: Store, kind: StudentFileKind, year: number): Promise<number> {
  const table = kind === 'fitness' ? 'student_fitness' : 'vision_screening';
  const r = await sql<{ c: number }>`SELECT count(*)::int AS c FROM ${sql.table(table)} WHERE year = ${year}`.execute(store.db);
  return r.rows[0]?.c ?? 0;
}
