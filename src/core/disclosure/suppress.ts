/**
 * Complementary suppression (互补抑制) over the quantities a publication shows.
 *
 * A cell publishes quantities (a ratio: its numerator and its denominator), and the same
 * quantity may be published by several cells (kindergarten enrolment in three
 * indicators). The quantities are tied by equations the public knows (Σ whole = Σ parts:
 * a district is the sum of its schools, boys + girls = all). The attacker
 * (reliability-security.md §3 rule 3, PUB-03) starts from every published quantity. No
 * quantity of a withheld cell may ever be worked out.
 *
 * 1. Cells withheld for themselves (rules.ts: primary, attribute) hide their quantities,
 *    and so does every other cell showing one of them (a number hidden in one indicator
 *    is not published in another).
 * 2. Remainders — what unpublished schools add to a published total — are hidden by
 *    nature; a small one (the same rules) is protected like a withheld cell.
 * 3. Peeling: while some equation has one unknown member, the attacker works it out. When
 *    that member is protected, one more published member of the equation is withheld: a
 *    sibling (the one with the smallest count) if there is one, else the total —
 *    "suppress the parent" — which then needs protecting in its own equations. When the
 *    other members were themselves worked out (remainders), those become protected
 *    instead, so the next round cuts the chain that gave them.
 * 4. When peeling gains nothing more, the equations left with several unknowns are solved
 *    together (linear.ts): subtracting whole equations can isolate a quantity no single
 *    equation gives. A protected one so pinned down gets a cut in the combination that
 *    pins it, and peeling starts again.
 * Each round withholds or protects at least one more thing, so it ends.
 *
 * Protection is against exact recovery (what the issue asks); bounds (a withheld pair
 * adding up to 12 says each is at most 12) are not controlled.
 */
import { determined } from './linear.ts';
import type { SuppressionReason } from './rules.ts';

export { DEFAULT_THRESHOLD, type SuppressionReason } from './rules.ts';

/** Σ quantities in `whole` = Σ quantities in `parts` (ids into the model's quantities). */
export interface Equation {
  readonly whole: readonly number[];
  readonly parts: readonly number[];
}

export interface ModelCell {
  /** Quantities the cell shows when published (numerator and denominator when they are sums over schools). */
  readonly quantities: readonly number[];
  /** The cell's own rule (rules.ts `ownRule`), or null. */
  readonly own: 'primary' | 'attribute' | null;
  /** A remainder nobody publishes: its quantities are hidden from the start, and protected when `own` is set. */
  readonly virtual: boolean;
  /** Complements are chosen smallest rank first (the count the cell is based on), so the least is hidden. */
  readonly rank: number;
}

export interface DisclosureModel {
  readonly quantityCount: number;
  /** The value of each quantity (ties between complement candidates are broken by it, then by id). */
  readonly values: ArrayLike<number>;
  readonly equations: readonly Equation[];
  readonly cells: readonly ModelCell[];
}

/** For lists of ids in 0..n−1: id → the indices of the lists holding it, as one flat array (`of[start[id] … start[id + 1]]`), not n small ones. */
function invert(n: number, lists: ReadonlyArray<readonly number[]>): { readonly start: Int32Array; readonly of: Int32Array } {
  const start = new Int32Array(n + 1);
  for (const l of lists) for (const x of l) start[x + 1] = (start[x + 1] ?? 0) + 1;
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, n);
  const of = new Int32Array(start[n] ?? 0);
  lists.forEach((l, i) => { for (const x of l) { of[fill[x] ?? 0] = i; fill[x] = (fill[x] ?? 0) + 1; } });
  return { start, of };
}

