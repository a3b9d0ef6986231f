/**
 * The submission service on every backend: concurrent retries of one push with the same
 * Idempotency-Key write once; approval writes data_value in the same transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';
import { insertAccount, type Actor } from '../../src/services/accounts.ts';
import { grantsOf } from '../../src/services/auth.ts';
import { approve, requestHash, saveDraft, submit } from '../../src/services/submissions.ts';
import { verifyAudit } from '../../src/services/audit.ts';
import { FAST_SCRYPT, fakeClock, goodValues, org, PASSWORD, seedOrgs } from '../http/submissions.fixture.ts';

describe.each(backends)('submissions on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const clock = fakeClock('2024-09-20T02:00:00Z');
  let pusher: Actor;
  let reviewer: Actor;
  const actor = async (username: string, id: number): Promise<Actor> => ({
    account: { id, username, displayName: username, grants: await grantsOf(store.db, id), mfaDone: true, mustChangePassword: false, sessionHash: 'x' }, ip: '127.0.0.1',
  });
  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
    // A district data system: school_reporter held at district scope, so it may push for every school there.
    const p = await insertAccount(store.db, clock.now, { username: 'heping-system', password: PASSWORD, grants: [{ role: 'school_reporter', orgCode: org.districtA }], scrypt: FAST_SCRYPT });
    const r = await insertAccount(store.db, clock.now, { username: 'heping-reviewer', password: PASSWORD, grants: [{ role: 'district_reviewer', orgCode: org.districtA }], scrypt: FAST_SCRYPT });
    pusher = await actor('heping-system', p);
    reviewer = await actor('heping-reviewer', r);
  });
  afterAll(async () => store?.dispose());

  it('ten concurrent retries of one push with the same key create one submission and one audit event', async () => {
    const deps = { store, clock: clock.fn };
    const input = { orgCode: org.schoolA1, formCode: 'annual.primary', year: 2024, values: goodValues() };
    const idem = { key: 'f3b0c442-98fc-1c14-9afb-4c8996fb9242', requestHash: requestHash('PUT', '/x', input) };
    const results = await Promise.all(Array.from({ length: 10 }, () => saveDraft(deps, pusher, { ...input, idempotency: idem })));
    const ids = new Set(results.map((r) => r.body.submission.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed).length).toBe(1);
    const subs = await store.db.selectFrom('submission').selectAll().execute();
    expect(subs.length).toBe(1);
    const ev = await store.db.selectFrom('audit_event').select('action').where('object_type', '=', 'submission').execute();
    expect(ev.map((e) => e.action)).toEqual(['submission.create']);
  });

  it('submit, then approve: values become data_value rows with the submission as source; the chain verifies', async () => {
    const deps = { store, clock: clock.fn };
    const sub = await store.db.selectFrom('submission').select('id').executeTakeFirstOrThrow();
    await submit(deps, pusher, { id: sub.id, signoffs: { preparer: '甲', reviewer: '乙', head: '丙' } });
    const r = await approve(deps, reviewer, { id: sub.id });
    expect(r.body.state).toBe('approved');
    const n = await store.db.selectFrom('data_value').select(['source']).where('org_code', '=', org.schoolA1).execute();
    expect(n.length).toBe(Object.keys(goodValues()).length);
    expect(n.every((x) => x.source === `submission:${sub.id}`)).toBe(true);
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it('nobody approves values they entered, even when someone else submitted them (separation of duties)', async () => {
    const deps = { store, clock: clock.fn };
    // One account holding a school's reporter role and its district's reviewer role.
    const both = await actor('heping-both', await insertAccount(store.db, clock.now, { username: 'heping-both', password: PASSWORD, grants: [{ role: 'school_reporter', orgCode: org.schoolA2 }, { role: 'district_reviewer', orgCode: org.districtA }], scrypt: FAST_SCRYPT }));
    const saved = await saveDraft(deps, both, { orgCode: org.schoolA2, formCode: 'annual.primary', year: 2024, values: goodValues() });
    const id = saved.body.submission.id;
    await submit(deps, pusher, { id, signoffs: { preparer: '甲', reviewer: '乙', head: '丙' } });
    await expect(approve(deps, both, { id })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });
    const denied = await store.db.selectFrom('audit_event').select(['action', 'after']).where('actor', '=', 'heping-both').where('action', '=', 'access.denied').execute();
    expect(denied.length).toBe(1);
    expect((await approve(deps, reviewer, { id })).body.state).toBe('approved');
  });

  it('a draft holds only the form\'s own cells and bounded comments: junk keys are refused, nothing is stored or audited', async () => {
    const deps = { store, clock: clock.fn };
    const before = await store.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const junk = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`junk.${i}`, i]));
    await expect(saveDraft(deps, pusher, { orgCode: org.schoolA2, formCode: 'annual.primary', year: 2026, values: { ...goodValues(), ...junk } }))
      .rejects.toMatchObject({ code: 'E_INPUT_INVALID', problems: expect.arrayContaining([expect.objectContaining({ path: 'values.junk.0', rule: 'unknown_element' })]) });
    const comments = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`c${i}`, 'x']));
    await expect(saveDraft(deps, pusher, { orgCode: org.schoolA2, formCode: 'annual.primary', year: 2025, values: goodValues(), comments }))
      .rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
    expect(await store.db.selectFrom('submission').select('id').where('year', 'in', [2025, 2026]).execute()).toEqual([]);
    const after = await store.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a double click without an Idempotency-Key: concurrent identical first saves all succeed as one draft, never a 500', async () => {
    const deps = { store, clock: clock.fn };
    const input = { orgCode: org.schoolA1, formCode: 'annual.primary', year: 2027, values: goodValues() };
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => saveDraft(deps, pusher, input)));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as { status?: number; code?: string }));
    for (const f of failures) expect(f.status, String(f.code)).toBe(409);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    const rows = await store.db.selectFrom('submission').select(['id', 'version']).where('year', '=', 2027).execute();
    expect(rows).toHaveLength(1);
    const ev = await store.db.selectFrom('audit_event').select('action').where('object_type', '=', 'submission').where('object_id', '=', String(rows[0]?.id)).execute();
    expect(ev.length).toBe(results.filter((r) => r.status === 'fulfilled').length);
  });
});
