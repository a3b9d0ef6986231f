/**
 * Student records as schools send them (学生体质健康 upload sheet and 视力筛查 record,
 * statistics-forms.md §2–3; template in docs/student-records.md): header matching by
 * text, and per-row validation into a reusable typed record (no object per row). The
 * file readers are in readers.ts (so that the import's parse workers,
 * which read bytes, do not load exceljs and csv-parse: ~0.5 s of CPU each).
 *
 * Nothing here touches the database or pseudonymises: the service does that. Names,
 * addresses and ID numbers are read only to validate them and are never returned.
 */
import type { StudentRecordKind } from '../../contract/student-records.ts';
import type { Problem } from '../../core/errors.ts';
import { ITEM_COUNT, itemIndex, BMI, type FitnessItem } from '../../core/standards/fitness/tables.ts';
import { bmiOf } from '../../core/standards/fitness/score.ts';
import { checkIdNumber, type IdNumberCheck } from '../../core/standards/id-number.ts';
import { ageOnStatisticsDay } from '../../core/org/academic-year.ts';

/** fitness 体测 | vision 视力筛查 (the contract's kind). */
export type StudentFileKind = StudentRecordKind;

interface ColumnSpec {
  readonly key: string;
  /** Header texts accepted (normalised with `normaliseHeader`). The first is the template's. */
  readonly headers: readonly string[];
  readonly required: boolean;
}

const identity: readonly ColumnSpec[] = [
  { key: 'school', headers: ['学校代码', '学校标识码'], required: true },
  { key: 'grade', headers: ['年级编号'], required: true },
  { key: 'class_code', headers: ['班级编号'], required: false },
  { key: 'class_name', headers: ['班级名称'], required: false },
  { key: 'student_no', headers: ['学籍号', '全国学籍号', '学号'], required: true },
  { key: 'ethnicity', headers: ['民族代码'], required: false },
  { key: 'name', headers: ['姓名'], required: false },
  { key: 'sex', headers: ['性别'], required: true },
  { key: 'birth_date', headers: ['出生日期'], required: true },
  { key: 'address', headers: ['家庭住址'], required: false },
  { key: 'id_number', headers: ['身份证号', '公民身份号码', '身份证件号'], required: false },
];

/** Fitness item columns: header → item key, unit, plausible range (statistics-forms.md §2.5, ◐). */
export const fitnessItemColumns: ReadonlyArray<{ key: FitnessItem | 'height_cm' | 'weight_kg'; headers: readonly string[]; min: number; max: number; time?: boolean }> = [
  { key: 'height_cm', headers: ['身高'], min: 80, max: 250 },
  { key: 'weight_kg', headers: ['体重'], min: 14, max: 200 },
  { key: 'vital_capacity', headers: ['肺活量'], min: 500, max: 9999 },
  { key: 'run_50m', headers: ['50米跑'], min: 5, max: 20 },
  { key: 'standing_long_jump', headers: ['立定跳远'], min: 50, max: 400 },
  { key: 'sit_and_reach', headers: ['坐位体前屈'], min: -30, max: 40 },
  { key: 'shuttle_run_50x8', headers: ['50米×8往返跑'], min: 45, max: 240, time: true },
  { key: 'rope_skip_1min', headers: ['一分钟跳绳', '1分钟跳绳'], min: 0, max: 300 },
  { key: 'run_800m', headers: ['800米跑(女)', '800米跑'], min: 120, max: 540, time: true },
  { key: 'run_1000m', headers: ['1000米跑(男)', '1000米跑'], min: 120, max: 540, time: true },
  { key: 'sit_ups_1min', headers: ['一分钟仰卧起坐', '1分钟仰卧起坐', '一分钟仰卧起坐(女)'], min: 0, max: 99 },
  { key: 'pull_ups', headers: ['引体向上(男)', '引体向上'], min: 0, max: 99 },
];

const fitnessColumns: readonly ColumnSpec[] = [
  ...identity,
  ...fitnessItemColumns.map((c) => ({ key: c.key, headers: c.headers, required: false })),
  { key: 'exempt', headers: ['免测', '是否免测'], required: false },
];

