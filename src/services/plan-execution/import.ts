/**
 * The plan-execution files of an import folder (docs/data-files.md, docs/plan-execution.md):
 * plan-units.csv, plan-owners.csv, registry-<id>.csv, target-values.csv, plan-milestones.csv,
 * task-reports.csv, and the documents/ sub-folder whose files they cite by name.
 *
 * As every import: each file is read and validated before anything is written, every bad cell
 * is located (file, row, column, value, rule, zh + en); each file is written in one transaction
 * with its audit record; a file identical to the last one imported is a no-op. A registry file
 * is the whole registry: entries absent from it are removed (the audit record lists them).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../../core/errors.ts';
import { parsePeriod, reportStates, reportStatuses, frequencies, statusNeedsReason, type Frequency, type ReportState, type ReportStatus } from '../../core/plan-execution/reporting.ts';
import { measureOf } from '../../core/plan/data-path.ts';
import { registryIdOfFile, type OrgLookup, type Registry } from '../../core/plan/registry.ts';
import { readCsv, sha256File } from '../../ingest/csv-read.ts';
import {
  DOCUMENTS_DIR, LIST_SEPARATOR, PLAN_MILESTONES_FILE, PLAN_OWNERS_FILE, PLAN_UNITS_FILE, REGISTRY_FILE_RE, TARGET_VALUES_FILE, TASK_REPORTS_FILE,
  planMilestoneColumns, planOwnerColumns, planUnitColumns, registryFixedColumns, targetValueColumns, taskReportColumns, type Column,
} from '../../ingest/plan-execution-layout.ts';
import { problem, ProblemList, type ImportRule } from '../../ingest/rules.ts';
import type { Store, Tx } from '../../store/store.ts';
import { appendAudit } from '../audit.ts';
import { planContext } from './context.ts';
import { cleanFileName, fileProblem, sha256Bytes, storePlanFiles, type FileRef } from './files.ts';
import { parseRegistryRows, replaceRegistryEntries, type ParsedRegistryRow } from './registries.ts';

export type PlanExecutionKind = 'plan-units' | 'plan-owners' | 'registry' | 'target-values' | 'plan-milestones' | 'task-reports';

export interface PlanExecutionPlanned {
  readonly kind: PlanExecutionKind;
  readonly file: string;
  readonly path: string;
}

const fixedNames: Readonly<Record<string, PlanExecutionKind>> = {
  [PLAN_UNITS_FILE]: 'plan-units', [PLAN_OWNERS_FILE]: 'plan-owners', [TARGET_VALUES_FILE]: 'target-values', [PLAN_MILESTONES_FILE]: 'plan-milestones', [TASK_REPORTS_FILE]: 'task-reports',
};

/** The kind of a plan-execution file, or null when the name is not one. */
export function planExecutionKind(file: string): PlanExecutionKind | null {
  return fixedNames[file] ?? (REGISTRY_FILE_RE.test(file) ? 'registry' : null);
}

/** Import order: units before the owners that name them, registries and values, then milestones and reports. */
const ORDER: readonly PlanExecutionKind[] = ['plan-units', 'plan-owners', 'registry', 'target-values', 'plan-milestones', 'task-reports'];
export const sortPlanned = (p: readonly PlanExecutionPlanned[]): PlanExecutionPlanned[] => [...p].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.file < b.file ? -1 : 1));

/** The `import_batch.kind` of a file: one latest sha256 per kind makes re-imports no-ops. */
export const batchKindOf = (p: { kind: PlanExecutionKind; file: string }): string => (p.kind === 'registry' ? `registry:${registryIdOfFile(p.file) ?? p.file}` : p.kind);

interface Document { readonly ref: FileRef; readonly content: Uint8Array }

interface Unit { code: string; name_zh: string; name_en: string; kind: 'department' | 'district'; org_code: string }
interface Owner { item: string; lead: string; co: string[]; frequency: Frequency }
interface Value { target: string; measure: string; year: number; value: number; note: string; evidence: FileRef[] }
interface Milestone { item: string; code: string; year: number; text_zh: string; text_en: string; due: string; done_on: string | null; evidence: FileRef[]; note: string }
interface Report { item: string; unit: string; period: string; status: ReportStatus; reason: string; narrative_zh: string; narrative_en: string; evidence: FileRef[]; state: ReportState; submitted_on: string; review_note: string }

