/**
 * The audit log (审计日志): append-only and hash-chained. Every change — values, states,
 * accounts, roles, sign-ins (success and failure), denied access — is appended in the
 * same transaction as the change itself, so a change whose audit record cannot be
 * written does not happen (fail closed, AUD-05).
 *
 * The chain is keyed (GB/T 22239-2019 8.1.4.3 c, L3-CES1-14/26: integrity in storage that
 * someone with database access cannot forge): each link is HMAC-SHA-256 with a key derived
 * from EDUPLAN_AUDIT_KEY, which is kept outside the database (config.ts `storeKeys`, reached
 * through the store: store/keys.ts). Events written before the chain was keyed keep their
 * plain SHA-256 links; `audit_chain_epoch` says from which event on which key chains the log
 * (core/audit/chain.ts). Signed checkpoints, kept outside the database, catch what a chain
 * cannot show by itself: deleted newest events, and re-hashing by whoever holds the key
 * (core/audit/checkpoint.ts).
 */
import { createHash, createHmac } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { chainEvent, epochOf, epochsProblem, firstBreak, keyedFrom, type AuditEvent, type ChainEpoch, type ChainHash, type Json } from '../core/audit/chain.ts';
import { checkpointBreak, checkpointInvalid, checkpointSigned, signCheckpoint, type Checkpoint } from '../core/audit/checkpoint.ts';
import { EduplanError } from '../core/errors.ts';
import type { AuditQuery, VerifyRequest, VerifyResult } from '../contract/audit.ts';
import { keysOf, type KeyRing } from '../store/keys.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { requireAction } from './authorize.ts';
import { callerId, callerIp, callerName, type Caller, type ServiceDeps, type SystemCaller } from './deps.ts';

/** The unkeyed links of events written before the chain was keyed. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Any advisory-lock key works as long as it is fixed: it serialises appends so the chain never forks. */
const AUDIT_LOCK = 6_006_006;

/**
 * Keys derived from the configured one, one per use (chain links, checkpoint signatures, the
 * key's id), so a MAC made for one use is never valid for another.
 */
const derived = new Map<string, { chain: ChainHash; sign: ChainHash; id: string }>();
function derive(key: string): { chain: ChainHash; sign: ChainHash; id: string } {
  let d = derived.get(key);
  if (!d) {
    const sub = (use: string): Buffer => createHmac('sha256', key).update(`eduplan/audit/${use}/v1`, 'utf8').digest();
    const chainKey = sub('chain');
    const signKey = sub('checkpoint');
    d = {
      chain: (text) => createHmac('sha256', chainKey).update(text, 'utf8').digest('hex'),
      sign: (text) => createHmac('sha256', signKey).update(text, 'utf8').digest('hex'),
      id: sub('key-id').toString('hex').slice(0, 16),
    };
    derived.set(key, d);
  }
  return d;
}

/** A key's id, recorded in `audit_chain_epoch` and in checkpoints: it names the key without revealing it. */
export const auditKeyId = (key: string): string => derive(key).id;

/** The ring's keys by id: the current one and the retired ones that still verify what they chained. */
function keysById(ring: KeyRing): Map<string, string> {
  return new Map([ring.current, ...ring.previous].map((k): [string, string] => [auditKeyId(k), k]));
}

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

/** The head of the chain and the key its newest epoch names, read under the chain's lock. */
async function lockedHead(db: Kysely<Database>): Promise<{ last: { seq: number; hash: string } | null; epochKey: string | null; hasEpoch: boolean }> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
  const r = await sql<{ seq: number | string | null; hash: string | null; key_id: string | null; has_epoch: boolean }>`SELECT
      (SELECT seq FROM audit_event ORDER BY seq DESC LIMIT 1) AS seq,
      (SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1) AS hash,
      (SELECT key_id FROM audit_chain_epoch ORDER BY from_seq DESC LIMIT 1) AS key_id,
      EXISTS (SELECT 1 FROM audit_chain_epoch) AS has_epoch`.execute(db);
  const row = r.rows[0];
  const last = row && row.seq !== null && row.hash !== null ? { seq: Number(row.seq), hash: row.hash } : null;
  return { last, epochKey: row?.key_id ?? null, hasEpoch: row?.has_epoch ?? false };
}

