/**
 * Supervision assessments (督导评估) over stored data: 优质均衡 (教督〔2017〕6号) and
 * 普及普惠 (教督〔2020〕1号) per district and academic year, the items districts enter
 * with evidence, the workflow (自评 → 市级评估 → 申报 → 认定/退回), the plan's schedules
 * (专栏6 / 专栏7) against what happened, and the verdicts the indicator engine turns
 * into 义务教育优质均衡区比例. All rules come from src/core/standards; this module reads
 * and writes the store.
 */
import { sql } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { districtByCode, districts } from '../core/org/districts.ts';
import { assessmentCriteria, levels, type AssessmentCriteria, type ItemDef, type InputField, type Level } from '../core/standards/balanced/criteria.ts';
import { evaluateLevel, type LevelResult } from '../core/standards/balanced/engine.ts';
import { readBalancedInput, splitDistrictSchools, type StoredSchool } from '../core/standards/balanced/input.ts';
import { combine, evaluateItems, explainItems, itemPartVerdicts, validateEntries, type Evidence, type ItemEntry, type ItemResult, type PartVerdict, type VerdictStatus } from '../core/standards/balanced/items.ts';
import { whatIf, type WhatIfResult } from '../core/standards/balanced/what-if.ts';
import { nextState, stateNames, workflowActions, workflowStatus, type WorkflowAction, type WorkflowEvent, type WorkflowStatus } from '../core/standards/balanced/workflow.ts';
import { computePreschool, explainComputed, type ComputedResult, type Kindergarten } from '../core/standards/preschool/engine.ts';
import type { Store } from '../store/store.ts';
import { markStale } from './stale.ts';

export type AssessmentKind = 'balanced' | 'preschool';
export { workflowActions };

const elementOf: Record<InputField, string> = Object.fromEntries(assessmentCriteria.balanced.indicators.map((i) => [i.input_field, i.element])) as Record<InputField, string>;

function checkDistrict(district: string): { code: string; name_zh: string; name_en: string } {
  const d = districtByCode.get(district);
  if (!d) {
    throw new EduplanError('E_ORG_UNKNOWN', {
      detail: district,
      problems: [{ path: 'district', value: district, rule: 'district_code', message_zh: `「${district}」不是天津市的区代码`, message_en: `"${district}" is not a Tianjin district code`, fix_zh: `使用 GB/T 2260 区代码，如 120101（和平区）`, fix_en: 'Use a GB/T 2260 district code such as 120101 (Heping)' }],
    });
  }
  return d;
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'year', value: year, rule: 'academic_year', message_zh: '学年应为四位整数，如 2023（2023—2024学年）', message_en: 'year must be an academic year such as 2023 (2023/24)' }] });
  }
}

// ---------------------------------------------------------------- loading

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

interface StoredItems { entries: ItemEntry[]; events: WorkflowEvent[]; yearsCertified: number[] }

/** Entered items, workflow events and certified years for one district, or (district omitted) for all, keyed by district. */
async function loadStored(store: Store, kind: AssessmentKind, year: number, district?: string): Promise<Map<string, StoredItems>> {
  let items = store.db.selectFrom('assessment_item').selectAll().where('kind', '=', kind).where('year', '=', year);
  let events = store.db.selectFrom('assessment_event').selectAll().where('kind', '=', kind).where('year', '=', year);
  let certs = store.db.selectFrom('assessment_event').select(['district_code', 'year']).where('kind', '=', kind).where('action', '=', 'certify');
  if (district !== undefined) {
    items = items.where('district_code', '=', district);
    events = events.where('district_code', '=', district);
    certs = certs.where('district_code', '=', district);
  }
  const [ir, er, cr] = await Promise.all([items.orderBy('item_code').execute(), events.orderBy('id').execute(), certs.execute()]);
  const out = new Map<string, StoredItems>();
  const get = (d: string): StoredItems => {
    let v = out.get(d);
    if (!v) { v = { entries: [], events: [], yearsCertified: [] }; out.set(d, v); }
    return v;
  };
  for (const r of ir) get(r.district_code).entries.push({ code: r.item_code, value: r.value === null ? null : Number(r.value), met: r.met, evidence: (r.evidence ?? []) as Evidence[], comment: r.comment });
  for (const r of er) get(r.district_code).events.push(toEvent(r));
  for (const r of cr) get(r.district_code).yearsCertified.push(Number(r.year));
  return out;
}

