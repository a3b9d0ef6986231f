/**
 * `npm run bench [-- --json] [-- --only name]`: runs every benchmark, prints its figures,
 * each goal's ratio to its baseline (both measured in this same run: machines are noisy,
 * so only same-run ratios are compared) and whether the goal holds.
 * On PGlite always; on PostgreSQL too when DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bench, BenchResult } from './types.ts';

const registry: ReadonlyArray<{ name: string; load: () => Promise<{ default: Bench }> }> = [
  { name: 'import', load: () => import('./import.ts') },
  { name: 'indicators', load: () => import('./indicators.ts') },
  { name: 'fitness', load: () => import('./fitness.ts') },
  { name: 'portal-api', load: () => import('./portal-api.ts') },
  { name: 'submissions', load: () => import('./submissions.ts') },
  { name: 'xlsx-gate', load: () => import('./xlsx-gate.ts') },
  { name: 'portal-mobile', load: () => import('./portal-mobile.ts') },
  { name: 'recompute-scale', load: () => import('./recompute-scale.ts') },
];

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, only: { type: 'string', multiple: true } } });
const json = values.json === true;
const only = values.only;
const workDir = mkdtempSync(join(tmpdir(), 'eduplan-bench-'));
const log = (line: string): void => { process.stderr.write(`${line}\n`); };
const results: BenchResult[] = [];
let failedGoals = 0;
try {
  for (const entry of registry) {
    if (only && !only.includes(entry.name)) continue;
    let mod: { default: Bench };
    try {
      mod = await entry.load();
    } catch (err) {
      log(`[${entry.name}] not available: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    log(`[${entry.name}] running…`);
    const out = await mod.default({ json, databaseUrl: process.env.DATABASE_URL || undefined, workDir, log });
    for (const r of out) {
      results.push(r);
      failedGoals += r.goals.filter((g) => !g.pass).length;
      if (!json) {
        process.stdout.write(`\n== ${r.name}\n`);
        for (const [k, v] of Object.entries(r.figures)) process.stdout.write(`  ${k.padEnd(40)} ${typeof v === 'number' ? formatNumber(v) : v}\n`);
        for (const g of r.goals) {
          process.stdout.write(`  goal: ${g.description}: ratio ${g.ratio.toFixed(3)} ${g.kind === 'max' ? '<=' : '>='} ${g.limit} … ${g.pass ? 'PASS' : 'FAIL'}\n`);
        }
      }
    }
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
if (json) process.stdout.write(`${JSON.stringify({ machine: { node: process.version, cpus: (await import('node:os')).cpus().length }, results }, null, 2)}\n`);
else process.stdout.write(`\n${results.length} benchmark results, ${failedGoals} goals missed\n`);

function formatNumber(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
}
