/**
 * Opening the store: embedded PGlite (default, data directory `./data`) or a
 * PostgreSQL server when DATABASE_URL is set. Same migrations and queries for both.
 */
import { mkdirSync } from 'node:fs';
import { Kysely, sql } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { rawPoolDialect, singleConnectionDialect } from './dialect.ts';
import type { BinaryCopyResult } from './binary-copy.ts';
import { migrations } from './migrations/index.ts';
import { openPglitePool, openPostgresPool, type RawPool } from './raw.ts';
import type { Database } from './schema.ts';

export interface StoreOptions {
  /** postgres://… — when set, a PostgreSQL server is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `null` = in memory (tests). */
  dataDir?: string | null;
  /** PGlite in memory only: start from this tarball (see Store.dumpTemplate). */
  templateFile?: string | null;
}

export interface Tx {
  readonly db: Kysely<Database>;
  /** Bulk load CSV (no header) into a table, inside this transaction. */
  copyCsv(table: keyof Database | string, columns: readonly string[], csv: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): Promise<number>;
  /**
   * Bulk load binary COPY tuples (`BinaryCopyWriter.take()`), inside this transaction. The
   * chunks are consumed; their buffers come back in the result, to be written again.
   */
  copyBinary(table: keyof Database | string, columns: readonly string[], tuples: readonly Uint8Array[]): Promise<BinaryCopyResult>;
}

export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<Database>;
  /** All-or-nothing unit of work with COPY available (imports). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: save the current database as a tarball to start in-memory stores from. */
  dumpTemplate?(file: string): Promise<void>;
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  let pool: RawPool;
  try {
    if (opts.databaseUrl) {
      pool = await openPostgresPool(opts.databaseUrl);
    } else {
      const dir = opts.dataDir === undefined ? './data' : opts.dataDir;
      if (dir !== null) mkdirSync(dir, { recursive: true });
      pool = await openPglitePool(dir, dir === null ? (opts.templateFile ?? null) : null);
    }
  } catch (cause) {
    throw new EduplanError('E_DB', { detail: `cannot open database: ${String((cause as Error).message ?? cause)}`, cause });
  }
  const db = new Kysely<Database>({ dialect: rawPoolDialect(pool) });
  await migrate(db);
  return {
    kind: pool.kind,
    db,
    async transaction(fn) {
      const conn = await pool.acquire();
      const txDb = new Kysely<Database>({ dialect: singleConnectionDialect(conn) });
      try {
        await conn.query('BEGIN');
        const result = await fn({ db: txDb, copyCsv: (t, c, csv) => conn.copyCsv(String(t), c, csv), copyBinary: (t, c, tuples) => conn.copyBinary(String(t), c, tuples) });
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    close: () => db.destroy(),
    ...(pool.dump ? { dumpTemplate: (file: string) => pool.dump!(file) } : {}),
  };
}

/** Apply pending migrations, each in its own transaction, recorded in `eduplan_migration`. */
async function migrate(db: Kysely<Database>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS eduplan_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  const done = await sql<{ name: string }>`SELECT name FROM eduplan_migration`.execute(db);
  const applied = new Set(done.rows.map((r) => r.name));
  for (const m of migrations) {
    if (applied.has(m.name)) continue;
    await db.transaction().execute(async (trx) => {
      await m.up(trx as unknown as Kysely<unknown>);
      await sql`INSERT INTO eduplan_migration (name) VALUES (${m.name})`.execute(trx);
    });
  }
}

/** Store options from the environment: DATABASE_URL, EDUPLAN_DATA_DIR. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: env.EDUPLAN_DATA_DIR ?? './data' };
}
