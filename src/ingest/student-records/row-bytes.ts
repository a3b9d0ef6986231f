/**
 * The byte path of `parseStudentRow` for fitness and vision files: one line of a plain CSV file
 * (ByteLineSplitter), parsed from its UTF-8 bytes without decoding the line, splitting it
 * into ~24 strings or running a regular expression. It is the parse workers' hot path
 * (1.5 M rows a city file); on the string path, the strings, splitting and decoding are
 * most of a row's time.
 *
 * Contract: `parse` returns true only for a row that `parseStudentRow` accepts with no
 * problem, and then fills the record exactly as `parseStudentRow` would (the test
 * rows.test.ts compares the two on generated and mutated rows). For
 * anything else — a problem, or a form this path does not read (a trimmed space, a
 * `yyyy-mm-dd` date, a `3′45` time, 免测 in an item cell, Chinese in a code, `4.8 ` or
 * `是 ` in a vision cell) — it returns
 * false and the caller runs `parseStudentRow` on the decoded line, which reports the
 * problems or reads the unusual form. So this path never decides anything the string
 * path would decide differently; it only skips work for the ordinary row.
 *
 * Not set: `studentNo` (the caller hashes the student number from the bytes at
 * `studentNoStart`…`studentNoEnd`, upper-cased, as `parseStudentRow` upper-cases it).
 */
import { ageOnStatisticsDay } from '../../core/org/academic-year.ts';
import { bmiOf } from '../../core/standards/fitness/score.ts';
import { BMI, itemIndex } from '../../core/standards/fitness/tables.ts';
import { idNumberBirthOfBytes, isBirthDate } from '../../core/standards/id-number.ts';
import { fitnessItemColumns, plausibleAge, POW10, yearsOfSchooling, type RowContext, type StudentRow } from './format.ts';

const COMMA = 44;
const HEIGHT = -1;
const WEIGHT = -2;
/** A vision cell the byte path does not accept (no valid value is infinite): the line takes the string path. */
const NOT_READ = Number.POSITIVE_INFINITY;

/** UTF-8 of the one-character cells this path reads: 男 女 (性别), 是 否 (免测, OK镜). */
const MALE = [0xe7, 0x94, 0xb7];
const FEMALE = [0xe5, 0xa5, 0xb3];
const YES = [0xe6, 0x98, 0xaf];
const NO = [0xe5, 0x90, 0xa6];

interface ItemCell {
  readonly cell: number;
  readonly min: number;
  readonly max: number;
  readonly time: boolean;
  /** Item index, or HEIGHT / WEIGHT. */
  readonly idx: number;
}

/**
 * `parseDecimal` on bytes: `-?\d+(\.\d+)?` → exactly `Number(text)`; NaN for anything
 * else, and for more than 15 digits (the string path's `Number` handles those).
 */
export function decimalOfBytes(b: Uint8Array, start: number, end: number): number {
  let i = start;
  const neg = i < end && b[i] === 45;
  if (neg) i += 1;
  let digits = 0;
  let int = 0;
  let scale = -1;
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c >= 48 && c <= 57) {
      int = int * 10 + (c - 48);
      digits += 1;
      if (scale >= 0) scale += 1;
    } else if (c === 46 && scale < 0 && digits > 0) scale = 0;
    else return NaN;
  }
  if (digits === 0 || scale === 0 || digits > 15) return NaN;
  const v = scale > 0 ? int / (POW10[scale] as number) : int;
  return neg ? -v : v;
}

/**
 * `parseSeconds` on bytes, for the forms schools write: m′ss with ' ′ or ’ between one or
 * two digits of minutes and two of seconds (≤ 59), or a plain number of seconds; NaN for
 * anything else (a trailing ″, spaces, seconds over 59, a negative number: the string
 * path reads or reports those).
 */
export function secondsOfBytes(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  // Minutes are the first one or two bytes; then ' (1 byte) or ′ ’ (E2 80 B2 / E2 80 99).
  for (let mLen = 1; mLen <= 2 && mLen < n; mLen++) {
    const sep = b[start + mLen] as number;
    let sepLen = 0;
    if (sep === 39) sepLen = 1;
    else if (sep === 0xe2 && b[start + mLen + 1] === 0x80 && (b[start + mLen + 2] === 0xb2 || b[start + mLen + 2] === 0x99)) sepLen = 3;
    if (sepLen === 0) continue;
    if (n !== mLen + sepLen + 2) return NaN;
    const minutes = digitsOf(b, start, start + mLen);
    const seconds = digitsOf(b, start + mLen + sepLen, end);
    if (minutes < 0 || seconds < 0 || seconds > 59) return NaN;
    return minutes * 60 + seconds;
  }
  if (b[start] === 45) return NaN;
  return decimalOfBytes(b, start, end);
}

