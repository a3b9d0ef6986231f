/**
 * Disclosure control on hand-made publications, each worked out by hand: the real
 * definitions, the engine's cells, and the attacker of test/helpers/disclosure-attacker.ts.
 */
import { describe, expect, it } from 'vitest';
import { indicatorByCode } from '../indicators/definitions.ts';
import type { EngineOrgUnit } from '../indicators/engine.ts';
import type { IndicatorCell, IndicatorDef } from '../indicators/types.ts';
import { attack } from '../../../test/helpers/disclosure-attacker.ts';
import { CITY, computeCells } from '../../../test/helpers/disclosure-world.ts';
import { discloseCells } from './publication.ts';

const def = (code: string): IndicatorDef => {
  const d = indicatorByCode.get(code);
  if (!d) throw new Error(code);
  return d;
};
const city: EngineOrgUnit = { code: CITY, level: 'city', parent_code: null, school_type: null, ownership: null, inclusive: null, urban_rural: null };
const district = (code: string): EngineOrgUnit => ({ code, level: 'district', parent_code: CITY, school_type: null, ownership: null, inclusive: null, urban_rural: null });
const school = (code: string, parent: string, type: string, extra: Partial<EngineOrgUnit> = {}): EngineOrgUnit =>
  ({ code, level: 'school', parent_code: parent, school_type: type, ownership: 'public', inclusive: null, urban_rural: 'urban', ...extra });
/** Kindergarten children split over k1–k3 × m/f (n divisible by 6 keeps the codes whole). */
const kg = (n: number): Array<[string, number]> => ['k1', 'k2', 'k3'].flatMap((g) => ['m', 'f'].map((x): [string, number] => [`enrol.${g}.${x}`, n / 6]));

interface Published { readonly cells: IndicatorCell[]; readonly reasons: ReturnType<typeof discloseCells>; readonly at: (indicator: string, org: string, dis?: string) => string }

function publish(orgUnits: EngineOrgUnit[], raw: Record<string, Array<[string, number]>>, defs: IndicatorDef[], references: Record<string, number> = {}): Published & { readonly recovered: string[] } {
  const rawMap = new Map(Object.entries(raw).map(([k, v]) => [k, new Map(v)]));
  const cells = computeCells(orgUnits, rawMap, defs, new Map(Object.entries(references)));
  const reasons = discloseCells(cells, orgUnits, defs);
  const r = attack(cells.map((c, i) => ({ ...c, suppressed: reasons[i] !== null })), defs, orgUnits, rawMap);
  return {
    cells, reasons,
    at: (indicator, org, dis = '') => {
      const i = cells.findIndex((c) => c.indicator === indicator && c.org_code === org && c.disaggregation === dis);
      if (i < 0) return 'no cell';
      return reasons[i] ?? 'published';
    },
    recovered: r.recovered.map((x) => `${x.cell.indicator} ${x.cell.org_code} ${x.cell.disaggregation} ${x.operand}`),
  };
}

