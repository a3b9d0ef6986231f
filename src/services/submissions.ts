/**
 * The submission workflow (填报—审核—锁定). A school reporter saves a draft of a form's
 * values and comments and submits it with the statistics law's three sign-offs; the
 * school's district approves it (its values become the school's `data_value` rows in
 * the same transaction) or returns it with a reason; the city locks approved submissions
 * and may reopen a locked one with a reason. Every step checks the actor's role *and*
 * that the school lies within the actor's scope, and is audited with before and after.
 *
 * Pushes from district systems carry an `Idempotency-Key`: a retried request with the
 * same key and body gets the first answer again and changes nothing (`withIdempotency`).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import { canonicalJson, type Json } from '../core/audit/chain.ts';
import { mayDo, mayDoAt, scopeCodes as scopeCodesAt, type Action, type Grant } from '../core/auth/roles.ts';
import { nextState, needsReason, progressTable, type ProgressCell, type SignOffs, type SubmissionState, type Transition } from '../core/workflow/submission.ts';
import { formByCode, forms, type FormDef } from '../core/forms/index.ts';
import { validateValues } from '../core/validation/engine.ts';
import { validationContext } from './forms.ts';
import { CITY_CODE } from '../core/org/districts.ts';
import type { Database } from '../store/schema.ts';
import { appendAudit, type AuditInput } from './audit.ts';
import { afterDataChanged, markStale, type RecomputeOutcome } from './recompute.ts';
import { orgPath } from './auth.ts';
import { deny, requireAction, type Actor, type ServiceDeps } from './accounts.ts';

export type Values = Record<string, number | null>;
export type Comments = Record<string, string>;

export interface SubmissionView {
  readonly id: number;
  readonly orgCode: string;
  readonly formCode: string;
  readonly year: number;
  readonly state: SubmissionState;
  readonly version: number;
  readonly values: Values;
  readonly comments: Comments;
  readonly signoffs: SignOffs | null;
  readonly reason: string | null;
  readonly submittedAt: string | null;
  readonly approvedAt: string | null;
  readonly lockedAt: string | null;
  readonly updatedAt: string;
}

export interface ValidationSummary {
  readonly hard: Problem[];
  readonly soft: Problem[];
  /** Soft problems still lacking an explanation (they block submit). */
  readonly unexplained: Problem[];
}

type SubmissionRow = Awaited<ReturnType<typeof loadRow>>;
function loadRow(db: Kysely<Database>, id: number, forUpdate = false) {
  const q = db.selectFrom('submission').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toView(r: NonNullable<SubmissionRow>): SubmissionView {
  return {
    id: r.id, orgCode: r.org_code, formCode: r.form_code, year: r.year, state: r.state, version: r.version,
    values: (r.entries ?? {}) as Values, comments: (r.comments ?? {}) as Comments, signoffs: (r.signoffs ?? null) as SignOffs | null,
    reason: r.reason, submittedAt: iso(r.submitted_at), approvedAt: iso(r.approved_at), lockedAt: iso(r.locked_at), updatedAt: iso(r.updated_at) as string,
  };
}

function formOrThrow(code: string): FormDef {
  const f = formByCode(code);
  if (!f) throw new EduplanError('E_NOT_FOUND', { detail: `form ${code}`, problems: [{ path: 'formCode', value: code, rule: 'form_exists', message_zh: `没有代码为 ${code} 的报表`, message_en: `no form with code ${code}`, fix_zh: `可用报表：${forms.map((x) => x.code).join('、')}`, fix_en: `forms: ${forms.map((x) => x.code).join(', ')}` }] });
  return f;
}

/** Object-level check: the actor may do `action` at this org unit, else audited 404 (nothing about the object leaks). */
async function requireAt(deps: ServiceDeps, actor: Actor, action: Action, orgCode: string, object: { type: string; id?: number | string }): Promise<void> {
  const path = await orgPath(deps.store.db, orgCode);
  if (path && mayDoAt(actor.account.grants, action, path)) return;
  if (!mayDo(actor.account.grants, action) || path === null || !mayDoAt(actor.account.grants, 'submission.read', path)) {
    // Outside the actor's scope: answer as if it did not exist.
    await deny(deps, actor, action, { ...object, org: orgCode }).catch(() => undefined);
    throw new EduplanError('E_NOT_FOUND');
  }
  await deny(deps, actor, action, { ...object, org: orgCode });
}

function checkValues(values: unknown): Values {
  const problems: Problem[] = [];
  const out: Values = {};
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'values', rule: 'object', message_zh: 'values 须为 {数据项代码: 数值或 null}', message_en: 'values must be {element code: number or null}' }] });
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length > 20_000) throw new EduplanError('E_INPUT_INVALID', { detail: 'too many values' });
  for (const [k, v] of entries) {
    if (k.length > 200) problems.push({ path: 'values', value: k.slice(0, 40), rule: 'code_length', message_zh: '数据项代码过长', message_en: 'element code too long' });
    else if (v === null) out[k] = null;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
    else problems.push({ path: `values.${k}`, value: v, rule: 'number', message_zh: `「${k}」须为数值或留空`, message_en: `"${k}" must be a number or null` });
  }
  if (problems.length > 0) throw new EduplanError('E_INPUT_INVALID', { problems });
  return out;
}

