import { describe, expect, it } from 'vitest';
// Tests supply the SHA-256 the services would (core itself imports no crypto module).
// eslint-disable-next-line no-restricted-imports
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson, chainEvent, epochOf, epochsProblem, firstBreak, GENESIS_HASH, keyedFrom, type AuditEvent, type ChainEpoch } from './chain.ts';

const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string) => (s: string): string => createHmac('sha256', key).update(s, 'utf8').digest('hex');
const unkeyed = () => sha;
const body = (i: number) => ({ at: `2024-09-20T02:00:0${i}.000Z`, actor_id: 7, actor: 'wang', action: 'submission.edit', outcome: 'success' as const, object_type: 'submission', object_id: '1', org_code: '1201010001', ip: null, before: { v: i }, after: { v: i + 1 } });

function chain(n: number): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (let i = 0; i < n; i++) out.push(chainEvent(sha, out[i - 1] ?? null, body(i)));
  return out;
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson('天津')).toBe('"天津"');
  });
});

describe('hash chain', () => {
  it('hash = SHA-256(previous hash + canonical JSON of the event); the first links to the genesis hash', () => {
    const [e1, e2] = chain(2) as [AuditEvent, AuditEvent];
    expect(e1.prev_hash).toBe(GENESIS_HASH);
    const { prev_hash: _p, hash: _h, ...rest } = e1;
    expect(e1.hash).toBe(sha(GENESIS_HASH + canonicalJson(rest)));
    expect(e2.prev_hash).toBe(e1.hash);
    expect(e2.seq).toBe(2);
  });

  it('verifies an intact chain', () => {
    expect(firstBreak(unkeyed, chain(10))).toBeNull();
  });

  it('reports the first edited event', () => {
    const c = chain(10);
    c[4] = { ...(c[4] as AuditEvent), after: { v: 999 } };
    expect(firstBreak(unkeyed, c)).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
  });

  it('reports a deleted event as a gap, and a recomputed-but-relinked forgery at the next link', () => {
    const c = chain(10);
    expect(firstBreak(unkeyed, [...c.slice(0, 3), ...c.slice(4)])).toMatchObject({ seq: 4, reason: 'sequence_gap' });
    // A forger rewrites event 6 and recomputes its own hash: event 7 no longer links to it.
    const forged = chainEvent(sha, c[4] as AuditEvent, { ...body(5), after: { v: 0 } });
    const d = [...c];
    d[5] = forged;
    expect(firstBreak(unkeyed, d)).toMatchObject({ seq: 7, reason: 'prev_hash_mismatch' });
  });

  it('continues from a verified prefix (paging)', () => {
    const c = chain(6);
    expect(firstBreak(unkeyed, c.slice(3), c[2] as AuditEvent)).toBeNull();
    expect(firstBreak(unkeyed, c.slice(4), c[2] as AuditEvent)).toMatchObject({ seq: 4, reason: 'sequence_gap' });
  });
});

describe('a keyed chain (HMAC with a key outside the database) after an unkeyed prefix', () => {
  // Events 1–3 written before keying (SHA-256), 4–8 with key K.
  const K = hmac('k'.repeat(32));
  const epochs: ChainEpoch[] = [{ fromSeq: 1, keyId: null }, { fromSeq: 4, keyId: 'aaaaaaaaaaaaaaaa' }];
  const hashFor = (seq: number) => (epochOf(epochs, seq)?.keyId === null ? sha : K);
  function mixed(): AuditEvent[] {
    const out: AuditEvent[] = [];
    for (let i = 0; i < 8; i++) out.push(chainEvent(i < 3 ? sha : K, out[i - 1] ?? null, body(i)));
    return out;
  }

  it('verifies with each epoch\'s hash, and says from where it is keyed', () => {
    expect(firstBreak(hashFor, mixed())).toBeNull();
    expect(keyedFrom(epochs)).toBe(4);
    expect(keyedFrom([{ fromSeq: 1, keyId: null }])).toBeNull();
  });

  it('a forger without the key cannot re-hash: an edited keyed event re-hashed with SHA-256 (or another key) breaks there', () => {
    const c = mixed();
    for (const forge of [sha, hmac('guessed-key-0123456789')]) {
      const d = [...c];
      d[5] = chainEvent(forge, d[4] as AuditEvent, { ...body(5), after: { v: 0 } });
      for (let i = 6; i < d.length; i++) d[i] = chainEvent(forge, d[i - 1] as AuditEvent, body(i));
      expect(firstBreak(hashFor, d)).toMatchObject({ seq: 6, reason: 'hash_mismatch' });
    }
  });

  it('an event whose key is not at hand is reported, not passed', () => {
    expect(firstBreak((seq) => (seq < 4 ? sha : null), mixed())).toMatchObject({ seq: 4, reason: 'key_unavailable' });
  });

  it('epochs: only a prefix from #1 may be unkeyed; a log with events needs an epoch from #1', () => {
    expect(epochsProblem(epochs, 8)).toBeNull();
    expect(epochsProblem([], 0)).toBeNull();
    expect(epochsProblem([{ fromSeq: 1, keyId: 'aaaaaaaaaaaaaaaa' }], 5)).toBeNull();
    // A downgrade: events from #6 passed off as unkeyed.
    expect(epochsProblem([...epochs, { fromSeq: 6, keyId: null }], 8)).toMatchObject({ seq: 6, reason: 'epoch_invalid' });
    // The epochs deleted (or the first one moved) so that early events have none.
    expect(epochsProblem([], 8)).toMatchObject({ seq: 1, reason: 'epoch_invalid' });
    expect(epochsProblem([{ fromSeq: 4, keyId: 'aaaaaaaaaaaaaaaa' }], 8)).toMatchObject({ seq: 1, reason: 'epoch_invalid' });
  });
});
