/**
 * Learning-city monitoring (学习型城市建设动态监测, 三、(七)「以测促建」): learning events
 * imported from the centres, KPI 8 (服务市民终身学习人次) derived from them, and
 * 老年教育活动参与率 per district against the 50 % target (docs/learning-city.md).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import { computeLearningFigures, ELDERLY_PARTICIPATION_TARGET, MIN_PERSONS, type FigureCell } from '../core/learning/figures.ts';
import type { LearningFramework } from '../core/learning/framework.ts';
import { demoLearningCity } from '../demo/learning-city.ts';
import { demoLearningEvents } from '../demo/learning-events.ts';
import { EVENT_COLUMNS, eventKey, readEventRow, type LearningEventRow } from '../core/learning/events.ts';
import { OrgTree } from '../core/org/levels.ts';
import { mayDoAt } from '../core/auth/roles.ts';
import { sha256File } from '../ingest/csv-read.ts';
import { readEventFile } from '../ingest/learning-events.ts';
import { readLevelModel, readOrgTree, readRootOrNull } from './org-tree.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { readLearningFramework } from './learning-framework.ts';
import { readPublishedCells } from './releases.ts';
import { appendAudit } from './audit.ts';
import { deny, orgPath, requireAction } from './authorize.ts';
import { learnerPseudonym } from './credits/bank.ts';
import { callerId, callerIp, callerName, isSystem, type Caller, type ServiceDeps } from './deps.ts';
import { afterDataChanged, markStale } from './recompute.ts';

export { ELDERLY_PARTICIPATION_TARGET };
const DERIVED_CODE = 'lifelong.participations_events';

export interface LearningImportDeps extends ServiceDeps {
  readonly pseudonymKey: string;
}

export interface LearningImportResult {
  readonly file: string;
  readonly rows: number;
  readonly added: number;
  readonly duplicates: number;
  readonly years: readonly number[];
  readonly batch_id: number | null;
}

/** One event as the upload API takes it (src/contract/learning.ts): the columns of EVENT_COLUMNS. */
export interface LearningEventInput {
  readonly event_id: string;
  readonly centre_code: string;
  readonly date: string;
  readonly channel: string;
  readonly activity: string;
  readonly learner_id_number?: string | null | undefined;
}

/**
 * Import a learning-events file, CSV or XLSX (columns EVENT_COLUMNS, a header row): every row
 * checked (nothing is written when one is wrong; a problem names the file, sheet, row, column,
 * value and rule), ID numbers pseudonymised and dropped, rows de-duplicated against each other
 * and against what is stored, KPI 8's derived values rewritten for the years touched, and the
 * indicators recomputed. A file already imported (same SHA-256) changes nothing.
 */
export async function importLearningEvents(deps: LearningImportDeps, caller: Caller, input: { path: string; fileName?: string }): Promise<LearningImportResult> {
  await requireAction(deps, caller, 'learning.import');
  const file = input.fileName ?? basename(input.path);
  const problems: Problem[] = [];
  const events: LearningEventRow[] = [];
  let header: string[] | null = null;
  const read = await readEventFile(input.path, file, (r, sheet) => {
    const at = sheet === undefined ? {} : { sheet };
    if (header === null) {
      header = r.cells.map((c) => c.trim());
      const wrong = EVENT_COLUMNS.some((c, i) => header?.[i] !== c);
      if (wrong) problems.push({ file, ...at, row: r.row, rule: 'header', value: header.join(','), message_zh: `表头应为：${EVENT_COLUMNS.join(',')}`, message_en: `the header must be: ${EVENT_COLUMNS.join(',')}` });
      return;
    }
    if (problems.length >= 200) return;
    const { event, problems: p } = readEventRow(r.cells, file, r.row);
    if (event) events.push(event); else problems.push(...p.map((x) => ({ ...x, ...at })));
  });
  problems.push(...read.problems);
  const sha256 = await sha256File(input.path);
  return storeEvents(deps, caller, { file, sha256, events, problems, sheet: read.sheet });
}

