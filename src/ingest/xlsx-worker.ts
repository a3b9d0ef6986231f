/**
 * The worker thread behind xlsx-off-thread.ts: runs jobs one at a time as they arrive (read a
 * form workbook, or gate a student workbook) and posts each result or error back with its id.
 * Everything here is CPU-bound work that would otherwise hold the server's event loop.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { EduplanError } from '../core/errors.ts';
import { readSubmissionWorkbook } from './submission-workbook.ts';
import { checkXlsx } from './xlsx-zip.ts';
import type { XlsxJob, XlsxReply } from './xlsx-off-thread.ts';

async function run(job: XlsxJob): Promise<XlsxReply> {
  try {
    if (job.op === 'form') {
      // A Buffer arrives as a plain Uint8Array (structured clone): view it as a Buffer again.
      const input = typeof job.input === 'string' ? job.input : Buffer.from(job.input.buffer, job.input.byteOffset, job.input.byteLength);
      return { ok: true, value: await readSubmissionWorkbook(input, job.limits) };
    }
    checkXlsx(await readFile(job.path), job.fileName, job.limits, { keepParts: false });
    return { ok: true, value: null };
  } catch (err) {
    if (err instanceof EduplanError) return { ok: false, error: { code: err.code, detail: err.detail, problems: err.problems } };
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, defect: { name: e.name, message: e.message, stack: e.stack ?? '' } };
  }
}

parentPort?.on('message', (m: { id: number; job: XlsxJob }) => {
  void run(m.job).then((reply) => parentPort?.postMessage({ id: m.id, reply }));
});