export const visionEyeColumns = [
  { key: 'va_r', headers: ['右眼裸眼视力'] },
  { key: 'va_l', headers: ['左眼裸眼视力'] },
  { key: 'sph_r', headers: ['右眼屈光球镜S', '右眼球镜'] },
  { key: 'cyl_r', headers: ['右眼屈光柱镜C', '右眼柱镜'] },
  { key: 'axis_r', headers: ['右眼屈光轴位A', '右屈光轴位A', '右眼轴位'] },
  { key: 'sph_l', headers: ['左眼屈光球镜S', '左眼球镜'] },
  { key: 'cyl_l', headers: ['左眼屈光柱镜C', '左眼柱镜'] },
  { key: 'axis_l', headers: ['左眼屈光轴位A', '左屈光轴位A', '左眼轴位'] },
  { key: 'ortho_k', headers: ['是否为角膜塑形镜(OK镜)佩戴者', 'OK镜'] },
] as const;

const visionColumns: readonly ColumnSpec[] = [
  ...identity,
  ...visionEyeColumns.map((c) => ({ key: c.key, headers: c.headers, required: c.key === 'va_r' || c.key === 'va_l' })),
];

/** The template's header row, in order (what `writeStudentRecordFiles` and the docs use). */
export function templateHeaders(kind: StudentFileKind): string[] {
  return (kind === 'fitness' ? fitnessColumns : visionColumns).map((c) => c.headers[0] as string);
}

/** Full-width brackets → ASCII, × → x, no spaces: clerks' variants of the same header (§2.1). */
export function normaliseHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').replace(/（/g, '(').replace(/）/g, ')').replace(/[×Ｘ]/g, 'x').replace(/\s+/g, '').trim();
}

export type ColumnIndex = Readonly<Record<string, number>>;

/** Find each known column by header text; report missing required columns and duplicates. */
export function mapHeader(header: readonly string[], kind: StudentFileKind, where: { file: string; sheet?: string }): { index: ColumnIndex; problems: Problem[] } {
  const specs = kind === 'fitness' ? fitnessColumns : visionColumns;
  const byHeader = new Map<string, string>();
  for (const s of specs) for (const h of s.headers) byHeader.set(normaliseHeader(h).toUpperCase(), s.key);
  const index: Record<string, number> = {};
  const problems: Problem[] = [];
  header.forEach((h, i) => {
    const key = byHeader.get(normaliseHeader(h).toUpperCase());
    if (key === undefined) return;
    if (index[key] !== undefined) {
      problems.push({ ...where, row: 1, column: h, rule: 'duplicate_column', message_zh: `表头“${h}”重复`, message_en: `header “${h}” appears twice`, fix_zh: '删除重复的列', fix_en: 'Remove the duplicate column' });
    } else index[key] = i;
  });
  for (const s of specs) {
    if (s.required && index[s.key] === undefined) {
      problems.push({
        ...where, row: 1, column: s.headers[0], rule: 'missing_column',
        message_zh: `缺少必需的列“${s.headers[0]}”`, message_en: `required column “${s.headers[0]}” is missing`,
        fix_zh: '使用 docs/student-records.md 中的模板表头', fix_en: 'Use the template headers in docs/student-records.md',
      });
    }
  }
  return { index, problems };
}

/** One row of a file: its 1-based row number in the file (header = row 1) and cell texts. */
export interface RawRow {
  readonly row: number;
  readonly cells: readonly string[];
}

/** Exact powers of ten for decimals of up to 15 digits (`parseDecimal`, and `decimalOfBytes` on the byte path). */
export const POW10: readonly number[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A decimal written `-?\d+(\.\d+)?` → its number, exactly as `Number(s)` gives it; NaN for
 * any other text. Checked and converted in one pass without a regular expression (12 cells
 * a row, 1.5 M rows): with at most 15 digits the digits form an exact integer, and IEEE
 * division by an exact power of ten rounds the true quotient once, correctly — the same
 * double `Number(s)` returns. Longer texts go to `Number(s)`.
 */
export function parseDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  const neg = n > 0 && s.charCodeAt(0) === 45;
  if (neg) i = 1;
  let digits = 0;
  let int = 0;
  let scale = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      int = int * 10 + (c - 48);
      digits += 1;
      if (scale >= 0) scale += 1;
    } else if (c === 46 && scale < 0 && digits > 0) {
      scale = 0;
    } else return NaN;
  }
  // "12." and "-" and "" are not decimals; "-0" is (as Number gives it: -0).
  if (digits === 0 || scale === 0) return NaN;
  if (digits > 15) return Number(s);
  const v = scale > 0 ? int / (POW10[scale] as number) : int;
  return neg ? -v : v;
}

