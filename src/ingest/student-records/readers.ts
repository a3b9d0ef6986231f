/**
 * Streaming readers of student-record files: CSV (the plain-line fast path of
 * fast-csv.ts, csv-parse for anything else) and XLSX (exceljs streaming reader, first
 * worksheet with data). Rows come out as `RawRow`s for `parseStudentRow`.
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { FastCsvSplitter } from './fast-csv.ts';
import type { RawRow } from './format.ts';

export interface SheetRows {
  readonly sheet: string | undefined;
  readonly rows: AsyncIterable<RawRow>;
}

/** Stream the rows of a CSV or XLSX file (first worksheet). Empty rows are skipped. */
export function readRows(filePath: string): SheetRows {
  const { sheet, batches } = readRowBatches(filePath);
  return { sheet, rows: (async function* () { for await (const b of batches) yield* b; })() };
}

export interface SheetRowBatches {
  readonly sheet: string | undefined;
  /** Rows in file order, a few thousand at a time (one await per batch, not per row). */
  readonly batches: AsyncIterable<RawRow[]>;
}

/** As `readRows`, in batches: the import's hot path. */
export function readRowBatches(filePath: string): SheetRowBatches {
  const ext = extname(filePath).toLowerCase();
  if (ext === '.xlsx') return { sheet: undefined, batches: batched(readXlsx(filePath)) };
  return { sheet: undefined, batches: readCsvBatches(filePath) };
}

async function* batched(rows: AsyncIterable<RawRow>, size = 2048): AsyncGenerator<RawRow[]> {
  let b: RawRow[] = [];
  for await (const r of rows) {
    b.push(r);
    if (b.length >= size) { yield b; b = []; }
  }
  if (b.length > 0) yield b;
}

/**
 * CSV: the plain-line fast path (fast-csv.ts) while the file stays plain; at the first
 * quote or odd line end, csv-parse reads the file again from the start and the records
 * already delivered are skipped, so every file reads exactly as csv-parse reads it.
 */
async function* readCsvBatches(filePath: string): AsyncGenerator<RawRow[]> {
  const splitter = new FastCsvSplitter();
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    const out: RawRow[] = [];
    const plain = splitter.push(decoder.write(chunk as Buffer), out);
    if (out.length > 0) yield out;
    if (!plain) { yield* batched(readCsv(filePath, splitter.row)); return; }
  }
  const out: RawRow[] = [];
  const plain = splitter.push(decoder.end(), out) && splitter.end(out);
  if (out.length > 0) yield out;
  if (!plain) yield* batched(readCsv(filePath, splitter.row));
}

/** csv-parse, for any CSV; `skip` records (already read by the fast path) are not yielded. */
async function* readCsv(filePath: string, skip = 0): AsyncGenerator<RawRow> {
  const parser = createReadStream(filePath, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, relax_column_count: true, trim: false }));
  let row = 0;
  for await (const rec of parser as AsyncIterable<string[]>) {
    row += 1;
    if (row <= skip) continue;
    if (rec.length === 1 && rec[0] === '') continue;
    yield { row, cells: rec };
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text);
  }
  return String(v);
}

async function* readXlsx(filePath: string): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  for await (const ws of reader) {
    let any = false;
    for await (const r of ws as AsyncIterable<ExcelJS.Row>) {
      const values = r.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] ?? null));
      if (cells.every((c) => c === '')) continue;
      any = true;
      yield { row: r.number, cells };
    }
    // Only the first worksheet with data holds the records (the national template has one sheet).
    if (any) return;
  }
}
