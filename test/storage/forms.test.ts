/**
 * The forms service on every backend: templates from the stored org unit, validateDraft
 * with last year's values, similar schools (same type and district) and cross-form counts
 * read from data_value, and uploads that change nothing when refused.
 */
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { SHEET_DATA } from '../../src/ingest/xlsx-form-layout.ts';
import { checkWorkbook, formTemplate, validateDraft } from '../../src/services/forms.ts';
import { validationContext } from '../../src/services/form-context.ts';
import { formByCode, type FormDef } from '../../src/core/forms/index.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';
import { filledGood, goodValues } from '../ingest/fixtures.ts';
import { writeZip } from '../ingest/zip-helper.ts';

const ME = '1201010001';
const peerCodes = ['1201010002', '1201010003', '1201010004', '1201010005', '1201010006', '1201010007'];
const OTHER_DISTRICT_PEER = '1201020001';
const JUNIOR = '1201010100';

async function seed(store: Store): Promise<void> {
  const base = { name_en: '', ownership: 'public' as const, inclusive: null, urban_rural: 'urban' as const, opened: null, closed: null };
  const none = { ownership: null, urban_rural: null, school_type: null };
  await store.db.insertInto('org_unit').values([
    { ...base, ...none, code: '120000', name_zh: '天津市', level: 'city', parent_code: null },
    { ...base, ...none, code: '120101', name_zh: '和平区', name_en: 'Heping', level: 'district', parent_code: '120000' },
    { ...base, ...none, code: '120102', name_zh: '河东区', level: 'district', parent_code: '120000' },
    { ...base, code: ME, name_zh: '和平区第一小学', level: 'school', parent_code: '120101', school_type: 'primary' },
    ...peerCodes.map((code, i) => ({ ...base, code, name_zh: `和平区第${i + 2}小学`, level: 'school' as const, parent_code: '120101', school_type: 'primary' })),
    { ...base, code: OTHER_DISTRICT_PEER, name_zh: '河东区第一小学', level: 'school', parent_code: '120102', school_type: 'primary' },
    { ...base, code: JUNIOR, name_zh: '和平区第一中学', level: 'school', parent_code: '120101', school_type: 'junior' },
  ]).execute();
  const rows: Array<{ org_code: string; year: number; element: string; value: number; source: string }> = [];
  // Peers' student–teacher ratios 10, 11, 12, 12, 13, 14 (pupils per 10 teachers).
  [10, 11, 12, 12, 13, 14].forEach((r, i) => {
    const org = peerCodes[i] as string;
    rows.push({ org_code: org, year: 2023, element: 'enrol.g1.m', value: r * 10, source: 'test' }, { org_code: org, year: 2023, element: 'teachers.fulltime', value: 10, source: 'test' });
  });
  // A school in another district with a wild ratio must not count as a peer.
  rows.push({ org_code: OTHER_DISTRICT_PEER, year: 2023, element: 'enrol.g1.m', value: 5000, source: 'test' }, { org_code: OTHER_DISTRICT_PEER, year: 2023, element: 'teachers.fulltime', value: 10, source: 'test' });
  // Last year: 30 teachers. This year's fitness upload: 70 girls tested in grade 2.
  rows.push({ org_code: ME, year: 2022, element: 'teachers.fulltime', value: 30, source: 'test' });
  rows.push({ org_code: ME, year: 2023, element: 'fitness.tested.g2.f', value: 70, source: 'test' });
  await store.db.insertInto('data_value').values(rows).execute();
}

