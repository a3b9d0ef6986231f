/**
 * Hostile-file gate for .xlsx uploads (上传文件安全检查), run BEFORE any spreadsheet parser
 * sees the bytes (reliability-security.md FILE-01, FILE-02, FILE-03):
 *
 * 1. file type from the content, not the name: zip magic plus `[Content_Types].xml` and
 *    `xl/workbook.xml`; PDFs, CSVs, old .xls (OLE2) and other zips renamed .xlsx are named
 *    as what they are; macro workbooks (.xlsm) are refused;
 * 2. zip bombs: the central directory is read first (entries, total declared uncompressed
 *    size, compression ratio), then every entry is inflated with a hard output cap equal to
 *    its declared size — a lying size field fails there, never allocating more;
 * 3. no entries hidden from the central directory: local headers must tile the file up to
 *    the directory (the streaming parser later reads local headers, so a hidden entry
 *    would bypass check 2);
 * 4. no DTDs or entities in any XML part (XXE, billion laughs): Office never writes them.
 *
 * What passes is a zip whose every byte has been accounted for; its XML parts are kept
 * (small, capped) for the structural checks the cell parser cannot do (hidden sheets, merges).
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { EduplanError } from '../core/errors.ts';

export interface XlsxLimits {
  /** Compressed file size (bytes). */
  readonly maxBytes: number;
  /** Sum of the entries' uncompressed sizes (bytes). */
  readonly maxUncompressedBytes: number;
  readonly maxEntries: number;
  /** Uncompressed / compressed, checked for entries over 1 MiB uncompressed (tiny parts legitimately compress well). */
  readonly maxRatio: number;
  /** Rows per sheet. */
  readonly maxRows: number;
  /** Columns per row. */
  readonly maxColumns: number;
}

export const defaultXlsxLimits: XlsxLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxEntries: 200,
  maxRatio: 100,
  maxRows: 5000,
  maxColumns: 50,
};

export interface ZipEntryInfo {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localOffset: number;
  readonly flags: number;
}

export interface CheckedXlsx {
  readonly entries: readonly ZipEntryInfo[];
  /** Inflated XML parts by name (sheets, workbook, rels, content types). */
  readonly parts: ReadonlyMap<string, Buffer>;
}

const tooLarge = (file: string, rule: string, zh: string, en: string, value?: unknown): EduplanError =>
  new EduplanError('E_IMPORT_TOO_LARGE', { problems: [{ file, rule, value, message_zh: zh, message_en: en, fix_zh: '检查文件是否为本系统下载的模板；删除多余内容，或拆分后分别导入', fix_en: 'Check the file is the template downloaded from eduplan; remove extra content or split it' }] });

const invalid = (file: string, rule: string, zh: string, en: string, fixZh: string, fixEn: string, value?: unknown): EduplanError =>
  new EduplanError('E_IMPORT_INVALID', { problems: [{ file, rule, value, message_zh: zh, message_en: en, fix_zh: fixZh, fix_en: fixEn }] });

const wrongType = (file: string, what_zh: string, what_en: string): EduplanError =>
  new EduplanError('E_IMPORT_FILE_TYPE', {
    detail: what_en,
    problems: [{
      file, rule: 'file_type',
      message_zh: `文件不是 Excel 工作簿（.xlsx）：${what_zh}`, message_en: `The file is not an Excel workbook (.xlsx): ${what_en}`,
      fix_zh: '下载本系统的填报模板，用 Excel 或 WPS 填写后“另存为 Excel 工作簿（*.xlsx）”再上传；不要只修改扩展名',
      fix_en: 'Download the template, fill it in Excel or WPS and "Save as Excel Workbook (*.xlsx)"; renaming a file does not convert it',
    }],
  });

