/**
 * `eduplan db distribute [--json]`: place eduplan's tables on the Citus cluster DATABASE_URL
 * names (services/cluster.ts) and report where each one lives (docs/scale.md).
 */
import { distributeResult, type DistributeResult } from '../../contract/cluster.ts';
import { distributeOnCluster } from '../../services/cluster.ts';
import { printJson, type CliIO } from '../io.ts';
import { defineCommand } from '../spec.ts';
import { withStore } from '../with-store.ts';

function printPlacement(io: CliIO, r: DistributeResult): void {
  io.stdout.write(`Citus ${r.citus_version}，${r.workers} 个工作节点 / ${r.workers} worker(s)\n`);
  const count = (as: string): number => r.placed_now.filter((p) => p.as === as).length;
  io.stdout.write(r.placed_now.length === 0
    ? '全部表此前已分布，本次无变化 / every table was already placed; nothing changed\n'
    : `本次放置 ${r.placed_now.length} 张表：分布表 ${count('distributed')}、参考表 ${count('reference')}、协调节点本地表 ${count('local')} / placed now: ${count('distributed')} distributed, ${count('reference')} reference, ${count('local')} coordinator-local\n`);
  for (const g of r.colocation) {
    const tops = g.tables.filter((t) => !/_y\d{4}$/.test(t));
    io.stdout.write(`分布表（按 org_code，共置组 ${g.colocation_id}，另含 ${g.tables.length - tops.length} 个学年分区）/ distributed by org_code, colocation group ${g.colocation_id} (+${g.tables.length - tops.length} year partitions): ${tops.join(', ')}\n`);
  }
  io.stdout.write(`参考表 / reference: ${r.tables.filter((t) => t.as === 'reference').map((t) => t.table).join(', ')}\n`);
  io.stdout.write(`协调节点本地表 / coordinator-local: ${r.tables.filter((t) => t.as === 'local').length}\n`);
}

export const distribute = defineCommand({
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
  notes: [
    { zh: '仅用于 Citus 协调节点（DATABASE_URL）：大表按 org_code 分布并共置，小表为参考表，其余（含审计链）留在协调节点。', en: 'For a Citus coordinator (DATABASE_URL) only: the large tables distributed by org_code and colocated, the small ones reference tables, the rest (the audit chain included) on the coordinator.' },
    { zh: '可重复运行：已分布的表保持不变；eduplan 每次启动也会放置新表。非 Citus 数据库报 E_NOT_CITUS，不作任何修改。', en: 'Idempotent: tables already placed stay as they are; every start of eduplan places new tables too. On a database without Citus: E_NOT_CITUS, nothing changed.' },
  ],
}, async ({ values }, ctx) => {
  // The store opens without placing anything, so this run reports what it placed itself.
  const r = await withStore(ctx, (store) => distributeOnCluster(store), { distribute: false });
  if (values.json) printJson(ctx.io, distributeResult.parse(r));
  else printPlacement(ctx.io, r);
  return 0;
});
