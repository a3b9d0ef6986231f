/**
 * Open data: every table on the portal downloads as CSV and JSON with its units.
 * CSV cells that a spreadsheet would run as a formula (leading = + - @, and tab/CR which
 * Excel also treats as formula starts — OWASP "CSV injection") get a leading apostrophe;
 * the file starts with a UTF-8 BOM so Excel opens Chinese text correctly. Pure except
 * `downloadFile`. The quoting and the defence are the server's own (src/core/forms/csv-safety.ts).
 */
import { csvField, neutraliseCell } from '../core/forms/csv-safety.ts';

export interface ExportColumn {
  /** Key in each row, also the JSON field name. */
  readonly key: string;
  /** Header shown in the CSV (already in the reader's language). */
  readonly header: string;
  /** Unit for this column, written into the header and the JSON `units` map. */
  readonly unit?: string;
}

export type ExportCell = string | number | boolean | null | undefined;
export type ExportRow = Readonly<Record<string, ExportCell>>;

const BOM = '\uFEFF';

/** Neutralise a cell a spreadsheet might evaluate as a formula (src/core/forms/csv-safety.ts). */
export function neutraliseFormula(text: string): string {
  return neutraliseCell(text);
}

/** A number that is not finite has no value to write. */
const csvCell = (cell: ExportCell): string => csvField(typeof cell === 'number' && !Number.isFinite(cell) ? null : cell);

export function headerWithUnit(c: ExportColumn): string {
  return c.unit ? `${c.header} (${c.unit})` : c.header;
}

/** RFC 4180 CSV with CRLF line ends and a UTF-8 BOM. */
export function toCsv(columns: readonly ExportColumn[], rows: readonly ExportRow[]): string {
  const lines = [columns.map((c) => csvCell(headerWithUnit(c))).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c.key])).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

/** JSON export: the rows, plus the column titles and units so the file explains itself. */
export function toJsonExport(
  title: string,
  columns: readonly ExportColumn[],
  rows: readonly ExportRow[],
): string {
  const fields = columns.map((c) => ({ key: c.key, title: c.header, ...(c.unit ? { unit: c.unit } : {}) }));
  const data = rows.map((row) => Object.fromEntries(columns.map((c) => [c.key, row[c.key] ?? null])));
  return JSON.stringify({ title, fields, rows: data }, null, 2) + '\n';
}

/** A safe file name from a table title (keeps Chinese characters). */
export function exportFileName(title: string, ext: 'csv' | 'json'): string {
  const base = title.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^_+|_+$/g, '') || 'eduplan';
  return `${base}.${ext}`;
}

export function downloadFile(name: string, text: string, mime: string): void {
  const blob = new Blob([text], { type: `${mime};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
