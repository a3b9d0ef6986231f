/** `eduplan audit verify` (exit 1 on a broken chain, naming the first broken link) and `eduplan audit list`. */
import { parseArgs } from 'node:util';
import { withStore } from '../with-store.ts';
import { EduplanError } from '../../core/errors.ts';
import { appendAudit, listAudit, verifyAudit } from '../../services/audit.ts';
import { printJson, reportError, type CliIO } from '../io.ts';

export async function verify(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } } });
  return withStore(io, async (store) => {
    const t0 = performance.now();
    const r = await verifyAudit(store.db);
    const ms = performance.now() - t0;
    await store.transaction((tx) => appendAudit(tx.db, new Date(), { actorId: null, actor: 'cli', action: 'audit.verify', outcome: r.ok ? 'success' : 'failure', after: { events: r.events, first_break: r.firstBreak?.seq ?? null } }));
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
  });
}

export async function list(args: readonly string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { limit: { type: 'string' }, actor: { type: 'string' }, action: { type: 'string' }, json: { type: 'boolean' } } });
  const limit = values.limit ? Number(values.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1) throw new EduplanError('E_USAGE', { detail: '--limit must be a positive integer' });
  return withStore(io, async (store) => {
    const events = await listAudit(store.db, { limit, actor: values.actor, action: values.action });
    await store.transaction((tx) => appendAudit(tx.db, new Date(), { actorId: null, actor: 'cli', action: 'audit.read', outcome: 'success', after: { limit, actor: values.actor ?? null, action: values.action ?? null } }));
    if (values.json) printJson(io, events);
    else for (const e of events) io.stdout.write(`#${e.seq} ${e.at} ${e.actor} ${e.action} ${e.outcome} ${e.object_type ?? ''}${e.object_id ? `:${e.object_id}` : ''} ${e.org_code ?? ''}\n`);
    return 0;
  });
}
