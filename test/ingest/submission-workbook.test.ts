/**
 * The spreadsheet way in: template round trip, and malformed, huge, wrong-type and hostile
 * files, each asserting the exact problems reported (and, being all-or-nothing, that no
 * values come back).
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { formFields } from '../../src/core/forms/index.ts';
import { validateValues } from '../../src/core/validation/engine.ts';
import { locateInWorkbook, readSubmissionWorkbook } from '../../src/ingest/submission-workbook.ts';
import { SHEET_DATA } from '../../src/ingest/xlsx-form-layout.ts';
import { filledGood as filledGoodBase, form, goodValues, makeTemplate, type Edit } from './fixtures.ts';
import { patchZip, readZip, writeZip } from './zip-helper.ts';

let template: Buffer;
beforeAll(async () => {
  template = await makeTemplate();
});

const filledGood = (extra?: Edit): Promise<Buffer> => filledGoodBase(template, extra);

async function problemsOf(input: Buffer, limits = {}): Promise<{ code: string; problems: ReadonlyArray<Record<string, unknown>> }> {
  try {
    await readSubmissionWorkbook(input, { fileName: 'school.xlsx', ...limits });
  } catch (err) {
    if (err instanceof EduplanError) return { code: err.code, problems: err.problems.map((p) => ({ ...p })) };
    throw err;
  }
  throw new Error('expected the file to be refused');
}

describe('template round trip', () => {
  it('generates → is filled with exceljs → reads back → validates clean', async () => {
    const filled = await filledGood((ws, _wb, rowOf) => { ws.getCell(`G${rowOf('teachers.fulltime')}`).value = '含2名交流教师'; });
    const wb = await readSubmissionWorkbook(filled, { fileName: 'school.xlsx' });
    expect(wb).toMatchObject({ orgCode: '1201010001', formCode: 'annual.primary', year: 2023, signoffs: { preparer: '张三', reviewer: '李四', head: '王五' }, comments: { 'teachers.fulltime': '含2名交流教师' } });
    expect(wb.values).toEqual(goodValues());
    expect(validateValues(form, wb.values, { comments: wb.comments })).toEqual({ hard: [], soft: [], unexplained: [] });
  });

  it('locks identity cells, leaves value/comment/sign-off cells open, and has the drop-down and number validation', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const ws = wb.getWorksheet(SHEET_DATA) as ExcelJS.Worksheet;
    expect(ws.getCell('C3').value).toBe('1201010001');
    expect(ws.getCell('C4').value).toBe('和平区第一小学');
    expect(ws.getCell('C5').value).toBe('和平区 Heping (120101)');
    expect(ws.getCell('C3').protection?.locked).not.toBe(false);
    expect(ws.getCell('C8').protection?.locked).toBe(false);
    let flagRow = 0;
    let countRow = 0;
    ws.eachRow((row, n) => { if (row.getCell(2).value === 'wireless.covered') flagRow = n; if (row.getCell(2).value === 'enrol.g1.f') countRow = n; });
    expect(ws.getCell(`F${flagRow}`).dataValidation).toMatchObject({ type: 'list', formulae: ['"0,1"'] });
    expect(ws.getCell(`F${countRow}`).dataValidation).toMatchObject({ type: 'whole', operator: 'between', formulae: [0, 1_000_000] });
    expect(ws.getCell(`F${countRow}`).protection?.locked).toBe(false);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['填报说明 Instructions', '数据 Data']);
    expect(String(wb.worksheets[0]?.getCell('A3').value)).toContain('只填写');
  });

  it('puts validation problems back on their cells', async () => {
    const filled = await filledGood((ws, _wb, rowOf) => { ws.getCell(`F${rowOf('teachers.backbone')}`).value = 41; });
    const wb = await readSubmissionWorkbook(filled, { fileName: 'school.xlsx' });
    const r = validateValues(form, wb.values);
    const located = locateInWorkbook(r.hard, wb);
    const row = wb.cells['teachers.backbone']?.row;
    expect(located).toEqual([expect.objectContaining({ rule: 'backbone_le_fulltime', file: 'school.xlsx', sheet: SHEET_DATA, row, column: 'F' })]);
  });
});

describe('malformed cells (every bad cell listed, nothing returned)', () => {
  it('lists text in number cells, formulas, dates and booleans with sheet, row, column and value', async () => {
    let rows: Record<string, number> = {};
    const bad = await filledGood((ws, _wb, rowOf) => {
      rows = { a: rowOf('enrol.g1.m'), b: rowOf('enrol.g1.f'), c: rowOf('teachers.fulltime'), d: rowOf('rooms.multimedia'), e: rowOf('wireless.covered'), f: rowOf('enrol.g2.m') };
      ws.getCell(`F${rows.a}`).value = '45人';
      ws.getCell(`F${rows.b}`).value = { formula: 'SUM(1,2)', result: 3 };
      // Excel turns a typed "1-2" into a date and gives the cell a date format.
      ws.getCell(`F${rows.c}`).value = new Date('2023-01-02T00:00:00Z');
      // (A fresh style object: exceljs shares loaded styles between cells.)
      ws.getCell(`F${rows.c}`).style = { ...ws.getCell(`F${rows.c}`).style, numFmt: 'yyyy-mm-dd' };
      ws.getCell(`F${rows.d}`).value = 'abc';
      ws.getCell(`F${rows.e}`).value = true;
      ws.getCell(`F${rows.f}`).value = '４５'; // full-width digits are accepted
    });
    const { code, problems } = await problemsOf(bad);
    expect(code).toBe('E_IMPORT_INVALID');
    expect(problems.map((p) => [p.rule, p.row, p.column, p.value])).toEqual([
      ['formula', rows.b, 'F', '=SUM(1,2)'],
      ['not_a_number', rows.a, 'F', '45人'],
      ['not_a_number', rows.c, 'F', '2023-01-02'],
      ['not_a_number', rows.d, 'F', 'abc'],
      ['not_a_number', rows.e, 'F', true],
    ]);
    for (const p of problems) {
      expect(p).toMatchObject({ file: 'school.xlsx', sheet: SHEET_DATA });
      expect(String(p.message_zh).length).toBeGreaterThan(0);
      expect(String(p.fix_en).length).toBeGreaterThan(0);
    }
  });

  it('refuses hidden sheets, extra sheets and merged cells, saying which', async () => {
    const bad = await filledGood((ws, wb) => {
      const h = wb.addWorksheet('草稿');
      h.getCell('A1').value = 999;
      h.state = 'hidden';
      wb.addWorksheet('Sheet3').getCell('A1').value = 'notes';
      ws.mergeCells('G13:G14');
    });
    const { code, problems } = await problemsOf(bad);
    expect(code).toBe('E_IMPORT_INVALID');
    expect(problems.map((p) => [p.rule, p.sheet, p.value ?? null])).toEqual([
      ['hidden_sheet', '草稿', 'hidden'],
      ['extra_sheet', 'Sheet3', null],
      ['merged_cells', SHEET_DATA, 'G13:G14'],
    ]);
  });

  it('reports codes edited, duplicated or deleted, and an unknown form', async () => {
    let rows: Record<string, number> = {};
    const bad = await filledGood((ws, _wb, rowOf) => {
      rows = { x: rowOf('rooms.multimedia'), y: rowOf('area.sports_m2') };
      ws.getCell(`B${rows.x}`).value = 'rooms.smart';
      ws.getCell(`B${rows.y}`).value = 'area.teaching_aux_m2';
    });
    const { problems } = await problemsOf(bad);
    expect(problems.map((p) => [p.rule, p.row ?? null, p.value])).toEqual([
      ['duplicate_code', rows.y, 'area.teaching_aux_m2'],
      ['unknown_code', rows.x, 'rooms.smart'],
      ['missing_row', null, 'area.sports_m2'],
      ['missing_row', null, 'rooms.multimedia'],
    ]);
    const wrongForm = await filledGood((ws) => { ws.getCell('C2').value = 'annual.university'; });
    expect((await problemsOf(wrongForm)).problems.map((p) => [p.rule, p.row, p.column, p.value])).toEqual([['unknown_form', 2, 'C', 'annual.university']]);
  });

  it('keeps prototype-polluting codes inert', async () => {
    let row = 0;
    const bad = await filledGood((ws, _wb, rowOf) => { row = rowOf('rooms.multimedia'); ws.getCell(`B${row}`).value = '__proto__'; ws.getCell(`F${row}`).value = 1; ws.getCell(`G${row}`).value = 'x'; });
    const { problems } = await problemsOf(bad);
    expect(problems.map((p) => [p.rule, p.row ?? null, p.value])).toEqual([['unknown_code', row, '__proto__'], ['missing_row', null, 'rooms.multimedia']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('refuses a sheet over the row limit as too large', async () => {
    const big = await filledGood((ws) => { ws.getCell('A400').value = 'x'; });
    const { code, problems } = await problemsOf(big, { maxRows: 100 });
    expect(code).toBe('E_IMPORT_TOO_LARGE');
    expect(problems.map((p) => p.rule)).toEqual(['max_rows']);
  });
});

describe('wrong file types', () => {
  it.each([
    ['a CSV renamed .xlsx', Buffer.from('学校代码,在校生\n1201010001,528\n'), /CSV/],
    ['a PDF renamed .xlsx', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), /PDF/],
    ['an old .xls (OLE2)', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100)]), /\.xls/],
    ['an HTML page', Buffer.from('<!DOCTYPE html><html><body>x</body></html>'), /HTML/],
    ['an empty file', Buffer.alloc(0), /empty/],
    ['a plain zip', writeZip([{ name: 'readme.txt', data: Buffer.from('hello') }]), /plain zip/],
  ])('names %s', async (_what, buf, msg) => {
    const { code, problems } = await problemsOf(buf);
    expect(code).toBe('E_IMPORT_FILE_TYPE');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'school.xlsx', rule: 'file_type' });
    expect(String(problems[0]?.message_en)).toMatch(msg);
  });

  it('refuses a macro-enabled workbook', async () => {
    const xlsm = patchZip(template, (_n, d) => d, [{ name: 'xl/vbaProject.bin', data: Buffer.from('macro') }]);
    const { code, problems } = await problemsOf(xlsm);
    expect(code).toBe('E_IMPORT_FILE_TYPE');
    expect(String(problems[0]?.message_en)).toMatch(/macro/);
  });
});

describe('hostile zips (checked before any parser runs)', () => {
  const sheet = (): Buffer => readZip(template).find((e) => e.name === 'xl/worksheets/sheet2.xml')?.data ?? Buffer.alloc(0);

  it('refuses a zip bomb by its declared sizes and ratio', async () => {
    // 60 MB of zeros deflates to ~60 KB: ratio ~1000:1.
    const bomb = patchZip(template, (n, d) => (n === 'xl/worksheets/sheet2.xml' ? Buffer.concat([d, Buffer.alloc(60 * 1024 * 1024, 0x20)]) : d));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { code, problems } = await problemsOf(bomb);
    expect(code).toBe('E_IMPORT_TOO_LARGE');
    expect(problems.map((p) => [p.rule, p.value])).toEqual([['zip_ratio', 'xl/worksheets/sheet2.xml']]);
  });

  it('refuses a total uncompressed size over the limit', async () => {
    const { code, problems } = await problemsOf(template, { maxUncompressedBytes: 10_000 });
    expect(code).toBe('E_IMPORT_TOO_LARGE');
    expect(problems.map((p) => p.rule)).toEqual(['max_uncompressed']);
  });

  it('stops inflating a part whose header lies about its size', async () => {
    const lying = writeZip(readZip(template).map((e) => (e.name === 'xl/worksheets/sheet2.xml' ? { name: e.name, data: Buffer.concat([e.data, Buffer.alloc(5 * 1024 * 1024, 0x20)]), declaredSize: 1000 } : e)));
    const { code, problems } = await problemsOf(lying);
    expect(code).toBe('E_IMPORT_TOO_LARGE');
    expect(problems.map((p) => [p.rule, p.value])).toEqual([['zip_size_lie', 'xl/worksheets/sheet2.xml']]);
  });

  it('refuses too many entries and entries hidden from the central directory', async () => {
    const many = writeZip([...readZip(template), ...Array.from({ length: 300 }, (_, i) => ({ name: `xl/media/x${i}.bin`, data: Buffer.from([i % 256]) }))]);
    expect((await problemsOf(many)).problems.map((p) => p.rule)).toEqual(['max_entries']);
    const hidden = writeZip([...readZip(template), { name: 'xl/worksheets/sheet9.xml', data: deflateRawSync(Buffer.alloc(1000)), hidden: true }]);
    const r = await problemsOf(hidden);
    expect(r.code).toBe('E_IMPORT_INVALID');
    expect(r.problems.map((p) => p.rule)).toEqual(['zip_structure']);
  });

  it('refuses a DTD / external entity in any XML part (XXE, billion laughs)', async () => {
    const xxe = patchZip(template, (n, d) => (n === 'xl/sharedStrings.xml' || n === 'xl/worksheets/sheet2.xml'
      ? Buffer.from(d.toString('utf8').replace('?>', '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'))
      : d));
    const { code, problems } = await problemsOf(xxe);
    expect(code).toBe('E_IMPORT_INVALID');
    expect(problems.map((p) => p.rule)).toEqual(['xml_dtd']);
    expect(sheet().length).toBeGreaterThan(0);
  });

  it('refuses a file over the byte limit before reading it', async () => {
    const { code, problems } = await problemsOf(template, { maxBytes: 1000 });
    expect(code).toBe('E_IMPORT_TOO_LARGE');
    expect(problems.map((p) => [p.rule, p.value])).toEqual([['max_bytes', template.length]]);
  });
});

describe('field list', () => {
  it('the template has one value row per form field', async () => {
    const wb = await readSubmissionWorkbook(template);
    expect(Object.keys(wb.cells).sort()).toEqual(formFields(form).map((f) => f.code).sort());
    expect(Object.values(wb.values).every((v) => v === null)).toBe(true);
  });
});