/**
 * The centres' upload API (`POST /api/learning/events`): the same row checks, de-duplication
 * and idempotence as a file (the rows' SHA-256 stands for the file's), and a centre's account
 * may send only for its own org unit or the units beneath it.
 */
export async function submitLearningEvents(deps: LearningImportDeps, caller: Caller, input: { rows: readonly LearningEventInput[]; source?: string }): Promise<LearningImportResult> {
  await requireAction(deps, caller, 'learning.import');
  const file = input.source ?? 'api';
  const problems: Problem[] = [];
  const events: LearningEventRow[] = [];
  input.rows.forEach((r, i) => {
    const cells = [r.event_id, r.centre_code, r.date, r.channel, r.activity, r.learner_id_number ?? ''];
    const { event, problems: p } = readEventRow(cells, file, i + 1);
    if (event) events.push(event);
    else if (problems.length < 200) problems.push(...p.map((x) => ({ ...x, path: `rows[${i}].${x.column ?? ''}` })));
  });
  const sha256 = createHash('sha256').update(JSON.stringify(input.rows.map((r) => [r.event_id, r.centre_code, r.date, r.channel, r.activity, r.learner_id_number ?? '']))).digest('hex');
  return storeEvents(deps, caller, { file, sha256, events, problems, sheet: undefined });
}

/** Check the centres (known, under a district, within the caller's grants), then write in one transaction. */
async function storeEvents(deps: LearningImportDeps, caller: Caller, input: { file: string; sha256: string; events: LearningEventRow[]; problems: Problem[]; sheet: string | undefined }): Promise<LearningImportResult> {
  const { file, events, problems } = input;
  const centres = [...new Set(events.map((e) => e.centre_code))];
  const districtOf = await centreDistricts(deps.store.db, centres);
  for (const c of centres) {
    if (!districtOf.has(c)) problems.push({ file, ...(input.sheet === undefined ? {} : { sheet: input.sheet }), column: 'centre_code', value: c, rule: 'org_unknown', message_zh: `学习点 ${c} 不在机构表中，或不属于任何区`, message_en: `centre ${c} is not an org unit under a district` });
  }
  if (problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems });
  await requireCentresInScope(deps, caller, centres);
  const years = [...new Set(events.map((e) => e.year))].sort();
  const result = await deps.store.transaction(async (tx) => {
    const seen = await tx.db.selectFrom('import_batch').select('id').where('kind', '=', 'learning_events').where('sha256', '=', input.sha256).executeTakeFirst();
    if (seen) return { added: 0, batch: null as number | null };
    const batch = await tx.db.insertInto('import_batch').values({ kind: 'learning_events', file_name: file, sha256: input.sha256, rows: events.length, imported_at: deps.clock().toISOString() }).returning('id').executeTakeFirstOrThrow();
    let added = 0;
    for (let i = 0; i < events.length; i += 500) {
      const rows = events.slice(i, i + 500).map((e) => {
        const pseudonym = e.learner_id_number === null ? null : learnerPseudonym(deps.pseudonymKey, e.learner_id_number);
        return { dedup_key: eventKey(e, pseudonym), centre_code: e.centre_code, district_code: districtOf.get(e.centre_code) as string, event_id: e.event_id, year: e.year, event_date: e.date, channel: e.channel, activity: e.activity, learner_pseudonym: pseudonym, elderly: e.elderly, batch_id: batch.id };
      });
      const unique = [...new Map(rows.map((r) => [r.dedup_key, r])).values()];
      const ins = await tx.db.insertInto('learning_event').values(unique).onConflict((oc) => oc.column('dedup_key').doNothing()).returning('dedup_key').execute();
      added += ins.length;
    }
    await writeDerived(tx.db, years);
    await markStale(tx.db, deps.clock(), years, `learning events ${file}`);
    await appendAudit(tx.db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action: 'learning.import', outcome: 'success', objectType: 'import_batch', objectId: batch.id, ip: callerIp(caller), after: { file, rows: events.length, added, centres: centres.length } });
    return { added, batch: batch.id };
  });
  if (result.batch !== null) await afterDataChanged(deps);
  return { file, rows: events.length, added: result.added, duplicates: events.length - result.added, years, batch_id: result.batch };
}

