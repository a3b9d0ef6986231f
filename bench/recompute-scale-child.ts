/**
 * One recompute-scale run in a process of its own (bench/recompute-scale.ts spawns it), so
 * its peak RSS is the recompute's alone: a full recompute of every year, as
 * `eduplan indicators compute` runs it; then, with `--incremental <n>`, n single-school
 * changes as a district's approval of a school's submission makes them (the school's values
 * of the latest year rewritten and the year marked stale for that school, in one
 * transaction: services/submissions/workflow.ts), each followed by the recompute policy's
 * `afterDataChanged`, timed.
 *
 *   DATABASE_URL=postgres://… node --import tsx bench/recompute-scale-child.ts [--incremental 3]
 * Prints one JSON line.
 */
import { sql } from 'kysely';
import { onRecomputed, recomputeIndicators } from '../src/services/indicators.ts';
import { afterDataChanged, markStale } from '../src/services/recompute.ts';
import { openStore } from '../src/store/store.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('recompute-scale-child: DATABASE_URL is required');
const incremental = process.argv[2] === '--incremental' ? Number(process.argv[3] ?? '3') : 0;
const store = await openStore({ databaseUrl });
const cpuMs = (c: NodeJS.CpuUsage): number => Math.round((c.user + c.system) / 1000);
try {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const full = await recomputeIndicators(store);
  const fullMs = Math.round(performance.now() - t0);
  const fullCpu = cpuMs(process.cpuUsage(c0));
  const rssFull = process.resourceUsage().maxRSS;
  // Which years the policy's run took from the cache (RecomputeResult.incremental_years).
  let lastIncremental: readonly number[] = [];
  let lastPhases: Record<string, number> = {};
  onRecomputed(store, (r) => { lastIncremental = r.incremental_years; lastPhases = { ...r.phases_ms }; });
  const steps: Array<{ ms: number; cpu_ms: number; status: string; incremental_years: readonly number[]; cells: number; phases_ms: Record<string, number> }> = [];
  if (incremental > 0) {
    const year = Math.max(...full.years);
    const schools = (await sql<{ org_code: string }>`SELECT DISTINCT org_code FROM data_value WHERE year = ${year} AND element LIKE 'enrol.%' ORDER BY org_code LIMIT ${incremental * 97}`.execute(store.db)).rows;
    for (let i = 0; i < incremental; i++) {
      const school = schools[(i * 97) % schools.length]?.org_code;
      if (school === undefined) break;
      await store.transaction(async (tx) => {
        await sql`UPDATE data_value SET value = value + 1, source = 'bench' WHERE org_code = ${school} AND year = ${year} AND element LIKE 'enrol.%'`.execute(tx.db);
        await markStale(tx.db, new Date(), [year], `bench:${school}`, [school]);
      });
      const s = performance.now();
      const c = process.cpuUsage();
      const out = await afterDataChanged({ store, clock: () => new Date() });
      const ms = Math.round(performance.now() - s);
      const cpu = cpuMs(process.cpuUsage(c));
      const last = out.status === 'recomputed' ? out : null;
      steps.push({ ms, cpu_ms: cpu, status: out.status, incremental_years: lastIncremental, cells: last?.cells ?? 0, phases_ms: lastPhases });
    }
  }
  process.stdout.write(`${JSON.stringify({
    schools: Number((await sql<{ n: string }>`SELECT count(*) AS n FROM org_unit WHERE level = 'school'`.execute(store.db)).rows[0]?.n ?? 0),
    data_values: Number((await sql<{ n: string }>`SELECT count(*) AS n FROM data_value`.execute(store.db)).rows[0]?.n ?? 0),
    years: full.years.length, cells: full.cells, full_ms: fullMs, full_cpu_ms: fullCpu, full_phases_ms: full.phases_ms,
    peak_rss_full_mib: Math.round(rssFull / 1024), peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024), incremental: steps,
  })}\n`);
} finally {
  await store.close();
}
