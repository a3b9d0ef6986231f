/**
 * One student-record import in a process of its own, as `eduplan fitness import` runs it
 * (bench/fitness.ts spawns it, as it spawns `psql` for the baseline): the parent's
 * generated file, scoring arrays and earlier imports are not in this process's heap,
 * its GC or its peak RSS. The org units are already in the database.
 *
 *   node --import tsx bench/fitness-import-child.ts <file> <key> [fitness|vision]   (DATABASE_URL or EDUPLAN_DATA_DIR)
 * Prints one JSON line: rows, seconds (the import call), cpu_seconds (all threads of this
 * process), peak_rss_gib, parse_threads.
 */
import { importStudentFile } from '../src/services/student-records.ts';
import { openStore } from '../src/store/store.ts';

const [file, key, kindArg = 'fitness'] = process.argv.slice(2);
if (file === undefined || key === undefined || (kindArg !== 'fitness' && kindArg !== 'vision')) throw new Error('usage: fitness-import-child.ts <file> <key> [fitness|vision]');
const kind: 'fitness' | 'vision' = kindArg;
const databaseUrl = process.env.DATABASE_URL;
const store = await openStore(databaseUrl ? { databaseUrl } : { dataDir: process.env.EDUPLAN_DATA_DIR ?? null });
try {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = await importStudentFile(store, file, { kind, pseudonymKey: key, clock: () => new Date() });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  process.stdout.write(`${JSON.stringify({
    rows: r.rows, seconds, cpu_seconds: (c.user + c.system) / 1e6, peak_rss_gib: process.resourceUsage().maxRSS / (1024 * 1024), parse_threads: r.parseThreads,
  })}\n`);
} finally {
  await store.close();
}
