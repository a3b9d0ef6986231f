/**
 * The xlsx template (填报模板) for one school, form and academic year: the school's identity
 * pre-filled in locked cells, one row per data element with data validation (whole numbers
 * ≥ 0, decimals ≥ 0 for areas and money, a 0/1 drop-down for flags), a comments column
 * for explaining soft-rule warnings, the three sign-off fields the 教育统计管理规定 asks
 * for (填报人、审核人、单位负责人), and an instructions sheet in Chinese and English.
 *
 * The sheet is protected without a password: it stops accidental edits of codes and labels
 * (which the reader relies on), not a determined user — the reader re-checks everything.
 */
import ExcelJS from 'exceljs';
import type { FormSchool } from '../contract/forms.ts';
import { formFields, type FormDef } from '../core/forms/index.ts';
import { neutraliseCell } from '../core/forms/csv-safety.ts';
import { academicYear } from '../core/org/academic-year.ts';
import { schoolTypeNames } from '../core/org/types.ts';
import {
  COL, COL_INDEX, FIRST_FIELD_ROW, HEADER_ROW, IDENTITY_ROWS, SHEET_DATA, SHEET_INSTRUCTIONS, SIGNOFF_ROWS,
  headerLabels, identityLabels, signoffLabels,
} from '../ingest/xlsx-form-layout.ts';

/** The school the template is for. */
export type TemplateOrg = FormSchool;

export interface TemplateOptions {
  readonly form: FormDef;
  readonly org: TemplateOrg;
  /** The school's parent (its district), named in the identity rows; the code alone when not given. */
  readonly parent?: { readonly code: string; readonly name_zh: string; readonly name_en: string } | undefined;
  readonly year: number;
  /** Values to pre-fill (a saved draft); blank otherwise. */
  readonly values?: Record<string, number | null>;
  readonly comments?: Record<string, string>;
  /** Workbook timestamps (fixed in tests so the output is reproducible). */
  readonly now?: Date;
}

const instructionsZh = [
  '填报说明',
  '1. 本表按《教育事业统计》基础基表口径填报，统计时点为当年9月1日。',
  '2. 只填写「数据 Data」工作表中白色的“数值”列（F列）、“说明”列（G列）和第8—10行的签字栏；灰色单元格已锁定，请勿修改。',
  '3. 人数、班数、间数填整数；面积（平方米）、金额（元）可保留两位小数；“是否”类填1（是）或0（否）。没有的填0，不要留空。',
  '4. 不要使用公式：请直接填写数值（如从其他表格复制，请“选择性粘贴—数值”）。带公式的单元格会被拒绝。',
  '5. 不要增删行列、合并单元格、隐藏或新增工作表，不要修改代码列（B列）。',
  '6. 上传后系统会校验：“必须修改”的问题须改正后重新上传；“提示”类问题（如与上年相比变化较大）可以修改，或在该行“说明”列写明原因。',
  '7. 出错时可下载标注了问题单元格的同一工作簿，按批注逐项修改。',
  '8. 填报人、审核人、单位负责人三栏均须填写（《教育统计管理规定》）。',
  '9. 上传方式：网页端“报表填报—上传工作簿”，或命令行 `eduplan submit 文件.xlsx`。',
];
const instructionsEn = [
  'Instructions',
  '1. The figures follow the national 教育事业统计 basic-form definitions, as of 1 September of the academic year.',
  '2. Fill only the white cells of sheet "数据 Data": the Value column (F), the Comment column (G) and the sign-off rows 8–10. Grey cells are locked.',
  '3. Counts are whole numbers; areas (m²) and money (yuan) may have two decimals; yes/no items take 1 or 0. Enter 0 for none; do not leave blanks.',
  '4. No formulas: type the numbers (when copying from another sheet, use Paste Special → Values). Formula cells are rejected.',
  '5. Do not add or delete rows or columns, merge cells, hide or add sheets, or change the codes in column B.',
  '6. After upload the data are checked: hard problems must be fixed and the file uploaded again; warnings (e.g. a large change from last year) may be fixed or explained in the Comment column of that row.',
  '7. When there are problems you can download this same workbook with the problem cells marked and annotated.',
  '8. The preparer, the reviewer and the head of unit must all be named (教育统计管理规定).',
  '9. Upload in the web app (Forms → Upload workbook) or with `eduplan submit file.xlsx`.',
];

const grey: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
const sectionFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

