/**
 * How an evaluation report prints a number (报告数字格式), pure. One function for every
 * format (DOCX, PDF, HTML) and both languages, so a figure reads the same everywhere and a
 * test can state what the report prints.
 *
 * Government-report style (统计公报、规划评估报告): a percentage with one decimal ("43.9%");
 * schooling years with two (the plan's own baseline is 12.03 年); head counts and person-times
 * as whole numbers; other plan units (个, 所, 平方米 …) with at most two decimals, trailing
 * zeros dropped ("7.5平方米", "20个"). The unit follows the number without a space in
 * Chinese; English spells the unit out where it has a plain name.
 */

export type Lang = 'zh' | 'en';

/** Fixed decimals for a unit, or null for "up to two, trailing zeros dropped". */
export function decimalsFor(unit: string): number | null {
  if (unit === '%') return 1;
  if (unit === '年') return 2;
  if (unit === '人' || unit === '人次') return 0;
  return null;
}

/** The number alone, as the report prints it: `43.9`, `12.35`, `4521`, `7.5`. */
export function formatNumber(v: number, unit: string): string {
  const d = decimalsFor(unit);
  if (d !== null) return roundTo(v, d).toFixed(d);
  return String(roundTo(v, 2));
}

/** Half away from zero at `d` decimals, on the decimal string (so 0.05 → 0.1, not 0.0 from float noise). */
function roundTo(v: number, d: number): number {
  const shifted = Number(`${Math.abs(v)}e${d}`);
  const r = Math.round(shifted);
  return Math.sign(v) * Number(`${r}e-${d}`);
}

const unitEn: Readonly<Record<string, string>> = {
  '年': 'years', '人': 'students', '人次': 'person-times', '个': '', '个区': 'districts', '所': 'schools', '名': 'people',
  '项': 'items', '门': 'courses', '小时': 'hours', '平方米': 'm²', '支': 'teams', '个/校': 'per school', '间/校': 'per school',
  '所/区': 'per district', '名/年': 'people a year', '项/年': 'items a year', '次/年': 'times a year', '次/3年': 'times every 3 years', '台（套件）': 'sets',
};

/** English name of a plan unit (the Chinese unit when it has none). */
export const unitName = (unit: string, lang: Lang): string => (lang === 'zh' ? unit : unitEn[unit] ?? unit);

/** A value with its unit: `43.9%`, `12.35年` / `12.35 years`, `20个` / `20`. */
export function formatValue(v: number, unit: string, lang: Lang): string {
  const n = formatNumber(v, unit);
  if (unit === '%') return `${n}%`;
  if (lang === 'zh') return `${n}${unit}`;
  const u = unitName(unit, 'en');
  return u === '' ? n : `${n} ${u}`;
}

/** A value that may be missing (suppressed or no data): the report says so instead of a number. */
export function formatMaybe(v: number | null, unit: string, lang: Lang, missing: 'no_data' | 'suppressed' = 'no_data'): string {
  if (v === null) return missingText[missing][lang];
  return formatValue(v, unit, lang);
}

export const missingText: Readonly<Record<'no_data' | 'suppressed', Record<Lang, string>>> = {
  no_data: { zh: '暂无数据', en: 'no data' },
  suppressed: { zh: '数据不足，不予公布', en: 'too few to publish' },
};

/** A comparator in words before the target value: 达到 50%, 高于 99%, 不高于 0% … */
export const comparatorWords: Readonly<Record<string, Record<Lang, string>>> = {
  '>': { zh: '高于', en: 'above' },
  '>=': { zh: '达到', en: 'at least' },
  '=': { zh: '达到', en: 'equal to' },
  '<=': { zh: '控制在', en: 'at most' },
  '<': { zh: '低于', en: 'below' },
  'maintain': { zh: '保持在', en: 'kept at' },
  'non_decreasing': { zh: '稳中有升，不低于', en: 'rising steadily from' },
};

/** A target as printed in a table: `≥50%`, `>99%`, `≤0%`, `保持4500人`. */
export function formatTarget(comparator: string, value: number, unit: string, lang: Lang): string {
  const v = formatValue(value, unit, lang);
  switch (comparator) {
    case '>': return `>${v}`;
    case '>=': return `≥${v}`;
    case '<=': return `≤${v}`;
    case '<': return `<${v}`;
    case '=': return v;
    case 'maintain': return lang === 'zh' ? `保持${v}` : `keep ${v}`;
    default: return lang === 'zh' ? `不低于${v}且逐年不降` : `≥${v}, never falling`;
  }
}

/** A calendar day in Tianjin (UTC+8) from an ISO instant: `2025-06-30` — release dates print as the day they were published there. */
export function chinaDay(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso.slice(0, 10);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

/** `2025年6月30日` / `30 June 2025`. */
export function formatDate(day: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (lang === 'zh') return `${y}年${mo}月${d}日`;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${d} ${months[mo - 1] ?? ''} ${y}`;
}

/** Chinese section numerals: 1 → 一 … 11 → 十一 (the plan numbers its parts 一、二… and （一）（二）…). */
export function chineseNumeral(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n <= 0 || n >= 100) return String(n);
  if (n < 10) return digits[n] as string;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digits[tens]}十${ones === 0 ? '' : digits[ones]}`;
}