/**
 * Every centre lies within the caller's `learning.import` grants (its own unit or beneath it),
 * else E_FORBIDDEN (audited) naming the centres outside: a centre sends only its own events.
 */
async function requireCentresInScope(deps: ServiceDeps, caller: Caller, centres: readonly string[]): Promise<void> {
  if (isSystem(caller) || centres.length === 0) return;
  const outside: string[] = [];
  for (const c of centres) {
    const path = await orgPath(deps.store.db, c);
    if (!path || !mayDoAt(caller.account.grants, 'learning.import', path)) outside.push(c);
  }
  if (outside.length > 0) await deny(deps, caller, 'learning.import', { type: 'learning_event', org: outside[0] ?? null }, `centres outside your org unit / 不属于本账号机构的学习点: ${outside.slice(0, 20).join(', ')}`);
}

/**
 * Each centre's district: the nearest ancestor (or itself) directly under the root (Tianjin's
 * district, a province's prefecture city), whatever its level code. A reporting unit is never one.
 */
async function centreDistricts(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (codes.length === 0) return out;
  const root = await readRootOrNull(db);
  if (!root) return out;
  const r = await sql<{ centre: string; district: string }>`
    WITH RECURSIVE up(centre, code, parent_code, level, depth) AS (
      SELECT code, code, parent_code, level, 0 FROM org_unit WHERE code IN (${sql.join(codes)})
      UNION ALL
      SELECT up.centre, o.code, o.parent_code, o.level, up.depth + 1 FROM org_unit o JOIN up ON o.code = up.parent_code
      WHERE up.depth < 6 AND up.parent_code IS DISTINCT FROM ${root.code}
    ) SELECT up.centre, up.code AS district FROM up JOIN org_level l ON l.code = up.level
      WHERE up.parent_code = ${root.code} AND NOT l.reporting_unit`.execute(db);
  for (const x of r.rows) out.set(x.centre, x.district);
  return out;
}

/** KPI 8's derived reference values for `years`: the stored events per district and for the city. */
async function writeDerived(db: Kysely<Database>, years: readonly number[]): Promise<void> {
  if (years.length === 0) return;
  const counts = await db.selectFrom('learning_event').select(['year', 'district_code', (eb) => eb.fn.countAll<string>().as('n')]).where('year', 'in', [...years]).groupBy(['year', 'district_code']).execute();
  const rows: Array<{ org_code: string; year: number; code: string; value: number; source: string }> = [];
  const city = new Map<number, number>();
  for (const c of counts) {
    rows.push({ org_code: c.district_code, year: c.year, code: DERIVED_CODE, value: Number(c.n), source: 'derived:learning_event 学习活动记录去重计数' });
    city.set(c.year, (city.get(c.year) ?? 0) + Number(c.n));
  }
  const root = await readRootOrNull(db);
  if (root) for (const [year, n] of city) rows.push({ org_code: root.code, year, code: DERIVED_CODE, value: n, source: 'derived:learning_event 学习活动记录去重计数' });
  if (rows.length === 0) return;
  await db.insertInto('reference_value').values(rows).onConflict((oc) => oc.columns(['code', 'org_code', 'year']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), source: eb.ref('excluded.source') }))).execute();
}

export interface ElderlyParticipationRow {
  readonly org_code: string;
  readonly name_zh: string;
  readonly year: number;
  /** Distinct learners aged 60+ with at least one event in the year; null when withheld. */
  readonly participants: number | null;
  /** Resident population aged 60+ (reference value `pop.age60_plus`) and its source. */
  readonly population: number | null;
  readonly population_source: string | null;
  /** Percent; null when withheld or without a population. */
  readonly rate: number | null;
  readonly target: number;
  readonly met: boolean | null;
  readonly suppressed: boolean;
}

