import { describe, expect, it } from 'vitest';
// Tests supply the MAC the services would (core itself imports no crypto module).
// eslint-disable-next-line no-restricted-imports
import { createHmac } from 'node:crypto';
import { checkpointBreak, checkpointInvalid, checkpointSigned, signCheckpoint, CHECKPOINT_FORMAT, type Checkpoint } from './checkpoint.ts';

const mac = (key: string) => (s: string): string => createHmac('sha256', key).update(s, 'utf8').digest('hex');
const sign = mac('checkpoint-key-0123456789');
const head = { seq: 120, hash: 'a'.repeat(64), at: '2025-06-01T08:00:00.000Z', keyedFrom: 37, keyId: '0123456789abcdef' };

describe('audit checkpoints', () => {
  it('are signed over every field; changing any field, or another key, fails the signature', () => {
    const cp = signCheckpoint(sign, head);
    expect(cp).toMatchObject({ format: CHECKPOINT_FORMAT, ...head });
    expect(checkpointSigned(sign, cp)).toBe(true);
    expect(checkpointSigned(mac('another-key-0123456789'), cp)).toBe(false);
    for (const change of [{ seq: 119 }, { hash: 'b'.repeat(64) }, { keyedFrom: null }, { at: '2025-06-02T08:00:00.000Z' }] as Array<Partial<Checkpoint>>) {
      expect(checkpointSigned(sign, { ...cp, ...change })).toBe(false);
    }
  });

  it('a log that still reaches the checkpoint unchanged passes', () => {
    const cp = signCheckpoint(sign, head);
    expect(checkpointBreak(cp, { lastSeq: 120, hashAtSeq: head.hash, keyedFrom: 37 })).toBeNull();
    expect(checkpointBreak(cp, { lastSeq: 500, hashAtSeq: head.hash, keyedFrom: 37 })).toBeNull();
  });

  it('finds truncation, re-hashing up to the checkpoint, and rewritten key epochs', () => {
    const cp = signCheckpoint(sign, head);
    expect(checkpointBreak(cp, { lastSeq: 110, hashAtSeq: null, keyedFrom: 37 })).toMatchObject({ seq: 111, reason: 'truncated' });
    expect(checkpointBreak(cp, { lastSeq: 130, hashAtSeq: 'c'.repeat(64), keyedFrom: 37 })).toMatchObject({ seq: 120, reason: 'checkpoint_mismatch' });
    // Everything passed off as written before keying, then re-hashed with SHA-256.
    expect(checkpointBreak(cp, { lastSeq: 130, hashAtSeq: 'c'.repeat(64), keyedFrom: null })).toMatchObject({ seq: 37, reason: 'checkpoint_mismatch' });
  });

  it('names an invalid checkpoint in both languages', () => {
    const b = checkpointInvalid(head, 'unknown_key');
    expect(b.reason).toBe('checkpoint_invalid');
    expect(b.message_en).toContain('0123456789abcdef');
    expect(b.message_zh).toContain('EDUPLAN_AUDIT_KEY_PREVIOUS');
  });
});
