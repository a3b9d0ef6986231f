/**
 * The audit anchor (issue 17): the chain is keyed, so someone with write access to the
 * database but not the key cannot re-hash it after an edit; what a chain cannot show by
 * itself — its newest events deleted, a re-hash by whoever holds the key, or the whole log
 * passed off as written before keying — a signed checkpoint kept outside the database
 * shows. A database from before keying keeps its SHA-256 prefix, verified as before.
 *
 * Before this change every forgery below verified as intact (the chain was SHA-256 only and
 * there were no checkpoints).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainEvent, type AuditEvent, type Json } from '../../src/core/audit/chain.ts';
import type { Checkpoint } from '../../src/core/audit/checkpoint.ts';
import { auditAlone, checkpointLog, rotateAuditKey, sha256Hex, verifyAudit, verifyLog } from '../../src/services/audit.ts';
import { auditKeyEpochs as migrateKeyEpochs } from '../../src/store/migrations/0011_hardening2.ts';
import type { Database } from '../../src/store/schema.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { attachKeys, type StoreKeys } from '../../src/store/keys.ts';
import { backends } from '../helpers/stores.ts';
import { runCli } from '../helpers/cli.ts';

const at = new Date('2025-03-01T02:00:00.000Z');
const system = { system: 'cli' } as const;
const deps = (store: Store) => ({ store, clock: () => at });

async function append(store: Store, n: number, action = 'test.event'): Promise<void> {
  for (let i = 0; i < n; i++) await auditAlone(store, at, { actorId: 1, actor: 'wang', action, outcome: 'success', objectType: 'thing', objectId: i, after: { v: i } });
}

async function allEvents(db: Kysely<Database>): Promise<AuditEvent[]> {
  const rows = await db.selectFrom('audit_event').selectAll().orderBy('seq').execute();
  return rows.map((r) => ({
    seq: Number(r.seq), at: new Date(r.at).toISOString(), actor_id: r.actor_id, actor: r.actor, action: r.action,
    outcome: r.outcome as AuditEvent['outcome'], object_type: r.object_type, object_id: r.object_id, org_code: r.org_code, ip: r.ip,
    before: (r.before ?? null) as Json, after: (r.after ?? null) as Json, prev_hash: r.prev_hash, hash: r.hash,
  }));
}

/** With the append-only triggers off (a superuser can): `fn` edits what it likes. */
async function behindTheTriggers(db: Kysely<Database>, fn: () => Promise<void>): Promise<void> {
  await sql`ALTER TABLE audit_event DISABLE TRIGGER USER`.execute(db);
  await sql`ALTER TABLE audit_chain_epoch DISABLE TRIGGER USER`.execute(db);
  try {
    await fn();
  } finally {
    await sql`ALTER TABLE audit_event ENABLE TRIGGER USER`.execute(db);
    await sql`ALTER TABLE audit_chain_epoch ENABLE TRIGGER USER`.execute(db);
  }
}

/**
 * A forger without the key: edits event `seq` and re-hashes every link from `from` on with
 * plain SHA-256 (all there is without the key); `downgrade` also rewrites the epochs to say
 * the whole log predates keying.
 */
async function forgeWithSha256(db: Kysely<Database>, seq: number, opts: { from: number; downgrade: boolean }): Promise<void> {
  await behindTheTriggers(db, async () => {
    const events = await allEvents(db);
    let prev: { seq: number; hash: string } | null = null;
    for (const e of events) {
      const { prev_hash: _p, hash: _h, seq: _s, ...body } = e;
      const edited = e.seq === seq ? { ...body, after: { v: 'forged' } } : body;
      const next: AuditEvent = e.seq >= opts.from ? chainEvent(sha256Hex, prev, edited) : e;
      if (next !== e) {
        await db.updateTable('audit_event').set({ after: JSON.stringify(next.after), prev_hash: next.prev_hash, hash: next.hash }).where('seq', '=', e.seq).execute();
      }
      prev = { seq: next.seq, hash: next.hash };
    }
    if (opts.downgrade) {
      await db.deleteFrom('audit_chain_epoch').execute();
      await db.insertInto('audit_chain_epoch').values({ from_seq: 1, key_id: null }).execute();
    }
  });
}

