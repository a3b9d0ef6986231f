import { describe, expect, it } from 'vitest';
import { COMMENT_MAX, COMMENTS_TOTAL_MAX, draftProblems } from './draft-limits.ts';
import { formByCode, formFields } from './index.ts';
import type { FormDef } from './types.ts';

const form = formByCode('annual.primary') as FormDef;
const codes = formFields(form).map((f) => f.code);

describe('draft limits', () => {
  it('accepts the form\'s own cells, with explanations within bounds', () => {
    const values = Object.fromEntries(codes.map((c) => [c, 1]));
    expect(draftProblems(form, values, { [codes[0] as string]: '合并了邻校' })).toEqual([]);
  });

  it('names keys that are not cells of the form, and lists at most twenty of 20,000', () => {
    const p = draftProblems(form, { [codes[0] as string]: 1, 'junk.key': 3 }, { 'rule:whatever': 'x' });
    expect(p.map((x) => [x.path, x.rule])).toEqual([['values.junk.key', 'unknown_element'], ['comments.rule:whatever', 'unknown_element']]);
    const many = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`junk${i}`, i]));
    const q = draftProblems(form, many, {});
    expect(q).toHaveLength(21);
    expect(q[20]?.message_en).toContain('19980 more');
  });

  it('bounds one explanation and all of them together', () => {
    expect(draftProblems(form, {}, { [codes[0] as string]: 'x'.repeat(COMMENT_MAX + 1) }).map((x) => x.rule)).toEqual(['comment_length']);
    const n = Math.ceil((COMMENTS_TOTAL_MAX + 1) / COMMENT_MAX);
    expect(codes.length).toBeGreaterThanOrEqual(n);
    const comments = Object.fromEntries(codes.slice(0, n).map((c) => [c, 'y'.repeat(COMMENT_MAX)]));
    expect(draftProblems(form, {}, comments).map((x) => x.rule)).toEqual(['comments_total']);
  });
});
