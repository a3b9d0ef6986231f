/**
 * Sign-in over HTTP: cookie attributes, CSRF header, lockout (AUTH-04), the TOTP step and
 * its replay (AUTH-06), idle timeout and sign-out (AUTH-05), first-start setup token
 * (AUTH-09), a new account's one-time activation and the audit admin's role (separation of duties).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../../src/store/store.ts';
import { ensureSetupToken } from '../../src/services/auth.ts';
import { hmacSha1 } from '../../src/services/auth.ts';
import { resetSecondFactor } from '../../src/services/accounts.ts';
import { base32Decode, totp } from '../../src/core/auth/totp.ts';
import { Client, errorCode, fakeClock, makeApp, org, PASSWORD, seedAccounts, seedOrgs, TOTP_SECRET } from './submissions.fixture.ts';

describe('first start: the one-time setup token creates the first security admin', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-01T00:00:00Z');
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    app = await makeApp(store, clock);
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('prints a token only while there are no accounts; a wrong or used token is refused', async () => {
    const token = await ensureSetupToken({ store, clock: clock.fn });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const c = new Client(app, clock);
    expect(errorCode(await c.req('POST', '/api/setup', { token: 'not-the-token-at-all', username: 'secadmin', password: 'Str0ng&Secret!' }))).toBe('E_SETUP_TOKEN');
    expect(errorCode(await c.req('POST', '/api/setup', { token, username: 'secadmin', password: 'short' }))).toBe('E_PASSWORD_WEAK');
    const ok = await c.req('POST', '/api/setup', { token, username: 'secadmin', password: 'Str0ng&Secret!' });
    expect(ok.status).toBe(200);
    expect(errorCode(await c.req('POST', '/api/setup', { token, username: 'second', password: 'Str0ng&Secret!' }))).toBe('E_SETUP_TOKEN');
    expect(await ensureSetupToken({ store, clock: clock.fn })).toBeNull();
    const grants = await store.db.selectFrom('account_grant').selectAll().execute();
    expect(grants.map((g) => [g.role, g.org_code])).toEqual([['security_admin', org.city]]);
    // The stored hash is scrypt with its parameters, never the password.
    const a = await store.db.selectFrom('account').select('password_hash').executeTakeFirstOrThrow();
    expect(a.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(a.password_hash).not.toContain('Str0ng');
  });

  it('the security admin must enrol TOTP at first sign-in; until then only the TOTP step works', async () => {
    const c = new Client(app, clock);
    const r = await c.req('POST', '/api/auth/login', { username: 'SecAdmin', password: 'Str0ng&Secret!' });
    expect(r.body.state).toBe('totp_enrol');
    expect(String(r.body.otpauth)).toMatch(/^otpauth:\/\/totp\/eduplan%3Asecadmin\?secret=[A-Z2-7]{32}&/);
    expect(errorCode(await c.req('GET', '/api/accounts'))).toBe('E_TOTP_REQUIRED');
    const secret = new URL(String(r.body.otpauth)).searchParams.get('secret') ?? '';
    const partialCookie = c.cookie;
    const ok = await c.req('POST', '/api/auth/totp', { code: totp(hmacSha1, base32Decode(secret), clock.now) });
    expect(ok.status).toBe(200);
    expect(c.cookie).not.toBe(partialCookie); // a new session id after the privilege change
    expect((await c.req('GET', '/api/accounts')).status).toBe(200);
  });
});

describe('sign-in, sessions and lockout', () => {
  let store: Store;
  let app: FastifyInstance;
  const clock = fakeClock('2024-09-20T02:00:00Z');
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    app = await makeApp(store, clock);
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('sets an HttpOnly, SameSite=Strict cookie holding an opaque token stored only as a hash', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'eduplan', 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'school_a1', password: PASSWORD }) });
    expect(r.statusCode).toBe(200);
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^eduplan_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
    const token = /^eduplan_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    const rows = await store.db.selectFrom('auth_session').select('token_hash').execute();
    expect(rows.some((s) => s.token_hash === token)).toBe(false);
    expect(rows.every((s) => /^[0-9a-f]{64}$/.test(s.token_hash))).toBe(true);
  });

  it('refuses a state-changing request without the CSRF header or from another origin', async () => {
    const c = new Client(app, clock);
    await c.login('school_a1');
    const noHeader = await app.inject({ method: 'PUT', url: `/api/submissions/${org.schoolA1}/annual.primary/2024`, headers: { cookie: `eduplan_session=${c.cookie}`, 'content-type': 'application/json' }, payload: '{"values":{}}' });
    expect(noHeader.statusCode).toBe(403);
    expect(JSON.parse(noHeader.body).error.code).toBe('E_CSRF');
    const foreign = await c.req('PUT', `/api/submissions/${org.schoolA1}/annual.primary/2024`, { values: {} }, { origin: 'https://evil.example', host: 'eduplan.example' });
    expect(errorCode(foreign)).toBe('E_CSRF');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'school_a1', password: PASSWORD }) });
    expect(login.statusCode).toBe(403);
  });

  it('same answer for an unknown user and a wrong password; 5 failures lock the account even for the right password; unlocks after 30 minutes', async () => {
    const c = new Client(app, clock);
    const unknown = await c.req('POST', '/api/auth/login', { username: 'nobody-here', password: 'whatever' });
    const wrong = await c.req('POST', '/api/auth/login', { username: 'school_a2', password: 'wrong-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    for (let i = 0; i < 4; i++) expect((await c.req('POST', '/api/auth/login', { username: 'school_a2', password: `wrong-${i}` })).status).toBe(401);
    const locked = await c.req('POST', '/api/auth/login', { username: 'school_a2', password: PASSWORD });
    expect(locked.status).toBe(401);
    expect(locked.body).toEqual(unknown.body);
    const events = await store.db.selectFrom('audit_event').select(['action', 'outcome']).where('actor', '=', 'school_a2').orderBy('seq').execute();
    expect(events.filter((e) => e.action === 'login' && e.outcome === 'failure').length).toBe(6);
    expect(events.filter((e) => e.action === 'account.locked').length).toBe(1);
    clock.advance(31 * 60_000);
    expect((await c.login('school_a2')).status).toBe(200);
  });

  it('TOTP: a wrong code is refused, a code works once, the partial session can do nothing else', async () => {
    const c = new Client(app, clock);
    const r = await c.req('POST', '/api/auth/login', { username: 'district_a', password: PASSWORD });
    expect(r.body.state).toBe('totp_required');
    expect(errorCode(await c.req('GET', '/api/submissions'))).toBe('E_TOTP_REQUIRED');
    const current = totp(hmacSha1, base32Decode(TOTP_SECRET), clock.now);
    const wrongCode = String((Number(current) + 1) % 1_000_000).padStart(6, '0');
    expect(errorCode(await c.req('POST', '/api/auth/totp', { code: wrongCode }))).toBe('E_TOTP_INVALID');
    expect((await c.req('POST', '/api/auth/totp', { code: current })).status).toBe(200);
    expect((await c.req('GET', '/api/submissions')).status).toBe(200);
    // Replay of the same code in a new sign-in within the same step is refused.
    const d = new Client(app, clock);
    await d.req('POST', '/api/auth/login', { username: 'district_a', password: PASSWORD });
    expect(errorCode(await d.req('POST', '/api/auth/totp', { code: current }))).toBe('E_TOTP_INVALID');
  });

  it('idle timeout ends the session; sign-out ends it at once and the old cookie stays dead', async () => {
    const c = new Client(app, clock);
    await c.login('school_a1');
    expect((await c.req('GET', '/api/auth/me')).status).toBe(200);
    clock.advance(29 * 60_000);
    expect((await c.req('GET', '/api/auth/me')).status).toBe(200);
    clock.advance(31 * 60_000);
    expect(errorCode(await c.req('GET', '/api/auth/me'))).toBe('E_AUTH_REQUIRED');
    await c.login('school_a1');
    const old = c.cookie;
    expect((await c.req('POST', '/api/auth/logout')).status).toBe(200);
    c.cookie = old;
    expect((await c.req('GET', '/api/auth/me')).status).toBe(401);
  });

  it('a new account gets a one-time activation: the user sets the password, the security admin never holds one', async () => {
    const sec = new Client(app, clock);
    expect((await sec.login('secadmin')).status).toBe(200);
    const created = await sec.req('POST', '/api/accounts', { username: 'Teacher.Li', grants: [{ role: 'school_reporter', orgCode: org.schoolA2 }] });
    expect(created.status).toBe(200);
    expect(created.body).not.toHaveProperty('temporaryPassword');
    expect(errorCode(await sec.req('POST', '/api/accounts', { username: 'teacher.li' }))).toBe('E_ACCOUNT_EXISTS');
    const activation = created.body.activation as { token: string; expiresAt: string };
    expect(new Date(activation.expiresAt).getTime()).toBe(clock.now.getTime() + 72 * 3_600_000);
    // Before activation no password signs in — not even the token.
    const u = new Client(app, clock);
    expect((await u.login('teacher.li', activation.token)).status).toBe(401);
    // The stored token is a hash; the account row holds no password hash yet.
    const row = await store.db.selectFrom('account').select(['id', 'password_hash']).where('username', '=', 'Teacher.Li').executeTakeFirstOrThrow();
    expect(row.password_hash).not.toMatch(/^scrypt\$/);
    const t = await store.db.selectFrom('account_activation').select('token_hash').where('account_id', '=', row.id).executeTakeFirstOrThrow();
    expect(t.token_hash).not.toBe(activation.token);
    expect(errorCode(await u.req('POST', '/api/auth/activate', { token: activation.token, password: 'abc' }))).toBe('E_PASSWORD_WEAK');
    expect((await u.req('POST', '/api/auth/activate', { token: activation.token, password: 'Lantern-River-2024' })).status).toBe(200);
    // Once only.
    expect(errorCode(await u.req('POST', '/api/auth/activate', { token: activation.token, password: 'Another-River-2024' }))).toBe('E_ACTIVATION_TOKEN');
    const r = await u.login('teacher.li', 'Lantern-River-2024');
    expect(r.status).toBe(200);
    expect(r.body.mustChangePassword).toBe(false);
    expect((await u.req('GET', '/api/submissions')).status).toBe(200);
    const events = await store.db.selectFrom('audit_event').select(['action', 'outcome', 'actor']).where('action', '=', 'account.activate').orderBy('seq').execute();
    expect(events).toEqual([
      { action: 'account.activate', outcome: 'success', actor: 'Teacher.Li' },
      { action: 'account.activate', outcome: 'failure', actor: 'Teacher.Li' },
    ]);
  });

  it('an activation token expires after 72 hours', async () => {
    const sec = new Client(app, clock);
    await sec.login('secadmin');
    const created = await sec.req('POST', '/api/accounts', { username: 'teacher.zhang', grants: [{ role: 'school_reporter', orgCode: org.schoolA2 }] });
    const { token } = created.body.activation as { token: string };
    clock.advance(72 * 3_600_000 + 1000);
    expect(errorCode(await new Client(app, clock).req('POST', '/api/auth/activate', { token, password: 'Lantern-River-2024' }))).toBe('E_ACTIVATION_TOKEN');
  });

  it('a lost or expired activation token is replaced: the new one works, the old one no longer does, and an active account gets none', async () => {
    const sec = new Client(app, clock);
    await sec.login('secadmin');
    const created = await sec.req('POST', '/api/accounts', { username: 'teacher.wang', grants: [{ role: 'school_reporter', orgCode: org.schoolA2 }] });
    const first = (created.body.activation as { token: string }).token;
    const id = (created.body.account as { id: number }).id;
    clock.advance(73 * 3_600_000);
    // Someone without account.manage gets nothing.
    const other = new Client(app, clock);
    await other.login('school_b1');
    expect(errorCode(await other.req('POST', `/api/accounts/${id}/activation`))).toBe('E_FORBIDDEN');
    await sec.login('secadmin');
    const again = await sec.req('POST', `/api/accounts/${id}/activation`);
    expect(again.status).toBe(200);
    const second = (again.body.activation as { token: string; expiresAt: string });
    expect(second.token).not.toBe(first);
    expect(new Date(second.expiresAt).getTime()).toBe(clock.now.getTime() + 72 * 3_600_000);
    const u = new Client(app, clock);
    expect(errorCode(await u.req('POST', '/api/auth/activate', { token: first, password: 'Lantern-River-2024' }))).toBe('E_ACTIVATION_TOKEN');
    expect((await u.req('POST', '/api/auth/activate', { token: second.token, password: 'Lantern-River-2024' })).status).toBe(200);
    // Activated: no new token, so the security admin cannot take the account over.
    expect(errorCode(await sec.req('POST', `/api/accounts/${id}/activation`))).toBe('E_ACCOUNT_ACTIVE');
    expect(errorCode(await sec.req('POST', '/api/accounts/999999/activation'))).toBe('E_NOT_FOUND');
    const events = await store.db.selectFrom('audit_event').select(['action', 'actor']).where('action', '=', 'account.activation.reissue').execute();
    expect(events).toEqual([{ action: 'account.activation.reissue', actor: 'secadmin' }]);
  });

  it('the security admin cannot remove the audit admin\'s role (denied and audited), but may manage other roles', async () => {
    const sec = new Client(app, clock);
    await sec.login('secadmin');
    const auditor = (await store.db.selectFrom('account').select('id').where('username', '=', 'auditor').executeTakeFirstOrThrow()).id;
    expect(errorCode(await sec.req('PUT', `/api/accounts/${auditor}/grants`, { grants: [] }))).toBe('E_FORBIDDEN');
    expect(errorCode(await sec.req('PUT', `/api/accounts/${auditor}/grants`, { grants: [{ role: 'analyst', orgCode: org.city }] }))).toBe('E_FORBIDDEN');
    const kept = await store.db.selectFrom('account_grant').select(['role']).where('account_id', '=', auditor).execute();
    expect(kept.map((g) => g.role)).toEqual(['audit_admin']);
    const denied = await store.db.selectFrom('audit_event').select('after').where('action', '=', 'access.denied').where('actor', '=', 'secadmin').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(JSON.stringify(denied.after)).toContain('role.revoke.audit_admin');
    const analyst = (await store.db.selectFrom('account').select('id').where('username', '=', 'analyst').executeTakeFirstOrThrow()).id;
    expect((await sec.req('PUT', `/api/accounts/${analyst}/grants`, { grants: [] })).status).toBe(200);
  });

  it('disabling an account ends its sessions', async () => {
    const sec = new Client(app, clock);
    await sec.login('secadmin');
    const u = new Client(app, clock);
    await u.login('school_b1');
    const id = (await store.db.selectFrom('account').select('id').where('username', '=', 'school_b1').executeTakeFirstOrThrow()).id;
    expect((await sec.req('PUT', `/api/accounts/${id}/disabled`, { disabled: true })).status).toBe(200);
    expect((await u.req('GET', '/api/auth/me')).status).toBe(401);
    expect((await u.login('school_b1')).status).toBe(401);
  });
  it('a second factor is reset: the next sign-in enrols again, sessions end, nobody resets their own; the console resets all', async () => {
    const user = new Client(app, clock);
    await user.req('POST', '/api/auth/login', { username: 'district_a', password: PASSWORD });
    expect((await user.req('POST', '/api/auth/totp', { code: totp(hmacSha1, base32Decode(TOTP_SECRET), clock.now) })).status).toBe(200);
    expect((await user.req('GET', '/api/submissions')).status).toBe(200);
    const sec = new Client(app, clock);
    await sec.login('secadmin');
    const secId = (await store.db.selectFrom('account').select('id').where('username', '=', 'secadmin').executeTakeFirstOrThrow()).id;
    expect(errorCode(await sec.req('POST', `/api/accounts/${secId}/totp/reset`))).toBe('E_FORBIDDEN');
    const id = (await store.db.selectFrom('account').select('id').where('username', '=', 'district_a').executeTakeFirstOrThrow()).id;
    const r = await sec.req('POST', `/api/accounts/${id}/totp/reset`);
    expect(r.status).toBe(200);
    expect((r.body.account as { totpEnrolled: boolean }).totpEnrolled).toBe(false);
    // The old session is gone, and the next sign-in is the enrolment step with a new secret.
    expect(errorCode(await user.req('GET', '/api/submissions'))).toBe('E_AUTH_REQUIRED');
    const again = await new Client(app, clock).req('POST', '/api/auth/login', { username: 'district_a', password: PASSWORD });
    expect(again.body.state).toBe('totp_enrol');
    expect(String(again.body.otpauth)).not.toContain(TOTP_SECRET);
    const audited = await store.db.selectFrom('audit_event').select(['actor', 'object_id']).where('action', '=', 'account.totp.reset').execute();
    expect(audited).toEqual([{ actor: 'secadmin', object_id: String(id) }]);
    // The operator's console (system caller): every account with a second factor (or one being
    // enrolled, as district_a now is), in one step. Last in this file: it resets the fixture's accounts.
    const enrolled = await store.db.selectFrom('account').select('username').where((eb) => eb.or([eb('totp_secret', 'is not', null), eb('totp_pending', 'is not', null)])).orderBy('id').execute();
    const done = await resetSecondFactor({ store, clock: clock.fn }, { system: 'cli' }, { all: true });
    expect(done.map((a) => a.username)).toEqual(enrolled.map((a) => a.username));
    expect(await store.db.selectFrom('account').select('id').where('totp_secret', 'is not', null).execute()).toEqual([]);
  });
});
