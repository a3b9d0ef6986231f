/**
 * Password rules (口令复杂度). MLPS L3-CES1-01 asks for complexity; OWASP ASVS 6.2 asks for
 * length and a denylist rather than rotation. We take both where they agree: at least 10
 * characters, at least 3 of the 4 character classes, at most 128 (compared whole, never
 * truncated), not a well-known password, and not containing the user name or 天津/tianjin.
 */
import type { Problem } from '../errors.ts';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** A short denylist of passwords seen first in credential-stuffing lists (lower-cased). */
const common = new Set([
  'password', 'password1', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword1', 'qwerty123', 'qwertyuiop', '1qaz2wsx',
  '1qaz@wsx', 'admin123', 'admin@123', 'administrator', 'abc123456', 'a123456789', 'iloveyou', 'welcome1', 'changeme',
  '123456789a', 'abcd1234', 'aa123456', 'zxcvbnm123', 'test1234', 'root123', 'letmein123',
]);

export function passwordProblems(password: string, context: { username: string }): Problem[] {
  const out: Problem[] = [];
  const add = (rule: string, zh: string, en: string): void => {
    out.push({ path: 'password', rule, message_zh: zh, message_en: en });
  };
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) add('password_length', `口令至少 ${PASSWORD_MIN} 个字符`, `The password needs at least ${PASSWORD_MIN} characters`);
  if (chars.length > PASSWORD_MAX) add('password_length', `口令最多 ${PASSWORD_MAX} 个字符`, `The password may have at most ${PASSWORD_MAX} characters`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) add('password_classes', '口令须包含大写字母、小写字母、数字、符号中的至少三类', 'The password needs at least 3 of: upper case, lower case, digits, symbols');
  const lower = password.toLowerCase();
  if (common.has(lower)) add('password_common', '口令过于常见', 'The password is too common');
  const u = context.username.toLowerCase();
  if ((u.length >= 3 && lower.includes(u)) || lower.includes('tianjin') || password.includes('天津')) {
    add('password_context', '口令不能包含用户名或“天津”', 'The password must not contain the user name or "tianjin"');
  }
  return out;
}

/**
 * A password past its maximum age must be changed before anything else (L3-CES1-01: 口令
 * 定期更换; EDUPLAN_PASSWORD_MAX_AGE_DAYS). `maxAgeMs` 0 means no maximum.
 */
export function passwordExpired(changedAt: Date, now: Date, maxAgeMs: number): boolean {
  return maxAgeMs > 0 && now.getTime() - changedAt.getTime() > maxAgeMs;
}

/** The new password is the one being replaced (a forced change that keeps the temporary password). */
export function reusedPasswordProblem(): Problem {
  return { path: 'next', rule: 'password_reused', message_zh: '新口令不能与当前口令（含临时口令）相同', message_en: 'The new password must differ from the current one (the temporary password included)' };
}
