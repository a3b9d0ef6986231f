/**
 * The error workbook (问题标注工作簿): the school's own uploaded file given back with every
 * problem cell filled (red = must fix, yellow = explain or fix) and a cell note saying what
 * is wrong and how to fix it, in Chinese and English, plus a 「问题清单 Problems」 sheet
 * listing every problem (including those that have no cell, such as a missing row).
 *
 * The school fixes the marked cells in place and uploads the same file again; the reader
 * accepts the problems sheet and ignores the marks.
 *
 * Only call this for a file that passed the hostile-file gate (xlsx-zip.ts): it loads the
 * whole workbook into memory.
 */
import ExcelJS from 'exceljs';
import { locate, type Problem } from '../core/errors.ts';
import { neutraliseCell } from '../core/forms/csv-safety.ts';
import { SHEET_PROBLEMS } from '../ingest/xlsx-form-layout.ts';

const hardFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const softFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } };

export interface MarkedProblems {
  readonly hard: readonly Problem[];
  readonly soft?: readonly Problem[];
}

/** Mark the problems on a copy of the uploaded workbook; returns the new .xlsx bytes. */
export async function buildErrorWorkbook(original: Buffer, problems: MarkedProblems): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(original as unknown as ArrayBuffer);
  const notes = new Map<string, { sheet: string; row: number; column: string; hard: boolean; lines: string[] }>();
  const all: Array<{ p: Problem; hard: boolean }> = [
    ...problems.hard.map((p) => ({ p, hard: true })),
    ...(problems.soft ?? []).map((p) => ({ p, hard: false })),
  ];
  for (const { p, hard } of all) {
    if (p.sheet === undefined || p.row === undefined || p.column === undefined) continue;
    const key = `${p.sheet}!${p.column}${p.row}`;
    const entry = notes.get(key) ?? { sheet: p.sheet, row: p.row, column: p.column, hard: false, lines: [] };
    entry.hard ||= hard;
    entry.lines.push(`[${hard ? '必须修改' : '提示'}] ${p.message_zh}${p.fix_zh ? ` 修改方法：${p.fix_zh}` : ''}`);
    entry.lines.push(`[${hard ? 'must fix' : 'warning'}] ${p.message_en}${p.fix_en ? ` Fix: ${p.fix_en}` : ''}`);
    notes.set(key, entry);
  }
  for (const n of notes.values()) {
    const ws = wb.getWorksheet(n.sheet);
    if (!ws) continue;
    const cell = ws.getCell(`${n.column}${n.row}`);
    // A fresh style object: exceljs shares one style object among cells loaded with the same style.
    cell.style = { ...cell.style, fill: n.hard ? hardFill : softFill };
    cell.note = n.lines.join('\n');
  }
  const existing = wb.getWorksheet(SHEET_PROBLEMS);
  if (existing) wb.removeWorksheet(existing.id);
  const list = wb.addWorksheet(SHEET_PROBLEMS);
  list.columns = [
    { header: '类别 Kind', width: 14 },
    { header: '位置 Where', width: 36 },
    { header: '规则 Rule', width: 28 },
    { header: '值 Value', width: 18 },
    { header: '问题', width: 60 },
    { header: 'Problem', width: 60 },
    { header: '修改方法 / How to fix', width: 70 },
  ];
  for (const { p, hard } of all) {
    const where = locate({ ...p, file: undefined });
    list.addRow([
      hard ? '必须修改 must fix' : '提示 warning',
      [where.zh, where.en].filter((x) => x !== '').join(' / ') || (p.path ?? ''),
      p.rule,
      // Values echo what the school typed: neutralise so a "=..." value is not a live formula here.
      neutraliseCell(p.value === undefined || p.value === null ? '' : typeof p.value === 'object' ? JSON.stringify(p.value) : String(p.value)),
      neutraliseCell(p.message_zh),
      neutraliseCell(p.message_en),
      neutraliseCell(`${p.fix_zh ?? ''} / ${p.fix_en ?? ''}`),
    ]).eachCell((c) => { c.fill = hard ? hardFill : softFill; c.alignment = { wrapText: true, vertical: 'top' }; });
  }
  list.getRow(1).font = { bold: true };
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
