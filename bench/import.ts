/**
 * Demo generation and folder import: seconds, rows/s and peak RSS at scales 0.05,
 * 0.1 and 0.2 (statistics, org units and reference data), plus student records for
 * one year at 0.05 — the inputs for choosing `npm start`'s default scale (the whole
 * first start must stay under 60 s on a 2-core machine). PGlite on disk always;
 * PostgreSQL too when DATABASE_URL is set (a throwaway database per run).
 */
import { join } from 'node:path';
import { generateDemo } from '../src/demo/index.ts';
import { importFolder } from '../src/services/import.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { goal, type Bench, type BenchGoal, type BenchResult } from './types.ts';
import { createScratchDatabase } from '../test/helpers/scratch-db.ts';

const SCALES = [0.05, 0.1, 0.2] as const;
const clock = (): Date => new Date();
const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

async function postgresStore(url: string): Promise<{ store: Store; drop(): Promise<void> }> {
  const db = await createScratchDatabase(url, 'eduplan_bench');
  const store = await openStore({ databaseUrl: db.url });
  return { store, async drop() { await store.close(); await db.drop(); } };
}

const bench: Bench = async (opts) => {
  const results: BenchResult[] = [];
  const backends: Array<{ name: 'pglite' | 'postgres'; open(tag: string): Promise<{ store: Store; drop(): Promise<void> }> }> = [
    {
      name: 'pglite',
      async open(tag) {
        const store = await openStore({ dataDir: join(opts.workDir, `import-pglite-${tag}`) });
        return { store, drop: () => store.close() };
      },
    },
    ...(opts.databaseUrl ? [{ name: 'postgres' as const, open: (_tag: string) => postgresStore(opts.databaseUrl ?? '') }] : []),
  ];
  for (const scale of SCALES) {
    const dir = join(opts.workDir, `demo-${scale}`);
    let t = performance.now();
    const demo = await generateDemo({ scale, seed: 1, outDir: dir, students: false, planExecution: false });
    const genSeconds = (performance.now() - t) / 1000;
    opts.log(`[import] scale ${scale}: generated ${demo.schools} schools in ${genSeconds.toFixed(2)} s`);
    for (const b of backends) {
      t = performance.now();
      const { store, drop } = await b.open(String(scale));
      const openSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      const summary = await importFolder(store, dir, { clock });
      const importSeconds = (performance.now() - t) / 1000;
      t = performance.now();
      const again = await importFolder(store, dir, { clock });
      const noopSeconds = (performance.now() - t) / 1000;
      await drop();
      opts.log(`[import] scale ${scale} on ${b.name}: ${summary.rowsWritten} rows in ${importSeconds.toFixed(2)} s (open ${openSeconds.toFixed(2)} s); re-import no-op ${noopSeconds.toFixed(2)} s`);
      const goals: BenchGoal[] = [goal('re-import of the same folder is a no-op', again.imported, 'max', 0)];
      if (scale === 0.05) goals.push(goal('generate + import at the default scale 0.05 within 30 s (half the 60 s first-start budget)', (genSeconds + importSeconds) / 30, 'max', 1));
      results.push({
        name: `import-${b.name}-scale-${scale}`,
        figures: {
          schools: demo.schools,
          generate_s: Number(genSeconds.toFixed(3)),
          store_open_s: Number(openSeconds.toFixed(3)),
          import_s: Number(importSeconds.toFixed(3)),
          rows: summary.rowsWritten,
          rows_per_s: Math.round(summary.rowsWritten / importSeconds),
          reimport_noop_s: Number(noopSeconds.toFixed(3)),
          peak_rss_mb: peakRssMb(),
        },
        goals,
      });
    }
  }
  // Student records, one academic year at the default scale (the student helper's writer and importer).
  const dir = join(opts.workDir, 'demo-students-0.05');
  let t = performance.now();
  const demo = await generateDemo({ scale: 0.05, seed: 1, outDir: dir, students: true, studentYears: [2025] });
  const genSeconds = (performance.now() - t) / 1000;
  const { store, drop } = await backends[0]?.open('students') ?? (() => { throw new Error('no backend'); })();
  t = performance.now();
  const summary = await importFolder(store, dir, { clock, pseudonymKey: 'bench-pseudonym-key-0123456789' });
  const importSeconds = (performance.now() - t) / 1000;
  await drop();
  opts.log(`[import] scale 0.05 with one year of student records: ${summary.rowsWritten} rows in ${importSeconds.toFixed(2)} s`);
  results.push({
    name: 'import-pglite-scale-0.05-students-2025',
    figures: {
      student_rows: demo.studentRows,
      generate_s: Number(genSeconds.toFixed(3)),
      import_s: Number(importSeconds.toFixed(3)),
      rows: summary.rowsWritten,
      rows_per_s: Math.round(summary.rowsWritten / importSeconds),
      peak_rss_mb: peakRssMb(),
    },
    goals: [],
  });
  return results;
};

export default bench;
