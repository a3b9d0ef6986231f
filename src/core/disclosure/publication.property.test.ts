/**
 * Property-style tests of disclosure control (issue 12 §3): random org trees, random
 * counts with many small ones, random levels and breakdowns of the real definitions; the
 * engine computes the cells, disclosure control withholds some, and an attacker that
 * knows every published figure and how each is made (test/helpers/disclosure-attacker.ts:
 * exact linear algebra, which covers parent − published siblings iterated, shared
 * operands and value × denominator) must recover no withheld numerator or denominator.
 * Seeded (mulberry32), so a failure names its seed and is reproduced by it.
 */
import { describe, expect, it } from 'vitest';
import { attack, evaluate, operandForm, type LinearForm } from '../../../test/helpers/disclosure-attacker.ts';
import { CITY, randomWorld as world, type World } from '../../../test/helpers/disclosure-world.ts';
import { elementByCode } from '../elements/catalogue.ts';
import type { Operand } from '../indicators/types.ts';
import { discloseCells } from './publication.ts';

/**
 * What unpublished schools directly under the city add to an indicator published for
 * districts and the city (city − Σ districts): a count of 1…threshold−1 must stay hidden too.
 */
function smallRemainders(w: World): LinearForm[] {
  const out: LinearForm[] = [];
  const direct = w.orgUnits.filter((o) => o.level === 'school' && o.parent_code === CITY);
  for (const def of w.defs) {
    if (def.kind !== 'ratio' || def.levels.includes('school') || !def.levels.includes('district') || !def.levels.includes('city')) continue;
    if (!w.cells.some((c) => c.indicator === def.code && c.level === 'district')) continue;
    const op = def[def.disclosure.operand];
    const form: LinearForm = new Map();
    for (const s of direct) for (const [v, k] of operandForm(op, undefined, s, w.orgUnits) ?? []) form.set(v, k);
    const value = evaluate(form, w.raw);
    if (value > 0 && value < w.threshold) out.push(form);
  }
  return out;
}

describe('disclosure control against an attacker who subtracts every published figure', () => {
  const seeds = Array.from({ length: 120 }, (_, i) => 1000 + i * 7919);

  it.each(seeds)('seed %i: no withheld numerator or denominator can be recovered', (seed) => {
    const w = world(seed);
    const reasons = discloseCells(w.cells, w.orgUnits, w.defs, w.threshold);
    const published = w.cells.map((c, i) => ({ ...c, suppressed: reasons[i] !== null }));
    const r = attack(published, w.defs, w.orgUnits, w.raw, smallRemainders(w));
    expect(r.recovered.map((x) => `${x.cell.indicator} ${x.cell.org_code} ${x.cell.disaggregation} ${x.operand}`)).toEqual([]);
    expect(r.extraRecovered.filter(Boolean)).toEqual([]);
  });

  it.each(seeds)('seed %i: no published cell counts 1…threshold−1, nor shows a group of 1…threshold−1 persons', (seed) => {
    const w = world(seed);
    const reasons = discloseCells(w.cells, w.orgUnits, w.defs, w.threshold);
    const small = (n: number | null): boolean => n !== null && n > 0 && n < w.threshold;
    const bad = w.cells.filter((c, i) => {
      if (reasons[i] !== null || c.value === null) return false;
      const def = w.defs.find((d) => d.code === c.indicator);
      if (!def || def.disclosure.unit === 'none') return false;
      // Two groups of people only when both sides add up head counts (not m² per pupil).
      const heads = (op: Operand): boolean => op.kind === 'sum' && op.terms.every((t) => elementByCode.get(t.element)?.kind === 'count');
      const persons = (def.disclosure.unit === 'students' || def.disclosure.unit === 'teachers') && def.kind === 'ratio' && heads(def.numerator) && heads(def.denominator);
      return small(c.basis) || (persons && (small(c.numerator) || small((c.denominator ?? 0) - (c.numerator ?? 0))));
    });
    expect(bad).toEqual([]);
  });

  it('the random worlds do exercise the rules: across the seeds every reason occurs, and most cells are published', () => {
    const tally = { primary: 0, attribute: 0, complementary: 0, published: 0 };
    for (const seed of seeds) {
      const w = world(seed);
      for (const r of discloseCells(w.cells, w.orgUnits, w.defs, w.threshold)) tally[r ?? 'published'] += 1;
    }
    expect(tally.primary).toBeGreaterThan(100);
    expect(tally.attribute).toBeGreaterThan(100);
    expect(tally.complementary).toBeGreaterThan(100);
    expect(tally.published).toBeGreaterThan(tally.primary + tally.attribute + tally.complementary);
  });
});