/** Build the template workbook; returns the .xlsx bytes. */
export async function buildFormTemplate(opts: TemplateOptions): Promise<Buffer> {
  const { form, org, year } = opts;
  const ay = academicYear(year);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'eduplan';
  const when = opts.now ?? new Date(Date.UTC(year, 8, 1));
  wb.created = when;
  wb.modified = when;

  const ins = wb.addWorksheet(SHEET_INSTRUCTIONS);
  ins.getColumn(1).width = 120;
  [...instructionsZh, '', ...instructionsEn].forEach((line, i) => {
    const c = ins.getCell(i + 1, 1);
    c.value = line;
    c.alignment = { wrapText: true, vertical: 'top' };
    if (i === 0 || i === instructionsZh.length + 1) c.font = { bold: true, size: 14 };
  });
  await ins.protect('', { selectLockedCells: true, selectUnlockedCells: true });

  const ws = wb.addWorksheet(SHEET_DATA, { views: [{ state: 'frozen', ySplit: HEADER_ROW }] });
  [8, 22, 48, 56, 12, 16, 50].forEach((w, i) => { ws.getColumn(i + 1).width = w; });
  const title = ws.getCell('A1');
  title.value = `${form.name_zh}  ${ay.label_zh} / ${form.name_en}, ${ay.label_en}`;
  title.font = { bold: true, size: 14 };

  const district = opts.parent !== undefined && opts.parent.code === org.parent_code ? opts.parent : undefined;
  const typeName = schoolTypeNames[org.school_type];
  const identity: Record<keyof typeof IDENTITY_ROWS, string | number> = {
    form: form.code,
    org: org.code,
    name: neutraliseCell(org.name_zh),
    district: district ? `${[district.name_zh, district.name_en].filter((n) => n !== '').join(' ')} (${district.code})` : (org.parent_code ?? ''),
    type: `${typeName.zh} ${typeName.en} (${org.school_type})`,
    year,
  };
  for (const [key, row] of Object.entries(IDENTITY_ROWS) as Array<[keyof typeof IDENTITY_ROWS, number]>) {
    ws.getCell(`A${row}`).value = identityLabels[key];
    ws.getCell(`A${row}`).font = { bold: true };
    const v = ws.getCell(`C${row}`);
    v.value = identity[key];
    v.fill = grey;
    // The code cells are text so that leading zeros and 10-digit codes survive Excel.
    if (key === 'org') v.numFmt = '@';
  }
  for (const [key, row] of Object.entries(SIGNOFF_ROWS) as Array<[keyof typeof SIGNOFF_ROWS, number]>) {
    ws.getCell(`A${row}`).value = signoffLabels[key];
    ws.getCell(`A${row}`).font = { bold: true };
    const v = ws.getCell(`C${row}`);
    v.protection = { locked: false };
    v.border = { bottom: { style: 'thin' } };
    v.dataValidation = { type: 'textLength', operator: 'lessThanOrEqual', allowBlank: true, formulae: [100], showErrorMessage: true, error: '不超过100字 / at most 100 characters' };
  }

  headerLabels.forEach((label, i) => {
    const c = ws.getCell(HEADER_ROW, i + 1);
    c.value = label;
    c.font = { bold: true };
    c.fill = grey;
    c.alignment = { wrapText: true, vertical: 'middle' };
  });

  let row = FIRST_FIELD_ROW;
  let no = 0;
  const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
  form.sections.forEach((s, si) => {
    ws.getCell(row, COL_INDEX.label_zh).value = `${numerals[si] ?? si + 1}、${s.name_zh}（${s.source}）`;
    ws.getCell(row, COL_INDEX.label_en).value = s.name_en;
    for (let c = 1; c <= COL_INDEX.comment; c++) { ws.getCell(row, c).fill = sectionFill; ws.getCell(row, c).font = { bold: true }; }
    row++;
    for (const f of s.fields) {
      no++;
      ws.getCell(row, COL_INDEX.no).value = no;
      ws.getCell(row, COL_INDEX.code).value = f.code;
      ws.getCell(row, COL_INDEX.label_zh).value = f.label_zh;
      ws.getCell(row, COL_INDEX.label_en).value = f.label_en;
      ws.getCell(row, COL_INDEX.unit).value = `${f.unit_zh} ${f.unit_en}`;
      for (const c of [COL_INDEX.no, COL_INDEX.code, COL_INDEX.label_zh, COL_INDEX.label_en, COL_INDEX.unit]) ws.getCell(row, c).fill = grey;
      const v = ws.getCell(`${COL.value}${row}`);
      v.protection = { locked: false };
      v.numFmt = f.integer ? '0' : '0.00';
      const pre = opts.values?.[f.code];
      if (pre !== undefined && pre !== null) v.value = pre;
      const rangeZh = f.kind === 'flag' ? '只能填1（是）或0（否）' : `${f.integer ? '整数' : '数值'}，${f.min}—${f.max}`;
      const rangeEn = f.kind === 'flag' ? '1 (yes) or 0 (no) only' : `${f.integer ? 'whole number' : 'number'}, ${f.min}–${f.max}`;
      v.dataValidation = f.kind === 'flag'
        ? { type: 'list', allowBlank: true, formulae: ['"0,1"'], showErrorMessage: true, errorTitle: '输入有误 Invalid', error: `${rangeZh} / ${rangeEn}` }
        : { type: f.integer ? 'whole' : 'decimal', operator: 'between', allowBlank: true, formulae: [f.min, f.max], showErrorMessage: true, errorTitle: '输入有误 Invalid', error: `${rangeZh} / ${rangeEn}` };
      const cm = ws.getCell(`${COL.comment}${row}`);
      cm.protection = { locked: false };
      cm.alignment = { wrapText: true };
      const comment = opts.comments?.[f.code];
      if (comment) cm.value = neutraliseCell(comment);
      row++;
    }
  });
  await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' }];
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

/** The field codes in template order (for tests and the reader). */
export function templateCodes(form: FormDef): string[] {
  return formFields(form).map((f) => f.code);
}
