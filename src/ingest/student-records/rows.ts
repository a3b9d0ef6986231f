/**
 * One student record, from cells to a stored tuple: validate (student-records.ts), score
 * (fitness 2014 standard) or classify (vision), pseudonymise, tally per school × grade ×
 * sex, and write the binary COPY tuple. Used by the importer's main thread (XLSX and
 * unusual CSV, `process`) and by its parse workers (plain CSV in shards, `queueLine` and
 * `flushLines`, which read ordinary rows from their bytes and hand every other line to
 * `process`): one processor, so both give the same rows, counts and problems
 * (rows.test.ts).
 *
 * Everything it is built from (`RowProcessorInit`) can be posted to a worker thread.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Problem } from '../../core/errors.ts';
import { gradesByType, type Grade } from '../../core/elements/catalogue.ts';
import type { SchoolType } from '../../core/org/types.ts';
import {
  BAND_GOOD, BAND_PASS, gradeBands, R_ANNUAL_HUNDREDTHS, R_BAND, R_BONUS, R_COMPLETE, R_STANDARD_HUNDREDTHS, RESULT_SLOTS, scoreCompiled,
} from '../../core/standards/fitness/score.ts';
import { fitnessStandard, groupKey, ITEM_COUNT, itemIndex, type CompiledGroup, type CompiledStandard } from '../../core/standards/fitness/tables.ts';
import { screeningMyopia, sphericalEquivalent, type MyopiaPolicy } from '../../core/standards/vision/myopia.ts';
import { DigestSet, hmacSha256Hex, type HmacHex } from './fast-csv-hmac.ts';
import { HmacSha256Batch } from './hmac-batch.ts';
import { K3_GRADE_CODE, newStudentRow, parseStudentRow, yearsOfSchooling, type ColumnIndex, type RawRow, type RowContext, type StudentFileKind, type StudentRow } from './format.ts';
import { StudentRowBytes } from './row-bytes.ts';
import { BinaryCopyWriter } from '../../store/binary-copy.ts';
import { ageAtEndOfAcademicYear } from '../../core/org/academic-year.ts';

/** Lines hashed per batch (`flushLines`). */
const LINE_BATCH = 1024;

/** At most this many problems are listed; the detail says how many there were. */
export const MAX_PROBLEMS = 1000;

export const fitnessColumns = [
  'batch_id', 'org_code', 'year', 'pseudonym', 'grade_code', 'sex', 'age_years', 'class_code', 'exempt',
  'height_cm', 'weight_kg', 'bmi', 'vital_capacity', 'run_50m', 'sit_and_reach', 'rope_skip_1min', 'sit_ups_1min',
  'shuttle_run_50x8', 'standing_long_jump', 'pull_ups', 'run_800m', 'run_1000m',
  'standard_score', 'bonus', 'annual_total', 'grade_band', 'complete',
] as const;
const fitnessItemOrder = ['bmi', 'vital_capacity', 'run_50m', 'sit_and_reach', 'rope_skip_1min', 'sit_ups_1min', 'shuttle_run_50x8', 'standing_long_jump', 'pull_ups', 'run_800m', 'run_1000m'] as const;
const fitnessItemIdx = fitnessItemOrder.map((k) => itemIndex[k]);

export const visionColumns = [
  'batch_id', 'org_code', 'year', 'pseudonym', 'grade_code', 'sex', 'age_years', 'class_code',
  'va_right', 'va_left', 'sph_right', 'cyl_right', 'axis_right', 'sph_left', 'cyl_left', 'axis_left', 'ortho_k', 'se_right', 'se_left', 'myopic',
] as const;

/** The stored columns of a record kind, in tuple order. */
export function columnsOf(kind: StudentFileKind): readonly string[] {
  return kind === 'fitness' ? fitnessColumns : visionColumns;
}

/** Counts of one school × grade × sex: [tested|screened, excellent_good|myopic, passed]. */
export type TallyCounts = [number, number, number];

