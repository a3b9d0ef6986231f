/**
 * City-scale import of student fitness (体测) and vision (视力筛查) records:
 * stream → validate → score / classify → pseudonymise → COPY, all inside one
 * `store.transaction` (whole file or nothing), then per-school aggregates written into
 * `data_value` as the catalogue's derived elements, in the same transaction.
 *
 * - Re-importing the same bytes is a no-op (import_batch sha256, kind per record type).
 * - A corrected file replaces the school-years it contains (rows of other batches for
 *   the same schools and year are deleted once the new rows are in).
 * - Pseudonym = HMAC-SHA256(key, upper-cased 学籍号), hex. The key comes from
 *   configuration; the raw student number, names and ID numbers are never stored.
 */
import { createHash, createHmac } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { sql } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import { derivedElements, expandElement, gradesByType, type Grade } from '../core/elements/catalogue.ts';
import { schoolTypes, type SchoolType } from '../core/org/types.ts';
import {
  BAND_GOOD, BAND_PASS, gradeBands, R_ANNUAL_HUNDREDTHS, R_BAND, R_BONUS, R_COMPLETE, R_STANDARD_HUNDREDTHS, RESULT_SLOTS, scoreCompiled,
} from '../core/standards/fitness/score.ts';
import { fitnessStandard, groupKey, ITEM_COUNT, itemIndex, type CompiledGroup } from '../core/standards/fitness/tables.ts';
import { defaultMyopiaPolicy, screeningMyopia, sphericalEquivalent, type MyopiaPolicy } from '../core/standards/vision/myopia.ts';
import { DigestSet, hmacSha256Hex } from '../ingest/fast-csv-hmac.ts';
import { mapHeader, newStudentRow, parseStudentRow, readRowBatches, yearsOfSchooling, type RawRow, type RowContext, type StudentFileKind } from '../ingest/student-records.ts';
import { BinaryCopyWriter } from '../store/binary-copy.ts';
import type { Store, Tx } from '../store/store.ts';
import { appendAudit } from './audit.ts';

export interface StudentImportOptions {
  readonly kind: StudentFileKind;
  /** Academic year; otherwise taken from the file name `fitness-<year>.csv|xlsx`. */
  readonly year?: number;
  /** Key for the student-number pseudonym (configuration, e.g. EDUPLAN_PSEUDONYM_KEY). */
  readonly pseudonymKey: string;
  readonly clock: () => Date;
  readonly onProgress?: (rowsDone: number) => void;
  readonly myopiaPolicy?: MyopiaPolicy;
  /** Rows per COPY statement (default 200,000); tests use a small value to exercise several segments. */
  readonly segmentRows?: number;
  /** Who imports, for the audit log (an account name, or `cli`). Default `cli`. */
  readonly actor?: string;
}

export interface StudentImportResult {
  readonly batchId: number | null;
  readonly rows: number;
  readonly skipped: boolean;
}

/** At most this many problems are listed; the detail says how many there were. */
const MAX_PROBLEMS = 1000;
/**
 * Rows per COPY statement: bounds memory (PGlite buffers a whole COPY before running it;
 * at most two segments are held: the one being copied and the one being built).
 */
const SEGMENT_ROWS = 200_000;

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

/** Academic year from `fitness-2023.csv` / `vision-2023.xlsx`, else null. */
export function yearFromFileName(filePath: string): number | null {
  const m = /(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)/.exec(basename(filePath));
  return m ? Number(m[1]) : null;
}

async function sha256File(filePath: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}


/** Catalogue grade (g1…g12, v1…v3) for a national grade code at a school type. */
function catalogueGrade(gradeCode: number, type: SchoolType): Grade | null {
  const n = yearsOfSchooling(gradeCode);
  if (n === null) return null;
  const g = (type === 'vocational' ? (n >= 10 ? `v${n - 9}` : null) : `g${n}`) as Grade | null;
  return g !== null && gradesByType[type].includes(g) ? g : null;
}

interface SchoolTally {
  readonly type: SchoolType;
  /** key `${grade}.${sex}` → counts [tested|screened, excellent_good|myopic, passed] */
  readonly counts: Map<string, [number, number, number]>;
}

