/**
 * The plan's targets as one list (规划目标清单): the main indicators (主要指标), every 专栏
 * target and every target of the running text — 20 + 52 + 24 = 96 for Tianjin — each with
 * where it stands in the plan (`source`: `二(二)`, `专栏19`, `三(七)3`), how it gets a value
 * (`data_path`), what it is judged against, and its links: target ↔ indicator ↔ task ↔ 专栏.
 * Pure: derived from the validated plan document only.
 */
import type { Comparator } from '../progress/progress.ts';
import type { DataPath } from '../plan/data-path.ts';
import type { Plan, QuantifiedTarget } from '../plan/schema.ts';

export type TargetKind = 'indicator' | 'project' | 'text';

export interface PlanTarget {
  /** The target's code: an indicator code for a main indicator, else the quantified target's code. */
  readonly id: string;
  readonly kind: TargetKind;
  /** Where in the plan, as the plan numbers it without the enumeration comma: `二(二)`, `专栏19`, `三(七)3`. */
  readonly source: string;
  /** The section as written in the plan files (`三、(七)3`, `专栏19`, `二、(二)主要目标表·发展质量`). */
  readonly section: string;
  readonly text_zh: string;
  readonly text_en: string;
  /** The plan's words, verbatim. */
  readonly source_zh: string;
  readonly comparator: Comparator;
  /** The number as the plan gives it, in `unit`. */
  readonly target: number;
  readonly target_max: number | null;
  readonly approximate: boolean;
  readonly unit: string;
  readonly year: number;
  readonly baseline: { readonly year: number; readonly value: number } | null;
  readonly direction: 'up' | 'down';
  readonly nature: 'binding' | 'expected';
  readonly data_path: DataPath;
  /** What the value is judged against (the target itself, or `judged_as`), and whether in every year. */
  readonly judged: JudgedTarget;
  /** The 专栏 the target is in (project code), if any. */
  readonly project: string | null;
  /** The task area and sub-task it belongs to (a 专栏's, or the running-text section's). */
  readonly task_area: string | null;
  readonly subtask: number | null;
  /** The main indicator it restates or reads, if any. */
  readonly indicator: string | null;
  readonly note_zh: string | null;
  readonly note_en: string | null;
}

export interface JudgedTarget {
  readonly comparator: Comparator;
  readonly value: number;
  readonly unit: string;
  readonly every_year: boolean;
  /** Why the judged target differs from the printed one (左右, judged_as), in words; null when it does not. */
  readonly note_zh: string | null;
  readonly note_en: string | null;
}

/**
 * 左右 ("about N"): the plan sets a scale, not a ceiling, so an approximate `=` target is
 * met at 90 % of N or more. A range 「1—2项」 is met at its lower end (the plan's `>=`).
 */
export const APPROXIMATE_SHARE = 0.9;

/** `三、(七)3` → `三(七)3`; `二、(二)主要目标表·发展质量` → `二(二)`; `专栏19` stays. */
export function sourceLabel(section: string): string {
  const s = section.replace(/、/g, '');
  const m = /^([一二三四五六七八九十]+\([一二三四五六七八九十]+\)\d*)/.exec(s);
  return m ? (m[1] ?? s) : s;
}

const directionOf = (c: Comparator): 'up' | 'down' => (c === '<' || c === '<=' ? 'down' : 'up');

export function judgedTarget(q: Pick<QuantifiedTarget, 'comparator' | 'value' | 'unit' | 'approximate' | 'data_path'>): JudgedTarget {
  const ja = q.data_path.judged_as;
  const every = q.data_path.every_year === true;
  if (ja) return { comparator: ja.comparator, value: ja.value, unit: ja.unit, every_year: every, note_zh: ja.note_zh ?? null, note_en: ja.note_en ?? null };
  let comparator: Comparator = q.comparator;
  let value = q.value;
  let note_zh: string | null = null;
  let note_en: string | null = null;
  if (q.approximate === true && q.comparator === '=') {
    comparator = '>=';
    value = Math.round(q.value * APPROXIMATE_SHARE * 1000) / 1000;
    note_zh = `“${q.value}左右”按达到${q.value}的90%（${value}）及以上判断`;
    note_en = `"about ${q.value}" is judged as at least 90 % of it (${value})`;
  }
  // 每年…: judged in every year of the period at the (possibly approximate) level.
  if (every && comparator !== 'non_decreasing') comparator = 'maintain';
  return { comparator, value, unit: q.unit, every_year: every, note_zh, note_en };
}