async function loadItemsAndEvents(store: Store, kind: AssessmentKind, district: string, year: number): Promise<StoredItems> {
  return (await loadStored(store, kind, year, district)).get(district) ?? { entries: [], events: [], yearsCertified: [] };
}

const toEvent = (r: { action: string; on_date: string; actor: string; comment: string; item_comments: unknown }): WorkflowEvent =>
  ({ action: r.action as WorkflowAction, on_date: String(r.on_date).slice(0, 10), actor: r.actor, comment: r.comment, item_comments: (r.item_comments ?? {}) as Record<string, string> });

// ---------------------------------------------------------------- 优质均衡

export type LevelWithWhatIf = LevelResult & { readonly what_if?: WhatIfResult };

export interface BalancedDistrictResult {
  readonly kind: 'balanced';
  readonly document: string;
  readonly district: string;
  readonly district_name_zh: string;
  readonly district_name_en: string;
  readonly year: number;
  /** Each level exactly in the `assess balanced --input` output shape, plus `what_if` when it fails. */
  readonly levels: Record<Level, LevelWithWhatIf>;
  readonly resources_pass: boolean;
  readonly items: readonly ItemResult[];
  readonly parts: readonly PartVerdict[];
  readonly workflow: WorkflowStatus;
  readonly verdict: VerdictStatus;
  /** The assessment passes on everything entered and computed (not the same as certified). */
  readonly pass: boolean;
  readonly certified: boolean;
  readonly explanation_zh: readonly string[];
  readonly explanation_en: readonly string[];
  readonly data_problems: ReadonlyArray<{ code: string; name_zh: string; field: string; message_zh: string; message_en: string }>;
}

function withWhatIf(level: Level, schools: Parameters<typeof evaluateLevel>[1], excluded: Parameters<typeof evaluateLevel>[3], criteria: AssessmentCriteria, wantWhatIf: boolean): LevelWithWhatIf {
  const r = evaluateLevel(level, schools, criteria, excluded);
  if (r.pass || !wantWhatIf || schools.length === 0) return r;
  return { ...r, what_if: whatIf(level, schools, criteria, excluded) };
}

function balancedResult(district: string, year: number, schools: readonly StoredSchool[], stored: StoredItems, criteria: AssessmentCriteria, wantWhatIf: boolean): BalancedDistrictResult {
  const d = checkDistrict(district);
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
  const head = verdict === 'pass' ? ['评估结论：达标', 'Verdict: passes'] : verdict === 'fail' ? ['评估结论：不达标', 'Verdict: fails'] : ['评估结论：资料不全，暂不能判定达标', 'Verdict: incomplete — items still to be entered or evidenced'];
  const fieldNames = new Map(criteria.balanced.indicators.map((i) => [i.input_field, i]));
  return {
    kind: 'balanced', document: criteria.balanced.document,
    district: d.code, district_name_zh: d.name_zh, district_name_en: d.name_en, year,
    levels: lv, resources_pass: resourcesPass, items, parts, workflow: wf, verdict, pass: verdict === 'pass',
    certified: stored.yearsCertified.some((y) => y <= year),
    explanation_zh: [head[0] ?? '', ...zh], explanation_en: [head[1] ?? '', ...en],
    data_problems: split.missing.map((m) => ({
      ...m, message_zh: `学校 ${m.name_zh}（${m.code}）缺少「${fieldNames.get(m.field)?.resource_zh ?? m.field}」数据，按 0 计`,
      message_en: `school ${m.code} has no ${fieldNames.get(m.field)?.resource_en ?? m.field}; counted as 0`,
    })),
  };
}

