/**
 * Completeness and timeliness (完整性与及时性) of the year's forms per district, and the
 * deadlines they are measured against (set by the city).
 */
import { sql } from 'kysely';
import { EduplanError } from '../../core/errors.ts';
import { formByCode } from '../../core/forms/index.ts';
import { progressTable } from '../../core/workflow/submission.ts';
import type { CompletenessCell, Deadline, SetDeadlineRequest } from '../../contract/submissions.ts';
import { appendAudit } from '../audit.ts';
import { requireAction } from '../authorize.ts';
import type { Actor, ServiceDeps } from '../deps.ts';
import { formOrThrow } from '../form-context.ts';
import { iso } from './records.ts';
import { scopeCodes } from './reads.ts';

/** The city (or a district, for itself) sees completeness and timeliness per district and form. */
export async function completeness(deps: ServiceDeps, actor: Actor, input: { year: number }): Promise<{ year: number; cells: CompletenessCell[] }> {
  const { year } = input;
  await requireAction(deps, actor, 'progress.read');
  const codes = await scopeCodes(deps.store.db, actor.account.grants, 'progress.read');
  const inScope = (district: string | null): boolean => codes === null || (district !== null && codes.includes(district));
  const start = `${year}-09-01`;
  const schools = await deps.store.db.selectFrom('org_unit').select(['parent_code', 'school_type', sql<number>`count(*)`.as('n')])
    .where('level', '=', 'school')
    .where((eb) => eb.or([eb('opened', 'is', null), eb('opened', '<=', start)]))
    .where((eb) => eb.or([eb('closed', 'is', null), eb('closed', '>', start)]))
    .groupBy(['parent_code', 'school_type']).execute();
  const expected = schools.filter((s) => inScope(s.parent_code) && s.school_type !== null && formByCode(`annual.${s.school_type}`))
    .map((s) => ({ district_code: s.parent_code as string, form_code: `annual.${s.school_type}`, count: Number(s.n) }));
  const subs = await deps.store.db.selectFrom('submission as s').innerJoin('org_unit as o', 'o.code', 's.org_code')
    .select(['s.org_code', 'o.parent_code', 's.form_code', 's.state', 's.submitted_at']).where('s.year', '=', year).execute();
  const summaries = subs.filter((s) => inScope(s.parent_code)).map((s) => ({
    org_code: s.org_code, district_code: s.parent_code ?? '', form_code: s.form_code, state: s.state, submitted_at: iso(s.submitted_at),
  }));
  const dl = await deps.store.db.selectFrom('form_deadline').select(['form_code', 'due_at']).where('year', '=', year).execute();
  const deadlines: Record<string, string> = {};
  for (const d of dl) deadlines[d.form_code] = new Date(d.due_at).toISOString();
  return { year, cells: progressTable(expected, summaries, deadlines) };
}

/** The city sets the deadline of a form for a year. */
export async function setDeadline(deps: ServiceDeps, actor: Actor, input: SetDeadlineRequest): Promise<Deadline> {
  const { formCode, year, dueAt } = input;
  await requireAction(deps, actor, 'deadline.set');
  formOrThrow(formCode, 'formCode');
  const due = new Date(dueAt);
  if (Number.isNaN(due.getTime())) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'dueAt', value: dueAt, rule: 'datetime', message_zh: '截止时间须为 ISO 8601 时间，如 2024-10-15T17:00:00+08:00', message_en: 'dueAt must be an ISO 8601 instant, e.g. 2024-10-15T17:00:00+08:00' }] });
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    const before = await tx.db.selectFrom('form_deadline').select('due_at').where('form_code', '=', formCode).where('year', '=', year).executeTakeFirst();
    await tx.db.insertInto('form_deadline').values({ form_code: formCode, year, due_at: due, set_by: actor.account.id })
      .onConflict((oc) => oc.columns(['form_code', 'year']).doUpdateSet({ due_at: due, set_by: actor.account.id })).execute();
    await appendAudit(tx.db, now, { actorId: actor.account.id, actor: actor.account.username, action: 'deadline.set', outcome: 'success', objectType: 'form_deadline', objectId: `${formCode}/${year}`, ip: actor.ip, before: before ? { due_at: new Date(before.due_at).toISOString() } : null, after: { due_at: due.toISOString() } });
    return { formCode, year, dueAt: due.toISOString() };
  });
}
