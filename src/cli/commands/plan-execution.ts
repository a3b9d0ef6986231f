/**
 * `eduplan targets|tasks|registries …` — plan execution (规划实施) from the command line, as the
 * system (audited as `cli`). Each command parses, calls services/plan-execution and prints.
 *
 *   eduplan targets [--json] [--year Y] [--released]      every target: value, status, data path (reason when no value)
 *   eduplan targets release --year Y --note TEXT [--json]  release the year's registry counts and entered values
 *   eduplan tasks [--json] [--year Y] [--kind K] [--released]   task areas, sub-tasks and 专栏: owners, status, reporting, targets
 *   eduplan tasks late [--json]                           who is late: reporting rates and overdue reports per unit
 *   eduplan registries list [--json]                      the registries, their targets and entries
 *   eduplan registries template --id ID --out f.xlsx      the registry's xlsx template, with its entries
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { targetStatusNames } from '../../core/plan-execution/judge.ts';
import { reportStatusNames } from '../../core/plan-execution/reporting.ts';
import { ensureFresh } from '../../services/recompute.ts';
import { registryInfos } from '../../services/plan-execution/registries.ts';
import { registryTemplate } from '../../services/plan-execution/registry-workbook.ts';
import { lateUnits, taskRowsOf } from '../../services/plan-execution/tasks.ts';
import { releaseTargetValues, targetRows } from '../../services/plan-execution/targets.ts';
import type { Store } from '../../store/store.ts';
import { printJson, type CliIO } from '../io.ts';
import { withStore } from '../with-store.ts';
import { defineCommand, type CommandContext } from '../spec.ts';

const system = { system: 'cli' } as const;
const json = { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } as const;
const released = { type: 'boolean', zh: '只看已发布数据（公众看到的，与 /api/targets 相同）', en: 'released figures only (what the public sees, as /api/targets)' } as const;
const yearOpt = { type: 'string', placeholder: '<YYYY>', zh: '判定截至的年份（默认为最新有数据的年份，不晚于规划末年）', en: 'year to judge as of (default: the latest with figures, not after the plan’s last year)' } as const;

function yearOf(ctx: CommandContext, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const y = Number(v);
  if (!/^\d{4}$/.test(v) || y < 2000 || y > 2100) throw ctx.usageError('--year', v, '--year 应为四位年份，如 2025', '--year must be a 4-digit year such as 2025');
  return y;
}
const deps = (store: Store, io: CliIO) => ({ store, clock: () => new Date(), log: { error: (_f: Record<string, unknown>, m: string) => { io.stderr.write(`${m}\n`); } } });
const fmt = (v: number | null, unit: string): string => (v === null ? '—' : `${Number.isInteger(v) ? v : v.toFixed(2)}${unit === '%' ? '%' : ` ${unit}`}`);

export const targets = defineCommand({
  options: { json, year: yearOpt, released },
  notes: [{
    zh: '默认为暂定数据（先重算过期的指标）；每行含 id、source、text_zh、comparator、target、unit、year、value、status、data_path，无数值时含 reason。',
    en: 'Provisional figures by default (stale indicators are recomputed first); each row has id, source, text_zh, comparator, target, unit, year, value, status, data_path, and reason when there is no value.',
  }],
}, async ({ values }, ctx) => {
  const year = yearOf(ctx, values.year);
  return withStore(ctx, async (store) => {
    const view = values.released ? 'public' : 'provisional';
    if (view === 'provisional') await ensureFresh(deps(store, ctx.io));
    const r = await targetRows(store, { year, view });
    if (values.json) {
      printJson(ctx.io, r.targets);
      return 0;
    }
    const { io } = ctx;
    io.stdout.write(`${view === 'provisional' ? '暂定数据（未发布）/ provisional' : '已发布数据 / released'} — ${r.year}\n`);
    for (const t of r.targets) {
      const value = t.value === null ? `（${t.reason_zh ?? '无数据'}）` : fmt(t.value, t.value_unit);
      io.stdout.write(`${t.source.padEnd(8)} ${t.id.padEnd(40)} ${value.padEnd(18)} ${t.comparator} ${t.target}${t.unit === '%' ? '%' : ` ${t.unit}`} (${t.year})  ${targetStatusNames[t.status].zh} / ${targetStatusNames[t.status].en}  [${t.data_path}]\n`);
    }
    io.stdout.write(`\n${Object.entries(r.summary).map(([s, n]) => `${targetStatusNames[s as keyof typeof targetStatusNames].zh} ${n}`).join('  ')}  / ${r.targets.length} targets\n`);
    return 0;
  });
});

export const releaseTargets = defineCommand({
  options: {
    year: { type: 'string', required: true, placeholder: '<YYYY>', zh: '发布的年份', en: 'year to release' },
    note: { type: 'string', required: true, placeholder: '<text>', zh: '发布说明', en: 'release note' },
    json,
  },
  notes: [{ zh: '把该年的名录计数和填报值作为新版本公开（指标类目标随指标数据发布：eduplan release create）。', en: 'Publishes the year’s registry counts and entered values as a new version (indicator targets follow the indicator release: eduplan release create).' }],
}, async ({ values }, ctx) => {
  const year = yearOf(ctx, values.year) as number;
  return withStore(ctx, async (store) => {
    const r = await releaseTargetValues(deps(store, ctx.io), system, { year, note: values.note });
    if (values.json) printJson(ctx.io, r);
    else ctx.io.stdout.write(`已发布 ${r.year} 年目标数值第 ${r.version} 版（${r.targets} 项）/ released the ${r.year} target values, version ${r.version} (${r.targets} targets)\n`);
    return 0;
  });
});

export const tasks = defineCommand({
  options: {
    json, year: yearOpt, released,
    kind: { type: 'string', choices: ['area', 'subtask', 'project'], zh: '只列出一类：area 主要任务 / subtask 子任务 / project 专栏', en: 'one kind only: area / subtask / project (专栏)' },
  },
}, async ({ values }, ctx) => {
  const year = yearOf(ctx, values.year);
  return withStore(ctx, async (store) => {
    const view = values.released ? 'public' : 'provisional';
    if (view === 'provisional') await ensureFresh(deps(store, ctx.io));
    const r = await taskRowsOf(store, { year, view, now: new Date(), ...(values.kind ? { kinds: [values.kind] } : {}) });
    if (values.json) {
      printJson(ctx.io, r.tasks);
      return 0;
    }
    for (const t of r.tasks) {
      const status = t.status === 'not_reported' ? '未报告 not reported' : `${reportStatusNames[t.status].zh} ${reportStatusNames[t.status].en}`;
      const rate = t.reporting.rate === null ? '—' : `${Math.round(t.reporting.rate * 100)}%`;
      ctx.io.stdout.write(`${t.source.padEnd(9)} ${t.title_zh.padEnd(24, '　')} ${t.owners.lead?.name_zh ?? '（未分配 unassigned）'}  ${status}  报告率 ${rate}  目标 ${t.targets.achieved}/${t.targets.total} 达成  节点逾期 ${t.milestones.overdue}\n`);
    }
    return 0;
  });
});

export const late = defineCommand({ options: { json } }, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const r = await lateUnits(deps(store, ctx.io), system);
  if (values.json) {
    printJson(ctx.io, r);
    return 0;
  }
  ctx.io.stdout.write(`截至 as of ${r.today}\n`);
  for (const u of r.units) {
    const rate = u.reporting.rate === null ? '—' : `${Math.round(u.reporting.rate * 100)}%`;
    const onTime = u.reporting.on_time_rate === null ? '—' : `${Math.round(u.reporting.on_time_rate * 100)}%`;
    ctx.io.stdout.write(`${u.unit.name_zh.padEnd(20, '　')} 报告率 rate ${rate}  及时率 on time ${onTime}  逾期报告 overdue ${u.overdue.length}  逾期节点 milestones ${u.overdue_milestones}\n`);
  }
  return 0;
}));

export const registriesList = defineCommand({ options: { json } }, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const list = await registryInfos(store);
  if (values.json) {
    printJson(ctx.io, list);
    return 0;
  }
  for (const r of list) ctx.io.stdout.write(`${r.id.padEnd(30)} ${r.name_zh}  ${r.file}  已审核 approved ${r.entries.approved}  待审核 submitted ${r.entries.submitted}  目标 targets: ${r.targets.join(', ') || '—'}\n`);
  return 0;
}));

export const registriesTemplate = defineCommand({
  options: {
    id: { type: 'string', required: true, placeholder: '<registry>', zh: '名录代码（eduplan registries list）', en: 'registry id (eduplan registries list)' },
    out: { type: 'string', required: true, placeholder: '<file.xlsx>', zh: '写入的 xlsx 文件', en: 'xlsx file to write' },
  },
  notes: [{ zh: '模板含现有条目；填好后在工作台上传，或另存为 registry-<代码>.csv 放入导入文件夹。', en: 'The template holds the current entries; upload it in the workspace, or save it as registry-<id>.csv in an import folder.' }],
}, async ({ values }, ctx) => withStore(ctx, async (store) => {
  const { bytes, fileName } = await registryTemplate(deps(store, ctx.io), system, values.id);
  const out = resolve(ctx.io.cwd, values.out);
  await writeFile(out, bytes);
  ctx.io.stdout.write(`已写入 written: ${out} (${fileName})\n`);
  return 0;
}));
