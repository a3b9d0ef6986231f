/**
 * 义务教育优质均衡 (教督〔2017〕6号) per district and academic year, from stored data: the
 * 7 resource indicators per school and level with their CVs (src/core/standards/balanced),
 * the entered items, the workflow and the verdict; the what-if for a failing level; and
 * every district's verdict, which the indicator engine turns into 义务教育优质均衡区比例.
 *
 * Use cases: `balancedAssessment` (one district), `evaluateBalanced` (a district given
 * directly, no store), `districtVerdicts` (all 16). The functions above them are the steps
 * the use cases, the workflow and the indicator recompute share; they do not authorise.
 */
import { sql } from 'kysely';
import { EduplanError } from '../../core/errors.ts';
import { readRoot } from '../org-tree.ts';
import { assessmentCriteria, levels, type AssessmentCriteria, type InputField, type Level } from '../../core/standards/balanced/criteria.ts';
import { evaluateLevel } from '../../core/standards/balanced/engine.ts';
import { readBalancedInput, splitDistrictSchools, type StoredSchool } from '../../core/standards/balanced/input.ts';
import { combine, evaluateItems, explainItems, itemPartVerdicts } from '../../core/standards/balanced/items.ts';
import { whatIf } from '../../core/standards/balanced/what-if.ts';
import { workflowStatus } from '../../core/standards/balanced/workflow.ts';
import type { BalancedDistrictResult, BalancedRequest, BalancedVerdict, EvaluateRequest, LevelWithWhatIf, VerdictsRequest, VerdictsResponse } from '../../contract/assessments.ts';
import type { Store } from '../../store/store.ts';
import { assessmentRoles } from '../../core/standards/balanced/workflow.ts';
import type { Caller, ServiceDeps } from '../deps.ts';
import { requireAssessmentRole } from './access.ts';
import { assessedDistricts, checkDistrict, checkYear, loadItemsAndEvents, loadStored, noStoredItems, verdictHeadline, type StoredItems } from './stored.ts';

// ---------------------------------------------------------------- loading

const elementOf: Record<InputField, string> = Object.fromEntries(assessmentCriteria.balanced.indicators.map((i) => [i.input_field, i.element])) as Record<InputField, string>;

/** The elements 优质均衡 reads per school: the 7 resources (plus every `enrol.g<n>.<m|f>`, matched by pattern). */
export const balancedResourceElements: readonly string[] = Object.values(elementOf);
const fieldOfElement = new Map(Object.entries(elementOf).map(([f, e]) => [e, f as InputField]));
const ENROL_GRADE = /^enrol\.g(\d+)\.[mf]$/;

/** One stored value of a compulsory-serving school (kindergartens excluded), as loaded for 优质均衡. */
export interface BalancedValueRow {
  readonly code: string;
  readonly name_zh: string;
  readonly school_type: string | null;
  readonly parent_code: string | null;
  readonly element: string;
  readonly value: number;
}

/** Whether a stored element feeds 优质均衡 (what the loading query selects). */
export const isBalancedElement = (element: string): boolean => element.startsWith('enrol.g') || fieldOfElement.has(element);

/**
 * Schools by district with enrolment per stage and resources, from their stored values
 * (any order). Pure: shared by the query below and by the indicator recompute, which
 * reads the year's values once for everything (src/services/indicators.ts).
 */
export function balancedSchoolsFromRows(rows: Iterable<BalancedValueRow>): Map<string, StoredSchool[]> {
  const bySchool = new Map<string, { district: string; s: { code: string; name_zh: string; school_type: string; enrolment: { primary: number; junior: number; senior: number }; resources: Partial<Record<InputField, number>> } }>();
  for (const r of rows) {
    let e = bySchool.get(r.code);
    if (!e) {
      e = { district: r.parent_code ?? '', s: { code: r.code, name_zh: r.name_zh, school_type: r.school_type ?? '', enrolment: { primary: 0, junior: 0, senior: 0 }, resources: {} } };
      bySchool.set(r.code, e);
    }
    const m = ENROL_GRADE.exec(r.element);
    const v = Number(r.value);
    if (m) {
      const g = Number(m[1]);
      if (g <= 6) e.s.enrolment.primary += v; else if (g <= 9) e.s.enrolment.junior += v; else e.s.enrolment.senior += v;
    } else {
      const f = fieldOfElement.get(r.element);
      if (f) e.s.resources[f] = v;
    }
  }
  const out = new Map<string, StoredSchool[]>();
  // Schools in code order, as the query returned them (ORDER BY o.code).
  for (const { district: d, s } of [...bySchool.values()].sort((a, b) => (a.s.code < b.s.code ? -1 : a.s.code > b.s.code ? 1 : 0))) {
    if (s.enrolment.primary + s.enrolment.junior === 0) continue; // senior-only: not compulsory
    const list = out.get(d) ?? [];
    list.push(s);
    out.set(d, list);
  }
  return out;
}