/** The digits of b[start, end) as an integer, or −1 when empty, longer than 15 or not all digits. */
function digitsOf(b: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function allDigits(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function is3(b: Uint8Array, start: number, end: number, utf8: readonly number[]): boolean {
  return end - start === 3 && b[start] === utf8[0] && b[start + 1] === utf8[1] && b[start + 2] === utf8[2];
}

/**
 * 裸眼视力 as `parseVisionCells` reads it (5-point scale): empty → NaN; `0`, `9`, `9.0` → 0
 * (below 3.0); `d` or `d.d` within 3.0–5.3 → its number (`(10d + t) / 10` is `Number("d.t")`,
 * see `parseDecimal`); anything else → NOT_READ (the string path reports or reads it).
 */
export function acuityOfBytes(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 0) return NaN;
  const d = (b[start] as number) - 48;
  if (d < 0 || d > 9) return NOT_READ;
  let v: number;
  if (n === 1) {
    if (d === 0 || d === 9) return 0;
    v = d;
  } else if (n === 3 && b[start + 1] === 46) {
    const t = (b[start + 2] as number) - 48;
    if (t < 0 || t > 9) return NOT_READ;
    if (d === 9 && t === 0) return 0;
    v = (d * 10 + t) / 10;
  } else return NOT_READ;
  return v >= 3.0 && v <= 5.3 ? v : NOT_READ;
}

/**
 * 屈光度 (球镜 S, 柱镜 C) as `parseVisionCells` reads it: empty → NaN; `[+-]?digits(.digits)?`
 * within ±limit → exactly `Number(text)` (a minus zero stays −0, as `Number("-0.00")`);
 * anything else, or more than 15 digits → NOT_READ.
 */
export function diopterOfBytes(b: Uint8Array, start: number, end: number, limit: number): number {
  if (end === start) return NaN;
  const sign = b[start] as number;
  const signed = sign === 43 || sign === 45;
  const from = signed ? start + 1 : start;
  // decimalOfBytes takes a minus of its own: after a sign, a second one is not a diopter.
  if (from === end || b[from] === 45) return NOT_READ;
  const u = decimalOfBytes(b, from, end);
  if (u !== u) return NOT_READ;
  const v = sign === 45 ? -u : u;
  return v >= -limit && v <= limit ? v : NOT_READ;
}

/** 轴位 as `parseVisionCells` reads it: empty → NaN; one to three digits, 0–180 → the number; else NOT_READ. */
export function axisOfBytes(b: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 0) return NaN;
  if (n > 3) return NOT_READ;
  const v = digitsOf(b, start, end);
  return v >= 0 && v <= 180 ? v : NOT_READ;
}

/** Vision columns by `visionEyeColumns` key, in the order `parseVisionCells` reads them. */
const VISION_KEYS = ['va_r', 'va_l', 'sph_r', 'cyl_r', 'axis_r', 'sph_l', 'cyl_l', 'axis_l', 'ortho_k'] as const;

export class StudentRowBytes {
  /** The student number's bytes in the last accepted line. */
  studentNoStart = 0;
  studentNoEnd = 0;

  private readonly ctx: RowContext;
  private readonly cells: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly school: number;
  private readonly studentNo: number;
  private readonly grade: number;
  private readonly sex: number;
  private readonly birth: number;
  private readonly id: number;
  private readonly classCode: number;
  private readonly exempt: number;
  private readonly items: readonly ItemCell[];
  private readonly fitness: boolean;
  /** Vision files: the cell of each of VISION_KEYS (−1: no such column, read as empty). */
  private readonly vision: Int32Array;
  /** yyyymmdd → [ISO date, age on the statistics day of ctx.year]: a cohort shares a few hundred dates. */
  private readonly births = new Map<number, readonly [string, number]>();
  private lastSchoolCode = -1;
  private lastSchool = '';
  /**
   * Per grade code × sex (code · 2 + 1 for female): the items that grade tests, as a bit
   * mask by item index; −1 no such group, −2 not looked up yet (ctx.itemsFor is a map
   * lookup and a list search per item: here one table read a row).
   */
  private readonly testedMasks = new Int32Array(200).fill(-2);
  private readonly lastClassBytes = new Uint8Array(64);
  private lastClassLength = -1;
  private lastClass = '';

