/**
 * The workflow's steps (填报—审核—锁定): a school reporter saves a draft of a form's values
 * and comments and submits it with the statistics law's three sign-offs; the school's
 * district approves it (its values become the school's `data_value` rows in the same
 * transaction) or returns it with a reason; the city locks approved submissions and may
 * reopen a locked one with a reason. Every step checks the actor's role *and* that the
 * school lies within the actor's scope, and is audited with before and after.
 */
import type { Kysely } from 'kysely';
import type { Json } from '../../core/audit/chain.ts';
import type { Action } from '../../core/auth/roles.ts';
import { EduplanError, type Problem } from '../../core/errors.ts';
import { draftProblems } from '../../core/forms/draft-limits.ts';
import type { FormDef } from '../../core/forms/index.ts';
import { needsReason, nextState, type SignOffs, type Transition } from '../../core/workflow/submission.ts';
import type { FormSchool } from '../../contract/forms.ts';
import type { SaveDraftRequest, Submission, SubmissionWithValidation } from '../../contract/submissions.ts';
import type { Database } from '../../store/schema.ts';
import { appendAudit, type AuditInput } from '../audit.ts';
import { deny, requireAction, requireObjectAt } from '../authorize.ts';
import type { Actor, ServiceDeps } from '../deps.ts';
import { formOrThrow, requireSchoolFor, validateStored } from '../form-context.ts';
import { afterDataChanged, markStale, type RecomputeOutcome } from '../recompute.ts';
import { withIdempotency, type Idempotency, type Outcome } from './idempotency.ts';
import { audited, changedValues, loadRow, toView, type Comments, type SubmissionRow, type Values } from './records.ts';

/** A write that may be retried with an `Idempotency-Key`. */
export interface Retryable { readonly idempotency?: Idempotency | undefined }

export type SaveDraftInput = SaveDraftRequest & Retryable;

/** A draft whose form, school, scope and values have been checked. */
export interface CheckedDraft {
  readonly form: FormDef;
  readonly school: FormSchool;
  readonly year: number;
  readonly values: Values;
  readonly comments: Comments;
}

export function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'year', value: year, rule: 'year', message_zh: '学年须为 2000–2100 的整数', message_en: 'year must be an integer 2000–2100' }] });
}

/** Comments as stored: blank explanations are no explanations. */
export function storedComments(comments: Readonly<Record<string, string>> | undefined): Comments {
  const out: Comments = {};
  for (const [k, v] of Object.entries(comments ?? {})) if (v.trim() !== '') out[k] = v;
  return out;
}

/** Create or update the draft row for (school, form, year); the audit record to append. */
async function writeDraft(db: Kysely<Database>, actor: Actor, now: Date, d: CheckedDraft): Promise<{ row: SubmissionRow; event: AuditInput }> {
  // Only the form's own cells, comments bounded (core/forms/draft-limits.ts): whatever is stored is also copied into the audit log.
  const problems = draftProblems(d.form, d.values, d.comments);
  if (problems.length > 0) throw new EduplanError('E_INPUT_INVALID', { problems });
  // A first save that races another (a double click, no Idempotency-Key) must not fail on the
  // (org, form, year) key: the insert does nothing when the row exists, and the save becomes
  // an edit of that row, serialised by its row lock.
  const created = await db.insertInto('submission').values({
    org_code: d.school.code, form_code: d.form.code, year: d.year, state: 'draft', entries: JSON.stringify(d.values), comments: JSON.stringify(d.comments),
    signoffs: null, version: 1, reason: null, created_at: now, created_by: actor.account.id, updated_at: now, updated_by: actor.account.id,
    submitted_at: null, submitted_by: null, approved_at: null, approved_by: null, locked_at: null, locked_by: null,
  }).onConflict((oc) => oc.columns(['org_code', 'form_code', 'year']).doNothing()).returningAll().executeTakeFirst();
  if (created) {
    return { row: created, event: { ...audited(actor, 'submission.create', created), before: null, after: { state: 'draft', values: d.values as Record<string, Json>, comments: d.comments } } };
  }
  const existing = await db.selectFrom('submission').selectAll().where('org_code', '=', d.school.code).where('form_code', '=', d.form.code).where('year', '=', d.year).forUpdate().executeTakeFirstOrThrow();
  if (nextState(existing.state, 'edit') === null) throw new EduplanError('E_STATE', { detail: `submission ${existing.id} is ${existing.state}` });
  const before = toView(existing);
  const row = await db.updateTable('submission').set({ entries: JSON.stringify(d.values), comments: JSON.stringify(d.comments), version: existing.version + 1, updated_at: now, updated_by: actor.account.id })
    .where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
  const diff = changedValues(before.values, d.values);
  return { row, event: { ...audited(actor, 'submission.edit', row), before: { values: diff.before, comments: before.comments }, after: { values: diff.after, comments: d.comments } } };
}

