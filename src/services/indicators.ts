/**
 * Indicator precomputation (指标预计算): after an import, every indicator for every org
 * unit and year is computed once and stored in `indicator_value`, so the public portal
 * never aggregates raw rows per request.
 *
 * The database does the one heavy step — summing each school's data values into the
 * "atoms" the definitions need (GROUP BY school, atom) — and the pure engine
 * (src/core/indicators) does the rest in memory. Disclosure control is applied before
 * writing; the table keeps true values with a `suppressed` flag.
 */
import { sql, type Kysely } from 'kysely';
import { discloseYear, type YearDisclosure } from '../core/disclosure/publication.ts';
import { DEFAULT_THRESHOLD, type SuppressionReason } from '../core/disclosure/rules.ts';
import { indicatorDefinitions, indicatorDefinitionsFor } from '../core/indicators/definitions.ts';
import { resolveScope, type IndicatorScope } from '../core/indicators/scope.ts';
import { compileAtoms, compileEngine, startYear, updateYear, yearCells, type BalancedInput, type EngineOrgUnit, type EnginePlan, type ReferenceInput, type SchoolChange, type YearState } from '../core/indicators/engine.ts';
import { LevelModel } from '../core/org/levels.ts';
import type { IndicatorCell, IndicatorDef } from '../core/indicators/types.ts';
import type { StoredSchool } from '../core/standards/balanced/input.ts';
import { asEngineRoles, readRoot, readRootOrNull, readTopUnits } from './org-tree.ts';
import type { Database } from '../store/schema.ts';
import { orgSlices, orgUnitLines, reclaimDeletedRows, sliceInputs, type OrgSlice } from '../store/indicator-inputs.ts';
import type { Store } from '../store/store.ts';
import { staleMarks } from './stale.ts';
import { balancedResourceElements, balancedSchoolsFromRows, balancedVerdicts, type BalancedValueRow } from './assessments/balanced.ts';

export interface RecomputeOptions {
  /** Academic years to recompute; default: every year with data or reference values. */
  readonly years?: readonly number[];
  readonly clock?: () => Date;
  /** Verdicts source for 优质均衡区比例; default: src/services/assessments.ts when present. */
  readonly balancedVerdicts?: BalancedSource;
  /**
   * Scope options of the definitions (src/core/indicators/scope.ts); default
   * `defaultIndicatorScope`. Each cell records the options it was computed with.
   */
  readonly scope?: Partial<IndicatorScope>;
  /**
   * Re-read only the org units the stale marks name (services/recompute.ts), for the years
   * this process holds in its cache; other years, and years with a whole-year mark, are read
   * in full. Default false: `indicators compute` and migrations recompute from scratch.
   */
  readonly incremental?: boolean;
  /** Cache budget in school-years (~0.5 KB each); default 400,000 (10× Tianjin, six years). */
  readonly cacheSchoolYears?: number;
  /** Org units per read slice; default 2,000. */
  readonly sliceSize?: number;
}

/** `schools`: the year's 优质均衡 schools by district, read with the indicator inputs (one scan of the year's values). */
export type BalancedSource = (store: Store, year: number, schools?: ReadonlyMap<string, readonly StoredSchool[]>) => Promise<BalancedInput | null>;

export interface RecomputeResult {
  readonly run_id: number;
  readonly years: readonly number[];
  readonly cells: number;
  readonly suppressed: number;
  readonly duration_ms: number;
  /** Where the time went: reading inputs, computing (incl. assessment verdicts), writing. */
  readonly phases_ms: { readonly read: number; readonly verdicts: number; readonly compute: number; readonly write: number };
  /** The years recomputed from the cache and the marked org units only (the rest were read in full). */
  readonly incremental_years: readonly number[];
}

/** `level` is the org unit's own level code (org_level, 0017), not the engine's role. */
export interface StoredCell extends Omit<IndicatorCell, 'level'> {
  readonly level: string;
  readonly suppressed: boolean;
  readonly suppression: SuppressionReason | null;
}

