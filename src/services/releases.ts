/**
 * Release control (数据发布). Figures computed from approved data are *provisional*: the
 * workspace sees them, the public does not. The city releases a year's figures — all its
 * indicators or some — once enough schools have reported (completeness per form, default
 * 95 %, configurable per form) or with a stated reason to release anyway. A release copies
 * the year's cells into `released_value`; the public portal, the public API and downloads
 * read only those, each figure with its release date (数据更新于). A later release of the
 * same year is a new version: the cells that changed are marked `revised`, and every earlier
 * version stays downloadable.
 *
 * Every release and threshold change is in the audit chain.
 */
import { sql, type Kysely } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import { mayDo, mayDoAt, scopeCodes } from '../core/auth/roles.ts';
import { readOrgTree, readRoot, readRootOrNull, readTopUnits } from './org-tree.ts';
import { formByCode, forms } from '../core/forms/index.ts';
import { indicatorByCode } from '../core/indicators/definitions.ts';
import { completeness as completenessOf, type Completeness, type ExpectedSchool } from '../core/release/completeness.ts';
import type { CreateReleaseRequest, ReleaseChanges, ReleaseReadiness, ReleaseRecord, ReleaseRef, ReleaseSummary, ReleasedRow } from '../contract/releases.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { deny, requireAction } from './authorize.ts';
import { formOrThrow } from './form-context.ts';
import { callerName, isSystem, type Caller } from './deps.ts';
import { appendAudit } from './audit.ts';
import { snapshotLearningFigures } from './learning-city.ts';
import type { CellFilter, StoredCell } from './indicators.ts';
import { afterDataChanged, ensureFresh, staleYears, type RecomputeDeps } from './recompute.ts';
import { snapshotCreditStatistics } from './credits/statistics.ts';

export type ReleaseDeps = RecomputeDeps;

export type { Caller } from './deps.ts';

/** Serialises releases (two at once would both take the same version number). */
const RELEASE_LOCK = 8_008_008;

/** The root org unit's code (the city's grants are held there); E_ORG_UNKNOWN before any import. */
async function cityCode(db: Kysely<Database>): Promise<string> {
  return (await readRoot(db)).code;
}

/** Releasing is a city decision: the action at the city's own level, not a district's. */
async function requireReleaseRight(deps: ReleaseDeps, caller: Caller, action: string): Promise<void> {
  if (isSystem(caller)) return;
  await requireAction({ store: deps.store, clock: deps.clock }, caller, 'release.create');
  const city = await cityCode(deps.store.db);
  if (!mayDoAt(caller.account.grants, 'release.create', { code: city, lineage: [city] })) {
    await deny({ store: deps.store, clock: deps.clock }, caller, action, { type: 'release', org: city });
  }
}

// ---------------------------------------------------------------------------------------
// Completeness

