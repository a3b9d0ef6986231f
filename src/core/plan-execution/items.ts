/**
 * The plan's trackable items (规划实施事项): the task areas (主要任务 (一)…(十一)), their
 * numbered sub-tasks and the 专栏 projects. Owners, milestones and progress reports attach to
 * an item by its code:
 *
 *   task area   `moral_education`        (the area's code in tasks.yaml)
 *   sub-task    `moral_education.2`      (area code, a dot, the sub-task's number)
 *   专栏         `p02_school_sports`      (the project's code in projects.yaml)
 *
 * Pure: derived from the plan document.
 */
import type { Plan } from '../plan/schema.ts';
import { sourceLabel } from './targets.ts';

export type ItemKind = 'area' | 'subtask' | 'project';

export interface PlanItem {
  readonly code: string;
  readonly kind: ItemKind;
  /** `三(二)`, `三(二)2`, `专栏2`. */
  readonly source: string;
  readonly number: number;
  readonly title_zh: string;
  readonly title_en: string;
  /** The task area it belongs to (itself for an area). */
  readonly area: string;
  /** Sub-task number: of the sub-task itself, or the one a 专栏 follows. */
  readonly subtask: number | null;
}

export const subtaskCode = (area: string, n: number): string => `${area}.${n}`;

export function planItems(plan: Plan): PlanItem[] {
  const out: PlanItem[] = [];
  for (const a of plan.task_areas) {
    out.push({ code: a.code, kind: 'area', source: sourceLabel(a.section), number: a.number, title_zh: a.title_zh, title_en: a.title_en, area: a.code, subtask: null });
    for (const s of a.subtasks) out.push({ code: subtaskCode(a.code, s.number), kind: 'subtask', source: sourceLabel(s.section), number: s.number, title_zh: s.title_zh, title_en: s.title_en, area: a.code, subtask: s.number });
  }
  for (const p of plan.projects) out.push({ code: p.code, kind: 'project', source: sourceLabel(p.section), number: p.number, title_zh: p.title_zh, title_en: p.title_en, area: p.task_area, subtask: p.subtask ?? null });
  return out;
}

/** A 专栏 by its code or its number (`p19_luban_workshops`, `19`, `专栏19`). */
export function findProject(plan: Plan, id: string): Plan['projects'][number] | undefined {
  const n = /^(?:专栏)?(\d{1,3})$/.exec(id);
  return plan.projects.find((p) => p.code === id || (n !== null && p.number === Number(n[1])));
}