/**
 * 老年教育活动参与率 per district and for the city: elderly people taking part at least once
 * in the year ÷ resident population aged 60+ × 100, against the 50 % target. A district with
 * fewer than 10 elderly participants publishes no numbers (disclosure control).
 */
export async function elderlyParticipation(deps: ServiceDeps, caller: Caller, input: { year: number }): Promise<ElderlyParticipationRow[]> {
  await requireAction(deps, caller, 'progress.read');
  const tree = await readOrgTree(deps.store.db);
  const orgs = [...(tree.root ? [tree.root] : []), ...tree.topUnits()].sort((a, b) => a.code.localeCompare(b.code));
  const parts = await sql<{ district_code: string; n: number }>`
    SELECT district_code, count(DISTINCT learner_pseudonym)::int AS n FROM learning_event
    WHERE year = ${input.year} AND elderly AND learner_pseudonym IS NOT NULL GROUP BY district_code`.execute(deps.store.db);
  const cityN = await sql<{ n: number }>`SELECT count(DISTINCT learner_pseudonym)::int AS n FROM learning_event WHERE year = ${input.year} AND elderly AND learner_pseudonym IS NOT NULL`.execute(deps.store.db);
  const pop = await deps.store.db.selectFrom('reference_value').select(['org_code', 'value', 'source']).where('code', '=', 'pop.age60_plus').where('year', '=', input.year).execute();
  const byDistrict = new Map(parts.rows.map((p) => [p.district_code, p.n]));
  return orgs.map((o) => {
    const n = o === tree.root ? (cityN.rows[0]?.n ?? 0) : (byDistrict.get(o.code) ?? 0);
    const p = pop.find((x) => x.org_code === o.code);
    const suppressed = n > 0 && n < MIN_PERSONS;
    const rate = !suppressed && p && p.value > 0 ? (n / p.value) * 100 : null;
    return {
      org_code: o.code, name_zh: o.name_zh, year: input.year, participants: suppressed ? null : n, population: p?.value ?? null, population_source: p?.source ?? null,
      rate, target: ELDERLY_PARTICIPATION_TARGET, met: rate === null ? null : rate >= ELDERLY_PARTICIPATION_TARGET, suppressed,
    };
  });
}

/**
 * The learning-city figures of `year` as they stand now (provisional: the workspace's view),
 * per district and for the city (core/learning/figures.ts).
 */
export async function computeLearningCityFigures(db: Kysely<Database>, year: number): Promise<FigureCell[]> {
  const units = await db.selectFrom('org_unit as u').innerJoin('org_level as l', 'l.code', 'u.level')
    .select(['u.code', 'u.level', 'u.parent_code', 'u.unit_type', 'u.service_line']).where('l.reporting_unit', '=', false).execute();
  const parts = await sql<{ district_code: string; n: number }>`
    SELECT district_code, count(DISTINCT learner_pseudonym) FILTER (WHERE elderly)::int AS n FROM learning_event
    WHERE year = ${year} GROUP BY district_code`.execute(db);
  const city = await sql<{ n: number; events: number }>`
    SELECT count(DISTINCT learner_pseudonym) FILTER (WHERE elderly)::int AS n, count(*)::int AS events FROM learning_event WHERE year = ${year}`.execute(db);
  const pop = await db.selectFrom('reference_value').select(['org_code', 'value', 'source']).where('code', '=', 'pop.age60_plus').where('year', '=', year).execute();
  const cityRow = city.rows[0];
  const root = await readRootOrNull(db);
  return computeLearningFigures({
    year, cityCode: root?.code ?? '', units: units.map((u) => ({ code: u.code, level: String(u.level), parent_code: u.parent_code, unit_type: u.unit_type ?? null, service_line: u.service_line ?? null })),
    elderlyParticipants: new Map(parts.rows.map((p) => [p.district_code, Number(p.n)])),
    cityElderlyParticipants: cityRow && Number(cityRow.events) > 0 ? Number(cityRow.n) : null,
    population: new Map(pop.map((p) => [p.org_code, { value: Number(p.value), source: p.source }])),
  });
}

