/**
 * A line splitter for the plain CSV that student-record files almost always are: no
 * quotes, one line per record, `\n` or `\r\n` line ends. It is the hot path of a 1.5 M
 * row import (csv-parse spent most of the reader's time in its character-by-character
 * state machine); anything outside that plain subset is left to csv-parse.
 *
 * Contract, relied on by `readRowBatches` (readers.ts): every record the splitter emits is exactly the
 * record csv-parse (`bom: true, relax_column_count: true`, auto-detected record
 * delimiter) emits at the same position. At the first line it cannot prove plain — a
 * double quote, a bare `\r` or a line end that differs from the file's first one — it
 * stops (`fallback` becomes true) and emits nothing more; the caller then lets csv-parse
 * read the file from the start and skips the `row` records already emitted. That
 * restart makes the fallback exact (csv-parse sees the whole file, so its delimiter
 * detection is the same) at the cost of re-reading a prefix, once, for unusual files.
 *
 * Pure: strings in, arrays out (no I/O).
 */

/** One record: its 1-based record number (header = 1) and cell texts. */
export interface CsvRecord {
  readonly row: number;
  readonly cells: readonly string[];
}

const LF = 10;
const CR = 13;
/** Longest unfinished line kept while waiting for its line end (characters). */
const MAX_PENDING = 1 << 24;

export class FastCsvSplitter {
  /** Records seen so far, empty lines included (csv-parse yields `['']` for those). */
  row = 0;
  /** True once a line outside the plain subset was met: the caller must switch to csv-parse. */
  fallback = false;
  private pending = '';
  private started = false;
  /** Line end of the file, from its first line: csv-parse auto-detects the delimiter there. */
  private crlf: boolean | null;
  private readonly bom: boolean;

  /**
   * For a part of a file that does not start at byte 0 (the importer's shards): `bom:
   * false` (a U+FEFF there is data, not a byte-order mark) and `crlf` = the line end of the
   * file's first line, so that every part is held to the same line end as the whole file.
   */
  constructor(opts: { bom?: boolean; crlf?: boolean | null } = {}) {
    this.bom = opts.bom ?? true;
    this.crlf = opts.crlf ?? null;
  }

  /**
   * Split decoded text into records appended to `out`; empty lines advance `row` but
   * are not appended (the readers skip them). Returns false once `fallback` is set.
   */
  push(chunk: string, out: CsvRecord[]): boolean {
    if (this.fallback) return false;
    let text = this.pending === '' ? chunk : this.pending + chunk;
    this.pending = '';
    if (!this.started) {
      if (text.length === 0) return true;
      this.started = true;
      // bom: true — csv-parse drops a UTF-8 byte-order mark at the start only.
      if (this.bom && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let pos = 0;
    // The first quote / CR in the text: lines ending before them are plain.
    let nextQuote = text.indexOf('"');
    if (nextQuote === -1) nextQuote = text.length;
    let nextCr = text.indexOf('\r');
    if (nextCr === -1) nextCr = text.length;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      if (nextQuote < nl) return this.stop();
      if (this.crlf === null) this.crlf = nl > pos && text.charCodeAt(nl - 1) === CR;
      let end = nl;
      if (this.crlf) {
        // Every line must end in CR LF, and carry no other CR.
        if (nextCr !== nl - 1) return this.stop();
        end = nl - 1;
        nextCr = text.indexOf('\r', nl + 1);
        if (nextCr === -1) nextCr = text.length;
      } else if (nextCr < nl) return this.stop();
      this.row += 1;
      if (end > pos) out.push({ row: this.row, cells: text.slice(pos, end).split(',') });
      pos = nl + 1;
    }
    if (pos < text.length) {
      // An unfinished line waits for its line end; one that never comes (a file without
      // LF) is csv-parse's business rather than an ever-growing buffer.
      if (text.length - pos > MAX_PENDING) return this.stop();
      this.pending = text.slice(pos);
    }
    return true;
  }

  /** End of input: the last line may lack a line end. Returns false when it needs csv-parse. */
  end(out: CsvRecord[]): boolean {
    if (this.fallback) return false;
    const last = this.pending;
    this.pending = '';
    if (last === '') return true;
    // A trailing CR (or any quote) is csv-parse's business.
    for (let i = 0; i < last.length; i++) {
      const c = last.charCodeAt(i);
      if (c === CR || c === 34 || c === LF) return this.stop();
    }
    this.row += 1;
    out.push({ row: this.row, cells: last.split(',') });
    return true;
  }

  private stop(): false {
    this.fallback = true;
    this.pending = '';
    return false;
  }
}

const QUOTE = 34;

/**
 * The same plain-line contract as `FastCsvSplitter`, on bytes: for the importer's parse
 * workers, which read a line-aligned byte range of a file (so no byte-order mark, and the
 * file's line end is known from its header line). Each line is handed over as a byte
 * range of a buffer instead of a string array, so a worker can parse the cells it uses
 * without decoding the line (row-bytes.ts). It stops at exactly the lines the
 * string splitter stops at — a double quote, a CR that is not the file's CR LF line end,
 * a line end unlike the file's — and then emits nothing more; `row` counts lines as
 * `FastCsvSplitter.row` does. (A line longer than 16 MiB also stops it: counted in
 * bytes here, in characters there; stopping is always safe, the caller re-reads the
 * file with csv-parse.) Splitting on byte 10 is exact for UTF-8: no multi-byte sequence
 * contains a byte below 0x80.
 */
export class ByteLineSplitter {
  row = 0;
  fallback = false;
  private pending: Buffer | null = null;
  private readonly crlf: boolean;

