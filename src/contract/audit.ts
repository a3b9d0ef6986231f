/**
 * The audit log (审计日志): the query the audit administrator (or the operator's console)
 * reads it with, the events, and the verification of the hash chain.
 */
import { z } from 'zod';
import { chainBreakReasons } from '../core/audit/chain.ts';
import { CHECKPOINT_FORMAT } from '../core/audit/checkpoint.ts';

export const auditQuery = z.object({
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  objectType: z.string().max(50).optional(),
  objectId: z.string().max(100).optional(),
  orgCode: z.string().max(20).optional(),
  beforeSeq: z.coerce.number().int().positive().optional().describe('Events before this sequence number (paging back from the newest)'),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

/** One link of the chain (src/core/audit/chain.ts `AuditEvent`). */
export const auditEvent = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor_id: z.number().int().nullable(),
  actor: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  object_type: z.string().nullable(),
  object_id: z.string().nullable(),
  org_code: z.string().nullable(),
  ip: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prev_hash: z.string(),
  hash: z.string(),
});
export const auditList = z.object({ events: z.array(auditEvent) });

export const chainBreak = z.object({
  seq: z.number().int(),
  reason: z.enum(chainBreakReasons),
  message_zh: z.string(),
  message_en: z.string(),
});
export const verifyResult = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  lastSeq: z.number().int(),
  lastHash: z.string().nullable(),
  firstBreak: chainBreak.nullable().describe('The first broken link, or null when the chain verifies'),
  keyedFrom: z.number().int().nullable().describe('Events from this number on are chained with the audit key (HMAC); earlier ones, written before keying, with plain SHA-256. Null: none keyed yet'),
  checkpoint: z.object({ seq: z.number().int(), at: z.string() }).nullable().describe('The checkpoint the log was also checked against, or null'),
});
export type VerifyResult = z.infer<typeof verifyResult>;

/** A signed checkpoint of the chain's head (src/core/audit/checkpoint.ts), kept outside the database. */
export const checkpoint = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  seq: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().max(40),
  keyedFrom: z.number().int().positive().nullable(),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().regex(/^[0-9a-f]{64}$/),
});
export type CheckpointShape = z.infer<typeof checkpoint>;
/** POST /api/audit/verify, `eduplan audit verify --checkpoint f`: verify, and against this checkpoint too. */
export const verifyRequest = z.object({ checkpoint: checkpoint.optional() });
export type VerifyRequest = z.infer<typeof verifyRequest>;
