/**
 * Readers for the import folder's files (org-units.csv, school-stats-<year>.csv,
 * reference.csv): stream, validate every row and cell against the zod schemas and
 * cross-row rules, and return either the typed rows or every problem found. Nothing
 * here writes: the import service does, all-or-nothing, only when there is no problem.
 */
import { basename } from 'node:path';
import type { z } from 'zod';
import { gradesByType, parseElementCode } from '../core/elements/catalogue.ts';
import type { Problem } from '../core/errors.ts';
import { checkLevels, type LevelModel, type LevelModelIssue, type OrgLevelDef } from '../core/org/levels.ts';
import type { OrgUnit, SchoolType } from '../core/org/types.ts';
import { readCsv, type CsvReadResult } from './csv-read.ts';
import { orgLevelColumns, orgUnitColumns, referenceColumns, STATS_CODE_COLUMN, STATS_LABEL_MARKER, STATS_NAME_COLUMN } from './layout.ts';
import { ProblemList } from './rules.ts';
import { orgLevelCsvRowSchema, orgUnitCsvRowSchema, referenceRowSchema, ruleOfIssue, statsCellMax, statsCellSchemas, statsSubsetRules, type ReferenceRow } from './schemas.ts';

/** Digits only, at most 15 (exact in a double). */
const PLAIN_INT = /^\d{1,15}$/;

/** What the importer knows about an org unit (from the database or this folder's org-units.csv). */
export interface KnownOrg {
  /** An `org_level.code`. */
  readonly level: string;
  readonly school_type: string | null;
  /** Its level is a reporting unit's (学校): it reports data, it is not an aggregate. */
  readonly reporting: boolean;
}

export type OnBytes = (done: number, total: number) => void;

interface HeaderCheck {
  index: Map<string, number>;
  ok: boolean;
}

/** Map a header row to column positions; report unknown, duplicate and missing columns. */
function checkHeader(cells: readonly string[], line: number, allowed: (name: string) => boolean, required: readonly string[], problems: ProblemList): HeaderCheck {
  const index = new Map<string, number>();
  let ok = true;
  cells.forEach((raw, i) => {
    const name = raw.trim();
    if (index.has(name)) {
      problems.add('duplicate_column', { row: line, column: name, value: raw });
      ok = false;
    } else if (!allowed(name)) {
      problems.add('unknown_column', { row: line, column: name === '' ? `#${i + 1}` : name, value: raw });
      ok = false;
    }
    index.set(name, i);
  });
  for (const r of required) {
    if (!index.has(r)) {
      problems.add('missing_column', { row: line, column: r });
      ok = false;
    }
  }
  return { index, ok };
}

function addIssues(problems: ProblemList, issues: readonly z.core.$ZodIssue[], line: number, input: Readonly<Record<string, unknown>>, columnOf: (path: readonly PropertyKey[]) => string): void {
  for (const issue of issues) {
    const column = columnOf(issue.path);
    const value = input[column];
    problems.add(ruleOfIssue(issue, value === '' ? undefined : value), { row: line, column, ...(value !== undefined && value !== '' ? { value } : {}) });
  }
}

// A cell PostgreSQL cannot store (NUL), a control character other than tab and line ends, a lone
// surrogate, or U+FFFD (bytes that were not valid in the file's encoding).
const BAD_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Every cell of a record holds storable text; otherwise each bad cell is a problem (column by
 * position, or header name) and the record is skipped. Before any schema: a NUL reached the
 * database and failed the whole import with a 500.
 */
function cellsStorable(cells: readonly string[], line: number, header: HeaderCheck | null, problems: ProblemList): boolean {
  let ok = true;
  const names = header ? [...header.index.keys()] : [];
  cells.forEach((c, i) => {
    if (!BAD_TEXT.test(c)) return;
    ok = false;
    const column = names[i] ?? `#${i + 1}`;
    if (c.includes('\uFFFD')) problems.add('encoding', { row: line, column }, { zh: '该行含有不是 UTF-8 的字节（文件可能混用了 GBK 编码）', en: 'the row holds bytes that are not UTF-8 (the file may mix in GBK)' });
    else problems.add('bad_character', { row: line, column, value: c.replace(new RegExp(BAD_TEXT.source, 'g'), '?').slice(0, 100) });
  });
  return ok;
}

/** After reading: the syntax error or the encoding, if any; a file that was not read is not also "empty". */
function afterRead(res: CsvReadResult, header: HeaderCheck | null, problems: ProblemList): void {
  if (res.encoding === 'binary') problems.add('encoding', { row: 1 });
  else if (res.syntaxError) problems.add('csv_syntax', { row: res.syntaxError.line }, { zh: res.syntaxError.message, en: res.syntaxError.message });
  else if (!header) problems.add('empty_file');
}

