/**
 * Which unknowns a set of linear equations pins down (线性方程组可解出的未知数): the
 * attacker who does not stop at "one unknown left in an equation" but subtracts whole
 * equations from each other. Two hidden kindergartens that appear, as a pair, both in their
 * district's total and in its age-6 figure are worked out together from the difference —
 * and then whatever that pair hid.
 *
 * Exact: Gauss–Jordan elimination over the integers, each row kept primitive (divided by
 * the gcd of its entries). The equations are sums over schools, so the entries stay tiny;
 * if one ever grew past 2^40 the elimination is redone with BigInt. Each row carries the
 * combination of equations it came from (keys −1, −2, … for equation 0, 1, …), so that a
 * pinned unknown comes with the equations that pin it.
 */

/** An equation as its unknowns' coefficients (the known part does not matter for what is pinned down). */
export type SparseRow = ReadonlyMap<number, number>;

const LIMIT = 2 ** 40;

function gcdN(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

function gcdB(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

class Overflow extends Error {}

/** Reduced row echelon form over the integers (each row primitive); throws Overflow past LIMIT. */
function rrefNumber(rows: readonly SparseRow[]): Array<Map<number, number>> {
  const basis: Array<{ pivot: number; row: Map<number, number> }> = [];
  for (const [i, input] of rows.entries()) {
    let row = new Map(input);
    row.set(-(i + 1), 1);
    for (const b of basis) {
      const x = row.get(b.pivot);
      if (x === undefined) continue;
      row = combine(row, b.row, b.pivot);
    }
    let pivot = -1;
    for (const [c, v] of row) if (c >= 0 && (pivot === -1 || Math.abs(v) < Math.abs(row.get(pivot) ?? 0) || (Math.abs(v) === Math.abs(row.get(pivot) ?? 0) && c < pivot))) pivot = c;
    if (pivot === -1) continue;
    for (const b of basis) if (b.row.has(pivot)) b.row = combine(b.row, row, pivot);
    basis.push({ pivot, row });
  }
  return basis.map((b) => b.row);
}

/** `target` with column `col` eliminated using `by` (both integer rows), made primitive. */
function combine(target: Map<number, number>, by: Map<number, number>, col: number): Map<number, number> {
  const a = by.get(col) as number;
  const t = target.get(col) as number;
  const g = gcdN(a, t);
  const ka = a / g;
  const kt = t / g;
  const out = new Map<number, number>();
  for (const [c, v] of target) out.set(c, v * ka);
  for (const [c, v] of by) {
    const x = (out.get(c) ?? 0) - v * kt;
    if (x === 0) out.delete(c); else out.set(c, x);
  }
  let g2 = 0;
  for (const v of out.values()) {
    if (Math.abs(v) > LIMIT) throw new Overflow();
    g2 = gcdN(g2, v);
  }
  if (g2 > 1) for (const [c, v] of out) out.set(c, v / g2);
  return out;
}

function rrefBig(rows: readonly SparseRow[]): Array<Map<number, bigint>> {
  const basis: Array<{ pivot: number; row: Map<number, bigint> }> = [];
  const comb = (target: Map<number, bigint>, by: Map<number, bigint>, col: number): Map<number, bigint> => {
    const a = by.get(col) as bigint;
    const t = target.get(col) as bigint;
    const out = new Map<number, bigint>();
    for (const [c, v] of target) out.set(c, v * a);
    for (const [c, v] of by) {
      const x = (out.get(c) ?? 0n) - v * t;
      if (x === 0n) out.delete(c); else out.set(c, x);
    }
    let g = 0n;
    for (const v of out.values()) g = gcdB(g, v);
    if (g > 1n) for (const [c, v] of out) out.set(c, v / g);
    return out;
  };
  for (const [i, input] of rows.entries()) {
    let row = new Map([...input].map(([c, v]): [number, bigint] => [c, BigInt(v)]));
    row.set(-(i + 1), 1n);
    for (const b of basis) if (row.has(b.pivot)) row = comb(row, b.row, b.pivot);
    const cols = [...row.keys()].filter((c) => c >= 0);
    if (cols.length === 0) continue;
    const pivot = Math.min(...cols);
    for (const b of basis) if (b.row.has(pivot)) b.row = comb(b.row, row, pivot);
    basis.push({ pivot, row });
  }
  return basis.map((b) => b.row);
}

/**
 * The unknowns whose value the equations determine — those with a row of their own in the
 * reduced echelon form (a combination of the equations that leaves that unknown alone) —
 * each with that combination: equation index (into `rows`) → its multiplier (only the
 * signs and zeros matter to the caller; a multiplier too large for a number is rounded).
 */
export function determined(rows: readonly SparseRow[]): Map<number, Map<number, number>> {
  const out = new Map<number, Map<number, number>>();
  let reduced: ReadonlyArray<ReadonlyMap<number, number | bigint>>;
  try {
    reduced = rrefNumber(rows);
  } catch (e) {
    if (!(e instanceof Overflow)) throw e;
    reduced = rrefBig(rows);
  }
  for (const r of reduced) {
    const cols = [...r.keys()].filter((c) => c >= 0);
    if (cols.length !== 1) continue;
    const u = cols[0] as number;
    const sign = Number(r.get(u)) < 0 ? -1 : 1;
    out.set(u, new Map([...r].filter(([c]) => c < 0).map(([c, v]) => [-c - 1, sign * Number(v)])));
  }
  return out;
}
