/**
 * The folder importer on every backend: a generated demo folder round-trips; the
 * same folder again is a no-op; a changed year file replaces that year; bad files
 * list every problem (file, row, column, value, rule) and write nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError, type Problem } from '../../src/core/errors.ts';
import { generateDemo } from '../../src/demo/index.ts';
import { importFolder } from '../../src/services/import.ts';
import { verifyAudit } from '../../src/services/audit.ts';
import { listOrgUnits } from '../../src/services/org-units.ts';
import { backends, type Backend } from '../helpers/stores.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-import-test-'));
const demo = join(root, 'demo');
const clock = (): Date => new Date('2025-03-01T08:00:00Z');

/** Parse a CSV written by the generator (no quoted fields in it). */
const lines = (path: string): string[][] => readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
const writeLines = (path: string, rows: readonly string[][]): void => writeFileSync(path, `${rows.map((r) => r.join(',')).join('\n')}\n`);

/** A copy of the demo folder with only some files, for focused cases. */
function folder(name: string, files: readonly string[]): string {
  const dir = join(root, name);
  for (const f of files) cpSync(join(demo, f), join(dir, f));
  return dir;
}

async function problemsOf(p: Promise<unknown>): Promise<Problem[]> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(EduplanError);
    expect((err as EduplanError).code).toBe('E_IMPORT_INVALID');
    return [...(err as EduplanError).problems];
  }
  throw new Error('expected the import to fail');
}