export type PlanExecutionValidated = { readonly file: string; readonly sha: string; readonly documents: readonly Document[] } & (
  | { readonly kind: 'plan-units'; readonly rows: Unit[] }
  | { readonly kind: 'plan-owners'; readonly rows: Owner[] }
  | { readonly kind: 'registry'; readonly registry: Registry; readonly rows: ParsedRegistryRow[] }
  | { readonly kind: 'target-values'; readonly rows: Value[] }
  | { readonly kind: 'plan-milestones'; readonly rows: Milestone[] }
  | { readonly kind: 'task-reports'; readonly rows: Report[] }
);

export interface ValidateOptions {
  /** Org units of the store merged with this folder's org-units.csv. */
  readonly orgs: OrgLookup;
  /** The sha256 of the last file imported of a batch kind. */
  readonly latestSha: (kind: string) => Promise<string | null>;
  /** "Today" for reports without a date. */
  readonly today: string;
}

type Rec = { row: number; cells: Record<string, string> };

/** Read a CSV as records by column name, checking the header against the layout. */
async function readRecords(path: string, columns: readonly Column[] | ((name: string) => boolean), required: readonly string[], problems: ProblemList): Promise<Rec[]> {
  const out: Rec[] = [];
  let header: string[] | null = null;
  const allowed = typeof columns === 'function' ? columns : (n: string) => columns.some((c) => c.name === n);
  const res = await readCsv(path, ({ line, cells }) => {
    if (header === null) {
      header = cells.map((c) => c.trim());
      const seen = new Set<string>();
      header.forEach((h, i) => {
        if (seen.has(h)) problems.add('duplicate_column', { row: line, column: h });
        else if (!allowed(h)) problems.add('unknown_column', { row: line, column: h === '' ? `#${i + 1}` : h, value: h });
        seen.add(h);
      });
      for (const r of required) if (!seen.has(r)) problems.add('missing_column', { row: line, column: r });
      return;
    }
    if (cells.length !== header.length) {
      problems.add('column_count', { row: line, value: `${cells.length} / ${header.length}` }, { zh: `本行 ${cells.length} 个单元格，表头 ${header.length} 列`, en: `${cells.length} cells, header has ${header.length}` });
      return;
    }
    const rec: Record<string, string> = {};
    header.forEach((h, i) => { rec[h] = (cells[i] ?? '').trim(); });
    out.push({ row: line, cells: rec });
  });
  if (res.syntaxError) problems.add('csv_syntax', { row: res.syntaxError.line }, { zh: res.syntaxError.message, en: res.syntaxError.message });
  if (header === null) problems.add('empty_file', {});
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string): boolean => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** Resolve the documents a cell cites from the folder's documents/ (each read and hashed once). */
class Documents {
  private readonly cache = new Map<string, Document | Problem>();
  constructor(private readonly dir: string) {}
  async resolve(cell: string, at: { file: string; row: number; column: string }): Promise<{ refs: FileRef[]; docs: Document[]; problems: Problem[] }> {
    const names = cell.split(LIST_SEPARATOR).map((n) => n.trim()).filter((n) => n !== '');
    const refs: FileRef[] = [];
    const docs: Document[] = [];
    const problems: Problem[] = [];
    for (const name of names) {
      let got = this.cache.get(name);
      if (!got) {
        got = await this.load(name, at);
        this.cache.set(name, got);
      }
      if ('ref' in got) { refs.push(got.ref); docs.push(got); } else problems.push({ ...got, row: at.row, column: at.column, file: at.file });
    }
    return { refs, docs, problems };
  }
  private async load(name: string, at: { file: string; row: number; column: string }): Promise<Document | Problem> {
    if (cleanFileName(name) !== name || name.startsWith('.')) return problem('document_missing', { ...at, value: name }, { zh: '文件名不能含路径', en: 'a file name, without a path' });
    const path = join(this.dir, DOCUMENTS_DIR, name);
    const s = await stat(path).catch(() => null);
    if (!s || !s.isFile()) return problem('document_missing', { ...at, value: name }, { zh: `${DOCUMENTS_DIR}/${name}`, en: `${DOCUMENTS_DIR}/${name}` });
    const p = fileProblem(name, s.size);
    if (p) return problem(p.rule === 'file_type' ? 'file_type' : 'file_size', { ...at, value: name }, { zh: p.message_zh, en: p.message_en });
    const content = new Uint8Array(await readFile(path));
    return { ref: { sha256: sha256Bytes(content), name, bytes: content.byteLength }, content };
  }
}

