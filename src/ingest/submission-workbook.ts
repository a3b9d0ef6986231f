/**
 * Reading a filled-in form workbook (上传填报工作簿). The file is checked as a hostile zip
 * first (./xlsx-zip.ts), its structure is checked (expected sheets only, none hidden, no
 * merged cells), then cells are read with exceljs's streaming WorkbookReader.
 *
 * All or nothing: every problem in the file is collected, then the whole file is refused
 * with the list (sheet, row, column, value, rule, fix; Chinese and English). Nothing is
 * returned for a partly valid file, so nothing partial can be stored.
 *
 * Formula cells are REJECTED, not read for their cached result: the cached value is absent
 * in files written by scripts and some WPS versions, stale when calculation is manual, and
 * may come from another workbook; a figure signed by 填报人、审核人、单位负责人 must be the
 * literal number they saw. The national statistics client also keeps input cells formula-free
 * (its totals are computed by the system, anchors.md [C-stat2]). The fix is "paste as values".
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { EduplanError, type Problem } from '../core/errors.ts';
import { formByCode, formFields } from '../core/forms/index.ts';
import { checkXlsx, defaultXlsxLimits, rebuildForReader, sheetsOf, type XlsxLimits } from './xlsx-zip.ts';
import {
  COL, COL_INDEX, EXPECTED_SHEETS, FIRST_FIELD_ROW, HEADER_ROW, IDENTITY_ROWS, IDENTITY_VALUE_COL, SHEET_DATA, SHEET_INSTRUCTIONS, SIGNOFF_ROWS,
  colLetter, headerLabels, identityLabels, signoffLabels,
} from './xlsx-form-layout.ts';

export interface CellRef {
  readonly sheet: string;
  readonly row: number;
  readonly column: string;
}

export interface SubmissionWorkbook {
  readonly orgCode: string;
  readonly formCode: string;
  readonly year: number;
  readonly values: Record<string, number | null>;
  readonly comments: Record<string, string>;
  readonly signoffs: { preparer?: string; reviewer?: string; head?: string };
  /** Where each element's value cell is, to locate validation problems in the file. */
  readonly cells: Record<string, CellRef>;
  readonly fileName: string;
}

export type SubmissionLimits = Partial<XlsxLimits> & { readonly fileName?: string };

type Raw = ExcelJS.CellValue | undefined;

function isFormula(v: Raw): v is ExcelJS.CellFormulaValue | ExcelJS.CellSharedFormulaValue {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v);
}

/** Plain text of a cell (rich text joined, hyperlinks' text); undefined when not text-like. */
function textOf(v: Raw): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && !(v instanceof Date)) {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
  }
  return undefined;
}

