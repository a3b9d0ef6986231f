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
 * 4. no DTDs or entities in any XML part (XXE, billion laughs): Office never writes them;
 * 5. bounded content, checked before a cell parser runs (reliability-security.md FILE-02:
 *    an 8.9 MB workbook carrying ~95 MB of shared strings froze the server for ~10 s and
 *    took 2 GiB; a 116 KB file inflated 90 MiB of extra parts): the shared-strings part's
 *    size, the whole file's compression ratio, the number of cells, the length of any one
 *    text, and raw control characters (not allowed in XML 1.0) — from the declared sizes
 *    first (`checkXlsxDirectory`: no byte inflated, so a refusal is immediate), then while
 *    inflating each XML part (a lying size stops at its declared size).
 *
 * What passes is a zip whose every byte has been accounted for; its XML parts are kept
 * (small, capped) for the structural checks the cell parser cannot do (hidden sheets, merges).
 * Non-XML parts (images) are counted and tiled but never inflated: nothing reads them.
 *
 * Parsing runs off the event loop (xlsx-off-thread.ts): the services call
 * `readSubmissionWorkbookOffThread` for a form and `checkXlsxFileOffThread` for a student file.
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
  /** Uncompressed size of `xl/sharedStrings.xml` (bytes). */
  readonly maxSharedStringsBytes: number;
  /** Cells (`<c>` elements) in all worksheets together. */
  readonly maxCells: number;
  /** Bytes of one text node (`<t>`): Excel's own cell limit is 32,767 characters, ≤ 3 bytes each in UTF-8 for CJK. */
  readonly maxTextBytes: number;
  /** Uncompressed ÷ compressed size over the whole file (XML compresses ~5–20×). */
  readonly maxOverallRatio: number;
}

/** A form workbook (填报表): the template is ~40 KB with a few hundred cells. */
export const defaultXlsxLimits: XlsxLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxUncompressedBytes: 32 * 1024 * 1024,
  maxEntries: 200,
  maxRatio: 100,
  maxRows: 5000,
  maxColumns: 50,
  maxSharedStringsBytes: 4 * 1024 * 1024,
  maxCells: 250_000,
  maxTextBytes: 32_767 * 3,
  maxOverallRatio: 100,
};

/**
 * A student-record workbook (体测/视力 .xlsx): one sheet, one row per student. A district's
 * 100,000 students in 20 columns is 2 M cells, ~80 MB of sheet XML and ~15 MB of shared
 * strings. The gate inflates one part at a time, so its memory is bounded by the largest part;
 * files beyond these limits go in as CSV, which is streamed.
 */
export const studentXlsxLimits: XlsxLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxEntries: 200,
  maxRatio: 100,
  maxRows: 1_048_576,
  maxColumns: 100,
  maxSharedStringsBytes: 48 * 1024 * 1024,
  maxCells: 6_000_000,
  maxTextBytes: 32_767 * 3,
  maxOverallRatio: 100,
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
 * The checks that need only the central directory: type, entry count, names, encryption,
 * methods, declared sizes (total, per part, shared strings) and compression ratios. Cheap
 * (no byte inflated), so an oversized file is refused at once; `checkXlsx` runs it first and
 * then holds every part to its declared size.
 */
export function checkXlsxDirectory(entries: readonly ZipEntryInfo[], fileBytes: number, file: string, limits: XlsxLimits): void {
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
    if (e.name === 'xl/sharedStrings.xml' && e.uncompressedSize > limits.maxSharedStringsBytes) {
      throw tooLarge(file, 'max_shared_strings', `共享字符串部件解压后 ${e.uncompressedSize} 字节，超过上限 ${limits.maxSharedStringsBytes} 字节`, `The shared strings part is ${e.uncompressedSize} bytes uncompressed, over the ${limits.maxSharedStringsBytes}-byte limit`, e.uncompressedSize);
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw tooLarge(file, 'max_uncompressed', `解压后大小 ${total} 字节，超过上限 ${limits.maxUncompressedBytes} 字节（疑似压缩炸弹）`, `Uncompressed size ${total} bytes is over the ${limits.maxUncompressedBytes}-byte limit (suspected zip bomb)`, total);
  }
  // Many parts each under the per-part rule can still add up to a bomb (90 MiB from 116 KB).
  if (total > 1024 * 1024 && total > limits.maxOverallRatio * Math.max(1, fileBytes)) {
    throw tooLarge(file, 'zip_ratio', `整个文件压缩比 ${Math.round(total / Math.max(1, fileBytes))}:1，超过上限 ${limits.maxOverallRatio}:1（疑似压缩炸弹）`, `The file as a whole has a compression ratio of ${Math.round(total / Math.max(1, fileBytes))}:1, over ${limits.maxOverallRatio}:1 (suspected zip bomb)`, total);
  }
}

/**
 * What one XML part holds, counted as it is inflated (chunks in order): cells, the longest
 * text node, and raw control characters. Scans bytes; a tag split between chunks is carried.
 */
export class XmlPartScanner {
  cells = 0;
  longestText = 0;
  /** Offset of the first raw control character (C0 other than tab, LF, CR), or -1. */
  controlAt = -1;
  private offset = 0;
  private inText = false;
  private textBytes = 0;
  /** The last bytes before this chunk (a `<c ` or `<t>` may straddle chunks). */
  private tail = Buffer.alloc(0);
  /** The previous chunk ended in `<c`: whether it is a cell depends on this chunk's first byte. */
  private pendingCell = false;

