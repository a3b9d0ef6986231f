/**
 * How numbers, units, targets and statuses read on the portal. Pure: tested in format.test.ts.
 */
import { t, tf, type Lang } from './i18n.ts';

export type Status =
  | 'achieved'
  | 'on_track'
  | 'needs_acceleration'
  | 'limited'
  | 'deteriorating'
  | 'insufficient_data'
  | 'off_track'
  | 'not_achieved';

/**
 * Status names follow DESIGN.md "Progress against a target" (Statistics Canada / Open SDG
 * ratio); the Chinese words are those of the API's explanations (src/core/progress/explain.ts
 * `statusNames`) so a badge and the sentence under it agree.
 */
const statusLabels: Record<Status, Record<Lang, string>> = {
  achieved: { zh: '已达成', en: 'Achieved' },
  on_track: { zh: '进度正常', en: 'On track' },
  needs_acceleration: { zh: '需加快进度', en: 'Needs acceleration' },
  limited: { zh: '进展有限', en: 'Limited progress' },
  deteriorating: { zh: '出现倒退', en: 'Deteriorating' },
  insufficient_data: { zh: '数据不足', en: 'Insufficient data' },
  off_track: { zh: '未保持目标', en: 'Off track' },
  // The final verdict at and after the target year (src/core/progress/progress.ts).
  not_achieved: { zh: '未达成', en: 'Not achieved' },
};

export function statusLabel(status: string | null | undefined, lang: Lang): string {
  if (status && status in statusLabels) return statusLabels[status as Status][lang];
  return statusLabels.insufficient_data[lang];
}

/** A symbol beside the colour so status never depends on colour alone (WCAG 1.4.1). */
export function statusSymbol(status: string | null | undefined): string {
  switch (status) {
    case 'achieved': return '✔';
    case 'on_track': return '▲';
    case 'needs_acceleration': return '◆';
    case 'limited': return '▼';
    case 'deteriorating': return '✖';
    case 'off_track': return '✖';
    case 'not_achieved': return '✖';
    default: return '○';
  }
}

/** The plan's three groups of main indicators (主要指标), in the plan's order. */
const categoryLabels: Record<string, Record<Lang, string>> = {
  access: { zh: '普及程度', en: 'Access and participation' },
  structure: { zh: '结构优化', en: 'Structure' },
  quality: { zh: '发展质量', en: 'Quality' },
};
const categoryAliases: Record<string, string> = {
  普及程度: 'access', coverage: 'access', participation: 'access', popularization: 'access',
  结构优化: 'structure', structural: 'structure', structure_optimization: 'structure',
  发展质量: 'quality', development_quality: 'quality',
};

export function categoryKey(category: string): string {
  return categoryAliases[category] ?? category;
}

export function categoryLabel(category: string, lang: Lang): string {
  return categoryLabels[categoryKey(category)]?.[lang] ?? category;
}

/** Rank of a category in the plan's table; unknown categories go last, in order of appearance. */
export function categoryRank(category: string): number {
  const order = ['access', 'structure', 'quality'];
  const i = order.indexOf(categoryKey(category));
  return i < 0 ? order.length : i;
}

const unitLabels: Record<string, Record<Lang, string>> = {
  '%': { zh: '%', en: '%' },
  percent: { zh: '%', en: '%' },
  人: { zh: '人', en: 'persons' },
  persons: { zh: '人', en: 'persons' },
  person: { zh: '人', en: 'persons' },
  per_100k: { zh: '人/十万人', en: 'per 100,000 people' },
  年: { zh: '年', en: 'years' },
  years: { zh: '年', en: 'years' },
  year: { zh: '年', en: 'years' },
  人次: { zh: '人次', en: 'person-times' },
  person_times: { zh: '人次', en: 'person-times' },
  visits: { zh: '人次', en: 'person-times' },
};

export function unitLabel(unit: string | null | undefined, lang: Lang): string {
  if (!unit) return '';
  return unitLabels[unit]?.[lang] ?? unit;
}

function isPercent(unit: string | null | undefined): boolean {
  return unit === '%' || unit === 'percent';
}

