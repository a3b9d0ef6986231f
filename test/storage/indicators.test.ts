/**
 * Indicator precomputation on a real store (PGlite, and PostgreSQL when EDUPLAN_TEST_PG_URL
 * is set), on the hand-made fixture of indicators.fixture.ts. Every expected number is
 * worked out by hand from the fixture's table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeIndicators, readCells, type StoredCell } from '../../src/services/indicators.ts';
import { getDistrictValues, getProgress, getSeries } from '../../src/services/progress.ts';
import { backends } from '../helpers/stores.ts';
import { A, B, CITY, S, loadFixture, loadFixturePlan, releaseFixture } from './indicators.fixture.ts';

describe.each(backends)('indicators on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  let cells: StoredCell[];
  const cell = (indicator: string, org: string, year = 2023, dis = ''): StoredCell | undefined =>
    cells.find((c) => c.indicator === indicator && c.org_code === org && c.year === year && c.disaggregation === dis);

  beforeAll(async () => {
    store = await backend.open();
    await loadFixture(store);
    await loadFixturePlan(store);
    // 4 of 16 districts pass the 优质均衡 assessment in 2023; none assessed in 2020.
    const r = await recomputeIndicators(store, { balancedVerdicts: async (_s, year) => (year === 2023 ? { passing: 4, total: 16 } : null) });
    expect(r.years).toEqual([2020, 2023]);
    cells = await readCells(store, {});
    await releaseFixture(store);
  }, 60_000);
  afterAll(async () => { await store?.dispose(); });

  it('inclusive coverage counts public + 普惠 private children, over all children, summed then divided', () => {
    // 2023 city: (72 + 36 + 66) / (72 + 36 + 36 + 66) = 174/210
    expect(cell('inclusive_preschool_coverage', CITY)?.value).toBeCloseTo((174 / 210) * 100, 9);
    expect(cell('inclusive_preschool_coverage', A)?.value).toBeCloseTo(100, 9);
    expect(cell('inclusive_preschool_coverage', B)?.value).toBeCloseTo((66 / 102) * 100, 9);
    // 2020: (60 + 30 + 42)/180
    expect(cell('inclusive_preschool_coverage', CITY, 2020)?.value).toBeCloseTo((132 / 180) * 100, 9);
    expect(cell('public_kindergarten_share', CITY)?.value).toBeCloseTo((138 / 210) * 100, 9);
  });

  it('preschool GER divides by the population aged 3–5; the city falls back to the districts’ sum when it has no value', () => {
    expect(cell('preschool_gross_enrolment_rate', A)?.value).toBeCloseTo((108 / 120) * 100, 9);
    expect(cell('preschool_gross_enrolment_rate', CITY)?.value).toBeCloseTo((210 / 230) * 100, 9);
    expect(cell('preschool_gross_enrolment_rate', CITY, 2020)?.value).toBeCloseTo((180 / 200) * 100, 9);
    expect(cell('preschool_gross_enrolment_rate', CITY)?.inputs.reference?.source).toMatch(/Σ districts/);
  });

  it('large-class share aggregates classes, not school percentages', () => {
    // (1 + 2 + 1) / (15 + 10 + 9); the mean of school shares would be (6.67 + 0 + 33.3)/3 = 13.3
    expect(cell('large_class_share', CITY)?.value).toBeCloseTo((4 / 34) * 100, 9);
    expect(cell('large_class_share', B)?.value).toBeCloseTo((3 / 19) * 100, 9);
    expect(cell('large_class_share', S.PA1)?.value).toBeCloseTo((1 / 15) * 100, 9);
  });

  it('retention, rural teachers, vocational and university ratios', () => {
    // The graduating class (grade-9 enrolment), not the graduates, over the cohort base; graduates kept beside it.
    expect(cell('compulsory_retention_rate', CITY)).toMatchObject({ numerator: 237, denominator: 250, inputs: { schools: 2, beside: { graduates: 244 } } });
    expect(cell('compulsory_retention_rate', CITY)?.value).toBeCloseTo((237 / 250) * 100, 9);
    expect(cell('compulsory_retention_rate', S.NB2)?.value).toBeCloseTo((49 / 50) * 100, 9);
    expect(cell('rural_teacher_bachelor_share', B)?.value).toBeCloseTo((28 / 32) * 100, 9);
    expect(cell('rural_teacher_bachelor_share', A)).toBeUndefined(); // A has no rural compulsory school
    expect(cell('vocational_dual_teacher_share', CITY)?.value).toBeCloseTo(65, 9);
    expect(cell('university_master_teacher_share', CITY)?.value).toBeCloseTo(75, 9);
    expect(cell('dual_supervisor_share', CITY)?.value).toBeCloseTo(45, 9);
    expect(cell('higher_ed_students_per_100k', CITY)?.value).toBeCloseTo(120, 9);
  });

  it('fitness and myopia: sums over grades, k1 outside the myopia population, sex disaggregation', () => {
    expect(cell('fitness_good_rate', CITY)?.value).toBeCloseTo((32 / 128) * 100, 9);
    expect(cell('myopia_rate', CITY)?.value).toBeCloseTo((66 / 157) * 100, 9);
    expect(cell('myopia_rate', CITY)?.denominator).toBe(157);
    expect(cell('fitness_good_rate', CITY, 2023, 'sex:f')?.value).toBeCloseTo((12 / 38) * 100, 9);
    expect(cell('fitness_good_rate', CITY, 2023, 'stage:junior')?.value).toBeCloseTo((17 / 68) * 100, 9);
    // schools publish totals only
    expect(cell('fitness_good_rate', S.JB1, 2023, 'sex:f')).toBeUndefined();
  });

  it('reference values and the balanced-district computation', () => {
    expect(cell('working_age_schooling_years', CITY)?.value).toBe(12.2);
    expect(cell('working_age_schooling_years', CITY)?.inputs.reference?.source).toBe('测试统计公报 / test bulletin');
    expect(cell('balanced_district_share', CITY)?.value).toBeCloseTo(25, 9);
    // 2020: no verdicts → no data, not zero
    expect(cell('balanced_district_share', CITY, 2020)?.value).toBeNull();
  });

  it('suppresses cells under 10 students/schools, with complementary suppression', () => {
    // wireless: 7 schools in the city → every level is under 10 schools
    expect(cell('wireless_coverage_rate', CITY)).toMatchObject({ suppressed: true, suppression: 'primary', value: 5 / 7 * 100 });
    // B's girls tested: 5 + 3 = 8 → primary; B's boys (60) complementary (boys + girls = B's total).
    // A's girls: 9 of 30 rated good, A's boys 6 of 30 — groups of fewer than 10 persons (attribute).
    expect(cell('fitness_good_rate', B, 2023, 'sex:f')).toMatchObject({ suppressed: true, suppression: 'primary' });
    expect(cell('fitness_good_rate', B, 2023, 'sex:m')).toMatchObject({ suppressed: true, suppression: 'complementary' });
    expect(cell('fitness_good_rate', A, 2023, 'sex:f')).toMatchObject({ suppressed: true, suppression: 'attribute' });
    expect(cell('fitness_good_rate', A, 2023, 'sex:m')).toMatchObject({ suppressed: true, suppression: 'attribute' });
    expect(cell('fitness_good_rate', CITY, 2023, 'sex:f')?.suppressed).toBe(false);
    // B's total (= the city's rural part: every B school is rural, every A school urban) is
    // withheld as well since the urban/rural breakdown was added: the complementary search
    // protects B's girls (3) and NB2 through it. More withheld than strictly needed in this
    // two-district fixture; the property tests check that nothing withheld can be recovered.
    expect(cell('fitness_good_rate', B)).toMatchObject({ suppressed: true, suppression: 'complementary' });
    // NB2: 9 classes → primary; JB1 (10 classes) is the only sibling → complementary
    expect(cell('large_class_share', S.NB2)).toMatchObject({ suppressed: true, suppression: 'primary' });
    expect(cell('large_class_share', S.JB1)).toMatchObject({ suppressed: true, suppression: 'complementary' });
    expect(cell('large_class_share', S.PA1)?.suppressed).toBe(false);
    // Retention: NB2 49 of 50 tells that 1 pupil was not retained (attribute); JB1 (188/200) is
    // B's only other school, so it goes too; B and the city (237/250) are published.
    expect(cell('compulsory_retention_rate', S.NB2)).toMatchObject({ suppressed: true, suppression: 'attribute' });
    expect(cell('compulsory_retention_rate', S.JB1)).toMatchObject({ suppressed: true, suppression: 'complementary' });
    expect(cell('compulsory_retention_rate', B)?.suppressed).toBe(false);
  });

  it('re-running is idempotent: same cells, replaced not duplicated', async () => {
    const before = cells.length;
    await recomputeIndicators(store, { years: [2023], balancedVerdicts: async (_s, year) => (year === 2023 ? { passing: 4, total: 16 } : null) });
    const after = await readCells(store, {});
    expect(after.length).toBe(before);
  });

  it('progress for the city: statuses worked by hand', async () => {
    const items = await getProgress(store, { year: 2023 });
    const by = new Map(items.map((i) => [i.code, i]));
    // Fitness 19.9 → 50 (2025); 2023 = 25.0: CAGR_o = (25/19.9)^(1/3) − 1 = 7.902 %, CAGR_r = (50/19.9)^(1/5) − 1 = 20.233 %, R = 0.3905 → limited
    expect(by.get('fitness_good_rate')).toMatchObject({ status: 'limited', method: 'cagr', year: 2023, time_share: 0.6 });
    expect(by.get('fitness_good_rate')?.ratio).toBeCloseTo(0.390545, 5);
    // Myopia 53.5 → ≤ 48.5; 42.04 already below → achieved
    expect(by.get('myopia_rate')?.status).toBe('achieved');
    // GER 92.3 → 93; 91.30 fell → deteriorating
    expect(by.get('preschool_gross_enrolment_rate')?.status).toBe('deteriorating');
    // Retention is a keep target (>99 from 99), binding: 94.8 → off_track, not met
    expect(by.get('compulsory_retention_rate')).toMatchObject({ status: 'off_track', met: false, method: 'keep' });
    // Working-age schooling 12.03 → 12.3 binding; 12.2 in 2023: R = 1.054 → on_track, not yet met
    expect(by.get('working_age_schooling_years')).toMatchObject({ status: 'on_track', met: false });
    // Balanced share from a zero baseline: linear rates (25/3)/(100/5) = 0.41667 → limited
    expect(by.get('balanced_district_share')).toMatchObject({ status: 'limited', method: 'linear' });
    expect(by.get('balanced_district_share')?.ratio).toBeCloseTo(0.416667, 5);
    expect(by.get('balanced_district_share')?.distance_share).toBeCloseTo(0.25, 9);
    // Large classes: = 0 from 0, 11.8 % now → off_track
    expect(by.get('large_class_share')?.status).toBe('off_track');
    // Wireless is suppressed: no value, no status from hidden numbers
    expect(by.get('wireless_coverage_rate')).toMatchObject({ suppressed: true, value: null, status: 'insufficient_data' });
    expect(by.get('fitness_good_rate')?.explanation.text_zh).toContain('2023年为 25.0%');
  });

  it('district progress uses the district’s own earliest value as baseline', async () => {
    const items = await getProgress(store, { year: 2023, org: A });
    const ger = items.find((i) => i.code === 'preschool_gross_enrolment_rate');
    // A: 90 % in 2020 and in 2023 → CAGR 0 → R = 0 → limited
    expect(ger).toMatchObject({ baseline: { year: 2020, value: 90, origin: 'data' }, value: 90, status: 'limited', ratio: 0 });
  });

  it('a district whose own 2020 value already meets the target: a keep judgement, no negative distance, a flat expected path', async () => {
    // A's public share: 60/90 = 66.7 % in 2020 and 72/108 = 66.7 % in 2023, against the city's ＞50 %.
    const items = await getProgress(store, { year: 2023, org: A });
    const pub = items.find((i) => i.code === 'public_kindergarten_share');
    expect(pub).toMatchObject({ baseline: { year: 2020, origin: 'data' }, status: 'achieved', method: 'keep', distance_share: null, ratio: null });
    expect(pub?.baseline?.value).toBeCloseTo((60 / 90) * 100, 9);
    expect(pub?.explanation.text_zh).toContain('基线已满足目标');
    const series = await getSeries(store, 'public_kindergarten_share', A);
    expect(series.baseline).toMatchObject({ year: 2020, origin: 'data' });
    expect(series.trajectory.map((p) => p.value)).toEqual([50, 50, 50, 50, 50, 50]);
    // The city measures from the plan's baseline, stated as such.
    const city = (await getProgress(store, { year: 2023 })).find((i) => i.code === 'public_kindergarten_share');
    expect(city?.baseline).toEqual({ year: 2020, value: 50, origin: 'plan' });
  });

  it('as of the target year every indicator with a value has a final verdict: achieved or not_achieved', async () => {
    for (const org of [CITY, A, B]) {
      const items = await getProgress(store, { year: 2025, org });
      const withValue = items.filter((i) => i.value !== null);
      expect(withValue.length).toBeGreaterThan(0);
      for (const i of withValue) expect(['achieved', 'not_achieved'], `${org} ${i.code} ${i.status}`).toContain(i.status);
    }
    const city = new Map((await getProgress(store, { year: 2025 })).map((i) => [i.code, i]));
    // Fitness 25.0 % (2023, the latest) against ≥ 50 %: not achieved, said to be judged on 2023.
    expect(city.get('fitness_good_rate')).toMatchObject({ status: 'not_achieved', year: 2023 });
    expect(city.get('fitness_good_rate')?.explanation.text_en).toContain('judged on 2023, the latest value available');
    expect(city.get('compulsory_retention_rate')).toMatchObject({ status: 'not_achieved', met: false });
    expect(city.get('myopia_rate')?.status).toBe('achieved');
  });

  it('the 毛入园率 explanation counts the kindergartens behind its numerator', async () => {
    const ger = (await getProgress(store, { year: 2023 })).find((i) => i.code === 'preschool_gross_enrolment_rate');
    expect(ger?.explanation.inputs.find((i) => i.name_en === 'kindergartens counted (either side)')?.value).toBe(4);
  });

  it('series and district values hide suppressed numbers', async () => {
    const s = await getSeries(store, 'preschool_gross_enrolment_rate', CITY);
    expect(s.points.map((p) => p.year)).toEqual([2020, 2023]);
    expect(s.trajectory[3]?.value).toBeCloseTo(92.3 + 0.7 * 0.6, 9);
    const w = await getDistrictValues(store, 'wireless_coverage_rate', 2023);
    // One row per district stored under the root (this fixture stores two), not a constant 16.
    const stored = await store.db.selectFrom('org_unit').select('code').where('level', '=', 'district').execute();
    expect(w.map((d) => d.org_code).sort()).toEqual(stored.map((d) => d.code).sort());
    expect(w).toHaveLength(2);
    const b = w.find((d) => d.org_code === B);
    expect(b).toMatchObject({ suppressed: true, value: null, numerator: null, denominator: null });
  });

  it('district values carry each district’s progress status, the same as its own progress', async () => {
    const w = await getDistrictValues(store, 'preschool_gross_enrolment_rate', 2023);
    // A: 90 % in 2020 and 2023 → limited (worked above); a district without data: insufficient_data.
    expect(w.find((d) => d.org_code === A)?.status).toBe('limited');
    for (const d of w) {
      const own = (await getProgress(store, { year: 2023, org: d.org_code }).catch(() => null))?.find((i) => i.code === 'preschool_gross_enrolment_rate');
      expect(d.status).toBe(own?.status ?? 'insufficient_data');
    }
  });
});
