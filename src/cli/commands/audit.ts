/** `eduplan audit verify` (exit 1 on a broken chain, naming the first broken link) and `eduplan audit list`. */
import { withStore } from '../with-store.ts';
import { EduplanError } from '../../core/errors.ts';
import { readLog, verifyLog } from '../../services/audit.ts';
import { printJson, reportError } from '../io.ts';
import { defineCommand } from '../spec.ts';

const system = { system: 'cli' } as const;

export const verify = defineCommand({
  options: { json: { type: 'boolean', zh: '输出 JSON（含用时）', en: 'print JSON (with the time taken)' } },
  notes: [{ zh: '哈希链有断点时退出码为 1，并指出第一个断点。', en: 'Exits 1 on a broken chain, naming the first broken link.' }],
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const { io } = ctx;
  const t0 = performance.now();
  const r = await verifyLog({ store, clock: () => new Date() }, system);
  const ms = performance.now() - t0;
  if (values.json) printJson(io, { ...r, ms: Math.round(ms) });
  if (r.ok) {
    if (!values.json) io.stdout.write(`审计日志完整：${r.events} 条记录，哈希链无断点（${Math.round(ms)} ms）/ audit log intact: ${r.events} events, chain unbroken\n`);
    return 0;
  }
  const b = r.firstBreak;
  return reportError(io, new EduplanError('E_AUDIT_BROKEN', {
    detail: `first broken link #${b?.seq}: ${b?.message_en} / 第一个断点 #${b?.seq}：${b?.message_zh}`,
    problems: b ? [{ path: `audit_event.seq=${b.seq}`, rule: b.reason, message_zh: b.message_zh, message_en: b.message_en }] : [],
  }));
}));

export const list = defineCommand({
  options: {
    limit: { type: 'string', placeholder: '<n>', default: '50', zh: '最多显示的条数', en: 'how many events at most' },
    actor: { type: 'string', placeholder: '<name>', zh: '只看该操作者', en: 'only this actor' },
    action: { type: 'string', placeholder: '<action>', zh: '只看该操作（如 account.unlock）', en: 'only this action (e.g. account.unlock)' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
}, async ({ values }, ctx) => {
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw ctx.usageError('--limit', values.limit, '--limit 应为正整数', '--limit must be a positive integer');
  return withStore(ctx, async (store) => {
    const events = await readLog({ store, clock: () => new Date() }, system, { limit, actor: values.actor, action: values.action });
    if (values.json) printJson(ctx.io, events);
    else for (const e of events) ctx.io.stdout.write(`#${e.seq} ${e.at} ${e.actor} ${e.action} ${e.outcome} ${e.object_type ?? ''}${e.object_id ? `:${e.object_id}` : ''} ${e.org_code ?? ''}\n`);
    return 0;
  });
});