/** Validate every plan-execution file of the folder; write nothing. */
export async function validatePlanExecutionFiles(store: Store, dir: string, planned: readonly PlanExecutionPlanned[], opts: ValidateOptions): Promise<{ validated: PlanExecutionValidated[]; unchanged: PlanExecutionPlanned[]; problems: Problem[] }> {
  const ctx = await planContext(store);
  const docs = new Documents(dir);
  const validated: PlanExecutionValidated[] = [];
  const unchanged: PlanExecutionPlanned[] = [];
  const problems: Problem[] = [];
  // What later files may refer to: units and owners from the store, overridden by this folder's files.
  const units = new Map((await store.db.selectFrom('plan_unit').select(['code', 'kind', 'org_code']).execute()).map((u) => [u.code, u]));
  const owners = new Map((await store.db.selectFrom('plan_owner').select(['item', 'lead_unit', 'co_units']).execute()).map((o) => [o.item, { lead: o.lead_unit, co: o.co_units }]));
  for (const p of sortPlanned(planned)) {
    const sha = await sha256File(p.path);
    const list = new ProblemList(p.file);
    const documents: Document[] = [];
    const cite = async (cell: string, row: number, column: string): Promise<FileRef[]> => {
      const r = await docs.resolve(cell, { file: p.file, row, column });
      for (const x of r.problems) list.items.push(x);
      documents.push(...r.docs);
      return r.refs;
    };
    const bad = (rule: ImportRule, row: number, column: string, value?: unknown, detail?: { zh: string; en: string }): void => list.add(rule, { row, column, ...(value !== undefined && value !== '' ? { value } : {}) }, detail);
    const fresh = (await opts.latestSha(batchKindOf(p))) !== sha;
    if (p.kind === 'plan-units') {
      const recs = await readRecords(p.path, planUnitColumns, planUnitColumns.filter((c) => c.required).map((c) => c.name), list);
      const rows: Unit[] = [];
      const seen = new Set<string>();
      for (const { row, cells } of recs) {
        const { code, name_zh, name_en = '', kind, org_code } = cells as Record<string, string>;
        let ok = true;
        if (!/^[a-z0-9][a-z0-9_-]{0,47}$/.test(code ?? '')) { bad(code ? 'format' : 'required', row, 'code', code); ok = false; }
        else if (seen.has(code ?? '')) { bad('duplicate_row', row, 'code', code); ok = false; }
        if (!name_zh) { bad('required', row, 'name_zh'); ok = false; }
        if (kind !== 'department' && kind !== 'district') { bad(kind ? 'enum' : 'required', row, 'kind', kind, { zh: 'department 或 district', en: 'department or district' }); ok = false; }
        const o = org_code ? opts.orgs(org_code) : undefined;
        if (!o) { bad(org_code ? 'unknown_org' : 'required', row, 'org_code', org_code); ok = false; }
        else if ((kind === 'district' && o.place !== 'top') || (kind === 'department' && o.place !== 'root')) { bad('org_level', row, 'org_code', org_code, { zh: kind === 'district' ? '区单位填区代码' : '市级部门填市代码', en: kind === 'district' ? 'a district unit takes its district’s code' : 'a department takes the city’s code' }); ok = false; }
        if (!ok) continue;
        seen.add(code as string);
        const u = { code: code as string, name_zh: name_zh as string, name_en, kind: kind as Unit['kind'], org_code: org_code as string };
        rows.push(u);
        units.set(u.code, u);
      }
      if (fresh) validated.push({ kind: 'plan-units', file: p.file, sha, documents, rows });
    } else if (p.kind === 'plan-owners') {
      const recs = await readRecords(p.path, planOwnerColumns, ['item', 'lead_unit'], list);
      const rows: Owner[] = [];
      const seen = new Set<string>();
      for (const { row, cells } of recs) {
        const item = cells.item ?? '';
        const co = (cells.co_units ?? '').split(LIST_SEPARATOR).map((c) => c.trim()).filter((c) => c !== '');
        const frequency = (cells.frequency || 'semiannual') as Frequency;
        let ok = true;
        if (!ctx.itemByCode.has(item)) { bad(item ? 'unknown_item' : 'required', row, 'item', item); ok = false; }
        else if (seen.has(item)) { bad('duplicate_row', row, 'item', item); ok = false; }
        for (const [col, u] of [['lead_unit', cells.lead_unit ?? ''] as const, ...co.map((c) => ['co_units', c] as const)]) if (!units.has(u)) { bad(u ? 'unknown_unit' : 'required', row, col, u); ok = false; }
        if (!(frequencies as readonly string[]).includes(frequency)) { bad('enum', row, 'frequency', frequency, { zh: frequencies.join('、'), en: frequencies.join(', ') }); ok = false; }
        if (!ok) continue;
        seen.add(item);
        const o = { item, lead: cells.lead_unit as string, co: co.filter((c) => c !== cells.lead_unit), frequency };
        rows.push(o);
        owners.set(item, { lead: o.lead, co: o.co });
      }
      if (fresh) validated.push({ kind: 'plan-owners', file: p.file, sha, documents, rows });
    } else if (p.kind === 'registry') {
      const id = registryIdOfFile(p.file);
      const registry = id === null ? undefined : ctx.registries.get(id);
      if (!registry) {
        list.add('unknown_registry', { value: p.file }, { zh: `已有名录：${[...ctx.registries.keys()].join('、')}`, en: `registries: ${[...ctx.registries.keys()].join(', ')}` });
      } else {
        const names = new Set([...registryFixedColumns.map((c) => c.name), ...registry.fields.map((f) => f.key)]);
        const recs = await readRecords(p.path, (n) => names.has(n), ['entry_code', ...registry.fields.filter((f) => f.required === true).map((f) => f.key), ...(registry.document === 'required' ? ['document'] : [])], list);
        const rowsIn: Array<{ row: number; cells: Record<string, string>; document: FileRef | null; documentProblem: Problem | null }> = [];
        for (const { row, cells } of recs) {
          const before = list.items.length;
          const refs = (cells.document ?? '') === '' ? [] : await cite(cells.document ?? '', row, 'document');
          // A document problem was added to the list by `cite`; parseRegistryRows must not add "required" on top.
          const docProblem = list.items.length > before ? (list.items.pop() as Problem) : null;
          rowsIn.push({ row, cells, document: refs[0] ?? null, documentProblem: docProblem });
        }
        const parsed = parseRegistryRows(registry, rowsIn, opts.orgs, { file: p.file, district: null });
        for (const x of parsed.problems) list.items.push(x);
        if (fresh) validated.push({ kind: 'registry', file: p.file, sha, documents, registry, rows: parsed.rows });
      }
    } else if (p.kind === 'target-values') {
      const recs = await readRecords(p.path, targetValueColumns, ['target', 'year', 'value', 'evidence'], list);
      const rows: Value[] = [];
      const seen = new Map<string, number>();
      for (const { row, cells } of recs) {
        const t = ctx.targetById.get(cells.target ?? '');
        const year = Number(cells.year);
        const value = Number(cells.value);
        let ok = true;
        if (!t) { bad(cells.target ? 'unknown_target' : 'required', row, 'target', cells.target); ok = false; }
        else if (t.data_path.kind !== 'entered') { bad('not_entered_target', row, 'target', cells.target); ok = false; }
        if (!/^\d{4}$/.test(cells.year ?? '') || year < ctx.plan.baseline_year || year > ctx.plan.period.end) { bad(cells.year ? 'plan_period' : 'required', row, 'year', cells.year, { zh: `${ctx.plan.baseline_year}—${ctx.plan.period.end}`, en: `${ctx.plan.baseline_year}–${ctx.plan.period.end}` }); ok = false; }
        if (cells.value === '' || cells.value === undefined) { bad('required', row, 'value'); ok = false; }
        else if (!/^-?\d+(\.\d+)?$/.test(cells.value) || !Number.isFinite(value)) { bad('number', row, 'value', cells.value); ok = false; }
        else if (t && t.judged.unit === '%' && (value < 0 || value > 100)) { bad('range', row, 'value', cells.value, { zh: '0—100', en: '0–100' }); ok = false; }
        const evidence = await cite(cells.evidence ?? '', row, 'evidence');
        if ((cells.evidence ?? '') === '') { bad('evidence_required', row, 'evidence'); ok = false; }
        if (!ok || !t) continue;
        const measure = measureOf(t.id, t.data_path);
        const key = `${measure}|${year}`;
        if (seen.has(key)) { bad('duplicate_row', row, 'target', cells.target, { zh: `与第 ${seen.get(key)} 行重复（同一数值）`, en: `repeats row ${seen.get(key)} (the same figure)` }); continue; }
        seen.set(key, row);
        rows.push({ target: t.id, measure, year, value, note: cells.note ?? '', evidence });
      }
      if (fresh) validated.push({ kind: 'target-values', file: p.file, sha, documents, rows });
    } else if (p.kind === 'plan-milestones') {
      const recs = await readRecords(p.path, planMilestoneColumns, ['item', 'code', 'year', 'text_zh', 'due'], list);
      const rows: Milestone[] = [];
      const seen = new Set<string>();
      for (const { row, cells } of recs) {
        let ok = true;
        const item = cells.item ?? '';
        const year = Number(cells.year);
        if (!ctx.itemByCode.has(item)) { bad(item ? 'unknown_item' : 'required', row, 'item', item); ok = false; }
        if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(cells.code ?? '')) { bad(cells.code ? 'format' : 'required', row, 'code', cells.code); ok = false; }
        else if (seen.has(`${item}|${cells.code}`)) { bad('duplicate_row', row, 'code', cells.code); ok = false; }
        if (!/^\d{4}$/.test(cells.year ?? '') || year < ctx.plan.period.start || year > ctx.plan.period.end) { bad(cells.year ? 'plan_period' : 'required', row, 'year', cells.year); ok = false; }
        if (!cells.text_zh) { bad('required', row, 'text_zh'); ok = false; }
        if (!validDate(cells.due ?? '')) { bad(cells.due ? 'format' : 'required', row, 'due', cells.due); ok = false; }
        if (cells.done_on && !validDate(cells.done_on)) { bad('format', row, 'done_on', cells.done_on); ok = false; }
        const evidence = await cite(cells.evidence ?? '', row, 'evidence');
        if (!ok) continue;
        seen.add(`${item}|${cells.code}`);
        rows.push({ item, code: cells.code as string, year, text_zh: cells.text_zh as string, text_en: cells.text_en ?? '', due: cells.due as string, done_on: cells.done_on ? cells.done_on : null, evidence, note: cells.note ?? '' });
      }
      if (fresh) validated.push({ kind: 'plan-milestones', file: p.file, sha, documents, rows });
    } else {
      const recs = await readRecords(p.path, taskReportColumns, ['item', 'unit', 'period', 'status', 'narrative_zh'], list);
      const rows: Report[] = [];
      const seen = new Set<string>();
      for (const { row, cells } of recs) {
        let ok = true;
        const item = cells.item ?? '';
        const it = ctx.itemByCode.get(item);
        if (!it) { bad(item ? 'unknown_item' : 'required', row, 'item', item); ok = false; }
        const unit = cells.unit ?? '';
        if (!units.has(unit)) { bad(unit ? 'unknown_unit' : 'required', row, 'unit', unit); ok = false; }
        else if (it) {
          const o = owners.get(item) ?? (it.kind === 'area' ? undefined : owners.get(it.area));
          if (!o || (o.lead !== unit && !o.co.includes(unit))) { bad('unit_not_owner', row, 'unit', unit); ok = false; }
        }
        const period = parsePeriod(cells.period ?? '');
        if (!period || period.year < ctx.plan.period.start || period.year > ctx.plan.period.end) { bad(cells.period ? 'plan_period' : 'required', row, 'period', cells.period); ok = false; }
        const status = cells.status as ReportStatus;
        if (!(reportStatuses as readonly string[]).includes(status)) { bad(status ? 'enum' : 'required', row, 'status', status, { zh: reportStatuses.join('、'), en: reportStatuses.join(', ') }); ok = false; }
        else if (statusNeedsReason(status) && !cells.reason) { bad('reason_required', row, 'reason'); ok = false; }
        if (!cells.narrative_zh) { bad('required', row, 'narrative_zh'); ok = false; }
        const state = (cells.state || 'submitted') as ReportState;
        if (!(reportStates as readonly string[]).includes(state)) { bad('enum', row, 'state', state, { zh: reportStates.join('、'), en: reportStates.join(', ') }); ok = false; }
        if (state === 'returned' && !cells.review_note) { bad('required', row, 'review_note'); ok = false; }
        if (cells.submitted_on && !validDate(cells.submitted_on)) { bad('format', row, 'submitted_on', cells.submitted_on); ok = false; }
        const evidence = await cite(cells.evidence ?? '', row, 'evidence');
        const key = `${item}|${unit}|${cells.period}`;
        if (ok && seen.has(key)) { bad('duplicate_row', row, 'period', cells.period); ok = false; }
        if (!ok) continue;
        seen.add(key);
        rows.push({ item, unit, period: cells.period as string, status, reason: cells.reason ?? '', narrative_zh: cells.narrative_zh as string, narrative_en: cells.narrative_en ?? '', evidence, state, submitted_on: cells.submitted_on || opts.today, review_note: cells.review_note ?? '' });
      }
      if (fresh) validated.push({ kind: 'task-reports', file: p.file, sha, documents, rows });
    }
    problems.push(...list.list());
    if (!fresh) unchanged.push(p);
  }
  return { validated, unchanged, problems };
}

