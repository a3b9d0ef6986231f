/**
 * Tasks and 专栏 (任务与专栏实施): owners, milestones, progress reports, their review, roll-ups,
 * and who is late. The plan names no owners, so the city assigns them as data (a lead unit and
 * co-units per item, from city departments and the districts); owners report each period
 * (semi-annually by default) with a status, a reason, a narrative and evidence; the planning
 * office accepts or returns each report. Every change is appended to the audit chain in the
 * same transaction.
 */
import { EduplanError, type Problem } from '../../core/errors.ts';
import { countStatuses, type TargetStatus } from '../../core/plan-execution/judge.ts';
import type { PlanItem } from '../../core/plan-execution/items.ts';
import { chinaDate, milestoneOverdue, parsePeriod, periodsOf, reportingRate, standings, statusNeedsReason, type Frequency, type PeriodStanding, type ReportFact, type ReportState } from '../../core/plan-execution/reporting.ts';
import type { PlanTarget } from '../../core/plan-execution/targets.ts';
import type {
  DueRow, MilestoneRow, ProjectDetail, ReportRow, SaveReportRequest, TargetRow, TaskRow, UnitRef,
} from '../../contract/plan-execution.ts';
import type { Store } from '../../store/store.ts';
import { appendAudit } from '../audit.ts';
import { readLevelModel } from '../org-tree.ts';
import { isSystem, type Caller, type ServiceDeps } from '../deps.ts';
import { actorRef, cityCodeOf, mayAt, requireAt } from './access.ts';
import { itemOrThrow, planContext, type PlanContext } from './context.ts';
import { citedFiles, type FileRef } from './files.ts';
import { targetRows, type TargetView } from './targets.ts';

const json = <T>(v: unknown, fallback: T): T => (v === null || v === undefined ? fallback : ((typeof v === 'string' ? JSON.parse(v) : v) as T));
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

// ---------------------------------------------------------------------------------------
// Units and owners

export async function listUnits(store: Store): Promise<UnitRef[]> {
  return store.db.selectFrom('plan_unit').select(['code', 'name_zh', 'name_en', 'kind', 'org_code']).orderBy('kind').orderBy('code').execute();
}

export interface Owners {
  readonly lead: string;
  readonly co: readonly string[];
  readonly frequency: Frequency;
}

export async function ownersByItem(store: Store): Promise<Map<string, Owners>> {
  const rows = await store.db.selectFrom('plan_owner').select(['item', 'lead_unit', 'co_units', 'frequency']).execute();
  return new Map(rows.map((r) => [r.item, { lead: r.lead_unit, co: r.co_units, frequency: r.frequency }]));
}

/** An item's owners: its own, else its task area's (a sub-task or 专栏 without owners of its own). */
export function effectiveOwners(ctx: PlanContext, owners: ReadonlyMap<string, Owners>, item: string): Owners | null {
  const own = owners.get(item);
  if (own) return own;
  const it = ctx.itemByCode.get(item);
  if (!it || it.kind === 'area') return null;
  return owners.get(it.area) ?? null;
}

/** The item a target is reported under: its 专栏, else its sub-task, else its task area. */
export function itemOfTarget(t: PlanTarget): string | null {
  if (t.project) return t.project;
  if (t.task_area && t.subtask !== null) return `${t.task_area}.${t.subtask}`;
  return t.task_area;
}

async function unitsOrThrow(store: Store, codes: readonly string[], path: string): Promise<Map<string, UnitRef>> {
  const all = new Map((await listUnits(store)).map((u) => [u.code, u]));
  const missing = codes.filter((c) => !all.has(c));
  if (missing.length > 0) {
    throw new EduplanError('E_INPUT_INVALID', { problems: missing.map((c): Problem => ({ path, value: c, rule: 'unit_exists', message_zh: `责任单位 ${c} 不存在`, message_en: `unit ${c} does not exist`, fix_zh: '先登记责任单位（plan-units.csv 或工作台）', fix_en: 'Register the unit first (plan-units.csv or the workspace)' })) });
  }
  return all;
}

