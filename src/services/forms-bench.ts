/**
 * Figures for the spreadsheet way in (`eduplan forms bench`, docs/forms-and-rules.md):
 * building a template, reading a filled workbook, and how fast (and with how much memory)
 * zip bombs are refused. Measures the reader and the template builder themselves; needs no
 * store.
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { EduplanError } from '../core/errors.ts';
import { formFields } from '../core/forms/index.ts';
import { readSubmissionWorkbook } from '../ingest/submission-workbook.ts';
import { buildFormTemplate } from '../reports/form-template.ts';
import { formOrThrow } from './form-context.ts';

export async function measureWorkbookPath(input: { runs: number }): Promise<Record<string, unknown>> {
  const { runs } = input;
  const form = formOrThrow('annual.twelve_year');
  const org = { code: '1201010001', name_zh: '测试学校', parent_code: '120101', school_type: 'twelve_year' as const };
  const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
  let t0 = process.hrtime.bigint();
  let template: Buffer = Buffer.alloc(0);
  for (let i = 0; i < runs; i++) template = await buildFormTemplate({ form, org, year: 2023 });
  const buildMs = ms(t0) / runs;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('数据 Data');
  ws?.eachRow((row) => { if (typeof row.getCell(2).value === 'string' && String(row.getCell(2).value).includes('.')) row.getCell(6).value = 1; });
  const filled = Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer);
  t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await readSubmissionWorkbook(filled);
  const readMs = ms(t0) / runs;
  // Zip bomb: 200 MB of spaces in one sheet part (~200 KB compressed), and the same with a lying size.
  const bombPart = deflateRawSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
  const mkZip = (declared: number): Buffer => {
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const ct = Buffer.from('[Content_Types].xml');
    const wbName = Buffer.from('xl/workbook.xml');
    const parts: Array<[Buffer, Buffer, number]> = [[ct, deflateRawSync(Buffer.from('<Types/>')), 8], [wbName, deflateRawSync(Buffer.from('<workbook/>')), 11], [name, bombPart, declared]];
    const chunks: Buffer[] = [];
    const central: Buffer[] = [];
    let off = 0;
    for (const [n, data, size] of parts) {
      const l = Buffer.alloc(30); l.writeUInt32LE(0x04034b50, 0); l.writeUInt16LE(8, 8); l.writeUInt32LE(data.length, 18); l.writeUInt32LE(size, 22); l.writeUInt16LE(n.length, 26);
      const c = Buffer.alloc(46); c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(8, 10); c.writeUInt32LE(data.length, 20); c.writeUInt32LE(size, 24); c.writeUInt16LE(n.length, 28); c.writeUInt32LE(off, 42);
      chunks.push(l, n, data); central.push(c, n); off += 30 + n.length + data.length;
    }
    const cd = Buffer.concat(central);
    const e = Buffer.alloc(22); e.writeUInt32LE(0x06054b50, 0); e.writeUInt16LE(3, 8); e.writeUInt16LE(3, 10); e.writeUInt32LE(cd.length, 12); e.writeUInt32LE(off, 16);
    return Buffer.concat([...chunks, cd, e]);
  };
  const refuse = async (file: Buffer): Promise<{ ms: number; rssMb: number; code: string }> => {
    const rss0 = process.memoryUsage().rss;
    const t = process.hrtime.bigint();
    const code = await readSubmissionWorkbook(file).then(() => 'accepted', (e: unknown) => (e instanceof EduplanError ? e.code : String(e)));
    return { ms: ms(t), rssMb: (process.memoryUsage().rss - rss0) / 1024 / 1024, code };
  };
  const honest = await refuse(mkZip(200 * 1024 * 1024));
  const lying = await refuse(mkZip(1000));
  const figures = {
    form: form.code, fields: formFields(form).length, runs,
    templateBytes: template.length, buildTemplateMs: Number(buildMs.toFixed(1)),
    filledBytes: filled.length, readFilledMs: Number(readMs.toFixed(1)),
    zipBomb: { fileBytes: mkZip(0).length, uncompressedBytes: 200 * 1024 * 1024, refusedInMs: Number(honest.ms.toFixed(1)), rssGrowthMb: Number(honest.rssMb.toFixed(1)), code: honest.code },
    lyingSizeBomb: { declaredBytes: 1000, refusedInMs: Number(lying.ms.toFixed(1)), rssGrowthMb: Number(lying.rssMb.toFixed(1)), code: lying.code },
  };
  return figures;
}