describe('publication groups and complementary suppression', () => {
  it('2 of 6 dual-supervised at one university cannot be recovered as city − the other universities (published for universities and the city only)', () => {
    // Three universities in two districts; the indicator has no district cells, so they form one group under the city.
    const orgs = [city, district('120101'), district('120102'), school('U1', '120101', 'higher_ed'), school('U2', '120101', 'higher_ed'), school('U3', '120102', 'higher_ed')];
    const p = publish(orgs, {
      U1: [['he.prof_postgrads', 6], ['he.prof_postgrads_dual', 2]],
      U2: [['he.prof_postgrads', 100], ['he.prof_postgrads_dual', 45]],
      U3: [['he.prof_postgrads', 80], ['he.prof_postgrads_dual', 30]],
    }, [def('dual_supervisor_share')]);
    expect(p.at('dual_supervisor_share', 'U1')).toBe('primary');
    // The sibling with the smallest count (80 < 100) goes with it; the city (77/186) stays published.
    expect(p.at('dual_supervisor_share', 'U3')).toBe('complementary');
    expect(p.at('dual_supervisor_share', 'U2')).toBe('published');
    expect(p.at('dual_supervisor_share', CITY)).toBe('published');
    expect(p.recovered).toEqual([]);
  });

  it('universities that are all withheld leave nothing to subtract; a city with one university is withheld with it', () => {
    // U1 (2 of 6) and U2 (3 of 7) are small; U3's dual supervision is 6 of 300 (a group of 6: attribute).
    // All three are withheld, so the city's total (11 of 313) gives none of them back.
    const orgs = [city, district('120101'), school('U1', '120101', 'higher_ed'), school('U2', '120101', 'higher_ed'), school('U3', '120101', 'higher_ed')];
    const p = publish(orgs, {
      U1: [['he.prof_postgrads', 6], ['he.prof_postgrads_dual', 2]],
      U2: [['he.prof_postgrads', 7], ['he.prof_postgrads_dual', 3]],
      U3: [['he.prof_postgrads', 300], ['he.prof_postgrads_dual', 6]],
    }, [def('dual_supervisor_share')]);
    expect([p.at('dual_supervisor_share', 'U1'), p.at('dual_supervisor_share', 'U2'), p.at('dual_supervisor_share', 'U3')]).toEqual(['primary', 'primary', 'attribute']);
    expect(p.at('dual_supervisor_share', CITY)).toBe('published');
    expect(p.recovered).toEqual([]);
    // One university only: the city's figure is that university's, withheld with it.
    const one = publish([city, district('120101'), school('U1', '120101', 'higher_ed')], { U1: [['he.prof_postgrads', 6], ['he.prof_postgrads_dual', 2]] }, [def('dual_supervisor_share')]);
    expect(one.at('dual_supervisor_share', CITY)).not.toBe('published');
    expect(one.recovered).toEqual([]);
  });

  it('巩固率 599/602 tells that 3 pupils were not retained: withheld (attribute), and a sibling goes so that the district cannot give it back', () => {
    const orgs = [city, district('120101'), district('120102'), school('S1', '120101', 'junior'), school('S2', '120101', 'junior'), school('S3', '120101', 'junior'), school('S4', '120102', 'junior')];
    const p = publish(orgs, {
      // The graduating class (grade-9 enrolment) over the cohort when it entered grade 1.
      S1: [['cohort.g9_base', 602], ['enrol.g9.m', 300], ['enrol.g9.f', 299]],
      S2: [['cohort.g9_base', 420], ['enrol.g9.m', 200], ['enrol.g9.f', 200]],
      S3: [['cohort.g9_base', 310], ['enrol.g9.m', 150], ['enrol.g9.f', 150]],
      S4: [['cohort.g9_base', 500], ['enrol.g9.m', 240], ['enrol.g9.f', 240]],
    }, [def('compulsory_retention_rate')]);
    expect(p.at('compulsory_retention_rate', 'S1')).toBe('attribute');
    expect(p.at('compulsory_retention_rate', 'S3')).toBe('complementary');
    expect(p.at('compulsory_retention_rate', 'S2')).toBe('published');
    // 120101: 1,299 of 1,332 — 33 not retained: published, and it does not give S1 back.
    expect(p.at('compulsory_retention_rate', '120101')).toBe('published');
    expect(p.recovered).toEqual([]);
  });

  it('7 myopic of 42 screened at a school is withheld too (a group of 7), with complements in the school’s district', () => {
    const orgs = [city, district('120101'), school('P1', '120101', 'primary'), school('P2', '120101', 'primary'), school('P3', '120101', 'primary')];
    const vision = (screened: number, myopic: number): Array<[string, number]> => [['vision.screened.g3.m', screened], ['vision.myopic.g3.m', myopic]];
    const p = publish(orgs, { P1: vision(42, 7), P2: vision(300, 150), P3: vision(200, 90) }, [def('myopia_rate')]);
    expect(p.at('myopia_rate', 'P1')).toBe('attribute');
    expect(p.at('myopia_rate', 'P3')).toBe('complementary');
    expect(p.recovered).toEqual([]);
  });

  it('a district with few kindergarten children: hidden in every indicator that shows the number (毛入园率, 公办园比例, 普惠覆盖率), and the city cannot give it back', () => {
    const orgs = [city, district('120101'), district('120102'), district('120103'),
      school('K1', '120101', 'kindergarten', { inclusive: true }),
      school('K2', '120102', 'kindergarten', { inclusive: true }), school('K3', '120102', 'kindergarten', { ownership: 'private', inclusive: true }),
      school('K4', '120103', 'kindergarten', { inclusive: true })];
    const refs = Object.fromEntries(['120101', '120102', '120103', CITY].map((o) => [`${o}|pop.age3_5`, 1000]));
    const p = publish(orgs, { K1: kg(6), K2: kg(120), K3: kg(60), K4: kg(180) },
      [def('preschool_gross_enrolment_rate'), def('public_kindergarten_share'), def('inclusive_preschool_coverage')], refs);
    expect(p.at('public_kindergarten_share', '120101')).toBe('primary');
    expect(p.at('inclusive_preschool_coverage', '120101')).toBe('primary');
    // 毛入园率 counts the same 6 children (its numerator): withheld with them.
    expect(p.at('preschool_gross_enrolment_rate', '120101')).toBe('primary');
    expect(p.recovered).toEqual([]);
  });

  it('a province: a small county cannot be had as its prefecture city − the other county (members at any depth)', () => {
    // Root (city role) → prefectures P1, P2 (district role) → counties (district role) → kindergartens.
    const orgs = [city, district('P1'), district('P2'),
      { ...district('C11'), parent_code: 'P1' }, { ...district('C12'), parent_code: 'P1' }, { ...district('C21'), parent_code: 'P2' },
      school('K1', 'C11', 'kindergarten', { inclusive: true }), school('K2', 'C12', 'kindergarten', { inclusive: true }),
      school('K3', 'C21', 'kindergarten', { inclusive: true })];
    const p = publish(orgs, { K1: kg(6), K2: kg(120), K3: kg(240) }, [def('public_kindergarten_share')]);
    expect(p.at('public_kindergarten_share', 'C11')).toBe('primary');
    // P1 (126) − C12 (120) would give C11's 6: one of them is withheld too.
    expect([p.at('public_kindergarten_share', 'P1'), p.at('public_kindergarten_share', 'C12')]).toContain('complementary');
    expect(p.recovered).toEqual([]);
  });

  it('a small kindergarten directly under the city, in indicators published for districts and the city: city − districts must not give it', () => {
    const orgs = [city, district('120101'), district('120102'), school('K1', '120101', 'kindergarten', { inclusive: true }),
      school('K2', '120102', 'kindergarten', { inclusive: true }), school('KC', CITY, 'kindergarten', { inclusive: true })];
    const p = publish(orgs, { K1: kg(120), K2: kg(240), KC: kg(6) }, [def('public_kindergarten_share')]);
    // The city is 366 = 120 + 240 + 6: one district is withheld so that the 6 cannot be had.
    expect(p.at('public_kindergarten_share', '120101')).toBe('complementary');
    expect(p.at('public_kindergarten_share', '120102')).toBe('published');
    expect(p.at('public_kindergarten_share', CITY)).toBe('published');
  });

  it('breakdowns: girls hidden in a district take a partner in the district (boys + girls = total) and in the city (Σ districts)', () => {
    const orgs = [city, district('120101'), district('120102'), school('P1', '120101', 'primary'), school('P2', '120102', 'primary')];
    const fit = (m: number, mg: number, f: number, fg: number): Array<[string, number]> =>
      [['fitness.tested.g3.m', m], ['fitness.excellent_good.g3.m', mg], ['fitness.tested.g3.f', f], ['fitness.excellent_good.g3.f', fg]];
    const p = publish(orgs, { P1: fit(40, 20, 5, 2), P2: fit(50, 25, 60, 30) }, [def('fitness_good_rate')]);
    expect(p.at('fitness_good_rate', '120101', 'sex:f')).toBe('primary');
    expect(p.at('fitness_good_rate', '120101', 'sex:m')).toBe('complementary');
    expect(p.at('fitness_good_rate', '120102', 'sex:f')).toBe('complementary');
    expect(p.recovered).toEqual([]);
  });
});
