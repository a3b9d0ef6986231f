import { describe, expect, it } from 'vitest';
import { evaluate, ExprSyntaxError, parseExpr, referencedCodes, type Env } from './expr.ts';

function env(values: Record<string, number | null>): Env {
  return { get: (c) => (Object.hasOwn(values, c) ? values[c] : null), codes: () => Object.keys(values) };
}
const ev = (src: string, values: Record<string, number | null> = {}) => evaluate(parseExpr(src), env(values));

describe('rule expression language', () => {
  it('follows arithmetic precedence and parentheses', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('-2 * 3 + 10 / 4')).toBe(-3.5);
    expect(ev('2 * 3 <= 6 and not 1 > 2')).toBe(true);
  });

  it('reads element codes: girls ≤ total for a grade', () => {
    const rule = 'enrol.g7.f <= total.g7';
    expect(ev(rule, { 'enrol.g7.f': 40, 'total.g7': 85 })).toBe(true);
    expect(ev(rule, { 'enrol.g7.f': 90, 'total.g7': 85 })).toBe(false);
  });

  it('treats * next to a dot as a wildcard and elsewhere as multiplication', () => {
    const v = { 'enrol.g1.m': 10, 'enrol.g1.f': 12, 'enrol.g9.f': 5, 'enrol.g10.m': 100, a: 3, b: 4 };
    expect(ev('sum(enrol.*)', v)).toBe(127);
    expect(ev('sum(enrol.*.f)', v)).toBe(17);
    // `?` is one character: g1..g9 (compulsory grades), not g10.
    expect(ev('sum(enrol.g?.*)', v)).toBe(27);
    expect(ev('a*b', v)).toBe(12);
    expect(ev('a * b', v)).toBe(12);
    expect(ev('max(enrol.*.f, a)', v)).toBe(12);
    expect(ev('min(enrol.*)', v)).toBe(5);
  });

  it('skips a rule when a value it needs is blank (DHIS2 skip-if-any-missing) but short-circuits or/and', () => {
    expect(ev('x <= y', { x: 1 })).toBeNull();
    expect(ev('x == 0 or y > 1', { x: 0 })).toBe(true);
    expect(ev('x > 0 and y > 1', { x: 0 })).toBe(false);
    expect(ev('sum(none.*)', { x: 1 })).toBeNull();
    expect(ev('sum(x, y)', { x: 1 })).toBeNull();
    expect(ev('isnull(y)', { x: 1 })).toBe(true);
    expect(ev('if(x > 0, 10, y)', { x: 1 })).toBe(10);
  });

  it('makes a ratio with a zero denominator missing, not infinite', () => {
    expect(ev('a / b >= 3', { a: 10, b: 0 })).toBeNull();
    expect(ev('abs(a - 20)', { a: 10, b: 0 })).toBe(10);
  });

  it('compares with a small tolerance (areas with decimals)', () => {
    expect(ev('0.1 + 0.2 <= 0.3')).toBe(true);
    expect(ev('0.1 + 0.2 == 0.3')).toBe(true);
  });

  it('lists the codes and patterns a rule reads', () => {
    expect(referencedCodes(parseExpr('sum(enrol.g?.*) <= 55 * (classes.cmp.lt46 + classes.cmp.46_55)'))).toEqual({ codes: ['classes.cmp.lt46', 'classes.cmp.46_55'], patterns: ['enrol.g?.*'] });
  });

  it.each([
    ['1 +', /unexpected end/],
    ['a $ b', /unexpected character "\$"/],
    ['process.exit(1)', /unknown function "process.exit"/],
    ['enrol.* + 1', /only allowed inside sum/],
    ['abs(1, 2)', /abs\(\) takes 1 argument/],
    ['(a + b', /expected "\)"/],
    ['a b', /unexpected "b"/],
  ])('rejects %s with the position', (src, msg) => {
    expect(() => parseExpr(src)).toThrow(ExprSyntaxError);
    expect(() => parseExpr(src)).toThrow(msg);
  });

  it('has no member access or calls beyond its six functions (nothing to eval)', () => {
    expect(() => parseExpr('x["constructor"]')).toThrow(ExprSyntaxError);
    expect(() => parseExpr('eval(1)')).toThrow(/unknown function "eval"/);
  });
});
