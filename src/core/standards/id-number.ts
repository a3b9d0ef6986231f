/**
 * 公民身份号码 (citizen identity number), GB 11643—1999: 6-digit address code,
 * 8-digit birth date (YYYYMMDD), 3-digit sequence (odd = male, even = female) and a
 * check character computed with ISO 7064 MOD 11-2 (§8.2 of the standard).
 */

/** Weights Wi = 2^(17−i) mod 11 for positions 1..17 (GB 11643 §8.2.1). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for Σ(ai·Wi) mod 11 = 0..10. */
const CHECK = '10X98765432';

/** The check character for the first 17 digits (throws on non-digits). */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('need exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

export type IdNumberCheck =
  | { readonly ok: true; readonly birthDate: string; readonly sex: 'male' | 'female'; readonly region: string }
  | { readonly ok: false; readonly rule: 'id_format' | 'id_birth_date' | 'id_checksum'; readonly message_zh: string; readonly message_en: string };

/** Days in a month of the proleptic Gregorian calendar. */
function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** A real calendar date from 1900 on: the birth-date rule of the ID number, also the importer's byte path's bar for 出生日期. */
export function isBirthDate(y: number, m: number, d: number): boolean {
  return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * Validate an 18-character ID number: format, a real birth date, and the check character.
 * Written without regular expressions or Date objects: imports check millions of them.
 */
export function checkIdNumber(raw: string): IdNumberCheck {
  const s = raw.length === 18 ? raw : raw.trim();
  let ok = s.length === 18;
  let sum = 0;
  for (let i = 0; ok && i < 17; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) ok = false;
    else sum += c * (WEIGHTS[i] as number);
  }
  const last = ok ? s.charCodeAt(17) : 0;
  if (!ok || !((last >= 48 && last <= 57) || last === 88 || last === 120)) {
    return { ok: false, rule: 'id_format', message_zh: '身份证号应为18位：17位数字加1位校验码（数字或X）', message_en: 'an ID number has 18 characters: 17 digits and a check character (digit or X)' };
  }
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (!isBirthDate(y, m, d)) {
    return { ok: false, rule: 'id_birth_date', message_zh: '身份证号中的出生日期（第7—14位）不是有效日期', message_en: 'the birth date in the ID number (characters 7–14) is not a valid date' };
  }
  if (CHECK.charCodeAt(sum % 11) !== (last === 120 ? 88 : last)) {
    return { ok: false, rule: 'id_checksum', message_zh: '身份证号校验码错误（GB 11643），请核对号码', message_en: 'the ID number check character is wrong (GB 11643); check the number' };
  }
  return { ok: true, birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`, sex: (s.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female', region: s.slice(0, 6) };
}

/**
 * `checkIdNumber` for 18 bytes of text at `bytes[start]` (the importer's byte path, with
 * no string per row): the birth date as the number yyyymmdd when the number passes every
 * rule `checkIdNumber` applies, else −1 (the caller then asks `checkIdNumber` for the
 * located reason). Same rules: 17 digits and a check character 0–9, X or x; a real birth
 * date from 1900; the GB 11643 §8.2 check character.
 */
export function idNumberBirthOfBytes(bytes: Uint8Array, start: number): number {
  if (start + 18 > bytes.length) return -1;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = (bytes[start + i] as number) - 48;
    if (c < 0 || c > 9) return -1;
    sum += c * (WEIGHTS[i] as number);
  }
  let last = bytes[start + 17] as number;
  if (last === 120) last = 88;
  if (!((last >= 48 && last <= 57) || last === 88)) return -1;
  let y = 0;
  for (let i = 6; i < 10; i++) y = y * 10 + (bytes[start + i] as number) - 48;
  const m = ((bytes[start + 10] as number) - 48) * 10 + (bytes[start + 11] as number) - 48;
  const d = ((bytes[start + 12] as number) - 48) * 10 + (bytes[start + 13] as number) - 48;
  if (!isBirthDate(y, m, d)) return -1;
  if (CHECK.charCodeAt(sum % 11) !== last) return -1;
  return y * 10000 + m * 100 + d;
}
