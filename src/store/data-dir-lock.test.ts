/**
 * The data directory's lock in one process: the holder is named to whoever is refused,
 * release frees it, and a lock left by a dead process (or by a pid since reused) is taken over.
 * test/cli/data-dir-lock.test.ts runs the same with real processes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EduplanError } from '../core/errors.ts';
import { LOCK_FILE_NAME, lockDataDir, processStartTime, type LockHolder } from './data-dir-lock.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'eduplan-lock-'));
const clock = (): Date => new Date('2025-03-01T08:00:00Z');

function refusal(fn: () => unknown): EduplanError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EduplanError);
    expect((err as EduplanError).code).toBe('E_DATA_DIR_LOCKED');
    return err as EduplanError;
  }
  throw new Error('expected E_DATA_DIR_LOCKED');
}

function holder(over: Partial<LockHolder>): LockHolder {
  return { pid: process.pid, command: 'eduplan start', since: '2025-01-01T00:00:00.000Z', host: hostname(), processStart: processStartTime(process.pid), token: 'feedface', ...over };
}

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  if (r.pid === undefined) throw new Error('could not start a child process');
  return r.pid;
}

describe('lockDataDir', () => {
  it('refuses a second holder, naming the first (pid, command, since), and leaves its lock alone', () => {
    const dir = tmp();
    const lock = lockDataDir(dir, 'eduplan start', clock);
    const file = join(dir, LOCK_FILE_NAME);
    const before = readFileSync(file, 'utf8');
    expect(JSON.parse(before)).toMatchObject({ pid: process.pid, command: 'eduplan start', since: '2025-03-01T08:00:00.000Z', host: hostname() });
    const e = refusal(() => lockDataDir(dir, 'eduplan accounts list'));
    expect(e.detail).toBe(`pid=${process.pid} command="eduplan start" since=2025-03-01T08:00:00.000Z`);
    expect(e.problems).toEqual([{
      file, rule: 'one_process_per_data_dir',
      message_zh: `进程 ${process.pid}（eduplan start）自 2025-03-01T08:00:00.000Z 起正在使用该数据目录`,
      message_en: `process ${process.pid} (eduplan start) has been using this data directory since 2025-03-01T08:00:00.000Z`,
    }]);
    expect(readFileSync(file, 'utf8')).toBe(before);
    lock.release();
  });

  it('is free again once released (release is idempotent)', () => {
    const dir = tmp();
    const a = lockDataDir(dir, 'first');
    a.release();
    a.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
    const b = lockDataDir(dir, 'second');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ command: 'second' });
    b.release();
  });

  it('takes over the lock of a process that died without releasing it', () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify(holder({ pid: deadPid(), command: 'eduplan fitness import', processStart: null })));
    const lock = lockDataDir(dir, 'eduplan accounts list');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ pid: process.pid, command: 'eduplan accounts list' });
    lock.release();
  });

  it.runIf(processStartTime(process.pid) !== null)('takes over a lock whose pid now belongs to a younger process (pid reuse)', () => {
    const dir = tmp();
    // This process's pid, but a start time that is not this process's: the recorded holder is gone.
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify(holder({ processStart: '1' })));
    const lock = lockDataDir(dir, 'eduplan audit verify');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ command: 'eduplan audit verify' });
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE_NAME), 'not json');
    lockDataDir(dir, 'eduplan org list').release();
  });

  it('respects a holder on another host, saying which file to delete if it is gone', () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify(holder({ pid: deadPid(), host: `not-${hostname()}` })));
    const e = refusal(() => lockDataDir(dir, 'eduplan accounts list'));
    expect(e.detail).toContain(`host=not-${hostname()}`);
    expect(e.problems[0]?.fix_en).toBe(`if that process no longer runs, delete the lock file ${join(dir, LOCK_FILE_NAME)}`);
    expect(e.problems[0]?.fix_zh).toContain(join(dir, LOCK_FILE_NAME));
  });

  it('release leaves alone a lock that is no longer this holder’s', () => {
    const dir = tmp();
    const a = lockDataDir(dir, 'first');
    const other = JSON.stringify(holder({ token: 'another-holder' }));
    writeFileSync(join(dir, LOCK_FILE_NAME), other);
    a.release();
    expect(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).toBe(other);
  });
});
