/**
 * Backup and restore (备份与恢复) for both backends: `eduplan backup <file>` and
 * `eduplan restore <file>` (cli/commands/backup.ts).
 *
 * PostgreSQL server (DATABASE_URL): `pg_dump --format=custom`, a consistent snapshot taken in
 * one repeatable-read transaction while the server keeps running, restored with `pg_restore`
 * in one transaction. The tools are found on PATH or in /usr/lib/postgresql/<15…18>/bin; the
 * dump's major version must be at least the server's.
 *
 * Embedded PGlite (a data directory): the backup is PGlite's own tarball of the data directory
 * (`dumpDataDir`), taken by a process holding the directory's lock — so the server must be
 * stopped first (a command run beside it is refused with E_DATA_DIR_LOCKED). Why not through
 * the running server: PGlite is one PostgreSQL session inside the server process with no
 * replication or dump protocol; a backup through the HTTP API would hold that one session (and
 * every request behind it) for the whole copy and put the complete database, minors' records
 * included, behind a web endpoint. An embedded install is a small one; stopping it for the
 * seconds a backup takes is the safer trade. Installations that need online backups use a
 * PostgreSQL server.
 *
 * A restore never overwrites data silently: the target (the data directory, or the database
 * DATABASE_URL names) must be empty, or `replace` given — then a PGlite directory is moved
 * aside (`<dir>.replaced-<time>`), kept until removed by hand, and a server database is
 * cleaned object by object by pg_restore. The file's kind comes from its first bytes
 * (`PGDMP` custom dump, or a tar archive), so a dump cannot be restored into the wrong backend.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { EduplanError } from '../core/errors.ts';
import { LOCK_FILE_NAME } from './data-dir-lock.ts';
import { openStore } from './store.ts';

export interface BackupTarget {
  /** postgres://… — a PostgreSQL server; otherwise the PGlite `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Recorded in the data directory's lock while this runs. */
  readonly lockCommand?: string;
  /** Where to look for pg_dump / pg_restore first (config.ts `toolDirs`: PATH), then Debian's PostgreSQL directories. */
  readonly toolDirs?: readonly string[];
}

export type BackupKind = 'postgres' | 'pglite';

/** Directories searched for pg_dump / pg_restore after PATH (Debian's layout, newest first). */
const PG_BIN_DIRS = [18, 17, 16, 15].map((v) => `/usr/lib/postgresql/${v}/bin`);

function findTool(name: 'pg_dump' | 'pg_restore', toolDirs: readonly string[] = []): string {
  for (const dir of [...toolDirs, ...PG_BIN_DIRS]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new EduplanError('E_CONFIG', { detail: `${name} not found on PATH or in /usr/lib/postgresql/*/bin; install the PostgreSQL client (apt-get install postgresql-client-15) / 未找到 ${name}，请安装 PostgreSQL 客户端` });
}

function run(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { if (err.length < 4000) err += c.toString('utf8'); });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new EduplanError('E_DB', { detail: `${cmd.split('/').pop()} exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}` }));
    });
  });
}

/** Which backend a backup file belongs to, from its first bytes. */
export async function backupKindOf(file: string): Promise<BackupKind> {
  const fh = await open(file, 'r').catch((cause: unknown) => { throw new EduplanError('E_FILE_NOT_FOUND', { detail: file, cause }); });
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    if (bytesRead >= 5 && head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
    if (bytesRead >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'pglite';
  } finally {
    await fh.close();
  }
  throw new EduplanError('E_INPUT_INVALID', { detail: `${file} is not an eduplan backup (neither a pg_dump custom archive nor a PGlite data-directory tarball) / 不是 eduplan 备份文件` });
}

/**
 * A tar archive without the data-directory lock file (and its drafts): entries are a
 * 512-byte header (name at 0, ustar prefix at 345, size in octal at 124) and the data padded
 * to 512 bytes; the archive ends with zero blocks.
 */
export function withoutLockFiles(tar: Buffer): Buffer {
  const keep: Buffer[] = [];
  let pos = 0;
  while (pos + 512 <= tar.length) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number): string => header.subarray(from, from + len).toString('utf8').replace(/\0.*$/s, '');
    const name = `${field(345, 155)}${field(345, 155) ? '/' : ''}${field(0, 100)}`;
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const end = pos + 512 + Math.ceil(size / 512) * 512;
    const base = name.split('/').filter((x) => x !== '').pop() ?? '';
    if (base !== LOCK_FILE_NAME && !base.startsWith(`${LOCK_FILE_NAME}.`)) keep.push(tar.subarray(pos, end));
    pos = end;
  }
  keep.push(Buffer.alloc(1024));
  return Buffer.concat(keep);
}

/**
 * A Citus coordinator (docs/scale.md) holds no rows of the distributed tables: pg_dump there
 * would write a backup without the student records, data values and indicator values, and
 * report success. A cluster is backed up node by node, outside eduplan.
 */