/** 720 pupils, 40 teachers: ratio 18. */
function myValues(): Record<string, number | null> {
  const v: Record<string, number | null> = { ...goodValues() };
  for (const g of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6']) { v[`enrol.${g}.m`] = 60; v[`enrol.${g}.f`] = 60; }
  v['classes.cmp.lt46'] = 18;
  v['entrants.g1'] = 120;
  return v;
}

async function counts(store: Store): Promise<{ dv: number; batches: number }> {
  const r = await sql<{ dv: number; batches: number }>`SELECT (SELECT count(*)::int FROM data_value) AS dv, (SELECT count(*)::int FROM import_batch) AS batches`.execute(store.db);
  return r.rows[0] as { dv: number; batches: number };
}

describe.each(backends)('forms service on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let template: Buffer;
  const system = { system: 'cli' } as const;
  const deps = () => ({ store, clock: () => new Date('2023-09-01T00:00:00Z') });
  beforeAll(async () => {
    store = await backend.open();
    await seed(store);
    template = (await formTemplate(deps(), system, { formCode: 'annual.primary', orgCode: ME, year: 2023 })).file;
  });
  afterAll(async () => store?.dispose());

  it('builds the template from the stored org unit', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(SHEET_DATA) as ExcelJS.Worksheet;
    expect([2, 3, 4, 5, 6, 7].map((r) => ws.getCell(`C${r}`).value)).toEqual([
      'annual.primary', ME, '和平区第一小学', '和平区 Heping (120101)', '小学 Primary school (primary)', 2023,
    ]);
  });

  it('refuses a template for an unknown school or the wrong school type', async () => {
    await expect(formTemplate(deps(), system, { formCode: 'annual.primary', orgCode: '1201019999', year: 2023 })).rejects.toMatchObject({ code: 'E_ORG_UNKNOWN' });
    const err = await formTemplate(deps(), system, { formCode: 'annual.primary', orgCode: JUNIOR, year: 2023 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    expect((err as EduplanError).problems[0]).toMatchObject({ rule: 'form_school_type', fix_en: 'Use form annual.junior' });
    await expect(formTemplate(deps(), system, { formCode: 'annual.nursery', orgCode: ME, year: 2023 })).rejects.toMatchObject({ code: 'E_FORM_UNKNOWN' });
  });

  it('reads last year, same-district peers and cross-form counts from data_value', async () => {
    const ctx = await validationContext(store.db, formByCode('annual.primary') as FormDef, ME, 2023);
    expect(ctx.lastYear).toEqual({ 'teachers.fulltime': 30 });
    expect(ctx.related).toEqual({ 'fitness.tested.g2.f': 70 });
    expect(ctx.peers).toHaveLength(6);
  });

  it('validateDraft: change from last year, modified-z outlier among peers, cross-form count', async () => {
    const r = await validateDraft(deps(), system, { orgCode: ME, formCode: 'annual.primary', year: 2023, values: myValues() });
    expect(r.hard).toEqual([]);
    expect(r.soft.map((p) => [p.rule, p.value])).toEqual([
      ['fitness_tested_le_enrolled.g2.f', { 'fitness.tested.g2.f': 70, 'enrol.g2.f': 60 }],
      ['change_teachers', { value: 40, lastYear: 30, changePct: 33.3 }],
      // Sample 10,11,12,12,13,14,18: median 12, MAD 1, M = 0.6745 × 6 = 4.05.
      ['outlier_pupil_teacher', { value: 18, median: 12, mad: 1, modifiedZ: 4.05, peers: 6 }],
    ]);
    expect(r.unexplained).toHaveLength(3);
    const explained = await validateDraft(deps(), system, { orgCode: ME, formCode: 'annual.primary', year: 2023, values: myValues(), comments: { 'teachers.fulltime': '新增10名教师（区内调配）', 'enrol.g2.f': '学年内转入10名' } });
    expect(explained.unexplained).toEqual([]);
  });

  it('checks an uploaded workbook end to end, problems on their cells', async () => {
    let backboneRow = 0;
    const filled = await filledGood(template, (ws, _wb, rowOf) => { backboneRow = rowOf('teachers.backbone'); ws.getCell(`F${backboneRow}`).value = 50; }, myValues() as Record<string, number>);
    const before = await counts(store);
    const r = await checkWorkbook(deps(), system, { file: filled, fileName: 'a1.xlsx' });
    expect(r.ready).toBe(false);
    expect(r.validation.hard).toEqual([expect.objectContaining({ rule: 'backbone_le_fulltime', file: 'a1.xlsx', sheet: SHEET_DATA, column: 'F', row: backboneRow })]);
    expect(await counts(store)).toEqual(before);
  });

  it('writes nothing for hostile or wrong-type files', async () => {
    const before = await counts(store);
    await expect(checkWorkbook(deps(), system, { file: Buffer.from('学校代码,在校生\n1201010001,528\n'), fileName: 'x.xlsx' })).rejects.toMatchObject({ code: 'E_IMPORT_FILE_TYPE' });
    const bomb = writeZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.alloc(50 * 1024 * 1024, 0x20) }]);
    await expect(checkWorkbook(deps(), system, { file: bomb, fileName: 'bomb.xlsx' })).rejects.toMatchObject({ code: 'E_IMPORT_TOO_LARGE' });
    expect(await counts(store)).toEqual(before);
  });
});
