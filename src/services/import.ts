/**
 * `importFolder`: loads a folder of data files (docs/data-files.md) into the store —
 * org-units.csv first, then school-stats-<year>.csv, reference.csv, and student
 * records (fitness-/vision-<year>) through the student helper's `importStudentFile`.
 *
 * Rules (DESIGN.md "imports are all-or-nothing per file"):
 * - every eduplan file is read and validated before anything is written; when any
 *   has a problem, E_IMPORT_INVALID lists every problem (file, row, column, value,
 *   rule, fix) and nothing is written;
 * - each file is then written in one transaction, bulk rows through COPY;
 * - a file whose SHA-256 is the latest import of its kind is a no-op ("unchanged");
 * - a changed school-stats-<year>.csv replaces that year's typed-in values (delete +
 *   insert in the same transaction); values derived from student records stay;
 * - the plan-execution files (registry-<id>.csv, plan-units.csv, plan-owners.csv,
 *   target-values.csv, plan-milestones.csv, task-reports.csv and the documents/ they cite) are
 *   validated and written by services/plan-execution/import.ts under the same rules.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import type { OrgUnit } from '../core/org/types.ts';
import { sha256File } from '../ingest/csv-read.ts';
import { readOrgLevelsFile, readOrgUnitsFile, readReferenceFile, readSchoolStatsFile, type KnownOrg } from '../ingest/import-files.ts';
import { LevelModel, type OrgLevelDef } from '../core/org/levels.ts';
import { ORG_LEVELS_FILE, ORG_UNITS_FILE, REFERENCE_FILE, STATS_FILE_RE, STUDENT_FILE_RE } from '../ingest/layout.ts';
import { problem } from '../ingest/rules.ts';
import type { ReferenceRow } from '../ingest/schemas.ts';
import type { Store, Tx } from '../store/store.ts';
import { knownOrgs } from './org-units.ts';
import { importStudentFile } from './student-records.ts';
import { appendAudit } from './audit.ts';
import { afterDataChanged, markStale, type RecomputeOutcome } from './recompute.ts';
import { DOCUMENTS_DIR } from '../ingest/plan-execution-layout.ts';
import { orgLookupOf, orgRows } from './plan-execution/context.ts';
import { batchKindOf, importPlanExecutionFile, planExecutionKind, validatePlanExecutionFiles, type PlanExecutionPlanned } from './plan-execution/import.ts';
import { chinaDate } from '../core/plan-execution/reporting.ts';
import type { ServiceLog } from './deps.ts';

export interface ImportOptions {
  /** Key for pseudonymising student numbers (EDUPLAN_PSEUDONYM_KEY); required when the folder has student files. */
  readonly pseudonymKey?: string;
  readonly clock: () => Date;
  readonly onStep?: (label: string, done: number, total: number) => void;
  /** Who imports, for the audit log (an account name, or `cli` / `start`). Default `cli`. */
  readonly actor?: string;
  /** Confirmed: student-record files may replace records already stored for their schools' year (else E_REPLACE_UNCONFIRMED). */
  readonly replaceStudentRecords?: boolean;
  /** Where a failed recompute after the import is reported. */
  readonly log?: ServiceLog;
}

export type ImportedStatus = 'imported' | 'unchanged' | 'skipped';

export interface ImportedFile {
  readonly file: string;
  readonly kind: string;
  readonly status: ImportedStatus;
  readonly rows: number;
  readonly batchId: number | null;
  readonly note?: string;
}

export interface ImportSummary {
  readonly dir: string;
  readonly files: ImportedFile[];
  readonly imported: number;
  readonly unchanged: number;
  readonly skipped: number;
  /** Rows written (org units + data values + reference values + student records). */
  readonly rowsWritten: number;
  /** The indicators brought up to date afterwards (services/recompute.ts). */
  readonly indicators: RecomputeOutcome;
}

