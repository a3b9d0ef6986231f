/**
 * A small hand-made Tianjin: 2 districts (和平 120101 "A", 滨海 120116 "B"), a few schools,
 * academic years 2020 and 2023. Expected values are worked out by hand in the tests.
 *
 * Kindergarten children (k1–k3 × m/f, split evenly over the 6 codes):
 *   KA1 A public         2020: 60  2023: 72
 *   KA2 A private 普惠    2020: 30  2023: 36
 *   KB1 B private non-普惠 2020: 48  2023: 36
 *   KB2 B public         2020: 42  2023: 66
 * pop.age3_5: 2020 A 100, B 100, city 200; 2023 A 120, B 110, city absent (→ Σ districts 230).
 * Compulsory classes 2023 (≤45 / 46–55 / 56–65 / 66+): PA1 10/4/1/0, JB1 8/2/0/0, NB2 6/0/2/1.
 * Rural teachers 2023 (fulltime, bachelor+): JB1 20/16, NB2 12/12; PA1 is urban (30/27).
 * Retention 2023 (grade-9 enrolment / cohort.g9_base; graduates shown beside): JB1 188 (94 m + 94 f)/200, graduates 196 (the city's 237/250 leaves 13 not retained, above the difference rule's 1–9);
 *   NB2 49 (25 m + 24 f)/50, graduates 48.
 * Fitness 2023 (tested m/f, excellent+good m/f): PA1 g3 30/30, 6/9; JB1 g7 40/5, 10/2; NB2 g8 20/3, 4/1.
 * Vision 2023 (screened m/f, myopic m/f): PA1 g3 30/30, 10/12; JB1 g7 40/5, 20/3; NB2 g8 20/20, 9/11;
 *   KA1 k3 6/6, 1/0 and k1 10/0, 5/0 (k1 is outside the myopia population).
 * Wireless 2023: KA1 1, KA2 0, KB1 1, KB2 1, PA1 1, JB1 0, NB2 1. 学区 2023: PA1 1, JB1 0, NB2 1.
 * University U1 (A) 2023: he.students 1000, he.postgrads 200, prof 100 (dual 45), teachers 80 (master+ 60); pop.total city 1,000,000.
 * Vocational V1 (B) 2023: teachers.specialty 40, dual-qualified 26.
 * attainment.working_age_years city: 2020 12.03, 2023 12.2.
 */
import { recomputeIndicators } from '../../src/services/indicators.ts';
import { createRelease } from '../../src/services/releases.ts';
import type { Store } from '../../src/store/store.ts';

export const A = '120101';
export const B = '120116';
export const CITY = '120000';

type School = { code: string; parent: string; type: string; ownership: 'public' | 'private'; inclusive: boolean | null; urban_rural: 'urban' | 'rural' };
const schools: School[] = [
  { code: '1201010001', parent: A, type: 'kindergarten', ownership: 'public', inclusive: true, urban_rural: 'urban' },
  { code: '1201010002', parent: A, type: 'kindergarten', ownership: 'private', inclusive: true, urban_rural: 'urban' },
  { code: '1201160001', parent: B, type: 'kindergarten', ownership: 'private', inclusive: false, urban_rural: 'rural' },
  { code: '1201160002', parent: B, type: 'kindergarten', ownership: 'public', inclusive: true, urban_rural: 'rural' },
  { code: '1201010003', parent: A, type: 'primary', ownership: 'public', inclusive: null, urban_rural: 'urban' },
  { code: '1201160003', parent: B, type: 'junior', ownership: 'public', inclusive: null, urban_rural: 'rural' },
  { code: '1201160004', parent: B, type: 'nine_year', ownership: 'public', inclusive: null, urban_rural: 'rural' },
  { code: '1201010004', parent: A, type: 'higher_ed', ownership: 'public', inclusive: null, urban_rural: 'urban' },
  { code: '1201160005', parent: B, type: 'vocational', ownership: 'public', inclusive: null, urban_rural: 'rural' },
];
export const S = { KA1: '1201010001', KA2: '1201010002', KB1: '1201160001', KB2: '1201160002', PA1: '1201010003', JB1: '1201160003', NB2: '1201160004', U1: '1201010004', V1: '1201160005' } as const;

const kg = (code: string, year: number, total: number): Array<[string, number, string, number]> =>
  ['k1', 'k2', 'k3'].flatMap((g) => ['m', 'f'].map((s): [string, number, string, number] => [code, year, `enrol.${g}.${s}`, total / 6]));

