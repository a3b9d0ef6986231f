/**
 * First start without default passwords (AUTH-09): `eduplan setup token` prints a one-time
 * token on an instance with no accounts; `eduplan setup admin --token … --username …`
 * (password on stdin) uses it to create the first security administrator, who then creates
 * every other account. `eduplan setup demo` adds the documented demo accounts (demo mode only).
 */
import { withStore } from '../with-store.ts';
import { EduplanError } from '../../core/errors.ts';
import { createFirstAdmin, ensureSetupToken } from '../../services/auth.ts';
import { DEMO_PASSWORD, ensureDemoAccounts } from '../../services/accounts.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { printJson, readStdinLine, type CliIO } from '../io.ts';
import { defineCommand } from '../spec.ts';

/**
 * What `eduplan start` should do once the store is open: in demo mode make sure the demo
 * accounts exist; otherwise, on an instance without accounts, print a one-time setup token.
 */
export async function prepareAccess(deps: ServiceDeps, opts: { demo: boolean; io: CliIO }): Promise<void> {
  if (opts.demo) {
    const accounts = await ensureDemoAccounts(deps, { system: 'demo' }).catch(() => []);
    if (accounts.length > 0) opts.io.stderr.write(`演示账号 / demo accounts: ${accounts.map((a) => a.username).join(', ')} — 口令 / password: ${DEMO_PASSWORD}\n`);
    return;
  }
  const token = await ensureSetupToken(deps);
  if (token) {
    opts.io.stderr.write(`\n首次启动：一次性初始化令牌 / first start: one-time setup token\n  ${token}\n`);
    opts.io.stderr.write('用它创建首个安全管理员 / create the first security admin with it:\n  eduplan setup admin --token <令牌/token> --username <name>   (口令从标准输入读取 / password on stdin)\n\n');
  }
}

export const token = defineCommand({
  notes: [{ zh: '已有账号时不打印令牌。', en: 'Prints nothing to set up when accounts exist.' }],
}, async (_args, ctx) => withStore(ctx, async (store) => {
  const t = await ensureSetupToken({ store, clock: () => new Date() });
  if (t === null) {
    ctx.io.stdout.write('已有账号，无需初始化 / accounts exist; nothing to set up\n');
    return 0;
  }
  ctx.io.stdout.write(`${t}\n`);
  return 0;
}));

export const admin = defineCommand({
  options: {
    token: { type: 'string', required: true, placeholder: '<token>', zh: '首次启动时打印的一次性初始化令牌', en: 'the one-time setup token printed at first start' },
    username: { type: 'string', required: true, placeholder: '<name>', zh: '安全管理员的用户名', en: "the security administrator's user name" },
    'display-name': { type: 'string', placeholder: '<name>', zh: '显示名称', en: 'display name' },
  },
  notes: [{ zh: '口令从标准输入读取（不作为参数，以免留在 ps 与命令历史中）。', en: 'The password is read from standard input (never an argument, so it stays out of ps and shell history).' }],
}, async ({ values }, ctx) => {
  const password = await readStdinLine(ctx.io);
  return withStore(ctx, async (store) => {
    const r = await createFirstAdmin({ store, clock: () => new Date() }, { token: values.token, username: values.username, password, ...(values['display-name'] ? { displayName: values['display-name'] } : {}) });
    ctx.io.stdout.write(`已创建安全管理员 / security admin created: ${values.username} (id ${r.id})；首次登录时须绑定动态口令 / enrol TOTP at first sign-in\n`);
    return 0;
  });
});

export const demo = defineCommand({
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
  notes: [{ zh: '仅演示模式（EDUPLAN_DEMO≠0）。', en: 'Demo mode only (EDUPLAN_DEMO≠0).' }],
}, async ({ values }, ctx) => {
  if (!ctx.config.demo) throw new EduplanError('E_CONFIG', { detail: 'demo accounts only in demo mode (EDUPLAN_DEMO≠0) / 演示账号仅用于演示模式' });
  return withStore(ctx, async (store) => {
    const accounts = await ensureDemoAccounts({ store, clock: () => new Date() }, { system: 'cli' });
    if (values.json) printJson(ctx.io, { password: DEMO_PASSWORD, accounts });
    else for (const a of accounts) ctx.io.stdout.write(`${a.username.padEnd(14)} ${a.role.padEnd(18)} ${a.orgCode}  口令/password: ${DEMO_PASSWORD}\n`);
    return 0;
  });
});