function checkComments(comments: unknown): Comments {
  if (comments === undefined || comments === null) return {};
  if (typeof comments !== 'object' || Array.isArray(comments)) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'comments', rule: 'object', message_zh: 'comments 须为 {数据项代码: 说明}', message_en: 'comments must be {element code: text}' }] });
  const out: Comments = {};
  for (const [k, v] of Object.entries(comments as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.length > 2000) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: `comments.${k}`, rule: 'text', message_zh: '说明须为不超过 2000 字的文本', message_en: 'a comment is text of at most 2000 characters' }] });
    if (v.trim() !== '') out[k] = v;
  }
  return out;
}

export async function validateSubmission(db: Kysely<Database>, form: FormDef, orgCode: string, year: number, values: Values, comments: Comments): Promise<ValidationSummary> {
  // The forms service's context loads every field of the form for peers, so an outlier rule
  // reading enrolment as well as its marked cell (e.g. 生师比 = sum(enrol.*) / teachers.fulltime)
  // sees whole peers; picking peers' codes from the marked cells left them without enrolment.
  const r = validateValues(form, values, await validationContext(db, form, orgCode, year, comments));
  return { hard: r.hard, soft: r.soft, unexplained: r.unexplained };
}

/** The school must be a school of the form's type. */
async function checkSchool(db: Kysely<Database>, form: FormDef, orgCode: string): Promise<void> {
  const o = await db.selectFrom('org_unit').select(['level', 'school_type']).where('code', '=', orgCode).executeTakeFirst();
  if (!o || o.level !== 'school' || o.school_type !== form.schoolType) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'formCode', value: form.code, rule: 'form_school_type', message_zh: `报表 ${form.code} 不适用于机构 ${orgCode}`, message_en: `form ${form.code} does not apply to org unit ${orgCode}`, fix_zh: '使用与学校办学类型相符的报表', fix_en: "Use the form for the school's type" }] });
  }
}

function changedValues(before: Values, after: Values): { before: Record<string, Json>; after: Record<string, Json> } {
  const b: Record<string, Json> = {};
  const a: Record<string, Json> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[k] !== after[k]) { b[k] = before[k] ?? null; a[k] = after[k] ?? null; }
  }
  return { before: b, after: a };
}

const audited = (actor: Actor, action: string, s: { id: number; org_code: string }) => ({
  actorId: actor.account.id, actor: actor.account.username, action, outcome: 'success' as const,
  objectType: 'submission', objectId: s.id, orgCode: s.org_code, ip: actor.ip,
});

// ---- idempotency (Idempotency-Key)

export interface Idempotency {
  readonly key: string;
  /** SHA-256 of the canonical request (method, path, body). */
  readonly requestHash: string;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ method, path, body: body ?? null })).digest('hex');
}