/** The city registers or renames a unit (a department, or a district acting for itself). */
export async function saveUnit(deps: ServiceDeps, caller: Caller, code: string, req: { name_zh: string; name_en: string; kind: 'department' | 'district'; org_code: string }): Promise<UnitRef> {
  const city = await cityCodeOf(deps.store.db);
  await requireAt(deps, caller, 'plan.assign', city, { type: 'plan_unit', id: code });
  // A department acts for the root (市级部门); a district unit for a unit directly under the root
  // (Tianjin's district, a province's prefecture city), whatever the region calls that level.
  const org = await deps.store.db.selectFrom('org_unit').select(['code', 'level', 'parent_code']).where('code', '=', req.org_code).executeTakeFirst();
  const fits = org !== undefined && (req.kind === 'department' ? org.code === city : org.parent_code === city && !(await readLevelModel(deps.store.db)).isReporting(org.level));
  if (!fits) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'org_code', value: req.org_code, rule: 'unit_org', message_zh: req.kind === 'district' ? '区单位的 org_code 须为该区代码' : '市级部门的 org_code 须为市代码', message_en: req.kind === 'district' ? 'a district unit’s org_code is the district’s code' : 'a city department’s org_code is the city’s code' }] });
  }
  const now = deps.clock();
  const by = actorRef(caller);
  return deps.store.transaction(async (tx) => {
    const before = await tx.db.selectFrom('plan_unit').selectAll().where('code', '=', code).executeTakeFirst();
    const row = { code, ...req };
    await tx.db.insertInto('plan_unit').values(row).onConflict((oc) => oc.column('code').doUpdateSet({ name_zh: req.name_zh, name_en: req.name_en, kind: req.kind, org_code: req.org_code })).execute();
    await appendAudit(tx.db, now, { actorId: by.actorId, actor: by.actor, action: 'plan.unit.save', outcome: 'success', objectType: 'plan_unit', objectId: code, ip: by.ip, before: before ? { ...before } : null, after: { ...row } });
    return row;
  });
}

/** The city assigns an item's lead unit, co-units and reporting frequency (明确分工，落实责任). */
export async function assignOwners(deps: ServiceDeps, caller: Caller, item: string, req: { lead_unit: string; co_units: readonly string[]; frequency: Frequency }): Promise<Owners> {
  const city = await cityCodeOf(deps.store.db);
  await requireAt(deps, caller, 'plan.assign', city, { type: 'plan_item', id: item });
  itemOrThrow(await planContext(deps.store), item);
  await unitsOrThrow(deps.store, [req.lead_unit, ...req.co_units], 'units');
  const co = [...new Set(req.co_units)].filter((c) => c !== req.lead_unit);
  const now = deps.clock();
  const by = actorRef(caller);
  return deps.store.transaction(async (tx) => {
    const before = await tx.db.selectFrom('plan_owner').select(['lead_unit', 'co_units', 'frequency']).where('item', '=', item).executeTakeFirst();
    await tx.db.insertInto('plan_owner').values({ item, lead_unit: req.lead_unit, co_units: co, frequency: req.frequency, assigned_at: now, assigned_by: by.actor })
      .onConflict((oc) => oc.column('item').doUpdateSet({ lead_unit: req.lead_unit, co_units: co, frequency: req.frequency, assigned_at: now, assigned_by: by.actor })).execute();
    await appendAudit(tx.db, now, { actorId: by.actorId, actor: by.actor, action: 'plan.owner.assign', outcome: 'success', objectType: 'plan_item', objectId: item, ip: by.ip, before: before ? { lead_unit: before.lead_unit, co_units: [...before.co_units], frequency: before.frequency } : null, after: { lead_unit: req.lead_unit, co_units: co, frequency: req.frequency } });
    return { lead: req.lead_unit, co, frequency: req.frequency };
  });
}

