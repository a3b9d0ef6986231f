/**
 * The assessment workflow (督导评估程序), the same for 优质均衡 and 普及普惠:
 * 区级自评 → 市级评估（专家逐项意见）→ 申报国家认定 → 国家认定（注明日期）或退回.
 * (assessments-confirmed.md 1f / 2d: 县级自评 → 市级复核/初核 → 省级评估 → 国家认定; Tianjin
 * is a province-level city, so the city assessment is the provincial step.)
 * Events are append-only; the state is the last event's outcome.
 */
import type { Role } from '../../auth/roles.ts';
import { EduplanError } from '../../errors.ts';

export const workflowActions = ['self_evaluate', 'city_assess', 'submit', 'certify', 'return'] as const;
export type WorkflowAction = (typeof workflowActions)[number];
export type WorkflowState = 'not_started' | 'self_evaluated' | 'city_assessed' | 'submitted' | 'certified' | 'returned';

export const stateNames: Record<WorkflowState, { zh: string; en: string }> = {
  not_started: { zh: '未启动', en: 'Not started' },
  self_evaluated: { zh: '已完成区级自评', en: 'District self-evaluation done' },
  city_assessed: { zh: '已完成市级评估', en: 'City assessment done' },
  submitted: { zh: '已申报国家认定', en: 'Submitted for national certification' },
  certified: { zh: '已通过国家认定', en: 'Certified' },
  returned: { zh: '已退回', en: 'Returned' },
};

/**
 * The roles each assessment use case needs, at the district concerned (a grant at the city
 * covers all 16). The services enforce them; the workspace shows its buttons from them.
 * Reading: a self-evaluation is internal until certified, so only the district's reviewer
 * and the city (administrators, supervisors 督导, analysts) read it. Entering items and the
 * district self-evaluation (区级自评): the district's reviewer, or the city. The city's steps
 * (市级评估, 申报, 认定, 退回): city administrators and supervisors.
 */
export const assessmentRoles = {
  read: ['district_reviewer', 'city_admin', 'supervisor', 'analyst'],
  enter: ['district_reviewer', 'city_admin', 'supervisor'],
  city: ['city_admin', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;

const transitions: Record<WorkflowAction, { from: readonly WorkflowState[]; to: WorkflowState }> = {
  self_evaluate: { from: ['not_started', 'self_evaluated', 'returned'], to: 'self_evaluated' },
  city_assess: { from: ['self_evaluated'], to: 'city_assessed' },
  submit: { from: ['city_assessed'], to: 'submitted' },
  certify: { from: ['submitted'], to: 'certified' },
  return: { from: ['self_evaluated', 'city_assessed', 'submitted'], to: 'returned' },
};

export interface WorkflowEvent {
  readonly action: WorkflowAction;
  /** The date it happened (YYYY-MM-DD), e.g. the certification date. */
  readonly on_date: string;
  readonly actor: string;
  readonly comment: string;
  /** City experts' comment per item code (市级评估 逐项意见). */
  readonly item_comments: Readonly<Record<string, string>>;
}

export interface WorkflowStatus {
  readonly state: WorkflowState;
  readonly state_zh: string;
  readonly state_en: string;
  readonly self_evaluated_on: string | null;
  readonly city_assessed_on: string | null;
  readonly submitted_on: string | null;
  readonly certified_on: string | null;
  readonly returned_on: string | null;
  readonly expert_comments: Readonly<Record<string, string>>;
}

/** The state after an action, or E_ASSESSMENT_WORKFLOW saying what is allowed. */
export function nextState(current: WorkflowState, action: WorkflowAction, lastDate: string | null, onDate: string): WorkflowState {
  const t = transitions[action];
  if (!t.from.includes(current)) {
    const allowed = workflowActions.filter((a) => transitions[a].from.includes(current));
    throw new EduplanError('E_ASSESSMENT_WORKFLOW', {
      detail: `${action} is not allowed in state ${current}`,
      problems: [{ path: 'action', value: action, rule: 'workflow_order', message_zh: `当前状态为「${stateNames[current].zh}」，不能执行 ${action}`, message_en: `state is "${stateNames[current].en}"; ${action} is not allowed`, fix_zh: allowed.length ? `可执行：${allowed.join('、')}` : '已认定，流程结束', fix_en: allowed.length ? `allowed: ${allowed.join(', ')}` : 'certified: the workflow is finished' }],
    });
  }
  if (lastDate !== null && onDate < lastDate) {
    throw new EduplanError('E_ASSESSMENT_WORKFLOW', {
      detail: `date ${onDate} precedes the previous step (${lastDate})`,
      problems: [{ path: 'on_date', value: onDate, rule: 'date_order', message_zh: `日期 ${onDate} 早于上一环节（${lastDate}）`, message_en: `date ${onDate} is before the previous step (${lastDate})`, fix_zh: '填写实际发生日期', fix_en: 'use the date it actually happened' }],
    });
  }
  return t.to;
}

export function workflowStatus(events: readonly WorkflowEvent[]): WorkflowStatus {
  let state: WorkflowState = 'not_started';
  const dates: Partial<Record<WorkflowState, string>> = {};
  let comments: Record<string, string> = {};
  for (const e of events) {
    state = transitions[e.action].to;
    dates[state] = e.on_date;
    if (e.action === 'city_assess') comments = { ...e.item_comments };
    if (e.action === 'self_evaluate') comments = {};
  }
  return {
    state, state_zh: stateNames[state].zh, state_en: stateNames[state].en,
    self_evaluated_on: dates.self_evaluated ?? null,
    city_assessed_on: dates.city_assessed ?? null,
    submitted_on: dates.submitted ?? null,
    certified_on: dates.certified ?? null,
    returned_on: dates.returned ?? null,
    expert_comments: comments,
  };
}
