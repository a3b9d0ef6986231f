/**
 * The use case "import a file of student records" (学生体测/视力记录导入), whoever asks: the
 * CLI's `fitness import`, the workspace upload job (services/student-uploads.ts), and the
 * folder import (services/import.ts, `importStudentFile`). Reading the file — parse workers,
 * byte parsing, hashing — is the pipeline's (src/ingest/student-records/); what the import
 * decides is here:
 *
 * - Whole file or nothing: one `store.transaction`; any bad cell and nothing is written.
 * - Re-importing the same bytes is a no-op (import_batch sha256, kind per record type).
 * - A corrected file replaces the school-years it contains, once the user confirmed
 *   (`replace`); otherwise E_REPLACE_UNCONFIRMED lists what it would replace.
 * - Pseudonym = HMAC-SHA256(key, upper-cased 学籍号), hex. The key comes from
 *   configuration; the raw student number, names and ID numbers are never stored.
 * - Per-school counts go into `data_value` as the catalogue's derived elements, the year is
 *   marked stale and the import audited, in the same transaction; `importStudentRecords`
 *   then brings the indicators up to date through the one recompute policy
 *   (services/recompute.ts).
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { sql } from 'kysely';
import type { StudentImportOutcome, StudentImportRequest } from '../contract/student-records.ts';
import { actions, type Role } from '../core/auth/roles.ts';
import { EduplanError, type Problem } from '../core/errors.ts';
import { derivedElements, expandElement } from '../core/elements/catalogue.ts';
import { schoolTypes, type SchoolType } from '../core/org/types.ts';
import type { MyopiaPolicy } from '../core/standards/vision/myopia.ts';
import {
  countCsvDataLines, mapHeader, NotPlainCsv, readInOneThread, readRowBatches, sha256File, startParseWorkers,
  type CopySink, type FileRead, type ParseWorkers, type SchoolTally, type StudentFileKind, type StudentFileSpec,
} from '../ingest/student-records/index.ts';
import { refuseNonUtf8Csv } from '../ingest/text-encoding.ts';
import { checkXlsxFileOffThread } from '../ingest/xlsx-off-thread.ts';
import { yearPartition } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';
import { appendAudit, auditAlone } from './audit.ts';
import { callerName, isSystem, type Caller, type ServiceDeps } from './deps.ts';
import { afterDataChanged, markStale, type RecomputeDeps } from './recompute.ts';

export interface StudentRecordsDeps extends RecomputeDeps {
  /** Key for pseudonymising student numbers (configuration; never stored). */
  readonly pseudonymKey: string;
}

/** What the caller is told while an import runs (the upload job's phases and counts, the CLI's progress bar). */
export interface ImportWatch {
  readonly onPhase?: (phase: 'validating' | 'importing') => void;
  /** Data rows in the file, once counted (CSV, or any file whose schools are checked). */
  readonly onRowsTotal?: (rows: number) => void;
  /** Rows read while checking the schools' scope. */
  readonly onRowsChecked?: (rows: number) => void;
  /** Rows imported so far (every 10,000, each segment of the parse workers, and at the end). */
  readonly onRowsDone?: (rows: number) => void;
}

/**
 * Import a file of student records and bring the indicators up to date. An account may
 * import the schools within its grants of an import role (STUDENT_IMPORT_ROLES) only,
 * checked before anything is written; the system (the operator's CLI) any school. Who
 * imports is named in the audit log.
 */
export async function importStudentRecords(deps: StudentRecordsDeps, caller: Caller, input: StudentImportRequest, watch: ImportWatch = {}): Promise<StudentImportOutcome> {
  watch.onPhase?.('validating');
  await checkImportScope(deps, caller, input, watch);
  watch.onPhase?.('importing');
  const r = await importStudentFile(deps.store, input.path, {
    kind: input.kind, ...(input.year !== undefined ? { year: input.year } : {}), pseudonymKey: deps.pseudonymKey, clock: deps.clock,
    actor: callerName(caller), replace: input.replace,
    ...(watch.onRowsDone !== undefined ? { onProgress: watch.onRowsDone } : {}),
  });
  const indicators = r.skipped ? 'unchanged' : (await afterDataChanged(deps)).status;
  return { ...r, indicators };
}

