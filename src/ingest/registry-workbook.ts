/**
 * Reading a filled registry workbook (名录工作簿): through the same hostile-xlsx gate as form
 * uploads (xlsx-zip.ts: size, ratio, entries), then the data sheet's rows as text cells keyed by
 * the column codes of row 1. Formulas, unknown columns, hidden or extra sheets are refused with
 * their cell; the entries themselves are validated by the registry's schema afterwards.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { EduplanError, type Problem } from '../core/errors.ts';
import type { Registry } from '../core/plan/registry.ts';
import { checkXlsx, defaultXlsxLimits, rebuildForReader, sheetsOf } from './xlsx-zip.ts';
import { colLetter } from './xlsx-form-layout.ts';

export const REGISTRY_SHEET_INSTRUCTIONS = '说明 Instructions';
export const REGISTRY_SHEET_DATA = '名录 Registry';
export const REGISTRY_FIRST_ROW = 3;
export const MAX_REGISTRY_ROWS = 20_000;

export interface RegistryColumn { readonly key: string; readonly label: string; readonly choices?: readonly string[] }

/** The columns of a registry's template and upload: entry_code, every field, document_sha256. */
export function registryColumns(r: Registry): RegistryColumn[] {
  return [
    { key: 'entry_code', label: '条目编号 Entry code' },
    ...r.fields.map((f): RegistryColumn => ({ key: f.key, label: `${f.label_zh}${f.required ? '（必填）' : ''} ${f.label_en}`, ...(f.type === 'choice' ? { choices: f.choices.map((c) => c.value) } : f.type === 'boolean' ? { choices: ['true', 'false'] } : {}) })),
    { key: 'document_sha256', label: `认定文件 sha256${r.document === 'required' ? '（必填）' : ''} Designation document` },
  ];
}

type Raw = ExcelJS.CellValue | undefined;
const isFormula = (v: Raw): boolean => typeof v === 'object' && v !== null && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v);
function textOf(v: Raw): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('').trim();
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text.trim();
  return '';
}

export interface RegistryWorkbookRow { readonly row: number; readonly cells: Record<string, string> }

export async function readRegistryWorkbook(buf: Buffer, fileName: string, registry: Registry): Promise<{ rows: RegistryWorkbookRow[]; problems: Problem[] }> {
  const checked = checkXlsx(buf, fileName, defaultXlsxLimits);
  const problems: Problem[] = [];
  const sheets = sheetsOf(checked);
  for (const s of sheets) {
    if (s.state !== 'visible') problems.push({ file: fileName, sheet: s.name, rule: 'hidden_sheet', message_zh: `工作表「${s.name}」被隐藏`, message_en: `Sheet "${s.name}" is hidden`, fix_zh: '取消隐藏后删除该工作表', fix_en: 'Unhide and delete the sheet' });
    else if (s.name !== REGISTRY_SHEET_DATA && s.name !== REGISTRY_SHEET_INSTRUCTIONS) problems.push({ file: fileName, sheet: s.name, rule: 'extra_sheet', message_zh: `多出的工作表「${s.name}」`, message_en: `Extra sheet "${s.name}"`, fix_zh: `数据只填在「${REGISTRY_SHEET_DATA}」表中`, fix_en: `Data go in sheet "${REGISTRY_SHEET_DATA}" only` });
  }
  if (!sheets.some((s) => s.name === REGISTRY_SHEET_DATA)) {
    problems.push({ file: fileName, rule: 'missing_sheet', message_zh: `找不到工作表「${REGISTRY_SHEET_DATA}」，这不是本系统的名录模板`, message_en: `Sheet "${REGISTRY_SHEET_DATA}" is missing; this is not an eduplan registry template`, fix_zh: '重新下载名录模板', fix_en: 'Download the registry template again' });
    throw new EduplanError('E_IMPORT_INVALID', { problems });
  }
  const known = new Set(registryColumns(registry).map((c) => c.key));
  const keys: string[] = [];
  const rows: RegistryWorkbookRow[] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(rebuildForReader(checked)), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  for await (const ws of reader) {
    if ((ws as unknown as { name: string }).name !== REGISTRY_SHEET_DATA) { for await (const _row of ws) { /* skip */ } continue; }
    for await (const row of ws) {
      if (row.number > MAX_REGISTRY_ROWS) throw new EduplanError('E_IMPORT_TOO_LARGE', { problems: [{ file: fileName, sheet: REGISTRY_SHEET_DATA, rule: 'max_rows', message_zh: `超过 ${MAX_REGISTRY_ROWS} 行`, message_en: `more than ${MAX_REGISTRY_ROWS} rows` }] });
      const cells: Record<string, string> = {};
      let any = false;
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (isFormula(cell.value)) {
          problems.push({ file: fileName, sheet: REGISTRY_SHEET_DATA, row: row.number, column: colLetter(col), rule: 'formula', message_zh: '单元格含公式；只接受直接填写的值', message_en: 'The cell holds a formula; only typed values are accepted', fix_zh: '“选择性粘贴—数值”后重新上传', fix_en: 'Paste Special → Values, then upload again' });
          return;
        }
        if (row.number === 1) {
          const k = textOf(cell.value);
          keys[col] = k;
          if (!known.has(k)) problems.push({ file: fileName, sheet: REGISTRY_SHEET_DATA, row: 1, column: colLetter(col), value: k, rule: 'unknown_column', message_zh: `未知的列代码「${k}」`, message_en: `Unknown column code "${k}"`, fix_zh: '第1行的列代码不可修改', fix_en: 'Row 1 holds the column codes: do not change them' });
          return;
        }
        if (row.number < REGISTRY_FIRST_ROW) return;
        const k = keys[col];
        const t = textOf(cell.value);
        if (k === undefined || k === '') {
          if (t !== '') problems.push({ file: fileName, sheet: REGISTRY_SHEET_DATA, row: row.number, column: colLetter(col), value: t, rule: 'no_code', message_zh: '该列没有列代码，数值无法对应', message_en: 'This column has no code, so the value belongs to nothing', fix_zh: '把数值填到相应的列', fix_en: 'Put the value in its column' });
          return;
        }
        cells[k] = t;
        if (t !== '') any = true;
      });
      if (row.number >= REGISTRY_FIRST_ROW && any) rows.push({ row: row.number, cells });
    }
  }
  for (const req of ['entry_code']) if (!keys.includes(req)) problems.push({ file: fileName, sheet: REGISTRY_SHEET_DATA, row: 1, rule: 'missing_column', value: req, message_zh: `缺少列「${req}」`, message_en: `Column "${req}" is missing`, fix_zh: '重新下载名录模板', fix_en: 'Download the registry template again' });
  return { rows, problems };
}
