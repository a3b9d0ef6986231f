/**
 * `eduplan accounts list`, `eduplan accounts unlock <username>` and `eduplan accounts reset-totp
 * <username> | --all` for the operator at the
 * server console (both audited as actor `cli`). Creating accounts and granting roles is
 * the security administrator's, through the API.
 */
import { withStore } from '../with-store.ts';
import { accountSummaries, resetSecondFactor, unlockAccount } from '../../services/accounts.ts';
import { printJson } from '../io.ts';
import { defineCommand } from '../spec.ts';

const system = { system: 'cli' } as const;

export const list = defineCommand({
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const { io } = ctx;
  const out = await accountSummaries({ store, clock: () => new Date() }, system);
  if (values.json) printJson(io, out);
  else for (const a of out) io.stdout.write(`${String(a.id).padStart(4)} ${a.username.padEnd(20)} ${a.grants.map((g) => `${g.role}@${g.orgCode}`).join(',').padEnd(40)} ${a.disabled ? '停用/disabled ' : ''}${a.lockedUntil ? `锁定至/locked until ${a.lockedUntil} ` : ''}TOTP: ${a.totp}\n`);
  return 0;
}));

export const unlock = defineCommand({
  positionals: [{ name: 'username', required: true, zh: '要解除锁定的用户名', en: 'the account to unlock' }],
}, async ({ positionals: { username } }, ctx) => withStore(ctx, async (store) => {
  await unlockAccount({ store, clock: () => new Date() }, system, { username });
  ctx.io.stdout.write(`已解除锁定 / unlocked: ${username}\n`);
  return 0;
}));

export const resetTotp = defineCommand({
  positionals: [{ name: 'username', required: false, zh: '要重新绑定第二因素的用户名', en: 'the account whose second factor is reset' }],
  options: { all: { type: 'boolean', zh: '所有已绑定第二因素的账号（TOTP 密钥可能泄露时）', en: 'every account with a second factor (when the TOTP key may have leaked)' } },
}, async ({ positionals: { username }, values }, ctx) => withStore(ctx, async (store) => {
  if (values.all === (username !== undefined)) {
    ctx.io.stderr.write('请给出一个用户名或 --all（二选一） / give one user name or --all, not both or neither\n');
    return 2;
  }
  const done = await resetSecondFactor({ store, clock: () => new Date() }, system, username !== undefined ? { username } : { all: true });
  ctx.io.stdout.write(`已重置第二因素，下次登录时重新绑定 / second factor reset, enrolment at next sign-in: ${done.map((a) => a.username).join(', ') || '—'}\n`);
  return 0;
}));