/** A data row has exactly as many cells as the header (three readers share this check). */
function rowMatchesHeader(cells: readonly string[], line: number, header: HeaderCheck, problems: ProblemList): boolean {
  if (cells.length === header.index.size) return true;
  problems.add('column_count', { row: line, value: `${cells.length} / ${header.index.size}` }, { zh: `本行 ${cells.length} 个单元格，表头 ${header.index.size} 列`, en: `${cells.length} cells, header has ${header.index.size}` });
  return false;
}

/** The row as {column: text}, parsed by its zod schema; every issue reported with its column. Null when invalid. */
function parseRow<T>(cells: readonly string[], line: number, header: HeaderCheck, schema: z.ZodType<T>, problems: ProblemList): T | null {
  if (!rowMatchesHeader(cells, line, header, problems)) return null;
  const input: Record<string, string> = {};
  for (const [name, i] of header.index) input[name] = cells[i] ?? '';
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  addIssues(problems, parsed.error.issues, line, input, (p) => String(p[0] ?? 'code'));
  return null;
}

const levelIssueText: Readonly<Record<LevelModelIssue['rule'], { zh: string; en: string }>> = {
  parent_level_unknown: { zh: '上级层级不存在', en: 'the parent level is not defined' },
  rank_not_below_parent: { zh: '层级序号须大于上级层级的序号', en: 'the rank must be larger than the parent level\'s' },
  no_root_level: { zh: '没有根层级（上级层级为空的层级）', en: 'no root level (a level with a blank parent_level)' },
  reporting_without_parent: { zh: '填报单位层级须有上级层级', en: 'a reporting level needs a parent level' },
  reporting_code_not_school: { zh: '填报单位层级的代码须为 school（表单、账号和学生记录按此代码识别学校）', en: 'the reporting level\'s code must be school (forms, accounts and student records find schools by it)' },
};

export interface OrgLevelsFile {
  readonly levels: OrgLevelDef[];
  readonly problems: Problem[];
}

/**
 * org-levels.csv: the region's hierarchy (docs/data-files.md). Every row against
 * `orgLevelSchema`; together with the levels already stored (`stored`), a usable hierarchy.
 */
export async function readOrgLevelsFile(path: string, stored: readonly OrgLevelDef[]): Promise<OrgLevelsFile> {
  const problems = new ProblemList(basename(path));
  const levels: OrgLevelDef[] = [];
  const lineOf = new Map<string, number>();
  let header: HeaderCheck | null = null;
  const names = new Set<string>(orgLevelColumns.map((c) => c.name));
  const res = await readCsv(path, ({ line, cells }) => {
    if (!cellsStorable(cells, line, header, problems)) return;
    if (!header) {
      header = checkHeader(cells, line, (n) => names.has(n), ['code', 'rank', 'name_zh', 'parent_level', 'reporting_unit'], problems);
      return;
    }
    if (!header.ok) return;
    const l = parseRow(cells, line, header, orgLevelCsvRowSchema, problems);
    if (l === null) return;
    const first = lineOf.get(l.code);
    if (first !== undefined) {
      problems.add('duplicate_row', { row: line, column: 'code', value: l.code }, { zh: `与第${first}行重复`, en: `same code as row ${first}` });
      return;
    }
    lineOf.set(l.code, line);
    levels.push(l);
  });
  afterRead(res, header, problems);
  const merged = new Map(stored.map((l) => [l.code, l]));
  for (const l of levels) merged.set(l.code, l);
  for (const issue of checkLevels([...merged.values()])) {
    const line = lineOf.get(issue.level);
    problems.add('level_hierarchy', { ...(line !== undefined ? { row: line } : {}), column: issue.rule === 'rank_not_below_parent' ? 'rank' : 'parent_level', value: issue.level }, levelIssueText[issue.rule]);
  }
  return { levels, problems: problems.list() };
}

export interface OrgUnitsFile {
  readonly units: OrgUnit[];
  readonly rows: number;
  readonly problems: Problem[];
}

/**
 * org-units.csv: every row checked against `orgUnitSchema` and the region's levels (`levels`):
 * codes unique, the level known, the parent known and of the level's parent level, one root,
 * a reporting unit (school) with its school_type.
 */
