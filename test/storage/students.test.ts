/**
 * Student-record import on every backend: stored rows, pseudonyms, derived elements,
 * all-or-nothing, idempotence, replacement of a school-year, XLSX, vision.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { templateHeaders } from '../../src/ingest/student-records/index.ts';
import { importStudentFile } from '../../src/services/student-records.ts';
import type { Store } from '../../src/store/store.ts';
import { seedSchools } from '../helpers/org-units.ts';
import { backends } from '../helpers/stores.ts';

const KEY = 'test-pseudonym-key-0123456789';
const clock = () => new Date('2024-01-15T08:00:00Z');
const PRIMARY = '1201010001';
const JUNIOR = '1201010002';
const VOCATIONAL = '1201010003';

/** A checksum-valid fake ID number for a birth date (GB 11643). */
function fakeId(birth: string, seq: number): string {
  const id17 = `120101${birth}${String(seq).padStart(3, '0')}`;
  return `${id17}${idCheckChar(id17)}`;
}

type Cells = Partial<Record<string, string | number>>;
function csv(kind: 'fitness' | 'vision', rows: Cells[]): string {
  const headers = templateHeaders(kind);
  return [headers.join(','), ...rows.map((r) => headers.map((h) => String(r[h] ?? '')).join(','))].join('\n') + '\n';
}

/** 一年级 男, every item at its 100-point value (表1-1/1-3/1-5/1-7/1-9): 120 cm, 21.6 kg → BMI 15.0. */
const g11Boy = (no: number, extra: Cells = {}): Cells => ({
  学校代码: PRIMARY, 年级编号: 11, 班级编号: 1101, 班级名称: '一年级1班', 学籍号: `G${fakeId('20170315', 2 * no + 1)}`, 姓名: '张三', 性别: 1,
  出生日期: '20170315', 身高: 120, 体重: 21.6, 肺活量: 1700, '50米跑': 10.2, 坐位体前屈: 16.1, 一分钟跳绳: 109, ...extra,
});
/** 初一 女 (表1-2/1-4/1-6/1-8/1-12/1-14/1-16 at 100): 160 cm, 48.6 kg → BMI 19.0. */
const g21Girl = (no: number, extra: Cells = {}): Cells => ({
  学校代码: JUNIOR, 年级编号: 21, 学籍号: `G${fakeId('20110620', 2 * no)}`, 性别: 2, 出生日期: '2011-06-20',
  身高: 160, 体重: 48.6, 肺活量: 2750, '50米跑': 8.1, 坐位体前屈: 21.8, 立定跳远: 196, 一分钟仰卧起坐: 50, '800米跑(女)': "3'35", ...extra,
});

