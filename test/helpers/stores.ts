/**
 * The storage suite runs on every backend available: embedded PGlite always, a
 * PostgreSQL server when EDUPLAN_TEST_PG_URL points at one (.ci/run starts it), and a
 * Citus cluster when EDUPLAN_TEST_CITUS_URL points at its coordinator
 * (scripts/citus-cluster.sh). Each test file gets its own fresh database.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../../src/store/store.ts';
import { createCitusScratchDatabase, createScratchDatabase } from './scratch-db.ts';

const pgliteVersion = (JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)), 'utf8')) as { version: string }).version;

export interface Backend {
  readonly name: 'pglite' | 'postgres' | 'citus';
  open(): Promise<Store & { dispose(): Promise<void> }>;
}

const pgUrl = process.env.EDUPLAN_TEST_PG_URL;
const citusUrl = process.env.EDUPLAN_TEST_CITUS_URL;

/**
 * A freshly initialised PGlite takes ~5 s (initdb); starting from a cached tarball of
 * a migrated empty database takes ~1 s. The cache lives in node_modules/.cache and is
 * keyed by the PGlite version; migrations newer than the cache still run on open.
 */
const templateFile = join(dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/eduplan',
  `pglite-${pgliteVersion}-template.tar`);

export async function openPgliteFromTemplate(): Promise<Store> {
  if (existsSync(templateFile)) return openStore({ dataDir: null, templateFile });
  const s = await openStore({ dataDir: null });
  mkdirSync(dirname(templateFile), { recursive: true });
  const tmp = `${templateFile}.${process.pid}.tmp`;
  await s.dumpTemplate?.(tmp);
  renameSync(tmp, templateFile);
  return s;
}

export const backends: Backend[] = [
  {
    name: 'pglite',
    async open() {
      const s = await openPgliteFromTemplate();
      return Object.assign(s, { dispose: () => s.close() });
    },
  },
  ...(pgUrl
    ? [{
        name: 'postgres' as const,
        async open() {
          const db = await createScratchDatabase(pgUrl, 'eduplan_test');
          const s = await openStore({ databaseUrl: db.url });
          return Object.assign(s, { async dispose() { await s.close(); await db.drop(); } });
        },
      }]
    : []),
  ...(citusUrl
    ? [{
        name: 'citus' as const,
        async open() {
          const db = await createCitusScratchDatabase(citusUrl, 'eduplan_test');
          const s = await openStore({ databaseUrl: db.url });
          return Object.assign(s, { async dispose() { await s.close(); await db.drop(); } });
        },
      }]
    : []),
];
