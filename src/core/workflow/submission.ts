/**
 * The submission lifecycle (填报流程), after DHIS2's data approval: a school fills a
 * draft and submits it; its district approves it or returns it with a reason (退回); the
 * city locks approved submissions (锁定) and may reopen a locked one, with a reason.
 *
 *   draft ──submit──▶ submitted ──approve──▶ approved ──lock──▶ locked
 *     ▲                  │                     │                 │
 *     └──── edit ◀── returned ◀──return───────┴──────reopen─────┘
 */

export const submissionStates = ['draft', 'submitted', 'returned', 'approved', 'locked'] as const;
export type SubmissionState = (typeof submissionStates)[number];

export const stateNames: Readonly<Record<SubmissionState, { zh: string; en: string }>> = {
  draft: { zh: '草稿', en: 'Draft' },
  submitted: { zh: '已上报', en: 'Submitted' },
  returned: { zh: '已退回', en: 'Returned' },
  approved: { zh: '区已审核', en: 'Approved by district' },
  locked: { zh: '市已锁定', en: 'Locked by city' },
};

export type Transition = 'edit' | 'submit' | 'approve' | 'return' | 'lock' | 'reopen';

const allowed: Readonly<Record<Transition, { from: readonly SubmissionState[]; to: SubmissionState }>> = {
  edit: { from: ['draft', 'returned'], to: 'draft' },
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  return: { from: ['submitted', 'approved'], to: 'returned' },
  lock: { from: ['approved'], to: 'locked' },
  reopen: { from: ['locked'], to: 'returned' },
};

/** The state after `t`, or null when `t` is not allowed from `from`. */
export function nextState(from: SubmissionState, t: Transition): SubmissionState | null {
  const a = allowed[t];
  return a.from.includes(from) ? a.to : null;
}

export function allowedFrom(t: Transition): readonly SubmissionState[] {
  return allowed[t].from;
}

/** Transitions that need a written reason (退回原因, 重新打开原因). */
export function needsReason(t: Transition): boolean {
  return t === 'return' || t === 'reopen';
}

/**
 * The statistics law's three sign-offs (《统计法》第七条 / 统计报表 签署: 填报人, 审核人,
 * 单位负责人), recorded on each submission when it is submitted.
 */
export interface SignOffs {
  /** 填报人 */
  readonly preparer: string;
  /** 审核人 (the school's own reviewer, not the district) */
  readonly reviewer: string;
  /** 单位负责人 */
  readonly head: string;
}

export interface SubmissionSummary {
  readonly org_code: string;
  readonly district_code: string;
  readonly form_code: string;
  readonly state: SubmissionState;
  /** ISO instant of the (last) submit, null if never submitted. */
  readonly submitted_at: string | null;
}

export interface ProgressCell {
  readonly district_code: string;
  readonly form_code: string;
  /** Schools that must report this form (in scope, of a type the form covers). */
  readonly expected: number;
  /** Submitted, approved or locked (a returned one is not complete). */
  readonly submitted: number;
  readonly approved: number;
  readonly locked: number;
  /** Of the submitted, how many were submitted on or before the deadline. */
  readonly on_time: number;
  /** submitted / expected (completeness, 完整性), null when nothing is expected. */
  readonly completeness: number | null;
  /** on_time / expected (timeliness, 及时性, DHIS2's definition), null when nothing is expected or no deadline is set. */
  readonly timeliness: number | null;
  readonly deadline: string | null;
}

/**
 * Completeness and timeliness per district and form (DHIS2 reporting-rate): expected
 * counts come from the caller; a submission counts as on time when its submit instant
 * is at or before the form's deadline for the year.
 */
export function progressTable(
  expected: ReadonlyArray<{ district_code: string; form_code: string; count: number }>,
  submissions: readonly SubmissionSummary[],
  deadlines: Readonly<Record<string, string | undefined>>,
): ProgressCell[] {
  const key = (d: string, f: string): string => `${d}|${f}`;
  const cells = new Map<string, { district_code: string; form_code: string; expected: number; submitted: number; approved: number; locked: number; on_time: number }>();
  for (const e of expected) cells.set(key(e.district_code, e.form_code), { district_code: e.district_code, form_code: e.form_code, expected: e.count, submitted: 0, approved: 0, locked: 0, on_time: 0 });
  for (const s of submissions) {
    const k = key(s.district_code, s.form_code);
    let c = cells.get(k);
    if (!c) {
      c = { district_code: s.district_code, form_code: s.form_code, expected: 0, submitted: 0, approved: 0, locked: 0, on_time: 0 };
      cells.set(k, c);
    }
    if (s.state === 'submitted' || s.state === 'approved' || s.state === 'locked') {
      c.submitted++;
      const due = deadlines[s.form_code];
      if (s.submitted_at !== null && (due === undefined || Date.parse(s.submitted_at) <= Date.parse(due))) c.on_time++;
    }
    if (s.state === 'approved' || s.state === 'locked') c.approved++;
    if (s.state === 'locked') c.locked++;
  }
  return [...cells.values()]
    .sort((a, b) => a.district_code.localeCompare(b.district_code) || a.form_code.localeCompare(b.form_code))
    .map((c) => ({
      ...c,
      completeness: c.expected > 0 ? c.submitted / c.expected : null,
      // Without a deadline there is no timeliness to measure.
      timeliness: c.expected > 0 && deadlines[c.form_code] !== undefined ? c.on_time / c.expected : null,
      deadline: deadlines[c.form_code] ?? null,
    }));
}
