import { describe, expect, it } from 'vitest';
import { compileAtoms, evaluateIndicators, matchesFilter, termCodes, type EngineOrgUnit } from './engine.ts';
import { indicatorByCode, indicatorDefinitions } from './definitions.ts';
import type { IndicatorDef } from './types.ts';

const org = (code: string, level: EngineOrgUnit['level'], parent: string | null, over: Partial<EngineOrgUnit> = {}): EngineOrgUnit =>
  ({ code, level, parent_code: parent, school_type: null, ownership: null, inclusive: null, urban_rural: null, ...over });

const def = (code: string): IndicatorDef => {
  const d = indicatorByCode.get(code);
  if (!d) throw new Error(`no definition ${code}`);
  return d;
};

const atoms = compileAtoms(indicatorDefinitions);

function values(rec: Record<string, Record<string, number>>): Map<string, Float64Array> {
  // Sum each school's concrete codes into the atoms, as the service does (NaN = not reported).
  const out = new Map<string, Float64Array>();
  for (const [school, codes] of Object.entries(rec)) {
    const m = new Float64Array(atoms.atoms.length).fill(NaN);
    for (const a of atoms.atoms) {
      let sum = 0;
      let present = false;
      for (const c of a.codes) if (codes[c] !== undefined) { sum += codes[c]; present = true; }
      if (present) m[a.id] = sum;
    }
    out.set(school, m);
  }
  return out;
}

describe('indicator definitions', () => {
  it('define exactly the plan’s 20 indicator codes, each citing a source', () => {
    expect(indicatorDefinitions.map((d) => d.code)).toEqual([
      'preschool_gross_enrolment_rate', 'compulsory_retention_rate', 'senior_secondary_gross_enrolment_rate', 'higher_ed_gross_enrolment_rate',
      'higher_ed_students_per_100k', 'working_age_schooling_years', 'new_workforce_schooling_years', 'lifelong_learning_participations',
      'public_kindergarten_share', 'inclusive_preschool_coverage', 'school_district_system_share', 'large_class_share', 'rural_teacher_bachelor_share',
      'balanced_district_share', 'fitness_good_rate', 'myopia_rate', 'wireless_coverage_rate', 'vocational_dual_teacher_share',
      'university_master_teacher_share', 'dual_supervisor_share',
    ]);
    for (const d of indicatorDefinitions) expect(d.sources.length).toBeGreaterThan(0);
  });

  it('expand grade × sex elements through the catalogue', () => {
    expect(termCodes({ element: 'enrol', grades: ['k1'] }).sort()).toEqual(['enrol.k1.f', 'enrol.k1.m']);
    expect(termCodes({ element: 'vision.myopic', grades: ['k3', 'g1'], sexes: ['f'] }).sort()).toEqual(['vision.myopic.g1.f', 'vision.myopic.k3.f']);
    expect(() => termCodes({ element: 'no.such' })).toThrow(/not in the catalogue/);
  });

  it('filters on org attributes', () => {
    const kg = org('1', 'school', 'd', { school_type: 'kindergarten', ownership: 'private', inclusive: true, urban_rural: 'rural' });
    expect(matchesFilter(kg, { types: ['kindergarten'], ownership: 'private', inclusive: true })).toBe(true);
    expect(matchesFilter(kg, { ownership: 'public' })).toBe(false);
    expect(matchesFilter(kg, { urban_rural: ['urban', 'town'] })).toBe(false);
    expect(matchesFilter(kg, { stages: ['preschool'] })).toBe(true);
    expect(matchesFilter(org('2', 'school', 'd', { school_type: 'nine_year' }), { stages: ['junior'] })).toBe(true);
  });
});