/**
 * Before any reader parses it: a workbook must pass the bounded xlsx gate (shared strings,
 * cells, inflated bytes; run in a worker so a zip bomb never reaches the event loop), and a
 * CSV must be UTF-8 — a GBK file (what Excel on a Chinese Windows saves) is named as such,
 * never reported as "missing column 学校代码". The web upload calls it before it takes the
 * import slot; every import calls it again (cheap: a 64 KiB sample, or the zip's directory).
 */
export async function screenStudentRecordFile(path: string, fileName: string = basename(path)): Promise<void> {
  if (extname(fileName).toLowerCase() === '.xlsx') await checkXlsxFileOffThread(path, fileName);
  else await refuseNonUtf8Csv(path, fileName);
}

/** Roles that may import student records; a district reviewer only for its district's schools. */
export const STUDENT_IMPORT_ROLES: readonly Role[] = actions['student_records.import'];
/** Problems listed when schools are outside the account's scope. */
const MAX_SCOPE_PROBLEMS = 1000;

/** Each org unit's lineage (itself and its ancestors), from one read of the org-unit table. */
async function lineages(deps: Pick<ServiceDeps, 'store'>): Promise<(code: string) => readonly string[] | null> {
  const rows = await deps.store.db.selectFrom('org_unit').select(['code', 'parent_code']).execute();
  const parent = new Map(rows.map((r) => [r.code, r.parent_code]));
  return (code) => {
    if (!parent.has(code)) return null;
    const out: string[] = [];
    for (let c: string | null | undefined = code; c !== null && c !== undefined && out.length < 8; c = parent.get(c)) out.push(c);
    return out;
  };
}

/**
 * Validating: count the rows and, for an account without a city-wide import grant, check
 * that every school in the file lies within its grants. Unknown school codes are left to the
 * import, which lists them as problems; a bad header too. The system counts only.
 */
async function checkImportScope(deps: ServiceDeps, caller: Caller, input: StudentImportRequest, watch: ImportWatch): Promise<void> {
  const { path, kind } = input;
  // Before anything reads it: a missing file is the user's error, not an internal one.
  if (!existsSync(path)) throw new EduplanError('E_FILE_NOT_FOUND', { detail: path });
  await screenStudentRecordFile(path);
  const isCsv = extname(path).toLowerCase() === '.csv';
  if (isSystem(caller)) {
    if (isCsv) watch.onRowsTotal?.(await countCsvDataLines(path));
    return;
  }
  const { account, ip } = caller;
  const grants = account.grants.filter((g) => STUDENT_IMPORT_ROLES.includes(g.role));
  const lineageOf = await lineages(deps);
  const cityWide = grants.some((g) => (lineageOf(g.orgCode)?.length ?? 0) === 1);
  if (cityWide) {
    if (isCsv) watch.onRowsTotal?.(await countCsvDataLines(path));
    return;
  }
  const { sheet, batches } = readRowBatches(path);
  const where = { file: basename(path), ...(sheet !== undefined ? { sheet } : {}) };
  let schoolColumn: number | undefined;
  let headerSeen = false;
  let rows = 0;
  const firstRow = new Map<string, number>();
  for await (const batch of batches) {
    for (const r of batch) {
      if (!headerSeen) {
        headerSeen = true;
        schoolColumn = mapHeader(r.cells, kind, where).index.school;
        if (schoolColumn === undefined) return; // the import reports the header
        continue;
      }
      rows += 1;
      const code = (r.cells[schoolColumn as number] ?? '').trim();
      if (!firstRow.has(code)) firstRow.set(code, r.row);
    }
    watch.onRowsChecked?.(rows);
  }
  watch.onRowsTotal?.(rows);
  const outside: Problem[] = [];
  for (const [code, row] of firstRow) {
    const lineage = lineageOf(code);
    if (lineage === null) continue;
    if (grants.some((g) => lineage.includes(g.orgCode))) continue;
    outside.push({
      ...where, row, column: '学校代码', value: code, rule: 'scope',
      message_zh: `学校 ${code} 不在您的管理范围内：只能导入本区学校的记录`, message_en: `school ${code} is outside your scope: you can import records of your district's schools only`,
      fix_zh: '删去其他区学校的行，或请市级管理员导入', fix_en: 'Remove the rows of other districts’ schools, or ask the city administrator to import the file',
    });
  }
  if (outside.length > 0) {
    await auditAlone(deps.store, deps.clock(), {
      actorId: account.id, actor: account.username, action: 'access.denied', outcome: 'denied', ip,
      after: { attempted: 'student_records.import', kind, schools: outside.slice(0, 50).map((p) => String(p.value)), outsideCount: outside.length },
    });
    throw new EduplanError('E_FORBIDDEN', { problems: outside.slice(0, MAX_SCOPE_PROBLEMS), detail: `${outside.length} school(s) outside your scope / ${outside.length} 所学校不在管理范围内` });
  }
}