describe.each(backends)('student records on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let firstBatch: number | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-students-'));
  const count = async (table: 'student_fitness' | 'vision_screening', year: number): Promise<number> =>
    Number((await sql<{ c: number }>`SELECT count(*)::int AS c FROM ${sql.table(table)} WHERE year = ${year}`.execute(store.db)).rows[0]?.c);
  const element = async (org: string, year: number, code: string) =>
    store.db.selectFrom('data_value').select(['value', 'source']).where('org_code', '=', org).where('year', '=', year).where('element', '=', code).executeTakeFirst();

  beforeAll(async () => {
    store = await backend.open();
    await seedSchools(store, [
      { code: PRIMARY, district: '120101', type: 'primary' }, { code: JUNIOR, district: '120101', type: 'junior' }, { code: VOCATIONAL, district: '120101', type: 'vocational' },
    ]);
  });
  afterAll(async () => store?.dispose());

  it('imports, scores and pseudonymises a fitness file, and writes the derived elements', async () => {
    const file = join(dir, 'fitness-2023.csv');
    writeFileSync(file, csv('fitness', [
      g11Boy(1), // all 100 → 优秀
      g11Boy(2, { 坐位体前屈: 11.0, 一分钟跳绳: 87 }), // 90.0 → 优秀 (see score.test.ts)
      g11Boy(3, { 坐位体前屈: 0.0, '50米跑': 10.6, 一分钟跳绳: 87 }), // 80.0 → 良好
      g11Boy(4, { 一分钟跳绳: '' }), // missing item → incomplete, not counted
      g11Boy(5, { 身高: '免测', 免测: '是' }), // exempt
      g21Girl(6), // 100 → 优秀
      g21Girl(7, { 肺活量: 1800, '50米跑': 11.5, 坐位体前屈: 0, 立定跳远: 120, 一分钟仰卧起坐: 10, '800米跑(女)': "5'30" }), // 不及格
    ]));
    const progress: number[] = [];
    const r = await importStudentFile(store, file, { kind: 'fitness', pseudonymKey: KEY, clock, onProgress: (n) => progress.push(n) });
    expect(r).toMatchObject({ rows: 7, skipped: false });
    firstBatch = r.batchId;
    expect(progress.at(-1)).toBe(7);
    expect(await count('student_fitness', 2023)).toBe(7);

    const no1 = `G${fakeId('20170315', 3)}`;
    const pseudonym = createHmac('sha256', KEY).update(no1).digest('hex');
    const row = await store.db.selectFrom('student_fitness').selectAll().where('pseudonym', '=', pseudonym).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ org_code: PRIMARY, grade_code: 11, sex: 'm', age_years: 6, bmi: 15, standard_score: 100, annual_total: 100, grade_band: '优秀', complete: true, exempt: false });
    // No raw student or ID number anywhere in the stored rows.
    const all = JSON.stringify(await store.db.selectFrom('student_fitness').selectAll().execute());
    expect(all).not.toContain(no1.slice(1));
    expect(all).not.toContain('张三');

    // The import is audited with counts only: no student number or pseudonym in the log.
    const audit = await store.db.selectFrom('audit_event').select(['action', 'object_id', 'after']).where('action', '=', 'students.import').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.object_id).toBe(String(r.batchId));
    expect(JSON.stringify(audit[0]?.after)).toContain('"rows":7');
    expect(JSON.stringify(audit)).not.toContain(pseudonym);
    expect(JSON.stringify(audit)).not.toContain(no1.slice(1));

    const bands = await store.db.selectFrom('student_fitness').select(['grade_band', 'complete', 'exempt', 'annual_total']).where('org_code', '=', PRIMARY).orderBy('annual_total').execute();
    expect(bands.filter((b) => b.exempt)).toHaveLength(1);
    expect(bands.find((b) => !b.complete && !b.exempt)?.annual_total).toBe(80); // 100 minus 跳绳's 20

    // Derived elements: complete, non-exempt students only.
    expect(await element(PRIMARY, 2023, 'fitness.tested.g1.m')).toEqual({ value: 3, source: `derived:${r.batchId}` });
    expect((await element(PRIMARY, 2023, 'fitness.excellent_good.g1.m'))?.value).toBe(3);
    expect((await element(PRIMARY, 2023, 'fitness.passed.g1.m'))?.value).toBe(3);
    expect((await element(PRIMARY, 2023, 'fitness.tested.g1.f'))?.value).toBe(0);
    expect((await element(JUNIOR, 2023, 'fitness.tested.g7.f'))?.value).toBe(2);
    expect((await element(JUNIOR, 2023, 'fitness.excellent_good.g7.f'))?.value).toBe(1);
    expect((await element(JUNIOR, 2023, 'fitness.passed.g7.f'))?.value).toBe(1);
  });

  it('re-importing the same file is a no-op', async () => {
    const before = await store.db.selectFrom('import_batch').selectAll().execute();
    const r = await importStudentFile(store, join(dir, 'fitness-2023.csv'), { kind: 'fitness', pseudonymKey: KEY, clock });
    expect(r).toMatchObject({ skipped: true, rows: 7 });
    expect(await store.db.selectFrom('import_batch').selectAll().execute()).toEqual(before);
    expect(await store.db.selectFrom('audit_event').select('seq').where('action', '=', 'students.import').execute()).toHaveLength(1);
    expect(await count('student_fitness', 2023)).toBe(7);
  });

  it('rejects a bad file as a whole, listing every bad cell, and writes nothing', async () => {
    const file = join(dir, 'fitness-2024.csv');
    writeFileSync(file, csv('fitness', [
      g11Boy(1),
      g11Boy(2, { 肺活量: 99999 }), // range
      g11Boy(3, { 性别: 3 }), // sex code
      g11Boy(4, { 学籍号: `G${fakeId('20170315', 9).slice(0, 17)}0` }), // GB 11643 checksum (…0 is wrong here unless by chance)
      g11Boy(5, { 出生日期: '20100101' }), // age 13 in grade 1
      g21Girl(6, { '引体向上(男)': 3 }), // girls do not do pull-ups
      g21Girl(7, { '800米跑(女)': "3'75" }), // seconds > 59
      g11Boy(1), // duplicate student
      g11Boy(8, { 学校代码: '1201019999' }), // unknown school
    ]));
    const batches = (await store.db.selectFrom('import_batch').selectAll().execute()).length;
    const err = await importStudentFile(store, file, { kind: 'fitness', pseudonymKey: KEY, clock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    const e = err as EduplanError;
    expect(e.code).toBe('E_IMPORT_INVALID');
    const found = e.problems.map((p) => `${p.row}:${p.column}:${p.rule}`);
    expect(found).toEqual(expect.arrayContaining([
      '3:肺活量:range', '4:性别:sex_code', '6:出生日期:grade_age', '7:引体向上(男):item_not_for_grade', '8:800米跑(女):time_format',
      '9:学籍号:duplicate_student', '10:学校代码:school_unknown',
    ]));
    if (idCheckChar(fakeId('20170315', 9).slice(0, 17)) !== '0') expect(found).toContain('5:学籍号:id_checksum');
    for (const p of e.problems) expect(p.file).toBe('fitness-2024.csv');
    expect(await count('student_fitness', 2024)).toBe(0);
    expect((await store.db.selectFrom('import_batch').selectAll().execute()).length).toBe(batches);
    const dv = await store.db.selectFrom('data_value').select(sql<number>`count(*)::int`.as('c')).where('year', '=', 2024).executeTakeFirstOrThrow();
    expect(dv.c).toBe(0);
  });

  it('rejects a file without the required columns, naming them', async () => {
    const file = join(dir, 'fitness-2022.csv');
    writeFileSync(file, '学校代码,学籍号,身高\n1201010001,G1,120\n');
    const e = await importStudentFile(store, file, { kind: 'fitness', pseudonymKey: KEY, clock }).then(() => undefined, (x: unknown) => x as EduplanError);
    expect(e).toBeInstanceOf(EduplanError);
    expect(e?.problems.filter((p) => p.rule === 'missing_column').map((p) => p.column)).toEqual(['年级编号', '性别', '出生日期']);
  });

  it('a corrected file for the same school and year says what it would replace, and replaces that school-year only once confirmed', async () => {
    const file = join(dir, 'fitness-2023-corrected.csv');
    writeFileSync(file, csv('fitness', [g11Boy(1), g11Boy(2, { 肺活量: 700 })]));
    const rowsBefore = await store.db.selectFrom('student_fitness').select(['org_code', 'batch_id']).where('year', '=', 2023).orderBy('org_code').execute();
    const batchesBefore = await store.db.selectFrom('import_batch').select('id').execute();
    // Unconfirmed: nothing changes, and the answer names the school with both counts.
    const refused = await importStudentFile(store, file, { kind: 'fitness', year: 2023, pseudonymKey: KEY, clock }).then(() => null, (e: unknown) => e as EduplanError);
    expect(refused?.code).toBe('E_REPLACE_UNCONFIRMED');
    const storedThere = rowsBefore.filter((x) => x.org_code === PRIMARY).length;
    expect(refused?.problems).toEqual([expect.objectContaining({ rule: 'replaces_stored_records', value: PRIMARY, message_en: `school ${PRIMARY} has ${storedThere} stored fitness record(s) for 2023; this file would replace them with 2` })]);
    expect(await store.db.selectFrom('student_fitness').select(['org_code', 'batch_id']).where('year', '=', 2023).orderBy('org_code').execute()).toEqual(rowsBefore);
    expect(await store.db.selectFrom('import_batch').select('id').execute()).toEqual(batchesBefore);
    // Confirmed: the school's year is replaced; the other school keeps its records.
    const r = await importStudentFile(store, file, { kind: 'fitness', year: 2023, pseudonymKey: KEY, clock, replace: true });
    expect(r.rows).toBe(2);
    const perSchool = await store.db.selectFrom('student_fitness').select(['org_code', sql<number>`count(*)::int`.as('c'), sql<number>`min(batch_id)`.as('b')]).where('year', '=', 2023).groupBy('org_code').orderBy('org_code').execute();
    expect(perSchool).toEqual([{ org_code: PRIMARY, c: 2, b: r.batchId }, { org_code: JUNIOR, c: 2, b: firstBatch }]);
    expect(await element(PRIMARY, 2023, 'fitness.tested.g1.m')).toEqual({ value: 2, source: `derived:${r.batchId}` });
    // 肺活量 700 → 60 (×15 = 9): 91 → still 优秀.
    expect((await element(PRIMARY, 2023, 'fitness.excellent_good.g1.m'))?.value).toBe(2);
    expect((await element(JUNIOR, 2023, 'fitness.tested.g7.f'))?.value).toBe(2);
  });

  it('reads the same template from an XLSX workbook', async () => {
    const file = join(dir, 'fitness-2024.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('体测');
    const headers = templateHeaders('fitness');
    ws.addRow(headers);
    for (const r of [g11Boy(1), g11Boy(2, { 一分钟跳绳: 130 })]) ws.addRow(headers.map((h) => r[h] ?? null));
    // Student numbers and codes typed as text; numbers as numbers, as clerks' sheets have them.
    await wb.xlsx.writeFile(file);
    const r = await importStudentFile(store, file, { kind: 'fitness', pseudonymKey: KEY, clock });
    expect(r.rows).toBe(2);
    const totals = await store.db.selectFrom('student_fitness').select(['annual_total', 'bonus']).where('year', '=', 2024).orderBy('annual_total').execute();
    // 跳绳 130 = 109 + 21 → 表2-1 +10.
    expect(totals).toEqual([{ annual_total: 100, bonus: 0 }, { annual_total: 110, bonus: 10 }]);
  });

  it('imports vision screening and classifies screening myopia', async () => {
    const file = join(dir, 'vision-2023.csv');
    const base = { 学校代码: VOCATIONAL, 年级编号: 31, 性别: 1, 出生日期: '20080301' };
    writeFileSync(file, csv('vision', [
      { ...base, 学籍号: `G${fakeId('20080301', 1)}`, 右眼裸眼视力: 4.7, 左眼裸眼视力: 5.0, 右眼屈光球镜S: '-1.25', 右眼屈光柱镜C: '-0.50', 左眼屈光球镜S: '+0.25', 左眼屈光柱镜C: 0 }, // myopic (right SE −1.50)
      { ...base, 学籍号: `G${fakeId('20080301', 3)}`, 右眼裸眼视力: 5.0, 左眼裸眼视力: 5.1, 右眼屈光球镜S: '-0.75', 左眼屈光球镜S: 0 }, // acuity 5.0: not myopic
      { ...base, 学籍号: `G${fakeId('20080301', 5)}`, 性别: 1, 右眼裸眼视力: 4.8, 左眼裸眼视力: 4.8, 右眼屈光球镜S: '-0.25', 右眼屈光柱镜C: '-0.50', 左眼屈光球镜S: '+1.00' }, // SE −0.50 exactly: myopic under ≤
      { ...base, 学籍号: `G${fakeId('20080301', 7)}`, 右眼裸眼视力: 0, 左眼裸眼视力: 9.0, 右眼屈光球镜S: '-6.00', 左眼屈光球镜S: '-5.50' }, // below 3.0 written 0 / 9.0
    ]));
    const r = await importStudentFile(store, file, { kind: 'vision', pseudonymKey: KEY, clock });
    expect(r.rows).toBe(4);
    const rows = await store.db.selectFrom('vision_screening').select(['se_right', 'myopic', 'va_left']).where('year', '=', 2023).orderBy('se_right').execute();
    expect(rows).toEqual([
      { se_right: -6, myopic: true, va_left: 0 },
      { se_right: -1.5, myopic: true, va_left: 5 },
      { se_right: -0.75, myopic: false, va_left: 5.1 },
      { se_right: -0.5, myopic: true, va_left: 4.8 },
    ]);
    expect((await element(VOCATIONAL, 2023, 'vision.screened.v1.m'))?.value).toBe(4);
    expect((await element(VOCATIONAL, 2023, 'vision.myopic.v1.m'))?.value).toBe(3);
    // Configurable threshold: with SE < −0.50 the exact −0.50 eye is not myopic.
    const strict = join(dir, 'vision-2022.csv');
    writeFileSync(strict, csv('vision', [{ ...base, 学籍号: `G${fakeId('20080301', 5)}`, 出生日期: '20070301', 右眼裸眼视力: 4.8, 左眼裸眼视力: 5.0, 右眼屈光球镜S: '-0.25', 右眼屈光柱镜C: '-0.50', 左眼屈光球镜S: 0 }]));
    await importStudentFile(store, strict, { kind: 'vision', pseudonymKey: KEY, clock, myopiaPolicy: { acuityCutoff: 5.0, seThreshold: -0.5, seComparison: 'lt', minAgeYears: 6, orthoKIsMyopic: true } });
    expect((await element(VOCATIONAL, 2022, 'vision.myopic.v1.m'))?.value).toBe(0);
  });

  it('needs a pseudonym key and a year', async () => {
    await expect(importStudentFile(store, join(dir, 'fitness-2023.csv'), { kind: 'fitness', pseudonymKey: 'short', clock })).rejects.toMatchObject({ code: 'E_CONFIG' });
    const noYear = join(dir, 'records.csv');
    writeFileSync(noYear, csv('fitness', [g11Boy(1)]));
    await expect(importStudentFile(store, noYear, { kind: 'fitness', pseudonymKey: KEY, clock })).rejects.toMatchObject({ code: 'E_IMPORT_INVALID' });
  });
});