/** Refuse (403, audited) unless the caller acts for the unit: its reviewers (a district) or the city. */
async function requireActFor(deps: ServiceDeps, caller: Caller, unit: UnitRef, object: { type: string; id: string }): Promise<void> {
  await requireAt(deps, caller, 'plan.report', unit.org_code, object);
}

// ---------------------------------------------------------------------------------------
// Milestones

type MilestoneDb = Awaited<ReturnType<typeof milestoneRowsDb>>[number];
function milestoneRowsDb(store: Store, item?: string) {
  let q = store.db.selectFrom('plan_milestone').selectAll();
  if (item !== undefined) q = q.where('item', '=', item);
  return q.orderBy('item').orderBy('year').orderBy('due').orderBy('code').execute();
}
const toMilestone = (r: MilestoneDb, today: string): MilestoneRow => {
  const due = String(r.due).slice(0, 10);
  const done = r.done_on === null ? null : String(r.done_on).slice(0, 10);
  return { item: r.item, code: r.code, year: r.year, text_zh: r.text_zh, text_en: r.text_en, due, done_on: done, overdue: milestoneOverdue({ due, done_on: done }, today), evidence: json<FileRef[]>(r.evidence, []), note: r.note };
};

export async function listMilestones(store: Store, today: string, item?: string): Promise<MilestoneRow[]> {
  return (await milestoneRowsDb(store, item)).map((r) => toMilestone(r, today));
}

/**
 * The city sets an item's milestones (what by when, per year); the item's owners record that
 * one is done, with evidence — they change nothing else of it.
 */
export async function saveMilestone(deps: ServiceDeps, caller: Caller, item: string, code: string, req: { year: number; text_zh: string; text_en: string; due: string; done_on?: string | null | undefined; evidence: readonly string[]; note: string }): Promise<MilestoneRow> {
  const ctx = await planContext(deps.store);
  itemOrThrow(ctx, item);
  const db = deps.store.db;
  const city = await cityCodeOf(db);
  const before = await db.selectFrom('plan_milestone').selectAll().where('item', '=', item).where('code', '=', code).executeTakeFirst();
  const assigner = await mayAt(db, caller, 'plan.assign', city);
  if (!assigner) {
    // An owner: only done_on, evidence and note of an existing milestone.
    const owners = effectiveOwners(ctx, await ownersByItem(deps.store), item);
    const units = await unitsOrThrow(deps.store, owners ? [owners.lead, ...owners.co] : [], 'item');
    const mine = [...units.values()].filter((u) => owners !== null && (u.code === owners.lead || owners.co.includes(u.code)));
    const allowed = await Promise.all(mine.map((u) => mayAt(db, caller, 'plan.report', u.org_code)));
    const fixedSame = before !== undefined && before.year === req.year && before.text_zh === req.text_zh && String(before.due).slice(0, 10) === req.due && (req.text_en === '' || req.text_en === before.text_en);
    if (!allowed.some(Boolean) || !fixedSame) await requireAt(deps, caller, 'plan.assign', city, { type: 'plan_milestone', id: `${item}/${code}` });
  }
  const evidence = await citedFiles(db, req.evidence, 'evidence');
  const now = deps.clock();
  const by = actorRef(caller);
  const row = { item, code, year: req.year, text_zh: req.text_zh, text_en: req.text_en !== '' ? req.text_en : (before?.text_en ?? ''), due: req.due, done_on: req.done_on ?? null, evidence: JSON.stringify(evidence), note: req.note, updated_at: now, updated_by: by.actor };
  await deps.store.transaction(async (tx) => {
    await tx.db.insertInto('plan_milestone').values(row).onConflict((oc) => oc.columns(['item', 'code']).doUpdateSet({ year: row.year, text_zh: row.text_zh, text_en: row.text_en, due: row.due, done_on: row.done_on, evidence: row.evidence, note: row.note, updated_at: now, updated_by: by.actor })).execute();
    await appendAudit(tx.db, now, {
      actorId: by.actorId, actor: by.actor, action: 'plan.milestone.save', outcome: 'success', objectType: 'plan_milestone', objectId: `${item}/${code}`, ip: by.ip,
      before: before ? { year: before.year, text_zh: before.text_zh, due: String(before.due).slice(0, 10), done_on: before.done_on === null ? null : String(before.done_on).slice(0, 10) } : null,
      after: { year: row.year, text_zh: row.text_zh, due: row.due, done_on: row.done_on, evidence: evidence.map((e) => e.sha256) },
    });
  });
  const saved = await db.selectFrom('plan_milestone').selectAll().where('item', '=', item).where('code', '=', code).executeTakeFirstOrThrow();
  return toMilestone(saved, chinaDate(now));
}

