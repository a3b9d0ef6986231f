/** A small streaming CSV writer (RFC 4180 quoting) that respects back-pressure. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { csvQuote } from '../core/forms/csv-safety.ts';

export type Cell = string | number | boolean | null | undefined;

export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  return csvQuote(typeof v === 'string' ? v : String(v));
}

export function csvLine(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\n`;
}

export class CsvFileWriter {
  private readonly out: WriteStream;
  private buf: string[] = [];
  private size = 0;
  rows = 0;

  constructor(path: string) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
  }

  async row(cells: readonly Cell[]): Promise<void> {
    const line = csvLine(cells);
    this.buf.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.size = 0;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}