// ---------------------------------------------------------------------------------------
// Storing one file

export interface StudentImportOptions {
  readonly kind: StudentFileKind;
  /** Academic year; otherwise taken from the file name `fitness-<year>.csv|xlsx`. */
  readonly year?: number;
  /** Key for the student-number pseudonym (configuration, e.g. EDUPLAN_PSEUDONYM_KEY). */
  readonly pseudonymKey: string;
  readonly clock: () => Date;
  readonly onProgress?: (rowsDone: number) => void;
  readonly myopiaPolicy?: MyopiaPolicy;
  /** Rows per COPY statement (default 200,000; per parse worker 50,000); tests use a small value to exercise several segments. */
  readonly segmentRows?: number;
  /** Who imports, for the audit log (an account name, or `cli`). Default `cli`. */
  readonly actor?: string;
  /**
   * Parse workers for a plain CSV file (default: the machine's cores, at most 4; 1 = parse
   * in this thread). XLSX and CSV with quotes are always read in this thread.
   */
  readonly parseWorkers?: number;
  /** Smallest CSV file given to parse workers (default 16 MiB, ~70,000 rows: starting a worker costs ~0.3 s). */
  readonly parallelMinBytes?: number;
  /**
   * The user has confirmed that this file replaces records already stored for its schools'
   * year. Without it, such an import changes nothing and answers E_REPLACE_UNCONFIRMED,
   * listing each school with the records it has and the rows the file brings.
   */
  readonly replace?: boolean;
}

/** What storing a file did (`parseThreads` 0 when skipped as a re-import); the recompute adds `indicators`. */
export type StudentImportResult = Omit<StudentImportOutcome, 'indicators'>;

/** Academic year from `fitness-2023.csv` / `vision-2023.xlsx`, else null. */
export function yearFromFileName(filePath: string): number | null {
  const m = /(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)/.exec(basename(filePath));
  return m ? Number(m[1]) : null;
}

/** The file being imported: what the pipeline reads, and where its rows and batch go. */
interface ImportFile extends StudentFileSpec {
  readonly sha: string;
  readonly batchKind: 'student_fitness' | 'student_vision';
  readonly table: 'student_fitness' | 'vision_screening';
  /** The year's partition of `table`, which the rows are copied into. */
  readonly partition: string;
  readonly opts: StudentImportOptions;
}

