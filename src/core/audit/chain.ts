/**
 * The audit log's hash chain (审计记录防篡改, GB/T 22239-2019 8.1.4.3 c; L3-CES1-14):
 * each event's hash is a MAC over the previous event's hash followed by the canonical
 * JSON of the event, so changing, removing or reordering any event breaks every later
 * link. The MAC is HMAC-SHA-256 with a key kept outside the database (services/audit.ts),
 * so someone who can write the database cannot re-hash the chain after an edit; events
 * written before the chain was keyed (databases older than migration 0011) are chained
 * with plain SHA-256 and stay so. Which function chains which event is recorded as
 * epochs (`ChainEpoch`). The functions are passed in: core imports no crypto module.
 */

/** One link's hash function: plain SHA-256 (before keying) or HMAC-SHA-256 with the chain's key, hex. */
export type ChainHash = (text: string) => string;
/** The hash that chains event `seq`, or null when its key is not at hand (a retired key not configured). */
export type HashFor = (seq: number) => ChainHash | null;

/** The first event's `prev_hash`. */
export const GENESIS_HASH = '0'.repeat(64);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** What is recorded for one event: who, when, what, before and after. */
export interface AuditEventBody {
  /** 1, 2, 3 … without gaps: a missing number is a deleted event. */
  readonly seq: number;
  /** ISO 8601 UTC instant, millisecond precision. */
  readonly at: string;
  readonly actor_id: number | null;
  readonly actor: string;
  /** e.g. `login.success`, `submission.approve`, `access.denied`. */
  readonly action: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly object_type: string | null;
  readonly object_id: string | null;
  readonly org_code: string | null;
  readonly ip: string | null;
  readonly before: Json;
  readonly after: Json;
}

export interface AuditEvent extends AuditEventBody {
  readonly prev_hash: string;
  readonly hash: string;
}

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, `undefined` members
 * dropped — the same event always hashes the same, whatever order a database returns keys in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function eventHash(hash: ChainHash, prevHash: string, body: AuditEventBody): string {
  return hash(prevHash + canonicalJson(body));
}

export function chainEvent(hash: ChainHash, prev: { seq: number; hash: string } | null, body: Omit<AuditEventBody, 'seq'>): AuditEvent {
  const full: AuditEventBody = { ...body, seq: (prev?.seq ?? 0) + 1 };
  const prevHash = prev?.hash ?? GENESIS_HASH;
  return { ...full, prev_hash: prevHash, hash: eventHash(hash, prevHash, full) };
}

export const chainBreakReasons = [
  'hash_mismatch', 'prev_hash_mismatch', 'sequence_gap',
  // the epochs (which key chains which events) are not as they can be
  'epoch_invalid',
  // an event chained with a retired key that is not configured: it cannot be checked
  'key_unavailable',
  // against a checkpoint kept outside the database (checkpoint.ts)
  'truncated', 'checkpoint_mismatch', 'checkpoint_invalid',
] as const;

export interface ChainBreak {
  readonly seq: number;
  readonly reason: (typeof chainBreakReasons)[number];
  readonly message_zh: string;
  readonly message_en: string;
}

/**
 * Walk a run of events (ordered by seq) and report the first broken link, or null.
 * `prev` is the last verified event before the run (null when the run starts at seq 1).
 */
export function firstBreak(hashFor: HashFor, events: Iterable<AuditEvent>, prev: { seq: number; hash: string } | null = null): ChainBreak | null {
  let last = prev;
  for (const e of events) {
    const expectedSeq = (last?.seq ?? 0) + 1;
    if (e.seq !== expectedSeq) {
      return { seq: expectedSeq, reason: 'sequence_gap', message_zh: `审计记录 #${expectedSeq} 缺失（已被删除）`, message_en: `audit event #${expectedSeq} is missing (deleted)` };
    }
    const expectedPrev = last?.hash ?? GENESIS_HASH;
    if (e.prev_hash !== expectedPrev) {
      return { seq: e.seq, reason: 'prev_hash_mismatch', message_zh: `审计记录 #${e.seq} 的前一哈希与 #${e.seq - 1} 不一致`, message_en: `audit event #${e.seq} does not link to #${e.seq - 1}` };
    }
    const hash = hashFor(e.seq);
    if (hash === null) {
      return { seq: e.seq, reason: 'key_unavailable', message_zh: `审计记录 #${e.seq} 由未配置的旧密钥链接，无法校验（在 EDUPLAN_AUDIT_KEY_PREVIOUS 中配置该密钥）`, message_en: `audit event #${e.seq} was chained with a retired key that is not configured (add it to EDUPLAN_AUDIT_KEY_PREVIOUS)` };
    }
    const { prev_hash: _p, hash: _h, ...body } = e;
    if (eventHash(hash, e.prev_hash, body) !== e.hash) {
      return { seq: e.seq, reason: 'hash_mismatch', message_zh: `审计记录 #${e.seq} 的内容已被修改`, message_en: `audit event #${e.seq} was modified after it was written` };
    }
    last = { seq: e.seq, hash: e.hash };
  }
  return null;
}

/**
 * From which event on which key chains the log (`audit_chain_epoch`): `keyId` names the key
 * (services/audit.ts `auditKeyId`, a MAC of a constant: it reveals nothing of the key), or
 * is null for the events written before the chain was keyed.
 */
export interface ChainEpoch {
  readonly fromSeq: number;
  readonly keyId: string | null;
}

/** The epoch event `seq` belongs to: the last one starting at or before it. Epochs sorted by `fromSeq`. */
export function epochOf(epochs: readonly ChainEpoch[], seq: number): ChainEpoch | null {
  let found: ChainEpoch | null = null;
  for (const e of epochs) {
    if (e.fromSeq > seq) break;
    found = e;
  }
  return found;
}

/** The first keyed event's number, or null while no event is keyed. */
export function keyedFrom(epochs: readonly ChainEpoch[]): number | null {
  return epochs.find((e) => e.keyId !== null)?.fromSeq ?? null;
}

/**
 * What is wrong with the epochs of a log whose last event is `lastSeq`, or null. Only the
 * events before the chain was keyed may be unkeyed: an unkeyed epoch starts at #1 and is the
 * only one; a log with events has an epoch from #1 (the migration records the unkeyed one,
 * the first keyed append the keyed one). Anything else means someone wrote the epoch table
 * to pass events off as unkeyed — a downgrade — or to hide them.
 */
export function epochsProblem(epochs: readonly ChainEpoch[], lastSeq: number): ChainBreak | null {
  const bad = (seq: number, zh: string, en: string): ChainBreak => ({ seq, reason: 'epoch_invalid', message_zh: zh, message_en: en });
  const first = epochs[0];
  if (lastSeq > 0 && (first === undefined || first.fromSeq !== 1)) {
    return bad(1, '审计日志缺少从 #1 开始的密钥分段记录（audit_chain_epoch 被改动）', 'the audit log has no key epoch starting at #1 (audit_chain_epoch was altered)');
  }
  for (let i = 1; i < epochs.length; i++) {
    const e = epochs[i] as ChainEpoch;
    if (e.keyId === null) {
      return bad(e.fromSeq, `审计日志自 #${e.fromSeq} 起被标为未加密钥链接：只有启用密钥之前的记录可以如此（疑为降级篡改）`, `the audit log is marked unkeyed from #${e.fromSeq}: only events written before keying can be (a downgrade?)`);
    }
  }
  return null;
}
