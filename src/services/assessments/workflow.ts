/**
 * The assessment workflow (督导评估程序), the same for 优质均衡 and 普及普惠: the items a
 * district enters with evidence, the steps 区级自评 → 市级评估 → 申报国家认定 → 认定 / 退回,
 * and the plan's schedules (专栏6 / 专栏7) against what happened.
 *
 * Use cases: `enterAssessmentItems`, `recordAssessmentStep`, `scheduleProgress`. Entering
 * items and recording a step change what 义务教育优质均衡区比例 reads, so each marks the year
 * stale in its own transaction (`enterItems`, `recordWorkflow`) and then runs the one
 * recompute policy (services/recompute.ts): the indicator follows a certification without a
 * manual recompute.
 */
import { sql } from 'kysely';
import { EduplanError } from '../../core/errors.ts';
import { readRoot } from '../org-tree.ts';
import { assessmentCriteria, type AssessmentCriteria, type ItemDef } from '../../core/standards/balanced/criteria.ts';
import { validateEntries, type VerdictStatus } from '../../core/standards/balanced/items.ts';
import { assessmentRoles, nextState, stateNames, workflowActions, workflowStatus, type WorkflowAction, type WorkflowEvent, type WorkflowStatus } from '../../core/standards/balanced/workflow.ts';
import type { AssessmentKind, ItemsEntryRequest, ItemsEntryResult, ScheduleRequest, ScheduleResult, WorkflowStepRequest, WorkflowStepResult } from '../../contract/assessments.ts';
import type { Store } from '../../store/store.ts';
import { auditAlone } from '../audit.ts';
import { callerId, callerIp, callerName, isSystem, type Caller, type ServiceDeps } from '../deps.ts';
import { afterDataChanged } from '../recompute.ts';
import { markStale } from '../stale.ts';
import { requireAssessmentRole } from './access.ts';
import { assessDistrict } from './district.ts';
import { assessedDistricts, checkDistrict, checkYear, ensureDistrictRow, loadItemsAndEvents, toEvent } from './stored.ts';

const itemDefs = (kind: AssessmentKind, criteria: AssessmentCriteria): readonly ItemDef[] => (kind === 'balanced' ? criteria.balanced.items : criteria.preschool.items);

async function currentState(store: Store, kind: AssessmentKind, district: string, year: number): Promise<{ state: WorkflowStatus['state']; lastDate: string | null; last: WorkflowEvent | undefined }> {
  const events = (await store.db.selectFrom('assessment_event').selectAll().where('kind', '=', kind).where('district_code', '=', district).where('year', '=', year).orderBy('id').execute()).map(toEvent);
  const st = workflowStatus(events);
  return { state: st.state, lastDate: events.at(-1)?.on_date ?? null, last: events.at(-1) };
}

// ---------------------------------------------------------------- steps (no authorisation, no recompute)

/**
 * Enter (or correct) items with their evidence. Idempotent: an entry identical to the
 * stored one changes nothing. Refused once the district has been submitted or certified.
 */
export async function enterItems(store: Store, q: { kind: AssessmentKind; district: string; year: number; doc: unknown; file?: string; actor: string; clock: () => Date }, criteria: AssessmentCriteria = assessmentCriteria): Promise<{ entries: number; changed: number }> {
  await checkDistrict(store, q.district);
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

/** Record a workflow step; submission and certification need a passing verdict. */
export async function recordWorkflow(store: Store, s: WorkflowStep, criteria: AssessmentCriteria = assessmentCriteria): Promise<WorkflowStatus & { verdict: VerdictStatus }> {
  await checkDistrict(store, s.district);
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
  const district = { kind: s.kind, district: s.district, year: s.year, whatIf: false };
  // Idempotent: the same step recorded again (a retried command or request) changes nothing.
  if (last && last.action === s.action && last.on_date === s.on_date && last.comment === (s.comment ?? '') && JSON.stringify(last.item_comments) === JSON.stringify(comments)) {
    const again = await loadItemsAndEvents(store, s.kind, s.district, s.year);
    const { verdict } = await assessDistrict(store, district, criteria);
    return { ...workflowStatus(again.events), verdict };
  }
  const after = nextState(state, s.action, lastDate, s.on_date);
  const result = await assessDistrict(store, district, criteria);
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
  const districts = await assessedDistricts(store);
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
      basis: `districts nationally certified (认定) by the end of the year ÷ ${districts.length}`,
    },
  };
}

