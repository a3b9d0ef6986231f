/**
 * Registries (名录): the designated things the plan's count targets count, kept as data. One
 * table holds every registry's entries; each entry's fields are validated by the registry's
 * schema from the plan files (src/core/plan/registry.ts), every bad field reported.
 *
 * Who: a city-kept registry is edited by the city; a district-kept one by each district for
 * the entries of its district (its `scope_field` places an entry), and the city approves them
 * — as it approves schools' forms. An entry counts once approved; the city's own edits and its
 * folder imports are approved as they are made. Every change is in the audit chain.
 */
import type { Kysely } from 'kysely';
import { EduplanError, type Problem } from '../../core/errors.ts';
import { targetsOfRegistry } from '../../core/plan-execution/targets.ts';
import { entryCodeSchema, entryDistrict, parseEntry, registryFileName, type EntryIssue, type EntryPayload, type OrgLookup, type Registry } from '../../core/plan/registry.ts';
import type { EntryRow, RegistryInfo, SaveEntryRequest } from '../../contract/plan-execution.ts';
import type { Database } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { appendAudit } from '../audit.ts';
import { isSystem, type Caller, type ServiceDeps } from '../deps.ts';
import { actorRef, cityCodeOf, mayAt, requireAt, type ActorRef } from './access.ts';
import { readTopUnits } from '../org-tree.ts';
import { planContext, registryOrThrow, storedOrgLookup } from './context.ts';
import { citedFiles, type FileRef } from './files.ts';

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export async function registryInfos(store: Store): Promise<RegistryInfo[]> {
  const ctx = await planContext(store);
  const counts = await store.db.selectFrom('registry_entry').select(['registry', 'state']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy(['registry', 'state']).execute();
  return ctx.plan.registries.map((r): RegistryInfo => {
    const n = (state: string): number => Number(counts.find((c) => c.registry === r.id && c.state === state)?.n ?? 0);
    return {
      id: r.id, name_zh: r.name_zh, name_en: r.name_en, description_zh: r.description_zh ?? null, description_en: r.description_en ?? null,
      maintainer: r.maintainer, document: r.document, file: registryFileName(r.id),
      fields: r.fields.map((f) => ({ key: f.key, type: f.type, label_zh: f.label_zh, label_en: f.label_en, required: f.required === true, ...(f.type === 'choice' ? { choices: f.choices.map((c) => ({ ...c })) } : {}) })),
      targets: targetsOfRegistry(ctx.targets, r.id).map((t) => t.id),
      entries: { approved: n('approved'), submitted: n('submitted'), returned: n('returned') },
    };
  });
}

type EntryDb = Awaited<ReturnType<typeof entryRowsDb>>[number];
function entryRowsDb(db: Kysely<Database>, registry: string, where: { code?: string; state?: string | undefined; districts?: readonly string[] | null } = {}) {
  let q = db.selectFrom('registry_entry as e').leftJoin('plan_file as f', 'f.sha256', 'e.document_sha256')
    .select(['e.registry', 'e.entry_code', 'e.district_code', 'e.payload', 'e.document_sha256', 'f.name as document_name', 'f.bytes as document_bytes', 'e.state', 'e.reason', 'e.version', 'e.source', 'e.updated_at', 'e.updated_by', 'e.approved_at', 'e.approved_by'])
    .where('e.registry', '=', registry);
  if (where.code !== undefined) q = q.where('e.entry_code', '=', where.code);
  if (where.state !== undefined) q = q.where('e.state', '=', where.state as 'approved');
  if (where.districts !== undefined && where.districts !== null) {
    const ds = [...where.districts];
    q = q.where((eb) => (ds.length > 0 ? eb.or([eb('e.district_code', 'in', ds), eb('e.district_code', 'is', null)]) : eb('e.district_code', 'is', null)));
  }
  return q.orderBy('e.entry_code').execute();
}
const toEntry = (r: EntryDb): EntryRow => ({
  registry: r.registry, entry_code: r.entry_code, district_code: r.district_code, fields: json<EntryPayload>(r.payload) as Record<string, string | number | boolean>,
  document: r.document_sha256 ? { sha256: r.document_sha256, name: r.document_name ?? '', bytes: Number(r.document_bytes ?? 0) } : null,
  state: r.state, reason: r.reason, version: r.version, source: r.source, updated_at: new Date(r.updated_at).toISOString(), updated_by: r.updated_by,
  approved_at: r.approved_at === null ? null : new Date(r.approved_at).toISOString(), approved_by: r.approved_by,
});

/** The districts a caller may see or edit entries of (null: all, the city). */
async function districtScope(db: Kysely<Database>, caller: Caller, action: 'plan.read' | 'registry.edit'): Promise<string[] | null> {
  if (isSystem(caller)) return null;
  const city = await cityCodeOf(db);
  if (await mayAt(db, caller, action, city)) return null;
  const districts = city === '' ? [] : await readTopUnits(db, city);
  const out: string[] = [];
  for (const d of districts) if (await mayAt(db, caller, action, d.code)) out.push(d.code);
  return out;
}

export async function listEntries(deps: ServiceDeps, caller: Caller, registryId: string, q: { state?: 'submitted' | 'approved' | 'returned' | undefined; district?: string | undefined } = {}): Promise<EntryRow[]> {
  const ctx = await planContext(deps.store);
  registryOrThrow(ctx, registryId);
  if (!isSystem(caller) && !(await mayAt(deps.store.db, caller, 'plan.read', null)) && !(await mayAt(deps.store.db, caller, 'registry.edit', null))) {
    await requireAt(deps, caller, 'plan.read', null, { type: 'registry', id: registryId });
  }
  const read = await districtScope(deps.store.db, caller, 'plan.read');
  const edit = await districtScope(deps.store.db, caller, 'registry.edit');
  const scope = read === null || edit === null ? null : [...new Set([...read, ...edit])];
  const districts = q.district === undefined ? scope : scope === null || scope.includes(q.district) ? [q.district] : [];
  const rows = await entryRowsDb(deps.store.db, registryId, { state: q.state, districts });
  return rows.filter((r) => q.district === undefined || r.district_code === q.district).map(toEntry);
}

const issueProblems = (issues: readonly EntryIssue[], at: (field: string) => Pick<Problem, 'path' | 'column' | 'row' | 'file'>): Problem[] =>
  issues.map((i) => ({ ...at(i.field), ...(i.value !== undefined && i.value !== '' ? { value: i.value } : {}), rule: i.rule, message_zh: i.message_zh, message_en: i.message_en }));

/** Where an entry belongs and who must have the right to touch it there. */
async function requireEditAt(deps: ServiceDeps, caller: Caller, registry: Registry, district: string | null, code: string): Promise<void> {
  const db = deps.store.db;
  const city = await cityCodeOf(db);
  // A city-kept registry: the city only. A district-kept one: the entry's district (the city is above it).
  await requireAt(deps, caller, 'registry.edit', registry.maintainer === 'city' || district === null ? city : district, { type: 'registry_entry', id: `${registry.id}/${code}` });
}

interface EntryWrite {
  readonly code: string;
  readonly payload: EntryPayload;
  readonly district: string | null;
  readonly document: FileRef | null;
}

/** Write one entry in the caller's transaction; returns what it was before (null: new). */
async function writeEntry(db: Kysely<Database>, at: Date, by: ActorRef, registry: Registry, e: EntryWrite, approved: boolean, source: string): Promise<{ before: EntryDb | undefined }> {
  const [before] = await entryRowsDb(db, registry.id, { code: e.code });
  const values = {
    district_code: e.district, payload: JSON.stringify(e.payload), document_sha256: e.document?.sha256 ?? null, state: approved ? 'approved' as const : 'submitted' as const,
    reason: null, source, updated_at: at, updated_by: by.actor, approved_at: approved ? at : null, approved_by: approved ? by.actor : null,
  };
  if (before) await db.updateTable('registry_entry').set({ ...values, version: before.version + 1 }).where('registry', '=', registry.id).where('entry_code', '=', e.code).execute();
  else await db.insertInto('registry_entry').values({ registry: registry.id, entry_code: e.code, ...values, version: 1 }).execute();
  return { before };
}

function validateDocument(registry: Registry, doc: FileRef | null, path: Pick<Problem, 'path' | 'column' | 'row' | 'file'>): Problem[] {
  if (registry.document === 'required' && doc === null) {
    return [{ ...path, rule: 'document_required', message_zh: `名录“${registry.name_zh}”的每个条目须附认定文件`, message_en: `every entry of ${registry.name_en} carries its designation document`, fix_zh: '附上认定（批准）文件', fix_en: 'Attach the designation document' }];
  }
  return [];
}

/**
 * Create or change one entry (the workspace's editor). A district's entry is submitted for the
 * city's approval; the city's is approved at once. `version` guards against overwriting a newer
 * edit (E_STATE).
 */
export async function saveEntry(deps: ServiceDeps, caller: Caller, registryId: string, entryCode: string, req: SaveEntryRequest): Promise<EntryRow> {
  const ctx = await planContext(deps.store);
  const registry = registryOrThrow(ctx, registryId);
  const db = deps.store.db;
  if (!isSystem(caller)) await requireAt(deps, caller, 'registry.edit', null, { type: 'registry_entry', id: `${registryId}/${entryCode}` });
  const code = entryCodeSchema.safeParse(entryCode);
  const orgs: OrgLookup = await storedOrgLookup(deps.store);
  const parsed = parseEntry(registry, req.fields, orgs);
  const problems: Problem[] = [];
  if (!code.success) problems.push({ path: 'code', value: entryCode, rule: 'format', message_zh: '条目编号：1—64 个字母、数字或 . _ -', message_en: 'entry code: 1–64 letters, digits, . _ -' });
  problems.push(...issueProblems(parsed.issues, (f) => ({ path: `fields.${f}` })));
  const document = req.document_sha256 ? (await citedFiles(db, [req.document_sha256], 'document_sha256'))[0] ?? null : null;
  problems.push(...validateDocument(registry, document, { path: 'document_sha256' }));
  if (problems.length > 0 || parsed.payload === null) throw new EduplanError('E_INPUT_INVALID', { problems });
  const payload = parsed.payload;
  const district = entryDistrict(registry, payload, orgs);
  if (registry.maintainer === 'district' && district === null) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: `fields.${registry.scope_field ?? ''}`, rule: 'entry_district', message_zh: '无法确定条目所属的区', message_en: 'the entry’s district cannot be determined' }] });
  }
  // Both where it is now and where it goes: a district cannot move another district's entry, nor move one away.
  const [existing] = await entryRowsDb(db, registryId, { code: entryCode });
  if (existing) await requireEditAt(deps, caller, registry, existing.district_code, entryCode);
  await requireEditAt(deps, caller, registry, district, entryCode);
  if (existing && req.version !== undefined && existing.version !== req.version) {
    throw new EduplanError('E_STATE', { detail: `entry ${registryId}/${entryCode} is at version ${existing.version}`, problems: [{ path: 'version', value: req.version, rule: 'version', message_zh: `该条目已被他人修改（当前第 ${existing.version} 版），请刷新后重试`, message_en: `the entry was changed meanwhile (now version ${existing.version}); reload and try again` }] });
  }
  const city = await cityCodeOf(db);
  const approved = await mayAt(db, caller, 'plan.review', city);
  const now = deps.clock();
  const by = actorRef(caller);
  await deps.store.transaction(async (tx) => {
    const { before } = await writeEntry(tx.db, now, by, registry, { code: entryCode, payload, district, document }, approved, 'workspace');
    await appendAudit(tx.db, now, {
      actorId: by.actorId, actor: by.actor, action: before ? 'registry.entry.update' : 'registry.entry.create', outcome: 'success', objectType: 'registry_entry', objectId: `${registryId}/${entryCode}`, orgCode: district, ip: by.ip,
      before: before ? { fields: json<EntryPayload>(before.payload) as Record<string, string | number | boolean>, state: before.state } : null,
      after: { fields: { ...payload }, state: approved ? 'approved' : 'submitted', document: document?.sha256 ?? null },
    });
  });
  const [saved] = await entryRowsDb(db, registryId, { code: entryCode });
  return toEntry(saved as EntryDb);
}