/** What a non-zip file most likely is, from its first bytes. */
function sniff(buf: Buffer): { zh: string; en: string } {
  if (buf.length === 0) return { zh: '文件为空', en: 'the file is empty' };
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return { zh: '这是 PDF 文件', en: 'it is a PDF document' };
  if (buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    return { zh: '这是旧版 Excel 97-2003（.xls）文件或加密的工作簿', en: 'it is an old Excel 97-2003 (.xls) file or an encrypted workbook' };
  }
  const head = buf.subarray(0, 4096);
  if (!head.includes(0)) {
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (/^<(!doctype html|html)/i.test(text)) return { zh: '这是网页（HTML）文件', en: 'it is a web page (HTML)' };
    if (text.startsWith('<')) return { zh: '这是 XML 文本文件', en: 'it is an XML text file' };
    if (/[,\t;]/.test(text.split(/\r?\n/)[0] ?? '')) return { zh: '这是 CSV 或其他文本文件，被改成了 .xlsx 扩展名', en: 'it is a CSV or other text file renamed to .xlsx' };
    return { zh: '这是文本文件', en: 'it is a text file' };
  }
  return { zh: '无法识别的二进制文件', en: 'it is an unrecognised binary file' };
}

/** Find and read the central directory. */
export function readCentralDirectory(buf: Buffer, file: string): { entries: ZipEntryInfo[]; cdOffset: number } {
  const eocdMin = 22;
  let eocd = -1;
  for (let i = buf.length - eocdMin; i >= Math.max(0, buf.length - eocdMin - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  const corrupt = (why: string): EduplanError => invalid(file, 'zip_corrupt', `Excel 文件已损坏（${why}）`, `The Excel file is corrupt (${why})`, '用 Excel 或 WPS 打开后重新保存为 .xlsx', 'Open it in Excel or WPS and save it again as .xlsx');
  if (eocd < 0) throw corrupt('no zip central directory');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    throw tooLarge(file, 'zip64', '文件使用 ZIP64 格式（超大文件），不予处理', 'The file uses ZIP64 (a very large archive); refused');
  }
  if (cdOffset + cdSize > eocd) throw corrupt('central directory out of range');
  const entries: ZipEntryInfo[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw corrupt(`bad central directory entry ${i + 1}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries, cdOffset };
}

/**
 * Run every check above; throws E_IMPORT_FILE_TYPE, E_IMPORT_TOO_LARGE or E_IMPORT_INVALID
 * with a located problem. Returns the entries and the inflated XML parts.
 */
export function checkXlsx(buf: Buffer, file: string, limits: XlsxLimits = defaultXlsxLimits): CheckedXlsx {
  if (buf.length > limits.maxBytes) {
    throw tooLarge(file, 'max_bytes', `文件大小 ${buf.length} 字节，超过上限 ${limits.maxBytes} 字节`, `The file is ${buf.length} bytes, over the ${limits.maxBytes}-byte limit`, buf.length);
  }
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
    const what = sniff(buf);
    throw wrongType(file, what.zh, what.en);
  }
  const { entries, cdOffset } = readCentralDirectory(buf, file);
  if (entries.length > limits.maxEntries) {
    throw tooLarge(file, 'max_entries', `压缩包内有 ${entries.length} 个部件，超过上限 ${limits.maxEntries}`, `The archive has ${entries.length} parts, over the ${limits.maxEntries} limit`, entries.length);
  }
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    const docx = names.has('word/document.xml') ? { zh: '这是 Word 文档（.docx）', en: 'it is a Word document (.docx)' } : { zh: '这是普通 zip 压缩包', en: 'it is a plain zip archive' };
    throw wrongType(file, docx.zh, docx.en);
  }
  if (names.has('xl/vbaProject.bin')) {
    throw wrongType(file, '这是含宏的工作簿（.xlsm），出于安全原因不接受', 'it is a macro-enabled workbook (.xlsm), refused for security');
  }
  let total = 0;
  for (const e of entries) {
    if (e.name.includes('..') || e.name.startsWith('/') || e.name.includes('\\')) {
      throw invalid(file, 'zip_path', `压缩包内有非法路径「${e.name}」`, `The archive contains an illegal path "${e.name}"`, '用 Excel 重新保存文件', 'Save the file again from Excel', e.name);
    }
    if (e.flags & 0x1) throw invalid(file, 'encrypted', '文件已加密', 'The file is encrypted', '去掉文件密码后重新保存', 'Remove the password and save again');
    if (e.method !== 0 && e.method !== 8) throw invalid(file, 'zip_method', `不支持的压缩方式 ${e.method}`, `Unsupported compression method ${e.method}`, '用 Excel 或 WPS 重新保存为 .xlsx', 'Save it again as .xlsx from Excel or WPS', e.method);
    total += e.uncompressedSize;
    if (e.uncompressedSize > 1024 * 1024 && e.uncompressedSize > limits.maxRatio * Math.max(1, e.compressedSize)) {
      throw tooLarge(file, 'zip_ratio', `部件「${e.name}」压缩比 ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}:1，超过上限 ${limits.maxRatio}:1（疑似压缩炸弹）`, `Part "${e.name}" has a compression ratio of ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}:1, over ${limits.maxRatio}:1 (suspected zip bomb)`, e.name);
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw tooLarge(file, 'max_uncompressed', `解压后大小 ${total} 字节，超过上限 ${limits.maxUncompressedBytes} 字节（疑似压缩炸弹）`, `Uncompressed size ${total} bytes is over the ${limits.maxUncompressedBytes}-byte limit (suspected zip bomb)`, total);
  }
  // Local headers must tile the file exactly up to the central directory.
  const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let pos = 0;
  const parts = new Map<string, Buffer>();
  for (const e of ordered) {
    const corrupt = (why: string): EduplanError => invalid(file, 'zip_structure', `Excel 文件结构异常：${why}`, `The Excel file's structure is abnormal: ${why}`, '用 Excel 或 WPS 重新保存为 .xlsx', 'Save it again as .xlsx from Excel or WPS', e.name);
    if (e.localOffset !== pos) throw corrupt(e.localOffset > pos ? 'hidden data between parts' : 'overlapping parts');
    if (pos + 30 > buf.length || buf.readUInt32LE(pos) !== 0x04034b50) throw corrupt('bad local header');
    const nameLen = buf.readUInt16LE(pos + 26);
    const extraLen = buf.readUInt16LE(pos + 28);
    const localName = buf.subarray(pos + 30, pos + 30 + nameLen).toString('utf8');
    if (localName !== e.name) throw corrupt(`local name "${localName}" differs from directory name "${e.name}"`);
    const dataStart = pos + 30 + nameLen + extraLen;
    const dataEnd = dataStart + e.compressedSize;
    if (dataEnd > cdOffset) throw corrupt('part runs past the directory');
    pos = dataEnd;
    if (e.flags & 0x8) {
      // Data descriptor: optional signature, crc, sizes (12 bytes without signature).
      pos += buf.readUInt32LE(pos) === 0x08074b50 ? 16 : 12;
    }
    let data: Buffer;
    const raw = buf.subarray(dataStart, dataEnd);
    if (e.method === 0) {
      data = raw;
    } else {
      try {
        // The cap is the declared size (+1 to detect a lie): a bomb with a lying header stops here.
        data = inflateRawSync(raw, { maxOutputLength: e.uncompressedSize + 1 });
      } catch (cause) {
        const code = (cause as { code?: string }).code;
        if (code === 'ERR_BUFFER_TOO_LARGE') {
          throw tooLarge(file, 'zip_size_lie', `部件「${e.name}」实际解压大小超过其声明的 ${e.uncompressedSize} 字节（疑似压缩炸弹）`, `Part "${e.name}" inflates beyond its declared ${e.uncompressedSize} bytes (suspected zip bomb)`, e.name);
        }
        throw corrupt('cannot inflate');
      }
    }
    if (data.length !== e.uncompressedSize) {
      throw tooLarge(file, 'zip_size_lie', `部件「${e.name}」解压大小与声明不符`, `Part "${e.name}" inflates to a size other than declared`, e.name);
    }
    if (e.name.endsWith('.xml') || e.name.endsWith('.rels')) {
      const head = data.toString('utf8');
      if (/<!DOCTYPE|<!ENTITY/i.test(head)) {
        throw invalid(file, 'xml_dtd', `部件「${e.name}」含有 DTD/实体声明（XXE 攻击特征），已拒绝`, `Part "${e.name}" contains a DTD or entity declaration (XXE pattern); refused`, '用 Excel 或 WPS 重新保存为 .xlsx', 'Save it again as .xlsx from Excel or WPS', e.name);
      }
      parts.set(e.name, data);
    }
  }
  if (pos !== cdOffset) {
    throw invalid(file, 'zip_structure', 'Excel 文件结构异常：压缩包中有目录外的数据', 'The Excel file\'s structure is abnormal: data outside the directory', '用 Excel 或 WPS 重新保存为 .xlsx', 'Save it again as .xlsx from Excel or WPS');
  }
  const ct = parts.get('[Content_Types].xml')?.toString('utf8') ?? '';
  if (/macroEnabled/i.test(ct)) throw wrongType(file, '这是含宏的工作簿（.xlsm），出于安全原因不接受', 'it is a macro-enabled workbook (.xlsm), refused for security');
  return { entries, parts };
}