describe.each(backends)('audit anchor on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  beforeAll(async () => { store = await backend.open(); });
  afterAll(async () => store?.dispose());

  it('a database from before keying: its SHA-256 prefix still verifies, keyed links from the next event on', async () => {
    // The state migration 0011 finds: events chained with plain SHA-256, no epoch table.
    await sql`DROP TABLE audit_chain_epoch`.execute(store.db);
    let prev: { seq: number; hash: string } | null = null;
    for (let i = 0; i < 3; i++) {
      const e = chainEvent(sha256Hex, prev, { at: at.toISOString(), actor_id: null, actor: 'old', action: 'legacy.event', outcome: 'success', object_type: null, object_id: null, org_code: null, ip: null, before: null, after: { i } });
      await store.db.insertInto('audit_event').values({ ...e, before: null, after: JSON.stringify(e.after) }).execute();
      prev = { seq: e.seq, hash: e.hash };
    }
    await migrateKeyEpochs(store.db as unknown as Kysely<unknown>);
    expect(await verifyAudit(store.db)).toMatchObject({ ok: true, events: 3, keyedFrom: null });
    await append(store, 4);
    const v = await verifyAudit(store.db);
    expect(v).toMatchObject({ ok: true, events: 7, keyedFrom: 4, firstBreak: null });
    // The keyed links are HMAC, not SHA-256.
    const [e5] = (await allEvents(store.db)).filter((e) => e.seq === 5);
    const { prev_hash: p, hash: h, ...body } = e5 as AuditEvent;
    expect(chainEvent(sha256Hex, { seq: 4, hash: p }, { ...body }).hash).not.toBe(h);
    // The unkeyed prefix is still checked: an edit there is found.
    await behindTheTriggers(store.db, async () => {
      await store.db.updateTable('audit_event').set({ after: JSON.stringify({ i: 99 }) }).where('seq', '=', 2).execute();
    });
    expect((await verifyAudit(store.db)).firstBreak).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
    await behindTheTriggers(store.db, async () => {
      await store.db.updateTable('audit_event').set({ after: JSON.stringify({ i: 1 }) }).where('seq', '=', 2).execute();
    });
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it('an edit re-hashed without the key is found by verify alone', async () => {
    await forgeWithSha256(store.db, 5, { from: 5, downgrade: false });
    const v = await verifyAudit(store.db);
    expect(v.ok).toBe(false);
    expect(v.firstBreak).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
  });

  it('marking later events unkeyed (a downgrade) is refused by verify alone', async () => {
    const s = await backend.open();
    try {
      await append(s, 6);
      await s.db.insertInto('audit_chain_epoch').values({ from_seq: 4, key_id: null }).execute();
      expect((await verifyAudit(s.db)).firstBreak).toMatchObject({ seq: 4, reason: 'epoch_invalid' });
    } finally {
      await s.dispose();
    }
  });

  it('a key rotation: the old key chains up to the rotation event, the new key after it; verify needs both', async () => {
    const r = await backend.open();
    try {
      await append(r, 3);
      const oldKey = r.keys.audit.current;
      const newKey = 'rotated-audit-key-0123456789abcdef';
      const rotated = Object.assign(Object.create(r) as Store, { keys: { audit: { current: newKey, previous: [oldKey] }, totp: r.keys.totp } });
      // Keys travel with the store's connections (store/keys.ts): a store opened with the new ring.
      attachKeys(r.db, rotated.keys);
      const out = await rotateAuditKey(deps(rotated), system);
      expect(out.fromSeq).toBe(5);
      expect((await allEvents(r.db))[3]).toMatchObject({ seq: 4, action: 'audit.key_rotated' });
      // Appends need the new key now; the store's own transactions still carry the old ring.
      await expect(auditAlone(r, at, { actorId: null, actor: 'x', action: 'test.old_key', outcome: 'success' })).rejects.toMatchObject({ code: 'E_AUDIT_KEY' });
      expect(await verifyAudit(r.db)).toMatchObject({ ok: true, events: 4, keyedFrom: 1 });
      attachKeys(r.db, { audit: { current: newKey, previous: [] }, totp: r.keys.totp });
      expect((await verifyAudit(r.db)).firstBreak).toMatchObject({ seq: 1, reason: 'key_unavailable' });
    } finally {
      await r.dispose();
    }
  });

  describe('against a checkpoint', () => {
    let s: Store & { dispose(): Promise<void> };
    let cp: Checkpoint;
    beforeAll(async () => {
      s = await backend.open();
      await append(s, 8);
      cp = await checkpointLog(deps(s), system);
      await append(s, 3, 'test.after_checkpoint');
    });
    afterAll(async () => s?.dispose());

    it('the checkpoint signs the head it recorded (the checkpoint event itself), and an intact log matches it', async () => {
      expect(cp).toMatchObject({ seq: 9, keyedFrom: 1 });
      expect((await allEvents(s.db))[8]).toMatchObject({ seq: 9, action: 'audit.checkpoint', hash: cp.hash });
      expect(await verifyAudit(s.db, { checkpoint: cp })).toMatchObject({ ok: true, events: 12, checkpoint: { seq: 9 } });
    });

    it('a checkpoint whose fields were altered does not verify', async () => {
      const v = await verifyAudit(s.db, { checkpoint: { ...cp, seq: 5 } });
      expect(v.firstBreak).toMatchObject({ reason: 'checkpoint_invalid' });
    });

    it('verify reports the log as it found it, then records itself', async () => {
      let seen = -1;
      const r = await verifyLog(deps(s), system, { checkpoint: cp }, async (found) => {
        seen = found.events;
        expect(Number((await s.db.selectFrom('audit_event').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)).toBe(found.events);
      });
      expect(r.ok).toBe(true);
      expect(seen).toBe(12);
      expect((await allEvents(s.db)).at(-1)).toMatchObject({ seq: 13, action: 'audit.verify' });
    });

    it('the whole log passed off as unkeyed and re-hashed with SHA-256: verify alone says intact, the checkpoint does not', async () => {
      const f = await backend.open();
      try {
        await append(f, 8);
        const c = await checkpointLog(deps(f), system);
        await append(f, 2);
        await forgeWithSha256(f.db, 3, { from: 1, downgrade: true });
        expect(await verifyAudit(f.db)).toMatchObject({ ok: true, keyedFrom: null });
        const v = await verifyAudit(f.db, { checkpoint: c });
        expect(v.ok).toBe(false);
        expect(v.firstBreak?.reason).toBe('checkpoint_mismatch');
      } finally {
        await f.dispose();
      }
    });

    it('a re-hash by whoever holds the key (events after an edit deleted and appended again): the checkpoint finds it', async () => {
      const f = await backend.open();
      try {
        await append(f, 8);
        const c = await checkpointLog(deps(f), system);
        await behindTheTriggers(f.db, async () => { await f.db.deleteFrom('audit_event').where('seq', '>=', 4).execute(); });
        await append(f, 9, 'test.forged');
        expect((await verifyAudit(f.db)).ok).toBe(true);
        const v = await verifyAudit(f.db, { checkpoint: c });
        expect(v.firstBreak).toMatchObject({ seq: c.seq, reason: 'checkpoint_mismatch' });
      } finally {
        await f.dispose();
      }
    });

    it('the newest events deleted: verify alone says intact, the checkpoint finds the truncation', async () => {
      await behindTheTriggers(s.db, async () => { await s.db.deleteFrom('audit_event').where('seq', '>=', 7).execute(); });
      expect((await verifyAudit(s.db)).ok).toBe(true);
      expect((await verifyAudit(s.db, { checkpoint: cp })).firstBreak).toMatchObject({ seq: 7, reason: 'truncated' });
    });
  });
});

describe('eduplan audit checkpoint / audit verify --checkpoint (acceptance)', () => {
  const root = mkdtempSync(join(tmpdir(), 'eduplan-audit-anchor-'));
  const dataDir = join(root, 'data');
  const auditKey = 'anchor-test-audit-key-0123456789abcdef';
  const keys: StoreKeys = { audit: { current: auditKey, previous: [] }, totp: { current: 'anchor-test-totp-key-0123456789', previous: [] } };
  const env: NodeJS.ProcessEnv = { EDUPLAN_DATA_DIR: dataDir, EDUPLAN_DEMO: '0', EDUPLAN_AUDIT_KEY: auditKey };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { ...env, ...extra }, root);


  it('a re-hashed forgery after a checkpoint is detected; verify alone does not see it; a wrong key is refused', async () => {
    const s = await openStore({ dataDir, keys });
    await append(s, 10);
    await s.close();
    const c = await run(['audit', 'checkpoint', '--out', 'anchor.json']);
    expect(c.code, c.err).toBe(0);
    const file = JSON.parse(readFileSync(join(root, 'anchor.json'), 'utf8')) as Checkpoint;
    expect(file).toMatchObject({ format: 'eduplan-audit-checkpoint/1', seq: 11, keyedFrom: 1 });
    expect(JSON.stringify(file)).not.toContain(auditKey);

    const ok = await run(['audit', 'verify', '--checkpoint', 'anchor.json']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('#11');

    // The forger edits event #4 and re-hashes everything with SHA-256, epochs rewritten.
    const f = await openStore({ dataDir, keys });
    await forgeWithSha256(f.db, 4, { from: 1, downgrade: true });
    await f.close();
    const plain = await run(['audit', 'verify', '--json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out)).toMatchObject({ ok: true, keyedFrom: null });
    const caught = await run(['audit', 'verify', '--checkpoint', 'anchor.json']);
    expect(caught.code).toBe(1);
    expect(caught.err).toContain('E_AUDIT_BROKEN');
    expect(caught.err).toContain('checkpoint_mismatch');

    // A checkpoint edited by hand to match the forgery fails its signature.
    writeFileSync(join(root, 'edited.json'), JSON.stringify({ ...file, keyedFrom: null }));
    const edited = await run(['audit', 'verify', '--checkpoint', 'edited.json']);
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('checkpoint_invalid');

    // Not JSON: an input error naming the file, not a crash.
    writeFileSync(join(root, 'junk.json'), 'nope');
    const junk = await run(['audit', 'verify', '--checkpoint', 'junk.json']);
    expect(junk.code).not.toBe(0);
    expect(junk.err).toContain('E_INPUT_INVALID');
  }, 120_000);

  it('outside demo mode a command that writes to the audit log needs EDUPLAN_AUDIT_KEY; another key than the log\'s is refused', async () => {
    const other = join(root, 'data2');
    const s = await openStore({ dataDir: other, keys });
    await append(s, 2);
    await s.close();
    const missing = await run(['audit', 'verify'], { EDUPLAN_DATA_DIR: other, EDUPLAN_AUDIT_KEY: '' });
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('EDUPLAN_AUDIT_KEY');
    const wrong = await run(['audit', 'checkpoint'], { EDUPLAN_DATA_DIR: other, EDUPLAN_AUDIT_KEY: 'a-different-audit-key-0123456789' });
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toContain('E_AUDIT_KEY');
  }, 120_000);
});
