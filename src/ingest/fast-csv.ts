/**
 * A line splitter for the plain CSV that student-record files almost always are: no
 * quotes, one line per record, `\n` or `\r\n` line ends. It is the hot path of a 1.5 M
 * row import (csv-parse spent most of the reader's time in its character-by-character
 * state machine); anything outside that plain subset is left to csv-parse.
 *
 * Contract, relied on by `readRowBatches`: every record the splitter emits is exactly the
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