/**
 * Copy the year's learning-city figures into the release `releaseId` (called by
 * services/releases.ts inside the release's transaction when the release includes KPI 8).
 * Only units that exist as org units are written (the city code of a test world may differ).
 */
export async function snapshotLearningFigures(db: Kysely<Database>, releaseId: number, year: number): Promise<number> {
  const cells = await computeLearningCityFigures(db, year);
  // The released figures store each unit's role (the root: city, a unit under it: district), not its level code.
  const tree = await readOrgTree(db);
  const known = new Map<string, 'city' | 'district'>([...(tree.root ? [[tree.root.code, 'city'] as const] : []), ...tree.topUnits().map((u) => [u.code, 'district'] as const)]);
  const rows = cells.filter((c) => known.has(c.org_code)).map((c) => ({ release_id: releaseId, ...c }));
  // The framework's items imported as reference values go out with the computed figures.
  const refItems = (await readLearningFramework()).items.flatMap((i) => (i.input.kind === 'reference' ? [{ item: i.code, code: i.input.code }] : []));
  if (refItems.length > 0) {
    const refs = await db.selectFrom('reference_value').select(['code', 'org_code', 'value', 'source']).where('year', '=', year).where('code', 'in', refItems.map((r) => r.code)).execute();
    for (const r of refs) {
      const item = refItems.find((x) => x.code === r.code);
      const level = known.get(r.org_code);
      if (!item || !level) continue;
      rows.push({ release_id: releaseId, figure: item.item as FigureCell['figure'], org_code: r.org_code, level, year, numerator: null, denominator: null, value: Number(r.value), suppressed: false, source: `reference:${r.code}（${r.source}）` });
    }
  }
  if (rows.length > 0) await db.insertInto('learning_released_figure').values(rows).execute();
  return rows.length;
}

export interface PublishedLearningCity {
  readonly year: number | null;
  readonly release: { readonly id: number; readonly version: number; readonly released_at: string } | null;
  readonly figures: ReadonlyArray<Omit<FigureCell, 'figure'> & { readonly figure: string; readonly name_zh: string; readonly name_en: string; readonly target: number | null }>;
  /** KPI 8 as released (the indicator lifelong_learning_participations). */
  readonly kpi8: ReadonlyArray<{ readonly org_code: string; readonly value: number | null; readonly suppressed: boolean }>;
  readonly years: readonly number[];
  /** The framework (areas and items): a figure item's values are the figures named by input.figure, a reference item's those named by its code, KPI 8's `kpi8`. */
  readonly framework: LearningFramework;
}

const FIGURE_TARGETS: Readonly<Record<string, number>> = { elderly_participation_rate: ELDERLY_PARTICIPATION_TARGET, street_elderly_school_coverage: 100, model_elderly_universities: 100 };

/**
 * What the public sees: the learning-city figures of the latest release of `year` (or of the
 * latest year released) and KPI 8 as released. Nothing provisional: before a release there is
 * nothing (year null). Withheld cells carry no numbers.
 */
