/**
 * The audit log's hash chain (审计记录防篡改, GB/T 22239-2019 8.1.4.3 c; L3-CES1-14):
 * each event's hash is SHA-256 over the previous event's hash followed by the canonical
 * JSON of the event, so changing, removing or reordering any event breaks every later
 * link. SHA-256 is passed in: core imports no crypto module.
 */

export type Sha256Hex = (text: string) => string;

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

export function eventHash(sha256: Sha256Hex, prevHash: string, body: AuditEventBody): string {
  return sha256(prevHash + canonicalJson(body));
}

export function chainEvent(sha256: Sha256Hex, prev: { seq: number; hash: string } | null, body: Omit<AuditEventBody, 'seq'>): AuditEvent {
  const full: AuditEventBody = { ...body, seq: (prev?.seq ?? 0) + 1 };
  const prevHash = prev?.hash ?? GENESIS_HASH;
  return { ...full, prev_hash: prevHash, hash: eventHash(sha256, prevHash, full) };
}

export interface ChainBreak {
  readonly seq: number;
  readonly reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';
  readonly message_zh: string;
  readonly message_en: string;
}

/**
 * Walk a run of events (ordered by seq) and report the first broken link, or null.
 * `prev` is the last verified event before the run (null when the run starts at seq 1).
 */
export function firstBreak(sha256: Sha256Hex, events: Iterable<AuditEvent>, prev: { seq: number; hash: string } | null = null): ChainBreak | null {
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
    const { prev_hash: _p, hash: _h, ...body } = e;
    if (eventHash(sha256, e.prev_hash, body) !== e.hash) {
      return { seq: e.seq, reason: 'hash_mismatch', message_zh: `审计记录 #${e.seq} 的内容已被修改`, message_en: `audit event #${e.seq} was modified after it was written` };
    }
    last = { seq: e.seq, hash: e.hash };
  }
  return null;
}
