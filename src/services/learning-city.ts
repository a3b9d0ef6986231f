/**
 * Learning-city monitoring (学习型城市建设动态监测, 三、(七)「以测促建」): learning events
 * imported from the centres, KPI 8 (服务市民终身学习人次) derived from them, and
 * 老年教育活动参与率 per district against the 50 % target (docs/learning-city.md).
 */
import { basename } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import { EVENT_COLUMNS, eventKey, readEventRow, type LearningEventRow } from '../core/learning/events.ts';
import { readRootOrNull } from './org-tree.ts';
import { readCsv, sha256File } from '../ingest/csv-read.ts';
import { refuseNonUtf8Csv } from '../ingest/text-encoding.ts';
import type { Database } from '../store/schema.ts';
import { appendAudit } from './audit.ts';
import { requireAction } from './authorize.ts';
import { learnerPseudonym } from './credits/bank.ts';
import { callerId, callerIp, callerName, type Caller, type ServiceDeps } from './deps.ts';
import { afterDataChanged, markStale } from './recompute.ts';

/** The 老年教育活动参与率 target of 三、(七): 50 %. */
export const ELDERLY_PARTICIPATION_TARGET = 50;
/** Fewer elderly participants than this in a district and its rate is withheld (disclosure control: 10 persons). */
const MIN_PERSONS = 10;
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

/**
 * Import a learning-events CSV (columns EVENT_COLUMNS, a header row): every row checked
 * (nothing is written when one is wrong), ID numbers pseudonymised and dropped, rows
 * de-duplicated against each other and against what is stored, KPI 8's derived values
 * rewritten for the years touched, and the indicators recomputed.
 */
export async function importLearningEvents(deps: LearningImportDeps, caller: Caller, input: { path: string; fileName?: string }): Promise<LearningImportResult> {
  await requireAction(deps, caller, 'learning.import');
  const file = input.fileName ?? basename(input.path);
  await refuseNonUtf8Csv(input.path, file);
  const problems: Problem[] = [];
  const events: LearningEventRow[] = [];
  let header: string[] | null = null;
  const read = await readCsv(input.path, (r) => {
    if (header === null) {
      header = r.cells.map((c) => c.trim());
      const missing = EVENT_COLUMNS.filter((c, i) => header?.[i] !== c);
      if (missing.length > 0) problems.push({ file, row: r.line, rule: 'header', message_zh: `表头应为：${EVENT_COLUMNS.join(',')}`, message_en: `the header must be: ${EVENT_COLUMNS.join(',')}` });
      return;
    }
    if (problems.length >= 200) return;
    const { event, problems: p } = readEventRow(r.cells, file, r.line);
    if (event) events.push(event); else problems.push(...p);
  });
  if (read.syntaxError) problems.push({ file, row: read.syntaxError.line, rule: 'csv_syntax', message_zh: `CSV 格式错误：${read.syntaxError.message}`, message_en: `CSV syntax error: ${read.syntaxError.message}` });
  const centres = [...new Set(events.map((e) => e.centre_code))];
  const districtOf = await centreDistricts(deps.store.db, centres);
  for (const c of centres) {
    if (!districtOf.has(c)) problems.push({ file, column: 'centre_code', value: c, rule: 'org_unknown', message_zh: `学习点 ${c} 不在机构表中，或不属于任何区`, message_en: `centre ${c} is not an org unit under a district` });
  }
  if (problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems });
  const sha256 = await sha256File(input.path);
  const years = [...new Set(events.map((e) => e.year))].sort();
  const result = await deps.store.transaction(async (tx) => {
    const seen = await tx.db.selectFrom('import_batch').select('id').where('kind', '=', 'learning_events').where('sha256', '=', sha256).executeTakeFirst();
    if (seen) return { added: 0, batch: null as number | null };
    const batch = await tx.db.insertInto('import_batch').values({ kind: 'learning_events', file_name: file, sha256, rows: events.length, imported_at: deps.clock().toISOString() }).returning('id').executeTakeFirstOrThrow();
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
    await appendAudit(tx.db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action: 'learning.import', outcome: 'success', objectType: 'import_batch', objectId: batch.id, ip: callerIp(caller), after: { file, rows: events.length, added } });
    return { added, batch: batch.id };
  });
  if (result.batch !== null) await afterDataChanged(deps);
  return { file, rows: events.length, added: result.added, duplicates: events.length - result.added, years, batch_id: result.batch };
}

/** Each centre's district: the nearest ancestor (or itself) at level district. */
async function centreDistricts(db: Kysely<Database>, codes: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (codes.length === 0) return out;
  const r = await sql<{ centre: string; district: string }>`
    WITH RECURSIVE up(centre, code, parent_code, level, depth) AS (
      SELECT code, code, parent_code, level, 0 FROM org_unit WHERE code IN (${sql.join(codes)})
      UNION ALL
      SELECT up.centre, o.code, o.parent_code, o.level, up.depth + 1 FROM org_unit o JOIN up ON o.code = up.parent_code WHERE up.depth < 6 AND up.level <> 'district'
    ) SELECT centre, code AS district FROM up WHERE level = 'district'`.execute(db);
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
  const orgs = await deps.store.db.selectFrom('org_unit').select(['code', 'name_zh', 'level']).where('level', 'in', ['city', 'district']).orderBy('code').execute();
  const parts = await sql<{ district_code: string; n: number }>`
    SELECT district_code, count(DISTINCT learner_pseudonym)::int AS n FROM learning_event
    WHERE year = ${input.year} AND elderly AND learner_pseudonym IS NOT NULL GROUP BY district_code`.execute(deps.store.db);
  const cityN = await sql<{ n: number }>`SELECT count(DISTINCT learner_pseudonym)::int AS n FROM learning_event WHERE year = ${input.year} AND elderly AND learner_pseudonym IS NOT NULL`.execute(deps.store.db);
  const pop = await deps.store.db.selectFrom('reference_value').select(['org_code', 'value', 'source']).where('code', '=', 'pop.age60_plus').where('year', '=', input.year).execute();
  const byDistrict = new Map(parts.rows.map((p) => [p.district_code, p.n]));
  return orgs.map((o) => {
    const n = o.level === 'city' ? (cityN.rows[0]?.n ?? 0) : (byDistrict.get(o.code) ?? 0);
    const p = pop.find((x) => x.org_code === o.code);
    const suppressed = n > 0 && n < MIN_PERSONS;
    const rate = !suppressed && p && p.value > 0 ? (n / p.value) * 100 : null;
    return {
      org_code: o.code, name_zh: o.name_zh, year: input.year, participants: suppressed ? null : n, population: p?.value ?? null, population_source: p?.source ?? null,
      rate, target: ELDERLY_PARTICIPATION_TARGET, met: rate === null ? null : rate >= ELDERLY_PARTICIPATION_TARGET, suppressed,
    };
  });
}
