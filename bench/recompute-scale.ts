/**
 * Recompute at scale (issue 19), PostgreSQL only: a full recompute of every year at 1×, 4×
 * and 10× Tianjin, each in a process of its own (bench/recompute-scale-child.ts) so its peak
 * RSS is the recompute's, then — at the largest scale — single-school changes as an approved
 * submission makes them, each followed by the recompute policy's incremental run.
 *
 *   DATABASE_URL=postgres://… npm run bench -- --only recompute-scale
 *
 * Data: `eduplan demo generate --scale N --no-students` imported with `eduplan import` (the
 * recompute reads `data_value`; student records reach it only as the per-school counts the
 * demo's statistics already carry). Generating and importing 10× takes minutes, so each
 * scale's database is kept and reused: `<DATABASE_URL's database>_recompute_s<N>`, or
 * `EDUPLAN_BENCH_RECOMPUTE_DB_PREFIX` + N; it is filled only when it has no data values.
 * `EDUPLAN_BENCH_RECOMPUTE_SCALES` (default `1,4,10`) picks the scales.
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { goal, type Bench, type BenchResult } from './types.ts';

const run = promisify(execFile);

interface ChildRun {
  schools: number; data_values: number; years: number; cells: number; full_ms: number; full_cpu_ms: number;
  full_phases_ms: { read: number; verdicts: number; compute: number; write: number };
  peak_rss_full_mib: number; peak_rss_mib: number;
  incremental: Array<{ ms: number; cpu_ms: number; status: string; incremental_years: number[]; cells: number; phases_ms: Record<string, number> }>;
}

const eduplan = fileURLToPath(new URL('../bin/eduplan.js', import.meta.url));
const childFile = fileURLToPath(new URL('./recompute-scale-child.ts', import.meta.url));

/** The scale's database, created and filled with the demo at that scale when it has no data values yet. */
async function prepare(serverUrl: string, scale: number, workDir: string, log: (l: string) => void): Promise<string> {
  const u = new URL(serverUrl);
  const name = `${process.env.EDUPLAN_BENCH_RECOMPUTE_DB_PREFIX ?? `${u.pathname.slice(1) || 'postgres'}_recompute_s`}${scale}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    if (!exists) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  let filled = false;
  try {
    filled = (await c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'data_value'")).rowCount === 1 &&
      (await c.query('SELECT 1 FROM data_value LIMIT 1')).rowCount === 1;
  } finally {
    await c.end();
  }
  if (!filled) {
    const dir = join(workDir, `recompute-s${scale}`);
    const t0 = performance.now();
    await run(process.execPath, [eduplan, 'demo', 'generate', '--out', dir, '--scale', String(scale), '--no-students', '--json'], { maxBuffer: 1 << 24 });
    await run(process.execPath, [eduplan, 'import', dir, '--json'], { env: { ...process.env, DATABASE_URL: url.toString() }, maxBuffer: 1 << 24 });
    log(`[recompute-scale] ${scale}×: demo generated and imported in ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  return url.toString();
}

async function inChild(url: string, incremental: number): Promise<ChildRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  delete env.EDUPLAN_DATA_DIR;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', childFile, ...(incremental > 0 ? ['--incremental', String(incremental)] : [])], { env, maxBuffer: 1 << 22 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ChildRun;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const load = (): number => Number(loadavg()[0]?.toFixed(1) ?? 0);

const bench: Bench = async (opts) => {
  if (!opts.databaseUrl) {
    opts.log('[recompute-scale] PostgreSQL only: set DATABASE_URL');
    return [];
  }
  const scales = (process.env.EDUPLAN_BENCH_RECOMPUTE_SCALES ?? '1,4,10').split(',').map(Number).filter((n) => n > 0);
  const largest = Math.max(...scales);
  const results: BenchResult[] = [];
  let base: ChildRun | undefined;
  for (const scale of scales) {
    const url = await prepare(opts.databaseUrl, scale, opts.workDir, opts.log);
    const loadBefore = load();
    const r = await inChild(url, scale === largest ? 5 : 0);
    base ??= r;
    opts.log(`[recompute-scale] ${scale}×: full ${r.full_ms} ms, peak RSS ${r.peak_rss_full_mib} MiB, load ${loadBefore}`);
    const incr = r.incremental.map((s) => s.ms);
    const figures: Record<string, number | string> = {
      schools: r.schools, data_values: r.data_values, years: r.years, cells: r.cells,
      full_recompute_ms: r.full_ms, full_recompute_cpu_ms: r.full_cpu_ms,
      full_phases_ms: `${r.full_phases_ms.read} / ${r.full_phases_ms.verdicts} / ${r.full_phases_ms.compute} / ${r.full_phases_ms.write}`,
      peak_rss_full_mib: r.peak_rss_full_mib,
      full_ms_ratio_to_first_scale: Number((r.full_ms / base.full_ms).toFixed(2)),
      peak_rss_ratio_to_first_scale: Number((r.peak_rss_full_mib / base.peak_rss_full_mib).toFixed(2)),
      machine_load_average_1min: loadBefore,
    };
    const goals = [goal(`full recompute at ${scale}×: peak RSS ≤ 1.5 GiB (ratio to 1,536 MiB)`, r.peak_rss_full_mib / 1536, 'max', 1)];
    if (incr.length > 0) {
      Object.assign(figures, {
        incremental_runs: incr.length, incremental_ms_median: median(incr), incremental_ms_all: incr.join(' / '),
        incremental_cpu_ms_median: median(r.incremental.map((s) => s.cpu_ms)),
        incremental_all_from_cache: String(r.incremental.every((s) => s.incremental_years.length === 1)),
        incremental_phases_ms_median: ['read', 'verdicts', 'compute', 'write'].map((k) => median(r.incremental.map((s) => s.phases_ms[k] ?? NaN))).join(' / '),
        peak_rss_after_incremental_mib: r.peak_rss_mib,
      });
      goals.push(goal(`incremental recompute after one school's approval at ${scale}× ≤ 1 s (median, seconds)`, median(incr) / 1000, 'max', 1));
    }
    results.push({ name: `recompute-scale ${scale}× (PostgreSQL)`, figures, goals });
  }
  return results;
};

export default bench;
