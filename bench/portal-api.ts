/**
 * Portal API benchmark (issue 3 goals), one run, one server, Tianjin-scale data:
 *  1. static: the exact bytes of GET /api/progress served as a file by the same Fastify
 *     server (@fastify/static) — the baseline;
 *  2. api: GET /api/progress — throughput ≥ 50 % of static, p99 ≤ 20 ms;
 *  3. api during a large import: `tx.copyCsv` of ~1 M data_value rows running in the
 *     background in the same process — p99 ≤ 100 ms.
 * Load: 100 connections from a child process (so the load generator does not share the
 * server's event loop): `wrk` (Debian package, written in C) when installed, else autocannon.
 * On 2 cores the generator competes with the server; autocannon (JavaScript) tops out near
 * 2,200 req/s here, which by Little's law (100 connections / throughput) alone puts every
 * p99 above 45 ms whatever the server does. wrk needs a fraction of that CPU.
 *
 *   npm run bench -- --only portal-api
 * EDUPLAN_BENCH_SECONDS (default 10) and EDUPLAN_BENCH_IMPORT_ROWS (default 1,000,000) override.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import fastifyStatic from '@fastify/static';
import { buildApp } from '../src/server/app.ts';
import { recomputeIndicators } from '../src/services/indicators.ts';
import { districtsJson, progressJson, seriesJson } from '../src/services/progress.ts';
import { openStore } from '../src/store/store.ts';
import { buildTianjin } from './indicators.ts';
import { goal, type Bench } from './types.ts';

const run = promisify(execFile);
const autocannonBin = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

interface Cannon { requests: { average: number }; latency: { p99: number; average: number }; non2xx: number; errors: number }

/** Server-side time per request (Fastify's reply.elapsedTime: request received → response written), collected per run. */
const serverTimes: number[] = [];
const p99 = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return Math.round((s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? NaN) * 100) / 100; };

interface Measured extends Cannon {
  /** p99 of the server's own time per request (ms): what the server adds, without the client's and the OS's queueing. */
  serverP99: number;
  /** The server's event-loop delay while the load ran (ms): how long a ready request could wait behind other work on the main thread. */
  loop: { p99: number; max: number; mean: number };
  /** CPU time of this process (server main thread + PGlite worker) per second of the run. */
  cpuPerSecond: number;
}

const wrkBin = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));
export const loadGenerator = wrkBin ? 'wrk' : 'autocannon';