export interface SheetInfo {
  readonly name: string;
  readonly state: 'visible' | 'hidden' | 'veryHidden';
  /** Part name, e.g. `xl/worksheets/sheet1.xml`. */
  readonly part: string;
  /** Merged ranges, e.g. `A1:C1`. */
  readonly merges: readonly string[];
}

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1] === undefined ? undefined : m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-fA-F]{1,6});/g, (_m, h: string) => String.fromCodePoint(Math.min(Number.parseInt(h, 16), 0x10ffff)))
    .replace(/&#(\d{1,7});/g, (_m, d: string) => String.fromCodePoint(Math.min(Number(d), 0x10ffff)))
    .replace(/&amp;/g, '&');
};

/** Sheets of a checked workbook with visibility and merged ranges (the streaming reader reports neither reliably). */
export function sheetsOf(x: CheckedXlsx): SheetInfo[] {
  const wb = x.parts.get('xl/workbook.xml')?.toString('utf8') ?? '';
  const rels = x.parts.get('xl/_rels/workbook.xml.rels')?.toString('utf8') ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const out: SheetInfo[] = [];
  for (const m of wb.matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name') ?? '';
    const stateAttr = attr(m[0], 'state');
    const rid = attr(m[0], 'r:id') ?? '';
    const part = targets.get(rid) ?? '';
    const xml = x.parts.get(part)?.toString('utf8') ?? '';
    const merges = [...xml.matchAll(/<mergeCell\b[^>]*>/g)].map((mm) => attr(mm[0], 'ref') ?? '').filter((r) => r !== '');
    out.push({ name, state: stateAttr === 'hidden' || stateAttr === 'veryHidden' ? stateAttr : 'visible', part, merges });
  }
  return out;
}

/**
 * A new zip (stored, uncompressed) holding only the checked XML parts, styles and shared
 * strings first. The streaming cell reader gets this, not the upload: it then sees only
 * bytes that passed the checks above, and it parses every sheet after the styles (so a
 * number formatted as a date is known to be a date) without spilling sheets to temp files.
 */
export function rebuildForReader(x: CheckedXlsx): Buffer {
  const first = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/sharedStrings.xml'];
  const names = [...first.filter((n) => x.parts.has(n)), ...[...x.parts.keys()].filter((n) => !first.includes(n)).sort()];
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const n of names) {
    const data = x.parts.get(n) as Buffer;
    const name = Buffer.from(n, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x800, 6); local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(0x800, 8); c.writeUInt16LE(0, 10);
    c.writeUInt32LE(crc, 16); c.writeUInt32LE(data.length, 20); c.writeUInt32LE(data.length, 24); c.writeUInt16LE(name.length, 28); c.writeUInt32LE(offset, 42);
    chunks.push(local, name, data);
    central.push(c, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(names.length, 8); eocd.writeUInt16LE(names.length, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cd, eocd]);
}