export async function publishedLearningCity(store: Store, q: { year?: number | undefined } = {}): Promise<PublishedLearningCity> {
  const db = store.db;
  const years = (await db.selectFrom('learning_released_figure').select('year').distinct().orderBy('year').execute()).map((r) => Number(r.year));
  const year = q.year ?? years[years.length - 1] ?? null;
  const framework = await readLearningFramework();
  const empty = { year, release: null, figures: [], kpi8: [], years, framework };
  if (year === null || !years.includes(year)) return empty;
  const latest = await db.selectFrom('learning_released_figure').select((eb) => eb.fn.max('release_id').as('id')).where('year', '=', year).executeTakeFirst();
  const rel = latest?.id == null ? undefined : await db.selectFrom('release').select(['id', 'version', 'released_at']).where('id', '=', Number(latest.id)).executeTakeFirst();
  if (!rel) return empty;
  const rows = await db.selectFrom('learning_released_figure as f').innerJoin('org_unit as o', 'o.code', 'f.org_code')
    .select(['f.figure', 'f.org_code', 'f.level', 'f.year', 'f.numerator', 'f.denominator', 'f.value', 'f.suppressed', 'f.source', 'o.name_zh', 'o.name_en'])
    .where('f.release_id', '=', rel.id).orderBy('f.figure').orderBy('f.level').orderBy('f.org_code').execute();
  const kpi8 = await readPublishedCells(store, { indicator: 'lifelong_learning_participations', year, disaggregation: '' });
  return {
    year, years, framework,
    release: { id: rel.id, version: rel.version, released_at: new Date(rel.released_at).toISOString() },
    figures: rows.map((r) => ({
      figure: r.figure, org_code: r.org_code, level: r.level, year: Number(r.year), name_zh: r.name_zh, name_en: r.name_en,
      numerator: r.suppressed ? null : r.numerator, denominator: r.suppressed ? null : r.denominator, value: r.suppressed ? null : r.value,
      suppressed: r.suppressed, source: r.source, target: FIGURE_TARGETS[r.figure] ?? null,
    })),
    kpi8: kpi8.map((c) => ({ org_code: c.org_code, value: c.suppressed ? null : c.value, suppressed: c.suppressed })),
  };
}

/**
 * Load the demo network and 60+ population (src/demo/learning-city.ts) into an instance that
 * has the demo's districts and pop.total: a few hundred org units and one reference value per
 * district and year, in bulk. Existing codes are left alone.
 */
export async function loadLearningCityDemo(store: Store, populationScale = 1): Promise<{ units: number; population: number }> {
  const districts = (await readOrgTree(store.db)).topUnits().map((u) => ({ code: u.code, name_zh: u.name_zh, name_en: u.name_en }));
  const popTotal = await store.db.selectFrom('reference_value').select(['org_code', 'year', 'value']).where('code', '=', 'pop.total').execute();
  const demo = demoLearningCity(districts, popTotal.map((p) => ({ org_code: p.org_code, year: Number(p.year), value: Number(p.value) })), populationScale);
  await store.transaction(async (tx) => {
    const base = { school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null };
    // Streets first: the 村居 units reference them.
    for (const level of ['street', 'community'] as const) {
      const rows = demo.units.filter((u) => u.level === level);
      for (let i = 0; i < rows.length; i += 500) {
        // The TypeScript org-unit type keeps three levels until org levels become data (issue 19); 0014 allows these.
        await tx.db.insertInto('org_unit').values(rows.slice(i, i + 500).map((u) => ({ ...base, ...u, level: u.level as unknown as 'school' }))).onConflict((oc) => oc.column('code').doNothing()).execute();
      }
    }
    if (demo.population.length > 0) {
      await tx.db.insertInto('reference_value').values(demo.population).onConflict((oc) => oc.columns(['code', 'org_code', 'year']).doNothing()).execute();
    }
  });
  return { units: demo.units.length, population: demo.population.length };
}

/** A CSV field for COPY: quoted when it holds a comma, quote or line break; null as the empty unquoted field. */
const csvField = (v: string | number | boolean | null): string => {
  if (v === null) return '';
  const t = typeof v === 'boolean' ? (v ? 't' : 'f') : String(v);
  return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
};

/**
 * Demo learning events (src/demo/learning-events.ts) for the years of the demo's 60+ population,
 * at the network's centres: pseudonyms by the import's HMAC (the ID numbers are dropped),
 * de-duplication keys as the import computes them, written in bulk by COPY in one transaction
 * as one import batch; then KPI 8's derived values are rewritten and the years marked stale, so
 * the demo's releases release KPI 8 and the learning-city figures computed from events.
 * A second call changes nothing (the batch's SHA-256 is known).
 */