export interface SchoolTally {
  readonly type: SchoolType;
  /** key `${grade}.${sex}` → counts */
  readonly counts: Map<string, TallyCounts>;
}

/** Catalogue grade (k3, g1…g12, v1…v3) for a grade code at a school type. */
export function catalogueGrade(gradeCode: number, type: SchoolType): Grade | null {
  const n = yearsOfSchooling(gradeCode);
  if (n === null) return null;
  const g = (gradeCode === K3_GRADE_CODE ? 'k3' : type === 'vocational' ? (n >= 10 ? `v${n - 9}` : null) : `g${n}`) as Grade | null;
  return g !== null && gradesByType[type].includes(g) ? g : null;
}

/**
 * `catalogueGrade` and the tally keys (`g7.m`, `g7.f`) worked out once per school type and
 * grade code (two-digit codes), not a string built and a list searched per row.
 */
interface GradeSlot { readonly grade: Grade; readonly keyMale: string; readonly keyFemale: string }
const gradeSlots = new Map<SchoolType, ReadonlyArray<GradeSlot | null>>();
function gradeSlot(type: SchoolType, gradeCode: number): GradeSlot | null {
  let slots = gradeSlots.get(type);
  if (!slots) {
    slots = Array.from({ length: 100 }, (_, code) => {
      const grade = catalogueGrade(code, type);
      return grade === null ? null : { grade, keyMale: `${grade}.m`, keyFemale: `${grade}.f` };
    });
    gradeSlots.set(type, slots);
  }
  return gradeCode >= 0 && gradeCode < 100 ? (slots[gradeCode] ?? null) : null;
}

/** Plain data (structured-clonable): what a processor needs, in the main thread or a worker. */
export interface RowProcessorInit {
  readonly kind: StudentFileKind;
  readonly year: number;
  readonly where: { readonly file: string; readonly sheet?: string };
  readonly header: readonly string[];
  readonly index: ColumnIndex;
  readonly schoolTypes: ReadonlyArray<readonly [string, SchoolType]>;
  readonly pseudonymKey: string;
  readonly myopiaPolicy: MyopiaPolicy;
  readonly batchId: number;
  /** Expected rows (sizes the duplicate-check set once). */
  readonly expectedRows: number;
}

export class StudentRowProcessor {
  readonly copy = new BinaryCopyWriter();
  readonly problems: Problem[] = [];
  problemCount = 0;
  /** Rows seen (valid or not). */
  rows = 0;
  /** Of those, rows read on the byte path (`processLine`); the rest were decoded and split. */
  rowsFromBytes = 0;
  /** Of those, rows whose student number was hashed in a batch (`flushLines`). */
  digestsFromBatch = 0;
  readonly tallies = new Map<string, SchoolTally>();
  /**
   * When set, the row of every first occurrence of a student number is kept; its digest is
   * `firstSeenWords()` at the same position (parse workers: duplicates across shards are
   * found by the main thread).
   */
  readonly firstSeen: { rows: Int32Array; count: number } | null;
  readonly columns: readonly string[];

