/**
 * Plan execution on both backends: registries (validation, district scope, approval, import
 * all-or-nothing and replacement), entered values with evidence, progress reports and their
 * review, target releases (the public sees released snapshots only), and every change in the
 * audit chain.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../src/core/auth/roles.ts';
import { EduplanError } from '../../src/core/errors.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { listAudit, verifyAudit } from '../../src/services/audit.ts';
import type { Actor } from '../../src/services/deps.ts';
import { importFolder } from '../../src/services/import.ts';
import ExcelJS from 'exceljs';
import { storePlanFile } from '../../src/services/plan-execution/files.ts';
import { registryTemplate, uploadRegistryWorkbook } from '../../src/services/plan-execution/registry-workbook.ts';
import { listEntries, reviewEntry, saveEntry } from '../../src/services/plan-execution/registries.ts';
import { assignOwners, reviewReport, saveReport, saveUnit, taskRowsOf } from '../../src/services/plan-execution/tasks.ts';
import { releaseTargetValues, targetRows } from '../../src/services/plan-execution/targets.ts';
import { enterTargetValue } from '../../src/services/plan-execution/values.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import type { Store } from '../../src/store/store.ts';
import { FAST_SCRYPT, org, seedOrgs } from '../http/submissions.fixture.ts';
import { backends } from '../helpers/stores.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-plan-execution-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const at = new Date('2025-03-01T02:00:00Z');
const clock = (): Date => at;
const system = { system: 'cli' } as const;

const lubanHeader = 'entry_code,name_zh,country,continent,partner_institution,chinese_institution,opened_year,closed_year,status,document';
const luban = (code: string, continent: string, year: number, status = 'operating'): string => `${code},${code}鲁班工坊,某国,${continent},合作院校,天津院校,${year},,${status},designation.txt`;

/** A folder with the luban registry (and its document) and anything else given. */
function folder(name: string, files: Record<string, string>, withDocument = true): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'documents'), { recursive: true });
  if (withDocument) writeFileSync(join(dir, 'documents', 'designation.txt'), '认定文件（测试）');
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

const problemsOf = async (p: Promise<unknown>): Promise<EduplanError> => {
  const e = await p.catch((x: unknown) => x);
  if (!(e instanceof EduplanError)) throw new Error(`expected an EduplanError, got ${String(e)}`);
  return e;
};