// ---------------------------------------------------------------------------------------
// Progress reports

type ReportDb = Awaited<ReturnType<typeof reportRowsDb>>[number];
function reportRowsDb(store: Store, where: { item?: string; unit?: string; id?: number; states?: readonly ReportState[] } = {}) {
  let q = store.db.selectFrom('plan_report').selectAll();
  if (where.item !== undefined) q = q.where('item', '=', where.item);
  if (where.unit !== undefined) q = q.where('unit', '=', where.unit);
  if (where.id !== undefined) q = q.where('id', '=', where.id);
  if (where.states !== undefined) q = q.where('state', 'in', [...where.states]);
  return q.orderBy('item').orderBy('period').orderBy('unit').execute();
}
function toReport(r: ReportDb, units: ReadonlyMap<string, UnitRef>): ReportRow {
  const unit = units.get(r.unit) ?? { code: r.unit, name_zh: r.unit, name_en: r.unit, kind: 'department' as const, org_code: '' };
  return {
    id: r.id, item: r.item, unit, period: r.period, status: r.status, reason: r.reason, narrative_zh: r.narrative_zh, narrative_en: r.narrative_en,
    evidence: json<FileRef[]>(r.evidence, []), state: r.state, review_note: r.review_note, version: r.version,
    submitted_at: iso(r.submitted_at), reviewed_at: iso(r.reviewed_at), updated_at: new Date(r.updated_at).toISOString(),
  };
}

export async function listReports(store: Store, where: { item?: string; unit?: string; states?: readonly ReportState[] } = {}): Promise<ReportRow[]> {
  const units = new Map((await listUnits(store)).map((u) => [u.code, u]));
  return (await reportRowsDb(store, where)).map((r) => toReport(r, units));
}

/**
 * An owner saves (draft) or submits its report for an item and period. Only a unit that owns
 * the item reports on it, and only through accounts acting for that unit: a district reports
 * for its own district only (403 otherwise, audited). A submitted or accepted report is
 * changed only after the planning office returns it.
 */
