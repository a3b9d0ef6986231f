/**
 * Splitting a large plain CSV file into byte ranges that start at line starts, so that
 * several threads can parse it at once (the student-record importer's parse workers).
 * Each range is then read with `FastCsvSplitter({ bom: false, crlf })`; a range that turns
 * out not to be plain (a quote, a stray CR) makes the importer fall back to reading the
 * whole file in one thread, exactly as before.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

export interface CsvHead {
  /** Header cells (BOM removed). */
  readonly header: string[];
  /** Byte offset of the first data line. */
  readonly dataStart: number;
  /** The file's line end, from its first line (csv-parse detects it there too). */
  readonly crlf: boolean;
  readonly size: number;
}

export interface ByteRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

const PROBE = 1 << 16;

/** The header line of a plain CSV file, or null when the first line is not plain (quotes, empty, no line end within 1 MiB). */
export async function readCsvHead(filePath: string): Promise<CsvHead | null> {
  const fh = await open(filePath, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    if (nl <= 0) return null;
    const crlf = buf[nl - 1] === 13;
    let text = buf.subarray(0, crlf ? nl - 1 : nl).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text === '' || text.includes('"') || text.includes('\r')) return null;
    return { header: text.split(','), dataStart: nl + 1, crlf, size };
  } finally {
    await fh.close();
  }
}

/**
 * At most `n` ranges covering [start, size), each beginning just after a line feed (or at
 * `start`), of about equal size. Ranges are never empty.
 */
export async function lineAlignedRanges(filePath: string, start: number, size: number, n: number): Promise<ByteRange[]> {
  const cuts: number[] = [start];
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(PROBE);
    for (let k = 1; k < n; k++) {
      let pos = Math.max(start + Math.floor(((size - start) * k) / n), cuts[cuts.length - 1] as number);
      let cut = size;
      while (pos < size) {
        const { bytesRead } = await fh.read(buf, 0, PROBE, pos);
        if (bytesRead === 0) break;
        const i = buf.subarray(0, bytesRead).indexOf(10);
        if (i !== -1) { cut = pos + i + 1; break; }
        pos += bytesRead;
      }
      if (cut > (cuts[cuts.length - 1] as number) && cut < size) cuts.push(cut);
    }
  } finally {
    await fh.close();
  }
  cuts.push(size);
  const out: ByteRange[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const s = cuts[i] as number;
    const e = cuts[i + 1] as number;
    if (e > s) out.push({ start: s, end: e });
  }
  return out;
}

/**
 * Lines after the header (empty ones included; a last line without a line feed counts),
 * counted on bytes without decoding: the total of a progress bar before an import.
 */
export async function countCsvDataLines(filePath: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines += 1;
    if (b.length > 0) last = b[b.length - 1] as number;
  }
  if (last !== 10) lines += 1;
  return Math.max(0, lines - 1);
}