/** Schools expected to report for the year, with whether their figures are in. */
async function expectedSchools(db: Kysely<Database>, year: number): Promise<ExpectedSchool[]> {
  const start = `${year}-09-01`;
  const rows = await sql<{ code: string; name_zh: string; name_en: string; parent_code: string | null; school_type: string | null; contact_name: string | null; contact_phone: string | null; reported: boolean; state: string | null }>`
    WITH reported AS (
      SELECT DISTINCT d.org_code FROM data_value d WHERE d.year = ${year} AND (d.source LIKE 'import:%' OR d.source LIKE 'submission:%')
    ), latest AS (
      SELECT DISTINCT ON (s.org_code) s.org_code, s.state FROM submission s WHERE s.year = ${year} ORDER BY s.org_code, s.updated_at DESC, s.id DESC
    )
    -- Joins with per-year sets rather than subqueries per school: on Citus (distribute.ts)
    -- data_value is sharded and submission stays on the coordinator, and a subquery
    -- correlated with both cannot be planned; each set is computed where its table lives.
    SELECT o.code, o.name_zh, o.name_en, o.parent_code, o.school_type, o.contact_name, o.contact_phone,
      r.org_code IS NOT NULL AS reported, l.state
    FROM org_unit o JOIN org_level ol ON ol.code = o.level LEFT JOIN reported r ON r.org_code = o.code LEFT JOIN latest l ON l.org_code = o.code
    WHERE ol.reporting_unit AND (o.opened IS NULL OR o.opened <= ${start}::date) AND (o.closed IS NULL OR o.closed > ${start}::date)
    ORDER BY o.code`.execute(db);
  // A school counts for the unit directly under the root it lies in (a province's prefecture city,
  // two levels up); a school the root runs itself (市属学校) for the root, as its parent.
  const tree = await readOrgTree(db);
  const out: ExpectedSchool[] = [];
  for (const r of rows.rows) {
    const form = r.school_type === null ? undefined : formByCode(`annual.${r.school_type}`);
    if (!form || r.parent_code === null) continue;
    out.push({
      code: r.code, name_zh: r.name_zh, name_en: r.name_en, district_code: tree.topOf(r.code) ?? r.parent_code, form_code: form.code, reported: r.reported === true,
      contact_name: r.contact_name, contact_phone: r.contact_phone,
      // An approved or locked submission is "reported"; any other state says why it is missing.
      submission_state: r.state === 'approved' || r.state === 'locked' ? null : r.state,
    });
  }
  return out;
}

async function thresholds(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('release_threshold').select(['form_code', 'share']).execute();
  return Object.fromEntries(rows.map((r) => [r.form_code, Number(r.share)]));
}

async function completenessFor(db: Kysely<Database>, year: number, districtScope: readonly string[] | null): Promise<Completeness> {
  const root = await readRootOrNull(db);
  const districts = root ? (await readTopUnits(db, root.code)).map((d) => ({ code: d.code, name_zh: d.name_zh, name_en: d.name_en })) : [];
  const inScope = (code: string): boolean => districtScope === null || districtScope.includes(code);
  const schools = (await expectedSchools(db, year)).filter((s) => inScope(s.district_code));
  return completenessOf(schools, forms.map((f) => ({ code: f.code, name_zh: f.name_zh, name_en: f.name_en })), districts.filter((d) => inScope(d.code)), await thresholds(db));
}

// ---------------------------------------------------------------------------------------
// Reading releases

type ReleaseRow = Awaited<ReturnType<typeof releaseRows>>[number];
function releaseRows(db: Kysely<Database>, where: { year?: number; id?: number } = {}) {
  let q = db.selectFrom('release').selectAll();
  if (where.year !== undefined) q = q.where('year', '=', where.year);
  if (where.id !== undefined) q = q.where('id', '=', where.id);
  return q.orderBy('year', 'desc').orderBy('version', 'desc').execute();
}

async function currentIds(db: Kysely<Database>): Promise<Set<number>> {
  const rows = await db.selectFrom('release_current').select('release_id').distinct().execute();
  return new Set(rows.map((r) => r.release_id));
}

const emptyChanges: ReleaseChanges = { revised: 0, added: 0, removed: 0, by_indicator: {} };
const json = <T>(v: unknown, fallback: T): T => (v === null || v === undefined ? fallback : ((typeof v === 'string' ? JSON.parse(v) : v) as T));

function toRecord(r: ReleaseRow, current: ReadonlySet<number>): ReleaseRecord {
  return {
    id: r.id, year: r.year, version: r.version, indicators: [...r.indicators].sort(), released_at: new Date(r.released_at).toISOString(),
    note: r.note, override_reason: r.override_reason, completeness: json(r.completeness, []), cells: r.cells,
    changes: json(r.changes, emptyChanges), current: current.has(r.id), released_by: r.released_by,
  };
}
const toSummary = (r: ReleaseRecord): ReleaseSummary => {
  const { released_by: _who, ...rest } = r;
  return rest;
};