export async function saveReport(deps: ServiceDeps, caller: Caller, req: SaveReportRequest): Promise<ReportRow> {
  const ctx = await planContext(deps.store);
  itemOrThrow(ctx, req.item);
  const units = await unitsOrThrow(deps.store, [req.unit], 'unit');
  const unit = units.get(req.unit) as UnitRef;
  // Scope first: a caller who may not act for the unit learns nothing more (403).
  await requireActFor(deps, caller, unit, { type: 'plan_item', id: req.item });
  const owners = effectiveOwners(ctx, await ownersByItem(deps.store), req.item);
  if (!owners || (owners.lead !== req.unit && !owners.co.includes(req.unit))) {
    // A district reporting on an item its district does not own: refused like another district's (403).
    await requireAt(deps, caller, 'plan.assign', await cityCodeOf(deps.store.db), { type: 'plan_item', id: req.item });
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'unit', value: req.unit, rule: 'unit_owns_item', message_zh: `${unit.name_zh} 不是 ${req.item} 的责任单位`, message_en: `${unit.name_en || unit.code} does not own ${req.item}`, fix_zh: '先分配责任单位', fix_en: 'Assign the owners first' }] });
  }
  const problems: Problem[] = [];
  const period = parsePeriod(req.period);
  if (!period || period.year < ctx.plan.period.start || period.year > ctx.plan.period.end) {
    problems.push({ path: 'period', value: req.period, rule: 'plan_period', message_zh: `报告期须在规划期 ${ctx.plan.period.start}—${ctx.plan.period.end} 内，如 2023H1`, message_en: `the period must fall within the plan period ${ctx.plan.period.start}–${ctx.plan.period.end}, e.g. 2023H1` });
  }
  if (statusNeedsReason(req.status) && req.reason.trim() === '') {
    problems.push({ path: 'reason', rule: 'reason_required', message_zh: '状态为“存在风险”或“滞后”时须说明原因', message_en: 'a report that is at risk or delayed says why' });
  }
  if (req.submit && req.status === 'done' && req.evidence.length === 0) {
    problems.push({ path: 'evidence', rule: 'evidence_required', message_zh: '报告“已完成”须附佐证材料', message_en: 'a report saying "done" carries evidence' });
  }
  if (problems.length > 0) throw new EduplanError('E_INPUT_INVALID', { problems });
  const evidence = await citedFiles(deps.store.db, req.evidence, 'evidence');
  const now = deps.clock();
  const by = actorRef(caller);
  const id = await deps.store.transaction(async (tx) => {
    const before = await tx.db.selectFrom('plan_report').selectAll().where('item', '=', req.item).where('unit', '=', req.unit).where('period', '=', req.period).forUpdate().executeTakeFirst();
    if (before && (before.state === 'submitted' || before.state === 'accepted')) {
      throw new EduplanError('E_STATE', { detail: `report ${before.id} is ${before.state}`, problems: [{ path: 'state', value: before.state, rule: 'report_editable', message_zh: `该报告已${before.state === 'submitted' ? '报送，等待审核' : '审核通过'}，退回后才能修改`, message_en: `the report is ${before.state}; it can be changed once returned` }] });
    }
    const state: ReportState = req.submit ? 'submitted' : 'draft';
    const values = {
      status: req.status, reason: req.reason, narrative_zh: req.narrative_zh, narrative_en: req.narrative_en, evidence: JSON.stringify(evidence), state,
      updated_at: now, updated_by: by.actor, submitted_at: req.submit ? now : null,
    };
    let rid: number;
    if (before) {
      await tx.db.updateTable('plan_report').set({ ...values, version: before.version + 1, review_note: before.review_note }).where('id', '=', before.id).execute();
      rid = before.id;
    } else {
      rid = (await tx.db.insertInto('plan_report').values({ item: req.item, unit: req.unit, period: req.period, ...values, review_note: '', version: 1, source: 'workspace' }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await appendAudit(tx.db, now, {
      actorId: by.actorId, actor: by.actor, action: req.submit ? 'plan.report.submit' : 'plan.report.save', outcome: 'success', objectType: 'plan_report', objectId: rid, orgCode: unit.org_code, ip: by.ip,
      before: before ? { state: before.state, status: before.status, reason: before.reason, narrative_zh: before.narrative_zh } : null,
      after: { item: req.item, unit: req.unit, period: req.period, state, status: req.status, reason: req.reason, narrative_zh: req.narrative_zh, evidence: evidence.map((e) => e.sha256) },
    });
    return rid;
  });
  const [saved] = await reportRowsDb(deps.store, { id });
  return toReport(saved as ReportDb, units);
}

/** The planning office accepts a submitted report, or returns it saying what to change. */
export async function reviewReport(deps: ServiceDeps, caller: Caller, id: number, req: { decision: 'accept' | 'return'; note: string }): Promise<ReportRow> {
  const city = await cityCodeOf(deps.store.db);
  await requireAt(deps, caller, 'plan.review', city, { type: 'plan_report', id: String(id) });
  if (req.decision === 'return' && req.note.trim() === '') {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'note', rule: 'note_required', message_zh: '退回时须写明需要修改的内容', message_en: 'a returned report says what to change' }] });
  }
  const now = deps.clock();
  const by = actorRef(caller);
  await deps.store.transaction(async (tx) => {
    const r = await tx.db.selectFrom('plan_report').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!r) throw new EduplanError('E_NOT_FOUND', { detail: `report ${id}`, problems: [{ path: 'id', value: id, rule: 'report_exists', message_zh: `报告 ${id} 不存在`, message_en: `report ${id} does not exist` }] });
    if (r.state !== 'submitted') throw new EduplanError('E_STATE', { detail: `report ${id} is ${r.state}`, problems: [{ path: 'state', value: r.state, rule: 'report_submitted', message_zh: '只有已报送的报告可以审核', message_en: 'only a submitted report can be reviewed' }] });
    const state: ReportState = req.decision === 'accept' ? 'accepted' : 'returned';
    await tx.db.updateTable('plan_report').set({ state, review_note: req.note, reviewed_at: now, reviewed_by: by.actor, updated_at: now, updated_by: by.actor }).where('id', '=', id).execute();
    await appendAudit(tx.db, now, { actorId: by.actorId, actor: by.actor, action: `plan.report.${req.decision}`, outcome: 'success', objectType: 'plan_report', objectId: id, ip: by.ip, before: { state: r.state }, after: { state, note: req.note } });
  });
  return (await listReports(deps.store)).find((r) => r.id === id) as ReportRow;
}

