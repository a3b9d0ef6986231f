/** A primary-school template and a school filling it in with exceljs (not our writer). */
import ExcelJS from 'exceljs';
import { formByCode, type FormDef } from '../../src/core/forms/index.ts';
import { SHEET_DATA } from '../../src/ingest/xlsx-form-layout.ts';
import { buildFormTemplate } from '../../src/reports/form-template.ts';

export const form = formByCode('annual.primary') as FormDef;
export const org = { code: '1201010001', name_zh: '和平区第一小学', parent_code: '120101', school_type: 'primary' as const };

/** A plausible primary school: 2 classes of 44 per grade, 40 teachers. */
export function goodValues(): Record<string, number> {
  const v: Record<string, number> = {
    'school_district.member': 1, 'classes.cmp.lt46': 12, 'classes.cmp.46_55': 0, 'classes.cmp.56_65': 0, 'classes.cmp.66plus': 0,
    'entrants.g1': 88, 'teachers.fulltime': 40, 'teachers.bachelor_plus': 38, 'teachers.above_required': 30, 'teachers.backbone': 8, 'teachers.pe_arts': 6,
    'area.teaching_aux_m2': 5000.5, 'area.sports_m2': 8000, 'equipment.value_yuan': 2_000_000, 'rooms.multimedia': 20, 'wireless.covered': 1,
  };
  for (const g of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6']) { v[`enrol.${g}.m`] = 45; v[`enrol.${g}.f`] = 43; }
  return v;
}

export type Edit = (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook, rowOf: (code: string) => number) => void;

export function makeTemplate(orgCode = org.code): Promise<Buffer> {
  // The district is named from the stored org unit (levels as data: no built-in district names).
  const parent = { code: org.parent_code, name_zh: '和平区', name_en: 'Heping' };
  return buildFormTemplate({ form, org: { ...org, code: orgCode }, parent, year: 2023, now: new Date('2023-09-01T00:00:00Z') });
}

/** Edit a workbook as a school would. */
export async function fill(base: Buffer, edit: Edit): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(base as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(SHEET_DATA);
  if (!ws) throw new Error('no data sheet');
  const rows = new Map<string, number>();
  ws.eachRow((row, n) => { const c = row.getCell(2).value; if (typeof c === 'string') rows.set(c, n); });
  const rowOf = (code: string): number => { const r = rows.get(code); if (r === undefined) throw new Error(`no row for ${code}`); return r; };
  edit(ws, wb, rowOf);
  return Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer);
}

/** The template filled with goodValues() and the three sign-offs, then `extra` applied. */
export function filledGood(base: Buffer, extra: Edit = () => undefined, values: Record<string, number> = goodValues()): Promise<Buffer> {
  return fill(base, (ws, wb, rowOf) => {
    for (const [code, v] of Object.entries(values)) ws.getCell(`F${rowOf(code)}`).value = v;
    ws.getCell('C8').value = '张三';
    ws.getCell('C9').value = '李四';
    ws.getCell('C10').value = '王五';
    extra(ws, wb, rowOf);
  });
}
