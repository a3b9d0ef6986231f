/**
 * Registries through spreadsheets (名录模板与上传): the xlsx template of a registry with the
 * entries the caller keeps, and the upload of a filled one — the same validation as the folder
 * import's registry-<id>.csv, all-or-nothing, every bad cell located. The city's upload replaces
 * the registry and is approved; a district's replaces its district's entries and awaits the
 * city's approval.
 */
import { EduplanError, type Problem } from '../../core/errors.ts';
import { registryFileName } from '../../core/plan/registry.ts';
import { readRegistryWorkbook } from '../../ingest/registry-workbook.ts';
import { buildRegistryTemplate } from '../../reports/registry-template.ts';
import type { Caller, ServiceDeps } from '../deps.ts';
import { isSystem } from '../deps.ts';
import { actorRef, cityCodeOf, mayAt, requireAt } from './access.ts';
import { readTopUnits } from '../org-tree.ts';
import { planContext, registryOrThrow, storedOrgLookup } from './context.ts';
import { sha256Bytes, type FileRef } from './files.ts';
import { listEntries, parseRegistryRows, replaceRegistryEntries, type ReplaceResult } from './registries.ts';

export async function registryTemplate(deps: ServiceDeps, caller: Caller, registryId: string): Promise<{ bytes: Buffer; fileName: string }> {
  const registry = registryOrThrow(await planContext(deps.store), registryId);
  const entries = await listEntries(deps, caller, registryId);
  const bytes = await buildRegistryTemplate({ registry, entries: entries.map((e) => ({ entry_code: e.entry_code, fields: e.fields, document_sha256: e.document?.sha256 ?? null })), now: deps.clock() });
  return { bytes, fileName: registryFileName(registryId).replace(/\.csv$/, '.xlsx') };
}

/** The district a district user's upload replaces: the one district it keeps entries for. */
async function uploadScope(deps: ServiceDeps, caller: Caller, registryId: string, maintainer: 'city' | 'district'): Promise<string | null> {
  const db = deps.store.db;
  const city = await cityCodeOf(db);
  if (isSystem(caller) || (await mayAt(db, caller, 'registry.edit', city))) return null;
  const districts = city === '' ? [] : (await readTopUnits(db, city)).map((d) => d.code);
  const mine: string[] = [];
  for (const d of districts) if (await mayAt(db, caller, 'registry.edit', d)) mine.push(d);
  if (maintainer === 'city' || mine.length !== 1) await requireAt(deps, caller, 'registry.edit', city, { type: 'registry', id: registryId });
  return mine[0] ?? null;
}

export async function uploadRegistryWorkbook(deps: ServiceDeps, caller: Caller, registryId: string, bytes: Buffer, fileName: string): Promise<ReplaceResult & { entries: number; state: 'approved' | 'submitted' }> {
  const ctx = await planContext(deps.store);
  const registry = registryOrThrow(ctx, registryId);
  const district = await uploadScope(deps, caller, registryId, registry.maintainer);
  const wb = await readRegistryWorkbook(bytes, fileName, registry);
  const problems: Problem[] = [...wb.problems];
  const shas = [...new Set(wb.rows.map((r) => r.cells.document_sha256 ?? '').filter((s) => s !== ''))];
  const stored = new Map<string, FileRef>();
  if (shas.length > 0) for (const f of await deps.store.db.selectFrom('plan_file').select(['sha256', 'name', 'bytes']).where('sha256', 'in', shas).execute()) stored.set(f.sha256, f);
  const rows = wb.rows.map((r) => {
    const sha = r.cells.document_sha256 ?? '';
    const doc = sha === '' ? null : stored.get(sha) ?? null;
    const documentProblem: Problem | null = sha !== '' && doc === null
      ? { file: fileName, row: r.row, column: 'document_sha256', value: sha, rule: 'document_missing', message_zh: '未找到该 sha256 的文件：请先在工作台上传认定文件', message_en: 'no stored file has this sha256: upload the document in the workspace first' }
      : null;
    return { row: r.row, cells: r.cells, document: doc, documentProblem };
  });
  const parsed = parseRegistryRows(registry, rows, await storedOrgLookup(deps.store), { file: fileName, district });
  problems.push(...parsed.problems);
  if (problems.length > 0) throw new EduplanError('E_IMPORT_INVALID', { problems, detail: `${problems.length} problem(s) in ${fileName}` });
  const approved = await mayAt(deps.store.db, caller, 'plan.review', await cityCodeOf(deps.store.db));
  const now = deps.clock();
  const result = await deps.store.transaction((tx) => replaceRegistryEntries(tx.db, now, actorRef(caller), registry, parsed.rows, { approved, source: 'xlsx', district, file: fileName, sha256: sha256Bytes(bytes) }));
  return { ...result, entries: parsed.rows.length, state: approved ? 'approved' : 'submitted' };
}