// ---------------------------------------------------------------------------------------
// Roll-ups, task rows, 专栏 detail

/** The quantified targets an item answers for (a task area: with its sub-tasks and 专栏). */
export function targetsOfItem(item: PlanItem, rows: readonly TargetRow[]): TargetRow[] {
  const quantified = rows.filter((r) => r.kind !== 'indicator');
  if (item.kind === 'project') return quantified.filter((r) => r.project === item.code);
  if (item.kind === 'subtask') return quantified.filter((r) => r.task_area === item.area && r.subtask === item.subtask);
  return quantified.filter((r) => r.task_area === item.area);
}

const underItem = (ctx: PlanContext, item: PlanItem, code: string): boolean => {
  if (code === item.code) return true;
  if (item.kind !== 'area') return false;
  return ctx.itemByCode.get(code)?.area === item.code;
};

interface TaskInputs {
  readonly ctx: PlanContext;
  readonly rows: readonly TargetRow[];
  readonly owners: ReadonlyMap<string, Owners>;
  readonly units: ReadonlyMap<string, UnitRef>;
  readonly reports: readonly ReportRow[];
  readonly milestones: readonly MilestoneRow[];
  readonly today: string;
  readonly view: TargetView;
}

function standingsOf(inp: TaskInputs, item: string, owners: Owners | null, unit?: string): PeriodStanding[] {
  if (!owners) return [];
  const lastYear = Math.min(inp.ctx.plan.period.end, Number(inp.today.slice(0, 4)));
  const periods = periodsOf(owners.frequency, inp.ctx.plan.period.start, lastYear);
  const out: PeriodStanding[] = [];
  for (const u of [owners.lead, ...owners.co]) {
    if (unit !== undefined && u !== unit) continue;
    const facts: ReportFact[] = inp.reports.filter((r) => r.item === item && r.unit.code === u).map((r) => ({ period: r.period, state: r.state, submitted_at: r.submitted_at }));
    out.push(...standings(periods, facts, inp.today));
  }
  return out;
}

function taskRowOf(inp: TaskInputs, item: PlanItem): TaskRow {
  const owners = effectiveOwners(inp.ctx, inp.owners, item.code);
  const unitOf = (c: string): UnitRef => inp.units.get(c) ?? { code: c, name_zh: c, name_en: c, kind: 'department', org_code: '' };
  // The item's status: its lead unit's latest report (the public sees accepted reports only).
  const visible = inp.reports.filter((r) => r.item === item.code && (inp.view === 'public' ? r.state === 'accepted' : r.state === 'accepted' || r.state === 'submitted'));
  const lead = owners ? visible.filter((r) => r.unit.code === owners.lead) : [];
  const latest = [...lead].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0)).at(-1) ?? null;
  const targets = targetsOfItem(item, inp.rows);
  const milestones = inp.milestones.filter((m) => underItem(inp.ctx, item, m.item));
  return {
    code: item.code, kind: item.kind, source: item.source, number: item.number, title_zh: item.title_zh, title_en: item.title_en, area: item.area, subtask: item.subtask,
    owners: { lead: owners ? unitOf(owners.lead) : null, co: owners ? owners.co.map(unitOf) : [], frequency: owners?.frequency ?? 'semiannual' },
    status: latest?.status ?? 'not_reported', status_period: latest?.period ?? null, status_reason: latest ? latest.reason : null,
    reporting: reportingRate(standingsOf(inp, item.code, owners)),
    milestones: { total: milestones.length, done: milestones.filter((m) => m.done_on !== null).length, overdue: milestones.filter((m) => m.overdue).length },
    targets: { ...countStatuses(targets.map((t) => t.status as TargetStatus)), total: targets.length },
  };
}

