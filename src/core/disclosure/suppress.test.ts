import { describe, expect, it } from 'vitest';
import { suppressCells, type DisclosureCell } from './suppress.ts';

const districts = (counts: Record<string, number | null>): DisclosureCell[] =>
  Object.entries(counts).map(([key, count]) => ({ key, count, groups: ['city'] }));

describe('suppressCells', () => {
  it('publishes everything when every cell has at least 10 units', () => {
    expect(suppressCells(districts({ a: 10, b: 250, c: 31 })).size).toBe(0);
  });

  it('one small district: it and the next-smallest district are suppressed, so the city total cannot reveal it', () => {
    const s = suppressCells(districts({ a: 4, b: 250, c: 31, d: 40 }));
    expect(Object.fromEntries(s)).toEqual({ a: 'primary', c: 'complementary' });
  });

  it('two small districts protect each other: no complementary cell needed', () => {
    const s = suppressCells(districts({ a: 4, b: 7, c: 31 }));
    expect(Object.fromEntries(s)).toEqual({ a: 'primary', b: 'primary' });
  });

  it('empty and zero cells publish nothing and are left alone', () => {
    expect(suppressCells(districts({ a: 0, b: null, c: 31 })).size).toBe(0);
  });

  it('complementary suppression chains through overlapping groups (schools × sexes)', () => {
    // School X: girls 5 (primary) → boys 40 complementary (X's total is published);
    // district girls = X girls + Y girls → Y girls complementary → Y boys complementary.
    const cells: DisclosureCell[] = [
      { key: 'X.f', count: 5, groups: ['girls', 'X'] },
      { key: 'X.m', count: 40, groups: ['boys', 'X'] },
      { key: 'Y.f', count: 20, groups: ['girls', 'Y'] },
      { key: 'Y.m', count: 20, groups: ['boys', 'Y'] },
    ];
    expect(Object.fromEntries(suppressCells(cells))).toEqual({ 'X.f': 'primary', 'X.m': 'complementary', 'Y.f': 'complementary', 'Y.m': 'complementary' });
  });

  it('ties are broken by key, so the result is deterministic', () => {
    const s = suppressCells(districts({ z: 3, b: 50, a: 50 }));
    expect(s.get('a')).toBe('complementary');
    expect(s.has('b')).toBe(false);
  });

  it('the threshold is a parameter', () => {
    expect(suppressCells(districts({ a: 12, b: 100, c: 100 }), 20).get('a')).toBe('primary');
  });
});
