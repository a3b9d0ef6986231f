/**
 * `eduplan progress [--json] [--year Y] [--org CODE] [--released]` — progress of every main
 *   indicator (disclosure control applied). By default the provisional figures (暂定: computed
 *   from the data as they are, brought up to date first), as the workspace shows them;
 *   `--released` gives exactly what GET /api/progress gives the public.
 * `eduplan indicators compute [--year Y]...` — recompute the precomputed indicator values
 *   (default: every year with data) and print what was computed and how long it took.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EduplanError } from '../../core/errors.ts';
import { fmt, statusNames } from '../../core/progress/explain.ts';
import { recomputeIndicators } from '../../services/indicators.ts';
import { getProgress } from '../../services/progress.ts';
import { ensureFresh } from '../../services/recompute.ts';
import { withStore } from '../with-store.ts';
import { printJson, type Command } from '../io.ts';

function parse(args: readonly string[], options: ParseArgsConfig['options'], usage: string): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new EduplanError('E_USAGE', { detail: `${(err as Error).message}; usage: ${usage}` });
  }
}

function yearArg(v: unknown, usage: string): number {
  const y = Number(v);
  if (!/^\d{4}$/.test(String(v)) || y < 2000 || y > 2100) {
    throw new EduplanError('E_USAGE', { detail: `--year must be a 4-digit academic year, got ${String(v)}; usage: ${usage}`, problems: [{ path: '--year', value: v, rule: 'year', message_zh: '--year 应为四位学年，如 2023', message_en: '--year must be a 4-digit academic year such as 2023' }] });
  }
  return y;
}

export const progress: Command = async (args, io) => {
  const usage = 'eduplan progress [--json] [--year YYYY] [--org CODE] [--released]';
  const { values } = parse(args, { json: { type: 'boolean' }, year: { type: 'string' }, org: { type: 'string' }, released: { type: 'boolean' } }, usage);
  const year = values.year === undefined ? undefined : yearArg(values.year, usage);
  const org = values.org === undefined ? undefined : String(values.org);
  if (org !== undefined && !/^(\d{6}|\d{10})$/.test(org)) throw new EduplanError('E_USAGE', { detail: `--org must be a 6- or 10-digit code, got ${org}` });
  const view = values.released === true ? 'public' : 'provisional';
  return withStore(io, async (store) => {
    if (view === 'provisional') await ensureFresh({ store, clock: () => new Date() });
    const items = await getProgress(store, { year, org, view });
    if (values.json === true) {
      printJson(io, items);
      return 0;
    }
    io.stdout.write(view === 'provisional' ? '暂定数据（未发布）/ provisional figures (not released)\n' : '已发布数据 / released figures\n');
    for (const i of items) {
      const value = i.suppressed ? '（不公布 suppressed）' : fmt(i.value, i.unit);
      const target = `${i.target.comparator} ${fmt(i.target.value, i.unit)} (${i.target.year})`;
      io.stdout.write(`${i.name_zh.padEnd(24, '　')} ${value.padStart(12)} ${String(i.year ?? '').padEnd(5)} → ${target.padEnd(22)} ${statusNames[i.status].zh} / ${statusNames[i.status].en}${i.met !== null ? (i.met ? '  [约束性 已达到 met]' : '  [约束性 未达到 not met]') : ''}\n`);
    }
    return 0;
  });
};

export const compute: Command = async (args, io) => {
  const usage = 'eduplan indicators compute [--year YYYY]... [--json]';
  const { values } = parse(args, { year: { type: 'string', multiple: true }, json: { type: 'boolean' } }, usage);
  const years = (values.year as string[] | undefined)?.map((y) => yearArg(y, usage));
  return withStore(io, async (store) => {
    const r = await recomputeIndicators(store, years ? { years } : {});
    if (values.json === true) printJson(io, r);
    else io.stdout.write(`已计算 computed: ${r.cells} 个指标单元格 cells for years ${r.years.join(', ') || '—'}; ${r.suppressed} 个不公布 suppressed; ${r.duration_ms} ms (run ${r.run_id})\n`);
    return 0;
  });
};

export default progress;