async function taskInputs(store: Store, q: { year?: number | undefined; view: TargetView; now: Date }): Promise<TaskInputs & { year: number }> {
  const ctx = await planContext(store);
  const targets = await targetRows(store, { year: q.year, view: q.view });
  const today = chinaDate(q.now);
  const reports = await listReports(store, q.view === 'public' ? { states: ['accepted'] } : {});
  return {
    ctx, rows: targets.targets, owners: await ownersByItem(store), units: new Map((await listUnits(store)).map((u) => [u.code, u])),
    reports, milestones: await listMilestones(store, today), today, view: q.view, year: targets.year,
  };
}

/** One row per item: task areas, their sub-tasks, the 专栏 — owners, status, reporting rate, milestones, targets by status. */
export async function taskRowsOf(store: Store, q: { year?: number | undefined; view: TargetView; now: Date; kinds?: readonly PlanItem['kind'][] }): Promise<{ year: number; provisional: boolean; tasks: TaskRow[] }> {
  const inp = await taskInputs(store, q);
  const items = inp.ctx.items.filter((i) => q.kinds === undefined || q.kinds.includes(i.kind));
  return { year: inp.year, provisional: q.view === 'provisional', tasks: items.map((i) => taskRowOf(inp, i)) };
}

/** One 专栏: its text, targets with status, milestones, and reports (public: the accepted ones). */
export async function projectDetailOf(store: Store, id: string, q: { year?: number | undefined; view: TargetView; now: Date }): Promise<ProjectDetail> {
  const inp = await taskInputs(store, q);
  const n = /^(?:专栏)?(\d{1,3})$/.exec(id);
  const project = inp.ctx.plan.projects.find((p) => p.code === id || (n !== null && p.number === Number(n[1])));
  if (!project) throw new EduplanError('E_PLAN_ITEM_UNKNOWN', { detail: id, problems: [{ path: 'id', value: id, rule: 'project_exists', message_zh: `专栏 ${id} 不存在`, message_en: `专栏 ${id} does not exist` }] });
  const item = itemOrThrow(inp.ctx, project.code);
  const area = inp.ctx.plan.task_areas.find((a) => a.code === project.task_area);
  const reports = inp.reports.filter((r) => r.item === project.code);
  // The public sees each unit's latest accepted report; the workspace every report.
  const shown = q.view === 'public'
    ? [...new Map(reports.sort((a, b) => (a.period < b.period ? -1 : 1)).map((r) => [r.unit.code, r])).values()]
    : reports;
  return {
    year: inp.year, provisional: q.view === 'provisional',
    project: { ...taskRowOf(inp, item), items_zh: project.items_zh, summary_en: project.summary_en, text_en: project.text_en, task_area_title_zh: area?.title_zh ?? '', task_area_title_en: area?.title_en ?? '' },
    targets: targetsOfItem(item, inp.rows), milestones: inp.milestones.filter((m) => m.item === project.code), reports: shown,
  };
}

// ---------------------------------------------------------------------------------------
// Deadlines: what an owner owes, and who is late