export async function loadLearningEventsDemo(deps: LearningImportDeps, caller: Caller, seed: number): Promise<{ events: number; rows: number; years: number[] }> {
  await requireAction(deps, caller, 'learning.import');
  const db = deps.store.db;
  const units = await db.selectFrom('org_unit as u').innerJoin('org_level as l', 'l.code', 'u.level')
    .select(['u.code', 'u.level', 'u.parent_code', 'u.unit_type']).where('l.reporting_unit', '=', false).execute();
  const tree = new OrgTree(units, await readLevelModel(db));
  const districtOf = (code: string): string | null => tree.topOf(code);
  const centres = units.filter((u) => u.unit_type !== null && u.unit_type !== undefined && (String(u.level) === 'street' || String(u.level) === 'community'))
    .flatMap((u) => { const d = districtOf(u.code); return d === null ? [] : [{ code: u.code, district_code: d, unit_type: u.unit_type ?? null }]; });
  const pop = await db.selectFrom('reference_value').select(['org_code', 'year', 'value']).where('code', '=', 'pop.age60_plus').execute();
  const years = [...new Set(pop.map((p) => Number(p.year)))].sort();
  const events = demoLearningEvents({ seed, years, centres, population: new Map(pop.map((p) => [`${p.org_code}|${Number(p.year)}`, Number(p.value)])) });
  // One HMAC per learner, not per event: the same people come back to many sessions.
  const pseudonyms = new Map<string, string>();
  const rows = new Map<string, DemoCopyRow>();
  for (const e of events) {
    let pseudonym: string | null = null;
    if (e.learner_id_number !== null) {
      pseudonym = pseudonyms.get(e.learner_id_number) ?? learnerPseudonym(deps.pseudonymKey, e.learner_id_number);
      pseudonyms.set(e.learner_id_number, pseudonym);
    }
    const key = eventKey(e, pseudonym);
    if (!rows.has(key)) rows.set(key, { key, e, pseudonym });
  }
  const sha256 = createHash('sha256').update([...rows.keys()].sort().join('\n')).digest('hex');
  const file = `demo:learning-events:${seed}`;
  const added = await deps.store.transaction(async (tx) => {
    const seen = await tx.db.selectFrom('import_batch').select('id').where('kind', '=', 'learning_events').where('sha256', '=', sha256).executeTakeFirst();
    if (seen) return 0;
    const batch = await tx.db.insertInto('import_batch').values({ kind: 'learning_events', file_name: file, sha256, rows: events.length, imported_at: deps.clock().toISOString() }).returning('id').executeTakeFirstOrThrow();
    const columns = ['dedup_key', 'centre_code', 'district_code', 'event_id', 'year', 'event_date', 'channel', 'activity', 'learner_pseudonym', 'elderly', 'batch_id'];
    const n = await tx.copyCsv('learning_event', columns, (function* () {
      let chunk = '';
      for (const r of rows.values()) {
        chunk += `${[r.key, r.e.centre_code, r.e.district_code, r.e.event_id, r.e.year, r.e.date, r.e.channel, r.e.activity, r.pseudonym, r.e.elderly, batch.id].map(csvField).join(',')}\n`;
        if (chunk.length > 1 << 16) { yield chunk; chunk = ''; }
      }
      if (chunk !== '') yield chunk;
    })());
    await writeDerived(tx.db, years);
    await markStale(tx.db, deps.clock(), years, file);
    await appendAudit(tx.db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action: 'learning.import', outcome: 'success', objectType: 'import_batch', objectId: batch.id, ip: callerIp(caller), after: { file, rows: events.length, added: n, centres: centres.length } });
    return n;
  });
  return { events: added, rows: events.length, years };
}

interface DemoCopyRow { readonly key: string; readonly e: ReturnType<typeof demoLearningEvents>[number]; readonly pseudonym: string | null }