export async function importStudentFile(store: Store, filePath: string, opts: StudentImportOptions): Promise<StudentImportResult> {
  const fileName = basename(filePath);
  if (!existsSync(filePath)) throw new EduplanError('E_FILE_NOT_FOUND', { detail: filePath });
  if (opts.pseudonymKey.length < 16) {
    throw new EduplanError('E_CONFIG', { detail: 'pseudonym key missing or shorter than 16 characters (EDUPLAN_PSEUDONYM_KEY) / 假名化密钥未设置或少于16个字符' });
  }
  const fromName = yearFromFileName(filePath);
  const year = opts.year ?? fromName;
  if (year === null || !Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new EduplanError('E_IMPORT_INVALID', {
      problems: [{ file: fileName, rule: 'year', message_zh: '无法确定学年：文件名应为 fitness-<学年>.csv 或 vision-<学年>.xlsx，或指定 --year', message_en: 'cannot tell the academic year: name the file fitness-<year>.csv or vision-<year>.xlsx, or pass --year' }],
    });
  }
  const batchKind = opts.kind === 'fitness' ? 'student_fitness' : 'student_vision';
  const sha = await sha256File(filePath);
  const seen = await store.db.selectFrom('import_batch').select(['id', 'rows']).where('kind', '=', batchKind).where('sha256', '=', sha).executeTakeFirst();
  if (seen) return { batchId: seen.id, rows: seen.rows, skipped: true };

  const schoolRows = await store.db.selectFrom('org_unit').select(['code', 'school_type']).where('level', '=', 'school').execute();
  const schoolType = new Map<string, SchoolType>();
  for (const s of schoolRows) if (s.school_type !== null && (schoolTypes as readonly string[]).includes(s.school_type)) schoolType.set(s.code, s.school_type as SchoolType);

  const std = fitnessStandard();
  const { sheet, batches } = readRowBatches(filePath);
  const iter = batches[Symbol.asyncIterator]();
  let first = await iter.next();
  while (!first.done && first.value.length === 0) first = await iter.next();
  const where = { file: fileName, ...(sheet !== undefined ? { sheet } : {}) };
  if (first.done) throw new EduplanError('E_IMPORT_INVALID', { problems: [{ ...where, rule: 'empty', message_zh: '文件为空', message_en: 'the file is empty' }] });
  const firstBatch = first.value;
  const header = (firstBatch[0] as RawRow).cells;
  const mapped = mapHeader(header, opts.kind, where);
  if (mapped.problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems: mapped.problems });

  const ctx: RowContext = {
    ...where, kind: opts.kind, year, index: mapped.index,
    itemsFor: (g, sex) => (yearsOfSchooling(g) === null ? undefined : std.groups.get(groupKey(g, sex))?.items),
  };
  const policy = opts.myopiaPolicy ?? defaultMyopiaPolicy;
  const problems: Problem[] = [];
  let problemCount = 0;
  const addProblem = (p: Problem): void => { problemCount += 1; if (problems.length < MAX_PROBLEMS) problems.push(p); };
  const rowProblems: Problem[] = [];
  // Pseudonym digests seen in this file (typed-array set: no per-student heap object).
  // Sized once from the file (a record line is ~200–300 bytes): growing it rehashes every digest.
  const seenStudents = new DigestSet(Math.min(4_000_000, Math.ceil(statSync(filePath).size / 200)));
  const tallies = new Map<string, SchoolTally>();
  const rec = newStudentRow();
  const scores = new Float64Array(ITEM_COUNT);
  const bonus = new Float64Array(ITEM_COUNT);
  const out = new Int32Array(RESULT_SLOTS);
  const hmacKey = Buffer.from(opts.pseudonymKey, 'utf8');
  // Same HMAC-SHA256 as createHmac, with the key's pad states computed once (fast-csv-hmac.ts).
  const pseudonymOf = hmacSha256Hex(hmacKey, (k) => createHash('sha256').update(k).digest(), (s) => createHmac('sha256', hmacKey).update(s).digest('hex'));
  let done = 0;
  const table = opts.kind === 'fitness' ? 'student_fitness' : 'vision_screening';
  const columns = opts.kind === 'fitness' ? fitnessColumns : visionColumns;
  const copy = new BinaryCopyWriter();
  /** Counts of one school × grade × sex: [tested|screened, excellent_good|myopic, passed]. */
  const tallyOf = (school: string, type: SchoolType, grade: Grade, male: boolean): [number, number, number] => {
    let tally = tallies.get(school);
    if (!tally) { tally = { type, counts: new Map() }; tallies.set(school, tally); }
    const key = male ? `${grade}.m` : `${grade}.f`;
    let c = tally.counts.get(key);
    if (!c) { c = [0, 0, 0]; tally.counts.set(key, c); }
    return c;
  };

  /**
   * Validate, score and write one row as a binary COPY tuple into `copy` (fitnessColumns /
   * visionColumns order and types). Returns false when the row has problems; nothing is
   * written for it, and nothing at all once the file is known to be bad (`write` false).
   */
  const processRow = (raw: RawRow, batchId: number, write: boolean): boolean => {
    rowProblems.length = 0;
    const ok = parseStudentRow(ctx, header, raw, rec, rowProblems);
    const type = schoolType.get(rec.school);
    if (type === undefined && /^\d{10}$/.test(rec.school)) {
      rowProblems.push({ ...where, row: raw.row, column: header[mapped.index.school ?? 0] ?? '学校代码', value: rec.school, rule: 'school_unknown', message_zh: '学校代码不在机构名单中', message_en: 'the school code is not in the org-unit list', fix_zh: '先导入机构名单或更正学校代码', fix_en: 'Import the org units first or correct the school code' });
    }
    const grade = type !== undefined && ok ? catalogueGrade(rec.gradeCode, type) : null;
    if (ok && type !== undefined && grade === null) {
      rowProblems.push({ ...where, row: raw.row, column: header[mapped.index.grade ?? 0] ?? '年级编号', value: rec.gradeCode, rule: 'grade_for_school', message_zh: `该校（${type}）没有年级编号${rec.gradeCode}`, message_en: `a ${type} school has no grade ${rec.gradeCode}` });
    }
    // The digest stays in pseudonymOf.words (hex text in the table, written without a string).
    pseudonymOf.digest(rec.studentNo);
    if (rec.studentNo !== '') {
      if (!seenStudents.add(pseudonymOf.words)) {
        rowProblems.push({ ...where, row: raw.row, column: header[mapped.index.student_no ?? 0] ?? '学籍号', rule: 'duplicate_student', message_zh: '同一学籍号在文件中出现多次', message_en: 'the same student number appears more than once in the file' });
      }
    }
    if (rowProblems.length > 0 || type === undefined || grade === null) {
      for (const p of rowProblems) addProblem(p);
      return false;
    }
    const male = rec.sex === 'male';
    const c = tallyOf(rec.school, type, grade, male);
    let fitnessGroup: CompiledGroup | undefined;
    if (opts.kind === 'fitness' && !rec.exempt) {
      fitnessGroup = std.groups.get(groupKey(rec.gradeCode, rec.sex));
      if (!fitnessGroup) return false;
      scoreCompiled(fitnessGroup, rec.values, scores, bonus, out);
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
    if (opts.kind === 'vision') {
      const nn = (x: number): number | null => (x === x ? x : null);
      const right = { acuity: nn(rec.vaR), sphere: nn(rec.sphR), cylinder: nn(rec.cylR) };
      const left = { acuity: nn(rec.vaL), sphere: nn(rec.sphL), cylinder: nn(rec.cylL) };
      myopic = screeningMyopia({ ageYears: rec.ageYears, right, left, orthoK: rec.orthoK }, policy);
      if (myopic !== null) {
        c[0] += 1;
        if (myopic) c[1] += 1;
      }
      seR = sphericalEquivalent(right.sphere, right.cylinder);
      seL = sphericalEquivalent(left.sphere, left.cylinder);
    }
    if (!write) return true;
    // Column order and types: fitnessColumns / visionColumns and migration 0003.
    copy.row(columns.length);
    copy.int4(batchId);
    copy.text(rec.school);
    copy.int4(year);
    copy.hexWords(pseudonymOf.words);
    copy.int2(rec.gradeCode);
    copy.text(male ? 'm' : 'f');
    copy.int2(rec.ageYears);
    copy.text(rec.classCode);
    if (opts.kind === 'fitness') {
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
        copy.text(gradeBands[out[R_BAND] as number] as string);
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
  };

  return store.transaction(async (tx) => {
    const batch = await tx.db.insertInto('import_batch')
      .values({ kind: batchKind, file_name: fileName, sha256: sha, rows: 0, imported_at: opts.clock().toISOString() })
      .returning('id').executeTakeFirstOrThrow();
    const batchId = batch.id;
    // Rows are written into segments of binary COPY tuples; a segment's COPY runs (in the
    // PGlite worker, or in the server) while the next segment is parsed, validated, scored
    // and pseudonymised here: two cores busy instead of taking turns. One COPY at a time on
    // the connection; at most two segments in memory.
    let inFlight: Promise<number> | null = null;
    const flush = async (): Promise<void> => {
      if (copy.rows === 0) return;
      const segment = copy.take();
      if (inFlight !== null) await inFlight;
      inFlight = tx.copyBinary(table, columns, segment);
      // Observed by the next await; this keeps a failed COPY from being an unhandled rejection meanwhile.
      inFlight.catch(() => undefined);
    };
    const consume = (rows: readonly RawRow[]): void => {
      for (let i = 0; i < rows.length; i++) {
        done += 1;
        if (opts.onProgress && done % 10_000 === 0) opts.onProgress(done);
        // Once the file is known to be bad nothing more is copied (it will be rolled back);
        // every row is still validated so that the answer lists every bad cell.
        processRow(rows[i] as RawRow, batchId, problemCount === 0);
      }
    };
    consume(firstBatch.slice(1));
    for (;;) {
      const r = await iter.next();
      if (r.done) break;
      consume(r.value);
      if (copy.rows >= (opts.segmentRows ?? SEGMENT_ROWS)) await flush();
    }
    if (problemCount === 0) await flush();
    if (inFlight !== null) await inFlight;
    opts.onProgress?.(done);
    if (done === 0) problems.push({ ...where, rule: 'empty', message_zh: '文件没有数据行', message_en: 'the file has no data rows' });
    if (problems.length > 0) {
      throw new EduplanError('E_IMPORT_INVALID', { problems, detail: `${problemCount} problem(s) in ${done} row(s) / 共${problemCount}处问题` });
    }
    const schools = [...tallies.keys()];
    await replaceSchoolYears(tx, table, year, schools, batchId);
    await writeDerivedElements(tx, opts.kind, year, tallies, batchId);
    await tx.db.updateTable('import_batch').set({ rows: done }).where('id', '=', batchId).execute();
    // Minors' records: the import is audited in its own transaction, with counts only
    // (no student number, pseudonym or measurement goes into the audit log).
    await appendAudit(tx.db, opts.clock(), {
      actorId: null, actor: opts.actor ?? 'cli', action: 'students.import', outcome: 'success', objectType: 'import_batch', objectId: batchId,
      after: { file: fileName, kind: opts.kind, year, sha256: sha, rows: done, schools: schools.length },
    });
    return { batchId, rows: done, skipped: false };
  });
}

/** A corrected file replaces its schools' year: drop rows of earlier batches for them. */
async function replaceSchoolYears(tx: Tx, table: 'student_fitness' | 'vision_screening', year: number, schools: readonly string[], batchId: number): Promise<void> {
  for (let i = 0; i < schools.length; i += 1000) {
    const part = schools.slice(i, i + 1000);
    await tx.db.deleteFrom(table).where('year', '=', year).where('org_code', 'in', part).where('batch_id', '<>', batchId).execute();
  }
}

/**
 * Per-school counts as the catalogue's derived elements (`fitness.tested.g7.f`, …),
 * source `derived:<batch id>`, replacing the same elements of earlier imports for the
 * schools in this file. Every grade × sex of the school type is written (0 when none).
 */
async function writeDerivedElements(tx: Tx, kind: StudentFileKind, year: number, tallies: ReadonlyMap<string, SchoolTally>, batchId: number): Promise<void> {
  const prefix = kind === 'fitness' ? 'fitness.' : 'vision.';
  const defs = derivedElements.filter((d) => d.code.startsWith(prefix));
  const schools = [...tallies.keys()];
  for (let i = 0; i < schools.length; i += 1000) {
    const part = schools.slice(i, i + 1000);
    await tx.db.deleteFrom('data_value').where('year', '=', year).where('org_code', 'in', part).where('element', 'like', `${prefix}%`).execute();
  }
  const source = `derived:${batchId}`;
  const lines: string[] = [];
  const measureOf: Readonly<Record<string, number>> = { 'fitness.tested': 0, 'fitness.excellent_good': 1, 'fitness.passed': 2, 'vision.screened': 0, 'vision.myopic': 1 };
  for (const [school, t] of tallies) {
    defs.forEach((def) => {
      const measure = measureOf[def.code] ?? 0;
      for (const code of expandElement(def, t.type)) {
        const key = code.slice(def.code.length + 1); // `g7.f`
        const c = t.counts.get(key);
        // fitness: tested, excellent_good, passed; vision: screened, myopic.
        lines.push(`${school},${year},${code},${c ? c[measure] : 0},${source}\n`);
      }
    });
  }
  if (lines.length > 0) {
    await tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'], (function* () {
      for (let i = 0; i < lines.length; i += 2000) yield lines.slice(i, i + 2000).join('');
    })());
  }
}

/** Count check used by tests and the CLI summary. */
export async function countStudentRows(store: Store, kind: StudentFileKind, year: number): Promise<number> {
  const table = kind === 'fitness' ? 'student_fitness' : 'vision_screening';
  const r = await sql<{ c: number }>`SELECT count(*)::int AS c FROM ${sql.table(table)} WHERE year = ${year}`.execute(store.db);
  return r.rows[0]?.c ?? 0;
}