export function fixtureValues(): Array<[string, number, string, number]> {
  const v: Array<[string, number, string, number]> = [
    ...kg(S.KA1, 2020, 60), ...kg(S.KA2, 2020, 30), ...kg(S.KB1, 2020, 48), ...kg(S.KB2, 2020, 42),
    ...kg(S.KA1, 2023, 72), ...kg(S.KA2, 2023, 36), ...kg(S.KB1, 2023, 36), ...kg(S.KB2, 2023, 66),
  ];
  const add = (code: string, year: number, rec: Record<string, number>): void => { for (const [e, x] of Object.entries(rec)) v.push([code, year, e, x]); };
  add(S.PA1, 2023, { 'classes.cmp.lt46': 10, 'classes.cmp.46_55': 4, 'classes.cmp.56_65': 1, 'classes.cmp.66plus': 0, 'teachers.fulltime': 30, 'teachers.bachelor_plus': 27, 'wireless.covered': 1, 'school_district.member': 1,
    'fitness.tested.g3.m': 30, 'fitness.tested.g3.f': 30, 'fitness.excellent_good.g3.m': 6, 'fitness.excellent_good.g3.f': 9,
    'vision.screened.g3.m': 30, 'vision.screened.g3.f': 30, 'vision.myopic.g3.m': 10, 'vision.myopic.g3.f': 12 });
  add(S.JB1, 2023, { 'classes.cmp.lt46': 8, 'classes.cmp.46_55': 2, 'classes.cmp.56_65': 0, 'classes.cmp.66plus': 0, 'teachers.fulltime': 20, 'teachers.bachelor_plus': 16, 'enrol.g9.m': 94, 'enrol.g9.f': 94, 'graduates.g9': 196, 'cohort.g9_base': 200, 'wireless.covered': 0, 'school_district.member': 0,
    'fitness.tested.g7.m': 40, 'fitness.tested.g7.f': 5, 'fitness.excellent_good.g7.m': 10, 'fitness.excellent_good.g7.f': 2,
    'vision.screened.g7.m': 40, 'vision.screened.g7.f': 5, 'vision.myopic.g7.m': 20, 'vision.myopic.g7.f': 3 });
  add(S.NB2, 2023, { 'classes.cmp.lt46': 6, 'classes.cmp.46_55': 0, 'classes.cmp.56_65': 2, 'classes.cmp.66plus': 1, 'teachers.fulltime': 12, 'teachers.bachelor_plus': 12, 'enrol.g9.m': 25, 'enrol.g9.f': 24, 'graduates.g9': 48, 'cohort.g9_base': 50, 'wireless.covered': 1, 'school_district.member': 1,
    'fitness.tested.g8.m': 20, 'fitness.tested.g8.f': 3, 'fitness.excellent_good.g8.m': 4, 'fitness.excellent_good.g8.f': 1,
    'vision.screened.g8.m': 20, 'vision.screened.g8.f': 20, 'vision.myopic.g8.m': 9, 'vision.myopic.g8.f': 11 });
  add(S.KA1, 2023, { 'wireless.covered': 1, 'vision.screened.k3.m': 6, 'vision.screened.k3.f': 6, 'vision.myopic.k3.m': 1, 'vision.myopic.k3.f': 0, 'vision.screened.k1.m': 10, 'vision.myopic.k1.m': 5 });
  add(S.KA2, 2023, { 'wireless.covered': 0 });
  add(S.KB1, 2023, { 'wireless.covered': 1 });
  add(S.KB2, 2023, { 'wireless.covered': 1 });
  add(S.U1, 2023, { 'he.students': 1000, 'he.postgrads': 200, 'he.prof_postgrads': 100, 'he.prof_postgrads_dual': 45, 'teachers.fulltime': 80, 'teachers.master_plus': 60 });
  add(S.V1, 2023, { 'teachers.specialty': 40, 'teachers.dual_qualified': 26 });
  return v;
}

export const fixtureReferences: Array<[string, number, string, number]> = [
  [A, 2020, 'pop.age3_5', 100], [B, 2020, 'pop.age3_5', 100], [CITY, 2020, 'pop.age3_5', 200],
  [A, 2023, 'pop.age3_5', 120], [B, 2023, 'pop.age3_5', 110],
  [CITY, 2023, 'pop.total', 1_000_000],
  [CITY, 2020, 'attainment.working_age_years', 12.03], [CITY, 2023, 'attainment.working_age_years', 12.2],
];

