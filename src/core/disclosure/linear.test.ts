import { describe, expect, it } from 'vitest';
import { determined } from './linear.ts';

const row = (entries: Record<number, number>): Map<number, number> => new Map(Object.entries(entries).map(([k, v]) => [Number(k), v]));

describe('determined: what a set of equations pins down', () => {
  it('x + y = a alone pins nothing; with x − y = b both are pinned', () => {
    expect([...determined([row({ 0: 1, 1: 1 })]).keys()]).toEqual([]);
    expect([...determined([row({ 0: 1, 1: 1 }), row({ 0: 1, 1: -1 })]).keys()].sort()).toEqual([0, 1]);
  });

  it('a pair that appears in two equations gives away the third unknown of one of them', () => {
    // A − k2 − k3 = c1 (A = k1 + k2 + k3, k1 known), −k2 − k3 = c2 (the district total): A = c1 − c2.
    const d = determined([row({ 5: 1, 2: -1, 3: -1 }), row({ 2: -1, 3: -1 })]);
    expect([...d.keys()]).toEqual([5]);
    // The combination that pins it uses both equations, with opposite signs.
    const combo = d.get(5);
    expect(combo?.size).toBe(2);
    expect(Math.sign(combo?.get(0) ?? 0)).toBe(-Math.sign(combo?.get(1) ?? 0));
  });

  it('a cycle of pairwise sums (x + y, y + z, z + x) pins all three', () => {
    expect([...determined([row({ 0: 1, 1: 1 }), row({ 1: 1, 2: 1 }), row({ 0: 1, 2: 1 })]).keys()].sort()).toEqual([0, 1, 2]);
  });

  it('a 2 × 2 table with its margins (the classic pattern of four withheld cells) pins nothing', () => {
    // a + b, c + d, a + c, b + d known: rank 3, four unknowns.
    expect([...determined([row({ 0: 1, 1: 1 }), row({ 2: 1, 3: 1 }), row({ 0: 1, 2: 1 }), row({ 1: 1, 3: 1 })]).keys()]).toEqual([]);
  });
});
