/**
 * Reading one student-record file into binary COPY segments, two ways with one row
 * processor (rows.ts): a large plain CSV file is parsed by parse workers in line-aligned
 * ranges (`startParseWorkers`); XLSX, small files and CSV with quotes are read in this
 * thread (`readInOneThread`). Either way the result is the same (tested), and the database
 * is the caller's: segments go to its `CopySink`, whose `begin` makes the import's batch
 * once the header is known to be good.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EduplanError, type Problem } from '../../core/errors.ts';
import type { SchoolType } from '../../core/org/types.ts';
import { defaultMyopiaPolicy, type MyopiaPolicy } from '../../core/standards/vision/myopia.ts';
import { distinctBuffers, type BinaryCopyResult } from '../../store/binary-copy.ts';
import { lineAlignedRanges, readCsvHead, type CsvHead } from './csv-shards.ts';
import { DigestSet } from './fast-csv-hmac.ts';
import { mapHeader, type RawRow, type StudentFileKind } from './format.ts';
import type { ShardCommand, ShardDone, ShardJob, ShardMessage } from './protocol.ts';
import { readRowBatches } from './readers.ts';
import {
  columnsOf, duplicateStudentProblem, MAX_PROBLEMS, StudentRowProcessor, type RowProcessorInit, type SchoolTally,
} from './rows.ts';
import { workerBundle } from '../worker-bundle.ts';

/** What reading a file needs: the file, its year, the org units and the import's options. */
export interface StudentFileSpec {
  readonly path: string;
  readonly fileName: string;
  readonly size: number;
  readonly kind: StudentFileKind;
  readonly year: number;
  readonly schoolTypes: ReadonlyArray<readonly [string, SchoolType]>;
  /** Key for the student-number pseudonym (configuration). */
  readonly pseudonymKey: string;
  readonly myopiaPolicy?: MyopiaPolicy;
  /** Rows per COPY statement (default 200,000; per parse worker 50,000). */
  readonly segmentRows?: number;
  readonly onProgress?: (rowsDone: number) => void;
}

/** Where the rows go: the caller's transaction. */
export interface CopySink {
  /** The header is good: make the import's batch and answer its id (the rows carry it). */
  begin(): Promise<number>;
  /** Copy one segment of binary tuples (`columns` in tuple order); the answer hands its buffers back. */
  copy(columns: readonly string[], tuples: readonly Uint8Array[]): Promise<BinaryCopyResult>;
}

/** What reading a file produced, whichever path read it. */
export interface FileRead {
  readonly rows: number;
  readonly problems: Problem[];
  readonly problemCount: number;
  readonly tallies: ReadonlyMap<string, SchoolTally>;
  readonly where: { readonly file: string; readonly sheet?: string };
  /** Threads that parsed the file: 1 = the importer's own; more = parse workers. */
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
const WORKER_ENTRY = new URL('./parse-worker.ts', import.meta.url);

/** A shard met a quote or a stray CR: roll back and read the file in one thread. */
export class NotPlainCsv extends Error {}

/** The file's SHA-256 (hex): the same bytes again are a re-import. */
export async function sha256File(filePath: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

function processorInit(file: StudentFileSpec, where: FileRead['where'], header: readonly string[], index: RowProcessorInit['index'], batchId: number, expectedRows: number): RowProcessorInit {
  return {
    kind: file.kind, year: file.year, where, header, index, schoolTypes: file.schoolTypes, pseudonymKey: file.pseudonymKey,
    myopiaPolicy: file.myopiaPolicy ?? defaultMyopiaPolicy, batchId, expectedRows,
  };
}

/** XLSX, small files and CSV outside the plain subset: read, validate and score in this thread. */
export async function readInOneThread(file: StudentFileSpec, sink: CopySink): Promise<FileRead> {
  const { sheet, batches } = readRowBatches(file.path);
  const iter = batches[Symbol.asyncIterator]();
  let first = await iter.next();
  while (!first.done && first.value.length === 0) first = await iter.next();
  const where = { file: file.fileName, ...(sheet !== undefined ? { sheet } : {}) };
  if (first.done) throw new EduplanError('E_IMPORT_INVALID', { problems: [{ ...where, rule: 'empty', message_zh: '文件为空', message_en: 'the file is empty' }] });
  const firstBatch = first.value;
  const header = (firstBatch[0] as RawRow).cells;
  const mapped = mapHeader(header, file.kind, where);
  if (mapped.problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems: mapped.problems });

  const batchId = await sink.begin();
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
    const copied = sink.copy(proc.columns, segment).then((r) => proc.copy.recycle(r.buffers));
    // Observed by the next await; this keeps a failed COPY from being an unhandled rejection meanwhile.
    copied.catch(() => undefined);
    inFlight = copied;
  };
  const consume = (rows: readonly RawRow[]): void => {
    for (let i = 0; i < rows.length; i++) {
      // Once the file is known to be bad nothing more is copied (it will be rolled back);
      // every row is still validated so that the answer lists every bad cell.
      proc.process(rows[i] as RawRow, proc.problemCount === 0);
      if (file.onProgress && proc.rows % 10_000 === 0) file.onProgress(proc.rows);
    }
  };
  consume(firstBatch.slice(1));
  for (;;) {
    const r = await iter.next();
    if (r.done) break;
    consume(r.value);
    if (proc.copy.rows >= (file.segmentRows ?? SEGMENT_ROWS)) await flush();
  }
  if (proc.problemCount === 0) await flush();
  if (inFlight !== null) await inFlight;
  return { rows: proc.rows, problems: proc.problems, problemCount: proc.problemCount, tallies: proc.tallies, where, parseThreads: 1 };
}

