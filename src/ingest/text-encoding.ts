/**
 * What encoding a text file is in (文件编码识别). Excel on a Chinese Windows saves "CSV
 * (逗号分隔)" in the ANSI code page, GBK (a subset of GB18030), not UTF-8; read as UTF-8 its
 * header's Chinese is garbage and the file reported "missing column 学校代码". The readers
 * therefore look at the bytes first: UTF-8 (with or without BOM) is read as it is; GB18030 is
 * decoded (csv-read.ts) or named in the error (student files); UTF-16 (Excel's "Unicode text")
 * and binary files are named.
 *
 * The guess comes from a sample (the first 64 KiB): a strict UTF-8 decode that fails there
 * while a strict GB18030 decode succeeds means GB18030 — Chinese text in GBK is almost never
 * valid UTF-8 beyond a few characters.
 */
import { open } from 'node:fs/promises';
import { EduplanError } from '../core/errors.ts';

export type TextEncodingGuess = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be' | 'binary';

export const SAMPLE_BYTES = 64 * 1024;

/**
 * Does `bytes` decode strictly as `label`? For a sample that is not the whole file, a character
 * cut at its end is not an error: a streaming decode keeps an unfinished sequence for later.
 */
function decodes(label: string, bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder(label, { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * The encoding of `sample`, the first bytes of a file (`complete`: the whole file, so a
 * character cut at the sample's end is not forgiven).
 */
export function guessEncoding(sample: Uint8Array, complete: boolean): TextEncodingGuess {
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return decodes('utf-8', sample, complete) ? 'utf-8' : 'binary';
  // Many NULs: UTF-16 without a BOM (ASCII text has every other byte zero) or binary. A stray
  // NUL in text is valid UTF-8 (the readers report it on its cell).
  let evenZero = 0;
  let oddZero = 0;
  const n = Math.min(sample.length, 4096);
  for (let i = 0; i + 1 < n; i += 2) { if (sample[i] === 0) evenZero++; if (sample[i + 1] === 0) oddZero++; }
  if (evenZero + oddZero > n / 8) {
    if (evenZero === 0) return 'utf-16le';
    if (oddZero === 0) return 'utf-16be';
    return 'binary';
  }
  if (decodes('utf-8', sample, complete)) return 'utf-8';
  if (decodes('gb18030', sample, complete)) return 'gb18030';
  return 'binary';
}

/** The first `SAMPLE_BYTES` of a file, and whether that is all of it. */
export async function readSample(path: string): Promise<{ sample: Uint8Array; complete: boolean }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SAMPLE_BYTES, 0);
    const size = (await fh.stat()).size;
    return { sample: buf.subarray(0, bytesRead), complete: bytesRead >= size };
  } finally {
    await fh.close();
  }
}

const names: Record<Exclude<TextEncodingGuess, 'utf-8'>, { zh: string; en: string }> = {
  gb18030: { zh: 'GBK/GB18030 编码（中文 Windows 上 Excel“另存为 CSV”的默认编码）', en: 'GBK/GB18030 encoding (what Excel on a Chinese Windows saves as "CSV")' },
  'utf-16le': { zh: 'UTF-16 编码（Excel 的“Unicode 文本”）', en: 'UTF-16 encoding (Excel\'s "Unicode Text")' },
  'utf-16be': { zh: 'UTF-16 编码', en: 'UTF-16 encoding' },
  binary: { zh: '不是文本文件（或编码无法识别）', en: 'not a text file (or an unrecognised encoding)' },
};

/** The located problem for a CSV that is not UTF-8, naming what it is. */
export function encodingProblem(file: string, guess: Exclude<TextEncodingGuess, 'utf-8'>): EduplanError {
  const n = names[guess];
  return new EduplanError('E_IMPORT_INVALID', {
    detail: `${file}: ${n.en}`,
    problems: [{
      file, row: 1, rule: 'encoding', value: guess,
      message_zh: `文件不是 UTF-8 编码：${n.zh}`, message_en: `The file is not UTF-8: ${n.en}`,
      fix_zh: '在 Excel 中“另存为”并选择“CSV UTF-8（逗号分隔）(*.csv)”，或在 WPS 中选择 UTF-8 编码后重新上传', fix_en: 'In Excel choose Save As → "CSV UTF-8 (Comma delimited) (*.csv)" (or UTF-8 in WPS) and upload again',
    }],
  });
}

/**
 * Refuse a CSV file that is not UTF-8, naming its encoding (for readers that parse bytes as
 * UTF-8, such as the student-record fast path). Resolves for UTF-8 files.
 */
export async function refuseNonUtf8Csv(path: string, file: string): Promise<void> {
  const { sample, complete } = await readSample(path);
  const guess = guessEncoding(sample, complete);
  if (guess !== 'utf-8') throw encodingProblem(file, guess);
}