/** Every release, newest first (public: without who released). */
export async function listReleases(store: Store, q: { year?: number | undefined } = {}): Promise<ReleaseSummary[]> {
  const current = await currentIds(store.db);
  return (await releaseRows(store.db, q.year === undefined ? {} : { year: q.year })).map((r) => toSummary(toRecord(r, current)));
}

/** The workspace's list: with who released each. */
export async function listReleaseRecords(deps: ReleaseDeps, caller: Caller, q: { year?: number | undefined } = {}): Promise<ReleaseRecord[]> {
  if (!isSystem(caller)) await requireAction({ store: deps.store, clock: deps.clock }, caller, 'progress.read');
  const current = await currentIds(deps.store.db);
  return (await releaseRows(deps.store.db, q.year === undefined ? {} : { year: q.year })).map((r) => toRecord(r, current));
}

/**
 * One release's published cells, as downloaded (a suppressed cell keeps its row, without
 * numbers). Any version, current or replaced: what was published stays available.
 */
export async function releasedRows(store: Store, id: number): Promise<{ release: ReleaseSummary; rows: ReleasedRow[] }> {
  const [row] = await releaseRows(store.db, { id });
  if (!row) throw new EduplanError('E_NOT_FOUND', { detail: `release ${id}`, problems: [{ path: 'id', value: id, rule: 'release_exists', message_zh: `发布版本 ${id} 不存在`, message_en: `release ${id} does not exist` }] });
  const release = toSummary(toRecord(row, await currentIds(store.db)));
  const cells = await sql<{ indicator: string; org_code: string; name_zh: string | null; name_en: string | null; level: string; year: number; disaggregation: string; value: number | null; numerator: number | null; denominator: number | null; suppressed: boolean; revised: boolean }>`
    SELECT v.indicator, v.org_code, o.name_zh, o.name_en, v.level, v.year, v.disaggregation, v.value, v.numerator, v.denominator, v.suppressed, v.revised
    FROM released_value v LEFT JOIN org_unit o ON o.code = v.org_code
    WHERE v.release_id = ${id}
    ORDER BY v.indicator, v.level, v.org_code, v.disaggregation`.execute(store.db);
  const rows = cells.rows.map((c): ReleasedRow => ({
    indicator: c.indicator, org_code: c.org_code, org_name_zh: c.name_zh ?? '', org_name_en: c.name_en ?? '', level: c.level, year: Number(c.year), disaggregation: c.disaggregation,
    value: c.suppressed ? null : c.value, numerator: c.suppressed ? null : c.numerator, denominator: c.suppressed ? null : c.denominator,
    unit: indicatorByCode.get(c.indicator)?.unit ?? '', suppressed: c.suppressed, revised: c.revised,
    release_version: release.version, released_at: release.released_at,
  }));
  return { release, rows };
}

export type PublishedCell = StoredCell & { readonly release: ReleaseRef };

/**
 * The cells the public sees (the current release of each year and indicator), with the
 * release each comes from. Same filters as `readCells` (src/services/indicators.ts).
 */
export async function readPublishedCells(store: Store, where: CellFilter): Promise<PublishedCell[]> {
  let q = store.db.selectFrom('release_current as c')
    .innerJoin('released_value as v', (j) => j.onRef('v.release_id', '=', 'c.release_id').onRef('v.indicator', '=', 'c.indicator').onRef('v.year', '=', 'c.year'))
    .innerJoin('release as r', 'r.id', 'c.release_id')
    .select(['v.indicator', 'v.org_code', 'v.level', 'v.year', 'v.disaggregation', 'v.numerator', 'v.denominator', 'v.value', 'v.basis', 'v.suppressed', 'v.suppression', 'v.inputs', 'v.revised', 'r.id as release_id', 'r.version', 'r.released_at']);
  if (where.indicator !== undefined) q = q.where('v.indicator', '=', where.indicator);
  if (where.org_code !== undefined) q = q.where('v.org_code', '=', where.org_code);
  if (where.year !== undefined) q = q.where('v.year', '=', where.year);
  if (where.disaggregation !== undefined) q = q.where('v.disaggregation', '=', where.disaggregation);
  if (where.level !== undefined) q = q.where('v.level', '=', where.level);
  const rows = await q.orderBy('v.year').orderBy('v.indicator').orderBy('v.org_code').execute();
  return rows.map((r) => ({
    indicator: r.indicator, org_code: r.org_code, level: r.level, year: Number(r.year), disaggregation: r.disaggregation,
    numerator: r.numerator, denominator: r.denominator, value: r.value, basis: r.basis, suppressed: r.suppressed,
    suppression: r.suppression as StoredCell['suppression'], inputs: (r.inputs ?? {}) as StoredCell['inputs'],
    release: { id: r.release_id, version: r.version, released_at: new Date(r.released_at).toISOString(), revised: r.revised },
  }));
}

