/**
 * Reading uploaded workbooks off the event loop (工作簿解析在工作线程中进行). Inflating and
 * parsing a workbook is CPU work: on the server's main thread, one 8.9 MB workbook froze every
 * request for ~10 s. Here each file is read by a worker thread with its own heap limit, so the
 * server keeps answering, and a file that needs more memory than allowed fails that worker
 * only (E_IMPORT_TOO_LARGE), never the process.
 *
 * Before a worker starts, the central directory is checked on the calling thread
 * (`checkXlsxDirectory`: declared sizes, shared strings, ratios — no byte inflated), so the
 * commonest hostile files are refused at once without the worker's start-up cost.
 *
 * Callers: `readWorkbook` in services/forms.ts (every form upload, web and CLI) and
 * `screenStudentRecordFile` in services/student-records.ts (every student-record import,
 * before a reader parses the file).
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EduplanError, type ErrorCode, type Problem } from '../core/errors.ts';
import { workerBundle } from './worker-bundle.ts';
import { defaultXlsxLimits, readCentralDirectory, studentXlsxLimits, checkXlsxDirectory, type XlsxLimits } from './xlsx-zip.ts';
import type { SubmissionLimits, SubmissionWorkbook } from './submission-workbook.ts';

export type XlsxJob =
  | { readonly op: 'form'; readonly input: string | Buffer; readonly limits: SubmissionLimits }
  | { readonly op: 'gate'; readonly path: string; readonly fileName: string; readonly limits: XlsxLimits };

export type XlsxReply =
  | { readonly ok: true; readonly value: SubmissionWorkbook | null }
  | { readonly ok: false; readonly error: { readonly code: ErrorCode; readonly detail: string | undefined; readonly problems: readonly Problem[] } }
  | { readonly ok: false; readonly defect: { readonly name: string; readonly message: string; readonly stack: string } };

/** Heap of the parsing worker: a form needs a few MiB, a large student file well under this. */
const WORKER_HEAP_MB = 192;

const WORKER_ENTRY = new URL('./xlsx-worker.ts', import.meta.url);

/**
 * One long-lived worker, jobs queued and run one at a time. Starting a worker costs ~0.6 s
 * (loading exceljs), paid once instead of per upload; one at a time also bounds memory when
 * several large files arrive together. A worker that runs out of its heap fails its job
 * (E_IMPORT_TOO_LARGE) and is replaced by the next job; it is `unref`ed, so it never keeps a
 * process alive.
 */
class XlsxWorker {
  private worker: Worker | null = null;
  private nextId = 0;
  private tail: Promise<unknown> = Promise.resolve();

  run(job: XlsxJob, file: string): Promise<SubmissionWorkbook | null> {
    const result = this.tail.then(() => this.once(job, file));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async start(): Promise<Worker> {
    const bundle = await workerBundle(WORKER_ENTRY);
    const w = new Worker(bundle ?? new URL('./xlsx-worker-boot.mjs', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32 },
    });
    w.unref();
    // Between jobs too: a worker that fails or exits is forgotten, and the next job starts another.
    const forget = (): void => { if (this.worker === w) this.worker = null; };
    w.on('error', forget);
    w.on('exit', forget);
    return w;
  }

  private async once(job: XlsxJob, file: string): Promise<SubmissionWorkbook | null> {
    this.worker ??= await this.start();
    const w = this.worker;
    const id = ++this.nextId;
    const reply = await new Promise<XlsxReply>((resolve, reject) => {
      const onMessage = (m: { id: number; reply: XlsxReply }): void => { if (m.id === id) { cleanup(); resolve(m.reply); } };
      const onError = (err: Error & { code?: string }): void => {
        cleanup();
        this.worker = null;
        void w.terminate();
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          reject(new EduplanError('E_IMPORT_TOO_LARGE', { problems: [{ file, rule: 'max_memory', message_zh: `读取该文件所需内存超过 ${WORKER_HEAP_MB} MiB 上限`, message_en: `Reading the file needs more than the ${WORKER_HEAP_MB} MiB allowed`, fix_zh: '删除多余内容，或拆分后分别上传', fix_en: 'Remove extra content, or split it and upload the parts' }] }));
        } else reject(err);
      };
      const onExit = (code: number): void => { cleanup(); this.worker = null; reject(new Error(`xlsx worker exited with code ${code}`)); };
      const cleanup = (): void => { w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit); };
      w.on('message', onMessage);
      w.once('error', onError);
      w.once('exit', onExit);
      w.postMessage({ id, job });
    });
    if (reply.ok) return reply.value;
    if ('error' in reply) throw new EduplanError(reply.error.code, { ...(reply.error.detail !== undefined ? { detail: reply.error.detail } : {}), problems: reply.error.problems });
    const e = new Error(reply.defect.message);
    e.name = reply.defect.name;
    e.stack = reply.defect.stack;
    throw e;
  }
}

