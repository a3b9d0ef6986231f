/**
 * `eduplan audit verify [--checkpoint f]` (exit 1 on a broken chain, naming the first broken
 * link), `eduplan audit checkpoint [--out f]` (a signed checkpoint of the head, to keep
 * off this machine), `eduplan audit rotate-key` and `eduplan audit list`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withStore } from '../with-store.ts';
import { checkpoint as checkpointSchema, type VerifyResult } from '../../contract/audit.ts';
import { brokenError, checkpointLog, readLog, rotateAuditKey, verifyLog } from '../../services/audit.ts';
import { printJson, readJsonFile, reportError, type CliIO } from '../io.ts';
import { defineCommand } from '../spec.ts';

const system = { system: 'cli' } as const;

function print(io: CliIO, r: VerifyResult, json: boolean, ms: number): void {
  if (json) {
    printJson(io, { ...r, ms: Math.round(ms) });
    return;
  }
  if (!r.ok) return;
  const keyed = r.keyedFrom === null ? '未启用密钥（下一条记录起启用）/ not keyed yet (from the next event on)'
    : r.keyedFrom === 1 ? '全部以审计密钥链接 / all keyed with the audit key'
      : `#1–#${r.keyedFrom - 1} 为启用密钥前的 SHA-256 链接，#${r.keyedFrom} 起以审计密钥链接 / #1–#${r.keyedFrom - 1} written before keying (SHA-256), keyed from #${r.keyedFrom}`;
  io.stdout.write(`审计日志完整：${r.events} 条记录，哈希链无断点（${Math.round(ms)} ms）/ audit log intact: ${r.events} events, chain unbroken\n  ${keyed}\n`);
  if (r.checkpoint) io.stdout.write(`  与锚点一致（#${r.checkpoint.seq}，${r.checkpoint.at}）/ matches the checkpoint of ${r.checkpoint.at} (#${r.checkpoint.seq})\n`);
}

export const verify = defineCommand({
  options: {
    checkpoint: { type: 'string', placeholder: '<file>', zh: '同时核对此锚点文件（audit checkpoint 生成）：发现截断与重算哈希', en: 'also check against this checkpoint file (from audit checkpoint): finds truncation and re-hashing' },
    json: { type: 'boolean', zh: '输出 JSON（含用时）', en: 'print JSON (with the time taken)' },
  },
  notes: [
    { zh: '哈希链有断点或与锚点不符时退出码为 1，并指出第一个断点。', en: 'Exits 1 on a broken chain or a checkpoint the log departs from, naming the first broken link.' },
    { zh: '先报告结果，再把本次校验记入审计日志。', en: 'Reports first, then records the verification in the audit log.' },
  ],
}, async ({ values }, ctx) => {
  // A bad checkpoint file names the file and the field the contract refuses.
  const cp = values.checkpoint === undefined ? undefined : (await readJsonFile(ctx.io, values.checkpoint, { schema: checkpointSchema })).doc;
  return withStore(ctx, async (store) => {
    const { io } = ctx;
    const t0 = performance.now();
    const r = await verifyLog({ store, clock: () => new Date() }, system, { checkpoint: cp }, (found) => print(io, found, values.json === true, performance.now() - t0));
    return r.ok ? 0 : reportError(io, brokenError(r));
  });
});

export const checkpoint = defineCommand({
  options: {
    out: { type: 'string', placeholder: '<file>', zh: '写入此文件（默认输出到标准输出）', en: 'write to this file (default: standard output)' },
  },
  notes: [
    { zh: '先校验整条哈希链；锚点以审计密钥签名。请把锚点文件保存到本机以外（如另一台服务器或离线介质），日后用 audit verify --checkpoint 核对。', en: 'Verifies the whole chain first; the checkpoint is signed with the audit key. Keep the file off this machine (another server, offline media) and check against it later with audit verify --checkpoint.' },
    { zh: '服务器运行期间（PGlite）请由审计管理员在网页端 POST /api/audit/checkpoint 下载。', en: 'While the server runs (PGlite), the audit administrator downloads it with POST /api/audit/checkpoint.' },
  ],
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const cp = await checkpointLog({ store, clock: () => new Date() }, system);
  const text = `${JSON.stringify(cp, null, 2)}\n`;
  if (values.out === undefined) {
    ctx.io.stdout.write(text);
  } else {
    writeFileSync(resolve(ctx.io.cwd, values.out), text, { mode: 0o644 });
    ctx.io.stderr.write(`锚点已写入 ${values.out}：#${cp.seq} / checkpoint of #${cp.seq} written to ${values.out}\n`);
  }
  return 0;
}));

export const rotateKey = defineCommand({
  notes: [
    { zh: '先停止所有使用本数据库的 eduplan 进程。EDUPLAN_AUDIT_KEY 设为新密钥，EDUPLAN_AUDIT_KEY_PREVIOUS 设为旧密钥（之后仍须保留，用于校验旧记录）。', en: 'Stop every eduplan process using this database first. Set EDUPLAN_AUDIT_KEY to the new key and EDUPLAN_AUDIT_KEY_PREVIOUS to the old one (keep it there afterwards: it verifies the older events).' },
  ],
}, async (_args, ctx) => withStore(ctx, async (store) => {
  const r = await rotateAuditKey({ store, clock: () => new Date() }, system);
  ctx.io.stdout.write(`审计密钥已更换：${r.fromKeyId} → ${r.toKeyId}，自 #${r.fromSeq} 起使用新密钥 / audit key rotated: ${r.fromKeyId} → ${r.toKeyId}, new key from #${r.fromSeq}\n`);
  return 0;
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
