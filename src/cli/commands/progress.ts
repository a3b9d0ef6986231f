/**
 * `eduplan progress [--json] [--year Y] [--org CODE] [--released]` — progress of every main
 *   indicator (disclosure control applied). By default the provisional figures (暂定: computed
 *   from the data as they are, brought up to date first), as the workspace shows them;
 *   `--released` gives exactly what GET /api/progress gives the public.
 * `eduplan indicators compute [--year Y]...` — recompute the precomputed indicator values
 *   (default: every year with data) and print what was computed and how long it took.
 */
import { fmt, statusNames } from '../../core/progress/explain.ts';
import { recomputeIndicators } from '../../services/indicators.ts';
import { scopeValues } from '../../core/indicators/scope.ts';
import { listScopeOptions, setScopeOption } from '../../services/indicator-scope.ts';
import { getProgress } from '../../services/progress.ts';
import { ensureFresh } from '../../services/recompute.ts';
import { withStore } from '../with-store.ts';
import { printJson } from '../io.ts';
import { defineCommand, type CommandContext } from '../spec.ts';

function yearArg(ctx: CommandContext, v: string): number {
  const y = Number(v);
  if (!/^\d{4}$/.test(v) || y < 2000 || y > 2100) throw ctx.usageError('--year', v, '--year 应为四位学年，如 2023', '--year must be a 4-digit academic year such as 2023');
  return y;
}

export const progress = defineCommand({
  options: {
    json: { type: 'boolean', zh: '输出 JSON（与 /api/workspace/progress 相同；加 --released 则与 /api/progress 相同）', en: 'print JSON (as /api/workspace/progress; with --released as /api/progress)' },
    released: { type: 'boolean', zh: '只看已发布数据（公众看到的）', en: 'released figures only (what the public sees)' },
    year: { type: 'string', placeholder: '<YYYY>', zh: '学年（默认为最新）', en: 'academic year (default: the latest)' },
    org: { type: 'string', placeholder: '<code>', zh: '6 位区代码或 10 位学校代码（默认全市）', en: '6-digit district or 10-digit school code (default: the city)' },
  },
}, async ({ values }, ctx) => {
  const year = values.year === undefined ? undefined : yearArg(ctx, values.year);
  const org = values.org;
  if (org !== undefined && !/^(\d{6}|\d{10})$/.test(org)) throw ctx.usageError('--org', org, '--org 应为 6 位或 10 位代码', '--org must be a 6- or 10-digit code');
  const view = values.released ? 'public' : 'provisional';
  return withStore(ctx, async (store) => {
    if (view === 'provisional') await ensureFresh({ store, clock: () => new Date() });
    const items = await getProgress(store, { year, org, view });
    if (values.json) {
      printJson(ctx.io, items);
      return 0;
    }
    ctx.io.stdout.write(view === 'provisional' ? '暂定数据（未发布）/ provisional figures (not released)\n' : '已发布数据 / released figures\n');
    for (const i of items) {
      const value = i.suppressed ? '（不公布 suppressed）' : fmt(i.value, i.unit);
      const target = `${i.target.comparator} ${fmt(i.target.value, i.unit)} (${i.target.year})`;
      ctx.io.stdout.write(`${i.name_zh.padEnd(24, '　')} ${value.padStart(12)} ${String(i.year ?? '').padEnd(5)} → ${target.padEnd(22)} ${statusNames[i.status].zh} / ${statusNames[i.status].en}${i.met !== null ? (i.met ? '  [约束性 已达到 met]' : '  [约束性 未达到 not met]') : ''}\n`);
    }
    return 0;
  });
});

export const compute = defineCommand({
  options: {
    year: { type: 'string', multiple: true, placeholder: '<YYYY>', zh: '要计算的学年（默认为有数据的每一年）', en: 'academic year to compute (default: every year with data)' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
}, async ({ values }, ctx) => {
  const years = values.year.length > 0 ? values.year.map((y) => yearArg(ctx, y)) : undefined;
  return withStore(ctx, async (store) => {
    const r = await recomputeIndicators(store, years ? { years } : {});
    if (values.json) printJson(ctx.io, r);
    else ctx.io.stdout.write(`已计算 computed: ${r.cells} 个指标单元格 cells for years ${r.years.join(', ') || '—'}; ${r.suppressed} 个不公布 suppressed; ${r.duration_ms} ms (run ${r.run_id})\n`);
    return 0;
  });
});

export const scope = defineCommand({
  options: {
    set: { type: 'string', multiple: true, placeholder: '<name=value>', zh: '设置口径选项（记入审计日志，随后重算各学年）', en: 'choose a scope option (audited; every year is recomputed)' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
  notes: [{ zh: '口径选项见 docs/indicators.md；未设置的选项取默认值。', en: 'The options are in docs/indicators.md; an option not set keeps its default.' }],
}, async ({ values }, ctx) => {
  const changes = values.set.map((kv) => {
    const i = kv.indexOf('=');
    const name = kv.slice(0, i);
    if (i <= 0 || !(name in scopeValues)) throw ctx.usageError('--set', kv, `--set 应为 选项=取值，选项为 ${Object.keys(scopeValues).join('、')}`, `--set must be name=value, the name one of ${Object.keys(scopeValues).join(', ')}`);
    return { name: name as keyof typeof scopeValues, value: kv.slice(i + 1) };
  });
  return withStore(ctx, async (store) => {
    const deps = { store, clock: () => new Date(), log: { error: (_f: Record<string, unknown>, m: string) => { ctx.io.stderr.write(`${m}\n`); } } };
    for (const c of changes) await setScopeOption(deps, { system: 'cli' }, c.name, c.value);
    const options = await listScopeOptions(deps);
    if (values.json) printJson(ctx.io, { options });
    else for (const o of options) ctx.io.stdout.write(`${o.name} = ${o.value}${o.value === o.default ? '（默认 default）' : `（默认 default ${o.default}；${o.set_by ?? ''} ${o.set_at ?? ''}）`}  [${o.allowed.join(' | ')}]\n`);
    return 0;
  });
});
