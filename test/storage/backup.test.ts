/**
 * Backup and restore round trips (store/backup.ts, `eduplan backup` / `eduplan restore`): on
 * PGlite (a data directory, server stopped) and on a PostgreSQL server (pg_dump/pg_restore,
 * when EDUPLAN_TEST_PG_URL is set). Every table of the restored database equals the original
 * row for row, and the audit hash chain verifies after the restore. A restore refuses a
 * non-empty target unless --replace, and a backup of the other backend; a PGlite backup is
 * refused while another process (the server) holds the directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { auditAlone, verifyAudit } from '../../src/services/audit.ts';
import { login } from '../../src/services/auth.ts';
import { backupDatabase, restoreDatabase } from '../../src/store/backup.ts';
import type { Database } from '../../src/store/schema.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { FAST_SCRYPT, fakeClock, PASSWORD, seedAccounts, seedOrgs } from '../http/submissions.fixture.ts';
import { createScratchDatabase } from '../helpers/scratch-db.ts';
import { defaultAuthPolicy } from '../../src/services/auth.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const clock = fakeClock('2024-09-20T02:00:00Z');

/** Accounts, org units, sign-ins (success and failure) and other audit events: rows in many tables. */
async function fill(store: Store): Promise<void> {
  await seedOrgs(store);
  await seedAccounts(store, clock.now);
  const deps = { store, clock: clock.fn, policy: { ...defaultAuthPolicy, scrypt: FAST_SCRYPT } };
  await login(deps, { username: 'school_a1', password: PASSWORD, ip: '198.51.100.1' });
  await login(deps, { username: 'school_a2', password: 'wrong', ip: '198.51.100.2' }).catch(() => undefined);
  for (let i = 0; i < 5; i++) await auditAlone(store, clock.now, { actorId: null, actor: 'test', action: 'test.event', outcome: 'success', after: { i, text: '天津' } });
}