export async function deleteEntry(deps: ServiceDeps, caller: Caller, registryId: string, entryCode: string): Promise<{ deleted: true }> {
  const ctx = await planContext(deps.store);
  const registry = registryOrThrow(ctx, registryId);
  const [existing] = await entryRowsDb(deps.store.db, registryId, { code: entryCode });
  if (!existing) throw new EduplanError('E_NOT_FOUND', { detail: `${registryId}/${entryCode}`, problems: [{ path: 'code', value: entryCode, rule: 'entry_exists', message_zh: `条目 ${entryCode} 不存在`, message_en: `entry ${entryCode} does not exist` }] });
  await requireEditAt(deps, caller, registry, existing.district_code, entryCode);
  const now = deps.clock();
  const by = actorRef(caller);
  await deps.store.transaction(async (tx) => {
    await tx.db.deleteFrom('registry_entry').where('registry', '=', registryId).where('entry_code', '=', entryCode).execute();
    await appendAudit(tx.db, now, { actorId: by.actorId, actor: by.actor, action: 'registry.entry.delete', outcome: 'success', objectType: 'registry_entry', objectId: `${registryId}/${entryCode}`, orgCode: existing.district_code, ip: by.ip, before: { fields: json<EntryPayload>(existing.payload) as Record<string, string | number | boolean>, state: existing.state }, after: null });
  });
  return { deleted: true };
}