// Scope options change which schools count, not which data are read: one atom table serves them all (engine.test.ts).
const atoms = compileAtoms(indicatorDefinitions);
/** (element code, atom) pairs: the database sums each org unit's values per atom (a code can feed several: total, sex, stage). */
const atomPairs = { codes: atoms.atoms.flatMap((a) => a.codes), atoms: atoms.atoms.flatMap((a) => a.codes.map(() => a.id)) };

interface OrgUnitsRead {
  readonly units: EngineOrgUnit[];
  /** Compulsory-serving candidates for 优质均衡 (schools other than kindergartens), with their names. */
  readonly balancedSchools: Map<string, { name_zh: string; school_type: string; parent_code: string | null }>;
}

const unescapeName = (s: string): string => (s.includes('\\') ? s.replace(/\\([\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : '\\')) : s);

/** Org units for the engine, parsed from their text (store/indicator-inputs.ts orgUnitLines). */
function parseOrgUnits(text: string): OrgUnitsRead {
  const balancedSchools: OrgUnitsRead['balancedSchools'] = new Map();
  if (text === '') return { units: [], balancedSchools };
  const units = text.split('\n').map((line): EngineOrgUnit => {
    const [code = '', level, parent, type, ownership, inclusive, ur, ...name] = line.split('|');
    // As loadBalancedSchools' query: level = 'school' AND school_type <> 'kindergarten' (NULL excluded).
    if (level === 'school' && type && type !== 'kindergarten') balancedSchools.set(code, { name_zh: unescapeName(name.join('|')), school_type: type, parent_code: parent || null });
    return {
      code,
      level: level as EngineOrgUnit['level'],
      parent_code: parent || null,
      school_type: type || null,
      ownership: (ownership || null) as EngineOrgUnit['ownership'],
      inclusive: inclusive === 'true' ? true : inclusive === 'false' ? false : null,
      urban_rural: (ur || null) as EngineOrgUnit['urban_rural'],
    };
  });
  return { units, balancedSchools };
}

/**
 * The org tree compiled for the engine (roles, src/services/org-tree.ts) with the
 * definitions: kept per store while the org units, their levels and the definitions are
 * the same, so a recompute after one school's change reads the tree (one text value,
 * compared) but does not parse or compile it again.
 */
interface TreePlan {
  readonly text: string;
  readonly levels: string;
  readonly defs: readonly IndicatorDef[];
  /** Org units with their engine roles as levels. */
  readonly orgUnits: readonly EngineOrgUnit[];
  readonly ownLevels: ReadonlyMap<string, string>;
  readonly balancedSchools: OrgUnitsRead['balancedSchools'];
  readonly plan: EnginePlan;
}
const treePlans = new WeakMap<Store, TreePlan>();

async function treePlan(store: Store, defs: readonly IndicatorDef[]): Promise<TreePlan> {
  const text = await orgUnitLines(store.db);
  const levelRows = await store.db.selectFrom('org_level').selectAll().orderBy('code').execute();
  const levels = JSON.stringify(levelRows);
  const known = treePlans.get(store);
  if (known && known.text === text && known.levels === levels && known.defs === defs) return known;
  const { units: ownUnits, balancedSchools } = parseOrgUnits(text);
  // Engine contract (issue 19): cityCode = the root org unit, levels are roles (org-tree.ts).
  const root = ownUnits.length === 0 ? null : await readRoot(store.db);
  const orgUnits = root ? asEngineRoles(ownUnits, root.code, new LevelModel(levelRows)) : [];
  const made: TreePlan = {
    text, levels, defs, orgUnits, balancedSchools,
    ownLevels: new Map(ownUnits.map((u) => [u.code, u.level])),
    plan: compileEngine(defs, atoms, orgUnits, root?.code ?? ''),
  };
  treePlans.set(store, made);
  return made;
}

/** One year's inputs as this process holds them: what a full read of the year gives. */
interface YearData {
  /** org unit → per-atom sums (NaN = not reported). */
  readonly schoolValues: Map<string, Float64Array>;
  /** org unit → the rows 优质均衡 reads; joined with the org units' current names and districts when used. */
  readonly balancedRaw: Map<string, RawRows>;
  /** The verdicts last evaluated on exactly these rows, and by which source; absent when the rows changed since. */
  balanced?: { readonly source: BalancedSource; readonly value: BalancedInput | null };
  /** The engine's sums for this year (core/indicators/engine.ts YearState), updated in place by a change. */
  engine?: YearState;
  /** The disclosure outcome last computed for this year (reused group by group when unchanged). */
  disclosure?: YearDisclosure;
}

/**
 * Per store: the year inputs this process read, valid while `runId` is the latest run (a run
 * by another process — PostgreSQL — may have answered marks for changes this cache never saw,
 * so any other latest run empties it). Years in least-recently-used order (Map insertion
 * order), bounded by `cacheSchoolYears`: at 57 atoms a school-year is ~0.5 KB.
 */
const caches = new WeakMap<Store, { runId: number; years: Map<number, YearData> }>();

/** A plain non-negative integer ("0".."9007199254740991") parsed in place, else NaN: most values are counts. */
function parseCount(s: string, from: number, to: number): number {
  if (to - from > 15 || to === from) return NaN;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Walk "org,year,key,value" lines (store/indicator-inputs.ts sliceInputs). Consecutive lines
 * mostly share the org unit, so it is compared in place instead of sliced.
 */
function eachLine(text: string, fn: (org: string, line: string, keyFrom: number, keyTo: number, value: number) => void): void {
  let org = '';
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const c1 = text.indexOf(',', start);
    const c2 = text.indexOf(',', c1 + 1);
    const c3 = text.lastIndexOf(',', end - 1);
    if (!(c1 - start === org.length && text.startsWith(org, start))) org = text.slice(start, c1);
    const count = parseCount(text, c3 + 1, end);
    fn(org, text, c2 + 1, c3, Number.isNaN(count) ? Number(text.slice(c3 + 1, end)) : count);
    start = end + 1;
  }
}

/** Add one slice's lines to a year's data; 优质均衡 rows are kept for its candidate schools only. */
function addSlice(data: YearData, atomLines: string, balancedLines: string, balancedSchools: OrgUnitsRead['balancedSchools']): void {
  const n = atoms.atoms.length;
  let lastOrg = '';
  let m: Float64Array | undefined;
  eachLine(atomLines, (org, text, from, to, value) => {
    if (org !== lastOrg || !m) {
      lastOrg = org;
      m = data.schoolValues.get(org);
      if (!m) data.schoolValues.set(org, (m = new Float64Array(n).fill(NaN)));
    }
    m[parseCount(text, from, to)] = value;
  });
  let rows: Array<{ element: string; value: number }> | undefined;
  lastOrg = '';
  eachLine(balancedLines, (org, text, from, to, value) => {
    if (!balancedSchools.has(org)) return;
    if (org !== lastOrg || !rows) {
      lastOrg = org;
      const had = data.balancedRaw.get(org);
      rows = had ? [...had] : [];
      data.balancedRaw.set(org, rows);
    }
    rows.push({ element: text.slice(from, to), value });
  });
}

async function readSlices(store: Store, year: number, slices: readonly OrgSlice[], balancedSchools: OrgUnitsRead['balancedSchools']): Promise<YearData> {
  const data: YearData = { schoolValues: new Map(), balancedRaw: new Map() };
  for (const slice of slices) {
    const r = await sliceInputs(store.db, year, atomPairs, balancedResourceElements, slice);
    addSlice(data, r.atoms, r.balanced, balancedSchools);
  }
  return data;
}

type RawRows = ReadonlyArray<{ readonly element: string; readonly value: number }>;

const sameRows = (a: RawRows | undefined, b: RawRows | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  const key = (r: { element: string; value: number }): string => `${r.element}=${r.value}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.every((k, i) => k === y[i]);
};

/** Bring a cached year up to date for the changed org units: re-read only their rows. Returns each one's values before. */
async function refreshOrgs(store: Store, year: number, data: YearData, orgs: readonly string[], balancedSchools: OrgUnitsRead['balancedSchools']): Promise<SchoolChange[]> {
  if (orgs.length === 0) return [];
  const changes = orgs.map((code): SchoolChange => ({ code, before: data.schoolValues.get(code) }));
  const fresh: YearData = { schoolValues: new Map(), balancedRaw: new Map() };
  for (let i = 0; i < orgs.length; i += 2000) {
    const r = await sliceInputs(store.db, year, atomPairs, balancedResourceElements, { kind: 'codes', codes: orgs.slice(i, i + 2000) });
    addSlice(fresh, r.atoms, r.balanced, balancedSchools);
  }
  for (const org of orgs) {
    const v = fresh.schoolValues.get(org);
    if (v) data.schoolValues.set(org, v);
    else data.schoolValues.delete(org);
    const before = data.balancedRaw.get(org);
    const after = fresh.balancedRaw.get(org);
    if (!sameRows(before, after)) delete data.balanced;
    if (after) data.balancedRaw.set(org, after);
    else data.balancedRaw.delete(org);
  }
  return changes;
}

/** The 优质均衡 rows with the org units' current names and districts (as loadBalancedSchools' join). */
function balancedRowsOf(data: YearData, balancedSchools: OrgUnitsRead['balancedSchools']): BalancedValueRow[] {
  const out: BalancedValueRow[] = [];
  for (const [org, rows] of data.balancedRaw) {
    const school = balancedSchools.get(org);
    if (!school) continue;
    for (const r of rows) out.push({ code: org, name_zh: school.name_zh, school_type: school.school_type, parent_code: school.parent_code, element: r.element, value: r.value });
  }
  return out;
}

/** Per-store listeners told after each recompute (the progress cache refreshes itself). */
const listeners = new WeakMap<Store, Set<(r: RecomputeResult) => void>>();
export function onRecomputed(store: Store, fn: (r: RecomputeResult) => void): () => void {
  let set = listeners.get(store);
  if (!set) listeners.set(store, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

export async function yearsWithData(store: Store): Promise<number[]> {
  const r = await sql<{ year: number }>`SELECT DISTINCT year FROM data_value UNION SELECT DISTINCT year FROM reference_value ORDER BY 1`.execute(store.db);
  return r.rows.map((x) => Number(x.year));
}

/** One recompute at a time per store in this process: the cache and the memory of what was written are shared. */
const running = new WeakMap<Store, Promise<unknown>>();

/** Another process wrote a run while an incremental recompute was reading from this process's cache. */
class CacheOutdated extends Error {}

export async function recomputeIndicators(store: Store, opts: RecomputeOptions = {}): Promise<RecomputeResult> {
  const before = running.get(store) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(async () => {
    try {
      return await recomputeOnce(store, opts);
    } catch (err) {
      if (!(err instanceof CacheOutdated)) throw err;
      caches.delete(store);
      return recomputeOnce(store, { ...opts, incremental: false });
    }
  });
  running.set(store, mine);
  return mine;
}

async function recomputeOnce(store: Store, opts: RecomputeOptions): Promise<RecomputeResult> {
  const clock = opts.clock ?? (() => new Date());
  const started = clock();
  const t0 = performance.now();
  // Read before the inputs: the stale marks (services/recompute.ts) this run will answer for.
  const highWater = await staleHighWater(store.db);
  // Then the latest run: the cache is used only if this process wrote it (see `caches`).
  const startRun = await latestRunId(store);
  let cache = caches.get(store);
  if (cache?.runId !== startRun) {
    caches.delete(store);
    cache = undefined;
  }
  const years = [...new Set(opts.years ?? (await yearsWithData(store)))].sort((a, b) => a - b);
  // The city's chosen scope options (services/indicator-scope.ts), unless the caller gives its own.
  const defs = indicatorDefinitionsFor(opts.scope ?? (await storedScope(store.db)));
  const { orgUnits, ownLevels, balancedSchools, plan } = await treePlan(store, defs);
  const yearsLiteral = `{${years.join(',')}}`;
  // Which org units each year's marks name; null = a whole-year mark (or none usable).
  const changedOrgs = new Map<number, Set<string> | null>();
  if (opts.incremental === true && cache) {
    for (const m of await staleMarks(store.db, highWater)) {
      const set = changedOrgs.get(m.year);
      if (m.org_code === null || set === null) changedOrgs.set(m.year, null);
      else if (set) set.add(m.org_code);
      else changedOrgs.set(m.year, new Set([m.org_code]));
    }
  }
  const refRows = years.length === 0 ? [] : await store.db.selectFrom('reference_value').select(['org_code', 'year', 'code', 'value', 'source']).where('year', 'in', years).execute();
  const balancedSource = opts.balancedVerdicts ?? defaultBalancedSource;
  let slices: OrgSlice[] | undefined;
  let readMs = performance.now() - t0;
  let verdictsMs = 0;
  const incrementalYears: number[] = [];
  const yearData = new Map<number, YearData>();
  const byYear = new Map<number, StoredCell[]>();
  let cellCount = 0;
  // Year by year: a year's inputs, cells and disclosure are what is held at once (plus the cells to write).
  for (const year of years) {
    const tr = performance.now();
    const cached = cache?.years.get(year);
    const orgs = changedOrgs.get(year);
    let data: YearData;
    let changes: SchoolChange[] | null = null;
    if (opts.incremental === true && cached && orgs !== null) {
      // Incremental: the year's inputs as this process last read them, with the marked org units re-read.
      data = cached;
      changes = await refreshOrgs(store, year, data, [...(orgs ?? [])], balancedSchools);
      incrementalYears.push(year);
    } else {
      slices ??= await orgSlices(store.db, opts.sliceSize ?? 2000);
      data = await readSlices(store, year, slices, balancedSchools);
    }
    yearData.set(year, data);
    const references = new Map<string, ReferenceInput>();
    for (const r of refRows) if (r.year === year) references.set(`${r.org_code}|${r.code}`, { value: Number(r.value), source: r.source });
    const tv = performance.now();
    readMs += tv - tr;
    // The verdicts read the assessments too; a change there marks the whole year, so cached verdicts are reused only incrementally.
    let balanced: BalancedInput | null;
    if (changes !== null && data.balanced?.source === balancedSource) balanced = data.balanced.value;
    else {
      balanced = await balancedSource(store, year, balancedSchoolsFromRows(balancedRowsOf(data, balancedSchools)));
      data.balanced = { source: balancedSource, value: balanced };
    }
    verdictsMs += performance.now() - tv;
    // The engine's state of the year: updated by the changed schools' difference when it is this plan's, else summed again.
    if (changes !== null && data.engine?.plan === plan) updateYear(data.engine, data.schoolValues, changes);
    else data.engine = startYear(plan, { year, schoolValues: data.schoolValues });
    const cells = yearCells(data.engine, { references, balanced });
    // Disclosure control group by group; after a school's change, the groups its data do not feed keep their outcome.
    const disclosure = discloseYear(cells, orgUnits, defs, DEFAULT_THRESHOLD, changes !== null ? (data.disclosure ?? null) : null);
    data.disclosure = disclosure;
    byYear.set(year, storedCells(cells, disclosure.reasons, ownLevels));
    cellCount += cells.length;
  }
  const stored = { length: cellCount };
  const tRead = t0 + readMs;
  const duration_ms = Math.round(performance.now() - t0);
  const tCompute = performance.now();
  let deleted = 0;
  let unchangedSinceStart = false;
  let memo = written.get(store);
  const run_id = await store.transaction(async (tx) => {
    // One recompute writes at a time (PostgreSQL: other processes wait here), and the
    // latest run is read after the lock, so this process's memory of what it last wrote
    // is used only when no one else has written since.
    await sql`LOCK TABLE indicator_run IN SHARE ROW EXCLUSIVE MODE`.execute(tx.db);
    const latest = Number((await tx.db.selectFrom('indicator_run').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0);
    if (latest !== startRun && incrementalYears.length > 0) throw new CacheOutdated();
    unchangedSinceStart = latest === startRun;
    memo = written.get(store);
    if (memo?.runId !== latest) memo = undefined;
    const run = await tx.db.insertInto('indicator_run').values({ years: sql<number[]>`${yearsLiteral}::int[]`, cells: stored.length, started_at: started, duration_ms }).returning('id').executeTakeFirstOrThrow();
    const toWrite: StoredCell[] = [];
    const fullYears: number[] = [];
    const gone: Array<{ year: number; indicator: string; org_code: string; disaggregation: string }> = [];
    for (const [year, cellsOfYear] of byYear) {
      const before = memo?.byYear.get(year);
      const changed = before ? changedCells(before, cellsOfYear) : null;
      // Rewriting most of a year is cheaper as one delete by year and one COPY.
      if (!before || !changed || changed.write.length > cellsOfYear.length / 2) {
        fullYears.push(year);
        toWrite.push(...cellsOfYear);
        continue;
      }
      toWrite.push(...changed.write);
      gone.push(...changed.gone);
    }
    if (fullYears.length > 0) deleted += Number((await tx.db.deleteFrom('indicator_value').where('year', 'in', fullYears).executeTakeFirst()).numDeletedRows);
    for (let i = 0; i < gone.length; i += 1000) {
      const part = gone.slice(i, i + 1000);
      deleted += Number((await tx.db.deleteFrom('indicator_value').where((eb) => eb.or(part.map((k) => eb.and({ year: k.year, indicator: k.indicator, org_code: k.org_code, disaggregation: k.disaggregation })))).executeTakeFirst()).numDeletedRows);
    }
    if (toWrite.length > 0) await tx.copyCsv('indicator_value', COLUMNS, csvChunks(toWrite, run.id));
    await clearStale(tx.db, years, highWater);
    return run.id;
  });
  // Remembered only once committed: what the table now holds for these years.
  const now = { runId: run_id, byYear: new Map(memo?.byYear) };
  for (const [year, m] of byYear) now.byYear.set(year, m);
  written.set(store, now);
  rememberInputs(store, run_id, unchangedSinceStart, yearData, opts.cacheSchoolYears ?? 400_000);
  if (deleted > 0) await reclaimDeletedRows(store, 'indicator_value');
  let suppressed = 0;
  for (const list of byYear.values()) for (const c of list) if (c.suppressed) suppressed += 1;
  const result: RecomputeResult = { run_id, years, cells: stored.length, suppressed, duration_ms: Math.round(performance.now() - t0),
    phases_ms: { read: Math.round(tRead - t0), verdicts: Math.round(verdictsMs), compute: Math.round(tCompute - tRead - verdictsMs), write: Math.round(performance.now() - tCompute) },
    incremental_years: incrementalYears };
  for (const fn of listeners.get(store) ?? []) fn(result);
  return result;
}

/**
 * Keep what this run read, as of its run: kept only if no other run was written since this
 * one started (else another process may have answered marks for changes the cache misses).
 * Most recently used years last; the oldest go first when over the budget.
 */
function rememberInputs(store: Store, runId: number, unchangedSinceStart: boolean, read: ReadonlyMap<number, YearData>, budget: number): void {
  const kept = unchangedSinceStart ? (caches.get(store)?.years ?? new Map<number, YearData>()) : new Map<number, YearData>();
  for (const [year, data] of read) { kept.delete(year); kept.set(year, data); }
  let size = 0;
  for (const d of kept.values()) size += d.schoolValues.size;
  for (const [year, d] of kept) {
    if (size <= budget) break;
    kept.delete(year);
    size -= d.schoolValues.size;
  }
  caches.set(store, { runId, years: kept });
}

/**
 * The cells as stored: every true value with its disclosure outcome (src/core/disclosure/
 * publication.ts), and each unit's own level code where the engine's cells carry roles.
 */
function storedCells(cells: readonly IndicatorCell[], reasons: ReadonlyArray<SuppressionReason | null>, ownLevels: ReadonlyMap<string, string>): StoredCell[] {
  return cells.map((c, i): StoredCell => {
    const s = reasons[i] ?? null;
    return {
      indicator: c.indicator, org_code: c.org_code, level: ownLevels.get(c.org_code) ?? c.level, year: c.year, disaggregation: c.disaggregation,
      numerator: c.numerator, denominator: c.denominator, value: c.value, basis: c.basis, inputs: c.inputs,
      suppressed: s !== null, suppression: s,
    };
  });
}

/**
 * What this process last wrote to `indicator_value`, per store: a recompute then deletes and
 * COPYs only the cells that differ (an import usually changes a few schools, their district
 * and the city; a recompute of unchanged data writes nothing but its run). Unchanged rows
 * keep the `run_id` of the run that wrote them. Used only when the latest run is the one
 * remembered (checked under a lock in the write transaction); otherwise the year is rewritten.
 */
const written = new WeakMap<Store, { runId: number; byYear: Map<number, readonly StoredCell[]> }>();

const cellKey = (c: Pick<IndicatorCell, 'indicator' | 'org_code' | 'disaggregation'>): string => `${c.indicator}|${c.org_code}|${c.disaggregation}`;

/** Stored the same way (csvNum: null and non-finite numbers are both NULL; -0 is 0). */
const sameNum = (a: number | null, b: number | null): boolean => a === b || ((a === null || !Number.isFinite(a)) && (b === null || !Number.isFinite(b)));

/** Equal once stored as JSON (jsonb): undefined members are left out, non-finite numbers are null. Key order does not matter in jsonb. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return !Number.isFinite(a) && !Number.isFinite(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in x) if (!sameJson(x[k], y[k])) return false;
  for (const k in y) if (!(k in x) && y[k] !== undefined) return false;
  return true;
}

const sameCell = (b: StoredCell, c: StoredCell): boolean => b.level === c.level && b.suppressed === c.suppressed && b.suppression === c.suppression && sameNum(b.numerator, c.numerator) &&
  sameNum(b.denominator, c.denominator) && sameNum(b.value, c.value) && sameNum(b.basis, c.basis) && sameJson(b.inputs, c.inputs);

/**
 * Cells whose stored row would differ (or is new), and the rows to delete: those no longer
 * produced and the old rows of changed cells. The engine emits cells in the same order run
 * after run, so they are compared by position; a map by key is built only if the order differs.
 */
function changedCells(before: readonly StoredCell[], now: readonly StoredCell[]): { write: StoredCell[]; gone: StoredCell[] } {
  const write: StoredCell[] = [];
  const gone: StoredCell[] = [];
  const sameKeys = before.length === now.length && now.every((c, i) => {
    const b = before[i];
    return b !== undefined && b.indicator === c.indicator && b.org_code === c.org_code && b.disaggregation === c.disaggregation;
  });
  if (sameKeys) {
    now.forEach((c, i) => {
      const b = before[i];
      if (b && !sameCell(b, c)) { write.push(c); gone.push(b); }
    });
    return { write, gone };
  }
  const old = new Map(before.map((b) => [cellKey(b), b]));
  for (const c of now) {
    const k = cellKey(c);
    const b = old.get(k);
    old.delete(k);
    if (b && sameCell(b, c)) continue;
    write.push(c);
    if (b) gone.push(b);
  }
  gone.push(...old.values());
  return { write, gone };
}

const COLUMNS = ['indicator', 'org_code', 'year', 'disaggregation', 'level', 'numerator', 'denominator', 'value', 'basis', 'suppressed', 'suppression', 'inputs', 'run_id'] as const;

const csvNum = (v: number | null): string => (v === null || !Number.isFinite(v) ? '' : String(v));
const csvText = (v: string): string => (/[",\n\r]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v);

function* csvChunks(cells: readonly StoredCell[], runId: number): Generator<string> {
  let buf = '';
  for (const c of cells) {
    buf += `${csvText(c.indicator)},${csvText(c.org_code)},${c.year},${csvText(c.disaggregation)},${c.level},${csvNum(c.numerator)},${csvNum(c.denominator)},${csvNum(c.value)},${csvNum(c.basis)},${c.suppressed ? 't' : 'f'},${c.suppression ?? ''},${csvText(JSON.stringify(c.inputs))},${runId}\n`;
    if (buf.length > 1 << 20) { yield buf; buf = ''; }
  }
  if (buf) yield buf;
}

/**
 * 优质均衡区比例 from the assessment module (src/services/assessments.ts): when the
 * assessment has nothing for the year, the indicator has no data — never a made-up
 * number. Counted: districts whose verdict passes, out of all the units directly under the root.
 */
export const defaultBalancedSource: BalancedSource = async (store, year, schools) => {
  let verdicts: Awaited<ReturnType<typeof balancedVerdicts>>;
  try {
    verdicts = await balancedVerdicts(store, year, undefined, schools);
  } catch {
    // The assessment cannot be evaluated for this year (e.g. outside its schedule): no data.
    return null;
  }
  // Nothing assessed and nothing certified: no data, not "0 %".
  if (verdicts.length === 0 || verdicts.every((v) => v.verdict === 'no_data' && v.certified !== true)) return null;
  const root = await readRootOrNull(store.db);
  return { passing: verdicts.filter((v) => v.pass === true).length, total: root ? (await readTopUnits(store.db, root.code)).length : 0 };
};

/** The scope options the city has set (`indicator_option`); options not set keep their defaults. */
export async function storedScope(db: Kysely<Database>): Promise<Partial<IndicatorScope>> {
  const rows = await db.selectFrom('indicator_option').select(['name', 'value']).execute();
  return resolveScope(Object.fromEntries(rows.map((r) => [r.name, r.value])));
}

/** The highest stale mark (services/recompute.ts), read before a recompute reads its inputs. */
async function staleHighWater(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ id: number | null }>`SELECT max(id) AS id FROM indicator_stale`.execute(db);
  return Number(r.rows[0]?.id ?? 0);
}

/**
 * Clear the marks a recompute has answered: those of its years at or below the high-water
 * mark read before its inputs. A change committed while it ran has a higher id and stays.
 */
async function clearStale(db: Kysely<Database>, years: readonly number[], highWater: number): Promise<void> {
  if (years.length === 0 || highWater === 0) return;
  await db.deleteFrom('indicator_stale').where('year', 'in', [...years]).where('id', '<=', highWater).execute();
}

/** Which cells to read (every field optional: all of them). */
export interface CellFilter { indicator?: string; org_code?: string; year?: number; disaggregation?: string; level?: string }

/** Stored cells for reading (progress, series, districts). */
export async function readCells(store: Store, where: CellFilter): Promise<StoredCell[]> {
  let q = store.db.selectFrom('indicator_value').select(['indicator', 'org_code', 'level', 'year', 'disaggregation', 'numerator', 'denominator', 'value', 'basis', 'suppressed', 'suppression', 'inputs']);
  if (where.indicator !== undefined) q = q.where('indicator', '=', where.indicator);
  if (where.org_code !== undefined) q = q.where('org_code', '=', where.org_code);
  if (where.year !== undefined) q = q.where('year', '=', where.year);
  if (where.disaggregation !== undefined) q = q.where('disaggregation', '=', where.disaggregation);
  if (where.level !== undefined) q = q.where('level', '=', where.level);
  // Disaggregation last: on Citus the shards' rows arrive in no fixed order, so ties would too.
  const rows = await q.orderBy('year').orderBy('indicator').orderBy('org_code').orderBy('disaggregation').execute();
  return rows.map((r) => ({ ...r, inputs: (r.inputs ?? {}) as StoredCell['inputs'] }));
}

/** The latest run's id (0 when never computed): lets other processes notice a recompute. */
export async function latestRunId(store: Store): Promise<number> {
  const r = await store.db.selectFrom('indicator_run').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(r?.id ?? 0);
}