  constructor(ctx: RowContext) {
    this.ctx = ctx;
    const at = (key: string): number => ctx.index[key] ?? -1;
    this.school = at('school');
    this.studentNo = at('student_no');
    this.grade = at('grade');
    this.sex = at('sex');
    this.birth = at('birth_date');
    this.id = at('id_number');
    this.classCode = at('class_code');
    this.exempt = at('exempt');
    this.items = fitnessItemColumns.flatMap((c) => {
      const cell = at(c.key);
      if (cell < 0) return [];
      const idx = c.key === 'height_cm' ? HEIGHT : c.key === 'weight_kg' ? WEIGHT : itemIndex[c.key];
      return [{ cell, min: c.min, max: c.max, time: c.time === true, idx }];
    });
    this.fitness = ctx.kind === 'fitness';
    this.vision = Int32Array.from(VISION_KEYS, (k) => (ctx.kind === 'vision' ? at(k) : -1));
    this.cells = 1 + Math.max(-1, ...Object.values(ctx.index));
    this.starts = new Int32Array(this.cells);
    this.ends = new Int32Array(this.cells);
  }

  /**
   * Find the 学籍号 cell of line `b[start, end)` as `parse` splits it (every comma ends a
   * cell), into `studentNoStart`…`studentNoEnd`: the importer hashes a batch of student
   * numbers before parsing their lines. False when the file has no such column.
   */
  studentNoCell(b: Uint8Array, start: number, end: number): boolean {
    const column = this.studentNo;
    if (column < 0) return false;
    let cell = 0;
    let s = start;
    for (let i = start; i < end; i++) {
      if (b[i] === COMMA) {
        if (cell === column) { this.studentNoStart = s; this.studentNoEnd = i; return true; }
        cell += 1;
        s = i + 1;
      }
    }
    // The last cell, or past the end of a short line (empty, as parse reads it).
    if (cell === column) { this.studentNoStart = s; this.studentNoEnd = end; } else { this.studentNoStart = 0; this.studentNoEnd = 0; }
    return true;
  }

  /** The number in a cell of exactly `width` ASCII digits; −1 for anything else, or when the file has no such column. */
  private fixedDigits(b: Uint8Array, column: number, width: number): number {
    if (column < 0) return -1;
    const s = this.starts[column] as number;
    const e = this.ends[column] as number;
    return e - s === width ? digitsOf(b, s, e) : -1;
  }

