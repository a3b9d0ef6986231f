/**
 * Public feedback (意见建议, plan 四、(四) 「接受社会监督」): anyone may leave a message on an
 * indicator, a 专栏 or the site; it waits in the city's moderation queue, unseen by the
 * public, until a city administrator approves it (with a reply, published beside it) or
 * rejects it. Published is the masked text (core/feedback/mask.ts): personal data never
 * leaves the queue, and the sender's contact is for the city only. Markup is refused and
 * text is always shown as text. Throttling per address is the server's (rate-limits.ts,
 * `POST /api/feedback`); the address is not stored. Moderation is audited.
 */
import { EduplanError } from '../core/errors.ts';
import { mayDoAt } from '../core/auth/roles.ts';
import { indicatorByCode } from '../core/indicators/definitions.ts';
import { maskPersonalData, messageProblem } from '../core/feedback/mask.ts';
import { rootCodeOr } from './org-tree.ts';
import type { FeedbackRequest, ModerateRequest, ModerationItem, PublicFeedback } from '../contract/portal.ts';
import { appendAudit } from './audit.ts';
import { deny, requireAction } from './authorize.ts';
import { callerId, callerName, isSystem, type Caller, type ServiceDeps } from './deps.ts';

const day = (d: Date | null): string | null => (d === null ? null : new Date(d).toISOString().slice(0, 10));

function invalid(path: string, value: unknown, rule: string, zh: string, en: string): EduplanError {
  return new EduplanError('E_INPUT_INVALID', { problems: [{ path, value, rule, message_zh: zh, message_en: en }] });
}

/** Receive a message from the public: checked, masked for publication, queued as pending. */
export async function submitFeedback(deps: ServiceDeps, input: FeedbackRequest): Promise<{ id: number; state: 'pending' }> {
  if (input.subject_type === 'indicator' && !indicatorByCode.has(input.subject_code)) {
    throw invalid('body.subject_code', input.subject_code, 'indicator_exists', `指标 ${input.subject_code} 不存在`, `indicator ${input.subject_code} does not exist`);
  }
  const problem = messageProblem(input.message);
  if (problem === 'html') throw invalid('body.message', undefined, 'no_html', '留言不能包含 HTML 标记，请只写文字', 'the message may not contain HTML markup: write plain text');
  if (problem === 'control_character') throw invalid('body.message', undefined, 'no_control_characters', '留言含有不可见的控制字符', 'the message contains control characters');
  if (problem === 'empty') throw invalid('body.message', undefined, 'not_empty', '留言不能为空', 'the message is empty');
  if (input.contact !== undefined && messageProblem(input.contact) === 'html') throw invalid('body.contact', undefined, 'no_html', '联系方式不能包含 HTML 标记', 'the contact may not contain HTML markup');
  const row = await deps.store.db.insertInto('feedback').values({
    subject_type: input.subject_type, subject_code: input.subject_code, message: input.message,
    published_message: maskPersonalData(input.message, input.lang), contact: input.contact?.trim() || null, lang: input.lang,
    received_at: deps.clock(),
  }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, state: 'pending' };
}

/** The approved messages on one subject, as published (masked, with the reply), newest first. */
export async function publicFeedback(deps: Pick<ServiceDeps, 'store'>, q: { subject_type: PublicFeedback['subject_type']; subject_code: string }): Promise<PublicFeedback[]> {
  const rows = await deps.store.db.selectFrom('feedback').select(['id', 'subject_type', 'subject_code', 'published_message', 'lang', 'received_at', 'reply', 'moderated_at'])
    .where('subject_type', '=', q.subject_type).where('subject_code', '=', q.subject_code).where('state', '=', 'approved')
    .orderBy('received_at', 'desc').orderBy('id', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id, subject_type: r.subject_type, subject_code: r.subject_code, message: r.published_message, lang: r.lang,
    received_on: day(r.received_at) ?? '', reply: r.reply, replied_on: r.reply ? day(r.moderated_at) : null,
  }));
}

/** Moderation is the city's: the action at the city's own level, as releasing is. */
export async function requireModerator(deps: ServiceDeps, caller: Caller, action: 'feedback.moderate' | 'announcement.publish'): Promise<void> {
  if (isSystem(caller)) return;
  await requireAction(deps, caller, action);
  const root = await rootCodeOr(deps.store.db, '');
  if (!mayDoAt(caller.account.grants, action, { code: root, lineage: [root] })) await deny(deps, caller, action, { type: 'feedback', org: root });
}

/** The moderation queue (by state, oldest first), with the text as written and as it would be published. */
export async function moderationQueue(deps: ServiceDeps, caller: Caller, q: { state: ModerationItem['state'] }): Promise<ModerationItem[]> {
  await requireModerator(deps, caller, 'feedback.moderate');
  const rows = await deps.store.db.selectFrom('feedback').selectAll().where('state', '=', q.state).orderBy('received_at', 'asc').orderBy('id', 'asc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id, subject_type: r.subject_type, subject_code: r.subject_code, message: r.message, published_message: r.published_message,
    contact: r.contact, lang: r.lang, state: r.state, reply: r.reply,
    received_at: new Date(r.received_at).toISOString(), moderated_at: r.moderated_at === null ? null : new Date(r.moderated_at).toISOString(),
  }));
}

/** Approve (published, with the reply) or reject a pending message; audited in the same transaction. */
export async function moderateFeedback(deps: ServiceDeps, caller: Caller, id: number, req: ModerateRequest): Promise<ModerationItem> {
  await requireModerator(deps, caller, 'feedback.moderate');
  const reply = req.reply?.trim() || null;
  if (reply !== null && messageProblem(reply) === 'html') throw invalid('body.reply', undefined, 'no_html', '回复不能包含 HTML 标记', 'the reply may not contain HTML markup');
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    const row = await tx.db.selectFrom('feedback').select(['id', 'state', 'subject_type', 'subject_code']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new EduplanError('E_NOT_FOUND', { detail: `feedback ${id}`, problems: [{ path: 'id', value: id, rule: 'feedback_exists', message_zh: `留言 ${id} 不存在`, message_en: `feedback ${id} does not exist` }] });
    if (row.state !== 'pending') throw new EduplanError('E_STATE', { detail: `feedback ${id} is ${row.state}, not pending / 该留言已处理（${row.state === 'approved' ? '已发布' : '未采纳'}）` });
    const state = req.decision === 'approve' ? 'approved' : 'rejected';
    await tx.db.updateTable('feedback').set({ state, reply, moderated_at: now, moderated_by: callerId(caller) }).where('id', '=', id).execute();
    await appendAudit(tx.db, now, {
      actorId: callerId(caller), actor: callerName(caller), action: `feedback.${req.decision}`, outcome: 'success',
      objectType: 'feedback', objectId: id, ip: isSystem(caller) ? null : caller.ip,
      before: { state: 'pending' }, after: { state, reply, subject: `${row.subject_type}:${row.subject_code}` },
    });
  });
  const [item] = (await moderationQueue(deps, caller, { state: req.decision === 'approve' ? 'approved' : 'rejected' })).filter((x) => x.id === id);
  if (!item) throw new EduplanError('E_DB', { detail: `feedback ${id} vanished` });
  return item;
}
