/**
 * The assessment use cases as the routes, the CLI and the demo call them
 * (`useCase(deps, caller, input)`, src/services/assessments/): their answers have exactly the
 * contract's shapes, they authorise for accounts and let the system through, they record who
 * acted, and one export serves the workspace download and `eduplan assess export`.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/core/auth/roles.ts';
import { assessmentCriteria } from '../../src/core/standards/balanced/criteria.ts';
import {
  balancedDistrictResult, itemsEntryResult, levelWithWhatIf, preschoolDistrictResult, scheduleResult, verdictsResponse, workflowStepResult,
} from '../../src/contract/assessments.ts';
import { balancedAssessment, districtVerdicts, evaluateBalanced } from '../../src/services/assessments/balanced.ts';
import { exportAssessment } from '../../src/services/assessments/export.ts';
import { preschoolAssessment } from '../../src/services/assessments/preschool.ts';
import { enterAssessmentItems, recordAssessmentStep, scheduleProgress } from '../../src/services/assessments/workflow.ts';
import type { Actor, ServiceDeps } from '../../src/services/deps.ts';
import { allItemsMet as allMet, orgUnit as org, tianjinCityAndDistricts } from '../helpers/assessments.ts';
import { backends } from '../helpers/stores.ts';

const YEAR = 2023;
const HEPING = '120101';
const HEDONG = '120102';
const cli = { system: 'cli' } as const;

/** A primary school of `pupils` pupils at every 优质均衡 threshold except equipment (`equip` yuan in all). */
function primary(code: string, pupils: number, equip: number) {
  const v = (element: string, value: number) => ({ org_code: code, year: YEAR, element, value, source: 'test' });
  return [
    v('enrol.g1.m', pupils), v('teachers.above_required', pupils * 0.05), v('teachers.backbone', pupils * 0.012), v('teachers.pe_arts', pupils * 0.01),
    v('area.teaching_aux_m2', pupils * 5), v('area.sports_m2', pupils * 8), v('equipment.value_yuan', equip), v('rooms.multimedia', pupils * 0.025),
  ];
}

let nextId = 100;
function account(username: string, role: Role, orgCode: string): Actor {
  return { account: { id: nextId++, username, displayName: username, grants: [{ role, orgCode }], mfaDone: true, mustChangePassword: false, sessionHash: 'test' }, ip: '10.0.0.7' };
}