async function refuseCitus(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect().catch((cause: unknown) => { throw new EduplanError('E_DB', { detail: `cannot connect to ${new URL(url).host}: ${cause instanceof Error ? cause.message : String(cause)}`, cause }); });
  try {
    const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus'`);
    if (r.rows[0]?.n !== 1) return;
  } finally {
    await client.end();
  }
  throw new EduplanError('E_CONFIG', { detail: 'DATABASE_URL names a Citus coordinator, which holds none of the distributed tables\' rows: eduplan backup would miss them. Back up every node of the cluster (base backups and WAL archiving per node; docs/scale.md) / DATABASE_URL 指向 Citus 协调节点，分布式表的数据不在该节点上，eduplan backup 会遗漏这些数据；请对集群每个节点分别备份（见 docs/scale.md）' });
}

/** Write a backup of the target to `file` (via a temporary name, so a failed backup leaves no partial file). */
export async function backupDatabase(target: BackupTarget, file: string): Promise<{ kind: BackupKind; bytes: number }> {
  const tmp = `${file}.partial-${process.pid}`;
  try {
    let kind: BackupKind;
    if (target.databaseUrl) {
      await refuseCitus(target.databaseUrl);
      await run(findTool('pg_dump', target.toolDirs), ['--format=custom', '--no-owner', '--no-privileges', `--file=${tmp}`, `--dbname=${target.databaseUrl}`]);
      kind = 'postgres';
    } else {
      // Takes the directory's lock: refused (E_DATA_DIR_LOCKED) while the server runs.
      const store = await openStore({ dataDir: target.dataDir, lockCommand: target.lockCommand ?? 'eduplan backup' });
      try {
        if (!store.dumpTemplate) throw new EduplanError('E_CONFIG', { detail: 'this store cannot be dumped' });
        await store.dumpTemplate(tmp);
      } finally {
        await store.close();
      }
      // The tarball holds the whole directory, this process's lock file included: left in, a
      // restored directory would look held by it.
      await writeFile(tmp, withoutLockFiles(await readFile(tmp)));
      kind = 'pglite';
    }
    await rename(tmp, file);
    return { kind, bytes: (await stat(file)).size };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function serverDatabaseIsEmpty(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema()`);
    return Number(r.rows[0]?.n ?? 0) === 0;
  } finally {
    await client.end();
  }
}

/** A directory holding nothing but, perhaps, a lock file left behind. */
function dirIsEmpty(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).filter((n) => n !== 'eduplan.lock').length === 0;
}

/**
 * Restore `file` into the target. Refuses a backup of the other backend, and a target that
 * holds data unless `replace`. Returns where a replaced PGlite directory was moved.
 */
export async function restoreDatabase(target: BackupTarget, file: string, opts: { replace?: boolean; now?: () => Date } = {}): Promise<{ kind: BackupKind; movedAside: string | null }> {
  const kind = await backupKindOf(file);
  if (kind === 'postgres') {
    if (!target.databaseUrl) throw new EduplanError('E_USAGE', { detail: 'this is a PostgreSQL dump: set DATABASE_URL to the database to restore into / 这是 PostgreSQL 备份，请设置 DATABASE_URL' });
    const empty = await serverDatabaseIsEmpty(target.databaseUrl);
    if (!empty && !opts.replace) throw new EduplanError('E_STATE', { detail: 'the database already holds tables; restore into an empty database, or give --replace to drop and replace what the backup holds / 目标数据库非空；请恢复到空库，或加 --replace 替换' });
    await run(findTool('pg_restore', target.toolDirs), ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', ...(empty ? [] : ['--clean', '--if-exists']), `--dbname=${target.databaseUrl}`, file]);
    return { kind, movedAside: null };
  }
  if (target.databaseUrl) throw new EduplanError('E_USAGE', { detail: 'this is a PGlite data-directory backup: unset DATABASE_URL and set EDUPLAN_DATA_DIR to restore it / 这是嵌入式数据库备份，请取消 DATABASE_URL 并设置 EDUPLAN_DATA_DIR' });
  const dir = target.dataDir;
  let movedAside: string | null = null;
  if (!dirIsEmpty(dir)) {
    if (!opts.replace) throw new EduplanError('E_STATE', { detail: `${dir} already holds a database; restore into an empty directory, or give --replace to move it aside / 数据目录非空；请恢复到空目录，或加 --replace（原目录将被移到一旁保留）` });
    // Open and close it first: takes the lock, so a running server refuses the replacement.
    const current = await openStore({ dataDir: dir, lockCommand: target.lockCommand ?? 'eduplan restore' });
    await current.close();
    movedAside = `${dir}.replaced-${(opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dir, movedAside);
  }
  const restored = await openStore({ dataDir: dir, restoreFrom: file, lockCommand: target.lockCommand ?? 'eduplan restore' });
  await restored.close();
  return { kind, movedAside };
}
