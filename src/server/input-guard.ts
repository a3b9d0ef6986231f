/**
 * Text the database cannot store is refused at the edge with the catalogue's 400, not left to
 * fail as a 500 deep inside a query (reliability-security.md INPUT-*): PostgreSQL's text
 * types refuse NUL (U+0000), and a lone UTF-16 surrogate (`"\ud800"` in JSON) has no UTF-8
 * form. Both are checked in JSON bodies (keys and strings, at any depth), the query string
 * and path parameters, each problem naming where it is (`body.username`).
 *
 * A session cookie that does not percent-decode (`eduplan_session=%E0%A4%A`) is a 400 too;
 * without this check the cookie reader's URIError answered 500.
 */
import { EduplanError, type Problem } from '../core/errors.ts';

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function problemAt(path: string, text: string): Problem {
  const nul = text.includes('\u0000');
  return {
    path, rule: nul ? 'nul_character' : 'lone_surrogate',
    message_zh: nul ? '文本含有空字符（U+0000），无法保存' : '文本含有不成对的代理项（无效的 Unicode 字符），无法保存',
    message_en: nul ? 'The text contains a NUL character (U+0000), which cannot be stored' : 'The text contains a lone surrogate (invalid Unicode), which cannot be stored',
    fix_zh: '删除该字符后重新提交；从其他软件复制的文本请先粘贴为纯文本',
    fix_en: 'Remove the character and send again; paste text copied from other software as plain text',
  };
}

/** Every string (and object key) in `value` that cannot be stored, with its path; at most `max`. */
export function unstorableText(value: unknown, where: string, max = 20): Problem[] {
  const out: Problem[] = [];
  const walk = (v: unknown, path: string): void => {
    if (out.length >= max) return;
    if (typeof v === 'string') {
      if (BAD_TEXT.test(v)) out.push(problemAt(path, v));
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length && out.length < max; i++) walk(v[i], `${path}.${i}`);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (BAD_TEXT.test(k)) out.push(problemAt(`${path}.${k.replace(BAD_TEXT, '?')}`, k));
        walk(x, `${path}.${k}`);
      }
    }
  };
  walk(value, where);
  return out;
}

/** Throw E_INPUT_INVALID listing every unstorable string in `value`. */
export function refuseUnstorableText(value: unknown, where: string): void {
  const problems = unstorableText(value, where);
  if (problems.length > 0) throw new EduplanError('E_INPUT_INVALID', { problems, detail: 'text that cannot be stored / 无法保存的文本' });
}

/** The raw cookie header's value for `name`, checked to percent-decode; E_INPUT_INVALID otherwise. */
export function checkCookie(header: string | undefined, name: string): void {
  if (!header) return;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0 || part.slice(0, i).trim() !== name) continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      throw new EduplanError('E_INPUT_INVALID', { detail: `Cookie header: ${name} is not a valid cookie value / Cookie 标头中的 ${name} 无效，请清除本站 Cookie 后重新登录` });
    }
    refuseUnstorableText(value, `cookie.${name}`);
  }
}