/**
 * Import one file, all or nothing, without recomputing the indicators (the caller does:
 * `importStudentRecords`, or the folder import once every file is in).
 */
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
  // The file's SHA-256 decides whether this is a re-import (skipped). Meanwhile (the hash
  // reads the whole file, ~0.4 s for 1.5 M rows) the org units are read and, for a large
  // plain CSV file, the parse workers start and load what they need; they read no row
  // until the import's batch exists (CopySink.begin).
  const hashing = sha256File(filePath);
  hashing.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const schoolRows = await store.db.selectFrom('org_unit').select(['code', 'school_type']).where('level', '=', 'school').execute();
  const types: Array<[string, SchoolType]> = [];
  for (const s of schoolRows) if (s.school_type !== null && (schoolTypes as readonly string[]).includes(s.school_type)) types.push([s.code, s.school_type as SchoolType]);
  const table = opts.kind === 'fitness' ? 'student_fitness' : 'vision_screening';
  const { size } = await stat(filePath);
  const spec: StudentFileSpec = {
    path: filePath, fileName, size, kind: opts.kind, year, schoolTypes: types, pseudonymKey: opts.pseudonymKey,
    ...(opts.myopiaPolicy !== undefined ? { myopiaPolicy: opts.myopiaPolicy } : {}),
    ...(opts.segmentRows !== undefined ? { segmentRows: opts.segmentRows } : {}),
    ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
  };

  let workers: ParseWorkers | null = null;
  try {
    workers = await startParseWorkers(spec, opts);
    const sha = await hashing;
    const seen = await store.db.selectFrom('import_batch').select(['id', 'rows']).where('kind', '=', batchKind).where('sha256', '=', sha).executeTakeFirst();
    if (seen) return { batchId: seen.id, rows: seen.rows, skipped: true, parseThreads: 0 };
    const file: ImportFile = { ...spec, sha, batchKind, table, partition: yearPartition(table, year), opts };
    if (workers !== null) {
      const started = workers;
      try {
        return await store.transaction((tx) => importRead(tx, file, (sink) => started.read(sink)));
      } catch (err) {
        if (!(err instanceof NotPlainCsv)) throw err;
      }
    }
    return await store.transaction((tx) => importRead(tx, file, (sink) => readInOneThread(file, sink)));
  } finally {
    await workers?.terminate();
  }
}

/** Read the file into `tx` (the batch made once its header is good), then decide what it changes. */
async function importRead(tx: Tx, file: ImportFile, read: (sink: CopySink) => Promise<FileRead>): Promise<StudentImportResult> {
  let batchId = 0;
  const r = await read({
    begin: async () => (batchId = await beginBatch(tx, file)),
    copy: (columns, tuples) => tx.copyBinary(file.partition, columns, tuples),
  });
  return finish(tx, file, batchId, r);
}

async function beginBatch(tx: Tx, file: ImportFile): Promise<number> {
  // Rows go straight into the year's partition (migration 0007), made on the year's first import.
  await sql`CREATE TABLE IF NOT EXISTS ${sql.table(file.partition)} PARTITION OF ${sql.table(file.table)} FOR VALUES IN (${sql.lit(file.year)})`.execute(tx.db);
  const batch = await tx.db.insertInto('import_batch')
    .values({ kind: file.batchKind, file_name: file.fileName, sha256: file.sha, rows: 0, imported_at: file.opts.clock().toISOString() })
    .returning('id').executeTakeFirstOrThrow();
  return batch.id;
}

/** Problems → error; else replace the schools' year, write derived elements, count, audit. */
async function finish(tx: Tx, file: ImportFile, batchId: number, r: FileRead): Promise<StudentImportResult> {
  const { opts } = file;
  opts.onProgress?.(r.rows);
  const problems = r.problems;
  if (r.rows === 0) problems.push({ ...r.where, rule: 'empty', message_zh: '文件没有数据行', message_en: 'the file has no data rows' });
  if (problems.length > 0) {
    throw new EduplanError('E_IMPORT_INVALID', { problems, detail: `${r.problemCount} problem(s) in ${r.rows} row(s) / 共${r.problemCount}处问题` });
  }
  const schools = [...r.tallies.keys()];
  if (opts.replace !== true) await refuseUnconfirmedReplacement(tx, file, r, batchId);
  await replaceSchoolYears(tx, file, schools, batchId);
  await markStale(tx.db, opts.clock(), [file.year], `${opts.kind}:${batchId}`);
  await writeDerivedElements(tx, opts.kind, file.year, r.tallies, batchId);
  await tx.db.updateTable('import_batch').set({ rows: r.rows }).where('id', '=', batchId).execute();
  // Minors' records: the import is audited in its own transaction, with counts only
  // (no student number, pseudonym or measurement goes into the audit log).
  await appendAudit(tx.db, opts.clock(), {
    actorId: null, actor: opts.actor ?? 'cli', action: 'students.import', outcome: 'success', objectType: 'import_batch', objectId: batchId,
    after: { file: file.fileName, kind: opts.kind, year: file.year, sha256: file.sha, rows: r.rows, schools: schools.length },
  });
  return { batchId, rows: r.rows, skipped: false, parseThreads: r.parseThreads };
}

