/**
 * Exact decimal arithmetic for threshold tests (达标判定).
 *
 * Why: "达到4.2人以上" means a school at exactly 4.2 meets it, but 21 teachers for
 * 500 students computed in floating point is 4.2000000000000002 or 4.199999999999999
 * depending on the order of operations. We never compare computed floats against a
 * threshold. Every input number is turned into the exact decimal fraction it was
 * written as (its shortest round-trip decimal string: 4.2 → 42/10), and the test
 * `resource × per ÷ enrolment ≥ threshold` is decided by cross-multiplying BigInts.
 * Floats are used only for display values and for the CV (a statistic, not a tie test).
 */

/** A non-normalised fraction n/d with d > 0. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

/** The exact decimal a finite JS number denotes when printed (shortest round-trip form). */
export function rat(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const s = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new RangeError(`cannot read number ${s}`);
  const sign = m[1] === '-' ? -1n : 1n;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - frac.length;
  const digits = BigInt(`${m[2]}${frac}`) * sign;
  return exp >= 0 ? { n: digits * 10n ** BigInt(exp), d: 1n } : { n: digits, d: 10n ** BigInt(-exp) };
}

export const ratio = (n: bigint, d: bigint): Rational => (d < 0n ? { n: -n, d: -d } : { n, d });
export const mul = (a: Rational, b: Rational): Rational => ({ n: a.n * b.n, d: a.d * b.d });
export const div = (a: Rational, b: Rational): Rational => {
  if (b.n === 0n) throw new RangeError('division by zero');
  return ratio(a.n * b.d, a.d * b.n);
};
export const add = (a: Rational, b: Rational): Rational => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
export const sub = (a: Rational, b: Rational): Rational => ({ n: a.n * b.d - b.n * a.d, d: a.d * b.d });

/** Sign of a − b: −1, 0 or 1, exactly. */
export function cmp(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function toNumber(a: Rational): number {
  // Divide in BigInt first to keep precision for large numerators, then in float.
  const q = a.n / a.d;
  const r = a.n - q * a.d;
  return Number(q) + Number(r) / Number(a.d);
}

/** Comparators used by the criteria file; `>=` is the official "以上 / 不低于". */
export type Comparator = '>=' | '>' | '<=' | '<' | '=';

export function satisfies(value: Rational, comparator: Comparator, threshold: Rational): boolean {
  const c = cmp(value, threshold);
  switch (comparator) {
    case '>=': return c >= 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '<': return c < 0;
    case '=': return c === 0;
  }
}

/** Smallest integer ≥ a (for whole teachers / rooms to add). */
export function ceil(a: Rational): bigint {
  const q = a.n / a.d;
  return a.n % a.d === 0n || a.n < 0n ? q : q + 1n;
}
