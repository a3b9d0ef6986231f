import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { assessmentCriteria } from '../../src/core/standards/balanced/criteria.ts';
import { assessBalanced, balancedVerdicts } from '../../src/services/assessments/balanced.ts';
import { assessPreschool } from '../../src/services/assessments/preschool.ts';
import { assessmentSchedule, enterItems, recordWorkflow } from '../../src/services/assessments/workflow.ts';
import { allItemsMet as allMet, orgUnit as org, tianjinCityAndDistricts } from '../helpers/assessments.ts';
import { backends } from '../helpers/stores.ts';

const clock = () => new Date('2025-01-15T08:00:00Z');
const YEAR = 2023;
const HEPING = '120101';
const HEDONG = '120102';

/** Whole-school data values: enrolment spread over grades (boys only is enough here) and the 7 resources. */
function schoolValues(code: string, grades: Record<string, number>, r: { above: number; backbone: number; peArts: number; aux: number; sports: number; equip: number; rooms: number }) {
  const rows = Object.entries(grades).map(([g, n]) => ({ org_code: code, year: YEAR, element: `enrol.${g}.m`, value: n, source: 'test' }));
  const el: Record<string, number> = { 'teachers.above_required': r.above, 'teachers.backbone': r.backbone, 'teachers.pe_arts': r.peArts, 'area.teaching_aux_m2': r.aux, 'area.sports_m2': r.sports, 'equipment.value_yuan': r.equip, 'rooms.multimedia': r.rooms };
  return [...rows, ...Object.entries(el).map(([element, value]) => ({ org_code: code, year: YEAR, element, value, source: 'test' }))];
}
const six = (n: number) => ({ g1: n, g2: n, g3: n, g4: n, g5: n, g6: n });
const three = (n: number) => ({ g7: n, g8: n, g9: n });

