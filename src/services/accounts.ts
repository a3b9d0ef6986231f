/**
 * Accounts and roles (账号与角色). Only the security administrator creates accounts and
 * grants roles (三权分立); an administrator role never shares an account with another
 * role; nobody changes their own grants (privilege ceiling, DHIS2-3871). Every change is
 * audited with its before and after. The operator's console (the system caller) may list
 * accounts and lift a lockout; the demo's first start adds the documented demo accounts.
 */
import { sql, type Kysely } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { readRoot, rootCodeOr } from './org-tree.ts';
import { grantConflict, isRole, type Grant, type Role } from '../core/auth/roles.ts';
import type { AccountRef, AccountSummary, AccountView, CreateAccountResponse, CreateAccountRequest, DemoAccount } from '../contract/accounts.ts';
import type { Database } from '../store/schema.ts';
import { appendAudit } from './audit.ts';
import { deny, requireAction } from './authorize.ts';
import { callerId, callerIp, callerName, isSystem, type Actor, type Caller, type ServiceDeps, type SystemCaller } from './deps.ts';
import { AWAITING_ACTIVATION, defaultAuthPolicy, grantsOf, hashPassword, newActivation, type ScryptParams } from './auth.ts';
import { sealFor } from './secrets.ts';

export type { Actor, ServiceDeps } from './deps.ts';
export { deny, requireAction } from './authorize.ts';
export type { AccountView } from '../contract/accounts.ts';

async function view(db: Kysely<Database>, id: number): Promise<AccountView> {
  const a = await db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) throw new EduplanError('E_NOT_FOUND', { detail: `account ${id}` });
  return {
    id: a.id, username: a.username, displayName: a.display_name, grants: await grantsOf(db, a.id), disabled: a.disabled,
    lockedUntil: a.locked_until ? new Date(a.locked_until).toISOString() : null, totpEnrolled: a.totp_secret !== null, mustChangePassword: a.must_change_password,
  };
}

async function checkGrants(db: Kysely<Database>, grants: readonly Grant[]): Promise<void> {
  const conflict = grantConflict(grants, await rootCodeOr(db, ''));
  if (conflict) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'grants', rule: 'separation_of_duties', message_zh: conflict.zh, message_en: conflict.en }] });
  const codes = [...new Set(grants.map((g) => g.orgCode))];
  if (codes.length === 0) return;
  const found = new Set((await db.selectFrom('org_unit').select('code').where('code', 'in', codes).execute()).map((r) => r.code));
  const missing = codes.filter((c) => !found.has(c));
  if (missing.length > 0) {
    throw new EduplanError('E_ORG_UNKNOWN', { problems: missing.map((c) => ({ path: 'grants.orgCode', value: c, rule: 'org_exists', message_zh: `机构代码 ${c} 不存在`, message_en: `org unit ${c} does not exist` })) });
  }
}

/**
 * Insert an account with known grants, without an acting user: demo accounts, benchmark
 * accounts and tests. Not reachable from the API.
 */
export async function insertAccount(
  db: Kysely<Database>, at: Date,
  input: { username: string; password: string | null; displayName?: string; grants: readonly Grant[]; totpExempt?: boolean; totpSecret?: string | null; mustChangePassword?: boolean; scrypt?: ScryptParams },
): Promise<number> {
  await checkGrants(db, input.grants);
  const exists = await db.selectFrom('account').select('id').where(sql<string>`lower(username)`, '=', input.username.toLowerCase()).executeTakeFirst();
  if (exists) throw new EduplanError('E_ACCOUNT_EXISTS', { detail: input.username });
  // null: waiting for activation — a hash no password verifies against (auth.ts verifyPassword).
  const hash = input.password === null ? AWAITING_ACTIVATION : await hashPassword(input.password, input.scrypt ?? defaultAuthPolicy.scrypt);
  const row = await db.insertInto('account').values({
    username: input.username, display_name: input.displayName ?? input.username, password_hash: hash,
    totp_secret: null, totp_pending: null, totp_last_step: null, totp_exempt: input.totpExempt ?? false,
    failed_logins: 0, first_failed_at: null, locked_until: null, disabled: false, must_change_password: input.mustChangePassword ?? false,
    created_at: at, password_changed_at: at,
  }).returning('id').executeTakeFirstOrThrow();
  // Sealed for this account (services/secrets.ts), so only once its id is known.
  if (input.totpSecret) await db.updateTable('account').set({ totp_secret: sealFor(db, row.id, 'totp_secret', input.totpSecret) }).where('id', '=', row.id).execute();
  for (const g of input.grants) await db.insertInto('account_grant').values({ account_id: row.id, role: g.role, org_code: g.orgCode, granted_by: null, granted_at: at }).execute();
  return row.id;
}

const usernameRe = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;

