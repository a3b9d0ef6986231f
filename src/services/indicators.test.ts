/**
 * The recompute reads each year's values once and hands 优质均衡 the schools it found
 * (src/services/indicators.ts → balancedVerdicts(store, year, criteria, schools)). Those
 * schools must be exactly what the assessment's own query loads, or the KPI
 * 义务教育优质均衡区比例 would differ from the assessment pages. Worked on a small district
 * with the awkward cases: a senior-only school and a kindergarten (both left out), a grade
 * outside 1–9 (counted as senior), a missing resource, names containing `|`, `\` and a line break.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredSchool } from '../core/standards/balanced/input.ts';
import { openStore, type Store } from '../store/store.ts';
import { balancedVerdicts, loadBalancedSchools } from './assessments/balanced.ts';
import { recomputeIndicators } from './indicators.ts';

const CITY = '120000';
const HEPING = '120101';
const HEXI = '120103';

describe('recompute hands 优质均衡 the same schools as the assessment query', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    const org = (code: string, name: string, level: string, parent: string | null, type: string | null) => ({ code, name_zh: name, name_en: name, level: level as 'city', parent_code: parent, school_type: type });
    await store.db.insertInto('org_unit').values([
      org(CITY, '天津市', 'city', null, null), org(HEPING, '和平区', 'district', CITY, null), org(HEXI, '河西区', 'district', CITY, null),
      org('1201010001', '第一|小学', 'school', HEPING, 'primary'),
      org('1201010002', '第二\\中学', 'school', HEPING, 'junior'),
      org('1201010003', '九年一贯\n制学校', 'school', HEPING, 'nine_year'),
      org('1201010004', '高中', 'school', HEPING, 'senior'),
      org('1201010005', '幼儿园', 'school', HEPING, 'kindergarten'),
      org('1201030001', '河西小学', 'school', HEXI, 'primary'),
    ]).execute();
    const v = (org_code: string, element: string, value: number, year = 2023) => ({ org_code, year, element, value, source: 'test' });
    const resources = (code: string, n: number) => [
      v(code, 'teachers.above_required', n * 0.05), v(code, 'teachers.backbone', n * 0.012), v(code, 'teachers.pe_arts', n * 0.01),
      v(code, 'area.teaching_aux_m2', n * 5), v(code, 'area.sports_m2', n * 8), v(code, 'equipment.value_yuan', n * 2000), v(code, 'rooms.multimedia', n * 0.025),
    ];
    await store.db.insertInto('data_value').values([
      v('1201010001', 'enrol.g1.m', 200), v('1201010001', 'enrol.g2.f', 180.5), ...resources('1201010001', 380),
      v('1201010002', 'enrol.g7.m', 300), v('1201010002', 'enrol.g13.f', 12), ...resources('1201010002', 300).slice(1),
      v('1201010003', 'enrol.g3.m', 100), v('1201010003', 'enrol.g8.f', 90), ...resources('1201010003', 190),
      v('1201010004', 'enrol.g10.m', 400), ...resources('1201010004', 400),
      v('1201010005', 'enrol.k1.m', 60), v('1201010005', 'area.sports_m2', 300),
      v('1201030001', 'enrol.g4.f', 250), ...resources('1201030001', 250),
      // Another year must not leak into 2023.
      v('1201030001', 'enrol.g4.f', 999, 2022),
    ]).execute();
  }, 60_000);
  afterAll(async () => { await store?.close(); });

  it('same schools (names, stages, resources) and the same 16 verdicts', async () => {
    const seen = new Map<number, ReadonlyMap<string, readonly StoredSchool[]> | undefined>();
    await recomputeIndicators(store, { years: [2022, 2023], balancedVerdicts: async (_s, year, schools) => { seen.set(year, schools); return null; } });
    const given = seen.get(2023);
    const loaded = await loadBalancedSchools(store, 2023);
    expect(given).toEqual(loaded);
    // Worked by hand: Heping has the primary, junior and nine-year schools (not the senior-only school, not the kindergarten).
    expect(loaded.get(HEPING)?.map((s) => [s.code, s.name_zh, s.enrolment])).toEqual([
      ['1201010001', '第一|小学', { primary: 380.5, junior: 0, senior: 0 }],
      ['1201010002', '第二\\中学', { primary: 0, junior: 300, senior: 12 }],
      ['1201010003', '九年一贯\n制学校', { primary: 100, junior: 90, senior: 0 }],
    ]);
    expect(loaded.get(HEPING)?.[1]?.resources).not.toHaveProperty('teachers_above_required');
    expect(seen.get(2022)?.get(HEXI)?.map((s) => s.enrolment.primary)).toEqual([999]);
    expect(await balancedVerdicts(store, 2023, undefined, given)).toEqual(await balancedVerdicts(store, 2023));
  });
});

/**
 * A recompute writes only the cells that changed since this process's last write (and
 * deletes those no longer produced); the table must end up exactly as after a full rewrite.
 */