describe('evaluateIndicators', () => {
  const units = [
    org('120000', 'city', null), org('120101', 'district', '120000'), org('120102', 'district', '120000'),
    org('s1', 'school', '120101', { school_type: 'primary' }), org('s2', 'school', '120101', { school_type: 'junior' }),
    org('s3', 'school', '120102', { school_type: 'primary' }),
  ];
  const run = (codes: string[], schoolValues: Map<string, Float64Array>, refs: Record<string, number> = {}, balanced: { passing: number; total: number } | null = null) =>
    evaluateIndicators({
      defs: codes.map(def), year: 2023, cityCode: '120000', orgUnits: units, atoms, schoolValues,
      references: new Map(Object.entries(refs).map(([k, v]) => [k, { value: v, source: 'src' }])), balanced,
    });

  it('a ratio aggregates numerator and denominator, never the mean of school percentages', () => {
    // District 120101: s1 has 1 large class of 10 (10 %), s2 none of 90 (0 %).
    const cells = run(['large_class_share'], values({
      s1: { 'classes.cmp.lt46': 9, 'classes.cmp.56_65': 1 },
      s2: { 'classes.cmp.lt46': 90 },
      s3: { 'classes.cmp.lt46': 20, 'classes.cmp.66plus': 5 },
    }));
    const v = (o: string) => cells.find((c) => c.org_code === o)?.value;
    expect(v('s1')).toBeCloseTo(10, 9);
    expect(v('120101')).toBeCloseTo((1 / 100) * 100, 9); // not (10 + 0)/2 = 5
    expect(v('120102')).toBeCloseTo((5 / 25) * 100, 9);
    expect(v('120000')).toBeCloseTo((6 / 125) * 100, 9);
    expect(cells.find((c) => c.org_code === '120000')).toMatchObject({ numerator: 6, denominator: 125, basis: 125, inputs: { schools: 3 } });
  });

  it('disaggregations restrict grade × sex terms', () => {
    const cells = run(['myopia_rate'], values({
      s1: { 'vision.screened.g1.m': 50, 'vision.screened.g1.f': 40, 'vision.myopic.g1.m': 10, 'vision.myopic.g1.f': 20 },
    }));
    const city = (dis: string) => cells.find((c) => c.org_code === '120000' && c.disaggregation === dis);
    expect(city('')?.value).toBeCloseTo((30 / 90) * 100, 9);
    expect(city('sex:f')?.value).toBeCloseTo(50, 9);
    expect(city('stage:primary')?.value).toBeCloseTo((30 / 90) * 100, 9);
    expect(city('stage:junior')).toBeUndefined();
  });

  it('population ratios: a district with the reference value but no schools has no value, not 0 %', () => {
    const cells = run(['preschool_gross_enrolment_rate'], values({}), { '120101|pop.age3_5': 100 });
    expect(cells.find((c) => c.org_code === '120101')).toMatchObject({ value: null, numerator: null, denominator: 100 });
  });

  it('reference indicators copy the value with its source; no reference → no cell', () => {
    const cells = run(['working_age_schooling_years'], values({}), { '120000|attainment.working_age_years': 12.2 });
    expect(cells).toEqual([expect.objectContaining({ org_code: '120000', value: 12.2, basis: null, inputs: { reference: { code: 'attainment.working_age_years', value: 12.2, source: 'src', org_code: '120000' } } })]);
  });

  it('balanced-district share: passing ÷ 16, or no data without verdicts (never a made-up number)', () => {
    expect(run(['balanced_district_share'], values({}), {}, { passing: 4, total: 16 })[0]?.value).toBe(25);
    expect(run(['balanced_district_share'], values({}), {}, null)[0]).toMatchObject({ value: null, inputs: { note: 'no_assessment_verdicts' } });
  });

  it('count of schools: wireless share counts reporting schools only', () => {
    const kg = { ...units[3], code: 'k1', school_type: 'kindergarten' } as EngineOrgUnit;
    const cells = evaluateIndicators({
      defs: [def('wireless_coverage_rate')], year: 2023, cityCode: '120000', orgUnits: [...units, kg], atoms,
      schoolValues: values({ s1: { 'wireless.covered': 1 }, s2: { 'wireless.covered': 0 }, k1: { 'wireless.covered': 1 }, s3: { 'enrol.g1.m': 5 } }), references: new Map(), balanced: null,
    });
    expect(cells.find((c) => c.org_code === '120000')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(cells.find((c) => c.org_code === '120102')).toBeUndefined();
  });
});