export async function assessBalanced(store: Store, q: { district: string; year: number; whatIf?: boolean }, criteria: AssessmentCriteria = assessmentCriteria): Promise<BalancedDistrictResult> {
  checkDistrict(q.district);
  checkYear(q.year);
  const schools = (await loadBalancedSchools(store, q.year, q.district)).get(q.district) ?? [];
  if (schools.length === 0) {
    throw new EduplanError('E_ASSESSMENT_NO_DATA', { detail: `${q.district} ${q.year}`, problems: [{ path: 'district', value: q.district, rule: 'has_data', message_zh: `${q.year}学年没有该区中小学的统计数据`, message_en: `no primary/junior school data for academic year ${q.year}` }] });
  }
  return balancedResult(q.district, q.year, schools, await loadItemsAndEvents(store, 'balanced', q.district, q.year), criteria, q.whatIf ?? true);
}

/** `assess balanced --input`: a district given directly (no store). */
export function assessBalancedInput(doc: unknown, file?: string, opts: { whatIf?: boolean } = {}, criteria: AssessmentCriteria = assessmentCriteria): LevelWithWhatIf {
  const r = readBalancedInput(doc, criteria, file);
  return withWhatIf(r.level, r.schools, r.excluded, criteria, opts.whatIf ?? true);
}

export interface BalancedVerdict {
  readonly district: string;
  readonly name_zh: string;
  /**
   * Counts toward 义务教育优质均衡区比例 under the configured basis (schedule.balanced.kpi_basis):
   * 'certified' (default) = nationally certified for an assessment year ≤ this year, because
   * the plan's target is "16个区全部通过…国家督导评估认定"; 'passing' = the verdict passes.
   */
  readonly pass: boolean;
  readonly verdict: VerdictStatus | 'no_data';
  readonly assessment_pass: boolean;
  readonly resources_pass: boolean | null;
  readonly certified: boolean;
  readonly certified_on: string | null;
  readonly state: WorkflowStatus['state'];
}

/**
 * Per-district 优质均衡 verdicts for a year (stored data + entered items + workflow), all 16 districts.
 * `schools`: the year's schools when the caller has already read them (the indicator
 * recompute reads each year's values once); otherwise they are loaded here.
 */
export async function balancedVerdicts(store: Store, year: number, criteria: AssessmentCriteria = assessmentCriteria, schools?: ReadonlyMap<string, readonly StoredSchool[]>): Promise<BalancedVerdict[]> {
  checkYear(year);
  const all = schools ?? await loadBalancedSchools(store, year);
  const certs = await store.db.selectFrom('assessment_event').select(['district_code', 'year', 'on_date']).where('kind', '=', 'balanced').where('action', '=', 'certify').where('year', '<=', year).execute();
  const storedAll = await loadStored(store, 'balanced', year);
  const out: BalancedVerdict[] = [];
  for (const d of districts) {
    const cert = certs.filter((c) => c.district_code === d.code).map((c) => String(c.on_date).slice(0, 10)).sort()[0] ?? null;
    const schools = all.get(d.code) ?? [];
    const stored = storedAll.get(d.code) ?? { entries: [], events: [], yearsCertified: [] };
    const wf = workflowStatus(stored.events);
    if (schools.length === 0) {
      out.push({ district: d.code, name_zh: d.name_zh, pass: criteria.schedule.balanced.kpi_basis === 'certified' && cert !== null, verdict: 'no_data', assessment_pass: false, resources_pass: null, certified: cert !== null, certified_on: cert, state: wf.state });
      continue;
    }
    const r = balancedResult(d.code, year, schools, stored, criteria, false);
    const certified = cert !== null;
    out.push({ district: d.code, name_zh: d.name_zh, pass: criteria.schedule.balanced.kpi_basis === 'certified' ? certified : r.pass, verdict: r.verdict, assessment_pass: r.pass, resources_pass: r.resources_pass, certified, certified_on: cert, state: wf.state });
  }
  return out;
}

