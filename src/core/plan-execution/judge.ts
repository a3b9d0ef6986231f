/**
 * Judging a plan target (目标判定) with the one progress engine (src/core/progress/progress.ts):
 * count targets, schedules (X by year Y), coverage shares and 稳中有升 targets all become an
 * engine target — comparator, value, year — and a series of values per year. The engine's
 * statuses are then read in the plan-execution vocabulary the planning office reports in:
 *
 *   achieved      已达成   the engine's `achieved` (final at and after the target year)
 *   on_track      进度正常  `on_track` (Open SDG R ≥ 0.95)
 *   at_risk       存在风险  `needs_acceleration`, `limited`, `deteriorating`, `off_track` (a keep
 *                          target not kept), and a value whose pace cannot be judged yet
 *   not_achieved  未达成   the final verdict when the target is not met
 *   no_data       暂无数据  no value at or before the year (with the reason)
 *
 * Pure: the series comes from the caller (indicator cells, registry counts, entered values).
 */
import { computeProgress, type Point, type ProgressResult, type ProgressStatus } from '../progress/progress.ts';
import type { PlanTarget } from './targets.ts';

export const targetStatuses = ['achieved', 'on_track', 'at_risk', 'not_achieved', 'no_data'] as const;
export type TargetStatus = (typeof targetStatuses)[number];

export const targetStatusNames: Readonly<Record<TargetStatus, { zh: string; en: string }>> = {
  achieved: { zh: '已达成', en: 'achieved' },
  on_track: { zh: '进度正常', en: 'on track' },
  at_risk: { zh: '存在风险', en: 'at risk' },
  not_achieved: { zh: '未达成', en: 'not achieved' },
  no_data: { zh: '暂无数据', en: 'no data' },
};

/** The plan-execution status of an engine status; `hasValue` separates "no value" from "pace unknown". */
export function targetStatusOf(status: ProgressStatus, hasValue: boolean): TargetStatus {
  switch (status) {
    case 'achieved': return 'achieved';
    case 'on_track': return 'on_track';
    case 'not_achieved': return 'not_achieved';
    case 'needs_acceleration':
    case 'limited':
    case 'deteriorating':
    case 'off_track': return 'at_risk';
    case 'insufficient_data': return hasValue ? 'at_risk' : 'no_data';
  }
}

export interface Judgement {
  readonly status: TargetStatus;
  /** The engine's status, kept for the explanation (e.g. `needs_acceleration` behind `at_risk`). */
  readonly progress_status: ProgressStatus;
  readonly value: number | null;
  /** The year of `value`: the latest at or before the year asked, and never after the target year. */
  readonly value_year: number | null;
  readonly baseline: { readonly year: number; readonly value: number; readonly origin: 'plan' | 'data' } | null;
  readonly ratio: number | null;
  readonly final: boolean;
  /** Every-year targets: the years that broke it. */
  readonly failed_years: readonly number[];
  /** Set when a value exists but its pace cannot be judged (only one year of data before the target year). */
  readonly pace_unknown: boolean;
}

export interface JudgeOptions {
  /** The year asked about (`--year`). */
  readonly year: number;
  /** The plan's baseline year (2020) and first year (2021). */
  readonly baselineYear: number;
  readonly periodStart: number;
}

/**
 * The baseline a target is measured from: the plan's where it states one; else the value in
 * the plan's baseline year; else the first value before the latest (origin `data`, as the
 * progress service does for a district). Never made up.
 */
export function baselineOf(t: PlanTarget, series: readonly Point[], opts: JudgeOptions, latestYear: number | null): Judgement['baseline'] {
  if (t.baseline) return { ...t.baseline, origin: 'plan' };
  const atBase = series.find((p) => p.year === opts.baselineYear);
  if (atBase) return { year: atBase.year, value: atBase.value, origin: 'data' };
  const first = [...series].sort((a, b) => a.year - b.year).find((p) => p.year >= opts.baselineYear && (latestYear === null || p.year < latestYear));
  return first ? { year: first.year, value: first.value, origin: 'data' } : null;
}

export function judgeTarget(t: PlanTarget, series: readonly Point[], opts: JudgeOptions): Judgement {
  const j = t.judged;
  // A schedule target (X by year Y) is decided by the value of its own year, however late the question.
  const asOf = Math.min(opts.year, t.year);
  const usable = series.filter((p) => Number.isFinite(p.value) && p.year <= asOf);
  // Every-year targets are judged over the plan period only, not the years before it.
  const judged = j.every_year ? usable.filter((p) => p.year >= opts.periodStart) : usable;
  const latest = [...judged].sort((a, b) => a.year - b.year).at(-1) ?? null;
  const baseline = j.every_year ? null : baselineOf(t, judged, opts, latest?.year ?? null);
  const p: ProgressResult = computeProgress({
    direction: t.direction, nature: t.nature, unit: j.unit, baseline,
    target: { year: t.year, comparator: j.comparator, value: j.value },
    series: judged, asOf,
  });
  const hasValue = p.value !== null;
  return {
    status: targetStatusOf(p.status, hasValue),
    progress_status: p.status,
    value: p.value, value_year: p.year, baseline, ratio: p.ratio, final: opts.year >= t.year,
    failed_years: p.failed_years,
    pace_unknown: hasValue && p.status === 'insufficient_data',
  };
}

/** Counts of targets per status (roll-ups per 专栏 and task area), every status present. */
export function countStatuses(statuses: Iterable<TargetStatus>): Record<TargetStatus, number> {
  const out = Object.fromEntries(targetStatuses.map((s) => [s, 0])) as Record<TargetStatus, number>;
  for (const s of statuses) out[s] += 1;
  return out;
}