  constructor(crlf: boolean) {
    this.crlf = crlf;
  }

  /**
   * Hand each complete non-empty line of `chunk` (after any unfinished line from the
   * previous chunk) to `onLine` as `buf[start, end)` without its line end; empty lines
   * advance `row` only. Returns false once `fallback` is set. The buffer is only valid
   * during the call.
   */
  push(chunk: Buffer, onLine: (buf: Buffer, start: number, end: number, row: number) => void): boolean {
    if (this.fallback) return false;
    let pos = 0;
    if (this.pending !== null) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        if (this.pending.length + chunk.length > MAX_PENDING) return this.stop();
        this.pending = Buffer.concat([this.pending, chunk]);
        return true;
      }
      const line = Buffer.concat([this.pending, chunk.subarray(0, nl + 1)]);
      this.pending = null;
      if (this.lines(line, 0, onLine) !== line.length) return false;
      pos = nl + 1;
    }
    const rest = this.lines(chunk, pos, onLine);
    if (rest < 0) return false;
    if (rest < chunk.length) {
      if (chunk.length - rest > MAX_PENDING) return this.stop();
      // A copy: the stream may reuse the chunk's memory.
      this.pending = Buffer.from(chunk.subarray(rest));
    }
    return true;
  }

  /** End of input: a last line without a line end. Returns false when it needs csv-parse. */
  end(onLine: (buf: Buffer, start: number, end: number, row: number) => void): boolean {
    if (this.fallback) return false;
    const last = this.pending;
    this.pending = null;
    if (last === null || last.length === 0) return true;
    if (last.indexOf(CR) !== -1 || last.indexOf(QUOTE) !== -1) return this.stop();
    this.row += 1;
    onLine(last, 0, last.length, this.row);
    return true;
  }

  /** Complete lines of buf from pos: the offset after the last one, or -1 when it stopped. */
  private lines(buf: Buffer, pos: number, onLine: (buf: Buffer, start: number, end: number, row: number) => void): number {
    // As in FastCsvSplitter.push: the first quote / CR from pos; lines before them are plain.
    let nextQuote = buf.indexOf(QUOTE, pos);
    if (nextQuote === -1) nextQuote = buf.length;
    let nextCr = buf.indexOf(CR, pos);
    if (nextCr === -1) nextCr = buf.length;
    for (;;) {
      const nl = buf.indexOf(LF, pos);
      if (nl === -1) return pos;
      if (nextQuote < nl) { this.stop(); return -1; }
      let end = nl;
      if (this.crlf) {
        if (nextCr !== nl - 1) { this.stop(); return -1; }
        end = nl - 1;
        nextCr = buf.indexOf(CR, nl + 1);
        if (nextCr === -1) nextCr = buf.length;
      } else if (nextCr < nl) { this.stop(); return -1; }
      this.row += 1;
      if (end > pos) onLine(buf, pos, end, this.row);
      pos = nl + 1;
    }
  }

  private stop(): false {
    this.fallback = true;
    this.pending = null;
    return false;
  }
}