type Planned =
  | { kind: 'org-levels'; file: string; path: string }
  | { kind: 'org-units'; file: string; path: string }
  | { kind: 'school-stats'; file: string; path: string; year: number }
  | { kind: 'reference'; file: string; path: string }
  | { kind: 'fitness' | 'vision'; file: string; path: string; year: number }
  | PlanExecutionPlanned;

type Validated =
  | { kind: 'org-levels'; file: string; sha: string; levels: OrgLevelDef[] }
  | { kind: 'org-units'; file: string; sha: string; units: OrgUnit[] }
  | { kind: 'school-stats'; file: string; sha: string; year: number; values: Array<{ org: string; element: string; value: number }> }
  | { kind: 'reference'; file: string; sha: string; rows: ReferenceRow[] };

/** Which files of a folder are imported, in order; anything else is reported as skipped. */
export async function planFolder(dir: string): Promise<{ planned: Planned[]; ignored: string[]; problems: Problem[] }> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    names = (await readdir(dir)).sort();
  } catch (cause) {
    throw new EduplanError('E_FILE_NOT_FOUND', { detail: `import folder ${dir}`, cause });
  }
  const planned: Planned[] = [];
  const ignored: string[] = [];
  const problems: Problem[] = [];
  const stats: Planned[] = [];
  const students: Planned[] = [];
  const planExecution: Planned[] = [];
  let org: Planned | null = null;
  let levels: Planned | null = null;
  let ref: Planned | null = null;
  for (const file of names) {
    const path = join(dir, file);
    const m = STATS_FILE_RE.exec(file);
    const s = STUDENT_FILE_RE.exec(file);
    const pe = planExecutionKind(file);
    if (file === ORG_UNITS_FILE) org = { kind: 'org-units', file, path };
    else if (file === ORG_LEVELS_FILE) levels = { kind: 'org-levels', file, path };
    else if (pe) planExecution.push({ kind: pe, file, path });
    else if (file === DOCUMENTS_DIR) continue; // the documents the plan-execution files cite
    else if (file === REFERENCE_FILE) ref = { kind: 'reference', file, path };
    else if (m) {
      const year = Number(m[1]);
      if (year < 1949 || year > 2100) problems.push(problem('year_in_name', { file, value: m[1] }));
      else stats.push({ kind: 'school-stats', file, path, year });
    } else if (s) {
      students.push({ kind: s[1] === 'fitness' ? 'fitness' : 'vision', file, path, year: Number(s[2]) });
    } else ignored.push(file);
  }
  // The region's levels before the org units that use them.
  if (levels) planned.push(levels);
  if (org) planned.push(org);
  planned.push(...stats);
  if (ref) planned.push(ref);
  planned.push(...planExecution);
  planned.push(...students);
  return { planned, ignored, problems };
}

const batchKind = (v: { kind: string; year?: number }): string => (v.kind === 'school-stats' ? `school-stats:${v.year}` : v.kind);

/** Every academic year with data or reference values (what an org-unit change can move). */
async function yearsWithData(db: Tx['db']): Promise<number[]> {
  const r = await sql<{ year: number }>`SELECT DISTINCT year FROM data_value UNION SELECT DISTINCT year FROM reference_value`.execute(db);
  return r.rows.map((x) => Number(x.year));
}

async function latestSha(store: Store, kind: string): Promise<string | null> {
  const row = await store.db.selectFrom('import_batch').select('sha256').where('kind', '=', kind).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.sha256 ?? null;
}

async function newBatch(tx: Tx, kind: string, file: string, sha: string, rows: number, now: Date): Promise<number> {
  // Re-importing an older version (A, then B, then A again) is a real change: drop the old record of A.
  await tx.db.deleteFrom('import_batch').where('kind', '=', kind).where('sha256', '=', sha).execute();
  const r = await tx.db.insertInto('import_batch').values({ kind, file_name: file, sha256: sha, rows, imported_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

const CHUNK = 500;

/** The region's levels, parents first (a level's parent has a lower rank); a level in use is updated, never removed. */
async function writeOrgLevels(tx: Tx, levels: readonly OrgLevelDef[]): Promise<void> {
  for (const l of [...levels].sort((a, b) => a.rank - b.rank)) {
    await tx.db.insertInto('org_level').values({ ...l })
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        rank: eb.ref('excluded.rank'), name_zh: eb.ref('excluded.name_zh'), name_en: eb.ref('excluded.name_en'),
        parent_level: eb.ref('excluded.parent_level'), reporting_unit: eb.ref('excluded.reporting_unit'),
      })))
      .execute();
  }
}