describe.each(backends)('assessment use cases on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  let deps: ServiceDeps;
  const reviewerA = account('reviewer_heping', 'district_reviewer', HEPING);
  const reviewerB = account('reviewer_hedong', 'district_reviewer', HEDONG);
  const city = account('city_admin', 'city_admin', '120000');
  const analyst = account('analyst', 'analyst', '120000');
  const school = account('school', 'school_reporter', '1201010001');

  const denials = async (actor: string): Promise<Array<{ org_code: string | null; after: unknown }>> =>
    store.db.selectFrom('audit_event').select(['org_code', 'after']).where('action', '=', 'access.denied').where('actor', '=', actor).orderBy('seq').execute();

  beforeAll(async () => {
    store = await backend.open();
    deps = { store, clock: () => new Date('2025-01-15T08:00:00Z') };
    await store.db.insertInto('org_unit').values([
      ...tianjinCityAndDistricts(),
      org('1201010001', 'school', HEPING, 'primary'), org('1201010002', 'school', HEPING, 'primary'),
      org('1201010009', 'school', HEPING, 'kindergarten', { ownership: 'public' }),
      // 河东区: both schools meet every threshold, but equipment per pupil differs too much (CV fails).
      org('1201020001', 'school', HEDONG, 'primary'), org('1201020002', 'school', HEDONG, 'primary'),
    ]).execute();
    await store.db.insertInto('data_value').values([
      ...primary('1201010001', 400, 1_000_000), ...primary('1201010002', 800, 1_700_000),
      ...primary('1201020001', 400, 800_000), ...primary('1201020002', 400, 9_000_000),
      { org_code: '1201010009', year: YEAR, element: 'enrol.k1.m', value: 300, source: 'test' },
      { org_code: '1201010009', year: YEAR, element: 'teachers.fulltime', value: 25, source: 'test' },
    ]).execute();
    await store.db.insertInto('reference_value').values({ org_code: HEPING, year: YEAR, code: 'pop.age3_5', value: 330, source: 'test census' }).execute();
  });
  afterAll(async () => store?.dispose());

  it('answers in exactly the contract’s shapes (nothing missing from a schema, nothing extra in an answer)', async () => {
    const failing = await balancedAssessment(deps, cli, { district: HEDONG, year: YEAR });
    expect(failing.levels.primary.what_if?.changes.length).toBeGreaterThan(0);
    expect(balancedDistrictResult.parse(failing)).toEqual(failing);
    const passing = await balancedAssessment(deps, cli, { district: HEPING, year: YEAR });
    expect(balancedDistrictResult.parse(passing)).toEqual(passing);
    const pre = await preschoolAssessment(deps, cli, { district: HEPING, year: YEAR });
    expect(preschoolDistrictResult.parse(pre)).toEqual(pre);
    const verdicts = await districtVerdicts(deps, cli, { year: YEAR });
    expect(verdicts.districts).toHaveLength(16);
    expect(verdictsResponse.parse(verdicts)).toEqual(verdicts);
    const schedule = await scheduleProgress(deps, cli, { kind: 'balanced', as_of: 2025 });
    expect(scheduleResult.parse(schedule)).toEqual(schedule);
    const level = evaluateBalanced({ doc: { level: 'primary', schools: [{ code: 'X', enrolment: 500, teachers_above_required: 1, backbone_teachers: 5, pe_arts_teachers: 4.5, teaching_aux_area_m2: 2900, sports_area_m2: 5100, equipment_value_yuan: 1_250_000, multimedia_classrooms: 12 }] } });
    expect(level.what_if?.pass_after).toBe(true);
    expect(levelWithWhatIf.parse(level)).toEqual(level);
  });

  it('authorises in the service: readers, district writers and the city; a refusal is E_FORBIDDEN and audited with the district', async () => {
    await expect(balancedAssessment(deps, reviewerB, { district: HEPING, year: YEAR })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    expect(await denials('reviewer_hedong')).toEqual([{ org_code: HEPING, after: { attempted: 'scope:submission.read' } }]);
    await expect(preschoolAssessment(deps, school, { district: HEPING, year: YEAR })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    // The district's reviewer reads their district, not the city-wide views.
    expect((await balancedAssessment(deps, reviewerA, { district: HEPING, year: YEAR })).district).toBe(HEPING);
    await expect(districtVerdicts(deps, reviewerA, { year: YEAR })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    await expect(scheduleProgress(deps, reviewerA, { kind: 'preschool' })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    expect((await denials('reviewer_heping')).map((d) => d.org_code)).toEqual(['120000', '120000']);
    expect((await districtVerdicts(deps, analyst, { year: YEAR })).districts).toHaveLength(16);
    // An analyst reads but does not enter.
    await expect(enterAssessmentItems(deps, analyst, { kind: 'balanced', district: HEPING, year: YEAR, doc: allMet(assessmentCriteria.balanced.items) })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    // A code outside Tianjin is refused to an account (probing reveals nothing) and explained to the operator.
    await expect(balancedAssessment(deps, city, { district: '110101', year: YEAR })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    await expect(balancedAssessment(deps, cli, { district: '110101', year: YEAR })).rejects.toMatchObject({ code: 'E_ORG_UNKNOWN' });
  });

  it('lets the district self-evaluate and only the city take the city’s steps; the system may take any', async () => {
    const step = { kind: 'preschool' as const, district: HEPING, year: YEAR };
    expect((await recordAssessmentStep(deps, reviewerA, { ...step, action: 'self_evaluate', on_date: '2024-03-01' })).state).toBe('self_evaluated');
    await expect(recordAssessmentStep(deps, reviewerA, { ...step, action: 'city_assess', on_date: '2024-04-01' })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    expect((await denials('reviewer_heping')).at(-1)).toEqual({ org_code: HEPING, after: { attempted: 'scope:submission.read' } });
    const r = await recordAssessmentStep(deps, city, { ...step, action: 'city_assess', on_date: '2024-04-01', item_comments: { 'gov.01': '经费保障到位' } });
    expect(workflowStepResult.parse(r)).toEqual(r);
    expect(r).toMatchObject({ state: 'city_assessed', expert_comments: { 'gov.01': '经费保障到位' } });
    expect((await recordAssessmentStep(deps, cli, { ...step, action: 'return', on_date: '2024-05-01', actor_name: '督导室' })).state).toBe('returned');
    const events = await store.db.selectFrom('assessment_event').select(['action', 'actor']).where('kind', '=', 'preschool').orderBy('id').execute();
    expect(events).toEqual([{ action: 'self_evaluate', actor: 'reviewer_heping' }, { action: 'city_assess', actor: 'city_admin' }, { action: 'return', actor: '督导室' }]);
    // Every step is in the audit log: an account's under its username, the system's under the name it gives.
    const audited = await store.db.selectFrom('audit_event').select(['actor', 'action', 'object_id', 'after']).where('action', 'like', 'assessment.%').orderBy('seq').execute();
    expect(audited).toEqual([
      { actor: 'reviewer_heping', action: 'assessment.self_evaluate', object_id: `${HEPING}/${YEAR}`, after: { state: 'self_evaluated', on_date: '2024-03-01', verdict: 'incomplete' } },
      { actor: 'city_admin', action: 'assessment.city_assess', object_id: `${HEPING}/${YEAR}`, after: { state: 'city_assessed', on_date: '2024-04-01', verdict: 'incomplete' } },
      { actor: '督导室', action: 'assessment.return', object_id: `${HEPING}/${YEAR}`, after: { state: 'returned', on_date: '2024-05-01', verdict: 'incomplete' } },
    ]);
  });

  it('records who entered items, and audits it: an account under its username, the system under the name it gives', async () => {
    const doc = allMet(assessmentCriteria.balanced.items);
    const byCli = await enterAssessmentItems(deps, cli, { kind: 'balanced', district: HEDONG, year: YEAR, doc, actor_name: '河东区教育局' });
    expect(itemsEntryResult.parse(byCli)).toEqual(byCli);
    // Entered items mark the year stale; the one recompute policy then brings the indicators up to date.
    expect(byCli).toEqual({ entries: doc.entries.length, changed: doc.entries.length, indicators: 'recomputed' });
    const corrected = { entries: [{ code: 'gov.01', met: false, evidence: [{ name: '说明.pdf' }] }] };
    expect(await enterAssessmentItems(deps, reviewerB, { kind: 'balanced', district: HEDONG, year: YEAR, doc: corrected, file: 'body' })).toEqual({ entries: 1, changed: 1, indicators: 'recomputed' });
    const who = await store.db.selectFrom('assessment_item').select(['item_code', 'entered_by']).where('district_code', '=', HEDONG).where('item_code', 'in', ['gov.01', 'gov.02']).orderBy('item_code').execute();
    expect(who).toEqual([{ item_code: 'gov.01', entered_by: 'reviewer_hedong' }, { item_code: 'gov.02', entered_by: '河东区教育局' }]);
    const audited = await store.db.selectFrom('audit_event').select(['actor', 'org_code', 'after']).where('action', '=', 'assessment.items').execute();
    expect(audited).toEqual([{ actor: '河东区教育局', org_code: HEDONG, after: { entries: doc.entries.length, changed: doc.entries.length } }, { actor: 'reviewer_hedong', org_code: HEDONG, after: { entries: 1, changed: 1 } }]);
    // A bad document is located in the file it came from.
    const bad = await enterAssessmentItems(deps, cli, { kind: 'balanced', district: HEDONG, year: YEAR, doc: { entries: [{ code: 'gov.99', met: true }] }, file: 'items.json' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'E_INPUT_INVALID', problems: [expect.objectContaining({ file: 'items.json', path: 'entries[0].code', value: 'gov.99' })] });
  });

  it('exports one file for the download and the CLI: bytes, type and names; the what-if unless asked to leave it out', async () => {
    const html = await exportAssessment(deps, cli, { kind: 'balanced', district: HEDONG, year: YEAR, format: 'html' });
    expect(html.content_type).toBe('text/html; charset=utf-8');
    expect(html.file_name).toBe(`assessment_balanced_${HEDONG}_${YEAR}.html`);
    expect(html.title).toBe(`河东区${YEAR}学年优质均衡督导评估.html`);
    expect(Buffer.from(html.bytes).toString('utf8')).toContain('小学整改测算');
    const lean = await exportAssessment(deps, city, { kind: 'balanced', district: HEDONG, year: YEAR, format: 'html', what_if: false });
    expect(Buffer.from(lean.bytes).toString('utf8')).not.toContain('整改测算');

    const xlsx = await exportAssessment(deps, reviewerB, { kind: 'balanced', district: HEDONG, year: YEAR, format: 'xlsx' });
    expect(xlsx.content_type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['评估结论', '资源配置（小学）', '整改测算（小学）', '资源配置（初中）', '评估项']);

    const pre = await exportAssessment(deps, analyst, { kind: 'preschool', district: HEPING, year: YEAR, format: 'html' });
    expect(pre.title).toBe(`和平区${YEAR}学年普及普惠督导评估.html`);
    expect(Buffer.from(pre.bytes).toString('utf8')).toContain('县域学前教育普及普惠督导评估结果');

    await expect(exportAssessment(deps, reviewerA, { kind: 'balanced', district: HEDONG, year: YEAR, format: 'xlsx' })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
  });
});
