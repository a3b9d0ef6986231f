/**
 * Disclosure control (统计披露控制) for everything public: no published cell may be
 * computed from fewer than `threshold` (10) units — students, teachers, classes, or
 * schools where the unit is a school (reference/reliability-security.md, minors' data).
 *
 * 1. Primary suppression: a cell whose count is 1..threshold−1 is suppressed.
 * 2. Complementary suppression: cells that add up to a published total form a group
 *    (the 16 districts of the city; the schools of a district; boys + girls; the stages).
 *    If a group has exactly one suppressed cell, its value could be recovered as
 *    total − others, so the next-smallest published cell of the group is suppressed too.
 *    Repeated until no group has a lone suppressed cell (a cell is in several groups).
 * A count of 0 or an empty cell publishes nothing and is left alone.
 */

export interface DisclosureCell {
  readonly key: string;
  /** The count the cell is computed from; null = not subject to disclosure control. */
  readonly count: number | null;
  /** Keys of the additive groups this cell belongs to (siblings under one published total). */
  readonly groups: readonly string[];
}

export type SuppressionReason = 'primary' | 'complementary';

export const DEFAULT_THRESHOLD = 10;

export function suppressCells(cells: readonly DisclosureCell[], threshold = DEFAULT_THRESHOLD): Map<string, SuppressionReason> {
  const out = new Map<string, SuppressionReason>();
  const byGroup = new Map<string, DisclosureCell[]>();
  for (const c of cells) {
    if (c.count === null || c.count <= 0) continue;
    if (c.count < threshold) out.set(c.key, 'primary');
    for (const g of c.groups) {
      let list = byGroup.get(g);
      if (!list) byGroup.set(g, (list = []));
      list.push(c);
    }
  }
  let dirty = new Set(byGroup.keys());
  while (dirty.size > 0) {
    const next = new Set<string>();
    for (const g of dirty) {
      const members = byGroup.get(g) ?? [];
      const suppressed = members.filter((m) => out.has(m.key));
      if (suppressed.length !== 1) continue;
      let smallest: DisclosureCell | undefined;
      for (const m of members) {
        if (out.has(m.key)) continue;
        if (!smallest || (m.count ?? 0) < (smallest.count ?? 0) || ((m.count ?? 0) === (smallest.count ?? 0) && m.key < smallest.key)) smallest = m;
      }
      if (!smallest) continue;
      out.set(smallest.key, 'complementary');
      for (const g2 of smallest.groups) next.add(g2);
    }
    dirty = next;
  }
  return out;
}
