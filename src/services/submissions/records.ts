/**
 * A submission row as stored and as answered (contract `Submission`), and the audit
 * record's common part for a step on it.
 */
import type { Kysely } from 'kysely';
import type { Json } from '../../core/audit/chain.ts';
import type { SignOffs } from '../../core/workflow/submission.ts';
import type { Submission } from '../../contract/submissions.ts';
import type { Database } from '../../store/schema.ts';
import type { Actor } from '../deps.ts';

export type Values = Record<string, number | null>;
export type Comments = Record<string, string>;

export type SubmissionRow = NonNullable<Awaited<ReturnType<typeof loadRow>>>;

export function loadRow(db: Kysely<Database>, id: number, forUpdate = false) {
  const q = db.selectFrom('submission').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toView(r: SubmissionRow): Submission {
  return {
    id: r.id, orgCode: r.org_code, formCode: r.form_code, year: r.year, state: r.state, version: r.version,
    values: (r.entries ?? {}) as Values, comments: (r.comments ?? {}) as Comments, signoffs: (r.signoffs ?? null) as SignOffs | null,
    reason: r.reason, submittedAt: iso(r.submitted_at), approvedAt: iso(r.approved_at), lockedAt: iso(r.locked_at), updatedAt: iso(r.updated_at) as string,
  };
}

/** The values that differ, before and after (an edit's audit record carries only those). */
export function changedValues(before: Values, after: Values): { before: Record<string, Json>; after: Record<string, Json> } {
  const b: Record<string, Json> = {};
  const a: Record<string, Json> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[k] !== after[k]) { b[k] = before[k] ?? null; a[k] = after[k] ?? null; }
  }
  return { before: b, after: a };
}

export const audited = (actor: Actor, action: string, s: { id: number; org_code: string }) => ({
  actorId: actor.account.id, actor: actor.account.username, action, outcome: 'success' as const,
  objectType: 'submission', objectId: s.id, orgCode: s.org_code, ip: actor.ip,
});
