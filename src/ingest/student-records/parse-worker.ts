/**
 * A parse worker of the student-record importer (read-file.ts, "shards"): reads one
 * line-aligned byte range of a plain CSV file, and runs every row through the same
 * `StudentRowProcessor` as the main thread. It posts binary COPY segments to the main
 * thread (which alone talks to the database, inside the import's transaction) and waits
 * for an acknowledgement when two are outstanding, so memory stays bounded however far
 * the database lags. At the end it posts its problems, tallies and first-seen pseudonym
 * digests, with row numbers relative to the range (the main thread makes them absolute).
 */
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ByteLineSplitter } from './fast-csv.ts';
import { StudentRowProcessor } from './rows.ts';
import type { ShardCommand, ShardDone, ShardJob, ShardMessage } from './protocol.ts';

if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port = parentPort;
const job = workerData as ShardJob;
// Detach one empty buffer before any row. Every segment this worker posts detaches its
// chunks' ArrayBuffers (transferred), and V8 compiles typed-array reads and writes without a
// detached-buffer check until the first detach in the isolate (its ArrayBufferDetaching
// protector); that first detach then throws away every optimised function that touches a typed
// array — the byte parse, the scoring, the tuple writer — to compile them again with the check.
// Detached now, they are compiled once, already as they must be after the first segment
// (parse-worker-jit.test.ts; ~0.25 CPU-s of V8's compiler threads an import,
// docs/student-records.md "Session 8").
{
  const first = new ArrayBuffer(0);
  structuredClone(first, { transfer: [first] });
}
// Started before the import's batch exists: load the tables and the hash kernel now, and
// read nothing until `begin` (read-file.ts, startParseWorkers).
StudentRowProcessor.prepare(job.init.kind);

let proc: StudentRowProcessor | null = null;
let acks = 0;
let wakeOnAck: (() => void) | null = null;
port.on('message', (cmd: ShardCommand) => {
  if (cmd.type === 'begin') {
    if (proc !== null) return;
    proc = new StudentRowProcessor({ ...job.init, batchId: cmd.batchId }, { keepFirstSeen: true });
    void run(proc).then(() => port.close());
    return;
  }
  acks += 1;
  // The segment's buffers, copied: written again instead of new memory (BinaryCopyWriter.recycle).
  proc?.copy.recycle(cmd.buffers);
  wakeOnAck?.();
});

async function run(proc: StudentRowProcessor): Promise<void> {
  // Lines as byte ranges: ordinary rows are parsed from their bytes (StudentRowProcessor.queueLine, flushLines).
  const splitter = new ByteLineSplitter(job.crlf);
  let posted = 0;
  const post = (msg: ShardMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);
  const flush = async (): Promise<void> => {
    if (proc.copy.rows === 0) return;
    const tuples = proc.copy.rows;
    const chunks = proc.copy.take();
    post({ type: 'segment', chunks, tuples, rowsSeen: proc.rows, problemCount: proc.problemCount }, chunks.map((c) => c.buffer as ArrayBuffer));
    posted += 1;
    while (posted - acks >= 2) await new Promise<void>((r) => (wakeOnAck = r));
    wakeOnAck = null;
  };
  // Lines are queued and processed in batches (their student numbers hashed together),
  // always before the splitter's buffers change: when the queue fills, and after each chunk.
  const onLine = (buf: Buffer, start: number, end: number, row: number): void => {
    if (proc.queueLine(buf, start, end, row)) proc.flushLines();
  };
  for await (const chunk of createReadStream(job.path, { start: job.start, end: job.end - 1, highWaterMark: 1 << 20 })) {
    const plain = splitter.push(chunk as Buffer, onLine);
    proc.flushLines();
    if (!plain) { post({ type: 'not_plain' }); return; }
    if (proc.copy.rows >= job.segmentRows) await flush();
  }
  const plain = splitter.end(onLine);
  proc.flushLines();
  if (!plain) { post({ type: 'not_plain' }); return; }
  if (proc.problemCount === 0) await flush();
  const seen = proc.firstSeen;
  const words = seen ? proc.firstSeenWords().slice() : new Uint32Array(0);
  const rows = seen ? seen.rows.slice(0, seen.count) : new Int32Array(0);
  const done: ShardDone = {
    type: 'done', lines: splitter.row, rowsSeen: proc.rows, problems: proc.problems, problemCount: proc.problemCount,
    tallies: [...proc.tallies].map(([school, t]) => [school, t.type, [...t.counts]]),
    firstSeenWords: words, firstSeenRows: rows,
  };
  post(done, [words.buffer, rows.buffer]);
}
