/**
 * `eduplan backup <file>` and `eduplan restore <file> [--replace]`: the database the
 * configuration names (DATABASE_URL, or the PGlite directory EDUPLAN_DATA_DIR), with
 * pg_dump/pg_restore for a server and PGlite's data-directory tarball for the embedded one
 * (store/backup.ts says why the embedded one needs the server stopped). The use cases are
 * services/backup.ts; after a restore the audit chain is verified and reported.
 */
import { resolve } from 'node:path';
import { EduplanError } from '../../core/errors.ts';
import { backup as backupDatabase, restore as restoreDatabase } from '../../services/backup.ts';
import { printJson, reportError } from '../io.ts';
import { defineCommand } from '../spec.ts';

export const backup = defineCommand({
  positionals: [{ name: 'file', required: true, zh: '备份文件路径（已存在则覆盖）', en: 'the backup file (replaced if it exists)' }],
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
  notes: [
    { zh: 'PostgreSQL（DATABASE_URL）：pg_dump 一致性快照，服务器可照常运行。', en: 'PostgreSQL (DATABASE_URL): a consistent pg_dump snapshot while the server keeps running.' },
    { zh: '嵌入式数据库（PGlite）：须先停止服务器（数据目录由其独占）。', en: 'Embedded database (PGlite): stop the server first (it holds the data directory).' },
    { zh: '假名密钥（EDUPLAN_PSEUDONYM_KEY 或 .eduplan/pseudonym.key）不在备份中，须另行妥善保管。', en: 'The pseudonym key (EDUPLAN_PSEUDONYM_KEY or .eduplan/pseudonym.key) is not in the backup: keep it safe separately.' },
  ],
}, async ({ positionals: { file }, values }, ctx) => {
  const t0 = performance.now();
  const r = await backupDatabase({ databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, lockCommand: `eduplan ${ctx.name}`, toolDirs: ctx.config.toolDirs }, resolve(file));
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (values.json) printJson(ctx.io, { file: resolve(file), kind: r.kind, bytes: r.bytes, seconds: Number(s) });
  else ctx.io.stdout.write(`已备份（${r.kind === 'postgres' ? 'pg_dump' : 'PGlite 数据目录'}，${r.bytes} 字节，${s} 秒）：${resolve(file)} / backed up (${r.kind === 'postgres' ? 'pg_dump' : 'PGlite data directory'}, ${r.bytes} bytes, ${s} s) to ${resolve(file)}\n`);
  return 0;
});

export const restore = defineCommand({
  positionals: [{ name: 'file', required: true, zh: 'eduplan backup 写出的备份文件', en: 'a file written by eduplan backup' }],
  options: {
    replace: { type: 'boolean', zh: '目标已有数据时替换之（PGlite 原目录移到一旁保留；PostgreSQL 逐个删除后恢复）', en: 'replace a target that holds data (a PGlite directory is moved aside and kept; PostgreSQL objects are dropped and restored)' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
  notes: [{ zh: '恢复后校验审计日志哈希链；断裂时退出码为 1。', en: 'After restoring, verifies the audit hash chain; exits 1 if it is broken.' }],
}, async ({ positionals: { file }, values }, ctx) => {
  const target = { databaseUrl: ctx.config.databaseUrl, dataDir: ctx.config.dataDir, lockCommand: `eduplan ${ctx.name}`, toolDirs: ctx.config.toolDirs };
  const r = await restoreDatabase(target, resolve(file), { replace: values.replace === true });
  const { audit } = r;
  if (values.json) printJson(ctx.io, { kind: r.kind, movedAside: r.movedAside, audit: { ok: audit.ok, events: audit.events, firstBreak: audit.firstBreak?.seq ?? null } });
  else {
    if (r.movedAside) ctx.io.stdout.write(`原数据目录已移到 ${r.movedAside} / the previous data directory was moved to ${r.movedAside}\n`);
    ctx.io.stdout.write(`已恢复 / restored from ${resolve(file)}; 审计日志 ${audit.ok ? '完整' : '断裂'} / audit log ${audit.ok ? 'intact' : 'broken'}: ${audit.events} events\n`);
  }
  if (audit.ok) return 0;
  return reportError(ctx.io, new EduplanError('E_AUDIT_BROKEN', { detail: `first broken link #${audit.firstBreak?.seq} / 第一个断点 #${audit.firstBreak?.seq}` }));
});