// ---------------------------------------------------------------- use cases

/** Who the stored rows name: a signed-in account by its username, the system by the name it gives (CLI --actor, the demo). */
const actorNameOf = (caller: Caller, given: string | undefined): string => (isSystem(caller) ? given ?? callerName(caller) : caller.account.username);

/**
 * PUT …/items, `eduplan assess enter`: the district's reviewer or the city enters items
 * with evidence; the indicators are recomputed when anything changed. Every entry is
 * audited (assessment.items), the system's under the name it gives.
 */
export async function enterAssessmentItems(deps: ServiceDeps, caller: Caller, q: ItemsEntryRequest): Promise<ItemsEntryResult> {
  await requireAssessmentRole(deps, caller, q.district, assessmentRoles.enter);
  const r = await enterItems(deps.store, { kind: q.kind, district: q.district, year: q.year, doc: q.doc, ...(q.file === undefined ? {} : { file: q.file }), actor: actorNameOf(caller, q.actor_name), clock: deps.clock });
  const indicators = r.changed > 0 ? (await afterDataChanged(deps)).status : 'unchanged';
  await auditAlone(deps.store, deps.clock(), { actorId: callerId(caller), actor: actorNameOf(caller, q.actor_name), action: 'assessment.items', outcome: 'success', objectType: `assessment_${q.kind}`, objectId: `${q.district}/${q.year}`, orgCode: q.district, ip: callerIp(caller), after: { entries: r.entries, changed: r.changed } });
  return { ...r, indicators };
}

/**
 * POST …/workflow, `eduplan assess workflow`: the district (or the city) self-evaluates;
 * the city assesses, submits, certifies or returns. The indicators are recomputed after
 * every step. Every step is audited (assessment.<action>), the system's under the name it gives.
 */
export async function recordAssessmentStep(deps: ServiceDeps, caller: Caller, q: WorkflowStepRequest): Promise<WorkflowStepResult> {
  await requireAssessmentRole(deps, caller, q.district, q.action === 'self_evaluate' ? assessmentRoles.enter : assessmentRoles.city);
  const r = await recordWorkflow(deps.store, {
    kind: q.kind, district: q.district, year: q.year, action: q.action, on_date: q.on_date, actor: actorNameOf(caller, q.actor_name),
    comment: q.comment ?? '', item_comments: q.item_comments ?? {}, clock: deps.clock,
  });
  const indicators = (await afterDataChanged(deps)).status;
  await auditAlone(deps.store, deps.clock(), { actorId: callerId(caller), actor: actorNameOf(caller, q.actor_name), action: `assessment.${q.action}`, outcome: 'success', objectType: `assessment_${q.kind}`, objectId: `${q.district}/${q.year}`, orgCode: q.district, ip: callerIp(caller), after: { state: r.state, on_date: q.on_date, verdict: r.verdict } });
  return { ...r, indicators };
}

/** GET /api/assessments/schedule, `eduplan assess schedule`: readers at the city; `as_of` defaults to this calendar year. */
export async function scheduleProgress(deps: ServiceDeps, caller: Caller, q: ScheduleRequest): Promise<ScheduleResult> {
  await requireAssessmentRole(deps, caller, (await readRoot(deps.store.db)).code, assessmentRoles.read);
  return assessmentSchedule(deps.store, q.kind, q.as_of ?? deps.clock().getFullYear());
}
