/**
 * Streaming CSV reading for the import folder (csv-parse): one record at a time with
 * its line number, and progress by bytes; `sha256File` hashes a file for idempotence. A UTF-8 BOM (Excel's
 * "CSV UTF-8") is skipped. Syntax errors become located problems, not exceptions.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';

export interface CsvRecord {
  /** 1-based line number in the file where the record starts. */
  readonly line: number;
  readonly cells: string[];
}

export interface CsvReadResult {
  readonly bytes: number;
  /** Set when the parser stopped on a syntax error. */
  readonly syntaxError?: { line: number; message: string };
}

/**
 * Read every record, calling `onRecord` for each; `onBytes` reports progress.
 */
export async function readCsv(path: string, onRecord: (r: CsvRecord) => void, onBytes?: (done: number, total: number) => void): Promise<CsvReadResult> {
  const total = (await stat(path)).size;
  const input = createReadStream(path);
  let done = 0;
  input.on('data', (chunk) => {
    done += chunk.length;
    onBytes?.(done, total);
  });
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  let syntaxError: { line: number; message: string } | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      onRecord({ line: item.info.lines, cells: item.record });
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const lines = (err as CsvError & { lines?: number }).lines;
    syntaxError = { line: typeof lines === 'number' ? lines : 0, message: err.message };
    input.destroy();
  }
  return { bytes: total, ...(syntaxError ? { syntaxError } : {}) };
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