export async function readOrgUnitsFile(path: string, known: ReadonlyMap<string, KnownOrg>, levels: LevelModel, onBytes?: OnBytes): Promise<OrgUnitsFile> {
  const file = basename(path);
  const problems = new ProblemList(file);
  const units: OrgUnit[] = [];
  const lineOf = new Map<string, number>();
  let header: HeaderCheck | null = null;
  const names = new Set<string>(orgUnitColumns.map((c) => c.name));
  const res = await readCsv(path, ({ line, cells }) => {
    if (!cellsStorable(cells, line, header, problems)) return;
    if (!header) {
      header = checkHeader(cells, line, (n) => names.has(n), ['code', 'name_zh', 'level', 'parent_code'], problems);
      return;
    }
    if (!header.ok) return;
    const u = parseRow(cells, line, header, orgUnitCsvRowSchema, problems);
    if (u === null) return;
    const first = lineOf.get(u.code);
    if (first !== undefined) {
      problems.add('duplicate_row', { row: line, column: 'code', value: u.code }, { zh: `与第${first}行重复`, en: `same code as row ${first}` });
      return;
    }
    lineOf.set(u.code, line);
    if (!levels.has(u.level)) {
      problems.add('enum', { row: line, column: 'level', value: u.level }, { zh: `层级须为：${levels.all().map((l) => l.code).join('、')}`, en: `the level must be one of: ${levels.all().map((l) => l.code).join(', ')}` });
      return;
    }
    // GB/T 2260 codes administrative units (6 digits); reporting units carry 10-digit school codes.
    const expectedLength = levels.isReporting(u.level) ? 10 : 6;
    if (u.code.length !== expectedLength) problems.add('code_level', { row: line, column: 'code', value: u.code });
    if (levels.isReporting(u.level) && u.school_type === null) problems.add('required', { row: line, column: 'school_type' }, { zh: '学校须填写办学类型', en: 'a school needs a school_type' });
    units.push(u);
  }, onBytes);
  afterRead(res, header, problems);
  // Parents: in this file or already stored, and of the level's parent level; one root in all.
  const inFile = new Map(units.map((u) => [u.code, u.level] as const));
  const roots = new Set([...known].filter(([code, o]) => levels.isRootLevel(o.level) && !inFile.has(code)).map(([code]) => code));
  for (const u of units) {
    const line = lineOf.get(u.code);
    if (u.parent_code === null) {
      if (!levels.isRootLevel(u.level)) problems.add('parent_unknown', { row: line, column: 'parent_code' });
      else if (roots.size > 0 && !roots.has(u.code)) problems.add('second_root', { row: line, column: 'parent_code', value: [...roots].join(' ') });
      else roots.add(u.code);
      continue;
    }
    const parentLevel = inFile.get(u.parent_code) ?? known.get(u.parent_code)?.level;
    if (parentLevel === undefined) problems.add('parent_unknown', { row: line, column: 'parent_code', value: u.parent_code });
    else if (!levels.parentFits(u.level, parentLevel)) problems.add('parent_level', { row: line, column: 'parent_code', value: u.parent_code });
  }
  return { units, rows: units.length, problems: problems.list() };
}

export interface SchoolStatsFile {
  readonly year: number;
  /** COPY-ready CSV lines `org_code,year,element,value,` (the source is appended by the writer). */
  readonly values: Array<{ org: string; element: string; value: number }>;
  readonly schools: number;
  readonly problems: Problem[];
}

/**
 * school-stats-<year>.csv: header of element codes (optional second row of Chinese
 * labels starting with 学校代码), one row per school. Checks: known columns, known
 * school, element reported by the school's type, each cell's kind and range,
 * duplicate schools, row length, part ≤ total.
 */
