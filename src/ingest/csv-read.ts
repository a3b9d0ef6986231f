/**
 * Streaming CSV reading for the import folder (csv-parse): one record at a time with
 * its line number, and progress by bytes; `sha256File` hashes a file for idempotence. A UTF-8 BOM (Excel's
 * "CSV UTF-8") is skipped. Syntax errors become located problems, not exceptions.
 *
 * The encoding is taken from the bytes (text-encoding.ts): UTF-8 as it is; GB18030/GBK (what
 * Excel on a Chinese Windows saves as "CSV") and UTF-16 with a BOM are decoded, so such a file
 * reads like its UTF-8 twin; anything else is reported (`encoding: 'binary'`) and not parsed.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { guessEncoding, readSample, type TextEncodingGuess } from './text-encoding.ts';

export interface CsvRecord {
  /** 1-based line number in the file where the record starts. */
  readonly line: number;
  readonly cells: string[];
}

export interface CsvReadResult {
  readonly bytes: number;
  /** Set when the parser stopped on a syntax error. */
  readonly syntaxError?: { line: number; message: string };
  /** The file's encoding as read; `binary`: not a text file this reader knows, nothing was parsed. */
  readonly encoding: TextEncodingGuess;
}

/** Re-encode `encoding` text to UTF-8 as it streams (a character split between chunks is kept for the next). */
function toUtf8(encoding: 'gb18030' | 'utf-16le' | 'utf-16be'): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, cb) { cb(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8')); },
    flush(cb) { cb(null, Buffer.from(decoder.decode(), 'utf8')); },
  });
}

/**
 * Read every record, calling `onRecord` for each; `onBytes` reports progress.
 */
export async function readCsv(path: string, onRecord: (r: CsvRecord) => void, onBytes?: (done: number, total: number) => void): Promise<CsvReadResult> {
  const total = (await stat(path)).size;
  const { sample, complete } = await readSample(path);
  const encoding = guessEncoding(sample, complete);
  if (encoding === 'binary') return { bytes: total, encoding };
  const input = createReadStream(path);
  let done = 0;
  input.on('data', (chunk) => {
    done += chunk.length;
    onBytes?.(done, total);
  });
  const text: Readable = encoding === 'utf-8' ? input : input.pipe(toUtf8(encoding));
  const parser = text.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
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
  return { bytes: total, encoding, ...(syntaxError ? { syntaxError } : {}) };
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
