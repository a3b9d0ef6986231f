/**
 * How plan-execution figures read on the portal (pure; tested in model.test.ts): target and
 * task statuses, a target as the plan words it, where a value comes from, how far a target is
 * reached, and the per-area status counts the overview charts.
 */
import type { TargetRow, TaskRow } from '../../contract/plan-execution.ts';
import { formatNumber } from '../format.ts';
import type { Lang } from '../i18n.ts';

export const targetStatusOrder = ['achieved', 'on_track', 'at_risk', 'not_achieved', 'no_data'] as const;
export type TargetStatusName = (typeof targetStatusOrder)[number];

const targetStatusLabels: Record<TargetStatusName, Record<Lang, string>> = {
  achieved: { zh: '已达成', en: 'Achieved' },
  on_track: { zh: '进度正常', en: 'On track' },
  at_risk: { zh: '存在风险', en: 'At risk' },
  not_achieved: { zh: '未达成', en: 'Not achieved' },
  no_data: { zh: '暂无数据', en: 'No data' },
};
export const targetStatusLabel = (s: string, lang: Lang): string => targetStatusLabels[(s in targetStatusLabels ? s : 'no_data') as TargetStatusName][lang];
/** A symbol beside the colour (WCAG 1.4.1). */
export const targetStatusSymbol = (s: string): string => ({ achieved: '✔', on_track: '▲', at_risk: '◆', not_achieved: '✖' } as Record<string, string>)[s] ?? '○';

const taskStatusLabels: Record<TaskRow['status'], Record<Lang, string>> = {
  on_track: { zh: '进展顺利', en: 'On track' },
  at_risk: { zh: '存在风险', en: 'At risk' },
  delayed: { zh: '滞后', en: 'Delayed' },
  done: { zh: '已完成', en: 'Done' },
  not_reported: { zh: '未报告', en: 'Not reported' },
};
export const taskStatusLabel = (s: TaskRow['status'], lang: Lang): string => taskStatusLabels[s][lang];

const dataPathLabels: Record<TargetRow['data_path'], Record<Lang, string>> = {
  indicator: { zh: '指标计算', en: 'Computed indicator' },
  registry: { zh: '名录计数', en: 'Registry count' },
  entered: { zh: '责任单位填报', en: 'Entered by the owner' },
};
export const dataPathLabel = (p: TargetRow['data_path'], lang: Lang): string => dataPathLabels[p][lang];

const cmp: Record<string, Record<Lang, string>> = {
  '>': { zh: '＞', en: '> ' }, '>=': { zh: '≥', en: '≥ ' }, '=': { zh: '', en: '' }, '<=': { zh: '≤', en: '≤ ' }, '<': { zh: '＜', en: '< ' },
  maintain: { zh: '保持', en: 'maintain ' }, non_decreasing: { zh: '稳中有升，不低于', en: 'steady or rising, at least ' },
};

/** A number with its unit as the plan writes it: `20个`, `48.5%`, `20 个` in English. */
export function withUnit(v: number, unit: string, lang: Lang): string {
  const n = formatNumber(v, lang);
  if (unit === '%') return `${n}%`;
  return lang === 'zh' ? `${n}${unit}` : `${n} ${unit}`;
}

/** The target as the plan words it: `≥20个（2025）`, `40个左右`, `1—2项`. */
export function targetText(r: Pick<TargetRow, 'comparator' | 'target' | 'target_max' | 'approximate' | 'unit' | 'year'>, lang: Lang): string {
  const range = r.target_max !== null ? `${formatNumber(r.target, lang)}—${withUnit(r.target_max, r.unit, lang)}` : withUnit(r.target, r.unit, lang);
  const about = r.approximate ? (lang === 'zh' ? '左右' : ' (about)') : '';
  return `${(cmp[r.comparator] ?? cmp['='] as Record<Lang, string>)[lang]}${range}${about}${lang === 'zh' ? `（${r.year}年）` : ` (${r.year})`}`;
}

/** The value with its unit, or the reason there is none. */
export function valueText(r: Pick<TargetRow, 'value' | 'value_unit' | 'reason_zh' | 'reason_en'>, lang: Lang): string {
  if (r.value === null) return lang === 'zh' ? `暂无数据（${r.reason_zh ?? ''}）` : `No data (${r.reason_en ?? ''})`;
  return withUnit(r.value, r.value_unit, lang);
}

/**
 * How far a target is reached, 0..1.5: value ÷ judged target (target ÷ value when lower is
 * better); null without a value or with a zero target.
 */
export function reachedShare(r: Pick<TargetRow, 'value' | 'judged'>): number | null {
  if (r.value === null) return null;
  const t = r.judged.value;
  const down = r.judged.comparator === '<' || r.judged.comparator === '<=';
  if (down) return r.value <= 0 ? 1.5 : Math.min(1.5, t / r.value);
  if (t === 0) return null;
  return Math.max(0, Math.min(1.5, r.value / t));
}

/** Per task area, the quantified targets by status (the overview's stacked bars and table). */
export function statusesByArea(tasks: readonly TaskRow[]): Array<{ code: string; title_zh: string; title_en: string; counts: Record<TargetStatusName, number>; total: number }> {
  return tasks.filter((t) => t.kind === 'area').map((a) => ({
    code: a.code, title_zh: a.title_zh, title_en: a.title_en, total: a.targets.total,
    counts: Object.fromEntries(targetStatusOrder.map((s) => [s, a.targets[s]])) as Record<TargetStatusName, number>,
  }));
}
