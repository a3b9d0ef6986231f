/**
 * `eduplan accounts list` and `eduplan accounts unlock <username>` for the operator at the
 * server console (both audited as actor `cli`). Creating accounts and granting roles is
 * the security administrator's, through the API.
 */
import { sql } from 'kysely';
import { withStore } from '../with-store.ts';
import { EduplanError } from '../../core/errors.ts';
import { grantsOf } from '../../services/auth.ts';
import { appendAudit } from '../../services/audit.ts';
import { printJson } from '../io.ts';
import { defineCommand } from '../spec.ts';

export const list = defineCommand({
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const { io } = ctx;
  const rows = await store.db.selectFrom('account').select(['id', 'username', 'display_name', 'disabled', 'locked_until', 'totp_secret', 'totp_exempt']).orderBy('id').execute();
  const out = [];
  for (const r of rows) {
    out.push({ id: r.id, username: r.username, displayName: r.display_name, disabled: r.disabled, lockedUntil: r.locked_until ? new Date(r.locked_until).toISOString() : null, totp: r.totp_secret !== null ? 'enrolled' : r.totp_exempt ? 'exempt (demo)' : 'not enrolled', grants: await grantsOf(store.db, r.id) });
  }
  await store.transaction((tx) => appendAudit(tx.db, new Date(), { actorId: null, actor: 'cli', action: 'account.list', outcome: 'success' }));
  if (values.json) printJson(io, out);
  else for (const a of out) io.stdout.write(`${String(a.id).padStart(4)} ${a.username.padEnd(20)} ${a.grants.map((g) => `${g.role}@${g.orgCode}`).join(',').padEnd(40)} ${a.disabled ? '停用/disabled ' : ''}${a.lockedUntil ? `锁定至/locked until ${a.lockedUntil} ` : ''}TOTP: ${a.totp}\n`);
  return 0;
}));

export const unlock = defineCommand({
  positionals: [{ name: 'username', required: true, zh: '要解除锁定的用户名', en: 'the account to unlock' }],
}, async ({ positionals: { username } }, ctx) => withStore(ctx, async (store) => {
  await store.transaction(async (tx) => {
    const a = await tx.db.selectFrom('account').select(['id', 'locked_until']).where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
    if (!a) throw new EduplanError('E_NOT_FOUND', { detail: `account ${username}` });
    await tx.db.updateTable('account').set({ locked_until: null, failed_logins: 0, first_failed_at: null }).where('id', '=', a.id).execute();
    await appendAudit(tx.db, new Date(), { actorId: null, actor: 'cli', action: 'account.unlock', outcome: 'success', objectType: 'account', objectId: a.id, before: { locked_until: a.locked_until ? new Date(a.locked_until).toISOString() : null }, after: { locked_until: null } });
  });
  ctx.io.stdout.write(`已解除锁定 / unlocked: ${username}\n`);
  return 0;
}));