// ---------------------------------------------------------------- 普及普惠

export interface PreschoolDistrictResult {
  readonly kind: 'preschool';
  readonly document: string;
  readonly district: string;
  readonly district_name_zh: string;
  readonly district_name_en: string;
  readonly year: number;
  readonly computed: readonly ComputedResult[];
  readonly totals: ReturnType<typeof computePreschool>['totals'];
  readonly items: readonly ItemResult[];
  readonly parts: readonly PartVerdict[];
  readonly workflow: WorkflowStatus;
  readonly verdict: VerdictStatus;
  readonly pass: boolean;
  readonly certified: boolean;
  readonly explanation_zh: readonly string[];
  readonly explanation_en: readonly string[];
  readonly data_problems_zh: readonly string[];
  readonly data_problems_en: readonly string[];
}

export async function assessPreschool(store: Store, q: { district: string; year: number }, criteria: AssessmentCriteria = assessmentCriteria): Promise<PreschoolDistrictResult> {
  const d = checkDistrict(q.district);
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
  const head = verdict === 'pass' ? ['评估结论：达标', 'Verdict: passes'] : verdict === 'fail' ? ['评估结论：不达标', 'Verdict: fails'] : ['评估结论：资料不全，暂不能判定达标', 'Verdict: incomplete — items still to be entered or evidenced'];
  return {
    kind: 'preschool', document: criteria.preschool.document, district: d.code, district_name_zh: d.name_zh, district_name_en: d.name_en, year: q.year,
    computed: computed.computed, totals: computed.totals, items, parts, workflow: wf, verdict, pass: verdict === 'pass',
    certified: stored.yearsCertified.some((y) => y <= q.year),
    explanation_zh: [head[0] ?? '', ...ec.zh, ...ie.zh], explanation_en: [head[1] ?? '', ...ec.en, ...ie.en],
    data_problems_zh: computed.data_problems_zh, data_problems_en: computed.data_problems_en,
  };
}

// ---------------------------------------------------------------- entering items, workflow

const itemDefs = (kind: AssessmentKind, criteria: AssessmentCriteria): readonly ItemDef[] => (kind === 'balanced' ? criteria.balanced.items : criteria.preschool.items);

async function currentState(store: Store, kind: AssessmentKind, district: string, year: number): Promise<{ state: WorkflowStatus['state']; lastDate: string | null; last: WorkflowEvent | undefined }> {
  const events = (await store.db.selectFrom('assessment_event').selectAll().where('kind', '=', kind).where('district_code', '=', district).where('year', '=', year).orderBy('id').execute()).map(toEvent);
  const st = workflowStatus(events);
  return { state: st.state, lastDate: events.at(-1)?.on_date ?? null, last: events.at(-1) };
}

/**
 * Enter (or correct) items with their evidence. Idempotent: an entry identical to the
 * stored one changes nothing. Refused once the district has been submitted or certified.
 */
