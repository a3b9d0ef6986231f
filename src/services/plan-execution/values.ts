/**
 * Entered target values (填报值): for a target whose data path is `entered`, its owner enters
 * the year's value with evidence (a survey report, a certification list). Only the units that
 * own the target's item (its 专栏, sub-task or task area) — or the city — may enter it; every
 * entry is audited with the value it replaced. The public sees it once the city releases the year.
 */
import { EduplanError } from '../../core/errors.ts';
import { measureOf } from '../../core/plan/data-path.ts';
import type { Store } from '../../store/store.ts';
import { appendAudit } from '../audit.ts';
import type { Caller, ServiceDeps } from '../deps.ts';
import { actorRef, cityCodeOf, mayAt, requireAt } from './access.ts';
import { planContext, targetOrThrow } from './context.ts';
import { citedFiles, type FileRef } from './files.ts';
import { effectiveOwners, itemOfTarget, listUnits, ownersByItem } from './tasks.ts';

export interface EnteredValue {
  readonly measure: string;
  readonly year: number;
  readonly value: number;
  readonly note: string;
  readonly evidence: FileRef[];
  readonly entered_at: string;
  readonly entered_by: string;
}

export async function enteredValues(store: Store, measure: string): Promise<EnteredValue[]> {
  const rows = await store.db.selectFrom('target_entry').selectAll().where('measure', '=', measure).orderBy('year').execute();
  return rows.map((r) => ({ measure: r.measure, year: r.year, value: Number(r.value), note: r.note, evidence: (typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence) as FileRef[], entered_at: new Date(r.entered_at).toISOString(), entered_by: r.entered_by }));
}

export async function enterTargetValue(deps: ServiceDeps, caller: Caller, targetId: string, year: number, req: { value: number; note: string; evidence: readonly string[] }): Promise<EnteredValue> {
  const ctx = await planContext(deps.store);
  const t = targetOrThrow(ctx, targetId);
  const db = deps.store.db;
  // Who: the city, or a unit owning the target's item (a district only for items its district owns).
  const city = await cityCodeOf(db);
  if (!(await mayAt(db, caller, 'plan.assign', city))) {
    const item = itemOfTarget(t);
    const owners = item === null ? null : effectiveOwners(ctx, await ownersByItem(deps.store), item);
    const units = (await listUnits(deps.store)).filter((u) => owners !== null && (u.code === owners.lead || owners.co.includes(u.code)));
    const allowed = (await Promise.all(units.map((u) => mayAt(db, caller, 'plan.report', u.org_code)))).some(Boolean);
    if (!allowed) await requireAt(deps, caller, 'plan.assign', city, { type: 'plan_target', id: targetId });
  }
  if (t.data_path.kind !== 'entered') {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'target', value: targetId, rule: 'entered_target', message_zh: `目标 ${targetId} 的数值来自${t.data_path.kind === 'indicator' ? '指标计算' : '名录计数'}，不能手工填报`, message_en: `target ${targetId} takes its value from ${t.data_path.kind === 'indicator' ? 'an indicator' : 'a registry'}; it cannot be entered` }] });
  }
  if (year < ctx.plan.baseline_year || year > ctx.plan.period.end) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'year', value: year, rule: 'plan_year', message_zh: `年份须在 ${ctx.plan.baseline_year}—${ctx.plan.period.end} 之间`, message_en: `the year must be within ${ctx.plan.baseline_year}–${ctx.plan.period.end}` }] });
  }
  if (t.judged.unit === '%' && (req.value < 0 || req.value > 100)) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'value', value: req.value, rule: 'range', message_zh: '百分比须在 0—100 之间', message_en: 'a percentage is within 0–100' }] });
  }
  const evidence = await citedFiles(db, req.evidence, 'evidence');
  const measure = measureOf(t.id, t.data_path);
  const now = deps.clock();
  const by = actorRef(caller);
  await deps.store.transaction(async (tx) => {
    const before = await tx.db.selectFrom('target_entry').select(['value', 'evidence']).where('measure', '=', measure).where('year', '=', year).executeTakeFirst();
    const row = { measure, year, value: req.value, note: req.note, evidence: JSON.stringify(evidence), source: 'workspace', entered_at: now, entered_by: by.actor };
    await tx.db.insertInto('target_entry').values(row).onConflict((oc) => oc.columns(['measure', 'year']).doUpdateSet({ value: row.value, note: row.note, evidence: row.evidence, source: row.source, entered_at: now, entered_by: by.actor })).execute();
    await appendAudit(tx.db, now, {
      actorId: by.actorId, actor: by.actor, action: 'target.value.enter', outcome: 'success', objectType: 'target_entry', objectId: `${measure}/${year}`, ip: by.ip,
      before: before ? { value: Number(before.value) } : null, after: { target: targetId, value: req.value, evidence: evidence.map((e) => e.sha256) },
    });
  });
  return (await enteredValues(deps.store, measure)).find((v) => v.year === year) as EnteredValue;
}