const shared = new XlsxWorker();
const runJob = (job: XlsxJob, file: string): Promise<SubmissionWorkbook | null> => shared.run(job, file);

/** The central directory of a file on disk, read from its tail only. */
async function directoryOfFile(path: string, file: string, limits: XlsxLimits): Promise<void> {
  const size = (await stat(path)).size;
  if (size > limits.maxBytes) {
    throw new EduplanError('E_IMPORT_TOO_LARGE', { problems: [{ file, rule: 'max_bytes', value: size, message_zh: `文件大小 ${size} 字节，超过上限 ${limits.maxBytes} 字节`, message_en: `The file is ${size} bytes, over the ${limits.maxBytes}-byte limit`, fix_zh: '删除多余内容，或拆分后分别上传', fix_en: 'Remove extra content, or split it and upload the parts' }] });
  }
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (size < 4 || head.readUInt32LE(0) !== 0x04034b50) return; // not a zip: the worker names what it is
    // The end record sits in the last 22 + 65,535 bytes; the directory just before it.
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) return; // corrupt: the worker reports it
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size || cdSize > 16 * 1024 * 1024) return;
    // A buffer of directory + end record with offsets as in the file: rebase the end record's offset.
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const end = Buffer.from(tail.subarray(eocd, Math.min(tail.length, eocd + 22)));
    end.writeUInt32LE(0, 16);
    const { entries } = readCentralDirectory(Buffer.concat([cd, end]), file);
    checkXlsxDirectory(entries, size, file, limits);
  } finally {
    await fh.close();
  }
}

/**
 * `readSubmissionWorkbook` in a worker thread, with the directory checked first on this
 * thread (a buffer is checked in place; a path from its tail).
 */
export async function readSubmissionWorkbookOffThread(input: string | Buffer, limitsIn: SubmissionLimits = {}): Promise<SubmissionWorkbook> {
  const limits: XlsxLimits = { ...defaultXlsxLimits, ...limitsIn };
  const file = limitsIn.fileName ?? (typeof input === 'string' ? basename(input) : 'upload.xlsx');
  if (typeof input === 'string') await directoryOfFile(input, file, limits);
  else if (input.length > limits.maxBytes) {
    throw new EduplanError('E_IMPORT_TOO_LARGE', { problems: [{ file, rule: 'max_bytes', value: input.length, message_zh: `文件大小 ${input.length} 字节，超过上限 ${limits.maxBytes} 字节`, message_en: `The file is ${input.length} bytes, over the ${limits.maxBytes}-byte limit`, fix_zh: '检查文件是否为本系统下载的模板', fix_en: 'Check the file is the template downloaded from eduplan' }] });
  } else if (input.length >= 4 && input.readUInt32LE(0) === 0x04034b50) {
    checkXlsxDirectory(readCentralDirectory(input, file).entries, input.length, file, limits);
  }
  const wb = await runJob({ op: 'form', input, limits: { ...limitsIn, fileName: file } }, file);
  if (wb === null) throw new Error('xlsx worker returned no workbook');
  return wb;
}

/**
 * The hostile-file gate (xlsx-zip.ts `checkXlsx`) for a student-record workbook on disk, in a
 * worker thread, parts scanned and dropped one by one. Resolves when the file may be read;
 * throws the located problem otherwise.
 */
export async function checkXlsxFileOffThread(path: string, fileName: string = basename(path), limits: XlsxLimits = studentXlsxLimits): Promise<void> {
  await directoryOfFile(path, fileName, limits);
  await runJob({ op: 'gate', path, fileName, limits }, fileName);
}
