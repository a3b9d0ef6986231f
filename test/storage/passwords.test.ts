/**
 * Password rules beyond complexity (issue 17): a forced change does not accept the temporary
 * password again, and a password past its maximum age must be changed before anything else.
 * Before this change the temporary password was accepted as the "new" one and passwords never
 * aged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordExpired } from '../../src/core/auth/password-policy.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { changePassword, defaultAuthPolicy, login, resolveSession, type AuthPolicy } from '../../src/services/auth.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';
import { FAST_SCRYPT, fakeClock, org, PASSWORD, seedOrgs } from '../http/submissions.fixture.ts';

const DAY = 86_400_000;

describe('passwordExpired', () => {
  const changed = new Date('2025-01-01T00:00:00Z');
  it('is due only after the maximum age, and never with 0', () => {
    expect(passwordExpired(changed, new Date(changed.getTime() + 90 * DAY), 90 * DAY)).toBe(false);
    expect(passwordExpired(changed, new Date(changed.getTime() + 90 * DAY + 1), 90 * DAY)).toBe(true);
    expect(passwordExpired(changed, new Date(changed.getTime() + 9000 * DAY), 0)).toBe(false);
  });
});

describe.each(backends)('password change and age on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const clock = fakeClock('2025-03-01T02:00:00Z');
  const policy: AuthPolicy = { ...defaultAuthPolicy, scrypt: FAST_SCRYPT, passwordMaxAgeMs: 90 * DAY };
  const deps = () => ({ store, clock: clock.fn, policy });
  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
  });
  afterAll(async () => store?.dispose());

  const signIn = async (username: string, password: string) => {
    const l = await login(deps(), { username, password, ip: '192.0.2.5' });
    return { l, actor: { account: await resolveSession(deps(), l.token), ip: '192.0.2.5' } };
  };

  it('a forced change refuses the temporary password as the new one, then accepts another', async () => {
    const temp = 'Temp-Passw0rd-x1';
    await insertAccount(store.db, clock.now, { username: 'zhou.teacher', password: temp, grants: [{ role: 'school_reporter', orgCode: org.schoolA1 }], mustChangePassword: true, scrypt: FAST_SCRYPT });
    const { l, actor } = await signIn('zhou.teacher', temp);
    expect(l.mustChangePassword).toBe(true);
    await expect(changePassword(deps(), actor, { current: temp, next: temp })).rejects.toMatchObject({ code: 'E_PASSWORD_WEAK', problems: [{ rule: 'password_reused' }] });
    expect((await resolveSession(deps(), l.token)).mustChangePassword).toBe(true);
    await changePassword(deps(), actor, { current: temp, next: 'Lantern-River-2025' });
    expect((await resolveSession(deps(), l.token)).mustChangePassword).toBe(false);
  });

  it('a password older than the maximum age must be changed: at sign-in and on a session already open', async () => {
    await insertAccount(store.db, clock.now, { username: 'wu.teacher', password: PASSWORD, grants: [{ role: 'school_reporter', orgCode: org.schoolA1 }], scrypt: FAST_SCRYPT });
    const fresh = await signIn('wu.teacher', PASSWORD);
    expect(fresh.l.mustChangePassword).toBe(false);
    clock.advance(90 * DAY + 60_000);
    const old = await signIn('wu.teacher', PASSWORD);
    expect(old.l.mustChangePassword).toBe(true);
    expect(old.actor.account.mustChangePassword).toBe(true);
    await expect(changePassword(deps(), old.actor, { current: PASSWORD, next: PASSWORD })).rejects.toMatchObject({ code: 'E_PASSWORD_WEAK' });
    await changePassword(deps(), old.actor, { current: PASSWORD, next: 'Copper-Kettle-77' });
    expect((await signIn('wu.teacher', 'Copper-Kettle-77')).l.mustChangePassword).toBe(false);
    // With no maximum configured, age alone never forces a change.
    clock.advance(400 * DAY);
    const none = await login({ store, clock: clock.fn, policy: { ...policy, passwordMaxAgeMs: 0 } }, { username: 'wu.teacher', password: 'Copper-Kettle-77' });
    expect(none.mustChangePassword).toBe(false);
  });
});