describe.each(backends)('plan execution on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const actors: Record<'city' | 'district_a' | 'district_b' | 'analyst', Actor> = {} as never;
  const deps = () => ({ store, clock });

  beforeAll(async () => {
    store = await backend.open();
    await seedOrgs(store);
    await loadPlan(store, await readPlanDir(bundledPlanDir()), clock);
    const grants: Record<keyof typeof actors, Grant[]> = {
      city: [{ role: 'city_admin', orgCode: org.city }],
      district_a: [{ role: 'district_reviewer', orgCode: org.districtA }],
      district_b: [{ role: 'district_reviewer', orgCode: org.districtB }],
      analyst: [{ role: 'analyst', orgCode: org.city }],
    };
    for (const [username, g] of Object.entries(grants) as Array<[keyof typeof actors, Grant[]]>) {
      const id = await insertAccount(store.db, at, { username, password: 'Correct-Horse-42', grants: g, scrypt: FAST_SCRYPT });
      actors[username] = { account: { id, username, displayName: username, grants: g, mfaDone: true, mustChangePassword: false, sessionHash: 'x' }, ip: '127.0.0.1' };
    }
    await saveUnit(deps(), system, 'dept-intl', { name_zh: '国际交流处', name_en: 'International', kind: 'department', org_code: org.city });
    await saveUnit(deps(), system, 'district-a', { name_zh: '和平区教育局', name_en: 'Heping', kind: 'district', org_code: org.districtA });
    await saveUnit(deps(), system, 'district-b', { name_zh: '河东区教育局', name_en: 'Hedong', kind: 'district', org_code: org.districtB });
  }, 120_000);
  afterAll(async () => { await store?.dispose(); });

  it('imports a registry file; the same file again changes nothing; a target counts its approved entries', async () => {
    const dir = folder(`luban-${backend.name}`, { 'registry-luban-workshops.csv': [lubanHeader, luban('A1', 'africa', 2019), luban('A2', 'africa', 2021), luban('A3', 'africa', 2024, 'building'), luban('S1', 'asia', 2016)].join('\n') });
    const first = await importFolder(store, dir, { clock });
    expect(first.files.find((f) => f.file === 'registry-luban-workshops.csv')).toMatchObject({ status: 'imported', rows: 4, kind: 'registry:luban_workshops' });
    const again = await importFolder(store, dir, { clock });
    expect(again.files.find((f) => f.file === 'registry-luban-workshops.csv')?.status).toBe('unchanged');
    const rows = await targetRows(store, { year: 2025, view: 'provisional' });
    const africa = rows.targets.find((t) => t.id === 'luban_workshops_africa');
    // Operating African workshops: A1, A2 (A3 is still being built).
    expect(africa).toMatchObject({ value: 2, entries: 2, data_path: 'registry', source: '专栏19', status: 'not_achieved', path: { registry: 'luban_workshops', filter: { continent: ['africa'], status: ['operating'] } } });
    const byYear = await targetRows(store, { year: 2020, view: 'provisional' });
    expect(byYear.targets.find((t) => t.id === 'luban_workshops_africa')).toMatchObject({ value: 1, value_year: 2020 });
    // The document is stored once, by content.
    const doc = await store.db.selectFrom('plan_file').select(['name', 'bytes']).execute();
    expect(doc).toEqual([{ name: 'designation.txt', bytes: Buffer.byteLength('认定文件（测试）') }]);
  });

  it('a folder with one bad file writes nothing, and lists every bad cell with its row and column', async () => {
    const dir = folder(`bad-${backend.name}`, {
      'registry-luban-workshops.csv': [lubanHeader, luban('B1', 'antarctica', 2020), 'B2,,某国,asia,合作院校,天津院校,20x1,,operating,designation.txt', luban('B3', 'asia', 2021).replace('designation.txt', 'missing.pdf')].join('\n'),
      'registry-elderly-universities.csv': 'entry_code,name_zh,district,designated_year,revoked_year,document\nE1,老年大学,120101,2022,,designation.txt\n',
      'registry-no-such-thing.csv': 'entry_code\nX\n',
    });
    const e = await problemsOf(importFolder(store, dir, { clock }));
    expect(e.code).toBe('E_IMPORT_INVALID');
    const found = e.problems.map((p) => [p.file, p.row ?? null, p.column ?? null, p.rule]);
    expect(found).toEqual(expect.arrayContaining([
      ['registry-luban-workshops.csv', 2, 'continent', 'enum'],
      ['registry-luban-workshops.csv', 3, 'name_zh', 'required'],
      ['registry-luban-workshops.csv', 3, 'opened_year', 'format'],
      ['registry-luban-workshops.csv', 4, 'document', 'document_missing'],
      ['registry-no-such-thing.csv', null, null, 'unknown_registry'],
    ]));
    for (const p of e.problems) expect(p.message_zh && p.message_en).toBeTruthy();
    // Nothing of the folder was written: not even the good elderly-universities file.
    expect(await store.db.selectFrom('registry_entry').select('entry_code').where('registry', '=', 'elderly_universities').execute()).toEqual([]);
    expect((await store.db.selectFrom('registry_entry').select('entry_code').where('registry', '=', 'luban_workshops').orderBy('entry_code').execute()).map((r) => r.entry_code)).toEqual(['A1', 'A2', 'A3', 'S1']);
  });

  it('a registry file is the whole registry: a row removed from it removes the entry, and the audit record says which', async () => {
    const dir = folder(`luban2-${backend.name}`, { 'registry-luban-workshops.csv': [lubanHeader, luban('A1', 'africa', 2019), luban('A3', 'africa', 2024, 'building'), luban('S1', 'asia', 2016)].join('\n') });
    await importFolder(store, dir, { clock });
    const africa = (await targetRows(store, { year: 2025, view: 'provisional' })).targets.find((t) => t.id === 'luban_workshops_africa');
    expect(africa?.value).toBe(1);
    const [replace] = await listAudit(store.db, { action: 'registry.replace', limit: 1 });
    expect(replace?.after).toMatchObject({ removed: ['A2'], added: [], updated: [] });
  });

  it('the workspace editor: a district keeps its district’s entries only; the city approves; every field checked', async () => {
    const { sha256 } = await store.transaction((tx) => storePlanFile(tx.db, at, { actor: 'district_a', actorId: actors.district_a.account.id, ip: null }, { name: '认定通知.pdf', content: Buffer.from('%PDF-1.4 test') }));
    const fields = (district: string) => ({ name_zh: `${district}示范性老年大学`, district, designated_year: '2023' });
    const mine = await saveEntry(deps(), actors.district_a, 'elderly_universities', 'EU-A', { fields: fields(org.districtA), document_sha256: sha256 });
    expect(mine).toMatchObject({ state: 'submitted', district_code: org.districtA, version: 1, document: { sha256, name: '认定通知.pdf' } });
    // Another district's entry: 403, audited as a denial.
    expect((await problemsOf(saveEntry(deps(), actors.district_a, 'elderly_universities', 'EU-B', { fields: fields(org.districtB), document_sha256: sha256 }))).code).toBe('E_FORBIDDEN');
    const denied = await listAudit(store.db, { action: 'access.denied', actor: 'district_a', limit: 1 });
    expect(denied[0]?.object_id).toBe('elderly_universities/EU-B');
    // Every bad field at once; a required document missing.
    const bad = await problemsOf(saveEntry(deps(), actors.district_a, 'elderly_universities', 'EU-A2', { fields: { name_zh: '', district: '1201019999', designated_year: '23' } }));
    expect(bad.problems.map((p) => [p.path, p.rule])).toEqual([['fields.name_zh', 'required'], ['fields.district', 'unknown_org'], ['fields.designated_year', 'format'], ['document_sha256', 'document_required']]);
    // Not counted until the city approves; a district cannot approve.
    const count = async (): Promise<number | null> => (await targetRows(store, { year: 2025, view: 'provisional' })).targets.find((t) => t.id === 'model_elderly_universities_per_district')?.coverage?.covered ?? null;
    expect(await count()).toBeNull();
    expect((await problemsOf(reviewEntry(deps(), actors.district_a, 'elderly_universities', 'EU-A', { decision: 'approve' }))).code).toBe('E_FORBIDDEN');
    expect(await reviewEntry(deps(), actors.city, 'elderly_universities', 'EU-A', { decision: 'approve' })).toMatchObject({ state: 'approved', approved_by: 'city' });
    expect(await count()).toBe(1);
    // A district sees its own entries; an edit from an old version is refused.
    expect((await listEntries(deps(), actors.district_b, 'elderly_universities')).map((e) => e.entry_code)).toEqual([]);
    expect((await problemsOf(saveEntry(deps(), actors.city, 'elderly_universities', 'EU-A', { fields: fields(org.districtA), document_sha256: sha256, version: 0 }))).code).toBe('E_STATE');
  });

  it('entered values need evidence and an owner; they show with their evidence', async () => {
    await assignOwners(deps(), system, 'lifelong_learning', { lead_unit: 'district-a', co_units: [], frequency: 'semiannual' });
    const { sha256 } = await store.transaction((tx) => storePlanFile(tx.db, at, { actor: 'cli', actorId: null, ip: null }, { name: 'survey-2024.pdf', content: Buffer.from('%PDF-1.4 survey') }));
    expect((await problemsOf(enterTargetValue(deps(), actors.district_a, 'town_elderly_schools_coverage', 2024, { value: 97, note: '', evidence: ['0'.repeat(64)] }))).problems[0]).toMatchObject({ rule: 'file_stored' });
    // District B owns nothing of lifelong learning: 403.
    expect((await problemsOf(enterTargetValue(deps(), actors.district_b, 'town_elderly_schools_coverage', 2024, { value: 97, note: '', evidence: [sha256] }))).code).toBe('E_FORBIDDEN');
    // A registry target is not entered by hand.
    expect((await problemsOf(enterTargetValue(deps(), actors.city, 'luban_workshops', 2024, { value: 30, note: '', evidence: [sha256] }))).problems[0]).toMatchObject({ rule: 'entered_target' });
    await enterTargetValue(deps(), actors.district_a, 'town_elderly_schools_coverage', 2024, { value: 97, note: '抽样调查', evidence: [sha256] });
    const row = (await targetRows(store, { year: 2024, view: 'provisional' })).targets.find((t) => t.id === 'town_elderly_schools_coverage');
    expect(row).toMatchObject({ value: 97, value_year: 2024, data_path: 'entered', evidence: [{ sha256, name: 'survey-2024.pdf' }] });
    const unentered = (await targetRows(store, { year: 2024, view: 'provisional' })).targets.find((t) => t.id === 'life_skills_per_year');
    expect(unentered).toMatchObject({ value: null, status: 'no_data', reason: 'not_entered', reason_en: expect.stringMatching(/not entered/) });
  });

  it('reports: owners only, a reason when at risk, locked once submitted, reviewed by the city', async () => {
    await assignOwners(deps(), system, 'p07_compulsory_balanced_action', { lead_unit: 'dept-intl', co_units: ['district-a', 'district-b'], frequency: 'semiannual' });
    const base = { item: 'p07_compulsory_balanced_action', period: '2024H2', status: 'at_risk' as const, reason: '', narrative_zh: '场馆建设滞后', narrative_en: '', evidence: [], submit: true };
    // District A for district B's unit: 403; for an item its district does not own: 403.
    expect((await problemsOf(saveReport(deps(), actors.district_a, { ...base, unit: 'district-b', reason: 'x' }))).code).toBe('E_FORBIDDEN');
    expect((await problemsOf(saveReport(deps(), actors.district_a, { ...base, item: 'p19_luban_workshops', unit: 'district-a', reason: 'x' }))).code).toBe('E_FORBIDDEN');
    expect((await problemsOf(saveReport(deps(), actors.district_a, { ...base, unit: 'district-a' }))).problems.map((p) => p.rule)).toEqual(['reason_required']);
    const r = await saveReport(deps(), actors.district_a, { ...base, unit: 'district-a', reason: '资金拨付晚于预期' });
    expect(r).toMatchObject({ state: 'submitted', status: 'at_risk', unit: { code: 'district-a' } });
    expect((await problemsOf(saveReport(deps(), actors.district_a, { ...base, unit: 'district-a', reason: '改' }))).code).toBe('E_STATE');
    expect((await problemsOf(reviewReport(deps(), actors.district_a, r.id, { decision: 'accept', note: '' }))).code).toBe('E_FORBIDDEN');
    expect((await problemsOf(reviewReport(deps(), actors.city, r.id, { decision: 'return', note: '' }))).problems[0]).toMatchObject({ rule: 'note_required' });
    expect(await reviewReport(deps(), actors.city, r.id, { decision: 'return', note: '请补充佐证' })).toMatchObject({ state: 'returned', review_note: '请补充佐证' });
    const again = await saveReport(deps(), actors.district_a, { ...base, unit: 'district-a', status: 'on_track', narrative_zh: '已追上进度' });
    expect(again).toMatchObject({ state: 'submitted', version: 2 });
    await reviewReport(deps(), actors.city, again.id, { decision: 'accept', note: '' });
    // The public task view shows accepted reports only; the lead unit has none, so 专栏7 is not reported.
    const pub = (await taskRowsOf(store, { view: 'public', now: at })).tasks.find((t) => t.code === 'p07_compulsory_balanced_action');
    expect(pub).toMatchObject({ status: 'not_reported', owners: { lead: { code: 'dept-intl' }, co: [{ code: 'district-a' }, { code: 'district-b' }] } });
    expect(pub?.reporting.expected).toBeGreaterThan(0);
  });

  it('the public sees target values only once the city releases the year; a second release is version 2', async () => {
    const before = (await targetRows(store, { year: 2024, view: 'public' })).targets.find((t) => t.id === 'town_elderly_schools_coverage');
    expect(before).toMatchObject({ value: null, status: 'no_data', reason: 'not_released' });
    expect((await problemsOf(releaseTargetValues(deps(), actors.district_a, { year: 2024, note: 'x' }))).code).toBe('E_FORBIDDEN');
    const v1 = await releaseTargetValues(deps(), actors.city, { year: 2024, note: '2024年目标数值' });
    expect(v1).toMatchObject({ year: 2024, version: 1, current: true });
    const after = (await targetRows(store, { year: 2024, view: 'public' })).targets.find((t) => t.id === 'town_elderly_schools_coverage');
    expect(after).toMatchObject({ value: 97, provisional: false, release: { id: v1.id, version: 1 } });
    // A later entry stays provisional until the next release.
    const { sha256 } = await store.transaction((tx) => storePlanFile(tx.db, at, { actor: 'cli', actorId: null, ip: null }, { name: 'survey-2024b.pdf', content: Buffer.from('%PDF-1.4 revised') }));
    await enterTargetValue(deps(), actors.city, 'town_elderly_schools_coverage', 2024, { value: 98, note: '修订', evidence: [sha256] });
    expect((await targetRows(store, { year: 2024, view: 'public' })).targets.find((t) => t.id === 'town_elderly_schools_coverage')?.value).toBe(97);
    const v2 = await releaseTargetValues(deps(), actors.city, { year: 2024, note: '修订' });
    expect(v2.version).toBe(2);
    expect((await targetRows(store, { year: 2024, view: 'public' })).targets.find((t) => t.id === 'town_elderly_schools_coverage')).toMatchObject({ value: 98, release: { version: 2 } });
  });

  it('the xlsx template and upload: a district replaces its district’s entries only, for the city to approve; every bad cell located', async () => {
    const { sha256 } = await store.transaction((tx) => storePlanFile(tx.db, at, { actor: 'cli', actorId: null, ip: null }, { name: '老年大学认定.pdf', content: Buffer.from('%PDF-1.4 elderly') }));
    const template = await registryTemplate(deps(), actors.district_b, 'elderly_universities');
    expect(template.fileName).toBe('registry-elderly-universities.xlsx');
    const fill = async (rows: Array<Array<string | number | { formula: string }>>): Promise<Buffer> => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(template.bytes as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('名录 Registry');
      if (!ws) throw new Error('no data sheet');
      const keys = (ws.getRow(1).values as unknown[]).slice(1).map(String);
      rows.forEach((r, i) => r.forEach((v, j) => { ws.getCell(3 + i, j + 1).value = v as ExcelJS.CellValue; }));
      expect(keys).toEqual(['entry_code', 'name_zh', 'district', 'designated_year', 'revoked_year', 'document_sha256']);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const good = await fill([['EU-B', '河东区示范性老年大学', org.districtB, 2024, '', sha256]]);
    const r = await uploadRegistryWorkbook(deps(), actors.district_b, 'elderly_universities', good, 'eu.xlsx');
    expect(r).toMatchObject({ added: ['EU-B'], removed: [], state: 'submitted' });
    // District A's entry is untouched by district B's upload.
    expect((await listEntries(deps(), actors.city, 'elderly_universities')).map((e) => [e.entry_code, e.state])).toEqual([['EU-A', 'approved'], ['EU-B', 'submitted']]);
    // Another district's code, a district not its own, a bad year and a formula: each located, nothing written.
    const bad = await fill([['EU-A', '冒用编号', org.districtB, 2024, '', sha256], ['EU-B2', '河西', org.districtA, 2024, '', sha256], ['EU-B3', '年份', org.districtB, 'next', '', sha256], ['EU-B4', { formula: '1+1' }, org.districtB, 2024, '', sha256]]);
    const e = await problemsOf(uploadRegistryWorkbook(deps(), actors.district_b, 'elderly_universities', bad, 'bad.xlsx'));
    expect(e.code).toBe('E_IMPORT_INVALID');
    expect(e.problems.map((p) => [p.row, p.column, p.rule])).toEqual(expect.arrayContaining([[6, 'B', 'formula'], [4, 'district', 'entry_district'], [5, 'designated_year', 'format']]));
    const e2 = await problemsOf(uploadRegistryWorkbook(deps(), actors.district_b, 'elderly_universities', await fill([['EU-A', '冒用编号', org.districtB, 2024, '', sha256]]), 'taken.xlsx'));
    expect(e2.problems).toEqual([expect.objectContaining({ row: 3, column: 'entry_code', rule: 'entry_district', value: 'EU-A' })]);
    expect((await listEntries(deps(), actors.city, 'elderly_universities')).map((x) => x.entry_code)).toEqual(['EU-A', 'EU-B']);
    // A city-kept registry: a district may not upload it.
    expect((await problemsOf(uploadRegistryWorkbook(deps(), actors.district_b, 'luban_workshops', good, 'x.xlsx'))).code).toBe('E_FORBIDDEN');
  });

  it('every change is in the audit chain, which verifies', async () => {
    const v = await verifyAudit(store.db);
    expect(v).toMatchObject({ ok: true, firstBreak: null });
    const actions = new Set((await listAudit(store.db, { limit: 1000 })).map((e) => e.action));
    for (const a of ['import.file', 'registry.replace', 'registry.entry.create', 'registry.entry.approve', 'plan.file.store', 'plan.unit.save', 'plan.owner.assign', 'target.value.enter', 'plan.report.submit', 'plan.report.return', 'plan.report.accept', 'target.release', 'access.denied']) {
      expect(actions.has(a), a).toBe(true);
    }
  });
});

