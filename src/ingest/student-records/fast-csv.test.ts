import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { ByteLineSplitter, FastCsvSplitter, type CsvRecord } from './fast-csv.ts';
import { readRows } from './readers.ts';

/** What the importer read before the fast path: csv-parse, empty records skipped, numbered by record. */
function oracle(text: string | Buffer): CsvRecord[] {
  const recs = parse(text, { bom: true, relax_column_count: true, trim: false }) as string[][];
  const out: CsvRecord[] = [];
  recs.forEach((cells, i) => { if (!(cells.length === 1 && cells[0] === '')) out.push({ row: i + 1, cells }); });
  return out;
}

/** The splitter fed `chunkBytes` at a time (multi-byte characters cut anywhere), csv-parse after a fallback. */
function viaSplitter(bytes: Buffer, chunkBytes: number): { records: CsvRecord[]; fellBack: boolean } {
  const s = new FastCsvSplitter();
  const dec = new StringDecoder('utf8');
  const out: CsvRecord[] = [];
  let plain = true;
  for (let i = 0; i < bytes.length && plain; i += chunkBytes) plain = s.push(dec.write(bytes.subarray(i, i + chunkBytes)), out);
  if (plain) plain = s.push(dec.end(), out) && s.end(out);
  if (!plain) out.push(...oracle(bytes).filter((r) => r.row > s.row));
  return { records: out, fellBack: !plain };
}

const header = '学校代码,年级编号,学籍号,性别,出生日期,身高,体重,1000米跑（男）,800米跑(女)';
const cases: Record<string, { text: string; plain: boolean }> = {
  'LF, Chinese headers, no final newline': { text: `${header}\n1201010001,21,G120104201001010011,1,20100101,160,50,3'55,\n1201010001,21,A1234567,2,20100202,,,,3'40`, plain: true },
  'CRLF with final newline': { text: `${header}\r\n1201010001,21,A1234567,1,20100101,160,50,,\r\n`, plain: true },
  'BOM at the start': { text: `\uFEFF${header}\n1201010001,11,A1234567,1,20170101,120,25,,\n`, plain: true },
  'empty lines and empty fields': { text: `${header}\n\n1201010001,11,A1234567,,,,,,\n\n\n,,\n`, plain: true },
  'CRLF with empty lines': { text: `${header}\r\n\r\n1201010001,11,A1234567,1,20170101,,,,\r\n\r\n`, plain: true },
  'quoted field with comma, quote and newline': { text: `${header}\n1201010001,11,A1234567,1,20170101,120,25,,\n1201010001,11,"B,12""34\n5",2,20170101,,,,\n1201010001,12,C1234567,1,20160101,,,,\n`, plain: false },
  'quoted header (every field quoted)': { text: `"学校代码","年级编号"\n"1201010001","11"\n`, plain: false },
  'LF file with a later CRLF line': { text: `a,b\n1,2\r\n3,4\n`, plain: false },
  'CRLF file with a later bare LF line': { text: `a,b\r\n1,2\n3,4\r\n`, plain: false },
  'bare CR line ends': { text: `a,b\r1,2\r3,4\r`, plain: false },
  'trailing CR at end of file': { text: `a,b\n1,2\r`, plain: false },
  'BOM only': { text: '\uFEFF', plain: true },
  'empty file': { text: '', plain: true },
};

describe('FastCsvSplitter reads what csv-parse reads', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const bytes = Buffer.from(c.text, 'utf8');
      const want = oracle(bytes);
      for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
        const got = viaSplitter(bytes, chunk);
        expect(got.records, `chunk ${chunk}`).toEqual(want);
        // Plain files never pay for csv-parse: the fallback is only for the odd file.
        if (chunk === 1 << 20) expect(got.fellBack).toBe(!c.plain);
      }
    });
  }

  it('a malformed quote still fails as csv-parse fails it (fallback, not a silent misread)', () => {
    const bytes = Buffer.from('a,b\n1,x"y\n', 'utf8');
    expect(() => viaSplitter(bytes, 4)).toThrow(/quote/i);
  });
});

