/**
 * The audit log on every backend: append-only in the database (UPDATE, DELETE and TRUNCATE
 * are rejected by a trigger), hash-chained so that an edit made behind the trigger's back
 * (a superuser disabling it) is found by `verifyAudit`, which names the first broken link;
 * concurrent appends never fork the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backends } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';
import { appendAudit, auditAlone, listAudit, verifyAudit } from '../../src/services/audit.ts';

describe.each(backends)('audit log on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const at = new Date('2024-09-20T02:00:00.123Z');
  beforeAll(async () => { store = await backend.open(); });
  afterAll(async () => store?.dispose());

  it('appends linked events with consecutive numbers and verifies', async () => {
    for (let i = 0; i < 5; i++) {
      await auditAlone(store, at, { actorId: i, actor: `u${i}`, action: 'test.event', outcome: 'success', objectType: 'thing', objectId: i, before: { v: i, nested: { b: 1, a: [1, 'x'] } }, after: { v: i + 1 } });
    }
    const rows = await store.db.selectFrom('audit_event').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(await verifyAudit(store.db)).toMatchObject({ ok: true, events: 5, lastSeq: 5, firstBreak: null });
    const latest = await listAudit(store.db, { limit: 2 });
    expect(latest.map((e) => e.seq)).toEqual([5, 4]);
    expect(latest[0]?.before).toEqual({ v: 4, nested: { a: [1, 'x'], b: 1 } });
    expect(latest[1]?.after).toEqual({ v: 4 });
  });

  it('rejects UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await expect(sql`UPDATE audit_event SET actor = 'mallory' WHERE seq = 2`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_event WHERE seq = 3`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_event`.execute(store.db)).rejects.toThrow(/append-only/);
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it('an append that fails rolls back the business change with it (fail closed)', async () => {
    await expect(store.transaction(async (tx) => {
      await tx.db.insertInto('org_unit').values({ code: '120000', name_zh: '天津市', name_en: 'Tianjin', level: 'city', parent_code: null, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null }).execute();
      await appendAudit(tx.db, at, { actorId: 1, actor: 'u', action: 'x', outcome: 'success', before: { bad: '\u0000' } });
    })).rejects.toThrow();
    expect(await store.db.selectFrom('org_unit').selectAll().execute()).toEqual([]);
  });

  it('concurrent appends form one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => auditAlone(store, at, { actorId: null, actor: 'load', action: 'test.concurrent', outcome: 'success', objectId: i })));
    const v = await verifyAudit(store.db);
    expect(v).toMatchObject({ ok: true, events: 25 });
  });

  it('tampering behind the trigger is detected at the first broken link: an edited event, then a deleted one', async () => {
    // A superuser can switch the trigger off; the chain still gives the edit away.
    await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete`.execute(store.db);
    try {
      await sql`UPDATE audit_event SET after = '{"v": 999}'::jsonb WHERE seq = 3`.execute(store.db);
      let v = await verifyAudit(store.db);
      expect(v.ok).toBe(false);
      expect(v.firstBreak).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
      expect(v.events).toBe(2);
      // Put it back (same content → same hash) and delete another event instead.
      await sql`UPDATE audit_event SET after = '{"v": 3}'::jsonb WHERE seq = 3`.execute(store.db);
      expect((await verifyAudit(store.db)).ok).toBe(true);
      await sql`DELETE FROM audit_event WHERE seq = 7`.execute(store.db);
      v = await verifyAudit(store.db);
      expect(v.firstBreak).toMatchObject({ seq: 7, reason: 'sequence_gap' });
    } finally {
      await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete`.execute(store.db);
    }
  });
});