describe('recompute writes only changed cells', () => {
  let store: Store;
  const table = async () => (await sql<{ k: string; row: string; run_id: number }>`
    SELECT concat_ws('|', year, indicator, org_code, disaggregation) AS k,
      concat_ws('|', level, numerator, denominator, value, basis, suppressed, suppression, inputs::text) AS row, run_id
    FROM indicator_value ORDER BY 1`.execute(store.db)).rows;
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    // Six districts of three kindergartens: a change at one school touches its district and the city only.
    const ds = ['120101', '120102', '120103', '120104', '120105', '120106'];
    const org = (code: string, level: string, parent: string | null, type: string | null, ownership: 'public' | 'private' | null = null) => ({ code, name_zh: code, name_en: code, level: level as 'city', parent_code: parent, school_type: type, ownership });
    await store.db.insertInto('org_unit').values([
      org(CITY, 'city', null, null), ...ds.map((d) => org(d, 'district', CITY, null)),
      ...ds.flatMap((d) => [0, 1, 2].map((i) => org(`${d}000${i}`, 'school', d, 'kindergarten', i === 2 ? 'private' : 'public'))),
    ]).execute();
    const rows = [];
    for (const year of [2022, 2023]) {
      for (const d of ds) {
        for (let i = 0; i < 3; i++) rows.push({ org_code: `${d}000${i}`, year, element: 'enrol.k1.m', value: 20 + i * 7 + (year % 5), source: 't' }, { org_code: `${d}000${i}`, year, element: 'enrol.k2.f', value: 15 + i, source: 't' });
      }
    }
    await store.db.insertInto('data_value').values(rows).execute();
  }, 60_000);
  afterAll(async () => { await store?.close(); });

  it('unchanged data writes nothing; changed data writes the same table as a full rewrite', async () => {
    const first = await recomputeIndicators(store, { years: [2022, 2023] });
    const t1 = await table();
    expect(t1.length).toBeGreaterThan(10);
    expect(new Set(t1.map((r) => r.run_id))).toEqual(new Set([first.run_id]));

    // Same data: same rows, still from the first run.
    await recomputeIndicators(store, { years: [2022, 2023] });
    expect(await table()).toEqual(t1);

    // One kindergarten changes and one school's data goes: only some rows are rewritten.
    await store.db.updateTable('data_value').set({ value: 99 }).where('org_code', '=', '1201010001').where('year', '=', 2023).where('element', '=', 'enrol.k1.m').execute();
    await store.db.deleteFrom('data_value').where('org_code', '=', '1201030002').where('year', '=', 2023).execute();
    const third = await recomputeIndicators(store, { years: [2023] });
    const t3 = await table();
    const rewritten = t3.filter((r) => r.run_id === third.run_id);
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.length).toBeLessThan(t3.filter((r) => r.k.startsWith('2023|')).length);
    expect(t3.filter((r) => r.k.startsWith('2022|'))).toEqual(t1.filter((r) => r.k.startsWith('2022|')));

    // Another writer's run (as another process would leave) makes the next recompute rewrite the years in full.
    await store.db.insertInto('indicator_run').values({ years: sql<number[]>`'{2023}'::int[]`, cells: 0, started_at: new Date(), duration_ms: 0 }).execute();
    const full = await recomputeIndicators(store, { years: [2023] });
    const t4 = await table();
    expect(t4.filter((r) => r.k.startsWith('2023|')).every((r) => r.run_id === full.run_id)).toBe(true);
    const strip = (t: typeof t1) => t.map(({ k, row }) => ({ k, row }));
    expect(strip(t3)).toEqual(strip(t4));
  });
});
