/**
 * One process per embedded database (数据目录独占锁). PGlite is PostgreSQL in one process with
 * no shared memory or postmaster to arbitrate: two processes that open the same data
 * directory each believe they own it, and their writes overwrite each other's pages (a CLI
 * command run beside the server lost its audit events and once left a directory neither could
 * open). So whoever opens a data directory first takes `eduplan.lock` in it, and every other
 * process is refused with E_DATA_DIR_LOCKED naming the holder — before touching a file.
 *
 * The lock file is created with an exclusive link (all or nothing: it always holds a whole
 * record) and holds the holder's pid, command, start time and host. A holder that died
 * without releasing (kill -9, power loss) must not block forever: a lock whose pid is gone,
 * or whose pid now belongs to a younger process (pid reuse, told by the process start time in
 * /proc on Linux), is stale and taken over. A holder on another host cannot be checked from
 * here and is respected; the message says which file to delete if that process is gone.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { EduplanError } from '../core/errors.ts';

export const LOCK_FILE_NAME = 'eduplan.lock';

export interface LockHolder {
  readonly pid: number;
  /** What the holder runs, e.g. `eduplan start`. */
  readonly command: string;
  /** When it took the lock (ISO 8601). */
  readonly since: string;
  readonly host: string;
  /** The process's start time in clock ticks since boot (Linux /proc/<pid>/stat field 22); null elsewhere. */
  readonly processStart: string | null;
  /** Tells this holder's lock from a later one of the same process. */
  readonly token: string;
}

export interface DataDirLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Remove the lock if it is still this holder's. Idempotent. */
  release(): void;
}

/** Field 22 (starttime) of /proc/<pid>/stat, or null where there is no /proc. */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[19] ?? null; // fields 3… start at index 0, so field 22 is index 19
}

function readHolder(file: string): { raw: string; holder: LockHolder | null } | 'missing' {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  try {
    const h = JSON.parse(raw) as Partial<LockHolder>;
    const ok = typeof h.pid === 'number' && typeof h.command === 'string' && typeof h.since === 'string' && typeof h.host === 'string' && typeof h.token === 'string';
    return { raw, holder: ok ? (h as LockHolder) : null };
  } catch {
    return { raw, holder: null };
  }
}

/** Whether the holder may still be running. A holder on another host is assumed to be. */
export function holderAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (h.processStart === null) return true;
  const now = processStartTime(h.pid);
  return now === null || now === h.processStart;
}

function lockedError(file: string, h: LockHolder): EduplanError {
  const remote = h.host !== hostname();
  return new EduplanError('E_DATA_DIR_LOCKED', {
    detail: `pid=${h.pid} command="${h.command}" since=${h.since}${remote ? ` host=${h.host}` : ''}`,
    problems: [{
      file, rule: 'one_process_per_data_dir',
      message_zh: `进程 ${h.pid}（${h.command}）自 ${h.since} 起正在使用该数据目录${remote ? `（在主机 ${h.host} 上，本机无法确认其是否仍在运行）` : ''}`,
      message_en: `process ${h.pid} (${h.command}) has been using this data directory since ${h.since}${remote ? ` (on host ${h.host}, which this machine cannot check)` : ''}`,
      ...(remote ? {
        fix_zh: `若该进程确已不在运行，删除锁文件 ${file}`,
        fix_en: `if that process no longer runs, delete the lock file ${file}`,
      } : {}),
    }],
  });
}

/**
 * Take the data directory's lock for this process, or throw E_DATA_DIR_LOCKED naming the
 * holder. `command` says what this process runs (shown to whoever is refused).
 */
export function lockDataDir(dir: string, command: string, clock: () => Date = () => new Date()): DataDirLock {
  const file = join(dir, LOCK_FILE_NAME);
  const holder: LockHolder = {
    pid: process.pid, command, since: clock().toISOString(), host: hostname(),
    processStart: processStartTime(process.pid), token: randomBytes(8).toString('hex'),
  };
  const record = `${JSON.stringify(holder)}\n`;
  // Three rounds: a stale lock removed in one round is taken in the next; a lock that keeps
  // coming back belongs to a process starting at the same moment, which then won.
  for (let round = 0; round < 3; round++) {
    if (createExclusive(file, record)) return handle(file, holder);
    const current = readHolder(file);
    if (current === 'missing') continue;
    if (current.holder !== null && holderAlive(current.holder)) throw lockedError(file, current.holder);
    removeIfUnchanged(file, current.raw);
  }
  const last = readHolder(file);
  if (last !== 'missing' && last.holder !== null) throw lockedError(file, last.holder);
  throw new EduplanError('E_DATA_DIR_LOCKED', { detail: `could not take ${file} / 无法获取锁文件 ${file}` });
}

/** Create `file` holding `record`, failing (false) when it exists: a whole file or none. */
function createExclusive(file: string, record: string): boolean {
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, record, { mode: 0o644 });
  try {
    linkSync(draft, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Remove a stale lock only if it is still the one judged stale: another process may have
 * taken it over in between, and its fresh lock must stay. (Between this read and the unlink
 * there remains a window of a few microseconds; two processes would both have to be
 * recovering the same stale lock within it.)
 */
function removeIfUnchanged(file: string, judged: string): void {
  const now = readHolder(file);
  if (now === 'missing' || now.raw !== judged) return;
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function handle(file: string, holder: LockHolder): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const current = readHolder(file);
    if (current !== 'missing' && current.holder?.token === holder.token) {
      try { unlinkSync(file); } catch { /* already gone */ }
    }
  };
  // A process that ends without closing its store (an uncaught error) still frees the directory.
  process.on('exit', release);
  return { file, holder, release };
}

/** What this process runs, for the lock record when the caller does not say. */
export function defaultLockCommand(): string {
  const script = process.argv[1];
  return script ? `node ${basename(script)} ${process.argv.slice(2).join(' ')}`.trim() : 'node';
}
