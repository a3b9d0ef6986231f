/**
 * Disclosure control end to end on every backend (issue 12 §3 acceptance): a small demo is
 * imported, small cells are planted in each kind of publication hierarchy — a school
 * (5 girls tested; 7 myopic of 42 screened), a university (2 of 6 professional
 * postgraduates dual-supervised; universities are published for themselves and the city
 * only), a district with 6 kindergarten children (a number three indicators show) — and
 * the indicators recomputed. An attacker who knows every stored cell that is not
 * suppressed (the public projection) and how each figure is made from the schools' values
 * (test/helpers/disclosure-attacker.ts) must recover no suppressed numerator or denominator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitions } from '../../src/core/indicators/definitions.ts';
import type { EngineOrgUnit } from '../../src/core/indicators/engine.ts';
import { generateDemo } from '../../src/demo/index.ts';
import { importFolder } from '../../src/services/import.ts';
import { readCells, recomputeIndicators, type StoredCell } from '../../src/services/indicators.ts';
import type { Store } from '../../src/store/store.ts';
import { attack } from '../helpers/disclosure-attacker.ts';
import { backends } from '../helpers/stores.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-disclosure-test-'));
const demo = join(root, 'demo');
const clock = (): Date => new Date('2025-03-01T08:00:00Z');
const YEAR = 2023;

beforeAll(async () => {
  await generateDemo({ scale: 0.01, seed: 12, outDir: demo, students: false });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Set (or add) a school's value for the year. */
async function put(store: Store, org: string, element: string, value: number): Promise<void> {
  await store.db.deleteFrom('data_value').where('org_code', '=', org).where('year', '=', YEAR).where('element', '=', element).execute();
  await store.db.insertInto('data_value').values({ org_code: org, year: YEAR, element, value, source: 'test:planted' }).execute();
}

describe.each(backends)('disclosure control on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  let orgUnits: EngineOrgUnit[];
  let cells: StoredCell[];
  let planted: { school: string; university: string; district: string };
  const cell = (indicator: string, org: string, year = YEAR, dis = ''): StoredCell | undefined =>
    cells.find((c) => c.indicator === indicator && c.org_code === org && c.year === year && c.disaggregation === dis);

  beforeAll(async () => {
    store = await backend.open();
    await importFolder(store, demo, { clock });
    orgUnits = (await store.db.selectFrom('org_unit').select(['code', 'level', 'parent_code', 'school_type', 'ownership', 'inclusive', 'urban_rural']).orderBy('code').execute())
      .map((o) => ({ ...o, level: o.level as EngineOrgUnit['level'], ownership: o.ownership as EngineOrgUnit['ownership'], urban_rural: o.urban_rural as EngineOrgUnit['urban_rural'] }));
    const schools = orgUnits.filter((o) => o.level === 'school');
    // Health figures for every primary school (the demo was generated without student records);
    // one of them small: 5 girls tested, and 7 myopic of 42 screened.
    const primaries = schools.filter((s) => s.school_type === 'primary');
    const school = primaries[0];
    const university = schools.find((s) => s.school_type === 'higher_ed');
    // A district with kindergartens, and others with kindergartens too (so the city is not that district).
    const kgByDistrict = new Map<string, EngineOrgUnit[]>();
    for (const s of schools) if (s.school_type === 'kindergarten' && s.parent_code) kgByDistrict.set(s.parent_code, [...(kgByDistrict.get(s.parent_code) ?? []), s]);
    const district = [...kgByDistrict.keys()].sort()[0];
    if (!school || !university || !district || primaries.length < 3 || kgByDistrict.size < 3) throw new Error('the demo is too small for this test');
    planted = { school: school.code, university: university.code, district };
    for (const p of primaries) {
      const small = p.code === school.code;
      await put(store, p.code, 'fitness.tested.g3.f', small ? 5 : 50);
      await put(store, p.code, 'fitness.excellent_good.g3.f', small ? 2 : 20);
      await put(store, p.code, 'vision.screened.g3.m', small ? 42 : 120);
      await put(store, p.code, 'vision.myopic.g3.m', small ? 7 : 60);
    }
    await put(store, university.code, 'he.prof_postgrads', 6);
    await put(store, university.code, 'he.prof_postgrads_dual', 2);
    // 6 children in the district: one kindergarten keeps 6 in 中班 girls, every other code 0.
    for (const [i, k] of (kgByDistrict.get(district) ?? []).entries()) {
      await store.db.updateTable('data_value').set({ value: 0 }).where('org_code', '=', k.code).where('year', '=', YEAR).where('element', 'like', 'enrol.k%').execute();
      if (i === 0) await put(store, k.code, 'enrol.k2.f', 6);
    }
    await recomputeIndicators(store, { years: [YEAR] });
    cells = await readCells(store, { year: YEAR });
  }, 180_000);
  afterAll(async () => { await store?.dispose(); });

  it('withholds the planted cells for the reasons the rules give', () => {
    expect(cell('fitness_good_rate', planted.school)).toMatchObject({ suppressed: true, suppression: 'primary' });
    expect(cell('myopia_rate', planted.school)).toMatchObject({ suppressed: true, suppression: 'attribute' });
    expect(cell('dual_supervisor_share', planted.university)).toMatchObject({ suppressed: true, suppression: 'primary' });
    expect(cell('public_kindergarten_share', planted.district)).toMatchObject({ suppressed: true, suppression: 'primary' });
    // 学前三年毛入园率 shows the same 6 children as its numerator.
    expect(cell('preschool_gross_enrolment_rate', planted.district)?.suppressed).toBe(true);
    expect(cell('inclusive_preschool_coverage', planted.district)?.suppressed).toBe(true);
  });

  const rawValues = async (): Promise<Map<string, Map<string, number>>> => {
    const rows = await store.db.selectFrom('data_value').select(['org_code', 'element', 'value']).where('year', '=', YEAR).execute();
    const raw = new Map<string, Map<string, number>>();
    for (const r of rows) {
      let m = raw.get(r.org_code);
      if (!m) raw.set(r.org_code, (m = new Map()));
      m.set(r.element, Number(r.value));
    }
    return raw;
  };

  it('the attacker is not blind: without the complementary cells it gets the planted university back (city − the other universities)', async () => {
    const ownRulesOnly = cells.map((c) => ({ ...c, suppressed: c.suppression === 'primary' || c.suppression === 'attribute' }));
    const r = attack(ownRulesOnly, indicatorDefinitions, orgUnits, await rawValues());
    expect(r.recovered.map((x) => `${x.cell.indicator} ${x.cell.org_code} ${x.operand}`)).toContain(`dual_supervisor_share ${planted.university} numerator`);
  });

  it('the public projection gives back no suppressed numerator or denominator, however combined', async () => {
    const r = attack(cells, indicatorDefinitions, orgUnits, await rawValues());
    expect(r.withheld).toBeGreaterThan(5);
    expect(r.published).toBeGreaterThan(r.withheld);
    expect(r.recovered.map((x) => `${x.cell.indicator} ${x.cell.org_code} ${x.cell.disaggregation} ${x.operand}`)).toEqual([]);
  });

  it('the stored reason is one of primary, attribute, complementary (migration 0009 allows attribute)', () => {
    expect(new Set(cells.filter((c) => c.suppressed).map((c) => c.suppression))).toEqual(new Set(['primary', 'attribute', 'complementary']));
  });
});