/**
 * A file that would replace records already stored for some of its schools' year is
 * refused unless the user confirmed (`replace`): a 25-row file must not silently replace a
 * school's 280 records. The answer lists every such school with both counts; the caller's
 * transaction rolls back, so nothing is written.
 */
async function refuseUnconfirmedReplacement(tx: Tx, file: ImportFile, r: FileRead, batchId: number): Promise<void> {
  const schools = [...r.tallies.keys()];
  const held: string[] = [];
  for (let i = 0; i < schools.length; i += 1000) {
    const part = schools.slice(i, i + 1000);
    const rows = await tx.db.selectFrom('student_school_year').select('org_code').where('kind', '=', file.opts.kind).where('year', '=', file.year).where('org_code', 'in', part).execute();
    held.push(...rows.map((e) => e.org_code));
  }
  if (held.length === 0) return;
  // The file's own rows are already copied in this transaction: count both sides in one scan.
  const counts = new Map<string, { stored: number; incoming: number }>();
  for (let i = 0; i < held.length; i += 1000) {
    const part = held.slice(i, i + 1000);
    const rows = await sql<{ org_code: string; stored: number; incoming: number }>`
      SELECT org_code, count(*) FILTER (WHERE batch_id <> ${batchId})::int AS stored, count(*) FILTER (WHERE batch_id = ${batchId})::int AS incoming
      FROM ${sql.table(file.table)} WHERE year = ${file.year} AND org_code IN (${sql.join(part)}) GROUP BY org_code`.execute(tx.db);
    for (const row of rows.rows) counts.set(row.org_code, { stored: Number(row.stored), incoming: Number(row.incoming) });
  }
  const stored = [...counts].filter(([, n]) => n.stored > 0).sort((a, b) => a[0].localeCompare(b[0]));
  if (stored.length === 0) return;
  const names = new Map((await tx.db.selectFrom('org_unit').select(['code', 'name_zh']).where('code', 'in', stored.map(([c]) => c)).execute()).map((o) => [o.code, o.name_zh]));
  const total = stored.reduce((a, [, n]) => a + n.stored, 0);
  const what = file.opts.kind === 'fitness' ? { zh: '体测', en: 'fitness' } : { zh: '视力筛查', en: 'vision' };
  throw new EduplanError('E_REPLACE_UNCONFIRMED', {
    detail: `${total} stored ${what.en} record(s) of ${stored.length} school(s) for ${file.year} / 将替换 ${stored.length} 所学校 ${file.year} 学年已有的 ${total} 条${what.zh}记录`,
    problems: stored.map(([code, n]) => ({
      file: file.fileName, column: '学校代码', value: code, rule: 'replaces_stored_records',
      message_zh: `${names.get(code) ?? code}（${code}）${file.year}学年已有 ${n.stored} 条${what.zh}记录，将被本文件的 ${n.incoming} 条替换`,
      message_en: `school ${code} has ${n.stored} stored ${what.en} record(s) for ${file.year}; this file would replace them with ${n.incoming}`,
    })),
  });
}

/**
 * A corrected file replaces its schools' year: rows of earlier imports for those schools
 * are dropped, and `student_school_year` records this import as the one holding them.
 * Only schools that already had rows that year are deleted from (the year's partition
 * has no index: migration 0007), so a first upload deletes nothing.
 */
async function replaceSchoolYears(tx: Tx, file: ImportFile, schools: readonly string[], batchId: number): Promise<void> {
  const kind = file.opts.kind;
  for (let i = 0; i < schools.length; i += 1000) {
    const part = schools.slice(i, i + 1000);
    const earlier = await tx.db.selectFrom('student_school_year').select('org_code')
      .where('kind', '=', kind).where('year', '=', file.year).where('org_code', 'in', part).execute();
    if (earlier.length > 0) {
      await tx.db.deleteFrom(file.table).where('year', '=', file.year).where('org_code', 'in', earlier.map((e) => e.org_code)).where('batch_id', '<>', batchId).execute();
    }
    await tx.db.insertInto('student_school_year').values(part.map((org_code) => ({ kind, year: file.year, org_code, batch_id: batchId })))
      .onConflict((oc) => oc.columns(['kind', 'year', 'org_code']).doUpdateSet({ batch_id: batchId })).execute();
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