export async function enterItems(store: Store, q: { kind: AssessmentKind; district: string; year: number; doc: unknown; file?: string; actor: string; clock: () => Date }, criteria: AssessmentCriteria = assessmentCriteria): Promise<{ entries: number; changed: number }> {
  checkDistrict(q.district);
  checkYear(q.year);
  const entries = validateEntries(itemDefs(q.kind, criteria), q.doc, q.file);
  const { state } = await currentState(store, q.kind, q.district, q.year);
  if (state === 'submitted' || state === 'certified') {
    throw new EduplanError('E_ASSESSMENT_WORKFLOW', { detail: `items are locked in state ${state}`, problems: [{ path: 'district', value: q.district, rule: 'locked', message_zh: `该区已「${stateNames[state].zh}」，评估项不能再修改`, message_en: `the district is "${stateNames[state].en}"; items can no longer change`, fix_zh: '如需修改，须先退回', fix_en: 'it must be returned first' }] });
  }
  await ensureDistrictRow(store, q.district);
  const now = q.clock();
  // One statement for the whole file: all-or-nothing, and rows identical to the stored ones are not touched.
  const rows = entries.map((e) => sql`(${q.kind}, ${q.district}, ${q.year}, ${e.code}, ${e.value ?? null}::double precision, ${e.met ?? null}::boolean, ${JSON.stringify(e.evidence)}::jsonb, ${e.comment}, ${q.actor}, ${now.toISOString()}::timestamptz)`);
  const changed = await store.transaction(async (tx) => {
    const r = await sql<{ item_code: string }>`
      INSERT INTO assessment_item (kind, district_code, year, item_code, value, met, evidence, comment, entered_by, entered_at)
      VALUES ${sql.join(rows)}
      ON CONFLICT (kind, district_code, year, item_code) DO UPDATE
        SET value = excluded.value, met = excluded.met, evidence = excluded.evidence, comment = excluded.comment, entered_by = excluded.entered_by, entered_at = excluded.entered_at
        WHERE (assessment_item.value, assessment_item.met, assessment_item.evidence, assessment_item.comment)
          IS DISTINCT FROM (excluded.value, excluded.met, excluded.evidence, excluded.comment)
      RETURNING item_code`.execute(tx.db);
    // 优质均衡 verdicts feed 义务教育优质均衡区比例 (services/indicators.ts defaultBalancedSource).
    if (q.kind === 'balanced' && r.rows.length > 0) await markStale(tx.db, now, [q.year], `assessment:${q.kind}:${q.district}`);
    return r.rows.length;
  });
  return { entries: entries.length, changed };
}

/** The district's org_unit row must exist for the foreign key; districts are fixed (GB/T 2260), so create it if absent. */
async function ensureDistrictRow(store: Store, district: string): Promise<void> {
  const d = checkDistrict(district);
  const have = await store.db.selectFrom('org_unit').select('code').where('code', '=', district).executeTakeFirst();
  if (have) return;
  throw new EduplanError('E_ORG_UNKNOWN', { detail: district, problems: [{ path: 'district', value: district, rule: 'org_exists', message_zh: `机构表中还没有 ${d.name_zh}（${district}）`, message_en: `${d.name_en} (${district}) is not in the org units yet`, fix_zh: '先导入机构（org-units）', fix_en: 'import the org units first' }] });
}

export interface WorkflowStep {
  readonly kind: AssessmentKind;
  readonly district: string;
  readonly year: number;
  readonly action: WorkflowAction;
  /** When it happened (YYYY-MM-DD): the self-evaluation, assessment, submission or certification date. */
  readonly on_date: string;
  readonly actor: string;
  readonly comment?: string;
  readonly item_comments?: Readonly<Record<string, string>>;
  readonly clock: () => Date;
}