/**
 * Text a database cannot store or a reader cannot see: C0 control characters other than tab
 * and line ends (Excel writes them escaped as `_x0001_`, which the reader decodes) and lone
 * UTF-16 surrogates. A comment or name holding one is refused with its cell, not stored.
 */
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `12`, `12.5`, ` 12 ` and full-width `１２` are numbers (cells formatted as text are common); `12人`, `1,2` are not. */
function parseNumberText(s: string): number | null | undefined {
  const t = s.replace(/[\uFF10-\uFF19]/g, (d) => String(d.charCodeAt(0) - 0xff10)).replace(/\uFF0E/g, '.').trim();
  if (t === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return undefined;
}

const fixRetemplate = { fix_zh: '请重新下载本系统的模板，只在白色单元格中填写', fix_en: 'Download the template again and fill in the white cells only' };

/**
 * Read and check a filled workbook. Throws E_IMPORT_FILE_TYPE (not an xlsx),
 * E_IMPORT_TOO_LARGE (over the limits, zip bombs) or E_IMPORT_INVALID (every bad cell).
 */
export async function readSubmissionWorkbook(input: string | Buffer, limitsIn: SubmissionLimits = {}): Promise<SubmissionWorkbook> {
  const limits: XlsxLimits = { ...defaultXlsxLimits, ...limitsIn };
  const file = limitsIn.fileName ?? (typeof input === 'string' ? basename(input) : 'upload.xlsx');
  let buf: Buffer;
  if (typeof input === 'string') {
    const st = await stat(input).catch((cause: unknown) => { throw new EduplanError('E_FILE_NOT_FOUND', { detail: input, cause }); });
    // Refuse before reading a huge file into memory.
    if (st.size > limits.maxBytes) {
      throw new EduplanError('E_IMPORT_TOO_LARGE', { problems: [{ file, rule: 'max_bytes', value: st.size, message_zh: `文件大小 ${st.size} 字节，超过上限 ${limits.maxBytes} 字节`, message_en: `The file is ${st.size} bytes, over the ${limits.maxBytes}-byte limit`, ...fixRetemplate }] });
    }
    buf = await readFile(input);
  } else {
    buf = input;
  }

  const checked = checkXlsx(buf, file, limits);
  const problems: Problem[] = [];
  const sheets = sheetsOf(checked);
  for (const s of sheets) {
    if (s.state !== 'visible') {
      problems.push({ file, sheet: s.name, rule: 'hidden_sheet', value: s.state, message_zh: `工作表「${s.name}」被隐藏；隐藏的工作表可能含有未审核的数据`, message_en: `Sheet "${s.name}" is hidden; hidden sheets may carry unreviewed data`, fix_zh: '取消隐藏后删除该工作表（模板本身没有隐藏工作表）', fix_en: 'Unhide and delete the sheet (the template has no hidden sheets)' });
    } else if (!(EXPECTED_SHEETS as readonly string[]).includes(s.name)) {
      problems.push({ file, sheet: s.name, rule: 'extra_sheet', message_zh: `多出的工作表「${s.name}」；模板只有「${SHEET_INSTRUCTIONS}」「${SHEET_DATA}」`, message_en: `Extra sheet "${s.name}"; the template has only "${SHEET_INSTRUCTIONS}" and "${SHEET_DATA}"`, fix_zh: '删除多出的工作表；数据只填在「数据 Data」表中', fix_en: 'Delete the extra sheet; data go in sheet "数据 Data" only' });
    }
  }
  const dataSheet = sheets.find((s) => s.name === SHEET_DATA);
  if (!dataSheet) {
    problems.push({ file, rule: 'missing_sheet', value: sheets.map((s) => s.name), message_zh: `找不到工作表「${SHEET_DATA}」，这不是本系统的填报模板`, message_en: `Sheet "${SHEET_DATA}" is missing; this is not an eduplan form template`, ...fixRetemplate });
    throw new EduplanError('E_IMPORT_INVALID', { problems });
  }
  for (const ref of dataSheet.merges) {
    const [first] = ref.split(':');
    const m = /^([A-Z]+)(\d+)$/.exec(first ?? '');
    problems.push({ file, sheet: SHEET_DATA, rule: 'merged_cells', value: ref, ...(m ? { row: Number(m[2]), column: m[1] } : {}), message_zh: `单元格 ${ref} 被合并；合并会使数据错位`, message_en: `Cells ${ref} are merged; merging shifts data out of place`, fix_zh: '选中后“取消合并单元格”，每个格只填一个值', fix_en: 'Select them and Unmerge; one value per cell' });
  }

  // ---- cells (streaming) ----
  // Styles are read so a number formatted as a date (Excel turns "1-2" into 2 January) arrives as a Date and is refused.
  const cellsByRow = new Map<number, Raw[]>();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(rebuildForReader(checked)), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  let tooManyRows = false;
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name: string }).name;
      for await (const row of ws) {
        if (name !== SHEET_DATA) continue;
        if (row.number > limits.maxRows) { tooManyRows = true; continue; }
        const vals: Raw[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          if (col > limits.maxColumns) { tooManyRows = true; return; }
          vals[col] = cell.value;
        });
        cellsByRow.set(row.number, vals);
      }
    }
  } catch (cause) {
    // The parts passed the zip checks but are not well-formed XML (a hand-edited or damaged
    // file): the parser's complaint, as a located problem rather than a 500.
    const why = cause instanceof Error ? cause.message.split('\n')[0] ?? '' : String(cause);
    throw new EduplanError('E_IMPORT_INVALID', { cause, problems: [{ file, rule: 'xml_malformed', value: why.slice(0, 200), message_zh: `Excel 文件内部的 XML 格式错误，无法读取（${why.slice(0, 120)}）`, message_en: `The Excel file's XML is malformed and cannot be read (${why.slice(0, 120)})`, fix_zh: '用 Excel 或 WPS 打开后重新保存为 .xlsx；仍不行请重新下载模板填写', fix_en: 'Open it in Excel or WPS and save it again as .xlsx; if that fails, fill in a fresh template' }] });
  }
  if (tooManyRows) {
    throw new EduplanError('E_IMPORT_TOO_LARGE', { problems: [{ file, sheet: SHEET_DATA, rule: 'max_rows', message_zh: `工作表超过 ${limits.maxRows} 行或 ${limits.maxColumns} 列`, message_en: `The sheet has more than ${limits.maxRows} rows or ${limits.maxColumns} columns`, ...fixRetemplate }] });
  }
  const at = (row: number, col: number): Raw => cellsByRow.get(row)?.[col];
  const where = (row: number, col: number): { file: string; sheet: string; row: number; column: string } => ({ file, sheet: SHEET_DATA, row, column: colLetter(col) });
  const idCol = IDENTITY_VALUE_COL.charCodeAt(0) - 64;

  // Control characters anywhere in the data sheet's text.
  for (const [r, vals] of cellsByRow) {
    vals.forEach((v, c) => {
      const t = textOf(v);
      if (t === undefined || !UNSTORABLE.test(t)) return;
      problems.push({ ...where(r, c), rule: 'control_character', value: t.replace(new RegExp(UNSTORABLE.source, 'g'), '?').slice(0, 100), message_zh: '单元格含有不可见的控制字符或无效字符，无法保存', message_en: 'The cell holds an invisible control character or invalid text, which cannot be stored', fix_zh: '删除该单元格内容后重新输入（不要从其他系统直接粘贴）', fix_en: 'Clear the cell and type it again (do not paste from other systems)' });
    });
  }

  // Formula cells anywhere in the data sheet.
  for (const [r, vals] of cellsByRow) {
    vals.forEach((v, c) => {
      if (!isFormula(v)) return;
      const formula = 'formula' in v ? v.formula : `(shared) ${v.sharedFormula}`;
      problems.push({ ...where(r, c), rule: 'formula', value: `=${formula}`, message_zh: '单元格含公式；只接受直接填写的数值', message_en: 'The cell holds a formula; only typed values are accepted', fix_zh: '复制该单元格，“选择性粘贴—数值”后重新上传', fix_en: 'Copy the cell and Paste Special → Values, then upload again' });
    });
  }

  // Layout: labels the reader depends on.
  const layoutOk = (row: number, col: number, expected: string): boolean => {
    const t = textOf(at(row, col))?.trim();
    if (t === expected) return true;
    problems.push({ ...where(row, col), rule: 'layout', value: t ?? null, message_zh: `应为「${expected}」；行列被移动或修改过`, message_en: `Expected "${expected}"; rows or columns were moved or edited`, ...fixRetemplate });
    return false;
  };
  for (const [k, r] of Object.entries(IDENTITY_ROWS) as Array<[keyof typeof IDENTITY_ROWS, number]>) layoutOk(r, 1, identityLabels[k]);
  for (const [k, r] of Object.entries(SIGNOFF_ROWS) as Array<[keyof typeof SIGNOFF_ROWS, number]>) layoutOk(r, 1, signoffLabels[k]);
  layoutOk(HEADER_ROW, COL_INDEX.code, headerLabels[1]);
  layoutOk(HEADER_ROW, COL_INDEX.value, headerLabels[5]);

  // Identity.
  const formCode = textOf(at(IDENTITY_ROWS.form, idCol))?.trim() ?? '';
  const form = formByCode(formCode);
  if (!form) problems.push({ ...where(IDENTITY_ROWS.form, idCol), rule: 'unknown_form', value: formCode, message_zh: `未知的表号「${formCode}」`, message_en: `Unknown form code "${formCode}"`, ...fixRetemplate });
  const orgCode = textOf(at(IDENTITY_ROWS.org, idCol))?.trim() ?? '';
  if (!/^\d{10}$/.test(orgCode)) problems.push({ ...where(IDENTITY_ROWS.org, idCol), rule: 'org_code', value: orgCode, message_zh: '学校代码应为10位数字', message_en: 'The school code must be 10 digits', ...fixRetemplate });
  const yearText = textOf(at(IDENTITY_ROWS.year, idCol)) ?? '';
  const year = Number(yearText);
  if (!Number.isInteger(year) || year < 1949 || year > 2100) problems.push({ ...where(IDENTITY_ROWS.year, idCol), rule: 'year', value: yearText, message_zh: '学年应为4位年份（如2023表示2023—2024学年）', message_en: 'The academic year must be a 4-digit year (2023 = 2023/24)', ...fixRetemplate });

  // Sign-offs: names, plain text.
  const signoffs: { preparer?: string; reviewer?: string; head?: string } = {};
  for (const [k, r] of Object.entries(SIGNOFF_ROWS) as Array<[keyof typeof SIGNOFF_ROWS, number]>) {
    const v = at(r, idCol);
    if (isFormula(v)) continue;
    const t = textOf(v)?.trim();
    if (t) signoffs[k] = t.slice(0, 100);
  }

  // Fields.
  const values: Record<string, number | null> = {};
  const comments: Record<string, string> = {};
  const cells: Record<string, CellRef> = {};
  const fieldCodes = new Set(form ? formFields(form).map((f) => f.code) : []);
  const lastRow = Math.max(0, ...cellsByRow.keys());
  for (let r = FIRST_FIELD_ROW; r <= lastRow; r++) {
    const codeRaw = at(r, COL_INDEX.code);
    const code = textOf(codeRaw)?.trim();
    const valueRaw = at(r, COL_INDEX.value);
    if (!code) {
      const vt = textOf(valueRaw);
      if (valueRaw !== undefined && valueRaw !== null && !(vt !== undefined && vt.trim() === '')) {
        problems.push({ ...where(r, COL_INDEX.value), rule: 'no_code', value: vt ?? String(valueRaw), message_zh: '该行没有代码（B列），数值无法对应到数据项', message_en: 'This row has no code (column B), so the value belongs to no item', fix_zh: '把数值填到对应项目的行；不要增加行', fix_en: 'Put the value on its item\'s row; do not add rows' });
      }
      continue;
    }
    if (!form) continue;
    if (!fieldCodes.has(code)) {
      problems.push({ ...where(r, COL_INDEX.code), rule: 'unknown_code', value: code, message_zh: `代码「${code}」不是本表的数据项`, message_en: `Code "${code}" is not an item of this form`, ...fixRetemplate });
      continue;
    }
    if (code in cells) {
      problems.push({ ...where(r, COL_INDEX.code), rule: 'duplicate_code', value: code, message_zh: `代码「${code}」重复出现（第${cells[code]?.row}行已有）`, message_en: `Code "${code}" appears twice (already on row ${cells[code]?.row})`, ...fixRetemplate });
      continue;
    }
    cells[code] = { sheet: SHEET_DATA, row: r, column: COL.value };
    const cmt = at(r, COL_INDEX.comment);
    const cmtText = isFormula(cmt) ? undefined : textOf(cmt)?.trim();
    if (cmtText) comments[code] = cmtText.slice(0, 2000);
    if (isFormula(valueRaw)) { values[code] = null; continue; }
    values[code] = null;
    if (valueRaw === null || valueRaw === undefined) continue;
    if (typeof valueRaw === 'number') {
      if (Number.isFinite(valueRaw)) values[code] = valueRaw;
      continue;
    }
    const cellWhere = where(r, COL_INDEX.value);
    if (typeof valueRaw === 'boolean') {
      problems.push({ ...cellWhere, rule: 'not_a_number', value: valueRaw, message_zh: '应填数字，不能填TRUE/FALSE', message_en: 'A number is expected, not TRUE/FALSE', fix_zh: '“是”填1，“否”填0', fix_en: 'Enter 1 for yes, 0 for no' });
      continue;
    }
    if (valueRaw instanceof Date) {
      problems.push({ ...cellWhere, rule: 'not_a_number', value: valueRaw.toISOString().slice(0, 10), message_zh: '单元格是日期；Excel 可能把输入自动转成了日期', message_en: 'The cell is a date; Excel may have turned the entry into a date', fix_zh: '把单元格格式设为“数值”后重新输入数字', fix_en: 'Format the cell as Number and type the number again' });
      continue;
    }
    if (typeof valueRaw === 'object' && 'error' in valueRaw) {
      problems.push({ ...cellWhere, rule: 'cell_error', value: String(valueRaw.error), message_zh: `单元格是错误值 ${String(valueRaw.error)}`, message_en: `The cell holds the error value ${String(valueRaw.error)}`, fix_zh: '删除错误值并直接填写数字', fix_en: 'Replace it with a typed number' });
      continue;
    }
    const t = textOf(valueRaw) ?? '';
    const n = parseNumberText(t);
    if (n === undefined) {
      problems.push({ ...cellWhere, rule: 'not_a_number', value: t, message_zh: `「${t}」不是数字`, message_en: `"${t}" is not a number`, fix_zh: '只填阿拉伯数字，不要带单位、文字或千分位逗号（如“12人”应填12）', fix_en: 'Digits only, no units, words or thousands separators ("12人" → 12)' });
    } else {
      values[code] = n;
    }
  }
  if (form) {
    for (const f of formFields(form)) {
      if (!(f.code in cells)) {
        problems.push({ file, sheet: SHEET_DATA, rule: 'missing_row', value: f.code, message_zh: `缺少数据项「${f.label_zh}」（${f.code}）所在的行`, message_en: `The row of "${f.label_en}" (${f.code}) is missing`, ...fixRetemplate });
      }
    }
  }
  if (problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems, detail: `${problems.length} problem(s) in ${file}` });
  return { orgCode, formCode, year, values, comments, signoffs, cells, fileName: file };
}

/** Put validation problems (located by element code) on their cells in the workbook. */
export function locateInWorkbook(problems: readonly Problem[], wb: Pick<SubmissionWorkbook, 'cells' | 'fileName'>): Problem[] {
  return problems.map((p) => {
    const ref = p.path ? wb.cells[p.path] : undefined;
    return ref ? { ...p, file: wb.fileName, sheet: ref.sheet, row: ref.row, column: ref.column } : { ...p, file: wb.fileName };
  });
}