  /**
   * Parse `b[start, end)` (one line, no line end) into `out`. True: the row is valid and
   * `out` holds what `parseStudentRow` gives; false: run `parseStudentRow` on the line.
   */
  parse(b: Uint8Array, start: number, end: number, out: StudentRow): boolean {
    // Cell boundaries; cells past the end of a short line are empty (relax_column_count).
    const { starts, ends, cells } = this;
    let cell = 0;
    let pos = start;
    starts[0] = start;
    for (let i = start; i < end && cell < cells; i++) {
      if (b[i] === COMMA) {
        ends[cell] = i;
        cell += 1;
        if (cell < cells) starts[cell] = i + 1;
        pos = i + 1;
      }
    }
    if (cell < cells) { ends[cell] = end; starts[cell] = pos; cell += 1; }
    for (; cell < cells; cell++) { starts[cell] = 0; ends[cell] = 0; }

    // 学校代码: 10 digits.
    const schoolCode = this.fixedDigits(b, this.school, 10);
    if (schoolCode < 0) return false;
    if (schoolCode !== this.lastSchoolCode) {
      this.lastSchoolCode = schoolCode;
      this.lastSchool = Buffer.from(b.buffer, b.byteOffset + (starts[this.school] as number), 10).toString('latin1');
    }

    // 学籍号: 6–32 letters or digits (upper-cased); 全国学籍号 G + 公民身份号码 must pass GB 11643.
    if (this.studentNo < 0) return false;
    const ns = starts[this.studentNo] as number;
    const ne = ends[this.studentNo] as number;
    if (ne - ns < 6 || ne - ns > 32) return false;
    for (let i = ns; i < ne; i++) {
      const c = b[i] as number;
      if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
    }
    if (ne - ns === 19 && (b[ns] === 71 || b[ns] === 103) && allDigits(b, ns + 1, ns + 18)) {
      const last = b[ns + 18] as number;
      const idForm = (last >= 48 && last <= 57) || last === 88 || last === 120;
      if (idForm && idNumberBirthOfBytes(b, ns + 1) < 0) return false;
    }

    // 年级编号 and 性别 → the items tested.
    const gradeCode = this.fixedDigits(b, this.grade, 2);
    if (gradeCode < 0 || yearsOfSchooling(gradeCode) === null || this.sex < 0) return false;
    const xs = starts[this.sex] as number;
    const xe = ends[this.sex] as number;
    let male: boolean;
    if (xe - xs === 1 && b[xs] === 49) male = true;
    else if (xe - xs === 1 && b[xs] === 50) male = false;
    else if (is3(b, xs, xe, MALE)) male = true;
    else if (is3(b, xs, xe, FEMALE)) male = false;
    else return false;
    // Fitness: a grade × sex the 2014 standard tests (not 03 大班); vision: any known grade.
    let tested = 0;
    if (this.fitness) {
      const slot = gradeCode * 2 + (male ? 0 : 1);
      tested = this.testedMasks[slot] as number;
      if (tested === -2) {
        const items = this.ctx.itemsFor(gradeCode, male ? 'male' : 'female');
        tested = items === undefined ? -1 : items.reduce((mask, idx) => mask | (1 << idx), 0);
        this.testedMasks[slot] = tested;
      }
      if (tested === -1) return false;
    }

    // 出生日期: yyyymmdd only (other forms take the string path); age fits the grade.
    const ymd = this.fixedDigits(b, this.birth, 8);
    if (ymd < 0) return false;
    let birth = this.births.get(ymd);
    if (birth === undefined) {
      const y = Math.floor(ymd / 10000);
      const m = Math.floor(ymd / 100) % 100;
      const d = ymd % 100;
      if (!isBirthDate(y, m, d)) return false;
      const iso = `${String(y)}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      birth = [iso, ageOnStatisticsDay(iso, this.ctx.year)] as const;
      if (this.births.size > 50_000) this.births.clear();
      this.births.set(ymd, birth);
    }
    const age = birth[1];
    const range = plausibleAge(gradeCode);
    if (range === null || age < range.min || age > range.max) return false;

    // 身份证号: when given, valid and with the same birth date.
    if (this.id >= 0) {
      const is = starts[this.id] as number;
      const ie = ends[this.id] as number;
      if (ie !== is) {
        if (ie - is !== 18) return false;
        const idBirth = idNumberBirthOfBytes(b, is);
        if (idBirth < 0 || idBirth !== ymd) return false;
      }
    }

    // 班级编号: printable ASCII (no space to trim); the string is reused while the class repeats.
    let classCode = '';
    if (this.classCode >= 0) {
      const cs = starts[this.classCode] as number;
      const ce = ends[this.classCode] as number;
      const n = ce - cs;
      if (n > 64) return false;
      let same = n === this.lastClassLength;
      for (let i = 0; i < n; i++) {
        const c = b[cs + i] as number;
        if (c < 0x21 || c > 0x7e) return false;
        if (same && this.lastClassBytes[i] !== c) same = false;
      }
      if (!same) {
        this.lastClassBytes.set(b.subarray(cs, ce));
        this.lastClassLength = n;
        this.lastClass = Buffer.from(b.buffer, b.byteOffset + cs, n).toString('latin1');
      }
      classCode = this.lastClass;
    }

    if (this.fitness) {
      if (!this.fitnessCells(b, tested, out)) return false;
    } else if (!this.visionCells(b, out)) return false;

    out.school = this.lastSchool;
    out.studentNo = '';
    out.gradeCode = gradeCode;
    out.sex = male ? 'male' : 'female';
    out.birthDate = birth[0];
    out.ageYears = age;
    out.classCode = classCode;
    this.studentNoStart = ns;
    this.studentNoEnd = ne;
    return true;
  }

  /** The start and end of a column's cell in the current line; an absent column is an empty cell. */
  private cellStart(column: number): number { return column < 0 ? 0 : (this.starts[column] as number); }
  private cellEnd(column: number): number { return column < 0 ? 0 : (this.ends[column] as number); }

  /** 免测 and the items of a fitness row into `out` (values, height, weight, exempt); false: the string path. */
  private fitnessCells(b: Uint8Array, tested: number, out: StudentRow): boolean {
    const { starts, ends } = this;
    // 免测: empty, 否 or 0 = no; 是 or 1 = yes (other marks take the string path).
    let exempt = false;
    if (this.exempt >= 0) {
      const es = starts[this.exempt] as number;
      const ee = ends[this.exempt] as number;
      if (ee === es || is3(b, es, ee, NO) || (ee - es === 1 && b[es] === 48)) exempt = false;
      else if (is3(b, es, ee, YES) || (ee - es === 1 && b[es] === 49)) exempt = true;
      else return false;
    }

    // Items: plain decimals within the plausible range, for items the grade and sex test.
    const values = out.values;
    values.fill(NaN);
    let height = NaN;
    let weight = NaN;
    const items = this.items;
    for (let k = 0; k < items.length; k++) {
      const it = items[k] as ItemCell;
      const s = starts[it.cell] as number;
      const e = ends[it.cell] as number;
      if (e === s) continue;
      // A time: m′ss or a non-negative number of seconds (other forms, negatives included, are NaN: the string path).
      const v = it.time ? secondsOfBytes(b, s, e) : decimalOfBytes(b, s, e);
      if (!(v >= it.min && v <= it.max)) return false;
      if (it.idx === HEIGHT) height = v;
      else if (it.idx === WEIGHT) weight = v;
      else {
        if (((tested >>> it.idx) & 1) === 0) return false;
        values[it.idx] = v;
      }
    }
    if (height === height && weight === weight) values[BMI] = bmiOf(height, weight);
    out.heightCm = height;
    out.weightKg = weight;
    out.exempt = exempt;
    return true;
  }

  /**
   * The eye cells of a vision row into `out` (va, sph, cyl, axis of each eye, OK镜), as
   * `parseVisionCells` reads them; false when any cell is not one of the plain forms
   * (the string path then reads it or reports it).
   */
  private visionCells(b: Uint8Array, out: StudentRow): boolean {
    const c = this.vision;
    const vaR = acuityOfBytes(b, this.cellStart(c[0] as number), this.cellEnd(c[0] as number));
    const vaL = acuityOfBytes(b, this.cellStart(c[1] as number), this.cellEnd(c[1] as number));
    const sphR = diopterOfBytes(b, this.cellStart(c[2] as number), this.cellEnd(c[2] as number), 30);
    const cylR = diopterOfBytes(b, this.cellStart(c[3] as number), this.cellEnd(c[3] as number), 15);
    const axisR = axisOfBytes(b, this.cellStart(c[4] as number), this.cellEnd(c[4] as number));
    const sphL = diopterOfBytes(b, this.cellStart(c[5] as number), this.cellEnd(c[5] as number), 30);
    const cylL = diopterOfBytes(b, this.cellStart(c[6] as number), this.cellEnd(c[6] as number), 15);
    const axisL = axisOfBytes(b, this.cellStart(c[7] as number), this.cellEnd(c[7] as number));
    if (vaR === NOT_READ || vaL === NOT_READ || sphR === NOT_READ || cylR === NOT_READ || axisR === NOT_READ
      || sphL === NOT_READ || cylL === NOT_READ || axisL === NOT_READ) return false;
    // 是否为角膜塑形镜(OK镜)佩戴者: empty, 否 or 0 = no; 是 or 1 = yes (Y, TRUE, √ … take the string path).
    const os = this.cellStart(c[8] as number);
    const oe = this.cellEnd(c[8] as number);
    let orthoK: boolean;
    if (oe === os || is3(b, os, oe, NO) || (oe - os === 1 && b[os] === 48)) orthoK = false;
    else if (is3(b, os, oe, YES) || (oe - os === 1 && b[os] === 49)) orthoK = true;
    else return false;
    out.vaR = vaR;
    out.vaL = vaL;
    out.sphR = sphR;
    out.cylR = cylR;
    out.axisR = axisR;
    out.sphL = sphL;
    out.cylL = cylL;
    out.axisL = axisL;
    out.orthoK = orthoK;
    return true;
  }
}