/** Section `三、(七)3` → the task area numbered 7, sub-task 3, when the plan has them. */
function taskOfSection(plan: Plan, section: string): { task_area: string | null; subtask: number | null } {
  for (const a of plan.task_areas) {
    for (const s of a.subtasks) if (s.section === section) return { task_area: a.code, subtask: s.number };
    if (a.section === section) return { task_area: a.code, subtask: null };
  }
  return { task_area: null, subtask: null };
}

function quantified(plan: Plan, q: QuantifiedTarget, kind: 'project' | 'text', project: Plan['projects'][number] | null): PlanTarget {
  const links = project ? { task_area: project.task_area, subtask: project.subtask ?? null } : taskOfSection(plan, q.section);
  const indicator = q.indicator ?? (q.data_path.kind === 'indicator' && plan.indicators.some((i) => i.code === (q.data_path as { indicator: string }).indicator) ? q.data_path.indicator : null);
  return {
    id: q.code, kind, source: sourceLabel(q.section), section: q.section,
    text_zh: q.description_zh, text_en: q.description_en, source_zh: q.source_zh,
    comparator: q.comparator, target: q.value, target_max: q.value_max ?? null, approximate: q.approximate === true,
    unit: q.unit, year: q.year, baseline: q.baseline ? { year: q.baseline.year, value: q.baseline.value } : null,
    direction: q.data_path.kind === 'indicator' ? (plan.indicators.find((i) => i.code === (q.data_path as { indicator: string }).indicator)?.direction ?? directionOf(q.comparator)) : directionOf(q.comparator),
    nature: 'expected', data_path: q.data_path, judged: judgedTarget(q),
    project: project?.code ?? null, ...links, indicator,
    note_zh: q.note_zh ?? null, note_en: q.note_en ?? null,
  };
}

/**
 * Every target of the plan, in the plan's order: the main indicators, then the 专栏 targets
 * (专栏1…19), then the running text's.
 */
export function planTargets(plan: Plan): PlanTarget[] {
  const out: PlanTarget[] = [];
  // A main indicator is linked to the 专栏 whose target restates it (学生体质优良率 ↔ 专栏2).
  const projectOfIndicator = new Map<string, Plan['projects'][number]>();
  for (const p of plan.projects) for (const q of p.targets) if (q.indicator !== undefined && !projectOfIndicator.has(q.indicator)) projectOfIndicator.set(q.indicator, p);
  for (const ind of plan.indicators) {
    const p = projectOfIndicator.get(ind.code);
    out.push({
      id: ind.code, kind: 'indicator', source: sourceLabel(ind.section), section: ind.section,
      text_zh: ind.name_zh, text_en: ind.name_en, source_zh: ind.source_zh,
      comparator: ind.target.comparator, target: ind.target.value, target_max: null, approximate: false,
      unit: ind.unit, year: ind.target.year, baseline: { year: ind.baseline.year, value: ind.baseline.value },
      direction: ind.direction, nature: ind.nature,
      data_path: { kind: 'indicator', indicator: ind.code },
      judged: { comparator: ind.target.comparator, value: ind.target.value, unit: ind.unit, every_year: ind.target.comparator === 'maintain', note_zh: null, note_en: null },
      project: p?.code ?? null, task_area: p?.task_area ?? null, subtask: p?.subtask ?? null, indicator: ind.code,
      note_zh: ind.comparator_note_zh ?? null, note_en: ind.comparator_note_en ?? null,
    });
  }
  for (const p of plan.projects) for (const q of p.targets) out.push(quantified(plan, q, 'project', p));
  for (const q of plan.text_targets) out.push(quantified(plan, q, 'text', null));
  return out;
}

/** The targets a registry is counted for (名录 ↔ 目标). */
export function targetsOfRegistry(targets: readonly PlanTarget[], registry: string): PlanTarget[] {
  return targets.filter((t) => t.data_path.kind === 'registry' && t.data_path.registry === registry);
}
