/**
 * The bounded xlsx gate (src/ingest/xlsx-zip.ts) and reading off the event loop
 * (src/ingest/xlsx-off-thread.ts): the review's hostile workbooks — ~95 MB of shared strings
 * in an ~9 MB file, 90 MiB of extra parts in a small one — are refused by their declared sizes
 * without being inflated; cell count, text length, raw control characters and malformed XML
 * are located problems, never a 500; a good workbook reads the same in a worker as in process.
 * (Time and memory of the refusal are measured by `npm run bench -- --only xlsx-gate`.)
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { readSubmissionWorkbook } from '../../src/ingest/submission-workbook.ts';
import { checkXlsxFileOffThread, readSubmissionWorkbookOffThread } from '../../src/ingest/xlsx-off-thread.ts';
import { checkXlsx, defaultXlsxLimits, XmlPartScanner } from '../../src/ingest/xlsx-zip.ts';
import { filledGood, makeTemplate } from './fixtures.ts';
import { patchZip, readZip, sharedStringsBomb, writeZip } from './zip-helper.ts';

let template: Buffer;
let good: Buffer;
const dir = mkdtempSync(join(tmpdir(), 'eduplan-xlsx-gate-'));
beforeAll(async () => {
  template = await makeTemplate();
  good = await filledGood(template);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(p: Promise<unknown>): Promise<{ code: string; rules: string[] }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof EduplanError) return { code: err.code, rules: err.problems.map((x) => x.rule) };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('bounded xlsx', () => {
  it('the 95 MB-shared-strings workbook (~9 MB) is refused by its shared-strings size, in a worker or not', async () => {
    const bomb = sharedStringsBomb(template, 95 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(defaultXlsxLimits.maxBytes);
    expect(await refusal(readSubmissionWorkbookOffThread(bomb, { fileName: 'bomb.xlsx' }))).toEqual({ code: 'E_IMPORT_TOO_LARGE', rules: ['max_shared_strings'] });
    expect(await refusal(readSubmissionWorkbook(bomb, { fileName: 'bomb.xlsx' }))).toEqual({ code: 'E_IMPORT_TOO_LARGE', rules: ['max_shared_strings'] });
    // A student workbook on disk: its directory is read from the file's tail.
    const path = join(dir, 'students-bomb.xlsx');
    writeFileSync(path, sharedStringsBomb(template, 60 * 1024 * 1024));
    expect(await refusal(checkXlsxFileOffThread(path))).toEqual({ code: 'E_IMPORT_TOO_LARGE', rules: ['max_shared_strings'] });
  });

  it('a small file inflating 90 MiB of extra parts (each under the per-part rule) is refused by the whole file\'s ratio', async () => {
    const extras = Array.from({ length: 90 }, (_, i) => ({ name: `xl/media/pad${i}.bin`, data: Buffer.alloc(1024 * 1024, 0) }));
    const padded = writeZip([...readZip(template), ...extras]);
    expect(padded.length).toBeLessThan(200 * 1024);
    expect(await refusal(readSubmissionWorkbook(padded, { fileName: 'padded.xlsx', maxUncompressedBytes: 1024 * 1024 * 1024 }))).toEqual({ code: 'E_IMPORT_TOO_LARGE', rules: ['zip_ratio'] });
    expect((await refusal(readSubmissionWorkbook(padded, { fileName: 'padded.xlsx' }))).code).toBe('E_IMPORT_TOO_LARGE');
  });

  it('too many cells and an over-long text are refused with their rule', async () => {
    expect(await refusal(readSubmissionWorkbook(good, { maxCells: 50 }))).toEqual({ code: 'E_IMPORT_TOO_LARGE', rules: ['max_cells'] });
    const long = patchZip(good, (n, d) => (n === 'xl/sharedStrings.xml' ? Buffer.from(d.toString('utf8').replace('</sst>', `<si><t>${'长'.repeat(40_000)}</t></si></sst>`)) : d));
    expect(await refusal(readSubmissionWorkbook(long))).toEqual({ code: 'E_IMPORT_TOO_LARGE', rules: ['max_text'] });
  });

  it('raw control characters and malformed XML are located 422s, not 500s', async () => {
    const ctl = patchZip(good, (n, d) => (n === 'xl/sharedStrings.xml' ? Buffer.from(d.toString('utf8').replace('张三', '张\u0001三')) : d));
    expect(await refusal(readSubmissionWorkbook(ctl))).toEqual({ code: 'E_IMPORT_INVALID', rules: ['xml_control_character'] });
    const broken = patchZip(good, (n, d) => (n === 'xl/worksheets/sheet2.xml' ? Buffer.from(d.toString('utf8').replace('</sheetData>', '<row r="9999"><c r="A9999"><v>1</v></row></sheetData>')) : d));
    expect(await refusal(readSubmissionWorkbook(broken))).toEqual({ code: 'E_IMPORT_INVALID', rules: ['xml_malformed'] });
    expect(await refusal(readSubmissionWorkbookOffThread(broken))).toEqual({ code: 'E_IMPORT_INVALID', rules: ['xml_malformed'] });
  });

  it('a control character or lone surrogate written as a character reference is a 422, never stored', async () => {
    for (const ref of ['&#1;', '&#xD800;']) {
      const escaped = patchZip(good, (n, d) => (n === 'xl/sharedStrings.xml' ? Buffer.from(d.toString('utf8').replace('张三', `张${ref}三`)) : d));
      const r = await refusal(readSubmissionWorkbook(escaped));
      expect(r.code, ref).toBe('E_IMPORT_INVALID');
      expect(['control_character', 'xml_malformed']).toContain(r.rules[0]);
    }
  });

  it('a good workbook reads the same in a worker as in process; the student gate passes it', async () => {
    const inProcess = await readSubmissionWorkbook(good, { fileName: 'good.xlsx' });
    const offThread = await readSubmissionWorkbookOffThread(good, { fileName: 'good.xlsx' });
    expect(offThread).toEqual(inProcess);
    const path = join(dir, 'good.xlsx');
    writeFileSync(path, good);
    await expect(checkXlsxFileOffThread(path)).resolves.toBeUndefined();
    expect(checkXlsx(good, 'good.xlsx', defaultXlsxLimits, { keepParts: false }).parts.size).toBeLessThanOrEqual(1);
  });

  it('the part scanner counts cells and text across chunk boundaries', () => {
    const xml = Buffer.from('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c><c>x</c></row><col/><t>hello</t><t xml:space="preserve">ab</t><tx>nope</tx></sheetData>');
    for (const size of [1, 2, 3, 7, xml.length]) {
      const s = new XmlPartScanner();
      for (let i = 0; i < xml.length; i += size) s.push(xml.subarray(i, i + size));
      expect([s.cells, s.longestText, s.controlAt], `chunks of ${size}`).toEqual([3, 5, -1]);
    }
  });
});
