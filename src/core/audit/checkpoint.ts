/**
 * Checkpoints of the audit chain (审计日志锚点), kept outside the database. The chain alone
 * cannot show that its newest events were deleted (a shorter chain is still a valid chain),
 * nor that someone holding the chain's key — or rewriting the epochs to pass events off as
 * unkeyed — re-hashed it after an edit. A checkpoint records the head as it was (its number
 * and hash, which events were keyed and by which key) and is signed, so a later
 * verification against it finds both: the log ends before the checkpoint's event
 * (`truncated`), or that event's hash differs (`checkpoint_mismatch`).
 *
 * The signature is a MAC with a key derived from the audit key (services/audit.ts), passed
 * in as `sign`: core imports no crypto module.
 */
import { canonicalJson, type ChainBreak } from './chain.ts';

export const CHECKPOINT_FORMAT = 'eduplan-audit-checkpoint/1';

/** What a checkpoint records. */
export interface CheckpointBody {
  readonly format: typeof CHECKPOINT_FORMAT;
  /** The head when the checkpoint was taken: its number and hash. */
  readonly seq: number;
  readonly hash: string;
  /** When (ISO 8601). */
  readonly at: string;
  /** The first keyed event's number (null: none was keyed). */
  readonly keyedFrom: number | null;
  /** The key that chains the head and signs the checkpoint (its id, not the key). */
  readonly keyId: string;
}

export interface Checkpoint extends CheckpointBody {
  /** MAC over the canonical JSON of the body, hex. */
  readonly signature: string;
}

export type Sign = (text: string) => string;

export function signCheckpoint(sign: Sign, body: Omit<CheckpointBody, 'format'>): Checkpoint {
  const full: CheckpointBody = { format: CHECKPOINT_FORMAT, seq: body.seq, hash: body.hash, at: body.at, keyedFrom: body.keyedFrom, keyId: body.keyId };
  return { ...full, signature: sign(canonicalJson(full)) };
}

/** The signature matches the body (`sign` made with the key the checkpoint names). */
export function checkpointSigned(sign: Sign, cp: Checkpoint): boolean {
  const { signature, ...body } = cp;
  return sign(canonicalJson(body)) === signature;
}

/** What the log holds where a checkpoint points, found while verifying it. */
export interface ChainAtCheckpoint {
  /** The last event's number (0: empty). */
  readonly lastSeq: number;
  /** The hash of the event numbered as the checkpoint's head, or null when it is gone. */
  readonly hashAtSeq: string | null;
  readonly keyedFrom: number | null;
}

/** The first way the log departs from a (signed, checked) checkpoint, or null. */
export function checkpointBreak(cp: Checkpoint, chain: ChainAtCheckpoint): ChainBreak | null {
  if (chain.lastSeq < cp.seq) {
    return {
      seq: chain.lastSeq + 1, reason: 'truncated',
      message_zh: `审计日志止于 #${chain.lastSeq}，而 ${cp.at} 的锚点记录到 #${cp.seq}：之后的记录被删除`,
      message_en: `the audit log ends at #${chain.lastSeq}, but the checkpoint of ${cp.at} recorded #${cp.seq}: later events were deleted`,
    };
  }
  if (chain.keyedFrom !== cp.keyedFrom) {
    return {
      seq: cp.keyedFrom ?? chain.keyedFrom ?? 1, reason: 'checkpoint_mismatch',
      message_zh: `锚点记录自 #${cp.keyedFrom ?? '—'} 起以密钥链接，现在的日志为 #${chain.keyedFrom ?? '—'}：密钥分段被改写`,
      message_en: `the checkpoint recorded the chain keyed from #${cp.keyedFrom ?? '-'}, the log now says #${chain.keyedFrom ?? '-'}: its key epochs were rewritten`,
    };
  }
  if (chain.hashAtSeq !== cp.hash) {
    return {
      seq: cp.seq, reason: 'checkpoint_mismatch',
      message_zh: `审计记录 #${cp.seq} 与 ${cp.at} 的锚点不一致：此前的记录被改写并重新计算了哈希`,
      message_en: `audit event #${cp.seq} differs from the checkpoint of ${cp.at}: events up to it were rewritten and re-hashed`,
    };
  }
  return null;
}

/** A checkpoint whose signature does not verify, or whose key is not at hand. */
export function checkpointInvalid(cp: Pick<Checkpoint, 'seq' | 'keyId'>, why: 'signature' | 'unknown_key'): ChainBreak {
  return why === 'signature'
    ? { seq: cp.seq, reason: 'checkpoint_invalid', message_zh: '锚点文件的签名不符：文件被改动，或不是用本系统的审计密钥签署的', message_en: 'the checkpoint\'s signature does not match: the file was altered, or it was not signed with this system\'s audit key' }
    : { seq: cp.seq, reason: 'checkpoint_invalid', message_zh: `锚点由未配置的密钥（${cp.keyId}）签署，无法核对（在 EDUPLAN_AUDIT_KEY_PREVIOUS 中配置该密钥）`, message_en: `the checkpoint was signed with a key that is not configured (${cp.keyId}); add it to EDUPLAN_AUDIT_KEY_PREVIOUS` };
}