describe.each(backends)('assessments on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  beforeAll(async () => {
    store = await backend.open();
    await store.db.insertInto('org_unit').values([
      ...tianjinCityAndDistricts(),
      // 和平区: a primary school exactly at every threshold (1200 pupils), a junior school, a nine-year school, a special school.
      org('1201010001', 'school', HEPING, 'primary'), org('1201010002', 'school', HEPING, 'junior'),
      org('1201010003', 'school', HEPING, 'nine_year'), org('1201010004', 'school', HEPING, 'special'),
      org('1201010005', 'school', HEPING, 'kindergarten', { ownership: 'public' }),
      org('1201010006', 'school', HEPING, 'kindergarten', { ownership: 'private', inclusive: true }),
      org('1201010007', 'school', HEPING, 'kindergarten', { ownership: 'private', inclusive: false }),
      // 河东区: every school passes, but equipment value is spread too widely (CV fails).
      org('1201020001', 'school', HEDONG, 'primary'), org('1201020002', 'school', HEDONG, 'primary'), org('1201020003', 'school', HEDONG, 'junior'),
    ]).execute();
    await store.db.insertInto('data_value').values([
      ...schoolValues('1201010001', six(200), { above: 50.4, backbone: 12, peArts: 10.8, aux: 5400, sports: 9000, equip: 2_400_000, rooms: 27.6 }),
      ...schoolValues('1201010002', three(300), { above: 54, backbone: 10, peArts: 9, aux: 6000, sports: 11000, equip: 2_700_000, rooms: 25 }),
      // Nine-year: 600 primary + 399 junior → weights 600 : 438.9; resources chosen to pass both parts.
      ...schoolValues('1201010003', { ...six(100), ...three(133) }, { above: 60, backbone: 12, peArts: 12, aux: 6500, sports: 11000, equip: 2_800_000, rooms: 28 }),
      ...schoolValues('1201010004', six(10), { above: 0, backbone: 0, peArts: 0, aux: 0, sports: 0, equip: 0, rooms: 0 }),
      ...schoolValues('1201020001', six(100), { above: 30, backbone: 6, peArts: 6, aux: 3000, sports: 5000, equip: 1_200_000, rooms: 15 }),
      ...schoolValues('1201020002', six(100), { above: 30, backbone: 6, peArts: 6, aux: 3000, sports: 5000, equip: 9_000_000, rooms: 15 }),
      ...schoolValues('1201020003', three(200), { above: 40, backbone: 8, peArts: 8, aux: 4000, sports: 7000, equip: 1_600_000, rooms: 16 }),
      // Kindergartens: 300 public, 200 inclusive private, 100 other; 3–5-year-olds 700.
      { org_code: '1201010005', year: YEAR, element: 'enrol.k1.m', value: 300, source: 'test' },
      { org_code: '1201010005', year: YEAR, element: 'teachers.fulltime', value: 25, source: 'test' },
      { org_code: '1201010006', year: YEAR, element: 'enrol.k2.f', value: 200, source: 'test' },
      { org_code: '1201010006', year: YEAR, element: 'teachers.fulltime', value: 14, source: 'test' },
      { org_code: '1201010007', year: YEAR, element: 'enrol.k3.m', value: 100, source: 'test' },
      { org_code: '1201010007', year: YEAR, element: 'teachers.fulltime', value: 5, source: 'test' },
    ]).execute();
    await store.db.insertInto('reference_value').values({ org_code: HEPING, year: YEAR, code: 'pop.age3_5', value: 700, source: 'test census' }).execute();
  });
  afterAll(async () => store?.dispose());

  it('assesses a district from stored data: both levels, 一贯制 split, special school excluded, incomplete until items are entered', async () => {
    const r = await assessBalanced(store, { district: HEPING, year: YEAR });
    expect(r.levels.primary.schools.map((s) => s.code)).toEqual(['1201010001', '1201010003']);
    expect(r.levels.junior.schools.map((s) => s.code)).toEqual(['1201010002', '1201010003']);
    expect(r.levels.primary.excluded).toEqual([expect.objectContaining({ code: '1201010004', reason: 'type_out_of_scope' })]);
    const p1 = r.levels.primary.schools[0];
    expect(p1?.met).toBe(7);
    expect(p1?.values.teachers_above_required_per_100).toBe(4.2); // 50.4 / 1200 × 100, exactly at the threshold
    const nineJunior = r.levels.junior.schools[1];
    expect(nineJunior?.share).toBeCloseTo((399 * 1.1) / (600 + 399 * 1.1), 12);
    expect(r.resources_pass).toBe(true);
    expect(r.verdict).toBe('incomplete');
    expect(r.pass).toBe(false);
    expect(r.explanation_en[0]).toMatch(/incomplete/);
    expect(r.workflow.state).toBe('not_started');
  });

  it('enters items with evidence (idempotently) and the verdict becomes a pass', async () => {
    const doc = allMet(assessmentCriteria.balanced.items);
    const first = await enterItems(store, { kind: 'balanced', district: HEPING, year: YEAR, doc, actor: 'heping-bureau', clock });
    expect(first).toEqual({ entries: doc.entries.length, changed: doc.entries.length });
    const again = await enterItems(store, { kind: 'balanced', district: HEPING, year: YEAR, doc, actor: 'heping-bureau', clock });
    expect(again.changed).toBe(0);
    const r = await assessBalanced(store, { district: HEPING, year: YEAR });
    expect(r.verdict).toBe('pass');
    expect(r.pass).toBe(true);
  });

  it('a district where every school passes but one CV fails: verdict fails, what-if names the school and the yuan to add', async () => {
    const r = await assessBalanced(store, { district: HEDONG, year: YEAR });
    expect(r.levels.primary.schools_pass).toBe(true);
    expect(r.levels.primary.indicators.equipment_value_per_student.cv_pass).toBe(false);
    expect(r.levels.primary.cv_pass).toBe(false);
    expect(r.verdict).toBe('fail');
    const w = r.levels.primary.what_if;
    expect(w?.pass_after).toBe(true);
    expect(w?.changes.map((c) => [c.code, c.indicator])).toEqual([['1201020001', 'equipment_value_per_student']]);
    expect(r.levels.junior.what_if).toBeUndefined();
  });

  it('runs the workflow with expert comments, refuses submitting a failing district, and feeds balancedVerdicts', async () => {
    await recordWorkflow(store, { kind: 'balanced', district: HEPING, year: YEAR, action: 'self_evaluate', on_date: '2024-03-01', actor: 'heping', clock });
    await recordWorkflow(store, { kind: 'balanced', district: HEPING, year: YEAR, action: 'city_assess', on_date: '2024-05-10', actor: 'city-experts', item_comments: { 'gov.05': '抽查班额均符合要求', 'resource.sports_area_per_student': '九年一贯制校区运动场地紧张' }, clock });
    await expect(recordWorkflow(store, { kind: 'balanced', district: HEPING, year: YEAR, action: 'certify', on_date: '2024-06-01', actor: 'moe', clock })).rejects.toThrow(/not allowed/);
    await recordWorkflow(store, { kind: 'balanced', district: HEPING, year: YEAR, action: 'submit', on_date: '2024-06-01', actor: 'city', clock });
    const done = await recordWorkflow(store, { kind: 'balanced', district: HEPING, year: YEAR, action: 'certify', on_date: '2025-03-28', actor: 'moe', clock });
    expect(done).toMatchObject({ state: 'certified', certified_on: '2025-03-28', verdict: 'pass' });
    // Recording the same step again (a retry) is a no-op, not a second certification.
    await recordWorkflow(store, { kind: 'balanced', district: HEPING, year: YEAR, action: 'certify', on_date: '2025-03-28', actor: 'moe', clock });
    const certs = await store.db.selectFrom('assessment_event').select('id').where('district_code', '=', HEPING).where('action', '=', 'certify').execute();
    expect(certs).toHaveLength(1);
    const r = await assessBalanced(store, { district: HEPING, year: YEAR });
    expect(r.items.find((i) => i.code === 'gov.05')?.expert_comment).toBe('抽查班额均符合要求');
    // Items are locked after submission.
    await expect(enterItems(store, { kind: 'balanced', district: HEPING, year: YEAR, doc: { entries: [{ code: 'gov.01', met: false }] }, actor: 'x', clock })).rejects.toThrow(EduplanError);

    await recordWorkflow(store, { kind: 'balanced', district: HEDONG, year: YEAR, action: 'self_evaluate', on_date: '2024-03-01', actor: 'hedong', clock });
    await recordWorkflow(store, { kind: 'balanced', district: HEDONG, year: YEAR, action: 'city_assess', on_date: '2024-05-01', actor: 'city', clock });
    const refused = await recordWorkflow(store, { kind: 'balanced', district: HEDONG, year: YEAR, action: 'submit', on_date: '2024-06-01', actor: 'city', clock }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EduplanError);
    expect((refused as EduplanError).code).toBe('E_ASSESSMENT_WORKFLOW');
    expect((refused as EduplanError).problems.map((p) => p.message_en).join('\n')).toMatch(/equipment value per student: CV/i);

    const v = await balancedVerdicts(store, YEAR);
    expect(v).toHaveLength(16);
    expect(v.find((x) => x.district === HEPING)).toMatchObject({ pass: true, certified: true, certified_on: '2025-03-28', verdict: 'pass' });
    expect(v.find((x) => x.district === HEDONG)).toMatchObject({ pass: false, verdict: 'fail', assessment_pass: false, state: 'city_assessed' });
    expect(v.filter((x) => x.verdict === 'no_data')).toHaveLength(14);
  });

  it('compares the schedule with what happened and computes 义务教育优质均衡区比例 from certifications', async () => {
    const s = await assessmentSchedule(store, 'balanced', 2025);
    expect(s.kpi).toMatchObject({ certified: 1, total: 16, value: 1 / 16 });
    expect(s.by_year.find((y) => y.year === 2025)).toMatchObject({ planned_certified: 16, certified: 1, status: 'behind' });
    expect(s.districts.find((d) => d.district === HEPING)).toMatchObject({ state: 'certified', submitted_on: '2024-06-01', certified_on: '2025-03-28' });
    const pre = await assessmentSchedule(store, 'preschool', 2023);
    expect(pre.by_year.find((y) => y.year === 2021)).toMatchObject({ planned_submitted: 4, submitted: 0, status: 'behind' });
  });

  it('assesses 普及普惠 from kindergartens and the 3–5 population, thresholds apart from plan targets', async () => {
    const r = await assessPreschool(store, { district: HEPING, year: YEAR });
    const by = Object.fromEntries(r.computed.map((c) => [c.key, c]));
    expect(by.gross_enrolment_rate).toMatchObject({ numerator: 600, denominator: 700, status: 'met', threshold: 0.85 });
    expect(by.inclusive_coverage?.value).toBeCloseTo(500 / 600, 12);
    expect(by.public_share?.value).toBe(0.5);
    expect(by.teacher_child_ratio?.status).toBe('met'); // 44 teachers for 600 children ≥ 1:15
    expect(by.gross_enrolment_rate?.plan_target).toEqual({ 2025: 0.93 });
    expect(r.verdict).toBe('incomplete');
    await enterItems(store, { kind: 'preschool', district: HEPING, year: YEAR, doc: allMet(assessmentCriteria.preschool.items), actor: 'heping', clock });
    expect((await assessPreschool(store, { district: HEPING, year: YEAR })).verdict).toBe('pass');
  });

  it('answers clear errors for an unknown district and a year without data', async () => {
    await expect(assessBalanced(store, { district: '110101', year: YEAR })).rejects.toMatchObject({ code: 'E_ORG_UNKNOWN' });
    await expect(assessBalanced(store, { district: HEPING, year: 2019 })).rejects.toMatchObject({ code: 'E_ASSESSMENT_NO_DATA' });
  });
});
