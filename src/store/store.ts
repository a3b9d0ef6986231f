/**
 * Opening the store: embedded PGlite (default, data directory `./data`) or a
 * PostgreSQL server when DATABASE_URL is set. Same migrations and queries for both.
 *
 * A PGlite data directory is opened by one process at a time (data-dir-lock.ts): the lock
 * is taken before PGlite touches a file and released by `close()`. Migrations run under
 * Kysely's Migrator, which holds a PostgreSQL advisory lock while it works, so processes
 * starting together on one server database apply each migration once.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kysely, Migrator, sql, type Migration as KyselyMigration } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { distributeTables } from './distribute.ts';
import { lockDataDir, defaultLockCommand, type DataDirLock } from './data-dir-lock.ts';
import { attachKeys, UNCONFIGURED_KEYS, type StoreKeys } from './keys.ts';
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
  /** What this process runs (`eduplan start`), recorded in the data directory's lock for whoever is refused. */
  lockCommand?: string;
  /** Keys kept outside the database (config.ts `storeKeys`); tests and benchmarks may leave them out (keys.ts). */
  keys?: StoreKeys;
  /** PGlite with a data directory: load this tarball (a backup, backup.ts) into the directory, which must be empty. */
  restoreFrom?: string | null;
  /** On a Citus coordinator, place new tables after the migrations (default true); `eduplan db distribute` places them itself, to report what it did. */
  distribute?: boolean;
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
  /** The keys this store was opened with (also reachable from any of its connections: keys.ts `keysOf`). */
  readonly keys: StoreKeys;
  /** All-or-nothing unit of work with COPY available (imports). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** PGlite only: save the current database as a tarball to start in-memory stores from. */
  dumpTemplate?(file: string): Promise<void>;
}