  private readonly kind: StudentFileKind;
  private readonly year: number;
  private readonly where: RowProcessorInit['where'];
  private readonly header: readonly string[];
  private readonly batchId: number;
  private readonly policy: MyopiaPolicy;
  /** The fitness standard's compiled tables; null for vision files, which are not scored (and do not load them). */
  private readonly std: CompiledStandard | null;
  private readonly ctx: RowContext;
  private readonly schoolType: Map<string, SchoolType>;
  private readonly seenStudents: DigestSet;
  private readonly pseudonymOf: HmacHex;
  /** The current row's pseudonym digest (8 words): `pseudonymOf.words` or `batchDigest`. */
  private digest: Uint32Array;
  /**
   * Queued lines (`queueLine`), processed together by `flushLines`: their student numbers
   * are hashed four at a time in WebAssembly SIMD (hmac-batch.ts), ~20 % of a row's work in
   * JS. Null without WebAssembly SIMD (then every line is hashed alone).
   */
  private readonly batch: HmacSha256Batch | null;
  private readonly batchDigest = new Uint32Array(8);
  private readonly queued: {
    readonly bufs: Array<Buffer | null>;
    readonly starts: Int32Array;
    readonly ends: Int32Array;
    readonly rows: Int32Array;
    /** Where the student number was found and hashed (start −1: not hashed, the line's own path hashes it). */
    readonly noStarts: Int32Array;
    count: number;
  };
  private readonly rec: StudentRow = newStudentRow();
  /** The byte path for plain CSV lines (fitness and vision files). */
  private readonly bytes: StudentRowBytes;
  private readonly rowProblems: Problem[] = [];
  private readonly scores = new Float64Array(ITEM_COUNT);
  private readonly bonus = new Float64Array(ITEM_COUNT);
  private readonly out = new Int32Array(RESULT_SLOTS);
  /** The myopia classification's input, refilled per vision row (no objects per row). */
  private readonly eyeRight = { acuity: null as number | null, sphere: null as number | null, cylinder: null as number | null };
  private readonly eyeLeft = { acuity: null as number | null, sphere: null as number | null, cylinder: null as number | null };
  private readonly visionInput = { ageYears: 0, right: this.eyeRight, left: this.eyeLeft, orthoK: false };
  private lastTallySchool = '';
  private lastTallyKey = '';
  private lastTally: TallyCounts | null = null;

  /**
   * Load what all processors of a thread share — the fitness standard's compiled tables
   * (fitness files only) and the hash kernel — ahead of the first one (parse workers: while
   * the importer hashes the file).
   */
  static prepare(kind: StudentFileKind): void {
    if (kind === 'fitness') fitnessStandard();
    HmacSha256Batch.prepare();
  }

  constructor(init: RowProcessorInit, opts: { keepFirstSeen?: boolean; lineBatch?: number } = {}) {
    this.kind = init.kind;
    this.year = init.year;
    this.where = init.where;
    this.header = init.header;
    this.batchId = init.batchId;
    this.policy = init.myopiaPolicy;
    this.columns = columnsOf(init.kind);
    const std = init.kind === 'fitness' ? fitnessStandard() : null;
    this.std = std;
    this.ctx = {
      ...init.where, kind: init.kind, year: init.year, index: init.index,
      // Only fitness rows ask which items a grade tests (parseStudentRow, row-bytes.ts).
      itemsFor: (g, sex) => (std === null || yearsOfSchooling(g) === null ? undefined : std.groups.get(groupKey(g, sex))?.items),
    };
    this.schoolType = new Map(init.schoolTypes);
    this.bytes = new StudentRowBytes(this.ctx);
    // Pseudonym digests seen (typed-array set: no per-student heap object), sized once.
    this.seenStudents = new DigestSet(Math.min(4_000_000, init.expectedRows));
    const hmacKey = Buffer.from(init.pseudonymKey, 'utf8');
    // Same HMAC-SHA256 as createHmac, with the key's pad states computed once (fast-csv-hmac.ts).
    const hashKey = (k: Uint8Array): Uint8Array => createHash('sha256').update(k).digest();
    this.pseudonymOf = hmacSha256Hex(hmacKey, hashKey, (s) => createHmac('sha256', hmacKey).update(s).digest('hex'));
    this.digest = this.pseudonymOf.words;
    const lineBatch = opts.lineBatch ?? LINE_BATCH;
    this.batch = HmacSha256Batch.create(hmacKey, hashKey, lineBatch);
    const n = this.batch?.capacity ?? lineBatch;
    this.queued = { bufs: new Array<Buffer | null>(n).fill(null), starts: new Int32Array(n), ends: new Int32Array(n), rows: new Int32Array(n), noStarts: new Int32Array(n), count: 0 };
    // Sized for the expected rows (growing copies the array: transient double memory).
    const firstSeenRows = Math.max(1024, Math.ceil(init.expectedRows * 1.1));
    this.firstSeen = opts.keepFirstSeen === true ? { rows: new Int32Array(firstSeenRows), count: 0 } : null;
  }

