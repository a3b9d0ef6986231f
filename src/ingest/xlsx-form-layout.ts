/**
 * Where things are in a form workbook (填报模板版式). Shared by the template writer
 * (src/reports/form-template.ts), the reader (./submission-workbook.ts) and the error
 * workbook, so the three cannot drift apart.
 *
 * Sheet 「填报说明 Instructions」: text only.
 * Sheet 「数据 Data」:
 *   rows 2–7   identity (labels in A, locked values in C): form code, school code, name, district, type, academic year
 *   rows 8–10  sign-off (填报人 / 审核人 / 单位负责人), column C, to be filled
 *   row 12     column headers
 *   rows 13…   one row per section heading or field: A 编号, B 代码, C 项目, D Item, E 单位,
 *              F 数值 (input), G 说明 (input: explanations for soft-rule warnings)
 */
export const SHEET_INSTRUCTIONS = '填报说明 Instructions';
export const SHEET_DATA = '数据 Data';
/** Added by the error workbook (src/reports/error-workbook.ts); accepted on re-upload and ignored. */
export const SHEET_PROBLEMS = '问题清单 Problems';
export const EXPECTED_SHEETS = [SHEET_INSTRUCTIONS, SHEET_DATA, SHEET_PROBLEMS] as const;

export const IDENTITY_ROWS = {
  form: 2,
  org: 3,
  name: 4,
  district: 5,
  type: 6,
  year: 7,
} as const;
export const SIGNOFF_ROWS = { preparer: 8, reviewer: 9, head: 10 } as const;
/** Column of the identity values and sign-off names. */
export const IDENTITY_VALUE_COL = 'C';
export const HEADER_ROW = 12;
export const FIRST_FIELD_ROW = 13;

export const COL = { no: 'A', code: 'B', label_zh: 'C', label_en: 'D', unit: 'E', value: 'F', comment: 'G' } as const;
export const COL_INDEX = { no: 1, code: 2, label_zh: 3, label_en: 4, unit: 5, value: 6, comment: 7 } as const;

export const identityLabels: Readonly<Record<keyof typeof IDENTITY_ROWS, string>> = {
  form: '表号 Form',
  org: '学校代码 School code',
  name: '学校名称 School name',
  district: '所在区 District',
  type: '办学类型 School type',
  year: '学年 Academic year',
};
export const signoffLabels: Readonly<Record<keyof typeof SIGNOFF_ROWS, string>> = {
  preparer: '填报人 Prepared by',
  reviewer: '审核人 Reviewed by',
  head: '单位负责人 Head of unit',
};
export const headerLabels = ['编号 No.', '代码 Code', '项目', 'Item', '单位 Unit', '数值 Value', '说明 Comment（提示性问题须在此说明 explain warnings here）'] as const;

/** Column number → letter (1 → A). */
export function colLetter(n: number): string {
  let s = '';
  let x = n;
  while (x > 0) { const r = (x - 1) % 26; s = String.fromCharCode(65 + r) + s; x = Math.floor((x - 1) / 26); }
  return s;
}
