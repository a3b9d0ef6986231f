/**
 * TOTP secrets at rest (issue 17): the account table holds them sealed with AES-256-GCM under
 * a key outside the database, never as base32; secrets stored in plain base32 before this
 * change still work and are sealed on first use or by the sweep `eduplan start` runs; a key
 * rotation re-seals; a sealed value copied into another account does not open.
 * Before this change the column held the base32 secret itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp, base32Decode } from '../../src/core/auth/totp.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { completeTotp, defaultAuthPolicy, hmacSha1, login, type AuthPolicy } from '../../src/services/auth.ts';
import { sealPlaintextTotpSecrets, totpKeyId } from '../../src/services/secrets.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';
import { FAST_SCRYPT, fakeClock, org, PASSWORD, seedOrgs, TOTP_SECRET } from '../http/submissions.fixture.ts';

const base32ish = /^[A-Z2-7]{16,}=*$/;

describe.each(backends)('TOTP secrets at rest on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const clock = fakeClock('2024-09-20T02:00:00Z');
  const policy: AuthPolicy = { ...defaultAuthPolicy, scrypt: FAST_SCRYPT };
  const deps = () => ({ store, clock: clock.fn, policy });
  const column = async (username: string) => store.db.selectFrom('account').select(['id', 'totp_secret', 'totp_pending']).where('username', '=', username).executeTakeFirstOrThrow();
  const signIn = async (username: string, secret: string) => {
    const l = await login(deps(), { username, password: PASSWORD, ip: '192.0.2.1' });
    clock.advance(31_000);
    return completeTotp(deps(), { token: l.token, code: totp(hmacSha1, base32Decode(secret), clock.now), ip: '192.0.2.1' });
  };
  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
  });
  afterAll(async () => store?.dispose());

  it('an enrolled secret is stored sealed, holds no base32 secret, and signs in', async () => {
    await insertAccount(store.db, clock.now, { username: 'zhao.reviewer', password: PASSWORD, grants: [{ role: 'district_reviewer', orgCode: org.districtA }], totpSecret: TOTP_SECRET, scrypt: FAST_SCRYPT });
    const row = await column('zhao.reviewer');
    expect(row.totp_secret).not.toBeNull();
    expect(row.totp_secret).not.toContain(TOTP_SECRET);
    expect(row.totp_secret).not.toMatch(base32ish);
    expect(row.totp_secret).toMatch(/^gcm1\$/);
    await expect(signIn('zhao.reviewer', TOTP_SECRET)).resolves.toHaveProperty('token');
    expect((await column('zhao.reviewer')).totp_secret).not.toContain(TOTP_SECRET);
  });

  it('enrolment: the new secret reaches the user in the otpauth URI, the pending column holds it sealed, and so does the confirmed one', async () => {
    await insertAccount(store.db, clock.now, { username: 'qian.reviewer', password: PASSWORD, grants: [{ role: 'district_reviewer', orgCode: org.districtA }], scrypt: FAST_SCRYPT });
    const l = await login(deps(), { username: 'qian.reviewer', password: PASSWORD });
    expect(l.state).toBe('totp_enrol');
    const secret = new URL(l.otpauth as string).searchParams.get('secret') as string;
    expect(secret).toMatch(base32ish);
    const pending = await column('qian.reviewer');
    expect(pending.totp_pending).not.toContain(secret);
    expect(pending.totp_pending).toMatch(/^gcm1\$/);
    clock.advance(31_000);
    await completeTotp(deps(), { token: l.token, code: totp(hmacSha1, base32Decode(secret), clock.now) });
    const done = await column('qian.reviewer');
    expect(done.totp_pending).toBeNull();
    expect(done.totp_secret).toMatch(/^gcm1\$/);
    expect(done.totp_secret).not.toContain(secret);
  });

  it('a plain base32 secret from before sealing still signs in and is sealed by that use', async () => {
    await insertAccount(store.db, clock.now, { username: 'sun.reviewer', password: PASSWORD, grants: [{ role: 'district_reviewer', orgCode: org.districtA }], scrypt: FAST_SCRYPT });
    await store.db.updateTable('account').set({ totp_secret: TOTP_SECRET }).where('username', '=', 'sun.reviewer').execute();
    await signIn('sun.reviewer', TOTP_SECRET);
    expect((await column('sun.reviewer')).totp_secret).toMatch(/^gcm1\$/);
  });

  it('the sweep seals every plain secret, is idempotent, and a sealed value moved to another account does not open', async () => {
    await insertAccount(store.db, clock.now, { username: 'li.reviewer', password: PASSWORD, grants: [{ role: 'district_reviewer', orgCode: org.districtA }], scrypt: FAST_SCRYPT });
    await store.db.updateTable('account').set({ totp_secret: TOTP_SECRET }).where('username', '=', 'li.reviewer').execute();
    expect(await sealPlaintextTotpSecrets(store)).toEqual({ sealed: 1, unreadable: [] });
    expect(await sealPlaintextTotpSecrets(store)).toEqual({ sealed: 0, unreadable: [] });
    const all = await store.db.selectFrom('account').select(['totp_secret']).where('totp_secret', 'is not', null).execute();
    for (const r of all) expect(r.totp_secret).not.toMatch(base32ish);
    // zhao's sealed secret copied into li's row: GCM's additional data names the account.
    const zhao = await column('zhao.reviewer');
    await store.db.updateTable('account').set({ totp_secret: zhao.totp_secret }).where('username', '=', 'li.reviewer').execute();
    await expect(signIn('li.reviewer', TOTP_SECRET)).rejects.toMatchObject({ code: 'E_TOTP_KEY' });
  });

  it('a key rotation: with the old key retired, secrets still open and the sweep re-seals them with the new key', async () => {
    const old = store.keys.totp.current;
    const rotated = Object.assign(Object.create(store) as Store, { keys: { audit: store.keys.audit, totp: { current: 'a-new-totp-key-0123456789abcdef', previous: [old] } } });
    const r = await sealPlaintextTotpSecrets(rotated);
    expect(r.sealed).toBeGreaterThanOrEqual(3);
    expect(r.unreadable).toEqual([(await column('li.reviewer')).id]);
    expect((await column('zhao.reviewer')).totp_secret?.split('$')[1]).toBe(totpKeyId('a-new-totp-key-0123456789abcdef'));
  });
});
