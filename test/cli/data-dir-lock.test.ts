/**
 * One writer per PGlite data directory, with real processes (`node bin/eduplan.js …`):
 * beside a running server, `eduplan accounts list` exits non-zero naming the server and
 * changes nothing (it would otherwise append an audit event); once the server has stopped it
 * works; and a lock left by a process that died (kill -9) does not block the next command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.ts';
import { LOCK_FILE_NAME } from '../../src/store/data-dir-lock.ts';

const bin = fileURLToPath(new URL('../../bin/eduplan.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'eduplan-lock-cli-'));
const dataDir = join(root, 'data');
const webDir = join(root, 'web'); // empty: the server serves the API and does not build the portal
mkdirSync(webDir);

/** A clean environment: nothing from the test runner's (no DATABASE_URL), production mode, any free port. */
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH, TZ: 'Asia/Shanghai', EDUPLAN_DATA_DIR: dataDir, EDUPLAN_DEMO: '0',
  EDUPLAN_PSEUDONYM_KEY: 'lock-test-key-0123456789', EDUPLAN_AUDIT_KEY: 'lock-test-audit-key-0123456789', EDUPLAN_TOTP_KEY: 'lock-test-totp-key-0123456789',
  EDUPLAN_WEB_DIR: webDir, PORT: '0', HOST: '127.0.0.1',
};

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    p.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    p.once('error', reject);
    p.once('close', (code) => resolve({ code, out, err }));
  });
}

/** `eduplan start`, resolved once it says it is up. */
function startServer(): Promise<{ proc: ChildProcess; log: () => string; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [bin, 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    proc.stdout?.on('data', (c: Buffer) => { log += c.toString('utf8'); });
    proc.stderr?.on('data', (c: Buffer) => {
      log += c.toString('utf8');
      if (log.includes('eduplan is up')) resolve({ proc, log: () => log, exited });
    });
    void exited.then((code) => reject(new Error(`eduplan start exited (${code}) before it was up:\n${log}`)));
  });
}

async function auditCount(action: string): Promise<number> {
  const store = await openStore({ dataDir, lockCommand: 'test: count audit events' });
  try {
    return (await store.db.selectFrom('audit_event').select('seq').where('action', '=', action).execute()).length;
  } finally {
    await store.close();
  }
}

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('one process per PGlite data directory', () => {
  it('refuses a CLI command beside the running server, naming it; the command works once the server stops', async () => {
    const server = await startServer();
    servers.push(server.proc);
    const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')) as { pid: number; command: string };
    expect(lock).toMatchObject({ pid: server.proc.pid, command: 'eduplan start' });

    const refused = await run(['accounts', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('E_DATA_DIR_LOCKED');
    expect(refused.err).toContain('数据目录正被另一个 eduplan 进程使用');
    expect(refused.err).toContain(`pid=${server.proc.pid} command="eduplan start"`);
    expect(refused.err).toContain(`进程 ${server.proc.pid}（eduplan start）`);
    expect(refused.err).toContain(`process ${server.proc.pid} (eduplan start) has been using this data directory`);
    expect(refused.err).toContain('DATABASE_URL'); // what to do instead
    expect(refused.err).not.toContain('log:');

    server.proc.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    // The refused command wrote nothing: `accounts list` audits every run.
    expect(await auditCount('account.list')).toBe(0);

    const after = await run(['accounts', 'list', '--json']);
    expect(after.code, after.err).toBe(0);
    expect(JSON.parse(after.out)).toEqual([]);
    expect(await auditCount('account.list')).toBe(1);
  }, 300_000);

  it('takes over the lock of a server killed with kill -9, and the data opens', async () => {
    const server = await startServer();
    servers.push(server.proc);
    server.proc.kill('SIGKILL');
    await server.exited;
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ pid: server.proc.pid });

    const r = await run(['accounts', 'list', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    expect(await auditCount('account.list')).toBe(2);
  }, 300_000);
});
