/**
 * Reading a learning-events file (学习活动记录) from a centre: CSV (UTF-8, or GBK/UTF-16 decoded
 * by csv-read.ts) or XLSX. A workbook passes the bounded gate (xlsx-zip.ts, in a worker:
 * shared strings, cells, inflated bytes) before exceljs streams its first worksheet with data;
 * every record comes out with its sheet name and row number so a problem can name both.
 */
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import type { Problem } from '../core/errors.ts';
import { readCsv } from './csv-read.ts';
import { refuseNonUtf8Csv } from './text-encoding.ts';
import { checkXlsxFileOffThread } from './xlsx-off-thread.ts';
import { studentXlsxLimits } from './xlsx-zip.ts';

export interface EventRecord {
  /** 1-based row (the line in a CSV, the worksheet row in a workbook). */
  readonly row: number;
  readonly cells: string[];
}

export interface EventFile {
  /** The worksheet read, for a workbook. */
  readonly sheet: string | undefined;
  /** Problems of the file as a whole (syntax, encoding); row problems are the caller's. */
  readonly problems: Problem[];
}

export function isXlsxName(fileName: string): boolean {
  return extname(fileName).toLowerCase() === '.xlsx';
}

/**
 * Read every record of `path` (named `file` in problems), calling `onRecord` for each in
 * order. An .xlsx goes through the hostile-file gate first (it throws the located problem);
 * a CSV must be a text encoding csv-read.ts knows.
 */
export async function readEventFile(path: string, file: string, onRecord: (r: EventRecord, sheet: string | undefined) => void): Promise<EventFile> {
  if (!isXlsxName(file)) {
    await refuseNonUtf8Csv(path, file);
    const read = await readCsv(path, (r) => onRecord({ row: r.line, cells: r.cells }, undefined));
    const problems: Problem[] = read.syntaxError
      ? [{ file, row: read.syntaxError.line, rule: 'csv_syntax', message_zh: `CSV 格式错误：${read.syntaxError.message}`, message_en: `CSV syntax error: ${read.syntaxError.message}` }]
      : [];
    return { sheet: undefined, problems };
  }
  // A centre's year of events is at most a few hundred thousand rows: the student-file limits fit.
  await checkXlsxFileOffThread(path, file, studentXlsxLimits);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  for await (const ws of reader) {
    // exceljs sets the worksheet's name from xl/workbook.xml; its typings omit it.
    const sheet = (ws as unknown as { name?: string }).name;
    let any = false;
    for await (const r of ws as AsyncIterable<ExcelJS.Row>) {
      const values = r.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] ?? null));
      if (cells.every((c) => c.trim() === '')) continue;
      any = true;
      onRecord({ row: r.number, cells }, sheet);
    }
    // Only the first worksheet with data holds the records (as for the student files).
    if (any) return { sheet, problems: [] };
  }
  return { sheet: undefined, problems: [] };
}

/**
 * A cell as the text a centre typed. A date cell becomes YYYY-MM-DD (Excel stores the
 * day as a UTC midnight); a number that is an ID number stored as a number keeps its digits.
 */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) return String((v as { text: unknown }).text);
  }
  return String(v);
}
