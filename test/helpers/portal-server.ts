/**
 * A real eduplan server with data, for the browser tests: in-memory PGlite store, the
 * bundled plan, tiny deterministic demo data imported exactly as a user would, indicators
 * recomputed, the portal freshly built from src/web — listening on
 * 127.0.0.1 at a free port. Close it with `close()`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { generateDemo } from '../../src/demo/index.ts';
import { importFolder } from '../../src/services/import.ts';
import { releaseUnreleasedYears } from '../../src/services/releases.ts';
import { releaseUnreleasedTargetYears } from '../../src/services/plan-execution/targets.ts';

export interface PortalServer {
  readonly url: string;
  readonly store: Store;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Build the portal from the current source into a fresh folder (never a stale dist/web),
 * and return that folder; the server serves it (ServerConfig.webDir).
 */
export async function buildPortal(outDir: string): Promise<string> {
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build:
  // test what users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`vite build wrote no index.html to ${outDir}`);
  return outDir;
}

/** A fixed clock keeps "now" (and so time shares) the same on every run. */
export const FIXED_NOW = new Date('2025-06-30T04:00:00Z');

/**
 * `students: false` (the default) skips the per-student fitness/vision files: importing them
 * takes minutes even at small scale, and the portal test only needs indicators to exist —
 * the two student-based indicators then read 数据不足 (insufficient data), a path worth seeing too.
 */
export async function startPortalServer(opts: { scale?: number; seed?: number; students?: boolean; demoAccounts?: boolean } = {}): Promise<PortalServer> {
  const webDir = await buildPortal(mkdtempSync(join(tmpdir(), 'eduplan-portal-web-')));
  const clock = (): Date => new Date(FIXED_NOW);
  const pseudonymKey = process.env.EDUPLAN_PSEUDONYM_KEY ?? 'portal-browser-test-key';
  const store = await openStore({ dataDir: null });
  const work = mkdtempSync(join(tmpdir(), 'eduplan-portal-'));
  try {
    await loadPlan(store, await readPlanDir(bundledPlanDir()), clock);
    await generateDemo({ scale: opts.scale ?? 0.02, seed: opts.seed ?? 20210901, outDir: work, students: opts.students ?? false });
    await importFolder(store, work, { pseudonymKey, clock });
    // As the demo's first start: the import recomputed; every generated year is released.
    const released = await releaseUnreleasedYears({ store, clock }, { system: 'demo' }, 'test portal', 'test portal data');
    // The plan's registry counts and entered values of the same years, as the demo's first start releases them.
    await releaseUnreleasedTargetYears({ store, clock }, { system: 'demo' }, 'test portal', released.map((r) => r.year));
    // `demoAccounts`: the signed-in workspace pages need demo-district / demo-city (as `eduplan start --demo`).
    if (opts.demoAccounts) await (await import('../../src/services/accounts.ts')).ensureDemoAccounts({ store, clock }, { system: 'demo' });
  } catch (e) {
    await store.close();
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const app = await buildApp({ store, clock, config: { demo: true, pseudonymKey, maxUploadBytes: 50 * 1024 * 1024, webDir } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    app,
    async close() {
      await app.close();
      await store.close();
      rmSync(webDir, { recursive: true, force: true });
    },
  };
}
