/**
 * The storage suite runs on every backend available: embedded PGlite always, and a
 * PostgreSQL server when EDUPLAN_TEST_PG_URL points at one (.ci/run starts it). Each
 * test file gets its own fresh database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.ts';

export interface Backend {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<Store & { dispose(): Promise<void> }>;
}

const pgUrl = process.env.EDUPLAN_TEST_PG_URL;

export const backends: Backend[] = [
  {
    name: 'pglite',
    async open() {
      const s = await openStore({ dataDir: null });
      return Object.assign(s, { dispose: () => s.close() });
    },
  },
  ...(pgUrl
    ? [{
        name: 'postgres' as const,
        async open() {
          const dbName = `eduplan_test_${randomBytes(6).toString('hex')}`;
          const admin = new pg.Client({ connectionString: pgUrl });
          await admin.connect();
          await admin.query(`CREATE DATABASE ${dbName}`);
          await admin.end();
          const url = new URL(pgUrl);
          url.pathname = `/${dbName}`;
          const s = await openStore({ databaseUrl: url.toString() });
          return Object.assign(s, {
            async dispose() {
              await s.close();
              const a = new pg.Client({ connectionString: pgUrl });
              await a.connect();
              await a.query(`DROP DATABASE IF EXISTS ${dbName}`);
              await a.end();
            },
          });
        },
      }]
    : []),
];