  private addProblem(p: Problem): void {
    this.problemCount += 1;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  /**
   * The counts of a school × grade × sex. Files list a school's students class by class,
   * so the last answer is kept: most rows skip the two map lookups.
   */
  private tallyOf(school: string, type: SchoolType, slot: GradeSlot, male: boolean): TallyCounts {
    const key = male ? slot.keyMale : slot.keyFemale;
    if (school === this.lastTallySchool && key === this.lastTallyKey && this.lastTally !== null) return this.lastTally;
    let tally = this.tallies.get(school);
    if (!tally) { tally = { type, counts: new Map() }; this.tallies.set(school, tally); }
    let c = tally.counts.get(key);
    if (!c) { c = [0, 0, 0]; tally.counts.set(key, c); }
    this.lastTallySchool = school;
    this.lastTallyKey = key;
    this.lastTally = c;
    return c;
  }

  private keepFirstSeen(row: number): void {
    const f = this.firstSeen;
    if (f === null) return;
    if (f.count === f.rows.length) {
      const rows = new Int32Array(f.rows.length * 2);
      rows.set(f.rows);
      f.rows = rows;
    }
    f.rows[f.count] = row;
    f.count += 1;
  }

  /**
   * The digests of the student numbers seen, in order: with `keepFirstSeen`, digest k
   * (words 8k … 8k+7) belongs to the row `firstSeen.rows[k]` (the set keeps every first
   * occurrence, and only those, in the order they came).
   */
  firstSeenWords(): Uint32Array {
    return this.seenStudents.words.subarray(0, this.seenStudents.size * 8);
  }

  /**
   * Validate, score and write one row as a binary COPY tuple into `copy` (fitnessColumns /
   * visionColumns order and types). Returns false when the row has problems; nothing is
   * written for it, and nothing at all once the file is known to be bad (`write` false).
   */
  process(raw: RawRow, write: boolean): boolean {
    this.rows += 1;
    this.rowProblems.length = 0;
    const ok = parseStudentRow(this.ctx, this.header, raw, this.rec, this.rowProblems);
    // The digest stays in this.pseudonymOf.words (hex text in the table, written without a string).
    this.pseudonymOf.digest(this.rec.studentNo);
    this.digest = this.pseudonymOf.words;
    return this.finish(raw.row, ok, this.rec.studentNo !== '', write);
  }

  /**
   * As `process`, for one line `buf[start, end)` of a plain CSV file (the parse workers):
   * an ordinary valid fitness or vision row is read from its bytes (row-bytes.ts); any
   * other line is decoded and split as the string splitter would, and goes to `process`.
   */
  processLine(buf: Buffer, start: number, end: number, row: number, write: boolean): boolean {
    return this.line(buf, start, end, row, write, -1);
  }

  /**
   * Queue a line for `flushLines` (same work as `processLine`, in the same order). The
   * buffer must stay unchanged until then. True when the queue is full: flush it now.
   */
  queueLine(buf: Buffer, start: number, end: number, row: number): boolean {
    const q = this.queued;
    const i = q.count;
    q.bufs[i] = buf;
    q.starts[i] = start;
    q.ends[i] = end;
    q.rows[i] = row;
    q.count = i + 1;
    return q.count === q.bufs.length;
  }

  /**
   * Process the queued lines in order, as `processLine` would one by one; a row's tuple is
   * written when `write` is true, or by default while the file has had no problem (once
   * it is known to be bad nothing more is copied: it will be rolled back). The student
   * numbers are hashed first, in one batch.
   */
  flushLines(write?: boolean): void {
    const q = this.queued;
    const n = q.count;
    if (n === 0) return;
    const { batch, bytes } = this;
    if (batch !== null) {
      for (let i = 0; i < n; i++) {
        const buf = q.bufs[i] as Buffer;
        const found = bytes.studentNoCell(buf, q.starts[i] as number, q.ends[i] as number) && batch.setUpperAscii(i, buf, bytes.studentNoStart, bytes.studentNoEnd);
        q.noStarts[i] = found ? bytes.studentNoStart : -1;
      }
      batch.run(n);
    }
    for (let i = 0; i < n; i++) {
      this.line(q.bufs[i] as Buffer, q.starts[i] as number, q.ends[i] as number, q.rows[i] as number, write ?? this.problemCount === 0, batch !== null ? i : -1);
      q.bufs[i] = null;
    }
    q.count = 0;
  }

  /** One line; `slot` ≥ 0: the line's student number may be hashed already in that batch slot. */
  private line(buf: Buffer, start: number, end: number, row: number, write: boolean, slot: number): boolean {
    const bytes = this.bytes;
    if (bytes.parse(buf, start, end, this.rec)) {
      this.rows += 1;
      this.rowsFromBytes += 1;
      this.rowProblems.length = 0;
      if (slot >= 0 && this.batch !== null && this.queued.noStarts[slot] === bytes.studentNoStart) {
        this.batch.digestInto(slot, this.batchDigest);
        this.digest = this.batchDigest;
        this.digestsFromBatch += 1;
      } else {
        this.pseudonymOf.digestUpperAscii(buf, bytes.studentNoStart, bytes.studentNoEnd);
        this.digest = this.pseudonymOf.words;
      }
      return this.finish(row, true, true, write);
    }
    return this.process({ row, cells: buf.toString('utf8', start, end).split(',') }, write);
  }

  /**
   * After parsing: the checks that need the org units and the rest of the file (known
   * school, grade at that school type, first occurrence of the student number, whose
   * digest is in `digest`), then the score, the tallies and the COPY tuple.
   */
  private finish(row: number, ok: boolean, hasStudentNo: boolean, write: boolean): boolean {
    const { rec, copy, out, header } = this;
    const batchId = this.batchId;
    const type = this.schoolType.get(rec.school);
    if (type === undefined && /^\d{10}$/.test(rec.school)) {
      this.rowProblems.push({ ...this.where, row, column: header[this.ctx.index.school ?? 0] ?? '学校代码', value: rec.school, rule: 'school_unknown', message_zh: '学校代码不在机构名单中', message_en: 'the school code is not in the org-unit list', fix_zh: '先导入机构名单或更正学校代码', fix_en: 'Import the org units first or correct the school code' });
    }
    const grade = type !== undefined && ok ? gradeSlot(type, rec.gradeCode) : null;
    if (ok && type !== undefined && grade === null) {
      this.rowProblems.push({ ...this.where, row, column: header[this.ctx.index.grade ?? 0] ?? '年级编号', value: rec.gradeCode, rule: 'grade_for_school', message_zh: `该校（${type}）没有年级编号${String(rec.gradeCode).padStart(2, '0')}`, message_en: `a ${type} school has no grade ${String(rec.gradeCode).padStart(2, '0')}` });
    }
    if (hasStudentNo) {
      if (this.seenStudents.add(this.digest)) this.keepFirstSeen(row);
      else {
        this.rowProblems.push(duplicateStudentProblem(this.where, row, header[this.ctx.index.student_no ?? 0] ?? '学籍号'));
      }
    }
    if (this.rowProblems.length > 0 || type === undefined || grade === null) {
      for (const p of this.rowProblems) this.addProblem(p);
      return false;
    }
    const male = rec.sex === 'male';
    const c = this.tallyOf(rec.school, type, grade, male);
    let fitnessGroup: CompiledGroup | undefined;
    if (this.std !== null && !rec.exempt) {
      fitnessGroup = this.std.groups.get(groupKey(rec.gradeCode, rec.sex));
      if (!fitnessGroup) return false;
      scoreCompiled(fitnessGroup, rec.values, this.scores, this.bonus, out);
      // Rates count complete, non-exempt records only (fitness-2014.json `missing_items`).
      if (out[R_COMPLETE] === 1) {
        const band = out[R_BAND] as number;
        c[0] += 1;
        if (band <= BAND_GOOD) c[1] += 1;
        if (band <= BAND_PASS) c[2] += 1;
      }
    }
    let myopic: boolean | null = null;
    let seR: number | null = null;
    let seL: number | null = null;
    if (this.kind === 'vision') {
      const right = this.eyeRight;
      const left = this.eyeLeft;
      right.acuity = orNull(rec.vaR);
      right.sphere = orNull(rec.sphR);
      right.cylinder = orNull(rec.cylR);
      left.acuity = orNull(rec.vaL);
      left.sphere = orNull(rec.sphL);
      left.cylinder = orNull(rec.cylL);
      const input = this.visionInput;
      // 大班 children are the 6-year-olds of the 近视率 population: 5 on the statistics day, they turn 6
      // during the year, when they are screened; the age they reach by its end is the one that counts.
      input.ageYears = grade.grade === 'k3' ? ageAtEndOfAcademicYear(rec.birthDate, this.year) : rec.ageYears;
      input.orthoK = rec.orthoK;
      myopic = screeningMyopia(input, this.policy);
      if (myopic !== null) {
        c[0] += 1;
        if (myopic) c[1] += 1;
      }
      seR = sphericalEquivalent(right.sphere, right.cylinder);
      seL = sphericalEquivalent(left.sphere, left.cylinder);
    }
    if (!write) return true;
    // Column order and types: fitnessColumns / visionColumns and migration 0003.
    copy.row(this.columns.length);
    copy.int4(batchId);
    copy.text(rec.school);
    copy.int4(this.year);
    copy.hexWords(this.digest);
    copy.int2(rec.gradeCode);
    copy.text(male ? 'm' : 'f');
    copy.int2(rec.ageYears);
    copy.text(rec.classCode);
    if (this.kind === 'fitness') {
      const v = rec.values;
      copy.bool(rec.exempt);
      copy.float4OrNull(rec.heightCm);
      copy.float4OrNull(rec.weightKg);
      for (let i = 0; i < fitnessItemIdx.length; i++) copy.float4OrNull(v[fitnessItemIdx[i] as number] as number);
      if (fitnessGroup === undefined) {
        // Exempt (免测): no score, no band.
        copy.null(); copy.null(); copy.null(); copy.null();
        copy.bool(false);
      } else {
        copy.float8((out[R_STANDARD_HUNDREDTHS] as number) / 100);
        copy.int2(out[R_BONUS] as number);
        copy.float8((out[R_ANNUAL_HUNDREDTHS] as number) / 100);
        copy.textBytes(bandUtf8[out[R_BAND] as number] as Uint8Array);
        copy.bool(out[R_COMPLETE] === 1);
      }
      return true;
    }
    copy.float4OrNull(rec.vaR);
    copy.float4OrNull(rec.vaL);
    copy.float4OrNull(rec.sphR);
    copy.float4OrNull(rec.cylR);
    copy.int2OrNull(rec.axisR);
    copy.float4OrNull(rec.sphL);
    copy.float4OrNull(rec.cylL);
    copy.int2OrNull(rec.axisL);
    copy.bool(rec.orthoK);
    copy.float4OrNull(seR ?? NaN);
    copy.float4OrNull(seL ?? NaN);
    if (myopic === null) copy.null();
    else copy.bool(myopic);
    return true;
    }
}

/** A measurement as the vision standard takes it: NaN (missing) → null. */
function orNull(x: number): number | null {
  return x === x ? x : null;
}

/** 优秀 良好 及格 不及格 as UTF-8, encoded once (not per row). */
const bandUtf8 = gradeBands.map((b) => new TextEncoder().encode(b));

/** The problem for a student number seen earlier in the same file. */
export function duplicateStudentProblem(where: RowProcessorInit['where'], row: number, column: string): Problem {
  return { ...where, row, column, rule: 'duplicate_student', message_zh: '同一学籍号在文件中出现多次', message_en: 'the same student number appears more than once in the file' };
}