/** The city approves a submitted entry (it counts from now on) or returns it with the reason. */
export async function reviewEntry(deps: ServiceDeps, caller: Caller, registryId: string, entryCode: string, req: { decision: 'approve' | 'return'; reason?: string | undefined }): Promise<EntryRow> {
  const ctx = await planContext(deps.store);
  registryOrThrow(ctx, registryId);
  const db = deps.store.db;
  await requireAt(deps, caller, 'plan.review', await cityCodeOf(db), { type: 'registry_entry', id: `${registryId}/${entryCode}` });
  if (req.decision === 'return' && (req.reason ?? '').trim() === '') {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'reason', rule: 'reason_required', message_zh: '退回时须说明原因', message_en: 'a returned entry says why' }] });
  }
  const now = deps.clock();
  const by = actorRef(caller);
  await deps.store.transaction(async (tx) => {
    const [e] = await entryRowsDb(tx.db, registryId, { code: entryCode });
    if (!e) throw new EduplanError('E_NOT_FOUND', { detail: `${registryId}/${entryCode}` });
    if (e.state !== 'submitted') throw new EduplanError('E_STATE', { detail: `entry ${registryId}/${entryCode} is ${e.state}`, problems: [{ path: 'state', value: e.state, rule: 'entry_submitted', message_zh: '只有待审核的条目可以审核', message_en: 'only a submitted entry can be reviewed' }] });
    const approve = req.decision === 'approve';
    await tx.db.updateTable('registry_entry').set({ state: approve ? 'approved' : 'returned', reason: approve ? null : (req.reason ?? ''), approved_at: approve ? now : null, approved_by: approve ? by.actor : null, updated_at: now, updated_by: by.actor })
      .where('registry', '=', registryId).where('entry_code', '=', entryCode).execute();
    await appendAudit(tx.db, now, { actorId: by.actorId, actor: by.actor, action: approve ? 'registry.entry.approve' : 'registry.entry.return', outcome: 'success', objectType: 'registry_entry', objectId: `${registryId}/${entryCode}`, orgCode: e.district_code, ip: by.ip, before: { state: e.state }, after: { state: approve ? 'approved' : 'returned', reason: req.reason ?? null } });
  });
  const [saved] = await entryRowsDb(db, registryId, { code: entryCode });
  return toEntry(saved as EntryDb);
}