/** The latest year the public has a published (unsuppressed) value for, or null. */
export async function latestPublishedYear(store: Store): Promise<number | null> {
  const r = await sql<{ y: number | null }>`
    SELECT max(v.year) AS y FROM release_current c
    JOIN released_value v ON v.release_id = c.release_id AND v.indicator = c.indicator AND v.year = c.year
    WHERE v.value IS NOT NULL AND NOT v.suppressed`.execute(store.db);
  const y = r.rows[0]?.y;
  return y === null || y === undefined ? null : Number(y);
}

/** Per-store listeners told after each release (the public progress cache refreshes itself). */
const listeners = new WeakMap<Store, Set<(r: ReleaseRecord) => void>>();
export function onReleased(store: Store, fn: (r: ReleaseRecord) => void): () => void {
  let set = listeners.get(store);
  if (!set) listeners.set(store, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

// ---------------------------------------------------------------------------------------
// Readiness and release

/** What the city (or a district, for itself) checks before a release. */
export async function releaseReadiness(deps: ReleaseDeps, caller: Caller, year: number): Promise<ReleaseReadiness> {
  let scope: readonly string[] | null = null;
  if (!isSystem(caller)) {
    await requireAction({ store: deps.store, clock: deps.clock }, caller, 'progress.read');
    scope = scopeCodes(caller.account.grants, 'progress.read', await cityCode(deps.store.db));
  }
  // Bring the provisional figures up to date first; a failure shows as `stale` below.
  await afterDataChanged(deps);
  const db = deps.store.db;
  const c = await completenessFor(db, year, scope);
  const stale = (await staleYears(deps.store)).find((s) => s.year === year) ?? null;
  const currentSet = await currentIds(db);
  const latest = (await releaseRows(db, { year })).find((r) => currentSet.has(r.id));
  // A district counts its own cells only: the district and its schools.
  const scopeLiteral = scope === null ? null : `{${scope.join(',')}}`;
  const counts = await sql<{ cells: number; changed: number }>`
    WITH mine AS (
      SELECT code FROM org_unit WHERE ${scopeLiteral}::text[] IS NULL OR code = ANY(${scopeLiteral}::text[]) OR parent_code = ANY(${scopeLiteral}::text[])
    ), prov AS (
      SELECT iv.* FROM indicator_value iv JOIN mine m ON m.code = iv.org_code WHERE iv.year = ${year}
    ), pub AS (
      SELECT v.* FROM release_current rc JOIN released_value v ON v.release_id = rc.release_id AND v.indicator = rc.indicator AND v.year = rc.year
      JOIN mine m ON m.code = v.org_code WHERE rc.year = ${year}
    )
    SELECT (SELECT count(*) FROM prov) AS cells,
      (SELECT count(*) FROM prov iv FULL JOIN pub p ON p.indicator = iv.indicator AND p.org_code = iv.org_code AND p.disaggregation = iv.disaggregation
        WHERE iv.indicator IS NULL OR p.indicator IS NULL OR iv.value IS DISTINCT FROM p.value OR iv.numerator IS DISTINCT FROM p.numerator
          OR iv.denominator IS DISTINCT FROM p.denominator OR iv.suppressed IS DISTINCT FROM p.suppressed) AS changed`.execute(db);
  return {
    year, forms: [...c.forms], districts: c.districts.map((d) => ({ ...d, missing: [...d.missing] })), complete: c.complete,
    stale: stale ? { since: stale.since, causes: [...stale.causes] } : null,
    current: latest ? toRecord(latest, currentSet) : null,
    provisional_cells: Number(counts.rows[0]?.cells ?? 0), unreleased_changes: Number(counts.rows[0]?.changed ?? 0),
  };
}

const pct = (share: number | null): string => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);

/**
 * Release a year's figures: recompute anything stale, check completeness (or take the
 * override's reason), copy the cells, mark what changed against the version replaced, make
 * it the public version, audit. Returns the new release.
 */
export async function createRelease(deps: ReleaseDeps, caller: Caller, req: CreateReleaseRequest): Promise<ReleaseRecord> {
  await requireReleaseRight(deps, caller, 'release.create');
  await ensureFresh(deps);
  const db = deps.store.db;
  const year = req.year;
  const computed = (await db.selectFrom('indicator_value').select('indicator').distinct().where('year', '=', year).execute()).map((r) => r.indicator).sort();
  if (computed.length === 0) throw new EduplanError('E_RELEASE_EMPTY', { detail: `year ${year}` });
  const scope = req.indicators === undefined ? computed : [...new Set(req.indicators)].sort();
  const unknown = scope.filter((code) => !computed.includes(code));
  if (unknown.length > 0) {
    throw new EduplanError('E_INPUT_INVALID', { problems: unknown.map((code): Problem => ({ path: 'indicators', value: code, rule: 'indicator_computed', message_zh: `${year}学年没有指标 ${code} 的计算结果`, message_en: `indicator ${code} has no computed figures for ${year}`, fix_zh: `可发布的指标：${computed.join('、')}`, fix_en: `computed: ${computed.join(', ')}` })) });
  }
  const c = await completenessFor(db, year, null);
  const override = req.override_reason ?? null;
  if (!c.complete && override === null) {
    throw new EduplanError('E_RELEASE_INCOMPLETE', {
      detail: `year ${year}`,
      problems: c.forms.filter((f) => !f.met).map((f): Problem => ({
        path: `forms.${f.form_code}`, value: pct(f.share), rule: 'completeness_threshold',
        message_zh: `${f.name_zh}：已报送 ${f.reported}/${f.expected} 所（${pct(f.share)}），低于发布要求 ${pct(f.threshold)}`,
        message_en: `${f.name_en}: ${f.reported} of ${f.expected} schools reported (${pct(f.share)}), below the ${pct(f.threshold)} needed to release`,
        fix_zh: '查看完整性清单中未报送的学校，或填写强制发布理由', fix_en: 'See the completeness list of schools not reported, or give a reason to release anyway',
      })),
    });
  }
  const now = deps.clock();
  const record = await deps.store.transaction(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${RELEASE_LOCK})`.execute(tx.db);
    const last = await tx.db.selectFrom('release').select((eb) => eb.fn.max('version').as('v')).where('year', '=', year).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const run = await tx.db.selectFrom('indicator_run').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    const scopeLiteral = `{${scope.join(',')}}`;
    const inserted = await tx.db.insertInto('release').values({
      year, version, indicators: sql<string[]>`${scopeLiteral}::text[]`, released_at: now, released_by: callerName(caller),
      account_id: isSystem(caller) ? null : caller.account.id, note: req.note, override_reason: override,
      completeness: JSON.stringify(c.forms), run_id: Number(run?.id ?? 0), cells: 0, changes: JSON.stringify(emptyChanges),
    }).returning('id').executeTakeFirstOrThrow();
    const id = inserted.id;
    // Indicators this year already had a release for: their cells can be revised, added, removed.
    const replaced = (await tx.db.selectFrom('release_current').select('indicator').where('year', '=', year).where('indicator', 'in', scope).execute()).map((r) => r.indicator);
    const replacedLiteral = `{${replaced.join(',')}}`;
    await sql`
      WITH prev AS (
        SELECT v.* FROM release_current rc JOIN released_value v ON v.release_id = rc.release_id AND v.indicator = rc.indicator AND v.year = rc.year
        WHERE rc.year = ${year} AND rc.indicator = ANY(${scopeLiteral}::text[])
      )
      INSERT INTO released_value (release_id, indicator, org_code, year, disaggregation, level, numerator, denominator, value, basis, suppressed, suppression, inputs, revised)
      SELECT ${id}, iv.indicator, iv.org_code, iv.year, iv.disaggregation, iv.level, iv.numerator, iv.denominator, iv.value, iv.basis, iv.suppressed, iv.suppression, iv.inputs,
        CASE WHEN p.org_code IS NULL THEN iv.indicator = ANY(${replacedLiteral}::text[])
             ELSE (p.value IS DISTINCT FROM iv.value OR p.numerator IS DISTINCT FROM iv.numerator OR p.denominator IS DISTINCT FROM iv.denominator OR p.suppressed <> iv.suppressed) END
      FROM indicator_value iv
      LEFT JOIN prev p ON p.indicator = iv.indicator AND p.org_code = iv.org_code AND p.disaggregation = iv.disaggregation
      WHERE iv.year = ${year} AND iv.indicator = ANY(${scopeLiteral}::text[])`.execute(tx.db);
    // The learning-city figures go out with KPI 8 (docs/learning-city.md).
    if (scope.includes('lifelong_learning_participations')) await snapshotLearningFigures(tx.db, id, year);
    const changes = await changesOf(tx.db, id, year, scopeLiteral);
    const cells = Object.values(changes.cells).reduce((a, b) => a + b, 0);
    await tx.db.updateTable('release').set({ cells, changes: JSON.stringify(changes.changes) }).where('id', '=', id).execute();
    await tx.db.insertInto('release_current').values(scope.map((indicator) => ({ year, indicator, release_id: id })))
      .onConflict((oc) => oc.columns(['year', 'indicator']).doUpdateSet((eb) => ({ release_id: eb.ref('excluded.release_id') }))).execute();
    // The credit bank's statistics of the same (calendar) year go out with the release (docs/credit-bank.md).
    const creditCells = await snapshotCreditStatistics(tx.db, id, year);
    await appendAudit(tx.db, now, {
      actorId: isSystem(caller) ? null : caller.account.id, actor: callerName(caller), action: 'release.create', outcome: 'success',
      objectType: 'release', objectId: id, ip: isSystem(caller) ? null : caller.ip,
      after: { year, version, indicators: scope, note: req.note, override_reason: override, cells, revised: changes.changes.revised, added: changes.changes.added, removed: changes.changes.removed,
        completeness: c.forms.map((f) => ({ form: f.form_code, expected: f.expected, reported: f.reported, threshold: f.threshold, met: f.met })), credit_cells: creditCells },
    });
    const [row] = await releaseRows(tx.db, { id });
    if (!row) throw new EduplanError('E_DB', { detail: `release ${id} vanished` });
    return toRecord(row, await currentIds(tx.db));
  });
  for (const fn of listeners.get(deps.store) ?? []) fn(record);
  return record;
}

/** Per indicator: cells written, and revised / added / removed against the version replaced. */
async function changesOf(db: Kysely<Database>, id: number, year: number, scopeLiteral: string): Promise<{ cells: Record<string, number>; changes: ReleaseChanges }> {
  const written = await sql<{ indicator: string; cells: number; revised: number; added: number }>`
    WITH prev AS (
      SELECT v.indicator, v.org_code, v.disaggregation FROM release_current rc JOIN released_value v ON v.release_id = rc.release_id AND v.indicator = rc.indicator AND v.year = rc.year
      WHERE rc.year = ${year} AND rc.indicator = ANY(${scopeLiteral}::text[])
    )
    SELECT n.indicator, count(*) AS cells,
      count(*) FILTER (WHERE n.revised AND p.org_code IS NOT NULL) AS revised,
      count(*) FILTER (WHERE n.revised AND p.org_code IS NULL) AS added
    FROM released_value n LEFT JOIN prev p ON p.indicator = n.indicator AND p.org_code = n.org_code AND p.disaggregation = n.disaggregation
    WHERE n.release_id = ${id} GROUP BY n.indicator`.execute(db);
  const removed = await sql<{ indicator: string; removed: number }>`
    SELECT v.indicator, count(*) AS removed FROM release_current rc JOIN released_value v ON v.release_id = rc.release_id AND v.indicator = rc.indicator AND v.year = rc.year
    WHERE rc.year = ${year} AND rc.indicator = ANY(${scopeLiteral}::text[])
      AND NOT EXISTS (SELECT 1 FROM released_value n WHERE n.release_id = ${id} AND n.indicator = v.indicator AND n.org_code = v.org_code AND n.disaggregation = v.disaggregation)
    GROUP BY v.indicator`.execute(db);
  const by: ReleaseChanges['by_indicator'] = {};
  const cells: Record<string, number> = {};
  for (const w of written.rows) {
    cells[w.indicator] = Number(w.cells);
    by[w.indicator] = { revised: Number(w.revised), added: Number(w.added), removed: 0 };
  }
  for (const r of removed.rows) by[r.indicator] = { ...(by[r.indicator] ?? { revised: 0, added: 0 }), removed: Number(r.removed) };
  const total = (k: 'revised' | 'added' | 'removed'): number => Object.values(by).reduce((a, b) => a + b[k], 0);
  return { cells, changes: { revised: total('revised'), added: total('added'), removed: total('removed'), by_indicator: by } };
}

/** The city sets the completeness a form needs before a release (audited). */
export async function setReleaseThreshold(deps: ReleaseDeps, caller: Caller, formCode: string, share: number): Promise<{ form_code: string; share: number }> {
  await requireReleaseRight(deps, caller, 'release.threshold');
  formOrThrow(formCode, 'formCode');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const before = await tx.db.selectFrom('release_threshold').select('share').where('form_code', '=', formCode).executeTakeFirst();
    const setBy = isSystem(caller) ? null : caller.account.id;
    await tx.db.insertInto('release_threshold').values({ form_code: formCode, share, set_by: setBy, set_at: now })
      .onConflict((oc) => oc.column('form_code').doUpdateSet({ share, set_by: setBy, set_at: now })).execute();
    await appendAudit(tx.db, now, {
      actorId: setBy, actor: callerName(caller), action: 'release.threshold', outcome: 'success', objectType: 'form', objectId: formCode,
      ip: isSystem(caller) ? null : caller.ip, before: before ? { share: Number(before.share) } : null, after: { share },
    });
    return { form_code: formCode, share };
  });
}

/** Whether the account may see provisional figures (the workspace's progress view). */
export function mayReadProvisional(caller: Caller): boolean {
  return isSystem(caller) || mayDo(caller.account.grants, 'progress.read');
}

/**
 * Release every computed year that has no release yet (a new instance's history: the demo's
 * first start releases the years it generated, as the city would have released them). A
 * year below its completeness threshold is released only when `overrideReason` is given.
 */
export async function releaseUnreleasedYears(deps: ReleaseDeps, caller: Caller, note: string, overrideReason?: string): Promise<ReleaseRecord[]> {
  await ensureFresh(deps);
  const computed = (await deps.store.db.selectFrom('indicator_value').select('year').distinct().orderBy('year').execute()).map((r) => r.year);
  const released = new Set((await deps.store.db.selectFrom('release').select('year').distinct().execute()).map((r) => r.year));
  const out: ReleaseRecord[] = [];
  for (const year of computed.filter((y) => !released.has(y))) {
    const c = await completenessFor(deps.store.db, year, null);
    out.push(await createRelease(deps, caller, { year, note, ...(c.complete || overrideReason === undefined ? {} : { override_reason: overrideReason }) }));
  }
  return out;
}
