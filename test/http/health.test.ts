/**
 * /healthz answers while the process runs; /readyz is 200 only while the database answers and
 * every migration of this build is applied, and 503 E_NOT_READY naming what is wrong otherwise.
 */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { migrations } from '../../src/store/migrations/index.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

describe.each(backends)('health checks on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await backend.open();
    app = await buildApp({ store, clock: () => new Date('2025-01-01T00:00:00Z'), config: { demo: false, pseudonymKey: 'test-key-0123456789', maxUploadBytes: 1 << 20 } });
  });
  afterAll(async () => { await app?.close(); await store?.dispose(); });

  it('/healthz and /readyz answer 200 on a migrated database, not stored by caches', async () => {
    const live = await app.inject({ url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', migrations: { applied: migrations.length, known: migrations.length } });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('/readyz is 503 E_NOT_READY naming a migration that is not applied', async () => {
    const last = migrations[migrations.length - 1]?.name ?? '';
    await sql`DELETE FROM eduplan_migration WHERE name = ${last}`.execute(store.db);
    try {
      const r = await app.inject({ url: '/readyz' });
      expect(r.statusCode).toBe(503);
      const e = (r.json() as { error: { code: string; detail: string } }).error;
      expect(e.code).toBe('E_NOT_READY');
      expect(e.detail).toContain(last);
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await sql`INSERT INTO eduplan_migration (name, "timestamp") VALUES (${last}, '2025-01-01T00:00:00.000Z')`.execute(store.db);
    }
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
  });

  it('/readyz is 503 when the database does not answer', async () => {
    const other = await backend.open();
    const broken = await buildApp({ store: other, clock: () => new Date('2025-01-01T00:00:00Z'), config: { demo: false, pseudonymKey: 'test-key-0123456789', maxUploadBytes: 1 << 20 } });
    await other.dispose();
    try {
      const r = await broken.inject({ url: '/readyz' });
      expect(r.statusCode).toBe(503);
      expect((r.json() as { error: { detail: string } }).error.detail).toContain('database unreachable');
    } finally { await broken.close(); }
  });
});