/**
 * The security admin creates an account, and never learns its password (separation of
 * duties, 三员分立: an administrator who set a password could keep the account's
 * credentials). The account starts without a usable password; the answer carries a one-time
 * activation token, valid 72 hours, which the user redeems (POST /api/auth/activate,
 * auth.ts `activateAccount`) to choose their own password. A token the administrator
 * redeemed in the user's place is visible: the user's own activation fails, and the audit log
 * records the activation and its address.
 */
export async function createAccount(deps: ServiceDeps, actor: Actor, input: CreateAccountRequest): Promise<CreateAccountResponse> {
  await requireAction(deps, actor, 'account.manage');
  if (!usernameRe.test(input.username)) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'username', value: input.username, rule: 'username_format', message_zh: '用户名须为 3–64 位字母、数字或 . _ @ -', message_en: 'A user name is 3–64 letters, digits or . _ @ -' }] });
  }
  const grants = input.grants ?? [];
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const id = await insertAccount(tx.db, now, { username: input.username, displayName: input.displayName ?? input.username, password: null, grants });
    await tx.db.updateTable('account_grant').set({ granted_by: actor.account.id }).where('account_id', '=', id).execute();
    const activation = await newActivation(tx.db, id, actor.account.id, now);
    const v = await view(tx.db, id);
    await appendAudit(tx.db, now, { actorId: actor.account.id, actor: actor.account.username, action: 'account.create', outcome: 'success', objectType: 'account', objectId: id, ip: actor.ip, before: null, after: { username: v.username, grants: v.grants.map((g) => ({ ...g })), activation_expires_at: activation.expiresAt } });
    return { account: v, activation };
  });
}

/**
 * A new activation token for an account still waiting for activation: the first one was lost
 * or has expired (72 hours). Issuing it voids any earlier unused token (auth.ts newActivation),
 * so a leaked token stops working the moment its replacement exists. An account that has a
 * password of its own is refused: the security admin must never be able to take over a working
 * account by "re-activating" it (三员分立).
 */
export async function reissueActivation(deps: ServiceDeps, actor: Actor, input: { id: number }): Promise<CreateAccountResponse> {
  await requireAction(deps, actor, 'account.manage');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const a = await tx.db.selectFrom('account').select(['id', 'password_hash']).where('id', '=', input.id).forUpdate().executeTakeFirst();
    if (!a) throw new EduplanError('E_NOT_FOUND', { detail: `account ${input.id}` });
    if (a.password_hash !== AWAITING_ACTIVATION) throw new EduplanError('E_ACCOUNT_ACTIVE', { detail: `account ${input.id}` });
    const activation = await newActivation(tx.db, a.id, actor.account.id, now);
    const v = await view(tx.db, a.id);
    await appendAudit(tx.db, now, { actorId: actor.account.id, actor: actor.account.username, action: 'account.activation.reissue', outcome: 'success', objectType: 'account', objectId: a.id, ip: actor.ip, before: null, after: { username: v.username, activation_expires_at: activation.expiresAt } });
    return { account: v, activation };
  });
}

export async function listAccounts(deps: ServiceDeps, caller: Caller): Promise<AccountView[]> {
  await requireAction(deps, caller, 'account.manage');
  const ids = await deps.store.db.selectFrom('account').select('id').orderBy('id').execute();
  const out: AccountView[] = [];
  for (const r of ids) out.push(await view(deps.store.db, r.id));
  return out;
}

/** Replace an account's grants (grant and revoke in one audited step). */
export async function setGrants(deps: ServiceDeps, actor: Actor, input: { id: number; grants: readonly Grant[] }): Promise<AccountView> {
  const { id: accountId, grants } = input;
  await requireAction(deps, actor, 'role.grant');
  if (accountId === actor.account.id) await deny(deps, actor, 'role.grant.self', { type: 'account', id: accountId }, 'nobody changes their own roles');
  for (const g of grants) if (!isRole(g.role)) throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'grants.role', value: g.role, rule: 'role', message_zh: `未知角色 ${g.role}`, message_en: `unknown role ${g.role}` }] });
  const removesAuditAdmin = (current: readonly Grant[]): boolean => current.some((g) => g.role === 'audit_admin' && !grants.some((n) => n.role === g.role && n.orgCode === g.orgCode));
  if (removesAuditAdmin(await grantsOf(deps.store.db, accountId))) {
    await deny(deps, actor, 'role.revoke.audit_admin', { type: 'account', id: accountId }, 'the audit administrator\'s role cannot be removed by the security administrator / 安全管理员不能撤销审计管理员的角色');
  }
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const before = await view(tx.db, accountId);
    // 三员分立: the security administrator must not strip the audit administrator, who audits them.
    if (removesAuditAdmin(before.grants)) {
      throw new EduplanError('E_FORBIDDEN', { detail: 'the audit administrator\'s role cannot be removed by the security administrator / 安全管理员不能撤销审计管理员的角色' });
    }
    await checkGrants(tx.db, grants);
    await tx.db.deleteFrom('account_grant').where('account_id', '=', accountId).execute();
    for (const g of grants) await tx.db.insertInto('account_grant').values({ account_id: accountId, role: g.role, org_code: g.orgCode, granted_by: actor.account.id, granted_at: now }).execute();
    // New privileges start from a new sign-in (no session carries over a privilege change, AUTH-12).
    await tx.db.deleteFrom('auth_session').where('account_id', '=', accountId).execute();
    const after = await view(tx.db, accountId);
    await appendAudit(tx.db, now, { actorId: actor.account.id, actor: actor.account.username, action: 'account.grants', outcome: 'success', objectType: 'account', objectId: accountId, ip: actor.ip, before: { grants: before.grants.map((g) => ({ ...g })) }, after: { grants: after.grants.map((g) => ({ ...g })) } });
    return after;
  });
}