/** Every table of the schema, each as its rows in a canonical order. */
async function snapshot(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(db);
  const out: Record<string, string[]> = {};
  for (const { tablename } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(tablename)}`.execute(db);
    out[tablename] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

async function expectSameAndIntact(a: Store, b: Store): Promise<void> {
  const before = await snapshot(a.db);
  const after = await snapshot(b.db);
  expect(Object.keys(after)).toEqual(Object.keys(before));
  expect(Object.keys(before).length).toBeGreaterThan(20);
  for (const t of Object.keys(before)) expect(after[t], t).toEqual(before[t]);
  expect((before.audit_event ?? []).length).toBeGreaterThan(5);
  const audit = await verifyAudit(b.db);
  expect(audit.ok).toBe(true);
  expect(audit.events).toBe((before.audit_event ?? []).length);
}

describe('backup and restore on PGlite', () => {
  it('round trip: every table equal, audit chain intact; refusals for a held directory, a full target and the wrong backend', async () => {
    const src = join(root, 'src-data');
    const store = await openStore({ dataDir: src });
    await fill(store);
    // The server holds the directory: a backup from another opener is refused, nothing written.
    const file = join(root, 'pglite.backup');
    await expect(backupDatabase({ databaseUrl: undefined, dataDir: src }, file)).rejects.toMatchObject({ code: 'E_DATA_DIR_LOCKED' });
    expect(existsSync(file)).toBe(false);
    await store.close();

    const r = await backupDatabase({ databaseUrl: undefined, dataDir: src }, file);
    expect(r.kind).toBe('pglite');
    const dst = join(root, 'dst-data');
    expect((await restoreDatabase({ databaseUrl: undefined, dataDir: dst }, file)).movedAside).toBeNull();
    const a = await openStore({ dataDir: src });
    const b = await openStore({ dataDir: dst });
    try {
      await expectSameAndIntact(a, b);
      await auditAlone(b, clock.now, { actorId: null, actor: 'test', action: 'after.restore', outcome: 'success' });
    } finally {
      await a.close();
      await b.close();
    }
    // The target now holds data: refused without --replace; with it, moved aside and kept.
    await expect(restoreDatabase({ databaseUrl: undefined, dataDir: dst }, file)).rejects.toMatchObject({ code: 'E_STATE' });
    const again = await restoreDatabase({ databaseUrl: undefined, dataDir: dst }, file, { replace: true, now: () => new Date('2025-01-02T03:04:05Z') });
    expect(again.movedAside).toBe(`${dst}.replaced-2025-01-02T03-04-05-000Z`);
    expect(readdirSync(again.movedAside as string).length).toBeGreaterThan(0);
    const c = await openStore({ dataDir: dst });
    try {
      const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event WHERE action = 'after.restore'`.execute(c.db);
      expect(events.rows[0]?.n).toBe(0); // the event written after the first restore is not in the backup
    } finally { await c.close(); }
    // A PGlite backup cannot go into a server database.
    await expect(restoreDatabase({ databaseUrl: 'postgres://127.0.0.1:1/none', dataDir: dst }, file)).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('the commands: eduplan backup, then eduplan restore into a new directory (exit 0, audit chain reported intact)', async () => {
    const bin = fileURLToPath(new URL('../../bin/eduplan.js', import.meta.url));
    const data = join(root, 'cli-data');
    const s = await openStore({ dataDir: data });
    await fill(s);
    await s.close();
    const run = (args: string[], dataDir: string): Promise<{ code: number | null; out: string; err: string }> => new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env.PATH, TZ: 'Asia/Shanghai', EDUPLAN_DATA_DIR: dataDir, EDUPLAN_DEMO: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
      p.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
      p.once('error', reject);
      p.once('close', (code) => resolve({ code, out, err }));
    });
    const file = join(root, 'cli.backup');
    const b = await run(['backup', file, '--json'], data);
    expect(b.code, b.err).toBe(0);
    expect(JSON.parse(b.out)).toMatchObject({ kind: 'pglite' });
    const r = await run(['restore', file, '--json'], join(root, 'cli-restored'));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ kind: 'pglite', movedAside: null, audit: { ok: true } });
  });
});

const pgUrl = process.env.EDUPLAN_TEST_PG_URL;
describe.skipIf(!pgUrl)('backup and restore on PostgreSQL (pg_dump / pg_restore)', () => {
  it('round trip into an empty database: every table equal, audit chain intact; a full target needs --replace', async () => {
    const srcDb = await createScratchDatabase(pgUrl as string, 'eduplan_backup_src');
    const dstDb = await createScratchDatabase(pgUrl as string, 'eduplan_backup_dst');
    const a = await openStore({ databaseUrl: srcDb.url });
    let b: Store | null = null;
    try {
      await fill(a);
      const file = join(root, 'pg.backup');
      // Taken while the source is open and in use, as beside a running server.
      expect((await backupDatabase({ databaseUrl: srcDb.url, dataDir: root }, file)).kind).toBe('postgres');
      await restoreDatabase({ databaseUrl: dstDb.url, dataDir: root }, file);
      b = await openStore({ databaseUrl: dstDb.url });
      await expectSameAndIntact(a, b);
      await expect(restoreDatabase({ databaseUrl: dstDb.url, dataDir: root }, file)).rejects.toMatchObject({ code: 'E_STATE' });
      await b.close();
      b = null;
      await restoreDatabase({ databaseUrl: dstDb.url, dataDir: root }, file, { replace: true });
      b = await openStore({ databaseUrl: dstDb.url });
      await expectSameAndIntact(a, b);
      // A server dump cannot go into a PGlite directory.
      await expect(restoreDatabase({ databaseUrl: undefined, dataDir: join(root, 'nope') }, file)).rejects.toMatchObject({ code: 'E_USAGE' });
    } finally {
      await b?.close();
      await a.close();
      await srcDb.drop();
      await dstDb.drop();
    }
  });
});
