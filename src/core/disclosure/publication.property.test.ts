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
import { buildYearModel, discloseCells, discloseYear, disclosureGroups } from './publication.ts';
import { suppress } from './suppress.ts';

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

  // Breakdowns by school attributes (urban/rural, ownership, 普惠 status, school type) with
  // private schools of every type and schools without an urban/rural class: the parts then
  // leave rests, which the model must protect like the stages' and sexes' rests.
  const variedSeeds = Array.from({ length: 60 }, (_, i) => 7000 + i * 104729);
  it.each(variedSeeds)('varied school attributes, seed %i: no withheld numerator or denominator can be recovered', (seed) => {
    const w = world(seed, undefined, { attributes: 'varied' });
    const reasons = discloseCells(w.cells, w.orgUnits, w.defs, w.threshold);
    const published = w.cells.map((c, i) => ({ ...c, suppressed: reasons[i] !== null }));
    const r = attack(published, w.defs, w.orgUnits, w.raw, smallRemainders(w));
    expect(r.recovered.map((x) => `${x.cell.indicator} ${x.cell.org_code} ${x.cell.disaggregation} ${x.operand}`)).toEqual([]);
    expect(r.extraRecovered.filter(Boolean)).toEqual([]);
  });

  it('most varied worlds publish a breakdown by school attributes', () => {
    const withOne = variedSeeds.filter((seed) => world(seed, undefined, { attributes: 'varied' }).cells.some((c) => c.level !== 'school' && /^area:/.test(c.disaggregation)));
    expect(withOne.length).toBeGreaterThan(variedSeeds.length / 2);
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

  // The model splits into one model per disclosure group (publication.ts disclosureGroups):
  // the outcome group by group must be the outcome of the whole year's model.
  it.each([...seeds.slice(0, 60).map((seed) => [seed, 'plain'] as const), ...variedSeeds.slice(0, 30).map((seed) => [seed, 'varied'] as const)])('seed %i (%s): group by group withholds exactly what the whole model does', (seed, attributes) => {
    const w = world(seed, { districts: 5, schools: 30 }, { attributes });
    const whole = buildYearModel(w.cells, w.orgUnits, w.defs, w.threshold);
    const reasons = suppress(whole.model);
    expect(discloseCells(w.cells, w.orgUnits, w.defs, w.threshold)).toEqual(w.cells.map((_, i) => reasons[whole.cellIndex[i] ?? -1] ?? null));
  });

  it.each(seeds.slice(0, 40))('seed %i: an outcome reused for unchanged groups equals a fresh one after a change', (seed) => {
    const w = world(seed, { districts: 5, schools: 30 });
    const first = discloseYear(w.cells, w.orgUnits, w.defs, w.threshold);
    // Change one ratio cell's numbers (as a school's new data change its district's cell).
    const at = w.cells.findIndex((c) => c.numerator !== null && c.denominator !== null && c.level === 'district');
    if (at === -1) return;
    const changed = w.cells.map((c, i) => (i === at ? { ...c, numerator: (c.numerator ?? 0) + 3, denominator: (c.denominator ?? 0) + 3, basis: c.basis === null ? null : c.basis + 3 } : c));
    const again = discloseYear(changed, w.orgUnits, w.defs, w.threshold, first);
    expect(again.reasons).toEqual(discloseYear(changed, w.orgUnits, w.defs, w.threshold).reasons);
    // The groups the change does not touch kept their outcome (the same object, not recomputed).
    const touched = disclosureGroups(w.defs).get((w.cells[at] as { indicator: string }).indicator);
    for (const [g, outcome] of again.groups) {
      if (g === touched) expect(outcome.reasons).not.toBe(first.groups.get(g)?.reasons);
      else expect(outcome.reasons).toBe(first.groups.get(g)?.reasons);
    }
  });
});