/** Disable or enable an account; disabling ends its sessions (ASVS 7.4.2). */
export async function setDisabled(deps: ServiceDeps, actor: Actor, input: { id: number; disabled: boolean }): Promise<AccountView> {
  const { id: accountId, disabled } = input;
  await requireAction(deps, actor, 'account.manage');
  if (accountId === actor.account.id) await deny(deps, actor, 'account.disable.self', { type: 'account', id: accountId });
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const before = await view(tx.db, accountId);
    await tx.db.updateTable('account').set({ disabled }).where('id', '=', accountId).execute();
    if (disabled) await tx.db.deleteFrom('auth_session').where('account_id', '=', accountId).execute();
    await appendAudit(tx.db, now, { actorId: actor.account.id, actor: actor.account.username, action: disabled ? 'account.disable' : 'account.enable', outcome: 'success', objectType: 'account', objectId: accountId, ip: actor.ip, before: { disabled: before.disabled }, after: { disabled } });
    return view(tx.db, accountId);
  });
}

/** Lift a lockout: the security administrator (by id), or the operator at the console (by user name). */
export async function unlockAccount(deps: ServiceDeps, caller: Caller, ref: AccountRef): Promise<AccountView> {
  await requireAction(deps, caller, 'account.manage');
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const accountId = 'id' in ref ? ref.id : await idOf(tx.db, ref.username);
    const before = await view(tx.db, accountId);
    await tx.db.updateTable('account').set({ locked_until: null, failed_logins: 0, first_failed_at: null }).where('id', '=', accountId).execute();
    await appendAudit(tx.db, now, { actorId: callerId(caller), actor: callerName(caller), action: 'account.unlock', outcome: 'success', objectType: 'account', objectId: accountId, ip: callerIp(caller), before: { locked_until: before.lockedUntil }, after: { locked_until: null } });
    return view(tx.db, accountId);
  });
}

/**
 * Make an account enrol its second factor again (a lost phone, or a secret that may have
 * leaked with a database copy): the stored secret and any pending enrolment are dropped and
 * the account's sessions end, so its next sign-in is the enrolment step (auth.ts login,
 * `totp_enrol`). Nobody resets their own: the security admin resetting theirs would skip the
 * factor that guards the role. `all` is the operator's answer to a leaked TOTP key
 * (docs/operations.md): every account with a second factor enrols again.
 */
export async function resetSecondFactor(deps: ServiceDeps, caller: Caller, ref: AccountRef | { all: true }): Promise<AccountView[]> {
  await requireAction(deps, caller, 'account.manage');
  if (!isSystem(caller)) {
    // Checked before the transaction: a denial is audited on its own (authorize.ts deny).
    const own = 'all' in ref || ('id' in ref ? ref.id === caller.account.id : ref.username.toLowerCase() === caller.account.username.toLowerCase());
    if (own) await deny(deps, caller, 'account.totp.reset.self', { type: 'account', id: caller.account.id }, 'nobody resets their own second factor / 不能重置自己的第二因素');
  }
  const now = deps.clock();
  return deps.store.transaction(async (tx) => {
    const ids = 'all' in ref
      ? (await tx.db.selectFrom('account').select('id').where((eb) => eb.or([eb('totp_secret', 'is not', null), eb('totp_pending', 'is not', null)])).orderBy('id').execute()).map((r) => r.id)
      : ['id' in ref ? ref.id : await idOf(tx.db, ref.username)];
    const out: AccountView[] = [];
    for (const id of ids) {
      const before = await tx.db.selectFrom('account').select(['id', 'totp_secret']).where('id', '=', id).executeTakeFirst();
      if (!before) throw new EduplanError('E_NOT_FOUND', { detail: `account ${id}` });
      await tx.db.updateTable('account').set({ totp_secret: null, totp_pending: null, totp_last_step: null }).where('id', '=', id).execute();
      await tx.db.deleteFrom('auth_session').where('account_id', '=', id).execute();
      await appendAudit(tx.db, now, { actorId: callerId(caller), actor: callerName(caller), action: 'account.totp.reset', outcome: 'success', objectType: 'account', objectId: id, ip: callerIp(caller), before: { totp_enrolled: before.totp_secret !== null }, after: { totp_enrolled: false } });
      out.push(await view(tx.db, id));
    }
    return out;
  });
}

