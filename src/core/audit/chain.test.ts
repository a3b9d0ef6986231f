import { describe, expect, it } from 'vitest';
// Tests supply the SHA-256 the services would (core itself imports no crypto module).
// eslint-disable-next-line no-restricted-imports
import { createHash } from 'node:crypto';
import { canonicalJson, chainEvent, firstBreak, GENESIS_HASH, type AuditEvent } from './chain.ts';

const sha = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
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
    expect(firstBreak(sha, chain(10))).toBeNull();
  });

  it('reports the first edited event', () => {
    const c = chain(10);
    c[4] = { ...(c[4] as AuditEvent), after: { v: 999 } };
    expect(firstBreak(sha, c)).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
  });

  it('reports a deleted event as a gap, and a recomputed-but-relinked forgery at the next link', () => {
    const c = chain(10);
    expect(firstBreak(sha, [...c.slice(0, 3), ...c.slice(4)])).toMatchObject({ seq: 4, reason: 'sequence_gap' });
    // A forger rewrites event 6 and recomputes its own hash: event 7 no longer links to it.
    const forged = chainEvent(sha, c[4] as AuditEvent, { ...body(5), after: { v: 0 } });
    const d = [...c];
    d[5] = forged;
    expect(firstBreak(sha, d)).toMatchObject({ seq: 7, reason: 'prev_hash_mismatch' });
  });

  it('continues from a verified prefix (paging)', () => {
    const c = chain(6);
    expect(firstBreak(sha, c.slice(3), c[2] as AuditEvent)).toBeNull();
    expect(firstBreak(sha, c.slice(4), c[2] as AuditEvent)).toMatchObject({ seq: 4, reason: 'sequence_gap' });
  });
});
