import { describe, expect, it } from 'vitest';
import { nextState, needsReason, progressTable, submissionStates, type Transition } from './submission.ts';

describe('submission states', () => {
  it('allows exactly the transitions of the workflow', () => {
    const table: Record<string, Record<Transition, string | null>> = {};
    for (const s of submissionStates) {
      table[s] = Object.fromEntries((['edit', 'submit', 'approve', 'return', 'lock', 'reopen'] as const).map((t) => [t, nextState(s, t)])) as Record<Transition, string | null>;
    }
    expect(table).toEqual({
      draft: { edit: 'draft', submit: 'submitted', approve: null, return: null, lock: null, reopen: null },
      submitted: { edit: null, submit: null, approve: 'approved', return: 'returned', lock: null, reopen: null },
      returned: { edit: 'draft', submit: 'submitted', approve: null, return: null, lock: null, reopen: null },
      approved: { edit: null, submit: null, approve: null, return: 'returned', lock: 'locked', reopen: null },
      locked: { edit: null, submit: null, approve: null, return: null, lock: null, reopen: 'returned' },
    });
  });
  it('needs a reason to return or reopen', () => {
    expect(needsReason('return')).toBe(true);
    expect(needsReason('reopen')).toBe(true);
    expect(needsReason('approve')).toBe(false);
  });
});

describe('completeness and timeliness', () => {
  it('counts submitted/approved/locked against expected, and on-time against the deadline', () => {
    const cells = progressTable(
      [{ district_code: '120101', form_code: 'annual.primary', count: 4 }, { district_code: '120102', form_code: 'annual.primary', count: 2 }],
      [
        { org_code: 'a', district_code: '120101', form_code: 'annual.primary', state: 'locked', submitted_at: '2024-10-01T00:00:00Z' },
        { org_code: 'b', district_code: '120101', form_code: 'annual.primary', state: 'submitted', submitted_at: '2024-10-20T00:00:00Z' },
        { org_code: 'c', district_code: '120101', form_code: 'annual.primary', state: 'returned', submitted_at: '2024-10-02T00:00:00Z' },
        { org_code: 'd', district_code: '120101', form_code: 'annual.primary', state: 'draft', submitted_at: null },
      ],
      { 'annual.primary': '2024-10-15T09:00:00.000Z' },
    );
    expect(cells).toEqual([
      { district_code: '120101', form_code: 'annual.primary', expected: 4, submitted: 2, approved: 1, locked: 1, on_time: 1, completeness: 0.5, timeliness: 0.25, deadline: '2024-10-15T09:00:00.000Z' },
      { district_code: '120102', form_code: 'annual.primary', expected: 2, submitted: 0, approved: 0, locked: 0, on_time: 0, completeness: 0, timeliness: 0, deadline: '2024-10-15T09:00:00.000Z' },
    ]);
  });
  it('has no timeliness without a deadline', () => {
    const [c] = progressTable([{ district_code: '120101', form_code: 'f', count: 1 }], [], {});
    expect(c?.timeliness).toBeNull();
    expect(c?.completeness).toBe(0);
  });
});