/** The units the caller acts for (a district: its own; the city: all). */
async function unitsOfCaller(deps: ServiceDeps, caller: Caller): Promise<UnitRef[]> {
  const all = await listUnits(deps.store);
  const out: UnitRef[] = [];
  for (const u of all) if (await mayAt(deps.store.db, caller, 'plan.report', u.org_code)) out.push(u);
  return out;
}

/** What the caller's units owe: every report period due or coming, and their open milestones. */
export async function dueForCaller(deps: ServiceDeps, caller: Caller): Promise<{ today: string; due: DueRow[]; milestones: Array<MilestoneRow & { unit: UnitRef | null }> }> {
  if (!isSystem(caller)) await requireAt(deps, caller, 'plan.report', null, { type: 'plan_due', id: 'mine' });
  const mine = await unitsOfCaller(deps, caller);
  const mineCodes = new Set(mine.map((u) => u.code));
  const inp = await taskInputs(deps.store, { view: 'provisional', now: deps.clock() });
  const due: DueRow[] = [];
  const milestones: Array<MilestoneRow & { unit: UnitRef | null }> = [];
  for (const item of inp.ctx.items) {
    const owners = inp.owners.get(item.code);
    if (!owners) continue;
    for (const u of [owners.lead, ...owners.co]) {
      if (!mineCodes.has(u)) continue;
      const unit = inp.units.get(u) as UnitRef;
      for (const s of standingsOf(inp, item.code, owners, u)) {
        if (s.state === 'on_time' || s.state === 'late') continue;
        // Coming due: the next period only; owed: every past one.
        if (s.state === 'not_due' && s.period.start > inp.today) continue;
        const r = inp.reports.find((x) => x.item === item.code && x.unit.code === u && x.period === s.period.code);
        due.push({ item: item.code, title_zh: item.title_zh, title_en: item.title_en, unit, period: s.period.code, due: s.period.due, state: s.state, days_late: s.days_late, report_id: r?.id ?? null, report_state: r?.state ?? null });
      }
    }
    if (mineCodes.has(owners.lead)) for (const m of inp.milestones.filter((x) => x.item === item.code && x.done_on === null)) milestones.push({ ...m, unit: inp.units.get(owners.lead) ?? null });
  }
  due.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.item < b.item ? -1 : 1));
  return { today: inp.today, due, milestones };
}

/** The city sees who is late: per unit, its reporting rate, the reports overdue and its overdue milestones. */
export async function lateUnits(deps: ServiceDeps, caller: Caller): Promise<{ today: string; units: Array<{ unit: UnitRef; reporting: TaskRow['reporting']; overdue: Array<{ item: string; period: string; due: string; days_late: number }>; overdue_milestones: number }> }> {
  const city = await cityCodeOf(deps.store.db);
  await requireAt(deps, caller, 'plan.read', city, { type: 'plan_late', id: 'all' });
  const inp = await taskInputs(deps.store, { view: 'provisional', now: deps.clock() });
  const out = [];
  for (const unit of inp.units.values()) {
    const all: PeriodStanding[] = [];
    const overdue: Array<{ item: string; period: string; due: string; days_late: number }> = [];
    let overdueMilestones = 0;
    for (const [item, owners] of inp.owners) {
      if (owners.lead !== unit.code && !owners.co.includes(unit.code)) continue;
      const s = standingsOf(inp, item, owners, unit.code);
      all.push(...s);
      for (const x of s) if (x.state === 'missing' || x.state === 'returned') overdue.push({ item, period: x.period.code, due: x.period.due, days_late: x.days_late ?? 0 });
      if (owners.lead === unit.code) overdueMilestones += inp.milestones.filter((m) => m.item === item && m.overdue).length;
    }
    if (all.length === 0) continue;
    out.push({ unit, reporting: reportingRate(all), overdue, overdue_milestones: overdueMilestones });
  }
  // Least reported first: the city calls them.
  out.sort((a, b) => (a.reporting.rate ?? 1) - (b.reporting.rate ?? 1) || b.overdue.length - a.overdue.length || (a.unit.code < b.unit.code ? -1 : 1));
  return { today: inp.today, units: out };
}
