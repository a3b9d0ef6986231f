/**
 * The demo's learning events on every backend: after the demo's network and learning load
 * (`npm start`'s first start, with the 60+ population scaled), the year's release carries KPI 8
 * computed from the events and 老年教育活动参与率 for most districts; the rows are keyed and
 * pseudonymised as the import does (an imported row for the same participation is a duplicate),
 * and a second load changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CODE, districts } from '../../src/core/org/districts.ts';
import { DEMO_ELDERLY_POPULATION_SCALE } from '../../src/demo/learning-city.ts';
import { demoLearnerId } from '../../src/demo/learning-events.ts';
import { learnerPseudonym } from '../../src/services/credits/bank.ts';
import { importLearningEvents, loadLearningCityDemo, loadLearningEventsDemo, publishedLearningCity } from '../../src/services/learning-city.ts';
import { createRelease } from '../../src/services/releases.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

const dir = mkdtempSync(join(tmpdir(), 'eduplan-learning-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const demo = { system: 'demo' } as const;
const KEY = 'learning-demo-test-key';
const YEAR = 2024;

describe.each(backends)('demo learning events on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const deps = () => ({ store, clock: () => new Date('2025-02-01T00:00:00Z'), pseudonymKey: KEY });
  let loaded: Awaited<ReturnType<typeof loadLearningEventsDemo>>;

  beforeAll(async () => {
    store = await backend.open();
    await loadPlan(store, await readPlanDir(bundledPlanDir()), deps().clock);
    await sql`INSERT INTO org_unit (code, name_zh, name_en, level, parent_code) VALUES ('120000', '天津市', 'Tianjin', 'city', NULL) ON CONFLICT (code) DO NOTHING`.execute(store.db);
    await store.db.insertInto('org_unit').values(districts.map((d) => ({ code: d.code, name_zh: d.name_zh, name_en: d.name_en, level: 'district' as const, parent_code: CITY_CODE }))).onConflict((oc) => oc.column('code').doNothing()).execute();
    // pop.total at the demo's default size (0.1 of Tianjin).
    const total = districts.map((d) => ({ org_code: d.code, year: YEAR, code: 'pop.total', value: Math.round(d.population2020 * 0.1), source: 'test' }));
    await store.db.insertInto('reference_value').values([...total, { org_code: CITY_CODE, year: YEAR, code: 'pop.total', value: total.reduce((a, r) => a + r.value, 0), source: 'test' }])
      .onConflict((oc) => oc.columns(['code', 'org_code', 'year']).doNothing()).execute();
    await loadLearningCityDemo(store, DEMO_ELDERLY_POPULATION_SCALE);
    loaded = await loadLearningEventsDemo(deps(), demo, 2021);
    await createRelease(deps(), demo, { year: YEAR, note: 'demo', override_reason: 'no school forms in this test world' });
  });
  afterAll(async () => store?.dispose());

  it('the release carries the elderly participation rate for most districts, near the 50 % target, and KPI 8 from the events', async () => {
    expect(loaded.years).toEqual([YEAR]);
    expect(loaded.events).toBeGreaterThan(1000);
    const pub = await publishedLearningCity(store, { year: YEAR });
    const rates = pub.figures.filter((f) => f.figure === 'elderly_participation_rate' && f.level === 'district');
    const withValue = rates.filter((r) => r.value !== null);
    expect(withValue.length).toBeGreaterThanOrEqual(12);
    for (const r of withValue) {
      expect(r.value).toBeGreaterThan(20);
      expect(r.value).toBeLessThan(80);
      expect(r.source).toBeTruthy();
    }
    const city = pub.figures.find((f) => f.figure === 'elderly_participation_rate' && f.level === 'city');
    expect(city?.value).toBeGreaterThan(30);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM learning_event WHERE year = ${YEAR}`.execute(store.db);
    expect(pub.kpi8.find((k) => k.org_code === CITY_CODE)?.value).toBe(stored.rows[0]?.n);
    // The 60+ population is the scaled one, and its source says so.
    const pop = await store.db.selectFrom('reference_value').select(['value', 'source']).where('code', '=', 'pop.age60_plus').where('org_code', '=', CITY_CODE).where('year', '=', YEAR).executeTakeFirstOrThrow();
    expect(pop.source).toContain(String(DEMO_ELDERLY_POPULATION_SCALE));
  });

  it('keys and pseudonyms are the import\'s: the same participation imported from a file is a duplicate; no ID number is stored', async () => {
    const district = districts[0]?.code as string;
    const id = demoLearnerId(district, 0, true);
    const row = await store.db.selectFrom('learning_event').select(['centre_code', 'event_date', 'activity', 'channel']).where('learner_pseudonym', '=', learnerPseudonym(KEY, id)).where('year', '=', YEAR).executeTakeFirstOrThrow();
    const date = typeof row.event_date === 'string' ? row.event_date.slice(0, 10) : new Date(row.event_date).toISOString().slice(0, 10);
    const path = join(dir, `${backend.name}-same.csv`);
    writeFileSync(path, `event_id,centre_code,date,channel,activity,learner_id_number\nX1,${row.centre_code},${date},${row.channel},${row.activity},${id}\n`);
    const r = await importLearningEvents(deps(), { system: 'cli' }, { path });
    expect(r).toMatchObject({ rows: 1, added: 0, duplicates: 1 });
    const leaked = await sql<{ n: number }>`SELECT count(*)::int AS n FROM learning_event WHERE learner_pseudonym !~ '^[0-9a-f]{64}$' OR event_id LIKE ${`%${id}%`}`.execute(store.db);
    expect(leaked.rows[0]?.n).toBe(0);
  });

  it('a second load changes nothing', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM learning_event`.execute(store.db);
    expect((await loadLearningEventsDemo(deps(), demo, 2021)).events).toBe(0);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM learning_event`.execute(store.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});