async function insertEvent(db: Kysely<Database>, hash: ChainHash, last: { seq: number; hash: string } | null, at: Date, e: AuditInput): Promise<AuditEvent> {
  const event = chainEvent(hash, last, {
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

function wrongKey(epochKey: string, configured: string): EduplanError {
  return new EduplanError('E_AUDIT_KEY', { detail: `the audit log is chained with key ${epochKey}; EDUPLAN_AUDIT_KEY is key ${configured} / 审计日志使用密钥 ${epochKey}，而 EDUPLAN_AUDIT_KEY 为密钥 ${configured}` });
}

/**
 * Append one event inside a transaction (the caller's `Store.transaction`). Takes a
 * transaction-scoped advisory lock, reads the last link and writes the next one, chained
 * with the configured audit key. The first keyed append of a log starts its keyed epoch; a
 * key other than the one the log is chained with is refused (E_AUDIT_KEY) rather than
 * forking the chain under a second key.
 */
export async function appendAudit(db: Kysely<Database>, at: Date, e: AuditInput): Promise<AuditEvent> {
  const key = keysOf(db).audit.current;
  const { chain, id } = derive(key);
  const head = await lockedHead(db);
  if (!head.hasEpoch || head.epochKey === null) {
    await db.insertInto('audit_chain_epoch').values({ from_seq: (head.last?.seq ?? 0) + 1, key_id: id }).execute();
  } else if (head.epochKey !== id) {
    throw wrongKey(head.epochKey, id);
  }
  return insertEvent(db, chain, head.last, at, e);
}

/** Append in a transaction of its own (sign-in failures, denied access: nothing else to commit). */
export function auditAlone(store: Store, at: Date, e: AuditInput): Promise<AuditEvent> {
  return store.transaction((tx) => appendAudit(tx.db, at, e));
}

/**
 * Refuse to start with an audit key that cannot append to this log (E_AUDIT_KEY), before the
 * first request finds out: `eduplan start` calls it after opening the store.
 */
export async function checkAuditKey(store: Store): Promise<void> {
  const last = await store.db.selectFrom('audit_chain_epoch').select('key_id').orderBy('from_seq', 'desc').limit(1).executeTakeFirst();
  const id = auditKeyId(store.keys.audit.current);
  if (last?.key_id && last.key_id !== id) throw wrongKey(last.key_id, id);
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

export type { AuditQuery, VerifyRequest, VerifyResult } from '../contract/audit.ts';

export interface VerifyOptions {
  /** Also check the log against this checkpoint (signature, truncation, re-hashing). */
  readonly checkpoint?: Checkpoint | undefined;
  /** Start after this verified event instead of at #1. */
  readonly after?: { readonly seq: number; readonly hash: string } | undefined;
  readonly pageSize?: number;
}

async function epochsOf(db: Kysely<Database>): Promise<ChainEpoch[]> {
  const rows = await db.selectFrom('audit_chain_epoch').select(['from_seq', 'key_id']).orderBy('from_seq').execute();
  return rows.map((r) => ({ fromSeq: Number(r.from_seq), keyId: r.key_id }));
}

/**
 * Recompute the chain in pages, each event with the hash of its epoch (plain SHA-256
 * before keying, else HMAC with the key the epoch names, current or retired), and report
 * the first broken link (AUD-03); given a checkpoint, also whether the log still reaches
 * it unchanged. Reads only: it appends nothing.
 */
export async function verifyAudit(db: Kysely<Database>, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 5000;
  const keys = keysById(keysOf(db).audit);
  const epochs = await epochsOf(db);
  const lastRow = await db.selectFrom('audit_event').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const cp = opts.checkpoint;
  const base = { keyedFrom: keyedFrom(epochs), checkpoint: cp ? { seq: cp.seq, at: cp.at } : null };
  const epochBreak = epochsProblem(epochs, lastRow ? Number(lastRow.seq) : 0);
  if (epochBreak) return { ok: false, events: 0, lastSeq: 0, lastHash: null, firstBreak: epochBreak, ...base };
  const hashFor = (seq: number): ChainHash | null => {
    const epoch = epochOf(epochs, seq);
    if (epoch === null) return null;
    if (epoch.keyId === null) return sha256Hex;
    const key = keys.get(epoch.keyId);
    return key === undefined ? null : derive(key).chain;
  };
  let prev: { seq: number; hash: string } | null = opts.after ? { seq: opts.after.seq, hash: opts.after.hash } : null;
  let count = 0;
  let hashAtCheckpoint: string | null = null;
  for (;;) {
    const rows = await selectEvents(db, prev?.seq ?? 0, pageSize);
    if (rows.length === 0) break;
    const events = rows.map(toEvent);
    const broken = firstBreak(hashFor, events, prev);
    if (broken) return { ok: false, events: count + events.filter((e) => e.seq < broken.seq).length, lastSeq: prev?.seq ?? 0, lastHash: prev?.hash ?? null, firstBreak: broken, ...base };
    if (cp) hashAtCheckpoint = events.find((e) => e.seq === cp.seq)?.hash ?? hashAtCheckpoint;
    count += events.length;
    const tail = events[events.length - 1] as AuditEvent;
    prev = { seq: tail.seq, hash: tail.hash };
    if (rows.length < pageSize) break;
  }
  const intact = { ok: true, events: count, lastSeq: prev?.seq ?? 0, lastHash: prev?.hash ?? null, firstBreak: null, ...base };
  if (!cp) return intact;
  const signer = keys.get(cp.keyId);
  const cpBreak = signer === undefined ? checkpointInvalid(cp, 'unknown_key')
    : !checkpointSigned(derive(signer).sign, cp) ? checkpointInvalid(cp, 'signature')
      : checkpointBreak(cp, { lastSeq: intact.lastSeq, hashAtSeq: hashAtCheckpoint, keyedFrom: base.keyedFrom });
  return cpBreak ? { ...intact, ok: false, firstBreak: cpBreak } : intact;
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

/**
 * Verify the hash chain (AUD-03), and against a checkpoint when one is given; then record
 * that it was verified and with what outcome. The verification appends nothing to the log
 * it verifies before its result is fixed and handed to `report` (the console prints it
 * there): what it reports is the log as it found it, never its own record.
 */
export async function verifyLog(deps: ServiceDeps, caller: Caller, input: VerifyRequest = {}, report?: (r: VerifyResult) => void | Promise<void>): Promise<VerifyResult> {
  await requireAction(deps, caller, 'audit.verify');
  const r = await verifyAudit(deps.store.db, { checkpoint: input.checkpoint });
  await report?.(r);
  await deps.store.transaction((tx) => appendAudit(tx.db, deps.clock(), {
    actorId: callerId(caller), actor: callerName(caller), action: 'audit.verify', outcome: r.ok ? 'success' : 'failure', ip: callerIp(caller),
    after: { events: r.events, first_break: r.firstBreak ? r.firstBreak.seq : null, ...(input.checkpoint ? { checkpoint_seq: input.checkpoint.seq } : {}) },
  }));
  return r;
}

/** The error a broken verification is reported with (CLI exit 1, API 500), naming the first broken link. */
export function brokenError(r: VerifyResult): EduplanError {
  const b = r.firstBreak;
  return new EduplanError('E_AUDIT_BROKEN', {
    detail: `first broken link #${b?.seq}: ${b?.message_en} / 第一个断点 #${b?.seq}：${b?.message_zh}`,
    problems: b ? [{ path: `audit_event.seq=${b.seq}`, rule: b.reason, message_zh: b.message_zh, message_en: b.message_en }] : [],
  });
}

/**
 * A signed checkpoint of the chain's head, to be kept outside the database (the audit
 * administrator's download, `eduplan audit checkpoint --out f`). The chain is verified
 * first — a checkpoint never vouches for a broken chain —, the checkpoint itself is
 * recorded as an event, and the head it signs is that event, so whatever was appended
 * meanwhile is verified too.
 */
export async function checkpointLog(deps: ServiceDeps, caller: Caller): Promise<Checkpoint> {
  await requireAction(deps, caller, 'audit.checkpoint');
  const r = await verifyAudit(deps.store.db);
  const record = (outcome: 'success' | 'failure', after: Json) => (tx: { db: Kysely<Database> }) => appendAudit(tx.db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action: 'audit.checkpoint', outcome, ip: callerIp(caller), after });
  if (!r.ok) {
    await deps.store.transaction(record('failure', { events: r.events, first_break: r.firstBreak?.seq ?? null }));
    throw brokenError(r);
  }
  const head = await deps.store.transaction(record('success', { verified_through: r.lastSeq }));
  const rest = await verifyAudit(deps.store.db, { after: r.lastSeq === 0 ? undefined : { seq: r.lastSeq, hash: r.lastHash as string } });
  if (!rest.ok) throw brokenError(rest);
  const key = keysOf(deps.store.db).audit.current;
  return signCheckpoint(derive(key).sign, { seq: head.seq, hash: head.hash, at: deps.clock().toISOString(), keyedFrom: rest.keyedFrom, keyId: auditKeyId(key) });
}

/**
 * Change the audit key (`eduplan audit rotate-key`, the operator with every other process
 * stopped): EDUPLAN_AUDIT_KEY is the new key, EDUPLAN_AUDIT_KEY_PREVIOUS holds the one the
 * log is chained with. The chain must verify; the last event under the old key records the
 * change (`audit.key_rotated`, naming both key ids), and the new key chains every event
 * after it. The old key stays needed — in EDUPLAN_AUDIT_KEY_PREVIOUS — to verify the events
 * it chained.
 */
export async function rotateAuditKey(deps: ServiceDeps, caller: SystemCaller): Promise<{ fromKeyId: string; toKeyId: string; fromSeq: number }> {
  const ring = keysOf(deps.store.db).audit;
  const toKeyId = auditKeyId(ring.current);
  const r = await verifyAudit(deps.store.db);
  if (!r.ok) throw brokenError(r);
  return deps.store.transaction(async (tx) => {
    const head = await lockedHead(tx.db);
    const fromKeyId = head.epochKey;
    if (fromKeyId === null) throw new EduplanError('E_INPUT_INVALID', { detail: `the audit log is not keyed yet: its next event is chained with EDUPLAN_AUDIT_KEY (key ${toKeyId}) / 审计日志尚未启用密钥：下一条记录即以 EDUPLAN_AUDIT_KEY 链接` });
    if (fromKeyId === toKeyId) throw new EduplanError('E_INPUT_INVALID', { detail: `the audit log is already chained with key ${toKeyId} / 审计日志已在使用该密钥` });
    const old = keysById(ring).get(fromKeyId);
    if (old === undefined) {
      throw new EduplanError('E_AUDIT_KEY', { detail: `put the key the log is chained with (id ${fromKeyId}) in EDUPLAN_AUDIT_KEY_PREVIOUS / 请把审计日志正在使用的密钥（编号 ${fromKeyId}）放入 EDUPLAN_AUDIT_KEY_PREVIOUS` });
    }
    const fromSeq = (head.last?.seq ?? 0) + 2;
    const event = { actorId: null, actor: callerName(caller), action: 'audit.key_rotated', outcome: 'success' as const, after: { from_key_id: fromKeyId, to_key_id: toKeyId, from_seq: fromSeq } };
    await insertEvent(tx.db, derive(old).chain, head.last, deps.clock(), event);
    await tx.db.insertInto('audit_chain_epoch').values({ from_seq: fromSeq, key_id: toKeyId }).execute();
    return { fromKeyId, toKeyId, fromSeq };
  });
}