describe('readRows on files (fast path with csv-parse fallback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fast-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function collect(file: string): Promise<CsvRecord[]> {
    const out: CsvRecord[] = [];
    for await (const r of readRows(file).rows) out.push(r);
    return out;
  }

  it('a file larger than one read chunk, Chinese text across chunk boundaries, equals csv-parse', async () => {
    const lines = [header];
    for (let i = 0; i < 40_000; i++) lines.push(`1201010001,21,A${String(i).padStart(7, '0')},${1 + (i % 2)},20100101,一六〇,五十,3'55,${i % 3 === 0 ? '' : '三分'}`);
    const text = `\uFEFF${lines.join('\r\n')}\r\n`;
    const file = join(dir, 'big.csv');
    writeFileSync(file, text);
    expect(Buffer.byteLength(text)).toBeGreaterThan(2 << 20);
    const got = await collect(file);
    expect(got).toEqual(oracle(Buffer.from(text)));
    expect(got[0]?.cells[0]).toBe('学校代码');
    expect(got.at(-1)?.row).toBe(40_001);
  });

  it('a quote late in a large file switches to csv-parse without losing or repeating rows', async () => {
    const lines = [header];
    for (let i = 0; i < 5_000; i++) lines.push(`1201010001,21,A${String(i).padStart(7, '0')},1,20100101,160,50,,`);
    lines.push('1201010001,21,"Q,1234567",1,20100101,160,50,,');
    lines.push('1201010001,21,Z1234567,1,20100101,160,50,,');
    const text = lines.join('\n');
    const file = join(dir, 'late-quote.csv');
    writeFileSync(file, text);
    const got = await collect(file);
    expect(got).toEqual(oracle(Buffer.from(text)));
    expect(got.length).toBe(5_003);
    expect(got.at(-2)?.cells[2]).toBe('Q,1234567');
  });
});

describe('ByteLineSplitter (parse workers) stops and splits exactly where FastCsvSplitter does', () => {
  /** Records from the string splitter as a shard reads them: no BOM handling, line end given. */
  function viaStrings(bytes: Buffer, chunk: number, crlf: boolean): { records: CsvRecord[]; plain: boolean; row: number } {
    const s = new FastCsvSplitter({ bom: false, crlf });
    const dec = new StringDecoder('utf8');
    const out: CsvRecord[] = [];
    let plain = true;
    for (let i = 0; i < bytes.length && plain; i += chunk) plain = s.push(dec.write(bytes.subarray(i, i + chunk)), out);
    if (plain) plain = s.push(dec.end(), out) && s.end(out);
    return { records: out, plain, row: s.row };
  }
  function viaBytes(bytes: Buffer, chunk: number, crlf: boolean): { records: CsvRecord[]; plain: boolean; row: number } {
    const s = new ByteLineSplitter(crlf);
    const out: CsvRecord[] = [];
    const onLine = (buf: Buffer, start: number, end: number, row: number): void => { out.push({ row, cells: buf.toString('utf8', start, end).split(',') }); };
    let plain = true;
    for (let i = 0; i < bytes.length && plain; i += chunk) plain = s.push(Buffer.from(bytes.subarray(i, i + chunk)), onLine);
    if (plain) plain = s.end(onLine);
    return { records: out, plain, row: s.row };
  }

  it('on random lines of codes, Chinese, empty lines, stray CR and quotes, in chunks of 1–97 bytes, LF and CR LF files', () => {
    let seed = 12345;
    const next = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
    const pieces = ['1201010001', '11', '学生', '天津市', '3′45', "1'47", '', '否', '\uFEFF', 'é', '12.5'];
    let plainFiles = 0;
    for (let f = 0; f < 400; f++) {
      const crlf = f % 2 === 0;
      const eol = crlf ? '\r\n' : '\n';
      let text = '';
      const lines = 1 + next(40);
      for (let l = 0; l < lines; l++) {
        const cells = Array.from({ length: 1 + next(6) }, () => pieces[next(pieces.length)] as string);
        let line = cells.join(',');
        // Now and then: an empty line, a quote, a bare CR, the other line end.
        const odd = next(100);
        if (odd === 0) line = '';
        else if (odd === 1) line += '"x"';
        else if (odd === 2) line += '\r';
        text += line + (odd === 3 ? (crlf ? '\n' : '\r\n') : eol);
      }
      if (next(3) === 0) text = text.slice(0, text.length - eol.length); // no line end on the last line
      const bytes = Buffer.from(text, 'utf8');
      const chunk = 1 + next(97);
      const a = viaStrings(bytes, chunk, crlf);
      const b = viaBytes(bytes, chunk, crlf);
      expect(b.plain, `file ${f}`).toBe(a.plain);
      if (a.plain) {
        plainFiles += 1;
        expect(b.records, `file ${f}`).toEqual(a.records);
        expect(b.row, `file ${f}`).toBe(a.row);
      }
    }
    expect(plainFiles).toBeGreaterThan(100);
  });
});