export interface Outcome<T> {
  readonly status: number;
  readonly body: T;
  /** True when this answer is the stored answer of an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * Run `fn` once per (account, key): inside the same transaction as `fn`, record the answer
 * under the key; a repeat with the same request gets the stored answer, a different
 * request with the same key gets E_IDEMPOTENCY_CONFLICT. Two concurrent first attempts
 * collide on the primary key and the loser answers with the winner's stored answer.
 */
async function withIdempotency<T>(deps: ServiceDeps, actor: Actor, idem: Idempotency | undefined, fn: (db: Kysely<Database>) => Promise<T>): Promise<Outcome<T>> {
  if (!idem) return { status: 200, body: await deps.store.transaction((tx) => fn(tx.db)), replayed: false };
  if (idem.key.length < 8 || idem.key.length > 200) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'Idempotency-Key', value: idem.key.slice(0, 40), rule: 'key_length', message_zh: 'Idempotency-Key 须为 8–200 个字符（建议 UUID）', message_en: 'Idempotency-Key must be 8–200 characters (a UUID is best)' }] });
  }
  const stored = async (): Promise<Outcome<T> | null> => {
    const row = await deps.store.db.selectFrom('idempotency_key').selectAll().where('account_id', '=', actor.account.id).where('key', '=', idem.key).executeTakeFirst();
    if (!row) return null;
    if (row.request_hash !== idem.requestHash) throw new EduplanError('E_IDEMPOTENCY_CONFLICT');
    return { status: row.status, body: row.response as T, replayed: true };
  };
  try {
    type Result = { fresh: T } | { replay: { request_hash: string; status: number; response: unknown } };
    const body = await deps.store.transaction(async (tx): Promise<Result> => {
      // Serialise requests that share a key: a duplicate racing the original waits here,
      // then finds the original's stored answer instead of failing on the changed state.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${idem.key}), ${actor.account.id})`.execute(tx.db);
      const row = await tx.db.selectFrom('idempotency_key').select(['request_hash', 'status', 'response']).where('account_id', '=', actor.account.id).where('key', '=', idem.key).executeTakeFirst();
      if (row) return { replay: row };
      const b = await fn(tx.db);
      await tx.db.insertInto('idempotency_key').values({ account_id: actor.account.id, key: idem.key, request_hash: idem.requestHash, status: 200, response: JSON.stringify(b), created_at: deps.clock() }).execute();
      return { fresh: b };
    });
    if ('fresh' in body) return { status: 200, body: body.fresh, replayed: false };
    if (body.replay.request_hash !== idem.requestHash) throw new EduplanError('E_IDEMPOTENCY_CONFLICT');
    return { status: body.replay.status, body: body.replay.response as T, replayed: true };
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      const again = await stored();
      if (again) return again;
    }
    throw err;
  }
}

// ---- the workflow

export interface SaveInput {
  readonly orgCode: string;
  readonly formCode: string;
  readonly year: number;
  readonly values: unknown;
  readonly comments?: unknown;
}

/** Create or update the draft for (school, form, year). Returns it with its validation result. */
export async function saveDraft(deps: ServiceDeps, actor: Actor, input: SaveInput, idem?: Idempotency): Promise<Outcome<{ submission: SubmissionView; validation: ValidationSummary }>> {
  await requireAction(deps, actor, 'submission.edit');
  const form = formOrThrow(input.formCode);
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'year', value: input.year, rule: 'year', message_zh: '学年须为 2000–2100 的整数', message_en: 'year must be an integer 2000–2100' }] });
  await requireAt(deps, actor, 'submission.edit', input.orgCode, { type: 'submission' });
  await checkSchool(deps.store.db, form, input.orgCode);
  const values = checkValues(input.values);
  const comments = checkComments(input.comments);
  return withIdempotency(deps, actor, idem, async (db) => {
    const now = deps.clock();
    const existing = await db.selectFrom('submission').selectAll().where('org_code', '=', input.orgCode).where('form_code', '=', form.code).where('year', '=', input.year).forUpdate().executeTakeFirst();
    let row: NonNullable<SubmissionRow>;
    let event: AuditInput;
    if (!existing) {
      row = await db.insertInto('submission').values({
        org_code: input.orgCode, form_code: form.code, year: input.year, state: 'draft', entries: JSON.stringify(values), comments: JSON.stringify(comments),
        signoffs: null, version: 1, reason: null, created_at: now, created_by: actor.account.id, updated_at: now, updated_by: actor.account.id,
        submitted_at: null, submitted_by: null, approved_at: null, approved_by: null, locked_at: null, locked_by: null,
      }).returningAll().executeTakeFirstOrThrow();
      event = { ...audited(actor, 'submission.create', row), before: null, after: { state: 'draft', values: values as Record<string, Json>, comments } };
    } else {
      if (nextState(existing.state, 'edit') === null) throw new EduplanError('E_STATE', { detail: `submission ${existing.id} is ${existing.state}` });
      const before = toView(existing);
      row = await db.updateTable('submission').set({ entries: JSON.stringify(values), comments: JSON.stringify(comments), version: existing.version + 1, updated_at: now, updated_by: actor.account.id })
        .where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
      const diff = changedValues(before.values, values);
      event = { ...audited(actor, 'submission.edit', row), before: { values: diff.before, comments: before.comments }, after: { values: diff.after, comments } };
    }
    const validation = await validateSubmission(db, form, input.orgCode, input.year, values, comments);
    // Audit last: appending holds the chain's lock until commit, so keep that stretch short.
    await appendAudit(db, now, event);
    return { submission: toView(row), validation };
  });
}

