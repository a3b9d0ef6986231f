/**
 * Evidence and designation documents (佐证材料、认定文件): stored once per content (sha256),
 * cited by registry entries, entered target values, milestones and progress reports as
 * `{sha256, name, bytes}`. The public sees the citation (name and sha256), never the file.
 */
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { Kysely } from 'kysely';
import { EduplanError, type Problem } from '../../core/errors.ts';
import type { Database } from '../../store/schema.ts';
import { appendAudit } from '../audit.ts';

/** Largest document accepted (a scanned designation letter or report). */
export const MAX_PLAN_FILE_BYTES = 20 * 1024 * 1024;

/** The document types accepted, by extension (no executables, no HTML that a browser would run). */
export const planFileTypes: Readonly<Record<string, string>> = {
  '.pdf': 'application/pdf',
  '.ofd': 'application/ofd',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface FileRef {
  readonly sha256: string;
  readonly name: string;
  readonly bytes: number;
}

export const sha256Bytes = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A safe display name: the base name, without control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  return basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
}

/** Why a file is refused (type or size), or null. */
export function fileProblem(name: string, bytes: number): Problem | null {
  const ext = extname(name).toLowerCase();
  if (!planFileTypes[ext]) {
    return { file: name, rule: 'file_type', value: ext || name, message_zh: `不接受该类型的文件（可用：${Object.keys(planFileTypes).join(' ')}）`, message_en: `this file type is not accepted (allowed: ${Object.keys(planFileTypes).join(' ')})`, fix_zh: '另存为 PDF 或图片后上传', fix_en: 'Save it as PDF or an image and upload that' };
  }
  if (bytes > MAX_PLAN_FILE_BYTES) {
    return { file: name, rule: 'file_size', value: bytes, message_zh: `文件超过 ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MB`, message_en: `the file is larger than ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MB`, fix_zh: '压缩或拆分后上传', fix_en: 'Compress or split it' };
  }
  if (bytes === 0) return { file: name, rule: 'file_empty', message_zh: '文件为空', message_en: 'the file is empty', fix_zh: '上传有内容的文件', fix_en: 'Upload a file with content' };
  return null;
}

/**
 * Store a document (in the caller's transaction) and audit it; storing the same bytes again
 * changes nothing and returns the same reference.
 */
export async function storePlanFile(db: Kysely<Database>, at: Date, by: { actor: string; actorId: number | null; ip: string | null }, file: { name: string; content: Uint8Array }): Promise<FileRef> {
  const name = cleanFileName(file.name);
  const p = fileProblem(name, file.content.byteLength);
  if (p) throw new EduplanError(p.rule === 'file_size' ? 'E_IMPORT_TOO_LARGE' : p.rule === 'file_type' ? 'E_IMPORT_FILE_TYPE' : 'E_INPUT_INVALID', { problems: [p] });
  const sha256 = sha256Bytes(file.content);
  const exists = await db.selectFrom('plan_file').select(['sha256', 'name', 'bytes']).where('sha256', '=', sha256).executeTakeFirst();
  if (exists) return { sha256, name, bytes: exists.bytes };
  await db.insertInto('plan_file').values({ sha256, name, mime: planFileTypes[extname(name).toLowerCase()] ?? 'application/octet-stream', bytes: file.content.byteLength, content: file.content, stored_at: at, stored_by: by.actor }).execute();
  await appendAudit(db, at, { actorId: by.actorId, actor: by.actor, action: 'plan.file.store', outcome: 'success', objectType: 'plan_file', objectId: sha256, ip: by.ip, after: { name, bytes: file.content.byteLength } });
  return { sha256, name, bytes: file.content.byteLength };
}

/**
 * Store many documents at once (a folder import), in the caller's transaction: the new ones in
 * one statement per few, one audit record listing them. Returns how many were new.
 */
export async function storePlanFiles(db: Kysely<Database>, at: Date, by: { actor: string; actorId: number | null; ip: string | null }, files: ReadonlyArray<{ name: string; content: Uint8Array }>): Promise<number> {
  const bySha = new Map<string, { name: string; content: Uint8Array }>();
  for (const f of files) {
    const name = cleanFileName(f.name);
    const p = fileProblem(name, f.content.byteLength);
    if (p) throw new EduplanError(p.rule === 'file_size' ? 'E_IMPORT_TOO_LARGE' : p.rule === 'file_type' ? 'E_IMPORT_FILE_TYPE' : 'E_INPUT_INVALID', { problems: [p] });
    bySha.set(sha256Bytes(f.content), { name, content: f.content });
  }
  if (bySha.size === 0) return 0;
  const stored = new Set<string>();
  const shas = [...bySha.keys()];
  for (let i = 0; i < shas.length; i += 500) for (const r of await db.selectFrom('plan_file').select('sha256').where('sha256', 'in', shas.slice(i, i + 500)).execute()) stored.add(r.sha256);
  const fresh = [...bySha].filter(([sha]) => !stored.has(sha));
  for (let i = 0; i < fresh.length; i += 100) {
    await db.insertInto('plan_file').values(fresh.slice(i, i + 100).map(([sha256, f]) => ({ sha256, name: f.name, mime: planFileTypes[extname(f.name).toLowerCase()] ?? 'application/octet-stream', bytes: f.content.byteLength, content: f.content, stored_at: at, stored_by: by.actor }))).execute();
  }
  if (fresh.length > 0) {
    await appendAudit(db, at, { actorId: by.actorId, actor: by.actor, action: 'plan.file.store', outcome: 'success', objectType: 'plan_file', objectId: fresh.length === 1 ? (fresh[0] as [string, unknown])[0] : `${fresh.length} files`, ip: by.ip, after: { files: fresh.map(([sha256, f]) => ({ sha256, name: f.name, bytes: f.content.byteLength })) } });
  }
  return fresh.length;
}

/** The stored documents a request cites, in its order; every sha256 not stored is one problem. */
export async function citedFiles(db: Kysely<Database>, shas: readonly string[], path: string): Promise<FileRef[]> {
  if (shas.length === 0) return [];
  const rows = await db.selectFrom('plan_file').select(['sha256', 'name', 'bytes']).where('sha256', 'in', [...new Set(shas)]).execute();
  const by = new Map(rows.map((r) => [r.sha256, r]));
  const missing = shas.filter((s) => !by.has(s));
  if (missing.length > 0) {
    throw new EduplanError('E_INPUT_INVALID', { problems: missing.map((s) => ({ path, value: s, rule: 'file_stored', message_zh: `未找到 sha256 为 ${s} 的文件：请先上传`, message_en: `no stored file has sha256 ${s}: upload it first`, fix_zh: '先上传佐证材料（POST /api/workspace/plan-files），再引用其 sha256', fix_en: 'Upload the document first (POST /api/workspace/plan-files), then cite its sha256' })) });
  }
  return shas.map((s) => { const r = by.get(s) as { sha256: string; name: string; bytes: number }; return { sha256: r.sha256, name: r.name, bytes: r.bytes }; });
}

export async function readPlanFile(db: Kysely<Database>, sha256: string): Promise<{ name: string; mime: string; content: Uint8Array } | null> {
  const r = await db.selectFrom('plan_file').select(['name', 'mime', 'content']).where('sha256', '=', sha256).executeTakeFirst();
  return r ? { name: r.name, mime: r.mime, content: r.content } : null;
}
