/**
 * Student fitness benchmark (issue 5 goals), one run:
 * - scoring alone: ≥ 2 M records/s on one thread (precompiled ladders, no allocation);
 * - import of 1.5 M fitness rows end to end (parse, validate, score, pseudonymise, COPY):
 *   PGlite ≤ 20 s; PostgreSQL (when DATABASE_URL is set) ≤ 2.5 × `psql \copy` of the
 *   same file into a plain table on the same server; peak RSS ≤ 1.5 GiB;
 * - the vision file of the same students (issue 19): its importer CPU per row against
 *   fitness's (vision takes the same byte path and batched hashing: ≤ 1 ×), and on
 *   PostgreSQL, for both kinds, the importer's CPU seconds (all its threads) beside
 *   `psql`'s CPU seconds for `\copy` of the same file. CPU time moves far less with the
 *   load of the shared machine than wall time does.
 *
 *   npm run bench -- --only fitness            (PGlite)
 *   DATABASE_URL=postgres://… npm run bench -- --only fitness
 * EDUPLAN_BENCH_FITNESS_ROWS overrides the row count (default 1,500,000).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Grade } from '../src/core/elements/catalogue.ts';
import { districts } from '../src/core/org/districts.ts';
import type { SchoolType } from '../src/core/org/types.ts';
import { R_ANNUAL_HUNDREDTHS, RESULT_SLOTS, scoreCompiled } from '../src/core/standards/fitness/score.ts';
import { fitnessStandard, ITEM_COUNT, type CompiledGroup } from '../src/core/standards/fitness/tables.ts';
import { writeStudentRecordFiles, type DemoSchool } from '../src/demo/students.ts';
import { mulberry32 } from '../src/demo/random.ts';
import { templateHeaders } from '../src/ingest/student-records/index.ts';
import { openStore, type StoreOptions } from '../src/store/store.ts';
import { goal, type Bench, type BenchResult } from './types.ts';
import { seedSchools } from '../test/helpers/org-units.ts';
import { createScratchDatabase } from '../test/helpers/scratch-db.ts';

const run = promisify(execFile);

/**
 * CPU seconds (user + system) of this process's waited-for children so far: `psql` and the
 * import children, read around each run (Linux `/proc/self/stat` cutime + cstime, in clock
 * ticks of 1/100 s; NaN elsewhere). Node gives a child's wall time but not its rusage.
 */
function childrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return NaN;
  }
}
const YEAR = 2023;
const KEY = 'bench-pseudonym-key-not-secret-0001';

/** Schools sized so that the file has `rows` students: primary, junior, senior and vocational. */
export function benchSchools(rows: number): DemoSchool[] {
  const shapes: Array<{ type: SchoolType; grades: Grade[] }> = [
    { type: 'primary', grades: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'] },
    { type: 'junior', grades: ['g7', 'g8', 'g9'] },
    { type: 'senior', grades: ['g10', 'g11', 'g12'] },
    { type: 'vocational', grades: ['v1', 'v2', 'v3'] },
  ];
  const perSchool = 1500;
  const n = Math.max(1, Math.round(rows / perSchool));
  const out: DemoSchool[] = [];
  for (let i = 0; i < n; i++) {
    const shape = shapes[i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : i % 2 === 0 ? 2 : 3] as (typeof shapes)[number];
    const district = districts[i % districts.length]?.code ?? '120101';
    const per = Math.round(perSchool / shape.grades.length / 2);
    const enrolment: Partial<Record<Grade, { m: number; f: number }>> = {};
    for (const g of shape.grades) enrolment[g] = { m: per, f: per };
    out.push({ code: `${district}${String(i + 1).padStart(4, '0')}`, type: shape.type, district, enrolment });
  }
  return out;
}

/** The org units seeded into a database, which is closed again: the import then runs in its own process. */
async function seedDatabase(where: StoreOptions, schools: readonly DemoSchool[]): Promise<void> {
  const store = await openStore(where);
  try {
    await seedSchools(store, schools);
  } finally {
    await store.close();
  }
}

/** Scoring alone on one thread: values pre-generated into one Float64Array, scored in a tight loop (median of 5 rounds after a warm-up). */
function scoringThroughput(log: (l: string) => void): { perSec: number; perCpuSec: number; minPerSec: number; maxPerSec: number } {
  const std = fitnessStandard();
  const groups = [...std.groups.values()].filter((g) => g.grade < 40);
  const n = 1 << 20;
  const rand = mulberry32(1);
  const values = new Float64Array(n * ITEM_COUNT);
  const groupOf: CompiledGroup[] = new Array<CompiledGroup>(n);
  for (let i = 0; i < n; i++) {
    const g = groups[i % groups.length] as CompiledGroup;
    groupOf[i] = g;
    for (const it of g.items) {
      const lad = g.ladders[it];
      // Values spread over the ladder's range (normalised thresholds; un-negate for times).
      const lo = lad ? (lad.thresholds[lad.thresholds.length - 1] as number) : 14;
      const hi = lad ? (lad.thresholds[0] as number) : 24;
      const v = lo + (hi - lo) * (rand() * 1.2 - 0.1);
      values[i * ITEM_COUNT + it] = lad && lad.thresholds[0] !== undefined && lad.thresholds[0] < 0 ? -v : v;
    }
  }
  const s = new Float64Array(ITEM_COUNT);
  const b = new Float64Array(ITEM_COUNT);
  const out = new Int32Array(RESULT_SLOTS);
  let checksum = 0;
  // One untimed warm-up round (the JIT's tiers), then timed rounds of 1 M records each; the
  // median round is the figure (the machine is shared: single rounds vary by ±20 %).
  const rounds = 5;
  const perRound: number[] = [];
  let cpuSec = 0;
  for (let r = -1; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      scoreCompiled(groupOf[i] as CompiledGroup, values, s, b, out, i * ITEM_COUNT);
      checksum += out[R_ANNUAL_HUNDREDTHS] as number;
    }
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    // CPU time of this thread's loop: on a busy machine the wall clock also counts the time
    // the thread waited for a core, so records per CPU-second is reported beside it.
    const cpu = process.cpuUsage(cpu0);
    if (r < 0) continue;
    perRound.push(n / sec);
    cpuSec += (cpu.user + cpu.system) / 1e6;
  }
  const sorted = [...perRound].sort((x, y) => x - y);
  const perSec = sorted[Math.floor(rounds / 2)] as number;
  log(`[fitness] scored ${n} records × ${rounds} rounds after a warm-up round: ${sorted.map((x) => (x / 1e6).toFixed(2)).join(' / ')} M/s (checksum ${checksum})`);
  return { perSec, perCpuSec: (n * rounds) / cpuSec, minPerSec: sorted[0] as number, maxPerSec: sorted[rounds - 1] as number };
}