export async function recordWorkflow(store: Store, s: WorkflowStep, criteria: AssessmentCriteria = assessmentCriteria): Promise<WorkflowStatus & { verdict: VerdictStatus }> {
  checkDistrict(s.district);
  checkYear(s.year);
  if (!(workflowActions as readonly string[]).includes(s.action)) {
    throw new EduplanError('E_USAGE', { detail: `action must be one of ${workflowActions.join(', ')}` });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.on_date) || Number.isNaN(Date.parse(s.on_date))) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'on_date', value: s.on_date, rule: 'date', message_zh: '日期格式应为 YYYY-MM-DD', message_en: 'date must be YYYY-MM-DD' }] });
  }
  const comments = s.item_comments ?? {};
  const known = new Set([...itemDefs(s.kind, criteria).map((d) => d.code), ...criteria.balanced.indicators.map((i) => `resource.${i.key}`), ...criteria.preschool.computed.map((c) => `computed.${c.key}`)]);
  const unknown = Object.keys(comments).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new EduplanError('E_INPUT_INVALID', { problems: unknown.map((k) => ({ path: `item_comments.${k}`, value: k, rule: 'known_item', message_zh: `专家意见针对的评估项 ${k} 不存在`, message_en: `expert comment for unknown item ${k}`, fix_zh: '使用评估项编号（如 gov.05）或 resource.<指标>、computed.<指标>', fix_en: 'use an item code (e.g. gov.05), resource.<indicator> or computed.<criterion>' })) });
  }
  await ensureDistrictRow(store, s.district);
  const { state, lastDate, last } = await currentState(store, s.kind, s.district, s.year);
  // Idempotent: the same step recorded again (a retried command or request) changes nothing.
  if (last && last.action === s.action && last.on_date === s.on_date && last.comment === (s.comment ?? '') && JSON.stringify(last.item_comments) === JSON.stringify(comments)) {
    const again = await loadItemsAndEvents(store, s.kind, s.district, s.year);
    const verdict = s.kind === 'balanced' ? (await assessBalanced(store, { district: s.district, year: s.year, whatIf: false }, criteria)).verdict : (await assessPreschool(store, { district: s.district, year: s.year }, criteria)).verdict;
    return { ...workflowStatus(again.events), verdict };
  }
  const after = nextState(state, s.action, lastDate, s.on_date);
  const result = s.kind === 'balanced' ? await assessBalanced(store, { district: s.district, year: s.year, whatIf: false }, criteria) : await assessPreschool(store, { district: s.district, year: s.year }, criteria);
  if ((s.action === 'submit' || s.action === 'certify') && result.verdict !== 'pass') {
    throw new EduplanError('E_ASSESSMENT_WORKFLOW', {
      detail: `verdict is ${result.verdict}`,
      problems: result.explanation_zh.slice(1, 21).map((line, i) => ({ path: 'verdict', rule: 'verdict_pass', message_zh: line, message_en: result.explanation_en[i + 1] ?? '' })),
    });
  }
  const summary = { verdict: result.verdict, explanation_zh: result.explanation_zh.slice(0, 50) };
  await store.transaction(async (tx) => {
    await tx.db.insertInto('assessment_event').values({
      kind: s.kind, district_code: s.district, year: s.year, action: s.action, state_after: after, on_date: s.on_date, actor: s.actor,
      comment: s.comment ?? '', item_comments: JSON.stringify(comments), verdict: JSON.stringify(summary), recorded_at: s.clock().toISOString(),
    }).execute();
    // A certification (or its return) changes 义务教育优质均衡区比例.
    if (s.kind === 'balanced') await markStale(tx.db, s.clock(), [s.year], `assessment:${s.kind}:${s.district}:${s.action}`);
  });
  const st = workflowStatus([...(await loadItemsAndEvents(store, s.kind, s.district, s.year)).events]);
  return { ...st, verdict: result.verdict };
}

// ---------------------------------------------------------------- schedule and KPI

export interface ScheduleResult {
  readonly kind: AssessmentKind;
  readonly source: string;
  readonly as_of_year: number;
  readonly by_year: ReadonlyArray<{ year: number; planned_submitted: number | null; planned_certified: number | null; submitted: number; certified: number; status: 'on_schedule' | 'behind' | 'ahead' | 'no_target' }>;
  readonly districts: ReadonlyArray<{ district: string; name_zh: string; planned_year: number | null; state: WorkflowStatus['state']; state_zh: string; assessment_year: number | null; self_evaluated_on: string | null; submitted_on: string | null; certified_on: string | null; returned_on: string | null; on_time: boolean | null }>;
  readonly kpi: { readonly name_zh: string; readonly certified: number; readonly total: number; readonly value: number; readonly target_2025: number; readonly basis: string };
}