/** A number in the reader's locale, at most two decimals, no unit. */
export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
}

export interface CellValue {
  value: number | null | undefined;
  suppressed?: boolean | null | undefined;
}

/**
 * A value with its unit. Suppressed cells (disclosure control) never show a number,
 * whatever `value` holds.
 */
export function formatValue(cell: CellValue, unit: string | null | undefined, lang: Lang): string {
  if (cell.suppressed) return t(lang, 'suppressed');
  if (cell.value === null || cell.value === undefined || !Number.isFinite(cell.value)) return t(lang, 'noData');
  const n = formatNumber(cell.value, lang);
  if (!unit) return n;
  if (isPercent(unit)) return `${n}%`;
  const u = unitLabel(unit, lang);
  return lang === 'zh' ? `${n}${u}` : `${n} ${u}`;
}

const comparatorSymbols: Record<string, string> = { '>': '＞', '>=': '≥', '=': '', '<=': '≤', '<': '＜' };

/** A target as the plan writes it: "＞99%", "≤48.5%", "保持4500人". */
export function formatTarget(
  target: { comparator?: string | null; value: number | null; year?: number | null } | null | undefined,
  unit: string | null | undefined,
  lang: Lang,
): string {
  if (!target || target.value === null || target.value === undefined) return t(lang, 'noData');
  const v = formatValue({ value: target.value }, unit, lang);
  const c = target.comparator ?? '=';
  if (c === 'maintain') return lang === 'zh' ? `保持${v}` : `maintain ${v}`;
  return `${comparatorSymbols[c] ?? c}${v}`;
}

/** A 0..1 share as a percentage ("60%"). */
export function formatShare(share: number | null | undefined, lang: Lang): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return t(lang, 'noData');
  return `${formatNumber(Math.round(share * 1000) / 10, lang)}%`;
}

/** "2020，规划基数" / "2020, own value": which baseline a series is measured from (its year and origin). */
export function baselineLabel(b: { year: number; origin?: 'plan' | 'data' } | null | undefined, lang: Lang): string {
  if (!b) return '';
  const origin = b.origin === 'plan' ? t(lang, 'baselinePlan') : b.origin === 'data' ? t(lang, 'baselineOwn') : '';
  return origin ? `${b.year}${lang === 'zh' ? '，' : ', '}${origin}` : String(b.year);
}

/**
 * The calendar date of an instant in Tianjin, YYYY-MM-DD. China Standard Time is UTC+8 all
 * year (no daylight saving since 1991), so a release at 23:30 Beijing time is dated that
 * day, not the UTC day before, whatever the reader's own time zone.
 */
export function releaseDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso.slice(0, 10);
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** "第3版，2026-01-15" for a release; empty when the figures have not been released. */
export function releaseText(r: { version: number; released_at: string } | null | undefined, lang: Lang): string {
  if (!r) return '';
  return `${tf(lang, 'releaseVersion', { n: r.version })}${lang === 'zh' ? '，' : ', '}${releaseDate(r.released_at)}`;
}

export interface YearRelease { year: number; version: number; released_at: string }

/** 「数据更新于 2026-01-15（2025学年第2版）」: the date and version of the figures shown. */
export function updatedText(r: YearRelease, lang: Lang): string {
  return tf(lang, 'dataUpdated', { date: releaseDate(r.released_at), year: r.year, n: r.version });
}

/**
 * The newest release among the figures on a page (each progress item carries the release of
 * its own latest value, of its own year), or null when none of them is released.
 */
export function newestRelease(items: ReadonlyArray<{ year: number | null; release: { id: number; version: number; released_at: string } | null }>): YearRelease | null {
  let best: { year: number; id: number; version: number; released_at: string } | null = null;
  for (const i of items) {
    const r = i.release;
    if (!r || i.year === null) continue;
    const newer = best === null || r.released_at > best.released_at || (r.released_at === best.released_at && r.id > best.id);
    if (newer) best = { year: i.year, id: r.id, version: r.version, released_at: r.released_at };
  }
  return best && { year: best.year, version: best.version, released_at: best.released_at };
}
