/**
 * The scalable recompute (issue 19) on a real store (PGlite, and PostgreSQL when
 * EDUPLAN_TEST_PG_URL is set), on generated data: reading in org-code slices gives the same
 * cells as one read, and the incremental recompute after single-school changes (an approved
 * submission marks its school) stores exactly what a full recompute of the year stores —
 * including disclosure control, which a small value at one school can change elsewhere in its
 * groups (complementary suppression).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportedCodes } from '../../src/core/elements/catalogue.ts';
import { CITY_CODE, districts } from '../../src/core/org/districts.ts';
import type { SchoolType } from '../../src/core/org/types.ts';
import { mulberry32 } from '../../src/demo/random.ts';
import { onRecomputed, readCells, recomputeIndicators, type RecomputeResult, type StoredCell } from '../../src/services/indicators.ts';
import { afterDataChanged, markStale } from '../../src/services/recompute.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

const YEARS = [2022, 2023];
const TYPES: readonly SchoolType[] = ['kindergarten', 'kindergarten', 'primary', 'junior', 'nine_year', 'senior', 'vocational'];

/** 3 districts × 14 schools, every reported code of each school's type, deterministic. */
async function loadGenerated(store: Store, seed: number): Promise<string[]> {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const orgRows = [`${CITY_CODE},天津市,Tianjin,city,,,,,`];
  const schools: Array<{ code: string; type: SchoolType }> = [];
  for (const d of districts.slice(0, 3)) {
    orgRows.push(`${d.code},${d.name_zh},${d.name_en},district,${CITY_CODE},,,,`);
    for (let i = 0; i < 14; i++) {
      const type = TYPES[i % TYPES.length] as SchoolType;
      const code = `${d.code}${String(i + 1).padStart(4, '0')}`;
      const ownership = type === 'kindergarten' && i % 3 === 0 ? 'private' : 'public';
      const inclusive = type === 'kindergarten' ? (i % 2 === 0 ? 't' : 'f') : '';
      orgRows.push(`${code},学校${code},School ${code},school,${d.code},${type},${ownership},${inclusive},${['urban', 'town', 'rural'][i % 3] ?? 'urban'}`);
      schools.push({ code, type });
    }
  }
  await store.transaction(async (tx) => {
    await tx.copyCsv('org_unit', ['code', 'name_zh', 'name_en', 'level', 'parent_code', 'school_type', 'ownership', 'inclusive', 'urban_rural'], [`${orgRows.join('\n')}\n`]);
    const rows: string[] = [];
    for (const year of YEARS) {
      for (const s of schools) for (const c of reportedCodes(s.type)) rows.push(`${s.code},${year},${c},${c.startsWith('wireless.') || c.startsWith('school_district.') ? int(0, 1) : int(2, 90)},test`);
    }
    await tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'], [`${rows.join('\n')}\n`]);
    const refs = YEARS.flatMap((y) => districts.slice(0, 3).map((d) => `${d.code},${y},pop.age3_5,${int(300, 900)},test`));
    await tx.copyCsv('reference_value', ['org_code', 'year', 'code', 'value', 'source'], [`${refs.join('\n')}\n`]);
  });
  return schools.map((s) => s.code);
}

const sortCells = (cells: StoredCell[]): StoredCell[] => [...cells].sort((a, b) => `${a.indicator}|${a.org_code}|${a.disaggregation}`.localeCompare(`${b.indicator}|${b.org_code}|${b.disaggregation}`));