export async function readSchoolStatsFile(path: string, year: number, orgs: ReadonlyMap<string, KnownOrg>, onBytes?: OnBytes): Promise<SchoolStatsFile> {
  const file = basename(path);
  const problems = new ProblemList(file);
  const values: Array<{ org: string; element: string; value: number }> = [];
  const seen = new Map<string, number>();
  let header: HeaderCheck | null = null;
  let columns: Array<{ name: string; pos: number; parsed: NonNullable<ReturnType<typeof parseElementCode>> }> = [];
  let firstData = true;
  const res = await readCsv(path, ({ line, cells }) => {
    if (!cellsStorable(cells, line, header, problems)) return;
    if (!header) {
      header = checkHeader(cells, line, (n) => n === STATS_CODE_COLUMN || n === STATS_NAME_COLUMN || isImportableElement(n), [STATS_CODE_COLUMN], problems);
      columns = [...header.index].flatMap(([name, pos]) => {
        const parsed = isImportableElement(name) ? parseElementCode(name) : undefined;
        return parsed ? [{ name, pos, parsed }] : [];
      });
      return;
    }
    if (!header.ok) return;
    if (firstData) {
      firstData = false;
      if ((cells[header.index.get(STATS_CODE_COLUMN) ?? 0] ?? '').trim() === STATS_LABEL_MARKER) return; // Chinese label row
    }
    if (!rowMatchesHeader(cells, line, header, problems)) return;
    const code = (cells[header.index.get(STATS_CODE_COLUMN) ?? 0] ?? '').trim();
    if (code === '') {
      problems.add('required', { row: line, column: STATS_CODE_COLUMN });
      return;
    }
    const org = orgs.get(code);
    if (!org) {
      problems.add('unknown_org', { row: line, column: STATS_CODE_COLUMN, value: code });
      return;
    }
    if (!org.reporting || org.school_type === null) {
      problems.add('not_a_school', { row: line, column: STATS_CODE_COLUMN, value: code });
      return;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      problems.add('duplicate_row', { row: line, column: STATS_CODE_COLUMN, value: code }, { zh: `与第${first}行是同一所学校`, en: `same school as row ${first}` });
      return;
    }
    seen.set(code, line);
    const type = org.school_type as SchoolType;
    const rowValues = new Map<string, number>();
    for (const c of columns) {
      const raw = (cells[c.pos] ?? '').trim();
      if (raw === '') continue;
      const reports = c.parsed.base.types.includes(type) && (c.parsed.grade === undefined || gradesByType[type].includes(c.parsed.grade));
      if (!reports) {
        problems.add('element_not_for_type', { row: line, column: c.name, value: raw }, { zh: `${type} 不填报 ${c.name}`, en: `a ${type} school does not report ${c.name}` });
        continue;
      }
      // Fast path for the common case (plain digits within range), identical in outcome to the schema.
      const kind = c.parsed.base.kind;
      if (PLAIN_INT.test(raw)) {
        const n = Number(raw);
        if (n <= statsCellMax[kind]) {
          rowValues.set(c.name, n);
          continue;
        }
      }
      const parsed = statsCellSchemas[kind].safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.add(ruleOfIssue(issue, raw), { row: line, column: c.name, value: raw });
        continue;
      }
      rowValues.set(c.name, parsed.data);
    }
    for (const r of statsSubsetRules) {
      const part = rowValues.get(r.part);
      const total = rowValues.get(r.total);
      if (part !== undefined && total !== undefined && part > total) {
        problems.add('subset_le_total', { row: line, column: r.part, value: part }, { zh: `${r.part}=${part} 大于 ${r.total}=${total}`, en: `${r.part}=${part} exceeds ${r.total}=${total}` });
      }
    }
    for (const [element, value] of rowValues) values.push({ org: code, element, value });
  }, onBytes);
  afterRead(res, header, problems);
  return { year, values, schools: seen.size, problems: problems.list() };
}

/** Elements a school types in (not those eduplan derives from student records). */
function isImportableElement(name: string): boolean {
  const p = parseElementCode(name);
  if (!p) return false;
  if (p.base.code.startsWith('fitness.') || p.base.code.startsWith('vision.')) return false;
  return p.base.dims === 'grade_sex' ? p.grade !== undefined : true;
}

export interface ReferenceFile {
  readonly rows: ReferenceRow[];
  readonly problems: Problem[];
}

/** reference.csv: org_code, year, code, value, source; the org is the city or a district; one row per (org, year, code). */
export async function readReferenceFile(path: string, orgs: ReadonlyMap<string, KnownOrg>, onBytes?: OnBytes): Promise<ReferenceFile> {
  const file = basename(path);
  const problems = new ProblemList(file);
  const rows: ReferenceRow[] = [];
  const seen = new Map<string, number>();
  let header: HeaderCheck | null = null;
  const names = new Set<string>(referenceColumns.map((c) => c.name));
  const res = await readCsv(path, ({ line, cells }) => {
    if (!cellsStorable(cells, line, header, problems)) return;
    if (!header) {
      header = checkHeader(cells, line, (n) => names.has(n), [...names], problems);
      return;
    }
    if (!header.ok) return;
    const r = parseRow(cells, line, header, referenceRowSchema, problems);
    if (r === null) return;
    const org = orgs.get(r.org_code);
    if (!org) {
      problems.add('unknown_org', { row: line, column: 'org_code', value: r.org_code });
      return;
    }
    if (org.reporting) {
      problems.add('reference_org_level', { row: line, column: 'org_code', value: r.org_code });
      return;
    }
    const key = `${r.org_code}|${r.year}|${r.code}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add('duplicate_row', { row: line, column: 'code', value: r.code }, { zh: `与第${first}行的机构、年份、代码相同`, en: `same org, year and code as row ${first}` });
      return;
    }
    seen.set(key, line);
    rows.push(r);
  }, onBytes);
  afterRead(res, header, problems);
  return { rows, problems: problems.list() };
}