// ---------------------------------------------------------------------------------------
// Whole-registry replacement: the folder import and the xlsx upload

export interface ParsedRegistryRow {
  readonly row: number;
  readonly code: string;
  readonly payload: EntryPayload;
  readonly district: string | null;
  readonly document: FileRef | null;
}

export interface ReplaceResult {
  readonly added: string[];
  readonly updated: string[];
  readonly removed: string[];
  readonly unchanged: number;
}

/** A payload's fields in key order: jsonb gives them back in its own order. */
const canonical = (p: EntryPayload): string => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
const sameEntry = (a: EntryDb, b: ParsedRegistryRow, approved: boolean): boolean =>
  canonical(json<EntryPayload>(a.payload)) === canonical(b.payload) && a.district_code === b.district && (a.document_sha256 ?? null) === (b.document?.sha256 ?? null) && (a.state === 'approved') === approved;

/**
 * Make the registry (or, for a district, its district's part of it) exactly the rows given:
 * entries not in the rows are removed, new ones added, changed ones updated; unchanged ones keep
 * their version. In the caller's transaction; one audit record lists every entry added, changed
 * and removed.
 */
export async function replaceRegistryEntries(db: Kysely<Database>, at: Date, by: ActorRef, registry: Registry, rows: readonly ParsedRegistryRow[], opts: { approved: boolean; source: string; district: string | null; file: string; sha256: string }): Promise<ReplaceResult> {
  const existing = await entryRowsDb(db, registry.id, {});
  const byCode = new Map(existing.map((e) => [e.entry_code, e]));
  // A district's upload may not take over another district's entry that happens to share a code.
  const taken = opts.district === null ? [] : rows.filter((r) => { const b = byCode.get(r.code); return b !== undefined && b.district_code !== opts.district; });
  if (taken.length > 0) {
    throw new EduplanError('E_IMPORT_INVALID', { problems: taken.map((r): Problem => ({ file: opts.file, row: r.row, column: 'entry_code', value: r.code, rule: 'entry_district', message_zh: `条目编号 ${r.code} 已被其他区的条目使用`, message_en: `entry code ${r.code} is used by another district’s entry`, fix_zh: '换用新的条目编号', fix_en: 'Use a new entry code' })) });
  }
  const incoming = new Set(rows.map((r) => r.code));
  const removed = existing.filter((e) => (opts.district === null || e.district_code === opts.district) && !incoming.has(e.entry_code)).map((e) => e.entry_code);
  const result: ReplaceResult = { added: [], updated: [], removed, unchanged: 0 };
  const values = (r: ParsedRegistryRow) => ({
    district_code: r.district, payload: JSON.stringify(r.payload), document_sha256: r.document?.sha256 ?? null, state: opts.approved ? 'approved' as const : 'submitted' as const,
    reason: null, source: opts.source, updated_at: at, updated_by: by.actor, approved_at: opts.approved ? at : null, approved_by: opts.approved ? by.actor : null,
  });
  const fresh: ParsedRegistryRow[] = [];
  for (const r of rows) {
    const before = byCode.get(r.code);
    if (!before) { fresh.push(r); result.added.push(r.code); continue; }
    if (sameEntry(before, r, opts.approved)) { (result as { unchanged: number }).unchanged += 1; continue; }
    await db.updateTable('registry_entry').set({ ...values(r), version: before.version + 1 }).where('registry', '=', registry.id).where('entry_code', '=', r.code).execute();
    result.updated.push(r.code);
  }
  // Bulk where a whole registry arrives (a first import): chunks of rows, not a statement each.
  for (let i = 0; i < removed.length; i += 500) await db.deleteFrom('registry_entry').where('registry', '=', registry.id).where('entry_code', 'in', removed.slice(i, i + 500)).execute();
  for (let i = 0; i < fresh.length; i += 500) await db.insertInto('registry_entry').values(fresh.slice(i, i + 500).map((r) => ({ registry: registry.id, entry_code: r.code, ...values(r), version: 1 }))).execute();
  await appendAudit(db, at, {
    actorId: by.actorId, actor: by.actor, action: 'registry.replace', outcome: 'success', objectType: 'registry', objectId: registry.id, orgCode: opts.district, ip: by.ip,
    after: { file: opts.file, sha256: opts.sha256, entries: rows.length, added: result.added, updated: result.updated, removed: result.removed, approved: opts.approved },
  });
  return result;
}

