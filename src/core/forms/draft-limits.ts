/**
 * What a draft may hold (issue 17: a school stored 20,000 junk value keys or 200,000 comment
 * keys, each copied into the append-only audit log). A draft holds values and comments for
 * the form's own cells only, and comments are bounded in size: one explanation at most
 * `COMMENT_MAX` characters (the form's comment box), all of them together at most
 * `COMMENTS_TOTAL_MAX`. Whatever else a request carries is refused with the keys named, not
 * silently dropped: a client sending them is out of step with the form.
 */
import type { Problem } from '../errors.ts';
import { formFields } from './index.ts';
import type { FormDef } from './types.ts';

export const COMMENT_MAX = 2000;
export const COMMENTS_TOTAL_MAX = 50_000;
/** Problems listed at most: an answer about 20,000 junk keys need not repeat them all. */
const PROBLEMS_LISTED = 20;

export function draftProblems(form: FormDef, values: Readonly<Record<string, unknown>>, comments: Readonly<Record<string, string>>): Problem[] {
  const codes = new Set(formFields(form).map((f) => f.code));
  const out: Problem[] = [];
  const unknown = (where: 'values' | 'comments', keys: string[]): void => {
    const bad = keys.filter((k) => !codes.has(k));
    for (const k of bad.slice(0, PROBLEMS_LISTED)) {
      out.push({ path: `${where}.${k.slice(0, 200)}`, rule: 'unknown_element', message_zh: `报表 ${form.code} 没有单元格 ${k.slice(0, 200)}`, message_en: `form ${form.code} has no cell ${k.slice(0, 200)}` });
    }
    if (bad.length > PROBLEMS_LISTED) {
      out.push({ path: where, rule: 'unknown_element', message_zh: `另有 ${bad.length - PROBLEMS_LISTED} 个不属于该报表的键`, message_en: `and ${bad.length - PROBLEMS_LISTED} more keys that are not cells of this form` });
    }
  };
  unknown('values', Object.keys(values));
  unknown('comments', Object.keys(comments));
  let total = 0;
  for (const [k, text] of Object.entries(comments)) {
    const n = [...text].length;
    total += n;
    if (n > COMMENT_MAX) out.push({ path: `comments.${k.slice(0, 200)}`, rule: 'comment_length', message_zh: `说明最多 ${COMMENT_MAX} 个字符`, message_en: `an explanation has at most ${COMMENT_MAX} characters` });
  }
  if (total > COMMENTS_TOTAL_MAX) out.push({ path: 'comments', rule: 'comments_total', message_zh: `全部说明合计最多 ${COMMENTS_TOTAL_MAX} 个字符`, message_en: `all explanations together have at most ${COMMENTS_TOTAL_MAX} characters` });
  return out;
}