/**
 * The parse workers of a large plain CSV file, started before the import's batch exists:
 * each gets its line-aligned range and loads the standard's tables and the hash kernel,
 * then waits for `begin`. Their messages are collected from the start (a worker that
 * fails while loading is reported when the import waits for it).
 */
export interface ParseWorkers {
  /** Read the file (the rows carry the batch `sink.begin` makes); NotPlainCsv when a range is not plain CSV. */
  read(sink: CopySink): Promise<FileRead>;
  terminate(): Promise<void>;
}

interface ShardState {
  readonly workers: readonly Worker[];
  readonly where: FileRead['where'];
  readonly studentNoColumn: string;
  readonly queue: Array<{ readonly k: number; readonly msg: Extract<ShardMessage, { type: 'segment' }> }>;
  readonly dones: Array<ShardDone | undefined>;
  failure: unknown;
  notPlain: boolean;
  wake: (() => void) | null;
}

/**
 * Parse workers for a plain CSV file of at least `parallelMinBytes` (default 16 MiB,
 * ~70,000 rows: starting a worker costs ~0.3 s), or null: an XLSX file, a small one, a
 * first line that is not plain, or one worker asked for (`parseWorkers`, default the
 * machine's cores, at most 4). A bad header is reported here, before any worker reads a row.
 */
export async function startParseWorkers(file: StudentFileSpec, opts: { readonly parseWorkers?: number; readonly parallelMinBytes?: number } = {}): Promise<ParseWorkers | null> {
  const workerCount = opts.parseWorkers ?? Math.min(4, availableParallelism());
  if (workerCount <= 1 || file.size < (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES) || extname(file.path).toLowerCase() === '.xlsx') return null;
  const head = await readCsvHead(file.path);
  if (head === null) return null;
  const state = await startShards(file, head, workerCount);
  const terminate = async (): Promise<void> => { await Promise.all(state.workers.map((w) => w.terminate())); };
  return { read: (sink) => readInShards(file, state, sink, terminate), terminate };
}

async function startShards(file: StudentFileSpec, head: CsvHead, workerCount: number): Promise<ShardState> {
  const where = { file: file.fileName };
  const mapped = mapHeader(head.header, file.kind, where);
  if (mapped.problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems: mapped.problems });
  const ranges = await lineAlignedRanges(file.path, head.dataStart, head.size, workerCount);
  const segmentRows = file.segmentRows ?? SHARD_SEGMENT_ROWS;
  // Pre-bundled worker code (worker-bundle.ts), or null: boot through tsx.
  const bundle = await workerBundle(WORKER_ENTRY);
  const workers = ranges.map((r) => {
    const job: ShardJob = {
      path: file.path, start: r.start, end: r.end, crlf: head.crlf, segmentRows,
      // batchId 0 until `begin` gives the real one.
      init: processorInit(file, where, head.header, mapped.index, 0, Math.ceil((r.end - r.start) / 150)),
    };
    // A larger young generation (32 MiB semi-spaces instead of V8's 16): on the string path a row
    // makes ~30 short-lived strings, and fewer scavenges cost less CPU per row (docs/student-records.md
    // "Performance"). The byte path allocates almost nothing; rows that take the string path still do.
    return new Worker(bundle ?? new URL('./parse-worker-boot.mjs', import.meta.url), { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 96 } });
  });
  const shards: ShardState = {
    workers, where, studentNoColumn: head.header[mapped.index.student_no ?? 0] ?? '学籍号',
    queue: [], dones: workers.map(() => undefined), failure: null, notPlain: false, wake: null,
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
 * per-row work (parse-worker.ts); this thread only copies their binary segments into the
 * database, one COPY at a time, and merges what they found. The result is the same as
 * reading in one thread (tested): row numbers are made absolute from each range's line
 * count, and a student number is a duplicate when it was seen in an earlier range (each
 * range checks its own). A range that is not plain CSV throws NotPlainCsv: the caller's
 * transaction rolls back and the file is read in one thread.
 */
async function readInShards(file: StudentFileSpec, shards: ShardState, sink: CopySink, terminate: () => Promise<void>): Promise<FileRead> {
  const { workers, queue, dones } = shards;
  const batchId = await sink.begin();
  const begin: ShardCommand = { type: 'begin', batchId };
  for (const w of workers) w.postMessage(begin);
  const columns = columnsOf(file.kind);
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
        const buffers = anyProblem ? distinctBuffers(item.msg.chunks) : (await sink.copy(columns, item.msg.chunks)).buffers;
        const ack: ShardCommand = { type: 'ack', buffers };
        workers[item.k]?.postMessage(ack, buffers);
        seenByShard[item.k] = item.msg.rowsSeen;
        file.onProgress?.(seenByShard.reduce((a, b) => a + b, 0));
        continue;
      }
      if (dones.every((d) => d !== undefined)) break;
      await new Promise<void>((resolve) => (shards.wake = resolve));
      shards.wake = null;
    }
  } finally {
    await terminate();
  }
  return { ...mergeShards(dones as ShardDone[], shards.where, shards.studentNoColumn), parseThreads: workers.length };
}

/** Absolute row numbers, duplicates across ranges, one problem list in file order, summed tallies. */
function mergeShards(dones: readonly ShardDone[], where: FileRead['where'], studentNoColumn: string): Omit<FileRead, 'parseThreads'> {
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
