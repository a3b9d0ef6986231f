/**
 * Learning activity events (学习活动记录) from the learning centres, 老年学校 and the open
 * university: one row per course session attended, visit or online learning session. KPI 8
 * (服务市民终身学习人次) counts them after de-duplication; 老年教育活动参与率 counts the
 * distinct elderly learners among them (三、(七), 专栏12).
 *
 * De-duplication: the same learner at the same centre in the same activity on the same day is
 * one 人次 however many rows the centre's systems sent (a session logged by the sign-in sheet
 * and by the online platform); a row without a learner (an anonymous visit) is one 人次 per
 * event id of its centre. Re-sending a file therefore adds nothing.
 */
import type { Problem } from '../errors.ts';
import { checkIdNumber } from '../standards/id-number.ts';

export const channels = ['course', 'visit', 'online'] as const;
export type Channel = (typeof channels)[number];
/** What centres write: the English code or its Chinese name. */
const channelNames: Readonly<Record<string, Channel>> = { course: 'course', visit: 'visit', online: 'online', 课程: 'course', 参观: 'visit', 在线: 'online', 线上: 'online' };

/** The columns of a learning-events file, in order (docs/learning-city.md). */
export const EVENT_COLUMNS = ['event_id', 'centre_code', 'date', 'channel', 'activity', 'learner_id_number'] as const;

/** Age from which a participant counts for 老年教育 (the 60+ resident population of the rate's denominator). */
export const ELDERLY_AGE = 60;

export interface LearningEventRow {
  readonly event_id: string;
  readonly centre_code: string;
  /** YYYY-MM-DD */
  readonly date: string;
  readonly year: number;
  readonly channel: Channel;
  readonly activity: string;
  /** The learner's ID number when the centre knows it (checked; the caller pseudonymises it and drops it). */
  readonly learner_id_number: string | null;
  /** 60 or older on the day (from the birth date in the ID number); false without a learner. */
  readonly elderly: boolean;
}

const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Full years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  return day.slice(5) >= birth.slice(5) ? years : years - 1;
}

/** Check one record (cells in EVENT_COLUMNS order); problems name the file, line and column. */
export function readEventRow(cells: readonly string[], file: string, row: number): { event: LearningEventRow | null; problems: Problem[] } {
  const problems: Problem[] = [];
  const cell = (i: number): string => (cells[i] ?? '').trim();
  const bad = (column: string, rule: string, zh: string, en: string, value?: string) => problems.push({ file, row, column, rule, message_zh: zh, message_en: en, ...(value !== undefined ? { value } : {}) });
  const [eventId, centre, date, channelRaw, activity, idRaw] = [cell(0), cell(1), cell(2), cell(3), cell(4), cell(5)];
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(eventId)) bad('event_id', 'format', '记录编号应为1—64位字母、数字或 . _ : -', 'event_id: 1–64 letters, digits or . _ : -', eventId);
  if (!/^\d{6,12}$/.test(centre)) bad('centre_code', 'format', '学习点代码应为6—12位数字（机构代码）', 'centre_code: 6–12 digits (an org-unit code)', centre);
  if (!isDate(date)) bad('date', 'date', '日期应为 YYYY-MM-DD 的有效日期', 'date: a real date as YYYY-MM-DD', date);
  const channel = channelNames[channelRaw];
  if (!channel) bad('channel', 'choice', '方式应为 course/visit/online（课程、参观、在线）', 'channel: course, visit or online (课程、参观、在线)', channelRaw);
  if (activity === '' || activity.length > 200) bad('activity', 'required', '活动名称必填（不超过200字）', 'activity: required, at most 200 characters');
  let elderly = false;
  if (idRaw !== '') {
    const c = checkIdNumber(idRaw);
    // The value is never echoed: it is personal data.
    if (!c.ok) bad('learner_id_number', c.rule, c.message_zh, c.message_en);
    else if (isDate(date)) elderly = ageOn(c.birthDate, date) >= ELDERLY_AGE;
  }
  if (problems.length > 0 || !channel) return { event: null, problems };
  return { event: { event_id: eventId, centre_code: centre, date, year: Number(date.slice(0, 4)), channel, activity, learner_id_number: idRaw === '' ? null : idRaw.toUpperCase(), elderly }, problems };
}

/** The de-duplication key of an event (see the module comment); `pseudonym` is the learner's, or null. */
export function eventKey(e: Pick<LearningEventRow, 'event_id' | 'centre_code' | 'date' | 'activity'>, pseudonym: string | null): string {
  return pseudonym === null ? `E|${e.centre_code}|${e.event_id}` : `L|${pseudonym}|${e.centre_code}|${e.activity}|${e.date}`;
}
