/**
 * Start errors an operator can act on say which: a data directory on a read-only file
 * system or without write permission is E_CONFIG naming the directory, a full disk is E_DB
 * naming it — not "cannot open database: [object Object]", which is what PGlite's
 * file-system errors (Emscripten `ErrnoError {errno}` objects, no message) used to give.
 * Measured by hand on tmpfs mounts (a 8 MiB one filled by initdb; one remounted read-only):
 * the same messages as below, from a real open.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { openFailure, openStore } from '../../src/store/store.ts';
import { DatabaseError } from '../../src/store/database-error.ts';

const errno = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

describe('a data directory the process cannot write', () => {
  const root = mkdtempSync(join(tmpdir(), 'eduplan-open-errors-'));
  afterAll(() => { chmodSync(root, 0o700); rmSync(root, { recursive: true, force: true }); });

  it('read-only file system (from Node and from PGlite\'s worker): E_CONFIG naming the directory', () => {
    for (const cause of [errno('EROFS', "EROFS: read-only file system, open '/srv/data/eduplan.lock'"), new DatabaseError('PGlite file system error: EROFS: read-only file system', null, null)]) {
      const e = openFailure('/srv/data', cause);
      expect(e.code).toBe('E_CONFIG');
      expect(e.detail).toContain('/srv/data');
      expect(e.detail).toContain('read-only file system');
      expect(e.detail).toContain('只读文件系统');
    }
  });

  it('full disk: E_DB naming the directory and saying the disk is full', () => {
    const e = openFailure('/srv/data', new DatabaseError('PGlite file system error: ENOSPC: no space left on device', null, null));
    expect(e.code).toBe('E_DB');
    expect(e.detail).toContain('/srv/data');
    expect(e.detail).toContain('is full');
    expect(e.detail).toContain('磁盘已满');
  });

  it('no permission (EACCES or EPERM): E_CONFIG naming the directory; another failure stays E_DB with its message', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const e = openFailure('/srv/data', errno(code, `${code}: permission denied, mkdir '/srv/data'`));
      expect(e.code).toBe('E_CONFIG');
      expect(e.detail).toContain('no permission to write the data directory /srv/data');
    }
    const other = openFailure('/srv/data', new Error('relation "x" does not exist'));
    expect(other.code).toBe('E_DB');
    expect(other.detail).toContain('relation "x" does not exist');
  });

  // Root ignores file permissions, so this one runs only as an ordinary user (as CI does).
  it.skipIf(process.getuid?.() === 0)('a real open under a directory without write permission', async () => {
    const parent = join(root, 'locked');
    mkdirSync(parent);
    chmodSync(parent, 0o500);
    const err = await openStore({ dataDir: join(parent, 'data') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    expect((err as EduplanError).code).toBe('E_CONFIG');
    expect((err as EduplanError).detail).toContain(join(parent, 'data'));
  });
});
