/**
 * The error workbook: the school's own file back with problem cells filled and annotated,
 * a problems sheet, and — after the school fixes the cells — accepted on re-upload.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EduplanError, type Problem } from '../../src/core/errors.ts';
import { validateValues } from '../../src/core/validation/engine.ts';
import { locateInWorkbook, readSubmissionWorkbook } from '../../src/ingest/submission-workbook.ts';
import { SHEET_DATA, SHEET_PROBLEMS } from '../../src/ingest/xlsx-form-layout.ts';
import { buildErrorWorkbook } from '../../src/reports/error-workbook.ts';
import { fill, filledGood, form, makeTemplate } from './fixtures.ts';

let template: Buffer;
beforeAll(async () => { template = await makeTemplate(); });

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}
const fillOf = (c: ExcelJS.Cell): string | undefined => (c.fill?.type === 'pattern' ? c.fill.fgColor?.argb : undefined);
const noteOf = (c: ExcelJS.Cell): string => (typeof c.note === 'string' ? c.note : (c.note?.texts ?? []).map((t) => t.text).join(''));

describe('error workbook', () => {
  it('marks reader problems (text in a number cell) in red with a bilingual note', async () => {
    let row = 0;
    const bad = await filledGood(template, (ws, _wb, rowOf) => { row = rowOf('enrol.g2.f'); ws.getCell(`F${row}`).value = '43人'; });
    const err = await readSubmissionWorkbook(bad, { fileName: 'school.xlsx' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    const problems = (err as EduplanError).problems;
    const marked = await load(await buildErrorWorkbook(bad, { hard: problems }));
    const cell = (marked.getWorksheet(SHEET_DATA) as ExcelJS.Worksheet).getCell(`F${row}`);
    expect(fillOf(cell)).toBe('FFFFC7CE');
    expect(noteOf(cell)).toContain('「43人」不是数字');
    expect(noteOf(cell)).toContain('"43人" is not a number');
    expect(cell.value).toBe('43人');
    const list = marked.getWorksheet(SHEET_PROBLEMS) as ExcelJS.Worksheet;
    expect(list.rowCount).toBe(1 + problems.length);
    expect(list.getRow(2).getCell(3).value).toBe('not_a_number');
  });

  it('marks rule problems hard (red) and soft (yellow), and the fixed file is accepted again', async () => {
    const bad = await filledGood(template, (ws, _wb, rowOf) => {
      ws.getCell(`F${rowOf('teachers.backbone')}`).value = 41; // hard: > full-time teachers
      ws.getCell(`F${rowOf('enrol.g3.m')}`).value = 80; // soft: girls 8 of 88 in grade 3
      ws.getCell(`F${rowOf('enrol.g3.f')}`).value = 8;
    });
    const wb = await readSubmissionWorkbook(bad, { fileName: 'school.xlsx' });
    const r = validateValues(form, wb.values);
    const hard: Problem[] = locateInWorkbook(r.hard, wb);
    const soft: Problem[] = locateInWorkbook(r.soft, wb);
    expect(hard.map((p) => p.rule)).toEqual(['backbone_le_fulltime']);
    expect(soft.map((p) => p.rule)).toEqual(['girls_share_plausible.g3']);
    const markedBuf = await buildErrorWorkbook(bad, { hard, soft });
    const ws = (await load(markedBuf)).getWorksheet(SHEET_DATA) as ExcelJS.Worksheet;
    const backboneRow = wb.cells['teachers.backbone']?.row ?? 0;
    const girlsRow = wb.cells['enrol.g3.f']?.row ?? 0;
    expect(fillOf(ws.getCell(`F${backboneRow}`))).toBe('FFFFC7CE');
    expect(noteOf(ws.getCell(`F${backboneRow}`))).toContain('[必须修改] 骨干教师数不能多于专任教师数');
    expect(fillOf(ws.getCell(`F${girlsRow}`))).toBe('FFFFEB9C');
    expect(noteOf(ws.getCell(`F${girlsRow}`))).toContain('[warning]');

    // The school fixes the hard cell and explains the soft one, in the marked file itself.
    const fixed = await fill(markedBuf, (s) => {
      s.getCell(`F${backboneRow}`).value = 8;
      s.getCell(`G${girlsRow}`).value = '三年级为男子足球特色班';
    });
    const again = await readSubmissionWorkbook(fixed, { fileName: 'school.xlsx' });
    expect(validateValues(form, again.values, { comments: again.comments })).toMatchObject({ hard: [], unexplained: [] });
  });
});