/**
 * Validate a registry's rows given as text cells (a CSV or xlsx file), every bad cell located
 * by row and column; documents are resolved by the caller (`document`: the stored file, or a
 * problem). Rows of another district than `district` (a district uploading) are refused.
 */
export function parseRegistryRows(registry: Registry, rows: ReadonlyArray<{ row: number; cells: Readonly<Record<string, string>>; document: FileRef | null; documentProblem: Problem | null }>, orgs: OrgLookup, opts: { file: string; district: string | null }): { rows: ParsedRegistryRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const out: ParsedRegistryRow[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const at = (column: string): Pick<Problem, 'file' | 'row' | 'column'> => ({ file: opts.file, row: r.row, column });
    const code = (r.cells.entry_code ?? '').trim();
    if (code === '') problems.push({ ...at('entry_code'), rule: 'required', message_zh: '条目编号必填', message_en: 'entry_code is required' });
    else if (!entryCodeSchema.safeParse(code).success) problems.push({ ...at('entry_code'), value: code, rule: 'format', message_zh: '条目编号：1—64 个字母、数字或 . _ -', message_en: 'entry_code: 1–64 letters, digits, . _ -' });
    else if (seen.has(code)) problems.push({ ...at('entry_code'), value: code, rule: 'duplicate_row', message_zh: `条目编号 ${code} 重复（第 ${seen.get(code)} 行）`, message_en: `entry_code ${code} repeats row ${seen.get(code)}` });
    else seen.set(code, r.row);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.cells)) if (k !== 'entry_code' && k !== 'document' && k !== 'document_sha256') fields[k] = v;
    const parsed = parseEntry(registry, fields, orgs);
    problems.push(...issueProblems(parsed.issues, (f) => at(f)));
    if (r.documentProblem) problems.push(r.documentProblem);
    else problems.push(...validateDocument(registry, r.document, at('document')));
    if (parsed.payload === null) continue;
    const district = entryDistrict(registry, parsed.payload, orgs);
    if (opts.district !== null && district !== opts.district) {
      problems.push({ ...at(registry.scope_field ?? 'entry_code'), value: district ?? '', rule: 'entry_district', message_zh: `该条目不属于本区（${opts.district}），不能由本区上传`, message_en: `the entry is not in your district (${opts.district})` });
      continue;
    }
    out.push({ row: r.row, code, payload: parsed.payload, district, document: r.document });
  }
  return { rows: out, problems };
}