beforeAll(async () => {
  await generateDemo({ scale: 0.005, seed: 9, outDir: demo, students: false, planExecution: false });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(backends)('importFolder on $name', (backend: Backend) => {
  let store: Awaited<ReturnType<Backend['open']>>;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  const counts = async (): Promise<{ org: number; values: number; refs: number; batches: number }> => {
    const r = await sql<{ org: number; values: number; refs: number; batches: number }>`
      SELECT (SELECT count(*) FROM org_unit)::int AS org, (SELECT count(*) FROM data_value)::int AS values,
             (SELECT count(*) FROM reference_value)::int AS refs, (SELECT count(*) FROM import_batch)::int AS batches`.execute(store.db);
    const row = r.rows[0];
    if (!row) throw new Error('no counts');
    return row;
  };

  it('rejects a bad folder before anything is written: every problem located', async () => {
    const dir = folder(`bad-${backend.name}`, ['org-units.csv', 'school-stats-2020.csv', 'reference.csv']);
    const stats = lines(join(dir, 'school-stats-2020.csv'));
    const header = stats[0] ?? [];
    const col = (c: string): number => header.indexOf(c);
    const org = lines(join(dir, 'org-units.csv'));
    const kg = org.find((r) => r[5] === 'kindergarten')?.[0];
    const rowOf = (code: string | undefined): string[] => stats.find((r) => r[0] === code) ?? [];
    // Data rows start at line 3 (line 2 = Chinese labels). Each case on its own row:
    const r3 = stats[2] ?? []; r3[col('teachers.fulltime')] = '12a'; // bad number
    const r4 = stats[3] ?? []; r4[col('teachers.fulltime')] = '-4'; // negative
    const r5 = stats[4] ?? []; r5[0] = '3112990001'; // unknown org
    const r6 = stats[5] ?? []; r6[col('teachers.bachelor_plus')] = String(Number(r6[col('teachers.fulltime')]) + 3); // part > total
    const kgRow = rowOf(kg); kgRow[col('enrol.g1.f')] = '30'; // kindergarten reporting grade 1
    stats.push([...(stats[6] ?? [])]); // duplicate of line 7
    stats.push((stats[7] ?? []).slice(0, 10)); // truncated row
    header.push('enrol.g13.f'); // unknown column
    for (const r of stats.slice(1)) if (r.length > 10) r.push('');
    writeLines(join(dir, 'school-stats-2020.csv'), stats);
    const ref = lines(join(dir, 'reference.csv'));
    (ref[1] ?? [])[2] = 'pop.age99'; // unknown reference code
    (ref[2] ?? [])[3] = '-5'; // negative population
    writeLines(join(dir, 'reference.csv'), ref);

    const before = await counts();
    const problems = await problemsOf(importFolder(store, dir, { clock }));
    expect(await counts()).toEqual(before);

    const find = (rule: string, file: string): Problem | undefined => problems.find((p) => p.rule === rule && p.file === file);
    expect(find('unknown_column', 'school-stats-2020.csv')).toMatchObject({ row: 1, column: 'enrol.g13.f' });
    // The header is wrong, so rows are not checked further; fix it and check the rows.
    header.pop();
    for (const r of stats.slice(1)) if (r.length > 10) r.pop();
    writeLines(join(dir, 'school-stats-2020.csv'), stats);
    const rowProblems = await problemsOf(importFolder(store, dir, { clock }));
    expect(await counts()).toEqual(before);
    const at = (rule: string): Problem | undefined => rowProblems.find((p) => p.rule === rule && p.file === 'school-stats-2020.csv');
    expect(at('number')).toMatchObject({ row: 3, column: 'teachers.fulltime', value: '12a' });
    expect(at('non_negative')).toMatchObject({ row: 4, column: 'teachers.fulltime', value: '-4' });
    expect(at('unknown_org')).toMatchObject({ row: 5, column: 'org_code', value: '3112990001' });
    expect(at('subset_le_total')).toMatchObject({ row: 6, column: 'teachers.bachelor_plus' });
    expect(at('element_not_for_type')).toMatchObject({ column: 'enrol.g1.f', value: '30' });
    expect(at('duplicate_row')).toMatchObject({ row: stats.length - 1, column: 'org_code' });
    expect(at('column_count')).toMatchObject({ row: stats.length });
    const refProblems = rowProblems.filter((p) => p.file === 'reference.csv');
    expect(refProblems).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'enum', row: 2, column: 'code', value: 'pop.age99' }),
      expect.objectContaining({ rule: 'non_negative', row: 3, column: 'value', value: '-5' }),
    ]));
    for (const p of rowProblems) {
      expect(p.message_zh.length).toBeGreaterThan(0);
      expect(p.message_en.length).toBeGreaterThan(0);
      expect(p.fix_zh).toBeTruthy();
      expect(p.fix_en).toBeTruthy();
    }
  });

  it('rejects org units with unknown or wrong-level parents', async () => {
    const dir = folder(`bad-org-${backend.name}`, ['org-units.csv']);
    const org = lines(join(dir, 'org-units.csv'));
    (org[20] ?? [])[4] = '120199'; // a school whose district does not exist
    (org[21] ?? [])[4] = '120000'; // a school directly under the city
    (org[22] ?? [])[3] = 'campus'; // not a level
    writeLines(join(dir, 'org-units.csv'), org);
    const problems = await problemsOf(importFolder(store, dir, { clock }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 'parent_unknown', row: 21, column: 'parent_code', value: '120199' }),
      expect.objectContaining({ rule: 'parent_level', row: 22, column: 'parent_code', value: '120000' }),
      expect.objectContaining({ rule: 'enum', row: 23, column: 'level', value: 'campus' }),
    ]));
    expect((await counts()).org).toBe(0);
  });

  it('imports the demo folder; the same folder again changes nothing', async () => {
    const first = await importFolder(store, demo, { clock });
    expect(first.imported).toBe(8);
    const org = lines(join(demo, 'org-units.csv')).slice(1);
    const statsCells = [2020, 2021, 2022, 2023, 2024, 2025].reduce((sum, y) => sum + lines(join(demo, `school-stats-${y}.csv`)).slice(2).reduce((a, r) => a + r.slice(2).filter((c) => c !== '').length, 0), 0);
    const after = await counts();
    expect(after).toEqual({ org: org.length, values: statsCells, refs: lines(join(demo, 'reference.csv')).length - 1, batches: 8 });
    expect(first.rowsWritten).toBe(org.length + statsCells + after.refs);

    // One cell checked end to end.
    const stats = lines(join(demo, 'school-stats-2022.csv'));
    const col = (stats[0] ?? []).indexOf('teachers.fulltime');
    const school = stats[2] ?? [];
    const v = await store.db.selectFrom('data_value').select(['value', 'source']).where('org_code', '=', school[0] ?? '').where('year', '=', 2022).where('element', '=', 'teachers.fulltime').executeTakeFirstOrThrow();
    expect(v.value).toBe(Number(school[col]));
    expect(v.source).toMatch(/^import:\d+$/);
    const districtsListed = await listOrgUnits({ store, clock }, { level: 'district' });
    expect(districtsListed.map((d) => d.code)).toContain('120116');
    expect(districtsListed).toHaveLength(16);

    const again = await importFolder(store, demo, { clock });
    expect(again.imported).toBe(0);
    expect(again.unchanged).toBe(8);
    expect(again.rowsWritten).toBe(0);
    expect(await counts()).toEqual(after);

    // Every imported file left one audit event (in the chain), the no-op re-import none.
    const events = await store.db.selectFrom('audit_event').select(['action', 'object_id', 'after']).where('action', '=', 'import.file').execute();
    expect(events).toHaveLength(8);
    const batchIds = (await store.db.selectFrom('import_batch').select('id').execute()).map((b) => String(b.id)).sort();
    expect(events.map((e) => e.object_id).sort()).toEqual(batchIds);
    expect((await verifyAudit(store.db)).ok).toBe(true);
  });

  it('replaces a year when its file changed, leaving other years alone', async () => {
    const dir = folder(`changed-${backend.name}`, ['org-units.csv', 'school-stats-2021.csv', 'school-stats-2022.csv']);
    const stats = lines(join(dir, 'school-stats-2021.csv'));
    const col = (stats[0] ?? []).indexOf('teachers.fulltime');
    const school = stats[2] ?? [];
    school[col] = String(Number(school[col]) + 7);
    const dropped = stats.splice(3, 1)[0] ?? []; // a school left out of the new file
    writeLines(join(dir, 'school-stats-2021.csv'), stats);
    const before = await counts();
    const r = await importFolder(store, dir, { clock });
    expect(r.files.filter((f) => f.status === 'imported').map((f) => f.file)).toEqual(['school-stats-2021.csv']);
    const v = await store.db.selectFrom('data_value').select('value').where('org_code', '=', school[0] ?? '').where('year', '=', 2021).where('element', '=', 'teachers.fulltime').executeTakeFirstOrThrow();
    expect(v.value).toBe(Number(school[col]));
    const gone = await store.db.selectFrom('data_value').select('value').where('org_code', '=', dropped[0] ?? '').where('year', '=', 2021).execute();
    expect(gone).toHaveLength(0);
    const after = await counts();
    expect(after.values).toBe(before.values - dropped.slice(2).filter((c) => c !== '').length);
    expect(after.batches).toBe(before.batches + 1);
  });

  it('needs the pseudonym key for student files and writes nothing without it', async () => {
    const dir = folder(`students-${backend.name}`, ['reference.csv']);
    writeFileSync(join(dir, 'fitness-2020.csv'), '学校代码,年级编号\n');
    const before = await counts();
    await expect(importFolder(store, dir, { clock })).rejects.toMatchObject({ code: 'E_CONFIG' });
    await expect(importFolder(store, dir, { clock, pseudonymKey: 'short' })).rejects.toMatchObject({ code: 'E_CONFIG' });
    expect(await counts()).toEqual(before);
  });

  it('imports student records through the student service, once', async () => {
    const dir = join(root, `with-students-${backend.name}`);
    cpSync(demo, dir, { recursive: true });
    const g = await generateDemo({ scale: 0.005, seed: 9, outDir: join(root, `students-src-${backend.name}`), studentYears: [2025], studentSample: 0.05, planExecution: false });
    for (const f of g.files.filter((p) => /(fitness|vision)-2025\.csv$/.test(p))) cpSync(f, join(dir, f.split('/').pop() ?? ''));
    const key = 'test-pseudonym-key-0123456789';
    const r = await importFolder(store, dir, { clock, pseudonymKey: key });
    const students = r.files.filter((f) => f.kind === 'fitness' || f.kind === 'vision');
    expect(students.map((f) => [f.file, f.status])).toEqual([['fitness-2025.csv', 'imported'], ['vision-2025.csv', 'imported']]);
    const derived = await store.db.selectFrom('data_value').select(sql<number>`count(*)::int`.as('n')).where('year', '=', 2025).where('source', 'like', 'derived:%').executeTakeFirstOrThrow();
    expect(derived.n).toBeGreaterThan(0);
    const again = await importFolder(store, dir, { clock, pseudonymKey: key });
    expect(again.imported).toBe(0);
  });

  it('says which folder is missing', async () => {
    await expect(importFolder(store, join(root, 'nope'), { clock })).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' });
  });
});