async function transition(
  deps: ServiceDeps, actor: Actor, id: number, t: Transition, action: Action,
  apply: (db: Kysely<Database>, row: NonNullable<SubmissionRow>, now: Date) => Promise<Partial<Record<string, unknown>>>,
  opts: { reason?: string | undefined; idem?: Idempotency | undefined } = {},
): Promise<Outcome<SubmissionView>> {
  await requireAction(deps, actor, action);
  const peek = await loadRow(deps.store.db, id);
  if (!peek) throw new EduplanError('E_NOT_FOUND');
  await requireAt(deps, actor, action, peek.org_code, { type: 'submission', id });
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
export async function submit(deps: ServiceDeps, actor: Actor, id: number, input: { signoffs: unknown }, idem?: Idempotency): Promise<Outcome<SubmissionView>> {
  const signoffs = checkSignoffs(input.signoffs);
  return transition(deps, actor, id, 'submit', 'submission.submit', async (db, row, now) => {
    const form = formOrThrow(row.form_code);
    const v = await validateSubmission(db, form, row.org_code, row.year, row.entries as Values, row.comments as Comments);
    const blocking = [...v.hard, ...v.unexplained.map((p) => ({ ...p, rule: `${p.rule}`, fix_zh: `修改该值，或在相关单元格的说明中解释原因。${p.fix_zh ?? ''}`, fix_en: `Change the value or explain it in a comment on the cell. ${p.fix_en ?? ''}` }))];
    if (blocking.length > 0) throw new EduplanError('E_SUBMISSION_INVALID', { problems: blocking });
    return { signoffs: JSON.stringify(signoffs), submitted_at: now, submitted_by: actor.account.id };
  }, { idem });
}

/**
 * District approval: the values become the school's data_value rows in the same transaction,
 * which marks the year's figures stale; the recompute follows (services/recompute.ts) and its
 * outcome is part of the answer. The figures stay provisional until the city releases them.
 */
export async function approve(deps: ServiceDeps, actor: Actor, id: number, idem?: Idempotency): Promise<Outcome<SubmissionView> & { indicators: RecomputeOutcome['status'] }> {
  const peek = await loadRow(deps.store.db, id);
  if (peek && peek.state === 'submitted' && peek.submitted_by === actor.account.id) {
    await deny(deps, actor, 'submission.approve.own', { type: 'submission', id, org: peek.org_code }, 'you submitted this; another reviewer must approve it');
  }
  const out = await transition(deps, actor, id, 'approve', 'submission.approve', async (db, row, now) => {
    // Separation of duties (AC-04): nobody approves a submission they submitted.
    if (row.submitted_by === actor.account.id) throw new EduplanError('E_FORBIDDEN', { detail: 'you submitted this; another reviewer must approve it' });
    const values = row.entries as Values;
    const source = `submission:${row.id}`;
    const nulls = Object.entries(values).filter(([, v]) => v === null).map(([k]) => k);
    if (nulls.length > 0) await db.deleteFrom('data_value').where('org_code', '=', row.org_code).where('year', '=', row.year).where('element', 'in', nulls).execute();
    const rows = Object.entries(values).filter((e): e is [string, number] => e[1] !== null).map(([element, value]) => ({ org_code: row.org_code, year: row.year, element, value, source }));
    for (let i = 0; i < rows.length; i += 500) {
      await db.insertInto('data_value').values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['year', 'org_code', 'element']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), source: eb.ref('excluded.source') }))).execute();
    }
    await markStale(db, now, [row.year], `submission:${row.id}`);
    return { approved_at: now, approved_by: actor.account.id };
  }, { idem });
  return { ...out, indicators: out.replayed ? 'unchanged' : (await afterDataChanged(deps)).status };
}

