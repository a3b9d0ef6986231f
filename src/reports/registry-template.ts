/**
 * The xlsx template of a registry (名录模板): one row per entry, a column per field with its
 * Chinese and English label and, for choices, a drop-down; the current entries pre-filled; an
 * instructions sheet. The workspace's upload and `registry-<id>.csv` read the same columns.
 */
import ExcelJS from 'exceljs';
import { neutraliseCell } from '../core/forms/csv-safety.ts';
import type { Registry } from '../core/plan/registry.ts';
import { REGISTRY_SHEET_DATA, REGISTRY_SHEET_INSTRUCTIONS, REGISTRY_FIRST_ROW, registryColumns } from '../ingest/registry-workbook.ts';

export interface RegistryTemplateEntry {
  readonly entry_code: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  readonly document_sha256: string | null;
}

const grey: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };

export async function buildRegistryTemplate(opts: { registry: Registry; entries: readonly RegistryTemplateEntry[]; now?: Date }): Promise<Buffer> {
  const { registry } = opts;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'eduplan';
  const when = opts.now ?? new Date(Date.UTC(2025, 0, 1));
  wb.created = when;
  wb.modified = when;
  const ins = wb.addWorksheet(REGISTRY_SHEET_INSTRUCTIONS);
  ins.getColumn(1).width = 120;
  const lines = [
    `${registry.name_zh} / ${registry.name_en}`,
    '',
    '1. 每行一个条目；第1行是列代码（勿改），第2行是说明，从第3行起填写。',
    '2. 条目编号（entry_code）是条目的稳定编号：修改已有条目时保持不变，新增条目用新的编号。',
    '3. 上传后的表格即为完整名录（区级用户为本区部分）：表中没有的已有条目将被删除。',
    `4. 认定文件：先在工作台上传文件，把其 sha256 填入 document_sha256 列${registry.document === 'required' ? '（本名录必填）' : ''}。`,
    '5. 不要使用公式，不要增删列、合并单元格或新增工作表。',
    '',
    '1. One entry per row; row 1 holds the column codes (do not change them), row 2 the labels; fill from row 3.',
    '2. entry_code keys an entry: keep it when you change an entry, use a new one for a new entry.',
    '3. The uploaded sheet is the whole registry (a district: its district’s part): existing entries missing from it are removed.',
    `4. Designation documents: upload the file in the workspace first and put its sha256 in document_sha256${registry.document === 'required' ? ' (required here)' : ''}.`,
    '5. No formulas; do not add or delete columns, merge cells or add sheets.',
  ];
  lines.forEach((l, i) => { ins.getCell(i + 1, 1).value = l; });
  const ws = wb.addWorksheet(REGISTRY_SHEET_DATA);
  const cols = registryColumns(registry);
  cols.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(14, Math.min(40, c.label.length * 2));
    const key = ws.getCell(1, i + 1);
    key.value = c.key;
    key.fill = grey;
    key.font = { bold: true };
    const label = ws.getCell(2, i + 1);
    label.value = c.label;
    label.fill = grey;
  });
  opts.entries.forEach((e, r) => {
    const row = REGISTRY_FIRST_ROW + r;
    cols.forEach((c, i) => {
      const v = c.key === 'entry_code' ? e.entry_code : c.key === 'document_sha256' ? e.document_sha256 : e.fields[c.key];
      if (v === undefined || v === null) return;
      ws.getCell(row, i + 1).value = typeof v === 'string' ? neutraliseCell(v) : typeof v === 'boolean' ? String(v) : v;
    });
  });
  // Drop-downs for choices, over the rows a registry plausibly has.
  const last = REGISTRY_FIRST_ROW + Math.max(opts.entries.length, 0) + 500;
  cols.forEach((c, i) => {
    if (!c.choices) return;
    const letter = ws.getColumn(i + 1).letter;
    for (let r = REGISTRY_FIRST_ROW; r <= last; r++) {
      ws.getCell(`${letter}${r}`).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${c.choices.join(',')}"`], showErrorMessage: true, errorTitle: c.label, error: c.choices.join(', ') };
    }
  });
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