describe.each(backends)('scalable recompute on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  let schools: string[];
  let last: RecomputeResult | undefined;

  beforeAll(async () => {
    store = await backend.open();
    schools = await loadGenerated(store, 19);
    onRecomputed(store, (r) => { last = r; });
  }, 120_000);
  afterAll(async () => { await store?.dispose(); });

  it('reads in slices of a few org units exactly what one slice reads', async () => {
    await recomputeIndicators(store, { years: YEARS, sliceSize: 1_000_000 });
    const one = await readCells(store, {});
    // 46 org units in slices of 4: twelve ranges, boundaries inside every district.
    await recomputeIndicators(store, { years: YEARS, sliceSize: 4 });
    const sliced = await readCells(store, {});
    expect(one.length).toBeGreaterThan(100);
    expect(sliced).toEqual(one);
  }, 120_000);

  it('after random single-school changes, the incremental recompute stores what a full recompute stores', async () => {
    const rnd = mulberry32(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    await recomputeIndicators(store, { years: YEARS });
    let suppressedSeen = 0;
    for (let round = 0; round < 8; round++) {
      const year = pick(YEARS);
      const changed = [...new Set([pick(schools), ...(rnd() < 0.4 ? [pick(schools)] : [])])];
      await store.transaction(async (tx) => {
        for (const school of changed) {
          const r = rnd();
          // Small values trip the disclosure threshold; a deleted form leaves the school unreported.
          if (r < 0.2) await tx.db.deleteFrom('data_value').where('org_code', '=', school).where('year', '=', year).execute();
          else if (r < 0.6) await sql`UPDATE data_value SET value = ${1 + Math.floor(rnd() * 3)} WHERE org_code = ${school} AND year = ${year} AND element LIKE 'enrol.%'`.execute(tx.db);
          else await sql`UPDATE data_value SET value = value + ${1 + Math.floor(rnd() * 40)} WHERE org_code = ${school} AND year = ${year}`.execute(tx.db);
        }
        await markStale(tx.db, new Date(), [year], `test:${round}`, changed);
      });
      const outcome = await afterDataChanged({ store, clock: () => new Date() });
      expect(outcome.status).toBe('recomputed');
      expect(last?.incremental_years).toEqual([year]);
      const incremental = sortCells(await readCells(store, { year }));
      const full = await recomputeIndicators(store, { years: [year] });
      expect(full.incremental_years).toEqual([]);
      expect(sortCells(await readCells(store, { year }))).toEqual(incremental);
      suppressedSeen += incremental.filter((c) => c.suppressed).length;
    }
    // The changes did reach disclosure control (otherwise the comparison would not cover it).
    expect(suppressedSeen).toBeGreaterThan(0);
  }, 300_000);

  it('a run written by another process empties the cache: the next recompute reads the year in full', async () => {
    const year = YEARS[1] as number;
    await recomputeIndicators(store, { years: [year] });
    const [a = '', b = ''] = schools;
    // Another process: changes school a, recomputes (its run, its marks cleared) — this process never sees a mark for a.
    await store.transaction(async (tx) => {
      await sql`UPDATE data_value SET value = value + 7 WHERE org_code = ${a} AND year = ${year}`.execute(tx.db);
      await tx.db.insertInto('indicator_run').values({ years: sql<number[]>`${`{${year}}`}::int[]`, cells: 0, started_at: new Date(), duration_ms: 0 }).execute();
    });
    await store.transaction(async (tx) => {
      await sql`UPDATE data_value SET value = value + 3 WHERE org_code = ${b} AND year = ${year}`.execute(tx.db);
      await markStale(tx.db, new Date(), [year], 'test:b', [b]);
    });
    await afterDataChanged({ store, clock: () => new Date() });
    expect(last?.incremental_years).toEqual([]);
    const after = sortCells(await readCells(store, { year }));
    // Had the cache (without a's change) been used, a's cells and its district's would differ here.
    await recomputeIndicators(store, { years: [year] });
    expect(sortCells(await readCells(store, { year }))).toEqual(after);
  }, 120_000);

  it('a whole-year mark (an import) reads the year in full', async () => {
    const year = YEARS[0] as number;
    await store.transaction(async (tx) => { await markStale(tx.db, new Date(), [year], 'import:test'); });
    await afterDataChanged({ store, clock: () => new Date() });
    expect(last?.years).toEqual([year]);
    expect(last?.incremental_years).toEqual([]);
  }, 120_000);
});
