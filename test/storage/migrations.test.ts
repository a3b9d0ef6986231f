/**
 * Migrations under Kysely's Migrator, on every backend: a database migrated by the earlier
 * hand-written loop (table `eduplan_migration (name, applied_at)`) opens without re-running
 * anything, a pending migration still runs, and (on a server) processes opening one new
 * database at the same moment apply each migration once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { rawPoolDialect } from '../../src/store/dialect.ts';
import { migrations, type Migration } from '../../src/store/migrations/index.ts';
import { openPglitePool, openPostgresPool } from '../../src/store/raw.ts';
import { MIGRATION_TABLE, openStore, type StoreOptions } from '../../src/store/store.ts';
import { createCitusScratchDatabase, createScratchDatabase } from '../helpers/scratch-db.ts';

const pgUrl = process.env.EDUPLAN_TEST_PG_URL;
const citusUrl = process.env.EDUPLAN_TEST_CITUS_URL;

/** A fresh, empty database on one backend: how to reach it raw, and how to open it as a store. */
interface Fresh {
  raw(): Promise<Kysely<unknown>>;
  options: StoreOptions;
  dispose(): Promise<void>;
}

const backends: Array<{ name: string; fresh(): Promise<Fresh> }> = [
  {
    name: 'pglite',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'eduplan-migrations-'));
      return {
        raw: async () => new Kysely<unknown>({ dialect: rawPoolDialect(await openPglitePool(dir)) }),
        options: { dataDir: dir },
        dispose: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  ...(pgUrl ? [{
    name: 'postgres',
    async fresh(): Promise<Fresh> {
      const db = await createScratchDatabase(pgUrl, 'eduplan_migr');
      return {
        raw: async () => new Kysely<unknown>({ dialect: rawPoolDialect(await openPostgresPool(db.url)) }),
        options: { databaseUrl: db.url },
        dispose: db.drop,
      };
    },
  }] : []),
  ...(citusUrl ? [{
    name: 'citus',
    async fresh(): Promise<Fresh> {
      const db = await createCitusScratchDatabase(citusUrl, 'eduplan_migr');
      return {
        raw: async () => new Kysely<unknown>({ dialect: rawPoolDialect(await openPostgresPool(db.url)) }),
        options: { databaseUrl: db.url },
        dispose: db.drop,
      };
    },
  }] : []),
];

/** The loop that applied migrations before the Migrator: one transaction each, recorded by name. */
async function oldLoop(db: Kysely<unknown>, list: readonly Migration[]): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS eduplan_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  for (const m of list) {
    await db.transaction().execute(async (trx) => {
      await m.up(trx);
      await sql`INSERT INTO eduplan_migration (name) VALUES (${m.name})`.execute(trx);
    });
  }
}

type Row = { name: string; applied_at: string; timestamp: string };
const recorded = async (db: Kysely<unknown>): Promise<Row[]> =>
  (await sql<Row>`SELECT name, applied_at::text AS applied_at, "timestamp" FROM ${sql.table(MIGRATION_TABLE)} ORDER BY name`.execute(db)).rows;

describe.each(backends)('migrations on $name', (backend) => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(async () => { for (const d of disposers) await d(); });

  it('opens a database the old loop migrated without re-running anything', async () => {
    const fresh = await backend.fresh();
    disposers.push(fresh.dispose);
    const raw = await fresh.raw();
    await oldLoop(raw, migrations);
    await sql`INSERT INTO org_unit (code, name_zh, level) VALUES ('120000', '天津市', 'city')`.execute(raw);
    const before = (await sql<{ name: string; applied_at: string }>`SELECT name, applied_at::text AS applied_at FROM eduplan_migration ORDER BY name`.execute(raw)).rows;
    await raw.destroy();

    // Re-running 0001 would fail on its CREATE TABLEs; re-running anything would add rows or change applied_at.
    for (let i = 0; i < 2; i++) {
      const store = await openStore(fresh.options);
      try {
        const rows = await recorded(store.db as unknown as Kysely<unknown>);
        expect(rows.map(({ name, applied_at }) => ({ name, applied_at }))).toEqual(before);
        for (const r of rows) expect(new Date(r.timestamp).getTime()).not.toBeNaN();
        expect(await store.db.selectFrom('org_unit').select('code').execute()).toEqual([{ code: '120000' }]);
      } finally {
        await store.close();
      }
    }
  }, 120_000);

  it('runs only the migrations the old loop had not applied', async () => {
    const fresh = await backend.fresh();
    disposers.push(fresh.dispose);
    const raw = await fresh.raw();
    const last = migrations[migrations.length - 1];
    if (!last) throw new Error('no migrations');
    await oldLoop(raw, migrations.slice(0, -1));
    await raw.destroy();

    const store = await openStore(fresh.options);
    try {
      const rows = await recorded(store.db as unknown as Kysely<unknown>);
      expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
      expect(rows.find((r) => r.name === last.name)?.applied_at).toBeDefined();
      // 0007's table exists: the pending migration really ran.
      const t = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'student_school_year'`.execute(store.db);
      expect(t.rows[0]?.n).toBe(1);
    } finally {
      await store.close();
    }
  }, 120_000);
});

const servers = [
  ...(pgUrl ? [{ name: 'postgres', create: () => createScratchDatabase(pgUrl, 'eduplan_migr') }] : []),
  ...(citusUrl ? [{ name: 'citus', create: () => createCitusScratchDatabase(citusUrl, 'eduplan_migr') }] : []),
];

describe.runIf(servers.length > 0).each(servers)('migrations on $name, several processes at once', (server) => {
  it('applies each migration once when four stores open a new database together', async () => {
    const db = await server.create();
    try {
      const stores = await Promise.all([0, 1, 2, 3].map(() => openStore({ databaseUrl: db.url })));
      try {
        const rows = await recorded(stores[0]?.db as unknown as Kysely<unknown>);
        expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
        if (server.name === 'citus') {
          // And the tables were placed on the cluster once, whichever process did it.
          const placed = await sql<{ t: string; k: string }>`SELECT table_name::text AS t, citus_table_type AS k FROM citus_tables WHERE table_name IN ('data_value'::regclass, 'org_unit'::regclass)`.execute(stores[0]?.db as unknown as Kysely<unknown>);
          expect(placed.rows.sort((a, b) => a.t.localeCompare(b.t))).toEqual([{ t: 'data_value', k: 'distributed' }, { t: 'org_unit', k: 'reference' }]);
        }
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    } finally {
      await db.drop();
    }
  }, 120_000);
});

describe('the migration list', () => {
  it('is in name order with unique names, as the Migrator applies them', () => {
    const names = migrations.map((m) => m.name);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^\d{4}_[a-z0-9_]+$/);
  });
});