async function writeOrgUnits(tx: Tx, units: readonly OrgUnit[], levels: LevelModel): Promise<void> {
  // Parents before children: the foreign key on parent_code is checked row by row.
  const sorted = [...units].sort((a, b) => levels.rank(a.level) - levels.rank(b.level) || (a.code < b.code ? -1 : 1));
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const chunk = sorted.slice(i, i + CHUNK);
    await tx.db.insertInto('org_unit').values(chunk.map((u) => ({ ...u })))
      .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
        name_zh: eb.ref('excluded.name_zh'), name_en: eb.ref('excluded.name_en'), level: eb.ref('excluded.level'),
        parent_code: eb.ref('excluded.parent_code'), school_type: eb.ref('excluded.school_type'), ownership: eb.ref('excluded.ownership'),
        inclusive: eb.ref('excluded.inclusive'), urban_rural: eb.ref('excluded.urban_rural'), opened: eb.ref('excluded.opened'), closed: eb.ref('excluded.closed'),
      })))
      .execute();
  }
}

/**
 * The year's values as CSV chunks of 8,192 lines, with a turn of the event loop after each:
 * a synchronous generator consumed with `for await` only yields microtasks, so a server
 * importing a large file could not answer requests until the whole CSV was built.
 */
async function* copyLines(values: ReadonlyArray<{ org: string; element: string; value: number }>, year: number, source: string): AsyncGenerator<string> {
  let buf: string[] = [];
  for (const v of values) {
    buf.push(`${v.org},${year},${v.element},${v.value},${source}\n`);
    if (buf.length >= 8192) {
      yield buf.join('');
      buf = [];
      await new Promise<void>((resolve) => { setImmediate(resolve); });
    }
  }
  if (buf.length > 0) yield buf.join('');
}

async function writeReference(tx: Tx, rows: readonly ReferenceRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await tx.db.insertInto('reference_value').values(chunk.map((r) => ({ org_code: r.org_code, year: r.year, code: r.code, value: r.value, source: r.source })))
      .onConflict((oc) => oc.columns(['code', 'org_code', 'year']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), source: eb.ref('excluded.source') })))
      .execute();
  }
}