export async function openStore(opts: StoreOptions = {}): Promise<Store> {
  let pool: RawPool;
  let lock: DataDirLock | null = null;
  const keys = opts.keys ?? UNCONFIGURED_KEYS;
  const dir = opts.databaseUrl ? null : opts.dataDir === undefined ? './data' : opts.dataDir;
  try {
    if (opts.databaseUrl) {
      pool = await openPostgresPool(opts.databaseUrl);
    } else {
      if (dir !== null) {
        mkdirSync(dir, { recursive: true });
        lock = lockDataDir(dir, opts.lockCommand ?? defaultLockCommand());
      }
      pool = await openPglitePool(dir, dir === null ? (opts.templateFile ?? null) : (opts.restoreFrom ?? null));
    }
  } catch (cause) {
    lock?.release();
    if (cause instanceof EduplanError) throw cause;
    throw openFailure(dir, cause);
  }
  const db = new Kysely<Database>({ dialect: rawPoolDialect(pool) });
  attachKeys(db, keys);
  try {
    await migrate(db);
    // On a Citus coordinator: the large tables distributed by org_code (distribute.ts).
    if (opts.distribute !== false) await distributeTables(db).catch((cause: unknown) => {
      throw new EduplanError('E_DB', { detail: `placing the tables on the Citus cluster failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause });
    });
  } catch (err) {
    await db.destroy().catch(() => undefined);
    lock?.release();
    throw dir !== null && errnoOf(err) !== null ? openFailure(dir, err) : err;
  }
  return {
    kind: pool.kind,
    db,
    keys,
    async transaction(fn) {
      const conn = await pool.acquire();
      const txDb = new Kysely<Database>({ dialect: singleConnectionDialect(conn) });
      attachKeys(txDb, keys);
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
    async close() {
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
    ...(pool.dump ? { dumpTemplate: (file: string) => pool.dump!(file) } : {}),
  };
}

/** Why the file system refused, when it did: the three an operator can act on, else null. */
function errnoOf(err: unknown): 'EROFS' | 'ENOSPC' | 'EACCES' | null {
  for (let e: unknown = err, depth = 0; e !== null && e !== undefined && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'EROFS' || code === 'ENOSPC' || code === 'EACCES' || code === 'EPERM') return code === 'EPERM' ? 'EACCES' : code;
    // PGlite reports file-system errors from inside WebAssembly by message, not by code.
    const message = String((e as { message?: unknown }).message ?? '');
    if (/read-only file system|\bEROFS\b/i.test(message)) return 'EROFS';
    if (/no space left on device|\bENOSPC\b|could not extend file/i.test(message)) return 'ENOSPC';
    if (/permission denied|\bEACCES\b/i.test(message)) return 'EACCES';
  }
  return null;
}

/**
 * The error a failed open answers with. A data directory the process may not write — on a
 * read-only file system, on a full disk, or without permission — is named with what to do
 * about it (the data directory is configuration: E_CONFIG; a full disk: E_DB); anything else
 * is E_DB with the database's own message.
 */
export function openFailure(dir: string | null, cause: unknown): EduplanError {
  const why = errnoOf(cause);
  const message = String((cause as Error | undefined)?.message ?? cause);
  if (dir === null || why === null) return new EduplanError('E_DB', { detail: `cannot open database: ${message}`, cause });
  const where = resolve(dir);
  if (why === 'EROFS') {
    return new EduplanError('E_CONFIG', { cause, detail: `the data directory ${where} is on a read-only file system: point EDUPLAN_DATA_DIR at a writable directory, or remount it read-write / 数据目录 ${where} 位于只读文件系统：请将 EDUPLAN_DATA_DIR 指向可写目录，或以读写方式重新挂载` });
  }
  if (why === 'EACCES') {
    return new EduplanError('E_CONFIG', { cause, detail: `no permission to write the data directory ${where}: run eduplan as the directory's owner, or give this user write access (chown/chmod) / 无权写入数据目录 ${where}：请以该目录的属主运行 eduplan，或授予当前用户写权限` });
  }
  return new EduplanError('E_DB', { cause, detail: `the disk holding the data directory ${where} is full: free space on it (df -h ${where}) and start again / 数据目录 ${where} 所在磁盘已满：请清理磁盘空间（df -h ${where}）后重新启动` });
}

/** The table recording applied migrations (the name the hand-written loop used, kept so existing databases open as they are). */
export const MIGRATION_TABLE = 'eduplan_migration';

/**
 * Serialises `upgradeMigrationTable` between processes; an arbitrary constant of our own
 * (Kysely's Migrator takes its own advisory lock for the migrations themselves).
 */
const MIGRATION_TABLE_LOCK = 7_204_511_389;

/**
 * Before Kysely's Migrator existed here, a hand-written loop recorded migrations in
 * `eduplan_migration (name, applied_at)`. The Migrator reads `name` and `timestamp` (an
 * ISO string): add that column to an old table, filled from `applied_at`, and create the
 * table in that shape in a new database. Under an advisory transaction lock, so two
 * processes opening one new server database do not race to create it.
 */
async function upgradeMigrationTable(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(MIGRATION_TABLE_LOCK)})`.execute(trx);
    await sql`CREATE TABLE IF NOT EXISTS ${sql.table(MIGRATION_TABLE)} (
      name varchar(255) PRIMARY KEY,
      "timestamp" varchar(255) NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(trx);
    const cols = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ${MIGRATION_TABLE}`.execute(trx);
    if (cols.rows.some((c) => c.column_name === 'timestamp')) return;
    await sql`ALTER TABLE ${sql.table(MIGRATION_TABLE)} ADD COLUMN "timestamp" varchar(255)`.execute(trx);
    await sql`UPDATE ${sql.table(MIGRATION_TABLE)} SET "timestamp" = to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.execute(trx);
    await sql`ALTER TABLE ${sql.table(MIGRATION_TABLE)} ALTER COLUMN "timestamp" SET NOT NULL`.execute(trx);
  });
}

/**
 * Apply pending migrations (migrations/index.ts) with Kysely's Migrator: every pending one
 * in name order, in one transaction, under its advisory lock. `allowUnorderedMigrations`:
 * as with the old loop, a migration listed before one already applied (branches merged in
 * another order) still runs rather than stopping the server.
 */
async function migrate(db: Kysely<Database>): Promise<void> {
  await upgradeMigrationTable(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => Object.fromEntries(migrations.map((m): [string, KyselyMigration] => [m.name, { up: m.up }])) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const message = error instanceof Error ? error.message : String(error);
    throw new EduplanError('E_DB', { detail: `migration ${failed ?? '(before any migration ran)'} failed: ${message}`, cause: error });
  }
}