/** Parse a time as integer seconds: `3′45`, `3'45`, `3’45″`, `3'45"` or a bare number of seconds (§2.4). */
export function parseSeconds(s: string): number | null {
  const plain = parseDecimal(s);
  if (plain === plain && s.charCodeAt(0) !== 45) return plain;
  const m = /^(\d{1,2})\s*[′'’]\s*(\d{2})\s*[″"”]?$/.exec(s);
  if (m) {
    const sec = Number(m[2]);
    if (sec > 59) return null;
    return Number(m[1]) * 60 + sec;
  }
  // A plain number of seconds was taken above (parseDecimal); nothing else is a time.
  return null;
}

/**
 * Birth dates repeat thousands of times in a city file (one cohort per grade), so
 * parsed dates are remembered; the cache is bounded.
 */
const birthCache = new Map<string, string | null>();
function cachedBirthDate(s: string): string | null {
  let v = birthCache.get(s);
  if (v === undefined && !birthCache.has(s)) {
    v = parseBirthDate(s);
    if (birthCache.size > 50_000) birthCache.clear();
    birthCache.set(s, v);
  }
  return v ?? null;
}

/** Age on the statistics day per ISO birth date, for one academic year at a time (same reason). */
const ageCache = new Map<string, number>();
let ageCacheYear = NaN;
function cachedAge(birthIso: string, year: number): number {
  if (year !== ageCacheYear) { ageCache.clear(); ageCacheYear = year; }
  let a = ageCache.get(birthIso);
  if (a === undefined) {
    a = ageOnStatisticsDay(birthIso, year);
    if (ageCache.size > 50_000) ageCache.clear();
    ageCache.set(birthIso, a);
  }
  return a;
}

/** yyyymmdd, yyyy-mm-dd, yyyy/mm/dd (§2.1 H) → ISO date, or null. */
export function parseBirthDate(s: string): string | null {
  const m = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/.exec(s.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * 年级编号 of kindergarten 大班 (catalogue grade k3) in vision files. PLATFORM CODE: the
 * national codes (statistics-forms.md §2.2) start at 11 and the fitness upload has no
 * kindergarten grade, but 儿童青少年总体近视率 counts the 6-year-olds of 大班, so their
 * screening records must come in. 03 follows the national pattern (stage digit, then the
 * year): stage 0 = preschool, year 3 = 大班. Not accepted in fitness files.
 */
export const K3_GRADE_CODE = 3;

/** Years of schooling for a grade code: 03 (大班) → 0, 11 → 1 … 16 → 6, 21 → 7 … 33 → 12. */
export function yearsOfSchooling(gradeCode: number): number | null {
  if (gradeCode === K3_GRADE_CODE) return 0;
  const stage = Math.floor(gradeCode / 10);
  const n = gradeCode % 10;
  if (stage === 1 && n >= 1 && n <= 6) return n;
  if (stage === 2 && n >= 1 && n <= 3) return 6 + n;
  if (stage === 3 && n >= 1 && n <= 3) return 9 + n;
  return null;
}

/**
 * Plausible age on the statistics day (1 Sep) for a grade: a grade-1 pupil is normally 6,
 * so the expected age is years-of-schooling + 5; we accept −1 … +4 around it (early
 * entry, repeated years, late entry in rural areas). 大班 children are normally 5: 4–7.
 * PLATFORM RULE, not from a standard.
 */
export function plausibleAge(gradeCode: number): { min: number; max: number } | null {
  if (gradeCode === K3_GRADE_CODE) return { min: 4, max: 7 };
  const n = yearsOfSchooling(gradeCode);
  return n === null ? null : { min: n + 4, max: n + 9 };
}

/** One validated row: reused for every row (the service copies what it keeps). */
export interface StudentRow {
  school: string;
  studentNo: string;
  gradeCode: number;
  sex: 'male' | 'female';
  birthDate: string;
  ageYears: number;
  classCode: string;
  /** fitness: by item index, NaN = missing; BMI computed from height and weight. */
  readonly values: Float64Array;
  heightCm: number;
  weightKg: number;
  exempt: boolean;
  /** vision */
  vaR: number; vaL: number; sphR: number; cylR: number; axisR: number; sphL: number; cylL: number; axisL: number;
  orthoK: boolean;
}

export function newStudentRow(): StudentRow {
  return {
    school: '', studentNo: '', gradeCode: 0, sex: 'male', birthDate: '', ageYears: 0, classCode: '',
    values: new Float64Array(ITEM_COUNT), heightCm: NaN, weightKg: NaN, exempt: false,
    vaR: NaN, vaL: NaN, sphR: NaN, cylR: NaN, axisR: NaN, sphL: NaN, cylL: NaN, axisL: NaN, orthoK: false,
  };
}

export interface RowContext {
  readonly file: string;
  readonly sheet?: string;
  readonly kind: StudentFileKind;
  readonly year: number;
  readonly index: ColumnIndex;
  /** Items tested for a grade and sex (item index list), or undefined for an unknown grade. */
  readonly itemsFor: (gradeCode: number, sex: 'male' | 'female') => Uint8Array | undefined;
}

const EXEMPT_MARKS = new Set(['免测', '免体', '免试']);
const YES = new Set(['是', '1', 'Y', 'YES', 'TRUE', '√']);
const NO = new Set(['否', '0', 'N', 'NO', 'FALSE', '']);

/**
 * Validate one row into `out`. Returns false and appends located problems when the row
 * is invalid. Header names are used as column names in problems.
 */
/** Trimmed text of a known column ('' when the file lacks the column). */
function cellAt(index: ColumnIndex, cells: readonly string[], key: string): string {
  const i = index[key];
  return i === undefined ? '' : (cells[i] ?? '').trim();
}

/** Append a located problem (header text as the column name). Module-level, not a per-row closure: 1.5 M rows. */
function reportAt(ctx: RowContext, header: readonly string[], raw: RawRow, problems: Problem[], key: string, value: unknown, rule: string, zh: string, en: string, fix_zh?: string, fix_en?: string): void {
  const i = ctx.index[key];
  problems.push({
    file: ctx.file, ...(ctx.sheet !== undefined ? { sheet: ctx.sheet } : {}), row: raw.row,
    ...(i !== undefined ? { column: header[i] ?? key } : { column: key }), value, rule, message_zh: zh, message_en: en,
    ...(fix_zh !== undefined ? { fix_zh } : {}), ...(fix_en !== undefined ? { fix_en } : {}),
  });
}

export function parseStudentRow(ctx: RowContext, header: readonly string[], raw: RawRow, out: StudentRow, problems: Problem[]): boolean {
  const before = problems.length;
  const { index } = ctx;
  const cells = raw.cells;
  const school = cellAt(index, cells, 'school');
  if (!/^\d{10}$/.test(school)) reportAt(ctx, header, raw, problems, 'school', school, 'school_code', '学校代码应为10位数字', 'the school code must be 10 digits', '填写10位学校标识码', 'Enter the 10-digit school code');
  out.school = school;

  const studentNo = cellAt(index, cells, 'student_no').toUpperCase();
  // The ID number column usually repeats the ID inside the student number: checked once.
  let idOfStudentNo = '';
  let idCheckOfStudentNo: IdNumberCheck | null = null;
  if (!/^[0-9A-Z]{6,32}$/.test(studentNo)) reportAt(ctx, header, raw, problems, 'student_no', '(已隐去 / hidden)', 'student_no', '学籍号应为6—32位字母或数字', 'the student number must be 6–32 letters or digits');
  else if (/^G\d{17}[\dX]$/.test(studentNo)) {
    // 全国学籍号 “G + 公民身份号码”: the ID part must pass GB 11643.
    idOfStudentNo = studentNo.slice(1);
    const c = checkIdNumber(idOfStudentNo);
    idCheckOfStudentNo = c;
    if (!c.ok) reportAt(ctx, header, raw, problems, 'student_no', '(已隐去 / hidden)', c.rule, `学籍号中的身份证号有误：${c.message_zh}`, `the ID number inside the student number is invalid: ${c.message_en}`);
  }
  out.studentNo = studentNo;

  const gradeText = cellAt(index, cells, 'grade');
  const gradeCode = /^\d{2}$/.test(gradeText) ? Number(gradeText) : NaN;
  const sexText = cellAt(index, cells, 'sex');
  const sex = sexText === '1' || sexText === '男' ? 'male' : sexText === '2' || sexText === '女' ? 'female' : null;
  if (sex === null) reportAt(ctx, header, raw, problems, 'sex', sexText, 'sex_code', '性别应为1（男）或2（女）', 'sex must be 1 (male) or 2 (female)');
  const items = sex !== null && Number.isFinite(gradeCode) ? ctx.itemsFor(gradeCode, sex) : undefined;
  // Fitness: a grade the 2014 standard tests (so not 03); vision: any known grade, 大班 included.
  const known = Number.isFinite(gradeCode) && yearsOfSchooling(gradeCode) !== null;
  if (!known || (ctx.kind === 'fitness' && sex !== null && items === undefined)) {
    if (ctx.kind === 'fitness') {
      reportAt(ctx, header, raw, problems, 'grade', gradeText, 'grade_code', '年级编号应为国家编码：11—16（小学）、21—23（初中）、31—33（高中、中职）', 'the grade must be a national code: 11–16 primary, 21–23 junior, 31–33 senior/vocational');
    } else {
      reportAt(ctx, header, raw, problems, 'grade', gradeText, 'grade_code', '年级编号应为：03（幼儿园大班）、11—16（小学）、21—23（初中）、31—33（高中、中职）', 'the grade must be 03 (kindergarten 大班), 11–16 primary, 21–23 junior or 31–33 senior/vocational');
    }
  }
  out.gradeCode = gradeCode;
  out.sex = sex ?? 'male';

  const birthText = cellAt(index, cells, 'birth_date');
  const birth = cachedBirthDate(birthText);
  if (birth === null) reportAt(ctx, header, raw, problems, 'birth_date', birthText, 'date', '出生日期格式应为 yyyymmdd、yyyy-mm-dd 或 yyyy/mm/dd 且为有效日期', 'the birth date must be yyyymmdd, yyyy-mm-dd or yyyy/mm/dd and a real date');
  else {
    out.birthDate = birth;
    out.ageYears = cachedAge(birth, ctx.year);
    const range = plausibleAge(gradeCode);
    if (range && (out.ageYears < range.min || out.ageYears > range.max)) {
      reportAt(ctx, header, raw, problems, 'birth_date', birthText, 'grade_age', `按出生日期，${ctx.year}年9月1日年龄为${out.ageYears}岁，与年级编号${gradeCode}不符（应为${range.min}—${range.max}岁）`,
        `age on ${ctx.year}-09-01 is ${out.ageYears}, which does not fit grade ${gradeCode} (expected ${range.min}–${range.max})`, '核对出生日期和年级编号', 'Check the birth date and the grade code');
    }
  }

  const idText = cellAt(index, cells, 'id_number');
  if (idText !== '') {
    const c = idCheckOfStudentNo !== null && idText === idOfStudentNo ? idCheckOfStudentNo : checkIdNumber(idText);
    if (!c.ok) reportAt(ctx, header, raw, problems, 'id_number', '(已隐去 / hidden)', c.rule, c.message_zh, c.message_en);
    else if (birth !== null && c.birthDate !== birth) reportAt(ctx, header, raw, problems, 'id_number', '(已隐去 / hidden)', 'id_birth_mismatch', '身份证号中的出生日期与“出生日期”列不一致', 'the birth date in the ID number differs from the 出生日期 column');
  }
  out.classCode = cellAt(index, cells, 'class_code');

  if (ctx.kind === 'fitness') parseFitnessCells(ctx, header, raw, problems, out, items);
  else {
    parseVisionCells((key) => cellAt(index, cells, key), (...args) => reportAt(ctx, header, raw, problems, ...args), out);
  }
  return problems.length === before;
}

type Report = (key: string, value: unknown, rule: string, zh: string, en: string, fix_zh?: string, fix_en?: string) => void;

function parseFitnessCells(ctx: RowContext, header: readonly string[], raw: RawRow, problems: Problem[], out: StudentRow, items: Uint8Array | undefined): void {
  const index = ctx.index;
  const cells = raw.cells;
  const values = out.values;
  values.fill(NaN);
  out.heightCm = NaN;
  out.weightKg = NaN;
  const exemptText = cellAt(index, cells, 'exempt').toUpperCase();
  let exempt = YES.has(exemptText) || EXEMPT_MARKS.has(exemptText);
  if (!exempt && !NO.has(exemptText)) reportAt(ctx, header, raw, problems, 'exempt', exemptText, 'flag', '“免测”列应为“是”或“否”', 'the 免测 column must be 是 (yes) or 否 (no)');
  for (const col of fitnessItemColumns) {
    const text = cellAt(index, cells, col.key);
    if (text === '') continue;
    // Marks are Chinese text; measurements start with a digit or '-' (no set lookup, which hashes the text).
    if (text.charCodeAt(0) > 127 && EXEMPT_MARKS.has(text)) { exempt = true; continue; }
    let v: number | null = col.time === true ? parseSeconds(text) : parseDecimal(text);
    if (v !== v) v = null;
    if (v === null) {
      reportAt(ctx, header, raw, problems, col.key, text, col.time === true ? 'time_format' : 'number', col.time === true ? '时间格式应为 分′秒（如 3′45，秒为两位且不大于59）或秒数' : '应为数值',
        col.time === true ? 'a time must be m′ss (e.g. 3′45, two-digit seconds ≤ 59) or seconds' : 'must be a number');
      continue;
    }
    if (v < col.min || v > col.max) {
      reportAt(ctx, header, raw, problems, col.key, text, 'range', `超出合理范围（${col.min}—${col.max}）`, `outside the plausible range (${col.min}–${col.max})`, '核对测试成绩与单位', 'Check the result and its unit');
      continue;
    }
    if (col.key === 'height_cm') { out.heightCm = v; continue; }
    if (col.key === 'weight_kg') { out.weightKg = v; continue; }
    const idx = itemIndex[col.key];
    if (items !== undefined && !items.includes(idx)) {
      reportAt(ctx, header, raw, problems, col.key, text, 'item_not_for_grade', `该年级、性别不测试此项目，应留空`, 'this item is not tested for this grade and sex; leave it empty');
      continue;
    }
    values[idx] = v;
  }
  if (out.heightCm === out.heightCm && out.weightKg === out.weightKg) values[BMI] = bmiOf(out.heightCm, out.weightKg);
  out.exempt = exempt;
}

function parseVisionCells(cell: (k: string) => string, report: Report, out: StudentRow): void {
  const acuity = (key: string): number => {
    const t = cell(key);
    if (t === '') return NaN;
    // Below 3.0 is written “0” (2021 notice) or “9”/“9.0” (a 2022+ vendor): both mean < 3.0, stored as 0.
    if (t === '0' || t === '9' || t === '9.0') return 0;
    const v = /^\d(\.\d)?$/.test(t) ? Number(t) : NaN;
    if (!(v >= 3.0 && v <= 5.3)) { report(key, t, 'range', '裸眼视力应为3.0—5.3（5分记录法），低于3.0填0', 'uncorrected acuity must be 3.0–5.3 (5-point scale); below 3.0 enter 0'); return NaN; }
    return v;
  };
  const diopter = (key: string, limit: number): number => {
    const t = cell(key);
    if (t === '') return NaN;
    const v = /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
    if (!(v >= -limit && v <= limit)) { report(key, t, 'range', `屈光度应为−${limit}.00—+${limit}.00`, `diopters must be within ±${limit}.00`); return NaN; }
    return v;
  };
  const axis = (key: string): number => {
    const t = cell(key);
    if (t === '') return NaN;
    const v = /^\d{1,3}$/.test(t) ? Number(t) : NaN;
    if (!(v >= 0 && v <= 180)) { report(key, t, 'range', '轴位应为0—180的整数', 'the axis must be an integer 0–180'); return NaN; }
    return v;
  };
  out.vaR = acuity('va_r');
  out.vaL = acuity('va_l');
  out.sphR = diopter('sph_r', 30);
  out.cylR = diopter('cyl_r', 15);
  out.axisR = axis('axis_r');
  out.sphL = diopter('sph_l', 30);
  out.cylL = diopter('cyl_l', 15);
  out.axisL = axis('axis_l');
  const ok = cell('ortho_k').toUpperCase();
  if (YES.has(ok)) out.orthoK = true;
  else if (NO.has(ok)) out.orthoK = false;
  else { report('ortho_k', ok, 'flag', '应为“是”或“否”', 'must be 是 (yes) or 否 (no)'); out.orthoK = false; }
}