/** Schools serving compulsory grades with their enrolment per stage and the 7 resources, by district. */
export async function loadBalancedSchools(store: Store, year: number, district?: string): Promise<Map<string, StoredSchool[]>> {
  const rows = (await sql<BalancedValueRow>`
    SELECT o.code, o.name_zh, o.school_type, o.parent_code, d.element, d.value
    FROM org_unit o JOIN data_value d ON d.org_code = o.code AND d.year = ${year}
    WHERE o.level = 'school' AND o.school_type <> 'kindergarten'
      ${district ? sql`AND o.parent_code = ${district}` : sql``}
      AND (d.element LIKE 'enrol.g%' OR d.element IN (${sql.join(balancedResourceElements)}))
    ORDER BY o.code`.execute(store.db)).rows;
  return balancedSchoolsFromRows(rows);
}

// ---------------------------------------------------------------- assessing

function withWhatIf(level: Level, schools: Parameters<typeof evaluateLevel>[1], excluded: Parameters<typeof evaluateLevel>[3], criteria: AssessmentCriteria, wantWhatIf: boolean): LevelWithWhatIf {
  const r = evaluateLevel(level, schools, criteria, excluded);
  if (r.pass || !wantWhatIf || schools.length === 0) return r;
  return { ...r, what_if: whatIf(level, schools, criteria, excluded) };
}

function balancedResult(d: { code: string; name_zh: string; name_en: string }, year: number, schools: readonly StoredSchool[], stored: StoredItems, criteria: AssessmentCriteria, wantWhatIf: boolean): BalancedDistrictResult {
  const split = splitDistrictSchools(schools, criteria);
  const lv = {} as Record<Level, LevelWithWhatIf>;
  for (const l of levels) lv[l] = withWhatIf(l, split.levels[l].schools, split.levels[l].excluded, criteria, wantWhatIf);
  const wf = workflowStatus(stored.events);
  const items = evaluateItems(criteria.balanced.items, stored.entries, wf.expert_comments);
  const parts = itemPartVerdicts(items);
  const resourcesPass = levels.every((l) => lv[l].pass);
  const verdict = combine([resourcesPass ? 'pass' : 'fail', ...parts.map((p) => p.status)]);
  const ie = explainItems(items);
  const zh = [...levels.flatMap((l) => lv[l].explanation_zh), ...ie.zh];
  const en = [...levels.flatMap((l) => lv[l].explanation_en), ...ie.en];
  const head = verdictHeadline(verdict);
  const fieldNames = new Map(criteria.balanced.indicators.map((i) => [i.input_field, i]));
  return {
    kind: 'balanced', document: criteria.balanced.document,
    district: d.code, district_name_zh: d.name_zh, district_name_en: d.name_en, year,
    levels: lv, resources_pass: resourcesPass, items, parts, workflow: wf, verdict, pass: verdict === 'pass',
    certified: stored.yearsCertified.some((y) => y <= year),
    explanation_zh: [head.zh, ...zh], explanation_en: [head.en, ...en],
    data_problems: split.missing.map((m) => ({
      ...m, message_zh: `学校 ${m.name_zh}（${m.code}）缺少「${fieldNames.get(m.field)?.resource_zh ?? m.field}」数据，按 0 计`,
      message_en: `school ${m.code} has no ${fieldNames.get(m.field)?.resource_en ?? m.field}; counted as 0`,
    })),
  };
}

/** One district's 优质均衡 from the store (no authorisation: the use cases below and the workflow check first). */
export async function assessBalanced(store: Store, q: { district: string; year: number; whatIf?: boolean }, criteria: AssessmentCriteria = assessmentCriteria): Promise<BalancedDistrictResult> {
  const district = await checkDistrict(store, q.district);
  checkYear(q.year);
  const schools = (await loadBalancedSchools(store, q.year, q.district)).get(q.district) ?? [];
  if (schools.length === 0) {
    throw new EduplanError('E_ASSESSMENT_NO_DATA', { detail: `${q.district} ${q.year}`, problems: [{ path: 'district', value: q.district, rule: 'has_data', message_zh: `${q.year}学年没有该区中小学的统计数据`, message_en: `no primary/junior school data for academic year ${q.year}` }] });
  }
  return balancedResult(district, q.year, schools, await loadItemsAndEvents(store, 'balanced', q.district, q.year), criteria, q.whatIf ?? true);
}