export function returnSubmission(deps: ServiceDeps, actor: Actor, id: number, reason: string, idem?: Idempotency): Promise<Outcome<SubmissionView>> {
  return transition(deps, actor, id, 'return', 'submission.return', async () => ({}), { reason, idem });
}

export function lock(deps: ServiceDeps, actor: Actor, id: number, idem?: Idempotency): Promise<Outcome<SubmissionView>> {
  return transition(deps, actor, id, 'lock', 'submission.lock', async (_db, _row, now) => ({ locked_at: now, locked_by: actor.account.id }), { idem });
}

export function reopen(deps: ServiceDeps, actor: Actor, id: number, reason: string, idem?: Idempotency): Promise<Outcome<SubmissionView>> {
  return transition(deps, actor, id, 'reopen', 'submission.reopen', async () => ({ locked_at: null, locked_by: null }), { reason, idem });
}

/** One submission, if the actor may read it; otherwise (or if absent) E_NOT_FOUND. */
export async function getSubmission(deps: ServiceDeps, actor: Actor, id: number): Promise<{ submission: SubmissionView; validation: ValidationSummary }> {
  await requireAction(deps, actor, 'submission.read');
  const row = await loadRow(deps.store.db, id);
  if (!row) throw new EduplanError('E_NOT_FOUND');
  await requireAt(deps, actor, 'submission.read', row.org_code, { type: 'submission', id });
  const v = toView(row);
  const form = formByCode(row.form_code);
  const validation = form ? await validateSubmission(deps.store.db, form, row.org_code, row.year, v.values, v.comments) : { hard: [], soft: [], unexplained: [] };
  return { submission: v, validation };
}

/** Org codes whose schools the grants cover for `action`: null = the whole city. */
const scopeCodes = (grants: readonly Grant[], action: Action): string[] | null => scopeCodesAt(grants, action, CITY_CODE);

export interface ListQuery {
  readonly year?: number | undefined;
  readonly formCode?: string | undefined;
  readonly state?: SubmissionState | undefined;
  readonly districtCode?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

export interface SubmissionListItem {
  readonly id: number;
  readonly orgCode: string;
  readonly orgName: string;
  readonly districtCode: string | null;
  readonly formCode: string;
  readonly year: number;
  readonly state: SubmissionState;
  readonly submittedAt: string | null;
  readonly updatedAt: string;
}

/** Submissions within the actor's scope (a school sees its own, a district its schools, the city all). */
export async function listSubmissions(deps: ServiceDeps, actor: Actor, q: ListQuery): Promise<SubmissionListItem[]> {
  await requireAction(deps, actor, 'submission.read');
  const codes = scopeCodes(actor.account.grants, 'submission.read');
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

/** The city (or a district, for itself) sees completeness and timeliness per district and form. */
export async function progress(deps: ServiceDeps, actor: Actor, year: number): Promise<ProgressCell[]> {
  await requireAction(deps, actor, 'progress.read');
  const codes = scopeCodes(actor.account.grants, 'progress.read');
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
  return progressTable(expected, summaries, deadlines);
}

/** The city sets the deadline of a form for a year. */
export async function setDeadline(deps: ServiceDeps, actor: Actor, formCode: string, year: number, dueAt: string): Promise<{ formCode: string; year: number; dueAt: string }> {
  await requireAction(deps, actor, 'deadline.set');
  formOrThrow(formCode);
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

export interface HistoryEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * A submission's history from the audit log, for whoever may read the submission (AUD-07:
 * history is authorised like the data itself; outside scope it is E_NOT_FOUND).
 */
export async function history(deps: ServiceDeps, actor: Actor, id: number): Promise<HistoryEntry[]> {
  await requireAction(deps, actor, 'submission.read');
  const row = await loadRow(deps.store.db, id);
  if (!row) throw new EduplanError('E_NOT_FOUND');
  await requireAt(deps, actor, 'submission.read', row.org_code, { type: 'submission', id });
  const events = await deps.store.db.selectFrom('audit_event').select(['seq', 'at', 'actor', 'action', 'before', 'after'])
    .where('object_type', '=', 'submission').where('object_id', '=', String(id)).orderBy('seq').execute();
  return events.map((e) => ({ seq: Number(e.seq), at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, before: e.before, after: e.after }));
}