/** Per cell: why it is withheld, or null when it is published. Virtual cells carry their own rule (they are never published anyway). */
export function suppress(model: DisclosureModel): Array<SuppressionReason | null> {
  const n = model.quantityCount;
  const reason: Array<SuppressionReason | null> = model.cells.map((c) => (c.virtual ? c.own : null));
  const shown = new Int32Array(n);
  const protect = new Uint8Array(n);
  const rank = new Float64Array(n).fill(Infinity);
  model.cells.forEach((c) => {
    for (const q of c.quantities) {
      if (c.virtual) { if (c.own) protect[q] = 1; continue; }
      shown[q] = (shown[q] ?? 0) + 1;
      rank[q] = Math.min(rank[q] ?? Infinity, c.rank);
    }
  });
  const publishedCells = model.cells.map((c) => (c.virtual ? [] : c.quantities));
  const cellIndex = invert(n, publishedCells);
  const cellsOf = (q: number): Int32Array => cellIndex.of.subarray(cellIndex.start[q] ?? 0, cellIndex.start[q + 1] ?? 0);
  const members = model.equations.map((e) => [...e.whole, ...e.parts]);
  const { start: eqStart, of: eqOf } = invert(n, members);

  const withheld = new Uint8Array(model.cells.length);
  /**
   * Withhold a published cell, and every published cell that shows one of its quantities
   * (each under its own rule when it has one, else complementary); returns the quantities
   * no published cell shows any more.
   */
  const withhold = (first: number, why: SuppressionReason): number[] => {
    const hidden: number[] = [];
    const stack: Array<[number, SuppressionReason]> = [[first, why]];
    while (stack.length > 0) {
      const [c, why2] = stack.pop() as [number, SuppressionReason];
      const cell = model.cells[c];
      if (!cell || cell.virtual || withheld[c]) continue;
      withheld[c] = 1;
      reason[c] = why2;
      for (const q of cell.quantities) {
        shown[q] = (shown[q] ?? 1) - 1;
        protect[q] = 1;
        if (shown[q] === 0) hidden.push(q);
        for (const other of cellsOf(q)) if (!withheld[other]) stack.push([other, model.cells[other]?.own ?? 'complementary']);
      }
    }
    return hidden;
  };

  // Step 1: cells withheld for themselves, and whatever shares a number with them.
  model.cells.forEach((c, i) => { if (c.own && !c.virtual) withhold(i, c.own); });

  const isPublished = (q: number): boolean => (shown[q] ?? 0) > 0;
  /** Which of two published quantities to withhold first: the smaller count, then the smaller value, then the lower id. */
  const before = (a: number, b: number): boolean => {
    const ra = rank[a] ?? 0;
    const rb = rank[b] ?? 0;
    if (ra !== rb) return ra < rb;
    const va = model.values[a] ?? 0;
    const vb = model.values[b] ?? 0;
    return va !== vb ? va < vb : a < b;
  };
  /** The published member of `side` (other than `u`) to withhold first, or null. */
  const pickFrom = (side: readonly number[], u: number, known: Uint8Array): number | null => {
    let best: number | null = null;
    for (const m of side) if (m !== u && known[m] && isPublished(m) && (best === null || before(m, best))) best = m;
    return best;
  };

  /**
   * The attacker would recover protected `u` through equation `e`: withhold one more
   * published member of it (a sibling first, else the other side: the total, or a part
   * when `u` is the total). When every other member was itself worked out (a remainder),
   * protect those instead; the next round cuts the chains that gave them.
   */
  const cut = (e: number, u: number, known: Uint8Array, hide: (qs: readonly number[]) => void): boolean => {
    const eq = model.equations[e];
    if (!eq) return false;
    const sameSide = eq.parts.includes(u) ? eq.parts : eq.whole;
    const otherSide = sameSide === eq.parts ? eq.whole : eq.parts;
    const pick = pickFrom(sameSide, u, known) ?? pickFrom(otherSide, u, known);
    const cell = pick === null ? undefined : cellsOf(pick).find((c) => !withheld[c]);
    if (cell !== undefined) {
      hide(withhold(cell, 'complementary'));
      return true;
    }
    let changed = false;
    for (const q of members[e] ?? []) if (q !== u && known[q] && !protect[q]) { protect[q] = 1; changed = true; }
    return changed;
  };

  /** What the public knows now: the published quantities and all that peeling gives, with the protected quantities it reaches cut off. */
  const round = (): { changed: boolean; known: Uint8Array } => {
    const known = new Uint8Array(n);
    for (let q = 0; q < n; q++) known[q] = isPublished(q) ? 1 : 0;
    const unknown = new Int32Array(members.length);
    const queue: number[] = [];
    members.forEach((m, e) => {
      let k = 0;
      for (const q of m) if (!known[q]) k++;
      unknown[e] = k;
      if (k === 1) queue.push(e);
    });
    let changed = false;
    const hide = (qs: readonly number[]): void => {
      for (const q of qs) {
        if (!known[q]) continue;
        known[q] = 0;
        for (let k = eqStart[q] ?? 0; k < (eqStart[q + 1] ?? 0); k++) { const e = eqOf[k] ?? 0; unknown[e] = (unknown[e] ?? 0) + 1; }
      }
    };
    while (queue.length > 0) {
      const e = queue.pop() as number;
      if (unknown[e] !== 1) continue;
      const u = (members[e] ?? []).find((q) => !known[q]);
      if (u === undefined) continue;
      if (protect[u]) {
        if (cut(e, u, known, hide)) changed = true;
        continue;
      }
      known[u] = 1;
      for (let k = eqStart[u] ?? 0; k < (eqStart[u + 1] ?? 0); k++) {
        const e2 = eqOf[k] ?? 0;
        unknown[e2] = (unknown[e2] ?? 0) - 1;
        if (unknown[e2] === 1) queue.push(e2);
      }
    }
    return { changed, known };
  };

  /**
   * When peeling gains nothing more: the equations still holding two or more unknowns,
   * solved together (linear.ts), one connected group of unknowns at a time. A protected
   * unknown they pin down gets a cut in the combination of equations that pins it: a
   * published member that does not cancel out of it, beside the unknown if possible.
   */
  const solveRound = (known: Uint8Array): boolean => {
    const parent = new Int32Array(n).map((_, i) => i);
    const find = (x: number): number => { while (parent[x] !== x) { const p = parent[parent[x] ?? x] ?? x; parent[x] = p; x = p; } return x; };
    const open: number[] = [];
    members.forEach((m, e) => {
      let first = -1;
      for (const q of m) {
        if (known[q]) continue;
        if (first === -1) first = q; else parent[find(q)] = find(first);
      }
      if (first !== -1) open.push(e);
    });
    const byComponent = new Map<number, number[]>();
    for (const e of open) {
      const q = (members[e] ?? []).find((x) => !known[x]) as number;
      const root = find(q);
      let list = byComponent.get(root);
      if (!list) byComponent.set(root, (list = []));
      list.push(e);
    }
    let changed = false;
    for (const eqs of byComponent.values()) {
      const unknownsOf = (e: number): number[] => (members[e] ?? []).filter((q) => !known[q]);
      if (!eqs.some((e) => unknownsOf(e).some((q) => protect[q]))) continue;
      const rows = eqs.map((e) => {
        const row = new Map<number, number>();
        const eq = model.equations[e];
        for (const q of eq?.whole ?? []) if (!known[q]) row.set(q, (row.get(q) ?? 0) + 1);
        for (const q of eq?.parts ?? []) if (!known[q]) row.set(q, (row.get(q) ?? 0) - 1);
        for (const [q, v] of row) if (v === 0) row.delete(q);
        return row;
      });
      const touched = new Set<number>();
      for (const [u, combination] of [...determined(rows)].sort((a, b) => a[0] - b[0])) {
        if (!protect[u]) continue;
        const used = [...combination.keys()].map((i) => eqs[i] as number);
        if (used.some((e) => touched.has(e))) continue;
        // A known member whose multiplier in the combination does not cancel out: hiding it
        // breaks this combination. Prefer one beside u (a sibling or its total), then the smallest.
        const net = new Map<number, number>();
        const besideU = new Set<number>();
        for (const [i, k] of combination) {
          const e = eqs[i] as number;
          const eq = model.equations[e];
          const withU = (members[e] ?? []).includes(u);
          for (const [side, sign] of [[eq?.whole ?? [], 1], [eq?.parts ?? [], -1]] as const) {
            for (const q of side) {
              if (!known[q]) continue;
              net.set(q, (net.get(q) ?? 0) + sign * k);
              if (withU) besideU.add(q);
            }
          }
        }
        const live = [...net].filter(([, v]) => Math.abs(v) > 1e-9).map(([q]) => q);
        const published = live.filter(isPublished);
        const pool = published.some((q) => besideU.has(q)) ? published.filter((q) => besideU.has(q)) : published;
        const pick = pickFrom(pool, -1, known);
        const cell = pick === null ? undefined : cellsOf(pick).find((c) => !withheld[c]);
        if (cell !== undefined) {
          withhold(cell, 'complementary');
        } else {
          // Only worked-out members (remainders) carry it: protect them, and the next round cuts their chains.
          const fresh = live.filter((q) => !protect[q]);
          if (fresh.length === 0) continue;
          for (const q of fresh) protect[q] = 1;
        }
        changed = true;
        for (const e of used) touched.add(e);
      }
    }
    return changed;
  };

  for (;;) {
    const r = round();
    if (r.changed) continue;
    if (!solveRound(r.known)) break;
  }
  return reason;
}
