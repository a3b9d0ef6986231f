/**
 * Reading submissions: one with its validation, the list within the actor's scope, and
 * one's history from the audit log. Authorised like the data itself (AUD-07): outside the
 * actor's scope a submission does not exist (E_NOT_FOUND).
 */
import { EduplanError } from '../../core/errors.ts';
import { scopeCodes as scopeCodesAt, type Action, type Grant } from '../../core/auth/roles.ts';
import { formByCode } from '../../core/forms/index.ts';
import { rootCodeOr } from '../org-tree.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { HistoryEntry, ListSubmissionsQuery, SubmissionListItem, SubmissionWithValidation } from '../../contract/submissions.ts';
import { requireAction, requireObjectAt } from '../authorize.ts';
import type { Actor, ServiceDeps } from '../deps.ts';
import { validateStored } from '../form-context.ts';
import { iso, loadRow, toView } from './records.ts';

/** Org codes whose schools the grants cover for `action`: null = the whole region (a grant at the root). */
export const scopeCodes = async (db: Kysely<Database>, grants: readonly Grant[], action: Action): Promise<string[] | null> => scopeCodesAt(grants, action, await rootCodeOr(db, ''));

/** A submission the actor may read, or E_NOT_FOUND (audited) — also when it does not exist. */
async function readable(deps: ServiceDeps, actor: Actor, id: number) {
  await requireAction(deps, actor, 'submission.read');
  const row = await loadRow(deps.store.db, id);
  if (!row) throw new EduplanError('E_NOT_FOUND');
  await requireObjectAt(deps, actor, 'submission.read', row.org_code, { type: 'submission', id });
  return row;
}

/** One submission with its validation against the stored context. */
export async function getSubmission(deps: ServiceDeps, actor: Actor, input: { id: number }): Promise<SubmissionWithValidation> {
  const row = await readable(deps, actor, input.id);
  const v = toView(row);
  const form = formByCode(row.form_code);
  const validation = form ? await validateStored(deps.store.db, form, row.org_code, row.year, v.values, v.comments) : { hard: [], soft: [], unexplained: [] };
  return { submission: v, validation };
}

/** Submissions within the actor's scope (a school sees its own, a district its schools, the city all). */
export async function listSubmissions(deps: ServiceDeps, actor: Actor, q: ListSubmissionsQuery): Promise<SubmissionListItem[]> {
  await requireAction(deps, actor, 'submission.read');
  const codes = await scopeCodes(deps.store.db, actor.account.grants, 'submission.read');
  let query = deps.store.db.selectFrom('submission as s').innerJoin('org_unit as o', 'o.code', 's.org_code')
    .select(['s.id', 's.org_code', 'o.name_zh', 'o.parent_code', 's.form_code', 's.year', 's.state', 's.submitted_at', 's.updated_at'])
    .orderBy('s.id').limit(Math.min(q.limit ?? 500, 5000)).offset(q.offset ?? 0);
  if (codes !== null) {
    if (codes.length === 0) return [];
    query = query.where((eb) => eb.or([eb('s.org_code', 'in', codes), eb('o.parent_code', 'in', codes)]));
  }
  if (q.year !== undefined) query = query.where('s.year', '=', q.year);
  if (q.formCode !== undefined) query = query.where('s.form_code', '=', q.formCode);
  if (q.state !== undefined) query = query.where('s.state', '=', q.state);
  if (q.districtCode !== undefined) query = query.where('o.parent_code', '=', q.districtCode);
  return (await query.execute()).map((r) => ({
    id: r.id, orgCode: r.org_code, orgName: r.name_zh, districtCode: r.parent_code, formCode: r.form_code, year: r.year, state: r.state,
    submittedAt: iso(r.submitted_at), updatedAt: iso(r.updated_at) as string,
  }));
}

/** A submission's history from the audit log, for whoever may read the submission. */
export async function history(deps: ServiceDeps, actor: Actor, input: { id: number }): Promise<HistoryEntry[]> {
  await readable(deps, actor, input.id);
  const events = await deps.store.db.selectFrom('audit_event').select(['seq', 'at', 'actor', 'action', 'before', 'after'])
    .where('object_type', '=', 'submission').where('object_id', '=', String(input.id)).orderBy('seq').execute();
  return events.map((e) => ({ seq: Number(e.seq), at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, before: e.before, after: e.after }));
}