async function idOf(db: Kysely<Database>, username: string): Promise<number> {
  const a = await db.selectFrom('account').select('id').where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  if (!a) throw new EduplanError('E_NOT_FOUND', { detail: `account ${username}` });
  return a.id;
}

/**
 * Every account with its roles, lock and second factor in words, for the operator's
 * console; the read itself is audited (`account.list`), since no session records it.
 */
export async function accountSummaries(deps: ServiceDeps, caller: Caller): Promise<AccountSummary[]> {
  await requireAction(deps, caller, 'account.manage');
  const rows = await deps.store.db.selectFrom('account').select(['id', 'username', 'display_name', 'disabled', 'locked_until', 'totp_secret', 'totp_exempt']).orderBy('id').execute();
  const out: AccountSummary[] = [];
  for (const r of rows) {
    out.push({ id: r.id, username: r.username, displayName: r.display_name, disabled: r.disabled, lockedUntil: r.locked_until ? new Date(r.locked_until).toISOString() : null, totp: r.totp_secret !== null ? 'enrolled' : r.totp_exempt ? 'exempt (demo)' : 'not enrolled', grants: await grantsOf(deps.store.db, r.id) });
  }
  await deps.store.transaction((tx) => appendAudit(tx.db, deps.clock(), { actorId: callerId(caller), actor: callerName(caller), action: 'account.list', outcome: 'success', ip: callerIp(caller) }));
  return out;
}

// ---- demo mode

/** The documented demo password (docs/accounts-and-workflow.md). Demo mode only. */
export const DEMO_PASSWORD = 'eduplan-demo-2024';
export const DEMO_DISTRICT = '120101';

/**
 * Demo accounts so a new user can walk the workflow: one school, its district, the city,
 * and an auditor. They skip the second factor (`totp_exempt`) — acceptable only because
 * demo mode never holds real data. Idempotent: existing demo accounts are left alone.
 * Only the system sets them up, and the audit log records it as `setup`.
 */
export async function ensureDemoAccounts(deps: ServiceDeps, _caller: SystemCaller): Promise<DemoAccount[]> {
  const { store, clock } = deps;
  const school = await store.db.selectFrom('org_unit').select('code').where('level', '=', 'school').where('parent_code', '=', DEMO_DISTRICT)
    .orderBy((eb) => eb.case().when('school_type', '=', 'primary').then(0).else(1).end()).orderBy('code').executeTakeFirst();
  if (!school) throw new EduplanError('E_ORG_UNKNOWN', { detail: `no school in district ${DEMO_DISTRICT}: load the demo data first (eduplan start)` });
  const root = (await readRoot(store.db)).code;
  const wanted: Array<{ username: string; grant: Grant }> = [
    { username: 'demo-school', grant: { role: 'school_reporter', orgCode: school.code } },
    { username: 'demo-district', grant: { role: 'district_reviewer', orgCode: DEMO_DISTRICT } },
    { username: 'demo-city', grant: { role: 'city_admin', orgCode: root } },
    { username: 'demo-audit', grant: { role: 'audit_admin', orgCode: root } },
    // 学分银行 (docs/credit-bank.md): the city-level institutions' officer (the open university
    // reviews recognitions), and the officer of an institution in 和平区 who sees only its own.
    { username: 'demo-credit', grant: { role: 'credit_officer', orgCode: root } },
    { username: 'demo-credit-heping', grant: { role: 'credit_officer', orgCode: DEMO_DISTRICT } },
  ];
  const out: DemoAccount[] = [];
  await store.transaction(async (tx) => {
    for (const w of wanted) {
      const exists = await tx.db.selectFrom('account').select('id').where('username', '=', w.username).executeTakeFirst();
      if (!exists) {
        const id = await insertAccount(tx.db, clock(), { username: w.username, password: DEMO_PASSWORD, grants: [w.grant], totpExempt: true });
        await appendAudit(tx.db, clock(), { actorId: null, actor: 'setup', action: 'account.create', outcome: 'success', objectType: 'account', objectId: id, after: { username: w.username, grants: [{ ...w.grant }], demo: true } });
      }
      out.push({ username: w.username, role: w.grant.role, orgCode: w.grant.orgCode });
    }
  });
  return out;
}

export type { Role };
