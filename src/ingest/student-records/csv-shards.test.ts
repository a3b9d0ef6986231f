import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countCsvDataLines, lineAlignedRanges, readCsvHead } from './csv-shards.ts';

const dir = mkdtempSync(join(tmpdir(), 'eduplan-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('CSV files in line-aligned parts', () => {
  it('counts the lines after the header, with or without a last line feed, empty lines included', async () => {
    expect(await countCsvDataLines(file('a.csv', 'h1,h2\n1,2\n3,4\n'))).toBe(2);
    expect(await countCsvDataLines(file('b.csv', 'h1,h2\n1,2\n3,4'))).toBe(2);
    expect(await countCsvDataLines(file('c.csv', 'h1,h2\n1,2\n\n3,4\n'))).toBe(3);
    expect(await countCsvDataLines(file('d.csv', 'h1,h2\n'))).toBe(0);
    expect(await countCsvDataLines(file('e.csv', ''))).toBe(0);
  });

  it('reads the header (BOM dropped, CRLF noted) and cuts ranges only after line feeds, covering every byte once', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${i},学生${i},x`);
    const p = file('f.csv', `\uFEFF学校代码,姓名,备注\r\n${lines.join('\r\n')}\r\n`);
    const head = await readCsvHead(p);
    expect(head?.header).toEqual(['学校代码', '姓名', '备注']);
    expect(head?.crlf).toBe(true);
    const ranges = await lineAlignedRanges(p, head?.dataStart ?? 0, head?.size ?? 0, 3);
    expect(ranges).toHaveLength(3);
    const bytes = readFileSync(p);
    expect(ranges[0]?.start).toBe(head?.dataStart);
    expect(ranges.at(-1)?.end).toBe(bytes.length);
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i] as { start: number; end: number };
      if (i > 0) expect(r.start).toBe(ranges[i - 1]?.end);
      expect(bytes[r.end - 1]).toBe(10);
    }
    expect(await readCsvHead(file('q.csv', '"a",b\n1,2\n'))).toBeNull();
  });
});