/** Create or update the draft for (school, form, year). Returns it with its validation result. */
export async function saveDraft(deps: ServiceDeps, actor: Actor, input: SaveDraftInput): Promise<Outcome<SubmissionWithValidation>> {
  await requireAction(deps, actor, 'submission.edit');
  const form = formOrThrow(input.formCode, 'formCode');
  checkYear(input.year);
  await requireObjectAt(deps, actor, 'submission.edit', input.orgCode, { type: 'submission' });
  const draft: CheckedDraft = { form, school: await requireSchoolFor(deps.store.db, form, input.orgCode, 'formCode'), year: input.year, values: input.values, comments: storedComments(input.comments) };
  return withIdempotency(deps, actor, input.idempotency, async (db) => {
    const now = deps.clock();
    const { row, event } = await writeDraft(db, actor, now, draft);
    const validation = await validateStored(db, form, draft.school, draft.year, draft.values, draft.comments);
    // Audit last: appending holds the chain's lock until commit, so keep that stretch short.
    await appendAudit(db, now, event);
    return { submission: toView(row), validation };
  });
}

/**
 * Store a draft the caller has already checked and validated (forms.uploadWorkbook: the
 * workbook's form, school and the account's scope to edit it).
 */
export async function storeCheckedDraft(deps: ServiceDeps, actor: Actor, draft: CheckedDraft): Promise<Submission> {
  checkYear(draft.year);
  return deps.store.transaction(async (tx) => {
    const now = deps.clock();
    const { row, event } = await writeDraft(tx.db, actor, now, draft);
    await appendAudit(tx.db, now, event);
    return toView(row);
  });
}

async function transition(
  deps: ServiceDeps, actor: Actor, id: number, t: Transition, action: Action,
  apply: (db: Kysely<Database>, row: SubmissionRow, now: Date) => Promise<Partial<Record<string, unknown>>>,
  opts: { reason?: string | undefined; idem?: Idempotency | undefined } = {},
): Promise<Outcome<Submission>> {
  await requireAction(deps, actor, action);
  const peek = await loadRow(deps.store.db, id);
  if (!peek) throw new EduplanError('E_NOT_FOUND');
  await requireObjectAt(deps, actor, action, peek.org_code, { type: 'submission', id });
  const reason = opts.reason?.trim() ?? '';
  if (needsReason(t) && reason.length === 0) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'reason', rule: 'required', message_zh: t === 'return' ? '退回须写明原因' : '重新打开已锁定的填报须写明原因', message_en: t === 'return' ? 'A return needs a reason' : 'Reopening a locked submission needs a reason' }] });
  }
  return withIdempotency(deps, actor, opts.idem, async (db) => {
    const now = deps.clock();
    const row = await loadRow(db, id, true);
    if (!row) throw new EduplanError('E_NOT_FOUND');
    const to = nextState(row.state, t);
    if (to === null) throw new EduplanError('E_STATE', { detail: `cannot ${t} a ${row.state} submission` });
    const extra = await apply(db, row, now);
    const updated = await db.updateTable('submission')
      .set({ state: to, version: row.version + 1, updated_at: now, updated_by: actor.account.id, ...(needsReason(t) ? { reason } : {}), ...extra })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await appendAudit(db, now, { ...audited(actor, `submission.${t}`, row), before: { state: row.state }, after: { state: to, ...(needsReason(t) ? { reason } : {}), ...(t === 'submit' ? { signoffs: updated.signoffs as Json } : {}) } });
    return toView(updated);
  });
}

/** The three sign-offs, each a name (trimmed); any missing or blank is a located problem. */
function checkSignoffs(s: unknown): SignOffs {
  const o = (s ?? {}) as Record<string, unknown>;
  const problems: Problem[] = [];
  const names = { preparer: ['填报人', 'preparer'], reviewer: ['审核人', 'reviewer'], head: ['单位负责人', 'head of the unit'] } as const;
  for (const [k, [zh, en]] of Object.entries(names)) {
    const v = o[k];
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > 100) problems.push({ path: `signoffs.${k}`, rule: 'required', message_zh: `须填写${zh}姓名（《统计法》要求填报人、审核人、单位负责人签署）`, message_en: `The ${en}'s name is required (the statistics law requires the preparer, reviewer and head to sign)` });
  }
  if (problems.length > 0) throw new EduplanError('E_INPUT_INVALID', { problems });
  return { preparer: String(o.preparer).trim(), reviewer: String(o.reviewer).trim(), head: String(o.head).trim() };
}

