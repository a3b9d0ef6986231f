/**
 * Sign-in (身份鉴别): scrypt password hashes, lockout after repeated failures, TOTP second
 * factor for district and city roles, opaque session tokens stored hashed, idle and
 * absolute timeouts, and the one-time setup token that creates the first security admin.
 *
 * Password hashing — scrypt from node:crypto with N = 2^15, r = 8, p = 3, a 16-byte
 * random salt and a 32-byte key: one of OWASP's equivalent scrypt settings (Password
 * Storage Cheat Sheet) at 32 MiB per hash. Stored as `scrypt$N$r$p$salt$hash` (base64),
 * so the parameters can be raised later and old hashes still verify.
 */
import { createHash, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { ensureRoot } from './region.ts';
import { EduplanError } from '../core/errors.ts';
import { isRole, needsTotp, roleNames, type Grant } from '../core/auth/roles.ts';
import { base32Decode, base32Encode, otpauthUri, verifyTotp, type HmacSha1 } from '../core/auth/totp.ts';
import { passwordExpired, passwordProblems, reusedPasswordProblem } from '../core/auth/password-policy.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { ActivateRequest, LoginResponse, Me, PasswordRequest } from '../contract/auth.ts';
import { appendAudit, auditAlone } from './audit.ts';
import { openFor, sealFor } from './secrets.ts';
import type { Actor } from './deps.ts';

export interface ScryptParams { readonly N: number; readonly r: number; readonly p: number }
export const SCRYPT_DEFAULT: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

/** Session and lockout policy (L3-CES1-02; values as proposed in AUTH-04/AUTH-05). */
export interface AuthPolicy {
  /** A session unused for this long ends (≤30 min, MLPS L3 idle timeout). */
  readonly idleTimeoutMs: number;
  /** A session ends this long after sign-in whatever its use. */
  readonly absoluteTimeoutMs: number;
  /** This many failures within `failureWindowMs` lock the account … */
  readonly maxFailures: number;
  readonly failureWindowMs: number;
  /** … for this long. */
  readonly lockoutMs: number;
  readonly scrypt: ScryptParams;
  /** A password older than this must be changed at the next request (EDUPLAN_PASSWORD_MAX_AGE_DAYS); 0 = no maximum. */
  readonly passwordMaxAgeMs: number;
}

export const defaultAuthPolicy: AuthPolicy = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 3_600_000,
  maxFailures: 5,
  failureWindowMs: 15 * 60_000,
  lockoutMs: 30 * 60_000,
  scrypt: SCRYPT_DEFAULT,
  passwordMaxAgeMs: 90 * 86_400_000,
};

export interface AuthDeps {
  readonly store: Store;
  readonly clock: () => Date;
  readonly policy?: AuthPolicy;
  /** CSPRNG; tests may pass a seeded one. */
  readonly random?: (bytes: number) => Uint8Array;
}

const policyOf = (d: AuthDeps): AuthPolicy => d.policy ?? defaultAuthPolicy;
const randomOf = (d: AuthDeps): ((n: number) => Uint8Array) => d.random ?? ((n) => randomBytes(n));

export const hmacSha1: HmacSha1 = (key, msg) => new Uint8Array(createHmac('sha1', key).update(msg).digest());
export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