  push(chunk: Buffer): void {
    if (this.pendingCell && chunk.length > 0) {
      this.pendingCell = false;
      if (isCellEnd(chunk[0])) this.cells += 1;
    }
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && this.controlAt < 0) this.controlAt = this.offset + i;
      if (this.inText) {
        if (b === 0x3c) { // '<' ends the text node
          this.inText = false;
          if (this.textBytes > this.longestText) this.longestText = this.textBytes;
        } else {
          this.textBytes += 1;
          continue;
        }
      }
      if (b === 0x3e) { // '>': did it close a `<t>` / `<t …>` start tag?
        if (this.opensText(chunk, i)) { this.inText = true; this.textBytes = 0; }
      } else if (b === 0x63 && (this.at(chunk, i - 1) === 0x3c)) { // `<c` followed by space or '>'
        if (i + 1 < chunk.length) { if (isCellEnd(chunk[i + 1])) this.cells += 1; } else this.pendingCell = true;
      }
    }
    this.offset += chunk.length;
    this.tail = chunk.length >= 64 ? Buffer.from(chunk.subarray(chunk.length - 64)) : Buffer.concat([this.tail, chunk]).subarray(-64);
    if (this.inText && this.textBytes > this.longestText) this.longestText = this.textBytes;
  }

  /** The byte `i` positions into this chunk, reaching back into the previous one for negative `i`. */
  private at(chunk: Buffer, i: number): number | undefined {
    return i >= 0 ? chunk[i] : this.tail[this.tail.length + i];
  }

  /** Is the tag ending at `end` (the '>') a `<t>` or `<t attr…>` start tag (not `</t>`, `<tx>`, `<t/>`)? */
  private opensText(chunk: Buffer, end: number): boolean {
    if (this.at(chunk, end - 1) === 0x2f) return false; // self-closing
    for (let k = end - 1, n = 0; n < 64; k--, n++) {
      const b = this.at(chunk, k);
      if (b === undefined) return false;
      if (b === 0x3c) {
        const name = this.at(chunk, k + 1);
        const after = this.at(chunk, k + 2);
        return name === 0x74 && (after === 0x3e || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d);
      }
    }
    return false;
  }
}

/** After `<c`: a space or `>` makes it a cell element (not `<col>`, `<cfRule>` …). */
const isCellEnd = (b: number | undefined): boolean => b === 0x20 || b === 0x3e || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x2f;

/** Throw the located problem for what a scanned part holds beyond the limits. */
function checkScanned(file: string, part: string, scan: XmlPartScanner, limits: XlsxLimits, cellsSoFar: number): void {
  if (scan.controlAt >= 0) {
    throw invalid(file, 'xml_control_character', `部件「${part}」含有控制字符（第 ${scan.controlAt} 字节），这不是有效的 Excel 文件`, `Part "${part}" contains a control character (byte ${scan.controlAt}); this is not a valid Excel file`,
      '删除从其他系统粘贴来的不可见字符，用 Excel 或 WPS 重新保存为 .xlsx', 'Remove invisible characters pasted from other systems and save it again as .xlsx from Excel or WPS', part);
  }
  if (scan.longestText > limits.maxTextBytes) {
    throw tooLarge(file, 'max_text', `部件「${part}」中有一段文字长 ${scan.longestText} 字节，超过上限 ${limits.maxTextBytes} 字节`, `Part "${part}" holds a text of ${scan.longestText} bytes, over the ${limits.maxTextBytes}-byte limit`, part);
  }
  if (cellsSoFar + scan.cells > limits.maxCells) {
    throw tooLarge(file, 'max_cells', `工作表共有超过 ${limits.maxCells} 个单元格`, `The worksheets hold more than ${limits.maxCells} cells`, cellsSoFar + scan.cells);
  }
}

/**
 * Run every check above; throws E_IMPORT_FILE_TYPE, E_IMPORT_TOO_LARGE or E_IMPORT_INVALID
 * with a located problem. Returns the entries and the inflated XML parts (none with
 * `keepParts: false`, for a gate that only checks: each part is dropped once scanned).
 */
export function checkXlsx(buf: Buffer, file: string, limits: XlsxLimits = defaultXlsxLimits, opts: { keepParts?: boolean } = {}): CheckedXlsx {
  if (buf.length > limits.maxBytes) {
    throw tooLarge(file, 'max_bytes', `文件大小 ${buf.length} 字节，超过上限 ${limits.maxBytes} 字节`, `The file is ${buf.length} bytes, over the ${limits.maxBytes}-byte limit`, buf.length);
  }
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
    const what = sniff(buf);
    throw wrongType(file, what.zh, what.en);
  }
  const { entries, cdOffset } = readCentralDirectory(buf, file);
  checkXlsxDirectory(entries, buf.length, file, limits);
  const keep = opts.keepParts ?? true;
  let cells = 0;
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
    // Only XML parts are read by anyone; images and other binaries are left compressed.
    if (!(e.name.endsWith('.xml') || e.name.endsWith('.rels'))) continue;
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
    if (/<!DOCTYPE|<!ENTITY/i.test(data.toString('latin1'))) {
      throw invalid(file, 'xml_dtd', `部件「${e.name}」含有 DTD/实体声明（XXE 攻击特征），已拒绝`, `Part "${e.name}" contains a DTD or entity declaration (XXE pattern); refused`, '用 Excel 或 WPS 重新保存为 .xlsx', 'Save it again as .xlsx from Excel or WPS', e.name);
    }
    const scan = new XmlPartScanner();
    scan.push(data);
    checkScanned(file, e.name, scan, limits, cells);
    if (e.name.startsWith('xl/worksheets/')) cells += scan.cells;
    if (keep) parts.set(e.name, data);
    else if (e.name === '[Content_Types].xml') parts.set(e.name, data);
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
