/**
 * Breakdowns (分组): the parts the definitions declare, whether they add up to the total
 * where the indicator is additive, and the one-school-dimension rule the disclosure model needs.
 */
import { describe, expect, it } from 'vitest';
import { randomWorld } from '../../../test/helpers/disclosure-world.ts';
import { dimensionRest, partitionsTotal } from '../disclosure/operands.ts';
import { inPart, matchesFilter, type EngineOrgUnit } from './engine.ts';
import { byArea, bySex, dimensionOf, dimensionsOf, schoolDimensionsOf } from './breakdowns.ts';
import { indicatorByCode, indicatorDefinitions } from './definitions.ts';
import type { Disaggregation, IndicatorCell } from './types.ts';

/**
 * Whether the parts add up to the operand's total in this world: they partition it outright
 * (boys + girls), or with a rest (schools with no urban/rural class) that no school here falls in.
 */
function additive(op: Parameters<typeof partitionsTotal>[0], dim: string, parts: readonly Disaggregation[], orgUnits: readonly EngineOrgUnit[]): boolean {
  if (partitionsTotal(op, parts)) return true;
  const rest = dimensionRest(dim, parts);
  if (!rest || !partitionsTotal(op, [...parts, rest]) || !rest.exceptSchools) return false;
  return orgUnits.every((o) => o.level !== 'school' || !inPart(o, rest));
}

const partsByDimension = (parts: readonly Disaggregation[]): Map<string, Disaggregation[]> => {
  const m = new Map<string, Disaggregation[]>();
  for (const p of parts) {
    const d = dimensionOf(p.key) ?? '';
    m.set(d, [...(m.get(d) ?? []), p]);
  }
  return m;
};

describe('breakdowns in the definitions', () => {
  it('no indicator crosses two breakdowns by school attributes (the disclosure model protects one at a time)', () => {
    const crossed = indicatorDefinitions.filter((d) => d.kind === 'ratio' && schoolDimensionsOf(d.disaggregations).length > 1).map((d) => d.code);
    expect(crossed).toEqual([]);
  });

  it('every part key names a known dimension, and keys are unique per indicator', () => {
    for (const d of indicatorDefinitions) {
      if (d.kind !== 'ratio') continue;
      const keys = (d.disaggregations ?? []).map((p) => p.key);
      expect(new Set(keys).size, d.code).toBe(keys.length);
      expect(dimensionsOf(d.disaggregations).length, d.code).toBe(new Set(keys.map(dimensionOf)).size);
    }
  });

  it('the acceptance indicator fitness_good_rate is split by sex, and boys + girls partition both operands', () => {
    const def = indicatorByCode.get('fitness_good_rate');
    if (def?.kind !== 'ratio') throw new Error('fitness_good_rate is a ratio');
    expect(dimensionsOf(def.disaggregations)).toContain('sex');
    expect(partitionsTotal(def.numerator, bySex)).toBe(true);
    expect(partitionsTotal(def.denominator, bySex)).toBe(true);
  });

  it('urban + town + rural partition a sum over schools only when every school has a class (otherwise there is a rest)', () => {
    const def = indicatorByCode.get('myopia_rate');
    if (def?.kind !== 'ratio') throw new Error('myopia_rate is a ratio');
    // The profile covers schools with no urban/rural class too, so the three classes alone are not the total.
    expect(partitionsTotal(def.numerator, byArea)).toBe(false);
  });
});

describe('parts add up to the total where the indicator is additive (engine, random worlds)', () => {
  const seeds = Array.from({ length: 25 }, (_, i) => 424242 + i * 7919);
  it.each(seeds)('seed %i: for every partitioning dimension, Σ parts = total for numerator and denominator at every org unit', (seed) => {
    const w = randomWorld(seed);
    const byKey = new Map<string, IndicatorCell>(w.cells.map((c) => [`${c.indicator}|${c.org_code}|${c.disaggregation}`, c]));
    for (const def of w.defs) {
      if (def.kind !== 'ratio') continue;
      for (const [dim, parts] of partsByDimension(def.disaggregations ?? [])) {
        for (const op of ['numerator', 'denominator'] as const) {
          if (def[op].kind === 'reference' || !additive(def[op], dim, parts, w.orgUnits)) continue;
          for (const total of w.cells.filter((c) => c.indicator === def.code && c.disaggregation === '' && c.level !== 'school')) {
            // A part whose schools reported the numerator but not the denominator has no cell
            // (no data, not 0 %), while the total still counts their numerator: not comparable.
            const schoolsHere = w.orgUnits.filter((o) => o.level === 'school' && (total.level === 'city' || o.parent_code === total.org_code) && (def[op].kind === 'reference' || def[op].schools.length === 0 || def[op].schools.some((f) => matchesFilter(o, f))));
            if (parts.some((p) => !byKey.has(`${def.code}|${total.org_code}|${p.key}`) && schoolsHere.some((o) => inPart(o, p)))) continue;
            const sum = parts.reduce((s, p) => s + (byKey.get(`${def.code}|${total.org_code}|${p.key}`)?.[op] ?? 0), 0);
            expect(sum, `${def.code} ${total.org_code} ${op}`).toBeCloseTo(total[op] ?? 0, 6);
          }
        }
      }
    }
  });

  // A world may hold no comparable breakdown; this shows the seeds together compare each dimension.
  it('across the seeds, sex, stage and urban/rural sums are all checked', () => {
    const seen = new Set<string>();
    for (const seed of seeds) {
      const w = randomWorld(seed);
      for (const def of w.defs) {
        if (def.kind !== 'ratio') continue;
        for (const [dim, parts] of partsByDimension(def.disaggregations ?? [])) {
          if (additive(def.numerator, dim, parts, w.orgUnits) && w.cells.some((c) => c.indicator === def.code && c.disaggregation === parts[0]?.key && c.level !== 'school')) seen.add(dim);
        }
      }
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining(['area', 'sex', 'stage']));
  });
});
