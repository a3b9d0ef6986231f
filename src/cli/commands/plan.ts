/**
 * `eduplan plan validate <dir>` — check a plan directory, list every problem.
 * `eduplan plan load [<dir>]`   — store it as a new version if it changed (default: the bundled plan).
 * `eduplan plan show [--json]`  — the loaded plan (or the bundled one, said on stderr).
 */
import { resolve } from 'node:path';
import type { Plan } from '../../core/plan/schema.ts';
import { currentPlan, loadDir, validateDir } from '../../services/plan.ts';
import { printJson } from '../io.ts';
import { defineCommand } from '../spec.ts';
import { withStore } from '../with-store.ts';

const comparatorText: Record<string, string> = { '>': '>', '>=': '≥', '=': '=', '<=': '≤', '<': '<', maintain: '保持/maintain' };

function summary(plan: Plan): string {
  const subtasks = plan.task_areas.reduce((n, a) => n + a.subtasks.length, 0);
  const projectTargets = plan.projects.reduce((n, p) => n + p.targets.length, 0);
  return [
    `${plan.title_zh} / ${plan.title_en} (${plan.code}, ${plan.period.start}–${plan.period.end})`,
    `  主要指标 indicators: ${plan.indicators.length} (约束性 binding ${plan.indicators.filter((i) => i.nature === 'binding').length})`,
    `  主要任务 task areas: ${plan.task_areas.length}, 子任务 sub-tasks: ${subtasks}`,
    `  专栏 projects: ${plan.projects.length}, 量化目标 targets: ${projectTargets}`,
    `  正文量化目标 text targets: ${plan.text_targets.length}`,
  ].join('\n');
}

export const validate = defineCommand({
  positionals: [{ name: 'dir', required: true, zh: '规划目录（docs/plan-format.md）', en: 'the plan directory (docs/plan-format.md)' }],
}, async ({ positionals: { dir } }, { io }) => {
  const plan = await validateDir({ dir: resolve(io.cwd, dir) });
  io.stdout.write(`规划文件有效 / plan files are valid\n${summary(plan)}\n`);
  return 0;
});

export const load = defineCommand({
  positionals: [{ name: 'dir', zh: '规划目录，默认为随产品附带的规划', en: 'the plan directory; default: the bundled plan' }],
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
}, async ({ positionals, values }, ctx) => {
  const { io } = ctx;
  // Read (and refuse) the directory before opening the database: a bad plan touches no store.
  const plan = await validateDir({ dir: positionals.dir === undefined ? undefined : resolve(io.cwd, positionals.dir) });
  const result = await withStore(ctx, (store) => loadDir({ store, clock: () => new Date() }, { system: 'cli' }, { plan }));
  if (values.json) {
    printJson(io, result);
    return 0;
  }
  io.stdout.write(result.changed
    ? `已加载 ${result.plan_code} 第 ${result.version} 版 / loaded ${result.plan_code} version ${result.version}\n`
    : `内容未变化，仍为第 ${result.version} 版 / unchanged, still version ${result.version}\n`);
  if (result.changes.length > 0) {
    io.stdout.write(`变更 / changes (${result.changes.length}):\n`);
    for (const c of result.changes) io.stdout.write(`  ${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}\n`);
  }
  return 0;
});

export const show = defineCommand({
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
  notes: [{ zh: '数据库中尚无规划时显示随产品附带的规划（并在标准错误输出说明）。', en: 'With no plan in the store, shows the bundled plan (and says so on stderr).' }],
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const view = await withStore(ctx, (store) => currentPlan({ store, clock: () => new Date() }, {}));
  if (view.origin.source === 'bundled') {
    io.stderr.write('数据库中尚无规划，显示随产品附带的规划（运行 `eduplan plan load` 加载）/ no plan in the store: showing the bundled plan (run `eduplan plan load` to load it)\n');
  }
  if (values.json) {
    printJson(io, view);
    return 0;
  }
  io.stdout.write(`${summary(view)}\n${view.origin.source === 'store' ? `  版本 version: ${view.origin.version}` : '  (bundled, not loaded)'}\n\n`);
  for (const i of view.indicators) {
    const t = i.target;
    io.stdout.write(`  ${i.code.padEnd(40)} ${i.name_zh}  ${i.baseline.value} → ${comparatorText[t.comparator] ?? t.comparator} ${t.value} ${i.unit} (${i.nature === 'binding' ? '约束性' : '预期性'})\n`);
  }
  return 0;
});