/** Submit: refuses while hard problems remain or a soft problem lacks an explanation. */
export async function submit(deps: ServiceDeps, actor: Actor, input: { id: number; signoffs: Partial<SignOffs> } & Retryable): Promise<Outcome<Submission>> {
  const signoffs = checkSignoffs(input.signoffs);
  return transition(deps, actor, input.id, 'submit', 'submission.submit', async (db, row, now) => {
    const form = formOrThrow(row.form_code, 'formCode');
    const v = await validateStored(db, form, row.org_code, row.year, row.entries as Values, row.comments as Comments);
    const blocking = [...v.hard, ...v.unexplained.map((p) => ({ ...p, rule: `${p.rule}`, fix_zh: `修改该值，或在相关单元格的说明中解释原因。${p.fix_zh ?? ''}`, fix_en: `Change the value or explain it in a comment on the cell. ${p.fix_en ?? ''}` }))];
    if (blocking.length > 0) throw new EduplanError('E_SUBMISSION_INVALID', { problems: blocking });
    return { signoffs: JSON.stringify(signoffs), submitted_at: now, submitted_by: actor.account.id };
  }, { idem: input.idempotency });
}

/**
 * District approval: the values become the school's data_value rows in the same transaction,
 * which marks the year's figures stale; the recompute follows (services/recompute.ts) and its
 * outcome is part of the answer. The figures stay provisional until the city releases them.
 */
export async function approve(deps: ServiceDeps, actor: Actor, input: { id: number } & Retryable): Promise<Outcome<Submission> & { indicators: RecomputeOutcome['status'] }> {
  const { id } = input;
  const peek = await loadRow(deps.store.db, id);
  if (peek && peek.state === 'submitted' && (peek.submitted_by === actor.account.id || await enteredValues(deps.store.db, id, actor.account.id))) {
    await deny(deps, actor, 'submission.approve.own', { type: 'submission', id, org: peek.org_code }, 'you submitted or entered values of this submission; another reviewer must approve it');
  }
  const out = await transition(deps, actor, id, 'approve', 'submission.approve', async (db, row, now) => {
    // Separation of duties (AC-04): nobody approves a submission they submitted or whose values they entered.
    if (row.submitted_by === actor.account.id || await enteredValues(db, id, actor.account.id)) {
      throw new EduplanError('E_FORBIDDEN', { detail: 'you submitted or entered values of this submission; another reviewer must approve it' });
    }
    const values = row.entries as Values;
    const source = `submission:${row.id}`;
    const nulls = Object.entries(values).filter(([, v]) => v === null).map(([k]) => k);
    if (nulls.length > 0) await db.deleteFrom('data_value').where('org_code', '=', row.org_code).where('year', '=', row.year).where('element', 'in', nulls).execute();
    const rows = Object.entries(values).filter((e): e is [string, number] => e[1] !== null).map(([element, value]) => ({ org_code: row.org_code, year: row.year, element, value, source }));
    for (let i = 0; i < rows.length; i += 500) {
      await db.insertInto('data_value').values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['year', 'org_code', 'element']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), source: eb.ref('excluded.source') }))).execute();
    }
    await markStale(db, now, [row.year], `submission:${row.id}`, [row.org_code]);
    return { approved_at: now, approved_by: actor.account.id };
  }, { idem: input.idempotency });
  return { ...out, indicators: out.replayed ? 'unchanged' : (await afterDataChanged(deps)).status };
}

/**
 * Whether the account ever saved values into this submission (a draft save or a workbook
 * upload: `submission.create` / `submission.edit` in the audit log, which names who did it).
 * `submitted_by` alone misses an account that entered the values and left the submitting to
 * someone else — for instance one holding a school's reporter role and its district's
 * reviewer role.
 */
async function enteredValues(db: Kysely<Database>, submissionId: number, accountId: number): Promise<boolean> {
  const hit = await db.selectFrom('audit_event').select('seq')
    .where('object_type', '=', 'submission').where('object_id', '=', String(submissionId))
    .where('actor_id', '=', accountId).where('action', 'in', ['submission.create', 'submission.edit']).where('outcome', '=', 'success')
    .limit(1).executeTakeFirst();
  return hit !== undefined;
}

export function returnSubmission(deps: ServiceDeps, actor: Actor, input: { id: number; reason: string } & Retryable): Promise<Outcome<Submission>> {
  return transition(deps, actor, input.id, 'return', 'submission.return', async () => ({}), { reason: input.reason, idem: input.idempotency });
}

export function lock(deps: ServiceDeps, actor: Actor, input: { id: number } & Retryable): Promise<Outcome<Submission>> {
  return transition(deps, actor, input.id, 'lock', 'submission.lock', async (_db, _row, now) => ({ locked_at: now, locked_by: actor.account.id }), { idem: input.idempotency });
}

export function reopen(deps: ServiceDeps, actor: Actor, input: { id: number; reason: string } & Retryable): Promise<Outcome<Submission>> {
  return transition(deps, actor, input.id, 'reopen', 'submission.reopen', async () => ({ locked_at: null, locked_by: null }), { reason: input.reason, idem: input.idempotency });
}
