/**
 * Reporting on tasks and 专栏 (任务进展报告): periods, deadlines, who is late. The plan asks
 * every department to 「明确分工，落实责任……确定时间表、路线图」 (四、(一)) and the city to
 * 「对本规划实施情况开展跟踪监测」 (四、(四)): owners report on each item every period
 * (semi-annually by default), the planning office reviews, and the city sees reporting rates
 * as DHIS2 shows them (reports received and on time ÷ reports expected).
 *
 * Pure: "today" is an argument. Dates are calendar dates in China Standard Time (UTC+8, no
 * daylight saving), written YYYY-MM-DD.
 */

export const frequencies = ['semiannual', 'quarterly', 'annual'] as const;
export type Frequency = (typeof frequencies)[number];

/** A report is due this many days after its period ends (半年报：7月15日、次年1月15日). */
export const REPORT_GRACE_DAYS = 15;

export const reportStatuses = ['on_track', 'at_risk', 'delayed', 'done'] as const;
/** What the owner says of the item: 进展顺利 / 存在风险 / 滞后 / 已完成. */
export type ReportStatus = (typeof reportStatuses)[number];

export const reportStatusNames: Readonly<Record<ReportStatus, { zh: string; en: string }>> = {
  on_track: { zh: '进展顺利', en: 'on track' },
  at_risk: { zh: '存在风险', en: 'at risk' },
  delayed: { zh: '滞后', en: 'delayed' },
  done: { zh: '已完成', en: 'done' },
};

/** Statuses that need a reason (why at risk or late). */
export const statusNeedsReason = (s: ReportStatus): boolean => s === 'at_risk' || s === 'delayed';

export const reportStates = ['draft', 'submitted', 'accepted', 'returned'] as const;
export type ReportState = (typeof reportStates)[number];

export interface Period {
  /** `2023H1`, `2023Q3`, `2023`. */
  readonly code: string;
  readonly year: number;
  readonly start: string;
  readonly end: string;
  /** Last day a report counts as on time. */
  readonly due: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const lastDay = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function period(code: string, year: number, m0: number, m1: number): Period {
  const end = `${year}-${pad(m1)}-${pad(lastDay(year, m1))}`;
  return { code, year, start: `${year}-${pad(m0)}-01`, end, due: addDays(end, REPORT_GRACE_DAYS) };
}

/** A period from its code, or null when the code is not one. */
export function parsePeriod(code: string): Period | null {
  const m = /^(\d{4})(?:(H)([12])|(Q)([1-4]))?$/.exec(code);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null;
  if (m[2]) return m[3] === '1' ? period(code, year, 1, 6) : period(code, year, 7, 12);
  if (m[4]) { const q = Number(m[5]); return period(code, year, q * 3 - 2, q * 3); }
  return period(code, year, 1, 12);
}

/** Every period of a frequency from the first year to the last, in order. */
export function periodsOf(frequency: Frequency, fromYear: number, toYear: number): Period[] {
  const out: Period[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    const codes = frequency === 'semiannual' ? [`${y}H1`, `${y}H2`] : frequency === 'quarterly' ? [`${y}Q1`, `${y}Q2`, `${y}Q3`, `${y}Q4`] : [`${y}`];
    for (const c of codes) out.push(parsePeriod(c) as Period);
  }
  return out;
}

/** Today's date in China Standard Time (UTC+8). */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export interface ReportFact {
  readonly period: string;
  readonly state: ReportState;
  /** When it was (last) submitted: an ISO instant, or null while a draft. */
  readonly submitted_at: string | null;
}

export type PeriodState = 'not_due' | 'missing' | 'late' | 'on_time' | 'returned';

export interface PeriodStanding {
  readonly period: Period;
  readonly state: PeriodState;
  readonly days_late: number | null;
}

const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/**
 * Where each period stands for one owner of one item. A report submitted (or accepted) on or
 * before the due date is on time; after it, late; none by the due date, missing (counted as
 * late from the day after); a returned report is owed again. Periods not yet due are `not_due`.
 */
export function standings(periods: readonly Period[], reports: readonly ReportFact[], today: string): PeriodStanding[] {
  const byPeriod = new Map(reports.map((r) => [r.period, r]));
  return periods.map((p): PeriodStanding => {
    const r = byPeriod.get(p.code);
    const submittedOn = r?.submitted_at ? chinaDate(new Date(r.submitted_at)) : null;
    if (r && (r.state === 'submitted' || r.state === 'accepted') && submittedOn !== null) {
      return submittedOn <= p.due ? { period: p, state: 'on_time', days_late: null } : { period: p, state: 'late', days_late: daysBetween(p.due, submittedOn) };
    }
    if (today <= p.due) return { period: p, state: 'not_due', days_late: null };
    return { period: p, state: r?.state === 'returned' ? 'returned' : 'missing', days_late: daysBetween(p.due, today) };
  });
}

export interface ReportingRate {
  /** Reports due by today. */
  readonly expected: number;
  /** Submitted or accepted (on time or late). */
  readonly received: number;
  readonly on_time: number;
  /** Due and not received (missing or returned). */
  readonly overdue: number;
  /** received ÷ expected, null when nothing is due yet. */
  readonly rate: number | null;
  readonly on_time_rate: number | null;
}

export function reportingRate(items: readonly PeriodStanding[]): ReportingRate {
  const due = items.filter((s) => s.state !== 'not_due');
  const received = due.filter((s) => s.state === 'on_time' || s.state === 'late').length;
  const onTime = due.filter((s) => s.state === 'on_time').length;
  return {
    expected: due.length, received, on_time: onTime, overdue: due.length - received,
    rate: due.length === 0 ? null : received / due.length, on_time_rate: due.length === 0 ? null : onTime / due.length,
  };
}

/** A milestone is overdue once its due date has passed without being done. */
export function milestoneOverdue(m: { readonly due: string; readonly done_on: string | null }, today: string): boolean {
  return m.done_on === null && m.due < today;
}