/** A China-date as an instant (noon in Tianjin), for dates the files give. */
const noonOf = (date: string): Date => new Date(`${date}T04:00:00Z`);

/** Write one validated file in the caller's transaction; returns the rows written. */
export async function writePlanExecutionFile(tx: Tx, v: PlanExecutionValidated, at: Date, actor: string, batchId: number): Promise<number> {
  const db = tx.db;
  const by = { actor, actorId: null, ip: null };
  await storePlanFiles(db, at, by, v.documents.map((d) => ({ name: d.ref.name, content: d.content })));
  const source = `import:${batchId}`;
  // Rows are upserted a chunk per statement: a first import brings hundreds.
  const chunks = <T>(rows: readonly T[]): T[][] => { const out: T[][] = []; for (let i = 0; i < rows.length; i += 200) out.push(rows.slice(i, i + 200)); return out; };
  switch (v.kind) {
    case 'plan-units':
      for (const part of chunks(v.rows)) {
        await db.insertInto('plan_unit').values(part).onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name_zh: eb.ref('excluded.name_zh'), name_en: eb.ref('excluded.name_en'), kind: eb.ref('excluded.kind'), org_code: eb.ref('excluded.org_code') }))).execute();
      }
      return v.rows.length;
    case 'plan-owners':
      for (const part of chunks(v.rows)) {
        await db.insertInto('plan_owner').values(part.map((o) => ({ item: o.item, lead_unit: o.lead, co_units: o.co, frequency: o.frequency, assigned_at: at, assigned_by: actor })))
          .onConflict((oc) => oc.column('item').doUpdateSet((eb) => ({ lead_unit: eb.ref('excluded.lead_unit'), co_units: eb.ref('excluded.co_units'), frequency: eb.ref('excluded.frequency'), assigned_at: eb.ref('excluded.assigned_at'), assigned_by: eb.ref('excluded.assigned_by') }))).execute();
      }
      return v.rows.length;
    case 'registry':
      await replaceRegistryEntries(db, at, by, v.registry, v.rows, { approved: true, source, district: null, file: v.file, sha256: v.sha });
      return v.rows.length;
    case 'target-values':
      for (const part of chunks(v.rows)) {
        await db.insertInto('target_entry').values(part.map((r) => ({ measure: r.measure, year: r.year, value: r.value, note: r.note, evidence: JSON.stringify(r.evidence), source, entered_at: at, entered_by: actor })))
          .onConflict((oc) => oc.columns(['measure', 'year']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), note: eb.ref('excluded.note'), evidence: eb.ref('excluded.evidence'), source: eb.ref('excluded.source'), entered_at: eb.ref('excluded.entered_at'), entered_by: eb.ref('excluded.entered_by') }))).execute();
      }
      return v.rows.length;
    case 'plan-milestones':
      for (const part of chunks(v.rows)) {
        await db.insertInto('plan_milestone').values(part.map((m) => ({ item: m.item, code: m.code, year: m.year, text_zh: m.text_zh, text_en: m.text_en, due: m.due, done_on: m.done_on, evidence: JSON.stringify(m.evidence), note: m.note, updated_at: at, updated_by: actor })))
          .onConflict((oc) => oc.columns(['item', 'code']).doUpdateSet((eb) => ({
            year: eb.ref('excluded.year'), text_zh: eb.ref('excluded.text_zh'), text_en: eb.ref('excluded.text_en'), due: eb.ref('excluded.due'), done_on: eb.ref('excluded.done_on'),
            evidence: eb.ref('excluded.evidence'), note: eb.ref('excluded.note'), updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by'),
          }))).execute();
      }
      return v.rows.length;
    case 'task-reports':
      for (const part of chunks(v.rows)) {
        await db.insertInto('plan_report').values(part.map((r) => {
          const submitted = r.state === 'draft' ? null : noonOf(r.submitted_on);
          const reviewed = r.state === 'accepted' || r.state === 'returned' ? submitted : null;
          return {
            item: r.item, unit: r.unit, period: r.period, status: r.status, reason: r.reason, narrative_zh: r.narrative_zh, narrative_en: r.narrative_en, evidence: JSON.stringify(r.evidence),
            state: r.state, review_note: r.review_note, source, updated_at: at, updated_by: actor, submitted_at: submitted, reviewed_at: reviewed, reviewed_by: reviewed ? actor : null, version: 1,
          };
        })).onConflict((oc) => oc.columns(['item', 'unit', 'period']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'), reason: eb.ref('excluded.reason'), narrative_zh: eb.ref('excluded.narrative_zh'), narrative_en: eb.ref('excluded.narrative_en'), evidence: eb.ref('excluded.evidence'),
          state: eb.ref('excluded.state'), review_note: eb.ref('excluded.review_note'), source: eb.ref('excluded.source'), updated_at: eb.ref('excluded.updated_at'), updated_by: eb.ref('excluded.updated_by'),
          submitted_at: eb.ref('excluded.submitted_at'), reviewed_at: eb.ref('excluded.reviewed_at'), reviewed_by: eb.ref('excluded.reviewed_by'), version: eb('plan_report.version', '+', 1),
        }))).execute();
      }
      return v.rows.length;
  }
}

/** The import_batch + audit record of one plan-execution file, with its rows, in one transaction. */
export async function importPlanExecutionFile(store: Store, v: PlanExecutionValidated, at: Date, actor: string): Promise<{ batchId: number; rows: number }> {
  const kind = batchKindOf(v);
  return store.transaction(async (tx) => {
    await tx.db.deleteFrom('import_batch').where('kind', '=', kind).where('sha256', '=', v.sha).execute();
    const batch = await tx.db.insertInto('import_batch').values({ kind, file_name: v.file, sha256: v.sha, rows: v.rows.length, imported_at: at.toISOString() }).returning('id').executeTakeFirstOrThrow();
    const rows = await writePlanExecutionFile(tx, v, at, actor, batch.id);
    await appendAudit(tx.db, at, { actorId: null, actor, action: 'import.file', outcome: 'success', objectType: 'import_batch', objectId: batch.id, after: { file: v.file, kind, sha256: v.sha, rows } });
    return { batchId: batch.id, rows };
  });
}