/** The plan's indicators as `plan show --json` gives them (subset of fields the progress code reads). */
export const fixturePlanIndicators = [
  { code: 'preschool_gross_enrolment_rate', category: 'access', name_zh: '学前三年毛入园率', name_en: 'Preschool GER', unit: '%', nature: 'expected', direction: 'up', baseline: { year: 2020, value: 92.3 }, target: { year: 2025, comparator: '>=', value: 93 } },
  { code: 'compulsory_retention_rate', category: 'access', name_zh: '义务教育巩固率', name_en: 'Retention', unit: '%', nature: 'binding', direction: 'up', baseline: { year: 2020, value: 99 }, target: { year: 2025, comparator: '>', value: 99 } },
  { code: 'working_age_schooling_years', category: 'access', name_zh: '劳动年龄人口平均受教育年限', name_en: 'Schooling years', unit: '年', nature: 'binding', direction: 'up', baseline: { year: 2020, value: 12.03 }, target: { year: 2025, comparator: '>=', value: 12.3 } },
  { code: 'public_kindergarten_share', category: 'structure', name_zh: '公办园在园幼儿比例', name_en: 'Public KG share', unit: '%', nature: 'expected', direction: 'up', baseline: { year: 2020, value: 50 }, target: { year: 2025, comparator: '>', value: 50 } },
  { code: 'large_class_share', category: 'structure', name_zh: '义务教育学校大班额比例', name_en: 'Large classes', unit: '%', nature: 'expected', direction: 'down', baseline: { year: 2020, value: 0 }, target: { year: 2025, comparator: '=', value: 0 } },
  { code: 'balanced_district_share', category: 'quality', name_zh: '义务教育优质均衡区比例', name_en: 'Balanced districts', unit: '%', nature: 'expected', direction: 'up', baseline: { year: 2020, value: 0 }, target: { year: 2025, comparator: '>=', value: 100 } },
  { code: 'fitness_good_rate', category: 'quality', name_zh: '学生体质优良率', name_en: 'Fitness good rate', unit: '%', nature: 'expected', direction: 'up', baseline: { year: 2020, value: 19.9 }, target: { year: 2025, comparator: '>=', value: 50 } },
  { code: 'myopia_rate', category: 'quality', name_zh: '儿童青少年总体近视率', name_en: 'Myopia rate', unit: '%', nature: 'expected', direction: 'down', baseline: { year: 2020, value: 53.5 }, target: { year: 2025, comparator: '<=', value: 48.5 } },
  { code: 'wireless_coverage_rate', category: 'quality', name_zh: '基础教育无线网覆盖率', name_en: 'Wireless', unit: '%', nature: 'expected', direction: 'up', baseline: { year: 2020, value: 42 }, target: { year: 2025, comparator: '>=', value: 100 } },
];

export async function loadFixture(store: Store): Promise<void> {
  await store.db.insertInto('org_unit').values({ code: CITY, name_zh: '天津市', name_en: 'Tianjin', level: 'city', parent_code: null, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null }).execute();
  await store.db.insertInto('org_unit').values([
    { code: A, name_zh: '和平区', name_en: 'Heping', level: 'district', parent_code: CITY, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null },
    { code: B, name_zh: '滨海新区', name_en: 'Binhai', level: 'district', parent_code: CITY, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null },
  ]).execute();
  await store.db.insertInto('org_unit').values(schools.map((s) => ({ code: s.code, name_zh: `学校${s.code.slice(-2)}`, name_en: `School ${s.code.slice(-2)}`, level: 'school' as const, parent_code: s.parent, school_type: s.type, ownership: s.ownership, inclusive: s.inclusive, urban_rural: s.urban_rural, opened: null, closed: null }))).execute();
  await store.db.insertInto('data_value').values(fixtureValues().map(([org_code, year, element, value]) => ({ org_code, year, element, value, source: 'test:fixture' }))).execute();
  await store.db.insertInto('reference_value').values(fixtureReferences.map(([org_code, year, code, value]) => ({ org_code, year, code, value, source: '测试统计公报 / test bulletin' }))).execute();
}

export async function loadFixturePlan(store: Store): Promise<void> {
  await store.db.insertInto('plan_version').values({ plan_code: 'fixture', version: 1, content_hash: 'x', loaded_at: '2026-01-01T00:00:00Z', document: JSON.stringify({ code: 'fixture', indicators: fixturePlanIndicators }), changes: '[]' }).execute();
}

/** 优质均衡 verdicts for the fixture: 4 of 16 districts passing in 2023, none recorded otherwise. */
export const fixtureBalancedVerdicts = async (_s: Store, year: number): Promise<{ passing: number; total: number } | null> => (year === 2023 ? { passing: 4, total: 16 } : null);

/**
 * Release the fixture's years to the public, as the city would (services/releases.ts). The
 * fixture's values come from no import or submission, so completeness is 0 and the release
 * takes an override reason.
 */
export async function releaseFixture(store: Store, years: readonly number[] = [2020, 2023], clock: () => Date = () => new Date('2026-02-01T08:00:00Z')): Promise<void> {
  for (const year of years) {
    await createRelease({ store, clock }, { system: 'cli' }, { year, note: 'test fixture', override_reason: 'test fixture: no submissions' });
  }
}

/** The fixture as the public API sees it: org units, data, plan, computed (with the fixture's 优质均衡 verdicts) and released. */
export async function loadReleasedFixture(store: Store): Promise<void> {
  await loadFixture(store);
  await loadFixturePlan(store);
  await recomputeIndicators(store, { balancedVerdicts: fixtureBalancedVerdicts });
  await releaseFixture(store);
}

/**
 * One more student rated good at a school (S.PA1) in 2023, then 2023 recomputed and released
 * again (version 2): the city's public 学生体质优良率 changes (tests of what a new release does
 * to cached answers).
 */
export async function addOneGoodStudent(store: Store): Promise<void> {
  const row = await store.db.selectFrom('data_value').select(['element', 'value']).where('org_code', '=', S.PA1).where('year', '=', 2023).where('element', 'like', 'fitness.excellent_good.%').orderBy('element').executeTakeFirstOrThrow();
  await store.db.updateTable('data_value').set({ value: Number(row.value) + 1 }).where('org_code', '=', S.PA1).where('year', '=', 2023).where('element', '=', row.element).execute();
  await recomputeIndicators(store, { years: [2023], balancedVerdicts: fixtureBalancedVerdicts });
  await releaseFixture(store, [2023]);
}
