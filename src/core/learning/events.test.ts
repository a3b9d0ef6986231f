import { describe, expect, it } from 'vitest';
import { idCheckChar } from '../standards/id-number.ts';
import { ageOn, eventKey, readEventRow } from './events.ts';

const id = (first17: string) => `${first17}${idCheckChar(first17)}`;

describe('learning event rows', () => {
  it('reads a row, marking a learner 60 or older on the day as elderly', () => {
    const { event, problems } = readEventRow(['E1', '120101001', '2024-03-02', '课程', '书法', id('12010119640302001')], 'f.csv', 2);
    expect(problems).toEqual([]);
    expect(event).toMatchObject({ channel: 'course', year: 2024, elderly: true });
    expect(readEventRow(['E1', '120101001', '2024-03-01', 'course', '书法', id('12010119640302001')], 'f.csv', 2).event?.elderly).toBe(false);
    expect(ageOn('1964-03-02', '2024-03-01')).toBe(59);
  });

  it('locates every problem and never echoes the ID number', () => {
    const bad = id('12010119640302001').slice(0, 17) + 'Y';
    const { event, problems } = readEventRow(['', 'abc', '2024-02-30', 'walk', '', bad], 'f.csv', 7);
    expect(event).toBeNull();
    expect(problems.map((p) => [p.row, p.column])).toEqual([[7, 'event_id'], [7, 'centre_code'], [7, 'date'], [7, 'channel'], [7, 'activity'], [7, 'learner_id_number']]);
    expect(JSON.stringify(problems)).not.toContain(bad);
  });

  it('keys a learner per centre, activity and day, and an anonymous row per centre event id', () => {
    const e = { event_id: 'A', centre_code: 'C', date: '2024-01-01', activity: 'X' };
    expect(eventKey(e, 'p')).toBe(eventKey({ ...e, event_id: 'B' }, 'p'));
    expect(eventKey(e, 'p')).not.toBe(eventKey({ ...e, date: '2024-01-02' }, 'p'));
    expect(eventKey(e, null)).not.toBe(eventKey({ ...e, event_id: 'B' }, null));
  });
});