function scrypt(password: string, salt: Buffer, keylen: number, p: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_DEFAULT, salt: Uint8Array = randomBytes(16)): Promise<string> {
  const key = await scrypt(password, Buffer.from(salt), 32, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${Buffer.from(salt).toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A fixed hash checked for unknown users so that a miss costs as much as a hit (AUTH-13). */
let dummyHash: Promise<string> | null = null;
const dummy = (p: ScryptParams): Promise<string> => (dummyHash ??= hashPassword('not-a-password', p, new Uint8Array(16)));

/** The signed-in account as routes and services see it. */
export interface AuthAccount {
  readonly id: number;
  readonly username: string;
  readonly displayName: string;
  readonly grants: readonly Grant[];
  /** False while the second factor is still due: such a session can only call /api/auth/totp. */
  readonly mfaDone: boolean;
  readonly mustChangePassword: boolean;
  readonly sessionHash: string;
}

export async function grantsOf(db: Kysely<Database>, accountId: number): Promise<Grant[]> {
  const rows = await db.selectFrom('account_grant').select(['role', 'org_code']).where('account_id', '=', accountId).orderBy('role').orderBy('org_code').execute();
  return rows.filter((r) => isRole(r.role)).map((r) => ({ role: r.role as Grant['role'], orgCode: r.org_code }));
}

export { orgPath } from './authorize.ts';

/** The answer of the password step (contract `LoginResponse`), with the session token the route puts in the cookie. */
export type LoginResult = LoginResponse & { readonly token: string };

async function newSession(db: Kysely<Database>, deps: AuthDeps, accountId: number, mfaDone: boolean, ip: string | null): Promise<string> {
  const token = b64url(randomOf(deps)(32));
  const now = deps.clock();
  await db.insertInto('auth_session').values({ token_hash: tokenHash(token), account_id: accountId, created_at: now, last_seen_at: now, mfa_done: mfaDone, ip }).execute();
  return token;
}

/**
 * Sign in with a user name and password. Unknown user, wrong password, disabled and locked
 * accounts all get the same E_AUTH_FAILED (AUTH-13), and every attempt is audited.
 */
export async function login(deps: AuthDeps, input: { username: string; password: string; ip?: string | null }): Promise<LoginResult> {
  const { store } = deps;
  const policy = policyOf(deps);
  const now = deps.clock();
  const ip = input.ip ?? null;
  const username = input.username.slice(0, 100);
  const acct = await store.db.selectFrom('account').selectAll().where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  const passwordOk = await verifyPassword(input.password, acct?.password_hash ?? (await dummy(policy.scrypt)));
  const fail = new EduplanError('E_AUTH_FAILED');
  if (!acct) {
    await auditAlone(store, now, { actorId: null, actor: username, action: 'login', outcome: 'failure', ip, after: { reason: 'unknown_user' } });
    throw fail;
  }
  const lockedUntil = acct.locked_until ? new Date(acct.locked_until) : null;
  if (acct.disabled || (lockedUntil && lockedUntil > now) || (await addressLockout(store.db, policy, acct.id, ip, now)).lockedUntil !== null) {
    await auditAlone(store, now, { actorId: acct.id, actor: acct.username, action: 'login', outcome: 'failure', objectType: 'account', objectId: acct.id, ip, after: { reason: acct.disabled ? 'disabled' : 'locked' } });
    throw fail;
  }
  if (!passwordOk) {
    await recordFailure(deps, acct, ip, 'wrong_password');
    throw fail;
  }
  const grants = await grantsOf(store.db, acct.id);
  const mfaDue = needsTotp(grants) && !acct.totp_exempt;
  return store.transaction(async (tx) => {
    let otpauth: string | undefined;
    const patch: Partial<{ failed_logins: number; first_failed_at: null; locked_until: null; totp_pending: string }> = { failed_logins: 0, first_failed_at: null, locked_until: null };
    if (mfaDue && acct.totp_secret === null) {
      const secret = base32Encode(randomOf(deps)(20));
      patch.totp_pending = sealFor(tx.db, acct.id, 'totp_pending', secret);
      otpauth = otpauthUri(secret, acct.username);
    }
    await tx.db.updateTable('account').set(patch).where('id', '=', acct.id).execute();
    const token = await newSession(tx.db, deps, acct.id, !mfaDue, ip);
    await appendAudit(tx.db, now, { actorId: acct.id, actor: acct.username, action: mfaDue ? 'login.password' : 'login', outcome: 'success', objectType: 'account', objectId: acct.id, ip, after: { mfa_due: mfaDue } });
    const state: LoginResult['state'] = !mfaDue ? 'ok' : otpauth ? 'totp_enrol' : 'totp_required';
    const mustChangePassword = acct.must_change_password || passwordExpired(new Date(acct.password_changed_at), now, policy.passwordMaxAgeMs);
    return { token, state, ...(otpauth ? { otpauth } : {}), mustChangePassword };
  });
}

/**
 * Lockout per account AND client address (AUTH-04, as amended by the hardening review): five
 * failures within the window from one address lock the account for that address only, so
 * nobody can lock someone else out by failing on purpose from elsewhere. Each further lock of
 * the same account+address within a day doubles (30 min, 1 h, 2 h … at most 24 h): a backoff
 * that keeps online guessing slow. A success from that address, or an administrator's unlock,
 * clears it.
 *
 * The state is read from the audit log (the account's sign-in events carry their address), so
 * it needs no table of its own and an unlock recorded there is honoured at once.
 */
const LOCKOUT_HORIZON_MS = 24 * 3_600_000;

interface AddressLockout {
  /** Until when this account is locked for this address; null when it is not. */
  readonly lockedUntil: Date | null;
  /** Wrong passwords / codes from this address since its last lock, success or unlock, within the window. */
  readonly failures: number;
  /** Locks of this account for this address in the last day (since the last success or unlock). */
  readonly locks: number;
}

async function addressLockout(db: Kysely<Database>, policy: AuthPolicy, accountId: number, ip: string | null, now: Date): Promise<AddressLockout> {
  const since = new Date(now.getTime() - LOCKOUT_HORIZON_MS - policy.lockoutMs);
  const events = await db.selectFrom('audit_event').select(['action', 'outcome', 'at', 'ip', 'after'])
    .where('object_type', '=', 'account').where('object_id', '=', String(accountId)).where('at', '>', since)
    .where('action', 'in', ['login', 'login.password', 'login.totp', 'totp.enrolled', 'account.locked', 'account.unlock'])
    .orderBy('seq', 'desc').limit(500).execute();
  let lockedUntil: Date | null = null;
  let failures = 0;
  let locks = 0;
  let counting = true;
  for (const e of events) {
    if (e.action === 'account.unlock') break;
    if ((e.ip ?? null) !== ip) continue;
    if (e.outcome === 'success' && e.action !== 'login.password' && e.action !== 'account.locked') break;
    if (e.action === 'account.locked') {
      const after = (typeof e.after === 'string' ? JSON.parse(e.after) : e.after) as { locked_until?: string } | null;
      const until = after?.locked_until ? new Date(after.locked_until) : null;
      if (locks === 0 && until !== null && until > now) lockedUntil = until;
      locks += 1;
      counting = false;
      continue;
    }
    const reason = ((typeof e.after === 'string' ? JSON.parse(e.after) : e.after) as { reason?: string } | null)?.reason;
    if (counting && e.outcome === 'failure' && (reason === 'wrong_password' || reason === 'wrong_totp') && now.getTime() - new Date(e.at).getTime() <= policy.failureWindowMs) failures += 1;
  }
  return { lockedUntil, failures, locks };
}

async function recordFailure(deps: AuthDeps, acct: { id: number; username: string }, ip: string | null, reason: string): Promise<void> {
  const policy = policyOf(deps);
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    // Serialise failures of one account under its row lock: concurrent failures must all count.
    await tx.db.selectFrom('account').select('id').where('id', '=', acct.id).forUpdate().executeTakeFirstOrThrow();
    const before = await addressLockout(tx.db, policy, acct.id, ip, now);
    const count = before.failures + 1;
    await appendAudit(tx.db, now, { actorId: acct.id, actor: acct.username, action: reason === 'wrong_totp' ? 'login.totp' : 'login', outcome: 'failure', objectType: 'account', objectId: acct.id, ip, after: { reason, failures: count } });
    if (count >= policy.maxFailures && before.lockedUntil === null) {
      const lockMs = Math.min(LOCKOUT_HORIZON_MS, policy.lockoutMs * 2 ** before.locks);
      const until = new Date(now.getTime() + lockMs);
      await appendAudit(tx.db, now, { actorId: acct.id, actor: acct.username, action: 'account.locked', outcome: 'success', objectType: 'account', objectId: acct.id, ip, after: { locked_until: until.toISOString(), address_only: true, lock: before.locks + 1 } });
      // Sessions end with the lock: the account keeps none from that address, half- or fully
      // signed-in. Sessions from other addresses stay — the lock is per address, so failing on
      // purpose from elsewhere must not sign the owner out either.
      let q = tx.db.deleteFrom('auth_session').where('account_id', '=', acct.id);
      q = ip === null ? q.where('ip', 'is', null) : q.where('ip', '=', ip);
      await q.execute();
    }
  });
}

/**
 * The second step: a TOTP code for a session whose password step passed. On success the
 * session is replaced by a new one (a new token on privilege change, AUTH-12).
 */
export async function completeTotp(deps: AuthDeps, input: { token: string; code: string; ip?: string | null }): Promise<{ token: string }> {
  const { store } = deps;
  const now = deps.clock();
  const ip = input.ip ?? null;
  const s = await loadSession(deps, input.token);
  if (s.mfa_done) return { token: input.token };
  const acct = await store.db.selectFrom('account').selectAll().where('id', '=', s.account_id).executeTakeFirstOrThrow();
  // Sealed at rest (services/secrets.ts); a plain base32 value from before sealing opens too and is sealed below.
  const secret = acct.totp_secret !== null ? openFor(store.db, acct.id, 'totp_secret', acct.totp_secret).secret
    : acct.totp_pending !== null ? openFor(store.db, acct.id, 'totp_pending', acct.totp_pending).secret : null;
  const lockedUntil = acct.locked_until ? new Date(acct.locked_until) : null;
  const addressLocked = (await addressLockout(store.db, policyOf(deps), acct.id, ip, now)).lockedUntil !== null;
  const step = secret && !(lockedUntil && lockedUntil > now) && !addressLocked
    ? verifyTotp(hmacSha1, base32Decode(secret), input.code.trim(), now, acct.totp_last_step === null ? null : Number(acct.totp_last_step))
    : null;
  if (step === null) {
    if (addressLocked) await auditAlone(store, now, { actorId: acct.id, actor: acct.username, action: 'login.totp', outcome: 'failure', objectType: 'account', objectId: acct.id, ip, after: { reason: 'locked' } });
    else await recordFailure(deps, acct, ip, 'wrong_totp');
    throw new EduplanError('E_TOTP_INVALID');
  }
  return store.transaction(async (tx) => {
    await tx.db.updateTable('account').set({ totp_secret: sealFor(tx.db, acct.id, 'totp_secret', secret as string), totp_pending: null, totp_last_step: step, failed_logins: 0, first_failed_at: null }).where('id', '=', acct.id).execute();
    await tx.db.deleteFrom('auth_session').where('token_hash', '=', tokenHash(input.token)).execute();
    const token = await newSession(tx.db, deps, acct.id, true, ip);
    await appendAudit(tx.db, now, { actorId: acct.id, actor: acct.username, action: acct.totp_secret ? 'login.totp' : 'totp.enrolled', outcome: 'success', objectType: 'account', objectId: acct.id, ip });
    return { token };
  });
}

/** A session past its idle or absolute lifetime is deleted and refused (both lookups share this). */
async function refuseStale(deps: AuthDeps, s: { token_hash: string; created_at: Date | string; last_seen_at: Date | string }): Promise<void> {
  const policy = policyOf(deps);
  const now = deps.clock();
  const idle = now.getTime() - new Date(s.last_seen_at).getTime() > policy.idleTimeoutMs;
  const old = now.getTime() - new Date(s.created_at).getTime() > policy.absoluteTimeoutMs;
  if (idle || old) {
    await deps.store.db.deleteFrom('auth_session').where('token_hash', '=', s.token_hash).execute();
    throw new EduplanError('E_AUTH_REQUIRED', { detail: idle ? 'idle timeout' : 'session lifetime exceeded' });
  }
}

async function loadSession(deps: AuthDeps, token: string) {
  const s = await deps.store.db.selectFrom('auth_session').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (!s) throw new EduplanError('E_AUTH_REQUIRED');
  await refuseStale(deps, s);
  return s;
}

/**
 * The account behind a session token, with its grants read afresh (a revoked role takes
 * effect on the next request, AC-06). Throws E_AUTH_REQUIRED for a missing, expired or
 * disabled session; `allowPartial` lets the TOTP step and sign-out through.
 */
export async function resolveSession(deps: AuthDeps, token: string): Promise<AuthAccount> {
  const now = deps.clock();
  // Session and account in one round trip: this runs on every request.
  const s = await deps.store.db.selectFrom('auth_session as s').innerJoin('account as a', 'a.id', 's.account_id')
    .select(['s.token_hash', 's.account_id', 's.created_at', 's.last_seen_at', 's.mfa_done', 'a.id', 'a.username', 'a.display_name', 'a.disabled', 'a.locked_until', 'a.must_change_password', 'a.password_changed_at'])
    .where('s.token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (!s) throw new EduplanError('E_AUTH_REQUIRED');
  await refuseStale(deps, s);
  const acct = s;
  // A disabled or locked account has no sessions: one opened before the lock ends here.
  if (acct.disabled || (acct.locked_until !== null && new Date(acct.locked_until) > now)) {
    await deps.store.db.deleteFrom('auth_session').where('account_id', '=', acct.id).execute();
    throw new EduplanError('E_AUTH_REQUIRED', { detail: acct.disabled ? 'account disabled' : 'account locked' });
  }
  // Touch at most once a minute: the idle timeout needs no finer grain and writes stay rare.
  if (now.getTime() - new Date(s.last_seen_at).getTime() > 60_000) {
    await deps.store.db.updateTable('auth_session').set({ last_seen_at: now }).where('token_hash', '=', s.token_hash).execute();
  }
  return {
    id: acct.id,
    username: acct.username,
    displayName: acct.display_name,
    grants: await grantsOf(deps.store.db, acct.id),
    mfaDone: s.mfa_done,
    mustChangePassword: acct.must_change_password || passwordExpired(new Date(acct.password_changed_at), now, policyOf(deps).passwordMaxAgeMs),
    sessionHash: s.token_hash,
  };
}

export async function logout(deps: AuthDeps, actor: Actor): Promise<void> {
  const { account, ip } = actor;
  await deps.store.transaction(async (tx) => {
    await tx.db.deleteFrom('auth_session').where('token_hash', '=', account.sessionHash).execute();
    await appendAudit(tx.db, deps.clock(), { actorId: account.id, actor: account.username, action: 'logout', outcome: 'success', objectType: 'account', objectId: account.id, ip });
  });
}

/** The signed-in account and its roles, named in both languages (GET /api/auth/me). */
export function whoAmI(actor: Actor): Me {
  const a = actor.account;
  return {
    id: a.id, username: a.username, displayName: a.displayName, mustChangePassword: a.mustChangePassword,
    grants: a.grants.map((g) => ({ role: g.role, orgCode: g.orgCode, name_zh: roleNames[g.role].zh, name_en: roleNames[g.role].en })),
  };
}

export function checkPassword(password: string, username: string): void {
  const problems = passwordProblems(password, { username });
  if (problems.length > 0) throw new EduplanError('E_PASSWORD_WEAK', { problems });
}

/** Change one's own password; every other session of the account ends. */
export async function changePassword(deps: AuthDeps, actor: Actor, input: PasswordRequest): Promise<void> {
  const { account, ip } = actor;
  const row = await deps.store.db.selectFrom('account').select(['password_hash']).where('id', '=', account.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(input.current, row.password_hash))) {
    await auditAlone(deps.store, deps.clock(), { actorId: account.id, actor: account.username, action: 'password.change', outcome: 'failure', objectType: 'account', objectId: account.id, ip });
    throw new EduplanError('E_AUTH_FAILED');
  }
  checkPassword(input.next, account.username);
  // Compared with the stored hash, not with `current`: the same however the request spells it.
  if (await verifyPassword(input.next, row.password_hash)) throw new EduplanError('E_PASSWORD_WEAK', { problems: [reusedPasswordProblem()] });
  const hash = await hashPassword(input.next, policyOf(deps).scrypt, randomOf(deps)(16));
  await deps.store.transaction(async (tx) => {
    const now = deps.clock();
    await tx.db.updateTable('account').set({ password_hash: hash, password_changed_at: now, must_change_password: false }).where('id', '=', account.id).execute();
    await tx.db.deleteFrom('auth_session').where('account_id', '=', account.id).where('token_hash', '<>', account.sessionHash).execute();
    await appendAudit(tx.db, now, { actorId: account.id, actor: account.username, action: 'password.change', outcome: 'success', objectType: 'account', objectId: account.id, ip });
  });
}

// ---- a new account's one-time activation (services/accounts.ts createAccount)

/** The password hash of an account waiting for activation: not a scrypt string, so no password verifies. */
export const AWAITING_ACTIVATION = '!awaiting-activation';
const ACTIVATION_MS = 72 * 3_600_000;

/** Issue an activation token for an account (only its hash is stored); any earlier unused one stops working. */
export async function newActivation(db: Kysely<Database>, accountId: number, createdBy: number | null, now: Date): Promise<{ token: string; expiresAt: string }> {
  const token = b64url(randomBytes(24));
  const expiresAt = new Date(now.getTime() + ACTIVATION_MS);
  await db.updateTable('account_activation').set({ used_at: now, used_ip: 'superseded' }).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
  await db.insertInto('account_activation').values({ token_hash: tokenHash(token), account_id: accountId, created_by: createdBy, created_at: now, expires_at: expiresAt, used_at: null, used_ip: null }).execute();
  return { token, expiresAt: expiresAt.toISOString() };
}

/**
 * Redeem an activation token: its user chooses the account's password (policy-checked, like
 * any password). Once only, within 72 hours, for an enabled account; audited with the address.
 */
export async function activateAccount(deps: AuthDeps, input: ActivateRequest & { ip?: string | null }): Promise<{ username: string }> {
  const now = deps.clock();
  const ip = input.ip ?? null;
  const found = await deps.store.db.selectFrom('account_activation as t').innerJoin('account as a', 'a.id', 't.account_id')
    .select(['t.token_hash', 't.expires_at', 't.used_at', 'a.id', 'a.username', 'a.disabled'])
    .where('t.token_hash', '=', tokenHash(input.token)).executeTakeFirst();
  if (!found || found.used_at !== null || new Date(found.expires_at) <= now || found.disabled) {
    await auditAlone(deps.store, now, { actorId: found?.id ?? null, actor: found?.username ?? 'anonymous', action: 'account.activate', outcome: 'failure', objectType: found ? 'account' : null, objectId: found?.id ?? null, ip, after: { reason: !found ? 'unknown_token' : found.used_at !== null ? 'used' : found.disabled ? 'disabled' : 'expired' } });
    throw new EduplanError('E_ACTIVATION_TOKEN');
  }
  checkPassword(input.password, found.username);
  const hash = await hashPassword(input.password, policyOf(deps).scrypt, randomOf(deps)(16));
  return deps.store.transaction(async (tx) => {
    const claimed = await tx.db.updateTable('account_activation').set({ used_at: now, used_ip: ip ?? 'unknown' })
      .where('token_hash', '=', found.token_hash).where('used_at', 'is', null).returning('token_hash').executeTakeFirst();
    // A concurrent redemption of the same token won the race.
    if (!claimed) throw new EduplanError('E_ACTIVATION_TOKEN');
    await tx.db.updateTable('account').set({ password_hash: hash, password_changed_at: now, must_change_password: false }).where('id', '=', found.id).execute();
    await appendAudit(tx.db, now, { actorId: found.id, actor: found.username, action: 'account.activate', outcome: 'success', objectType: 'account', objectId: found.id, ip });
    return { username: found.username };
  });
}

// ---- first start: the one-time setup token (no default password in production, AUTH-09)

/**
 * On an instance with no accounts, make a fresh one-time setup token (replacing any unused
 * one) and return it for the operator to read from the console; null once accounts exist.
 * `eduplan start` prints it; `eduplan setup admin --token …` or POST /api/setup uses it.
 */
export async function ensureSetupToken(deps: AuthDeps): Promise<string | null> {
  return deps.store.transaction(async (tx) => {
    const n = await tx.db.selectFrom('account').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    if (Number(n.n) > 0) return null;
    const token = b64url(randomOf(deps)(24));
    await tx.db.deleteFrom('setup_token').where('used_at', 'is', null).execute();
    await tx.db.insertInto('setup_token').values({ token_hash: tokenHash(token), created_at: deps.clock(), used_at: null }).execute();
    return token;
  });
}

/** Use the setup token to create the first security administrator. */
export async function createFirstAdmin(deps: AuthDeps, input: { token: string; username: string; password: string; displayName?: string; ip?: string | null }): Promise<{ id: number }> {
  checkPassword(input.password, input.username);
  const hash = await hashPassword(input.password, policyOf(deps).scrypt, randomOf(deps)(16));
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const n = await tx.db.selectFrom('account').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const t = await tx.db.selectFrom('setup_token').selectAll().where('token_hash', '=', tokenHash(input.token)).where('used_at', 'is', null).forUpdate().executeTakeFirst();
    if (Number(n.n) > 0 || !t) throw new EduplanError('E_SETUP_TOKEN');
    // The first administrator's grant is held at the root (the bundled region's on an empty database).
    const rootCode = await ensureRoot(tx.db);
    const acct = await tx.db.insertInto('account').values({
      username: input.username, display_name: input.displayName ?? input.username, password_hash: hash, totp_secret: null, totp_pending: null,
      totp_last_step: null, totp_exempt: false, failed_logins: 0, first_failed_at: null, locked_until: null, disabled: false,
      must_change_password: false, created_at: now, password_changed_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await tx.db.insertInto('account_grant').values({ account_id: acct.id, role: 'security_admin', org_code: rootCode, granted_by: null, granted_at: now }).execute();
    await tx.db.updateTable('setup_token').set({ used_at: now }).where('token_hash', '=', t.token_hash).execute();
    await appendAudit(tx.db, now, { actorId: null, actor: 'setup', action: 'setup.first_admin', outcome: 'success', objectType: 'account', objectId: acct.id, ip: input.ip ?? null, after: { username: input.username, grants: [{ role: 'security_admin', orgCode: rootCode }] } });
    return { id: acct.id };
  });
}

