/**
 * The audit log (审计日志): append-only and hash-chained. Every change — values, states,
 * accounts, roles, sign-ins (success and failure), denied access — is appended in the
 * same transaction as the change itself, so a change whose audit record cannot be
 * written does not happen (fail closed, AUD-05).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { chainEvent, firstBreak, type AuditEvent, type Json } from '../core/audit/chain.ts';
import type { AuditQuery, VerifyResult } from '../contract/audit.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { requireAction } from './authorize.ts';
import { callerId, callerIp, callerName, type Caller, type ServiceDeps } from './deps.ts';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Any advisory-lock key works as long as it is fixed: it serialises appends so the chain never forks. */
const AUDIT_LOCK = 6_006_006;

export interface AuditInput {
  readonly actorId: number | null;
  /** User name, or `anonymous` / `system` / `setup`. */
  readonly actor: string;
  readonly action: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly objectType?: string | null;
  readonly objectId?: string | number | null;
  readonly orgCode?: string | null;
  readonly ip?: string | null;
  readonly before?: Json;
  readonly after?: Json;
}

/**
 * Append one event inside a transaction (the caller's `Store.transaction`). Takes a
 * transaction-scoped advisory lock, reads the last link and writes the next one.
 */
export async function appendAudit(db: Kysely<Database>, at: Date, e: AuditInput): Promise<AuditEvent> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
  const last = await db.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const event = chainEvent(sha256Hex, last ? { seq: Number(last.seq), hash: last.hash } : null, {
    at: at.toISOString(),
    actor_id: e.actorId,
    actor: e.actor,
    action: e.action,
    outcome: e.outcome,
    object_type: e.objectType ?? null,
    object_id: e.objectId === undefined || e.objectId === null ? null : String(e.objectId),
    org_code: e.orgCode ?? null,
    ip: e.ip ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
  });
  await db.insertInto('audit_event').values({
    ...event,
    before: event.before === null ? null : JSON.stringify(event.before),
    after: event.after === null ? null : JSON.stringify(event.after),
  }).execute();
  return event;
}

/** Append in a transaction of its own (sign-in failures, denied access: nothing else to commit). */
export function auditAlone(store: Store, at: Date, e: AuditInput): Promise<AuditEvent> {
  return store.transaction((tx) => appendAudit(tx.db, at, e));
}

type Row = Awaited<ReturnType<typeof selectEvents>>[number];
function selectEvents(db: Kysely<Database>, afterSeq: number, limit: number) {
  return db.selectFrom('audit_event').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

function toEvent(r: Row): AuditEvent {
  return {
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actor_id: r.actor_id,
    actor: r.actor,
    action: r.action,
    outcome: r.outcome as AuditEvent['outcome'],
    object_type: r.object_type,
    object_id: r.object_id,
    org_code: r.org_code,
    ip: r.ip,
    before: (r.before ?? null) as Json,
    after: (r.after ?? null) as Json,
    prev_hash: r.prev_hash,
    hash: r.hash,
  };
}

export type { AuditQuery, VerifyResult } from '../contract/audit.ts';

/** Recompute the whole chain in pages; report the first broken link (AUD-03). */
export async function verifyAudit(db: Kysely<Database>, pageSize = 5000): Promise<VerifyResult> {
  let prev: { seq: number; hash: string } | null = null;
  let count = 0;
  for (;;) {
    const rows = await selectEvents(db, prev?.seq ?? 0, pageSize);
    if (rows.length === 0) break;
    const events = rows.map(toEvent);
    const broken = firstBreak(sha256Hex, events, prev);
    if (broken) return { ok: false, events: count + events.filter((e) => e.seq < broken.seq).length, lastSeq: prev?.seq ?? 0, lastHash: prev?.hash ?? null, firstBreak: broken };
    count += events.length;
    const tail = events[events.length - 1] as AuditEvent;
    prev = { seq: tail.seq, hash: tail.hash };
    if (rows.length < pageSize) break;
  }
  return { ok: true, events: count, lastSeq: prev?.seq ?? 0, lastHash: prev?.hash ?? null, firstBreak: null };
}

/** Newest first. Reading the log is itself audited by the caller (AUD-07). */
export async function listAudit(db: Kysely<Database>, q: AuditQuery): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(Math.min(q.limit ?? 100, 1000));
  if (q.actor !== undefined) query = query.where('actor', '=', q.actor);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  if (q.objectType !== undefined) query = query.where('object_type', '=', q.objectType);
  if (q.objectId !== undefined) query = query.where('object_id', '=', q.objectId);
  if (q.orgCode !== undefined) query = query.where('org_code', '=', q.orgCode);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  return (await query.execute()).map(toEvent);
}

/**
 * Read the log: the audit administrator, or the operator at the console. The read is
 * appended first (AUD-07: reading the log is itself audited), so a read that cannot be
 * recorded does not happen.
 */
export async function readLog(deps: ServiceDeps, caller: Caller, query: AuditQuery): Promise<AuditEvent[]> {
  await requireAction(deps, caller, 'audit.read');
  await deps.store.transaction((tx) => appendAudit(tx.db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action: 'audit.read', outcome: 'success', ip: callerIp(caller), after: { ...query } }));
  return listAudit(deps.store.db, query);
}

/** Verify the hash chain (AUD-03), and record that it was verified and with what outcome. */
export async function verifyLog(deps: ServiceDeps, caller: Caller): Promise<VerifyResult> {
  await requireAction(deps, caller, 'audit.verify');
  const r = await verifyAudit(deps.store.db);
  await deps.store.transaction((tx) => appendAudit(tx.db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action: 'audit.verify', outcome: r.ok ? 'success' : 'failure', ip: callerIp(caller), after: { events: r.events, first_break: r.firstBreak ? r.firstBreak.seq : null } }));
  return r;
}
