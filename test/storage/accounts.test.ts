/** Accounts and sign-in on every backend: unique names whatever the case, lockout counting under concurrency, setup token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backends } from '../helpers/stores.ts';
import type { Store } from '../../src/store/store.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { createFirstAdmin, ensureSetupToken, login, type AuthPolicy, defaultAuthPolicy } from '../../src/services/auth.ts';
import { FAST_SCRYPT, fakeClock, seedOrgs, org, PASSWORD } from '../http/submissions.fixture.ts';

describe.each(backends)('accounts on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const clock = fakeClock('2024-09-20T02:00:00Z');
  const policy: AuthPolicy = { ...defaultAuthPolicy, scrypt: FAST_SCRYPT };
  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
  });
  afterAll(async () => store?.dispose());

  it('the setup token works once, on an empty instance only', async () => {
    const token = await ensureSetupToken({ store, clock: clock.fn });
    expect(token).not.toBeNull();
    await createFirstAdmin({ store, clock: clock.fn, policy }, { token: token as string, username: 'root-sec', password: 'Str0ng&Secret!' });
    await expect(createFirstAdmin({ store, clock: clock.fn, policy }, { token: token as string, username: 'again', password: 'Str0ng&Secret!' })).rejects.toMatchObject({ code: 'E_SETUP_TOKEN' });
    const used = await store.db.selectFrom('setup_token').select('used_at').executeTakeFirstOrThrow();
    expect(used.used_at).not.toBeNull();
  });

  it('user names are unique whatever their case, in the service and in the database', async () => {
    await insertAccount(store.db, clock.now, { username: 'Wang.Fang', password: PASSWORD, grants: [{ role: 'school_reporter', orgCode: org.schoolA1 }], scrypt: FAST_SCRYPT });
    await expect(insertAccount(store.db, clock.now, { username: 'wang.fang', password: PASSWORD, grants: [], scrypt: FAST_SCRYPT })).rejects.toMatchObject({ code: 'E_ACCOUNT_EXISTS' });
    await expect(sql`INSERT INTO account (username, password_hash, created_at, password_changed_at) VALUES ('WANG.FANG', 'x', now(), now())`.execute(store.db)).rejects.toThrow(/unique|duplicate/i);
  });

  it('counts concurrent failures (none lost) and locks at the fifth, for that address', async () => {
    const deps = { store, clock: clock.fn, policy };
    const ip = '198.51.100.7';
    const attempts = await Promise.allSettled(Array.from({ length: 5 }, () => login(deps, { username: 'wang.fang', password: 'nope', ip })));
    expect(attempts.every((a) => a.status === 'rejected')).toBe(true);
    const locks = await store.db.selectFrom('audit_event').select(['ip', 'after']).where('action', '=', 'account.locked').where('actor', '=', 'Wang.Fang').execute();
    expect(locks).toHaveLength(1);
    expect(locks[0]?.ip).toBe(ip);
    const after = (typeof locks[0]?.after === 'string' ? JSON.parse(locks[0].after) : locks[0]?.after) as { locked_until: string };
    expect(new Date(after.locked_until).getTime()).toBe(clock.now.getTime() + 30 * 60_000);
    await expect(login(deps, { username: 'wang.fang', password: PASSWORD, ip })).rejects.toMatchObject({ code: 'E_AUTH_FAILED' });
    // The lock holds for that address only: the owner elsewhere signs in.
    expect((await login(deps, { username: 'wang.fang', password: PASSWORD, ip: '203.0.113.9' })).state).toBe('ok');
    clock.advance(30 * 60_000 + 1);
    expect((await login(deps, { username: 'wang.fang', password: PASSWORD, ip })).state).toBe('ok');
  });

  it('backs off: each further lock of the same account and address within a day lasts twice as long; an unlock clears it', async () => {
    const deps = { store, clock: clock.fn, policy };
    const ip = '198.51.100.8';
    const lockFor = async (): Promise<number> => {
      for (let i = 0; i < 5; i++) await expect(login(deps, { username: 'wang.fang', password: `wrong-${i}`, ip })).rejects.toMatchObject({ code: 'E_AUTH_FAILED' });
      const last = await store.db.selectFrom('audit_event').select('after').where('action', '=', 'account.locked').where('ip', '=', ip).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      const after = (typeof last.after === 'string' ? JSON.parse(last.after) : last.after) as { locked_until: string };
      return new Date(after.locked_until).getTime() - clock.now.getTime();
    };
    const durations: number[] = [];
    for (let n = 0; n < 3; n++) {
      durations.push(await lockFor());
      // Locked: even the right password fails, and tries while locked do not count toward the next lock.
      await expect(login(deps, { username: 'wang.fang', password: PASSWORD, ip })).rejects.toMatchObject({ code: 'E_AUTH_FAILED' });
      clock.advance(durations[n]! + 1);
    }
    expect(durations).toEqual([30 * 60_000, 60 * 60_000, 120 * 60_000]);
    // An administrator's unlock (recorded in the audit log) ends the lock and the backoff at once.
    await lockFor();
    const id = (await store.db.selectFrom('account').select('id').where('username', '=', 'Wang.Fang').executeTakeFirstOrThrow()).id;
    const { auditAlone } = await import('../../src/services/audit.ts');
    await auditAlone(store, clock.now, { actorId: null, actor: 'cli', action: 'account.unlock', outcome: 'success', objectType: 'account', objectId: id });
    expect((await login(deps, { username: 'wang.fang', password: PASSWORD, ip })).state).toBe('ok');
    expect(await lockFor()).toBe(30 * 60_000);
    clock.advance(30 * 60_000 + 1);
  });

  it('failures spread beyond the 15-minute window do not lock', async () => {
    const deps = { store, clock: clock.fn, policy };
    for (let i = 0; i < 8; i++) {
      await expect(login(deps, { username: 'wang.fang', password: 'nope' })).rejects.toMatchObject({ code: 'E_AUTH_FAILED' });
      clock.advance(4 * 60_000);
      if (i % 4 === 3) clock.advance(15 * 60_000);
    }
    expect((await login(deps, { username: 'wang.fang', password: PASSWORD })).state).toBe('ok');
  });
});
