/**
 * 学前教育普及普惠 (教督〔2020〕1号) per district and academic year: the four criteria computed
 * from the kindergartens' data and the district's 3–5-year-olds (src/core/standards/preschool),
 * the entered items, the workflow and the verdict.
 *
 * Use case: `preschoolAssessment`. `assessPreschool` is the step it and the workflow share;
 * it does not authorise.
 */
import { sql } from 'kysely';
import { EduplanError } from '../../core/errors.ts';
import { assessmentCriteria, type AssessmentCriteria } from '../../core/standards/balanced/criteria.ts';
import { combine, evaluateItems, explainItems, itemPartVerdicts, type VerdictStatus } from '../../core/standards/balanced/items.ts';
import { workflowStatus } from '../../core/standards/balanced/workflow.ts';
import { computePreschool, explainComputed, type Kindergarten } from '../../core/standards/preschool/engine.ts';
import type { DistrictYear, PreschoolDistrictResult } from '../../contract/assessments.ts';
import type { Store } from '../../store/store.ts';
import { assessmentRoles } from '../../core/standards/balanced/workflow.ts';
import type { Caller, ServiceDeps } from '../deps.ts';
import { requireAssessmentRole } from './access.ts';
import { checkDistrict, checkYear, loadItemsAndEvents, verdictHeadline } from './stored.ts';

/** One district's 普及普惠 from the store (no authorisation: the use case below and the workflow check first). */
export async function assessPreschool(store: Store, q: { district: string; year: number }, criteria: AssessmentCriteria = assessmentCriteria): Promise<PreschoolDistrictResult> {
  const d = await checkDistrict(store, q.district);
  checkYear(q.year);
  const rows = (await sql<{ code: string; name_zh: string; ownership: 'public' | 'private' | null; inclusive: boolean | null; element: string; value: number }>`
    SELECT o.code, o.name_zh, o.ownership, o.inclusive, d.element, d.value
    FROM org_unit o JOIN data_value d ON d.org_code = o.code AND d.year = ${q.year}
    WHERE o.level = 'school' AND o.school_type = 'kindergarten' AND o.parent_code = ${q.district}
      AND (d.element LIKE 'enrol.k%' OR d.element = 'teachers.fulltime')
    ORDER BY o.code`.execute(store.db)).rows;
  const kgs = new Map<string, { code: string; name_zh: string; ownership: Kindergarten['ownership']; inclusive: boolean | null; enrolment: number; teachers: number | null }>();
  for (const r of rows) {
    let k = kgs.get(r.code);
    if (!k) { k = { code: r.code, name_zh: r.name_zh, ownership: r.ownership, inclusive: r.inclusive, enrolment: 0, teachers: null }; kgs.set(r.code, k); }
    if (r.element === 'teachers.fulltime') k.teachers = Number(r.value); else k.enrolment += Number(r.value);
  }
  const pop = await store.db.selectFrom('reference_value').select(['value']).where('org_code', '=', q.district).where('year', '=', q.year).where('code', '=', 'pop.age3_5').executeTakeFirst();
  if (kgs.size === 0 && !pop) {
    throw new EduplanError('E_ASSESSMENT_NO_DATA', { detail: `${q.district} ${q.year}`, problems: [{ path: 'district', value: q.district, rule: 'has_data', message_zh: `${q.year}学年没有该区幼儿园数据和3—5岁人口`, message_en: `no kindergarten data or population aged 3–5 for academic year ${q.year}` }] });
  }
  const computed = computePreschool({ kindergartens: [...kgs.values()], population3to5: pop ? Number(pop.value) : null }, criteria);
  const stored = await loadItemsAndEvents(store, 'preschool', q.district, q.year);
  const wf = workflowStatus(stored.events);
  const items = evaluateItems(criteria.preschool.items, stored.entries, wf.expert_comments);
  const parts = itemPartVerdicts(items);
  const computedStatus: VerdictStatus = computed.computed.some((c) => c.status === 'not_met') ? 'fail' : computed.computed.some((c) => c.status === 'missing') ? 'incomplete' : 'pass';
  const verdict = combine([computedStatus, ...parts.map((p) => p.status)]);
  const ec = explainComputed(computed.computed);
  const ie = explainItems(items);
  const head = verdictHeadline(verdict);
  return {
    kind: 'preschool', document: criteria.preschool.document, district: d.code, district_name_zh: d.name_zh, district_name_en: d.name_en, year: q.year,
    computed: computed.computed, totals: computed.totals, items, parts, workflow: wf, verdict, pass: verdict === 'pass',
    certified: stored.yearsCertified.some((y) => y <= q.year),
    explanation_zh: [head.zh, ...ec.zh, ...ie.zh], explanation_en: [head.en, ...ec.en, ...ie.en],
    data_problems_zh: computed.data_problems_zh, data_problems_en: computed.data_problems_en,
  };
}

/** GET /api/assessments/preschool, `eduplan assess preschool`: readers of the district. */
export async function preschoolAssessment(deps: ServiceDeps, caller: Caller, q: DistrictYear): Promise<PreschoolDistrictResult> {
  await requireAssessmentRole(deps, caller, q.district, assessmentRoles.read);
  return assessPreschool(deps.store, q);
}