interface ChildImport { rows: number; seconds: number; cpu_seconds: number; peak_rss_gib: number; parse_threads: number }

/**
 * The import in a process of its own (bench/fitness-import-child.ts), as the CLI runs it and
 * as `psql` runs for the baseline. In this process it would share the heap, GC and peak RSS
 * of the file generation and the scoring arrays above: measured that way (2026-11-29, same
 * code) PostgreSQL took 14.6 / 15.1 s at 21–22 CPU-s against 10.7–12.6 s at 15–19 CPU-s in a
 * process of its own (docs/student-records.md "Performance").
 */
async function importInChild(file: string, env: Record<string, string>, kind: 'fitness' | 'vision' = 'fitness'): Promise<ChildImport> {
  const child = fileURLToPath(new URL('./fitness-import-child.ts', import.meta.url));
  // Exactly one database for the child: the bench's own DATABASE_URL must not reach a PGlite run.
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.DATABASE_URL;
  delete base.EDUPLAN_DATA_DIR;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, file, KEY, kind], { env: { ...base, ...env }, maxBuffer: 1 << 20 });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildImport;
}

const bench: Bench = async (opts) => {
  const results: BenchResult[] = [];
  const rowsWanted = Number(process.env.EDUPLAN_BENCH_FITNESS_ROWS ?? 1_500_000);

  const { perSec, perCpuSec, minPerSec, maxPerSec } = scoringThroughput(opts.log);
  results.push({
    name: 'fitness scoring',
    figures: {
      records_per_second_median_round: Math.round(perSec), records_per_second_min_round: Math.round(minPerSec), records_per_second_max_round: Math.round(maxPerSec),
      records_per_cpu_second: Math.round(perCpuSec), machine_load_average_1min: Number(loadavg()[0]?.toFixed(1) ?? 0),
    },
    goals: [goal('scoring alone ≥ 2 M records/s on one thread', perSec / 1e6, 'min', 2)],
  });

  const schools = benchSchools(rowsWanted);
  const t0 = Date.now();
  // The same students screened for vision (the bench's schools have no kindergarten: same rows).
  const gen = await writeStudentRecordFiles({ schools, years: [YEAR], seed: 2023, outDir: opts.workDir, kinds: ['fitness', 'vision'] });
  const file = join(opts.workDir, `fitness-${YEAR}.csv`);
  const visionFile = join(opts.workDir, `vision-${YEAR}.csv`);
  opts.log(`[fitness] generated ${gen.rows} rows (fitness and vision) in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${file}`);
  const usPerRow = (r: ChildImport): number => Number(((r.cpu_seconds / r.rows) * 1e6).toFixed(2));

  // PGlite (embedded), data directory in the scratch folder: org units seeded here, the
  // import in its own process (importInChild).
  {
    const dataDir = join(opts.workDir, 'pglite-fitness');
    await seedDatabase({ dataDir }, schools);
    const r = await importInChild(file, { EDUPLAN_DATA_DIR: dataDir });
    opts.log(`[fitness] pglite import ${r.rows} rows in ${r.seconds.toFixed(1)} s`);
    const v = await importInChild(visionFile, { EDUPLAN_DATA_DIR: dataDir }, 'vision');
    opts.log(`[fitness] pglite vision import ${v.rows} rows in ${v.seconds.toFixed(1)} s`);
    results.push({
      name: 'vision import vs fitness (pglite)',
      figures: {
        rows: v.rows, vision_seconds: Number(v.seconds.toFixed(2)), fitness_seconds: Number(r.seconds.toFixed(2)),
        vision_cpu_us_per_row: usPerRow(v), fitness_cpu_us_per_row: usPerRow(r), vision_parse_threads: v.parse_threads,
        machine_load_average_1min: Number(loadavg()[0]?.toFixed(1) ?? 0),
      },
      goals: [goal('vision importer CPU per row ≤ fitness\'s (same byte path and hashing)', usPerRow(v) / usPerRow(r), 'max', 1)],
    });
    results.push({
      name: 'fitness import (pglite)',
      figures: {
        rows: r.rows, seconds: Number(r.seconds.toFixed(2)), rows_per_second: Math.round(r.rows / r.seconds), peak_rss_gib: Number(r.peak_rss_gib.toFixed(2)),
        // All threads of the import's process (main, parse workers, PGlite worker): CPU seconds / wall seconds ≈ cores kept busy.
        cpu_seconds_all_threads: Number(r.cpu_seconds.toFixed(2)), machine_load_average_1min: Number(loadavg()[0]?.toFixed(1) ?? 0),
      },
      goals: [goal('import on PGlite ≤ 20 s', r.seconds, 'max', 20), goal('peak RSS ≤ 1.5 GiB', r.peak_rss_gib, 'max', 1.5)],
    });
  }

  if (opts.databaseUrl) {
    const scratch = await createScratchDatabase(opts.databaseUrl, 'eduplan_bench');
    try {
      // Baseline: psql \copy of the same file into a plain table of text columns, per kind.
      const psqlCopy = async (kind: 'fitness' | 'vision', path: string): Promise<{ seconds: number; cpuSeconds: number }> => {
        const cols = templateHeaders(kind).map((_, i) => `c${i} text`).join(', ');
        const admin = new pg.Client({ connectionString: scratch.url });
        await admin.connect();
        await admin.query(`CREATE TABLE raw_${kind} (${cols})`);
        await admin.end();
        const cpu0 = childrenCpuSeconds();
        const t2 = process.hrtime.bigint();
        await run('/usr/bin/psql', [scratch.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy raw_${kind} FROM '${path}' WITH (FORMAT csv, HEADER true)`]);
        return { seconds: Number(process.hrtime.bigint() - t2) / 1e9, cpuSeconds: childrenCpuSeconds() - cpu0 };
      };
      const psql = await psqlCopy('fitness', file);
      const psqlSec = psql.seconds;
      await seedDatabase({ databaseUrl: scratch.url }, schools);
      const r = await importInChild(file, { DATABASE_URL: scratch.url });
      opts.log(`[fitness] postgres import ${r.rows} rows in ${r.seconds.toFixed(1)} s; psql \\copy ${psqlSec.toFixed(1)} s`);
      results.push({
        name: 'fitness import (postgres)',
        figures: {
          rows: r.rows, seconds: Number(r.seconds.toFixed(2)), psql_copy_seconds: Number(psqlSec.toFixed(2)), rows_per_second: Math.round(r.rows / r.seconds),
          importer_cpu_seconds: Number(r.cpu_seconds.toFixed(2)), importer_cpu_us_per_row: usPerRow(r), psql_copy_cpu_seconds: Number(psql.cpuSeconds.toFixed(2)),
          peak_rss_gib: Number(r.peak_rss_gib.toFixed(2)), machine_load_average_1min: Number(loadavg()[0]?.toFixed(1) ?? 0),
        },
        goals: [goal('import ≤ 2.5 × psql \\copy of the same file', r.seconds / psqlSec, 'max', 2.5)],
      });
      const vpsql = await psqlCopy('vision', visionFile);
      const v = await importInChild(visionFile, { DATABASE_URL: scratch.url }, 'vision');
      opts.log(`[fitness] postgres vision import ${v.rows} rows in ${v.seconds.toFixed(1)} s; psql \\copy ${vpsql.seconds.toFixed(1)} s`);
      results.push({
        name: 'vision import (postgres)',
        figures: {
          rows: v.rows, seconds: Number(v.seconds.toFixed(2)), psql_copy_seconds: Number(vpsql.seconds.toFixed(2)),
          importer_cpu_seconds: Number(v.cpu_seconds.toFixed(2)), importer_cpu_us_per_row: usPerRow(v), psql_copy_cpu_seconds: Number(vpsql.cpuSeconds.toFixed(2)),
          fitness_importer_cpu_us_per_row: usPerRow(r), peak_rss_gib: Number(v.peak_rss_gib.toFixed(2)), machine_load_average_1min: Number(loadavg()[0]?.toFixed(1) ?? 0),
        },
        goals: [
          goal('import ≤ 2.5 × psql \\copy of the same file', v.seconds / vpsql.seconds, 'max', 2.5),
          goal('vision importer CPU per row ≤ fitness\'s (same byte path and hashing)', usPerRow(v) / usPerRow(r), 'max', 1),
        ],
      });
    } finally {
      await scratch.drop();
    }
  }
  return results;
};

export default bench;