/** wrk's `--latency` report → the autocannon fields used here (ms, req/s). */
export function parseWrk(out: string): Cannon {
  const ms = (v: string, unit: string): number => Number(v) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);
  const p99m = /\n\s*99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  const avgm = /Latency\s+([\d.]+)(us|ms|s)\b/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  if (!p99m || !avgm || !rps) throw new Error(`cannot read wrk output:\n${out}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = errs ? errs.slice(1).reduce((a, x) => a + Number(x), 0) : 0;
  return { requests: { average: Number(rps[1]) }, latency: { p99: ms(p99m[1] ?? '', p99m[2] ?? ''), average: ms(avgm[1] ?? '', avgm[2] ?? '') }, non2xx, errors };
}

async function generateLoad(url: string, seconds: number): Promise<Cannon> {
  if (wrkBin) {
    const { stdout } = await run(wrkBin, ['-t1', '-c100', `-d${seconds}s`, '--latency', url], { maxBuffer: 1 << 20 });
    return parseWrk(stdout);
  }
  const { stdout } = await run(process.execPath, [autocannonBin, '-c', '100', '-d', String(seconds), '-j', url], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as Cannon;
}

async function cannon(url: string, seconds: number): Promise<Measured> {
  serverTimes.length = 0;
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const load = await generateLoad(url, seconds);
  const cu = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  h.disable();
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  return { ...load, serverP99: p99(serverTimes), loop: { p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean) }, cpuPerSecond: Math.round(((cu.user + cu.system) / 1000 / wall) * 100) / 100 };
}

/** ~1 M rows of CSV, yielded in 64 KB chunks with a turn of the event loop between (a streamed file). */
async function* importRows(schools: readonly string[], rows: number): AsyncGenerator<string> {
  let buf = '';
  for (let i = 0; i < rows; i++) {
    buf += `${schools[i % schools.length]},2031,bench.e${Math.floor(i / schools.length)},${i % 97},bench-import\n`;
    if (buf.length > 64 << 10) {
      yield buf;
      buf = '';
      await new Promise((r) => setImmediate(r));
    }
  }
  if (buf) yield buf;
}

const bench: Bench = async (opts) => {
  const seconds = Number(process.env.EDUPLAN_BENCH_SECONDS ?? 10);
  const importRowsN = Number(process.env.EDUPLAN_BENCH_IMPORT_ROWS ?? 1_000_000);
  const store = await openStore({ dataDir: join(opts.workDir, 'portal-pglite') });
  try {
    const scale = await buildTianjin(store, [2022, 2023]);
    await recomputeIndicators(store);
    const body = await progressJson(store, {});
    // Warm the other public responses too (the portal asks for them).
    await seriesJson(store, 'inclusive_preschool_coverage');
    await districtsJson(store, 'inclusive_preschool_coverage');
    const staticDir = join(opts.workDir, 'portal-static');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'progress.json'), body);

    const app = await buildApp({ store, clock: () => new Date(), config: { demo: false, pseudonymKey: 'bench', maxUploadBytes: 1 << 20 } });
    await app.register(fastifyStatic, { root: staticDir, prefix: '/bench-static/', decorateReply: false });
    // A callback hook, not an async one: no promise per request for the measurement itself.
    app.addHook('onResponse', (_req, reply, done) => { serverTimes.push(reply.elapsedTime); done(); });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const base = `http://127.0.0.1:${port}`;
    try {
      opts.log(`[portal-api] ${scale.schools} schools; /api/progress is ${body.length} bytes; ${seconds} s per run`);
      // The first run against a fresh server has the longest tail: measured back to back at
      // load 4–7, first 5 s runs had a p99 of 120–384 ms and the runs after them 19–55 ms (most),
      // also with a bare node:http server sending the same bytes (first runs 224–356 ms); the
      // cause (JIT of the HTTP path, 100 new connections, the scheduler) was not isolated.
      // Each URL is first loaded for a short warm-up run (same 100 connections), reported on
      // its own (`*_warmup_*`); the goals use the steady-state runs that follow.
      const warm = Math.min(3, seconds);
      const statWarm = await cannon(`${base}/bench-static/progress.json`, warm);
      const stat = await cannon(`${base}/bench-static/progress.json`, seconds);
      const apiWarm = await cannon(`${base}/api/progress`, warm);
      const api = await cannon(`${base}/api/progress`, seconds);

      const schools = (await store.db.selectFrom('org_unit').select('code').where('level', '=', 'school').execute()).map((r) => r.code);
      const t0 = performance.now();
      let importMs = 0;
      const importing = store.transaction(async (tx) => {
        const n = await tx.copyCsv('data_value', ['org_code', 'year', 'element', 'value', 'source'], importRows(schools, importRowsN));
        importMs = performance.now() - t0;
        return n;
      });
      const during = await cannon(`${base}/api/progress`, seconds);
      const cannonMs = performance.now() - t0;
      const imported = await importing;
      const totalImportMs = importMs || performance.now() - t0;
      return [{
        name: 'portal-api (PGlite)',
        figures: {
          load_generator: loadGenerator,
          response_bytes: body.length,
          warmup_seconds: warm, static_warmup_p99_ms: statWarm.latency.p99, api_warmup_req_per_s: Math.round(apiWarm.requests.average), api_warmup_p99_ms: apiWarm.latency.p99,
          static_req_per_s: Math.round(stat.requests.average), static_p99_ms: stat.latency.p99, static_mean_ms: stat.latency.average, static_server_side_p99_ms: stat.serverP99,
          api_req_per_s: Math.round(api.requests.average), api_p99_ms: api.latency.p99, api_mean_ms: api.latency.average, api_server_side_p99_ms: api.serverP99, api_non2xx: api.non2xx,
          // Little's law: with 100 connections always busy, mean latency = 100 / throughput.
          // p99 <= 20 ms needs at least 100 / 0.020 = 5,000 req/s; this is what the static file allows here.
          static_mean_latency_floor_ms: Math.round((100 / stat.requests.average) * 1000 * 10) / 10,
          api_event_loop_delay_p99_ms: api.loop.p99, api_event_loop_delay_max_ms: api.loop.max, api_server_cpu_cores_busy: api.cpuPerSecond,
          during_import_req_per_s: Math.round(during.requests.average), during_import_p99_ms: during.latency.p99, during_import_mean_ms: during.latency.average, during_import_server_side_p99_ms: during.serverP99, during_import_non2xx: during.non2xx,
          during_import_event_loop_delay_p99_ms: during.loop.p99, during_import_event_loop_delay_max_ms: during.loop.max, during_import_server_cpu_cores_busy: during.cpuPerSecond,
          import_rows: imported, import_ms: Math.round(totalImportMs),
          load_overlapped_import: totalImportMs >= cannonMs ? 'yes' : `partly (${Math.round((100 * totalImportMs) / cannonMs)} % of the run)`,
          machine_cpus: cpus().length, machine_load_average_1min: Number(loadavg()[0]?.toFixed(1) ?? 0),
        },
        goals: [
          goal('API throughput ÷ static-file throughput (same bytes, same server)', api.requests.average / stat.requests.average, 'min', 0.5),
          goal('API p99 latency at 100 connections (ms) ÷ 20 ms', api.latency.p99 / 20, 'max', 1),
          goal('API p99 during a 1 M-row import (ms) ÷ 100 ms', during.latency.p99 / 100, 'max', 1),
        ],
      }];
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
};

export default bench;