export async function importFolder(store: Store, dir: string, opts: ImportOptions): Promise<ImportSummary> {
  const step = opts.onStep ?? (() => undefined);
  const { planned, ignored, problems } = await planFolder(dir);
  const results: ImportedFile[] = ignored.map((file) => ({ file, kind: 'unknown', status: 'skipped' as const, rows: 0, batchId: null, note: 'not an import file name (docs/data-files.md)' }));
  const studentFiles = planned.filter((p): p is Extract<Planned, { kind: 'fitness' | 'vision' }> => p.kind === 'fitness' || p.kind === 'vision');
  // Checked here, before anything is written (the student service wants at least 16 characters).
  if (studentFiles.length > 0 && (!opts.pseudonymKey || opts.pseudonymKey.length < 16)) {
    throw new EduplanError('E_CONFIG', { detail: `EDUPLAN_PSEUDONYM_KEY is not set or shorter than 16 characters; it is needed to import ${studentFiles.map((f) => f.file).join(', ')} / 导入学生记录需要设置 EDUPLAN_PSEUDONYM_KEY（至少16个字符）` });
  }

  // Phase 1: read and validate every eduplan file; write nothing.
  const orgs = new Map<string, KnownOrg>(await knownOrgs(store));
  const storedLevels: OrgLevelDef[] = await store.db.selectFrom('org_level').selectAll().execute();
  let levelModel = new LevelModel(storedLevels);
  const validated: Validated[] = [];
  const planExecutionPlanned = planned.filter((p): p is PlanExecutionPlanned => planExecutionKind(p.file) !== null);
  for (const p of planned) {
    if (p.kind !== 'org-levels' && p.kind !== 'org-units' && p.kind !== 'school-stats' && p.kind !== 'reference') continue;
    const sha = await sha256File(p.path);
    if ((await latestSha(store, batchKind(p))) === sha) {
      results.push({ file: p.file, kind: batchKind(p), status: 'unchanged', rows: 0, batchId: null, note: 'same file already imported; nothing changed / 与已导入文件相同，未作更改' });
      continue;
    }
    const onBytes = (done: number, total: number): void => step(`检查 checking ${p.file}`, done, total);
    if (p.kind === 'org-levels') {
      const r = await readOrgLevelsFile(p.path, storedLevels);
      problems.push(...r.problems);
      const merged = new Map(storedLevels.map((l) => [l.code, l]));
      for (const l of r.levels) merged.set(l.code, l);
      levelModel = new LevelModel([...merged.values()]);
      validated.push({ kind: 'org-levels', file: p.file, sha, levels: r.levels });
    } else if (p.kind === 'org-units') {
      const r = await readOrgUnitsFile(p.path, orgs, levelModel, onBytes);
      problems.push(...r.problems);
      for (const u of r.units) orgs.set(u.code, { level: u.level, school_type: u.school_type, reporting: levelModel.isReporting(u.level) });
      validated.push({ kind: 'org-units', file: p.file, sha, units: r.units });
    } else if (p.kind === 'school-stats') {
      const r = await readSchoolStatsFile(p.path, p.year, orgs, onBytes);
      problems.push(...r.problems);
      validated.push({ kind: 'school-stats', file: p.file, sha, year: p.year, values: r.values });
    } else {
      const r = await readReferenceFile(p.path, orgs, onBytes);
      problems.push(...r.problems);
      validated.push({ kind: 'reference', file: p.file, sha, rows: r.rows });
    }
  }
  // The plan-execution files, against the org units as they will be after this folder's org-units.csv.
  const pe = planExecutionPlanned.length === 0 ? null : await (async () => {
    const rows = new Map((await orgRows(store)).map((o) => [o.code, o]));
    for (const v of validated) if (v.kind === 'org-units') for (const u of v.units) rows.set(u.code, { code: u.code, name_zh: u.name_zh, name_en: u.name_en, level: u.level, parent_code: u.parent_code, school_type: u.school_type, opened: u.opened, closed: u.closed });
    return validatePlanExecutionFiles(store, dir, planExecutionPlanned, { orgs: orgLookupOf([...rows.values()], levelModel), latestSha: (kind) => latestSha(store, kind), today: chinaDate(opts.clock()) });
  })();
  if (pe) {
    problems.push(...pe.problems);
    for (const u of pe.unchanged) results.push({ file: u.file, kind: batchKindOf(u), status: 'unchanged', rows: 0, batchId: null, note: 'same file already imported; nothing changed / 与已导入文件相同，未作更改' });
  }
  if (problems.length > 0) {
    const files = new Set(problems.map((p) => p.file));
    throw new EduplanError('E_IMPORT_INVALID', { problems, detail: `${problems.length} problem(s) in ${files.size} file(s) / ${files.size} 个文件共 ${problems.length} 个问题` });
  }

  // Phase 2: write each file in its own transaction. Whatever was written is recomputed
  // below even when a later file fails (its own transaction rolled back, nothing of it stays).
  let rowsWritten = 0;
  let failure: unknown = null;
  try {
    for (const v of validated) {
      const kind = batchKind(v);
      const rows = v.kind === 'org-levels' ? v.levels.length : v.kind === 'org-units' ? v.units.length : v.kind === 'school-stats' ? v.values.length : v.rows.length;
      step(`写入 writing ${v.file}`, 0, rows);
      try {
        const batchId = await store.transaction(async (tx) => {
          const id = await newBatch(tx, kind, v.file, v.sha, rows, opts.clock());
          if (v.kind === 'org-levels') await writeOrgLevels(tx, v.levels);
          else if (v.kind === 'org-units') await writeOrgUnits(tx, v.units, levelModel);
          else if (v.kind === 'reference') await writeReference(tx, v.rows);
          else {
            // The file is the year's statistics: replace what was typed in before, keep derived values.
            await tx.db.deleteFrom('data_value').where('year', '=', v.year).where(sql<boolean>`source NOT LIKE 'derived:%'`).execute();
            await tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'], copyLines(v.values, v.year, `import:${id}`));
          }
          // The figures these rows feed are out of date from this commit on (services/recompute.ts):
          // a school's type or ownership changes every year it reported.
          const touched = v.kind === 'school-stats' ? [v.year] : v.kind === 'reference' ? v.rows.map((r) => r.year) : await yearsWithData(tx.db);
          await markStale(tx.db, opts.clock(), touched, `import:${id}`);
          // Every change is audited in the same transaction as the change itself.
          await appendAudit(tx.db, opts.clock(), {
            actorId: null, actor: opts.actor ?? 'cli', action: 'import.file', outcome: 'success', objectType: 'import_batch', objectId: id,
            after: { file: v.file, kind, sha256: v.sha, rows, ...(v.kind === 'school-stats' ? { year: v.year } : {}) },
          });
          return id;
        });
        rowsWritten += rows;
        results.push({ file: v.file, kind, status: 'imported', rows, batchId });
      } catch (cause) {
        if (cause instanceof EduplanError) throw cause;
        throw new EduplanError('E_DB', { detail: `${v.file}: ${(cause as Error).message}`, cause });
      }
      step(`写入 writing ${v.file}`, rows, rows);
    }

    // Plan-execution files: each in its own transaction with its audit record.
    for (const v of pe?.validated ?? []) {
      step(`写入 writing ${v.file}`, 0, v.rows.length);
      const r = await importPlanExecutionFile(store, v, opts.clock(), opts.actor ?? 'cli');
      rowsWritten += r.rows;
      results.push({ file: v.file, kind: batchKindOf(v), status: 'imported', rows: r.rows, batchId: r.batchId });
      step(`写入 writing ${v.file}`, v.rows.length, v.rows.length);
    }

    // Student records: the student helper's service, one file at a time (each all-or-nothing there).
    if (studentFiles.length > 0) {
      for (const f of studentFiles) {
        if (!opts.pseudonymKey) continue; // checked above; narrows the type
        const r = await importStudentFile(store, f.path, {
          kind: f.kind, year: f.year, pseudonymKey: opts.pseudonymKey, clock: opts.clock, replace: opts.replaceStudentRecords === true,
          onProgress: (done) => step(`写入 writing ${f.file}`, done, 0),
        });
        if (r.skipped) results.push({ file: f.file, kind: f.kind, status: 'unchanged', rows: 0, batchId: r.batchId, note: 'same file already imported; nothing changed / 与已导入文件相同，未作更改' });
        else {
          rowsWritten += r.rows;
          results.push({ file: f.file, kind: f.kind, status: 'imported', rows: r.rows, batchId: r.batchId });
        }
      }
    }
  } catch (err) {
    failure = err;
  }

  // One recompute for the whole folder, of every year the files touched.
  const indicators = await afterDataChanged({ store, clock: opts.clock, ...(opts.log ? { log: opts.log } : {}) });
  if (failure !== null) throw failure;
  return {
    dir,
    indicators,
    files: results,
    imported: results.filter((r) => r.status === 'imported').length,
    unchanged: results.filter((r) => r.status === 'unchanged').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    rowsWritten,
  };
}