/** `assess balanced --input`: a district given directly (no store). */
export function assessBalancedInput(doc: unknown, file?: string, opts: { whatIf?: boolean } = {}, criteria: AssessmentCriteria = assessmentCriteria): LevelWithWhatIf {
  const r = readBalancedInput(doc, criteria, file);
  return withWhatIf(r.level, r.schools, r.excluded, criteria, opts.whatIf ?? true);
}

/**
 * Per-district 优质均衡 verdicts for a year (stored data + entered items + workflow), all 16 districts.
 * `schools`: the year's schools when the caller has already read them (the indicator
 * recompute reads each year's values once); otherwise they are loaded here.
 * `pass` counts toward 义务教育优质均衡区比例 under the configured basis (schedule.balanced.kpi_basis):
 * 'certified' (default) = nationally certified for an assessment year ≤ this year, because
 * the plan's target is "16个区全部通过…国家督导评估认定"; 'passing' = the verdict passes.
 */
export async function balancedVerdicts(store: Store, year: number, criteria: AssessmentCriteria = assessmentCriteria, schools?: ReadonlyMap<string, readonly StoredSchool[]>): Promise<BalancedVerdict[]> {
  checkYear(year);
  const all = schools ?? await loadBalancedSchools(store, year);
  const certs = await store.db.selectFrom('assessment_event').select(['district_code', 'year', 'on_date']).where('kind', '=', 'balanced').where('action', '=', 'certify').where('year', '<=', year).execute();
  const storedAll = await loadStored(store, 'balanced', year);
  const out: BalancedVerdict[] = [];
  for (const d of await assessedDistricts(store)) {
    const cert = certs.filter((c) => c.district_code === d.code).map((c) => String(c.on_date).slice(0, 10)).sort()[0] ?? null;
    const schools = all.get(d.code) ?? [];
    const stored = storedAll.get(d.code) ?? noStoredItems();
    const wf = workflowStatus(stored.events);
    if (schools.length === 0) {
      out.push({ district: d.code, name_zh: d.name_zh, pass: criteria.schedule.balanced.kpi_basis === 'certified' && cert !== null, verdict: 'no_data', assessment_pass: false, resources_pass: null, certified: cert !== null, certified_on: cert, state: wf.state });
      continue;
    }
    const r = balancedResult(d, year, schools, stored, criteria, false);
    const certified = cert !== null;
    out.push({ district: d.code, name_zh: d.name_zh, pass: criteria.schedule.balanced.kpi_basis === 'certified' ? certified : r.pass, verdict: r.verdict, assessment_pass: r.pass, resources_pass: r.resources_pass, certified, certified_on: cert, state: wf.state });
  }
  return out;
}

// ---------------------------------------------------------------- use cases

/** GET /api/assessments/balanced, `eduplan assess balanced --district --year`: readers of the district. */
export async function balancedAssessment(deps: ServiceDeps, caller: Caller, q: BalancedRequest): Promise<BalancedDistrictResult> {
  await requireAssessmentRole(deps, caller, q.district, assessmentRoles.read);
  return assessBalanced(deps.store, { district: q.district, year: q.year, whatIf: q.what_if ?? true });
}

/**
 * POST /api/assessments/balanced/evaluate, `eduplan assess balanced --input`: a computation
 * on the document given, reading nothing stored, so any signed-in account may ask.
 */
export function evaluateBalanced(q: EvaluateRequest): LevelWithWhatIf {
  return assessBalancedInput(q.doc, q.file, q.what_if === undefined ? {} : { whatIf: q.what_if });
}

/** GET /api/assessments/verdicts: all 16 districts, for readers at the city. */
export async function districtVerdicts(deps: ServiceDeps, caller: Caller, q: VerdictsRequest): Promise<VerdictsResponse> {
  await requireAssessmentRole(deps, caller, (await readRoot(deps.store.db)).code, assessmentRoles.read);
  return { year: q.year, kpi_basis: assessmentCriteria.schedule.balanced.kpi_basis, districts: await balancedVerdicts(deps.store, q.year) };
}