/**
 * The plan's schedule (专栏6: 2021 申报4个区, 2022 再6个, 2023 全部16个; 专栏7 / 主要指标:
 * 2025 全部16个区通过认定) against the workflow events: cumulative districts submitted and
 * certified by calendar year of the event date, and each district's path.
 */
export async function assessmentSchedule(store: Store, kind: AssessmentKind, asOfYear: number, criteria: AssessmentCriteria = assessmentCriteria): Promise<ScheduleResult> {
  const sched = criteria.schedule[kind];
  const events = await store.db.selectFrom('assessment_event').selectAll().where('kind', '=', kind).orderBy('id').execute();
  const byDistrict = new Map<string, typeof events>();
  for (const e of events) byDistrict.set(e.district_code, [...(byDistrict.get(e.district_code) ?? []), e]);
  const firstDate = (code: string, action: WorkflowAction): string | null => (byDistrict.get(code) ?? []).filter((e) => e.action === action).map((e) => String(e.on_date).slice(0, 10)).sort()[0] ?? null;
  const planned = sched.districts;
  const rows = districts.map((d) => {
    const evs = byDistrict.get(d.code) ?? [];
    const lastYear = evs.length ? Math.max(...evs.map((e) => Number(e.year))) : null;
    const st = workflowStatus(evs.filter((e) => Number(e.year) === lastYear).map(toEvent));
    const certifiedOn = firstDate(d.code, 'certify');
    const plannedYear = planned[d.code] ?? null;
    return {
      district: d.code, name_zh: d.name_zh, planned_year: plannedYear,
      state: certifiedOn ? 'certified' as const : st.state, state_zh: certifiedOn ? stateNames.certified.zh : st.state_zh,
      assessment_year: lastYear,
      self_evaluated_on: firstDate(d.code, 'self_evaluate'), submitted_on: firstDate(d.code, 'submit'), certified_on: certifiedOn, returned_on: st.returned_on,
      on_time: plannedYear === null ? null : certifiedOn !== null ? Number(certifiedOn.slice(0, 4)) <= plannedYear : asOfYear <= plannedYear ? null : false,
    };
  });
  const plannedSubmitted = 'submitted_by_year' in sched ? sched.submitted_by_year : {};
  const years = new Set<number>([...Object.keys(plannedSubmitted), ...Object.keys(sched.certified_by_year)].map(Number));
  for (const r of rows) for (const dt of [r.submitted_on, r.certified_on]) if (dt) years.add(Number(dt.slice(0, 4)));
  const byYear = [...years].sort((a, b) => a - b).map((y) => {
    const submitted = rows.filter((r) => r.submitted_on && Number(r.submitted_on.slice(0, 4)) <= y).length;
    const certified = rows.filter((r) => r.certified_on && Number(r.certified_on.slice(0, 4)) <= y).length;
    const ps = (plannedSubmitted as Record<string, number>)[String(y)] ?? null;
    const pc = sched.certified_by_year[String(y)] ?? null;
    const status = y > asOfYear || (ps === null && pc === null) ? 'no_target' as const
      : (ps !== null && submitted < ps) || (pc !== null && certified < pc) ? 'behind' as const
        : (ps !== null && submitted > ps) || (pc !== null && certified > pc) ? 'ahead' as const : 'on_schedule' as const;
    return { year: y, planned_submitted: ps, planned_certified: pc, submitted, certified, status };
  });
  const certifiedNow = rows.filter((r) => r.certified_on && Number(r.certified_on.slice(0, 4)) <= asOfYear).length;
  return {
    kind, source: sched.source, as_of_year: asOfYear, by_year: byYear, districts: rows,
    kpi: {
      name_zh: kind === 'balanced' ? '义务教育优质均衡区比例' : '学前教育普及普惠区比例',
      certified: certifiedNow, total: districts.length, value: certifiedNow / districts.length,
      target_2025: 1,
      basis: 'districts nationally certified (认定) by the end of the year ÷ 16',
    },
  };
}
