/**
 * Build zips byte by byte for hostile-file tests: real deflate, optional lying sizes,
 * entries hidden from the central directory. Test-only.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { readCentralDirectory } from '../../src/ingest/xlsx-zip.ts';

export interface ZipInput {
  readonly name: string;
  readonly data: Buffer;
  /** Size written in the headers (default: the real one). */
  readonly declaredSize?: number;
  /** Leave the entry out of the central directory (still in the file). */
  readonly hidden?: boolean;
}

export function writeZip(entries: readonly ZipInput[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const comp = deflateRawSync(e.data);
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(comp.length, 18); local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26); local.writeUInt16LE(0, 28);
    chunks.push(local, name, comp);
    if (!e.hidden) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0, 8); c.writeUInt16LE(8, 10);
      c.writeUInt32LE(crc, 16); c.writeUInt32LE(comp.length, 20); c.writeUInt32LE(size, 24);
      c.writeUInt16LE(name.length, 28); c.writeUInt32LE(offset, 42);
      central.push(c, name);
      count++;
    }
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(count, 8); eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cd, eocd]);
}

/** Every entry of a (trusted, test-generated) zip, inflated. */
export function readZip(buf: Buffer): Array<{ name: string; data: Buffer }> {
  const { entries } = readCentralDirectory(buf, 'test.xlsx');
  return entries.map((e) => {
    const nameLen = buf.readUInt16LE(e.localOffset + 26);
    const extraLen = buf.readUInt16LE(e.localOffset + 28);
    const start = e.localOffset + 30 + nameLen + extraLen;
    const raw = buf.subarray(start, start + e.compressedSize);
    return { name: e.name, data: e.method === 0 ? Buffer.from(raw) : inflateRawSync(raw) };
  });
}

/** Rewrite some parts of an xlsx (e.g. inject a DTD), keeping the rest. */
export function patchZip(buf: Buffer, patch: (name: string, data: Buffer) => Buffer | null, extra: readonly ZipInput[] = []): Buffer {
  const out: ZipInput[] = [];
  for (const e of readZip(buf)) {
    const d = patch(e.name, e.data);
    if (d !== null) out.push({ name: e.name, data: d });
  }
  return writeZip([...out, ...extra]);
}

/**
 * The review's hostile workbook: `base` with its shared strings replaced by ~`bytes` of
 * distinct short strings (`S0000001`, …), which deflate ~10:1 — an 8.9 MB file carrying
 * 95 MB of shared strings, as in the report. Test and bench use.
 */
export function sharedStringsBomb(base: Buffer, bytes: number): Buffer {
  const per = '<si><t>S0000000</t></si>'.length;
  const count = Math.floor(bytes / per);
  const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${count}" uniqueCount="${count}">`;
  const parts: Buffer[] = [Buffer.from(head)];
  const chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(`<si><t>S${String(i).padStart(7, '0')}</t></si>`);
    if (chunk.length === 65536) { parts.push(Buffer.from(chunk.join(''))); chunk.length = 0; }
  }
  parts.push(Buffer.from(`${chunk.join('')}</sst>`));
  const strings = Buffer.concat(parts);
  return writeZip([...readZip(base).filter((e) => e.name !== 'xl/sharedStrings.xml'), { name: 'xl/sharedStrings.xml', data: strings }]);
}
