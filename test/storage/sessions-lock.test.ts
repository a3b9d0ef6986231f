/**
 * Sessions end when the account is locked or disabled (issue 17). The lockout is per account
 * and address: a lock ends the account's sessions from that address, half- or fully
 * signed-in, and leaves those from elsewhere (failing on purpose from elsewhere must not
 * sign the owner out). An account-wide lock (`locked_until`) or a disabled account ends them
 * all. Before, a fully signed-in session outlived the lock of its own address and an
 * account-wide lock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../src/services/accounts.ts';
import { defaultAuthPolicy, login, resolveSession, type AuthPolicy } from '../../src/services/auth.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';
import { FAST_SCRYPT, fakeClock, org, PASSWORD, seedOrgs } from '../http/submissions.fixture.ts';

describe.each(backends)('sessions and locks on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const clock = fakeClock('2025-03-01T02:00:00Z');
  const policy: AuthPolicy = { ...defaultAuthPolicy, scrypt: FAST_SCRYPT };
  const deps = () => ({ store, clock: clock.fn, policy });
  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
    await insertAccount(store.db, clock.now, { username: 'feng.teacher', password: PASSWORD, grants: [{ role: 'school_reporter', orgCode: org.schoolA1 }], scrypt: FAST_SCRYPT });
  });
  afterAll(async () => store?.dispose());

  it('a lock for an address ends the account\'s sessions from that address, not from elsewhere', async () => {
    const here = await login(deps(), { username: 'feng.teacher', password: PASSWORD, ip: '198.51.100.20' });
    const elsewhere = await login(deps(), { username: 'feng.teacher', password: PASSWORD, ip: '203.0.113.20' });
    await expect(resolveSession(deps(), here.token)).resolves.toMatchObject({ username: 'feng.teacher' });
    for (let i = 0; i < 5; i++) await expect(login(deps(), { username: 'feng.teacher', password: `wrong-${i}`, ip: '198.51.100.20' })).rejects.toMatchObject({ code: 'E_AUTH_FAILED' });
    await expect(resolveSession(deps(), here.token)).rejects.toMatchObject({ code: 'E_AUTH_REQUIRED' });
    await expect(resolveSession(deps(), elsewhere.token)).resolves.toMatchObject({ username: 'feng.teacher' });
  });

  it('an account-wide lock and a disabled account end every session', async () => {
    const a = await login(deps(), { username: 'feng.teacher', password: PASSWORD, ip: '203.0.113.21' });
    await store.db.updateTable('account').set({ locked_until: new Date(clock.now.getTime() + 3_600_000) }).where('username', '=', 'feng.teacher').execute();
    await expect(resolveSession(deps(), a.token)).rejects.toMatchObject({ code: 'E_AUTH_REQUIRED' });
    const left = await store.db.selectFrom('auth_session as s').innerJoin('account as a', 'a.id', 's.account_id').select('s.token_hash').where('a.username', '=', 'feng.teacher').execute();
    expect(left).toEqual([]);
    await store.db.updateTable('account').set({ locked_until: null }).where('username', '=', 'feng.teacher').execute();
    const b = await login(deps(), { username: 'feng.teacher', password: PASSWORD, ip: '203.0.113.21' });
    await store.db.updateTable('account').set({ disabled: true }).where('username', '=', 'feng.teacher').execute();
    await expect(resolveSession(deps(), b.token)).rejects.toMatchObject({ code: 'E_AUTH_REQUIRED' });
  });
});
