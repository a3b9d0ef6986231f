import { describe, expect, it } from 'vitest';
import { recoverable, type LinearForm } from '../../../test/helpers/disclosure-attacker.ts';
import { suppress, type DisclosureModel, type Equation, type ModelCell } from './suppress.ts';

/** A model from named quantities: `cells` name their quantities; equations are `whole = parts` by name. */
function model(values: Record<string, number>, equations: Array<[string[], string[]]>, cells: Record<string, { q: string[]; own?: 'primary' | 'attribute'; virtual?: boolean; rank?: number }>): { m: DisclosureModel; names: string[] } {
  const ids = Object.keys(values);
  const id = (n: string): number => { const i = ids.indexOf(n); if (i < 0) throw new Error(n); return i; };
  const names = Object.keys(cells);
  const mc: ModelCell[] = names.map((n) => {
    const c = cells[n] ?? { q: [] };
    return { quantities: c.q.map(id), own: c.own ?? null, virtual: c.virtual ?? false, rank: c.rank ?? Math.min(...c.q.map((q) => values[q] ?? 0)) };
  });
  const eqs: Equation[] = equations.map(([w, p]) => ({ whole: w.map(id), parts: p.map(id) }));
  return { m: { quantityCount: ids.length, values: ids.map((n) => values[n] ?? 0), equations: eqs, cells: mc }, names };
}

const result = (x: { m: DisclosureModel; names: string[] }): Record<string, string> =>
  Object.fromEntries(suppress(x.m).map((r, i) => [x.names[i] ?? '', r ?? 'published']).filter(([n]) => !(n ?? '').startsWith('~')));

/**
 * The independent check (test/helpers/disclosure-attacker.ts): every equation is a known form
 * worth 0, every published quantity a known form; a withheld quantity must not be in their span.
 */
function recovered(x: { m: DisclosureModel; names: string[] }): number[] {
  const reasons = suppress(x.m);
  const published = new Set<number>();
  const hidden = new Set<number>();
  x.m.cells.forEach((c, i) => { for (const q of c.quantities) (reasons[i] === null && !c.virtual ? published : hidden).add(q); });
  const known: LinearForm[] = [...published].map((q) => new Map([[`q${q}`, 1]]));
  for (const e of x.m.equations) {
    const f: LinearForm = new Map();
    for (const q of e.whole) f.set(`q${q}`, (f.get(`q${q}`) ?? 0) + 1);
    for (const q of e.parts) f.set(`q${q}`, (f.get(`q${q}`) ?? 0) - 1);
    known.push(f);
  }
  const targets = [...hidden].filter((q) => !published.has(q));
  const r = recoverable(known, targets.map((q) => new Map([[`q${q}`, 1]])));
  return targets.filter((_, i) => r[i]);
}

describe('suppress: complementary suppression over published quantities', () => {
  const cityOfFour = (a: number, b: number, c: number, d: number) => model(
    { city: a + b + c + d, a, b, c, d },
    [[['city'], ['a', 'b', 'c', 'd']]],
    { city: { q: ['city'] }, a: { q: ['a'], ...(a < 10 ? { own: 'primary' as const } : {}) }, b: { q: ['b'], ...(b < 10 ? { own: 'primary' as const } : {}) }, c: { q: ['c'] }, d: { q: ['d'] } });

  it('one small district: it and the district with the smallest count are withheld, so the city total cannot reveal it', () => {
    const x = cityOfFour(4, 250, 31, 40);
    expect(result(x)).toEqual({ city: 'published', a: 'primary', b: 'published', c: 'complementary', d: 'published' });
    expect(recovered(x)).toEqual([]);
  });

  it('two small districts protect each other: no complement needed', () => {
    expect(result(cityOfFour(4, 7, 31, 40))).toEqual({ city: 'published', a: 'primary', b: 'primary', c: 'published', d: 'published' });
  });

  it('a lone child with no sibling: the parent is withheld (a city with one university)', () => {
    const x = model({ city: 6, u: 6 }, [[['city'], ['u']]], { city: { q: ['city'] }, u: { q: ['u'], own: 'primary' } });
    expect(result(x)).toEqual({ city: 'complementary', u: 'primary' });
  });

  it('the parent withheld for its child is then protected in its own group: a sibling at its level goes too', () => {
    // district X has one school s (small); the city has X and Y.
    const x = model({ city: 306, X: 6, Y: 300, s: 6 }, [[['X'], ['s']], [['city'], ['X', 'Y']]],
      { city: { q: ['city'] }, X: { q: ['X'] }, Y: { q: ['Y'] }, s: { q: ['s'], own: 'primary' } });
    expect(result(x)).toEqual({ city: 'published', X: 'complementary', Y: 'complementary', s: 'primary' });
    expect(recovered(x)).toEqual([]);
  });

  it('a number hidden in one cell is hidden in every cell that shows it (kindergarten enrolment in three indicators)', () => {
    const x = model({ kg: 5, pub: 5, pop: 0 }, [],
      { share: { q: ['pub', 'kg'], own: 'primary' }, ger: { q: ['kg'] }, other: { q: ['pub'] } });
    expect(result(x)).toEqual({ share: 'primary', ger: 'complementary', other: 'complementary' });
  });

  it('a cell withheld for itself keeps its reason when it is also reached as a complement', () => {
    const x = model({ city: 15, a: 7, b: 8 }, [[['city'], ['a', 'b']]], { city: { q: ['city'] }, a: { q: ['a'], own: 'attribute' }, b: { q: ['b'], own: 'primary' } });
    expect(result(x)).toEqual({ city: 'published', a: 'attribute', b: 'primary' });
  });

  it('a small remainder (what unpublished schools add) is protected like a withheld cell', () => {
    // city = districts A + B + a kindergarten directly under the city (4 children), never published.
    const x = model({ city: 204, A: 100, B: 100, rest: 4 }, [[['city'], ['A', 'B', 'rest']]],
      { city: { q: ['city'] }, A: { q: ['A'] }, B: { q: ['B'] }, '~rest': { q: ['rest'], own: 'primary', virtual: true } });
    expect(result(x)).toEqual({ city: 'published', A: 'complementary', B: 'published' });
    expect(recovered(x)).toEqual([]);
  });

  it('a large remainder is not protected: publishing everything is fine', () => {
    const x = model({ city: 300, A: 100, B: 100, rest: 100 }, [[['city'], ['A', 'B', 'rest']]],
      { city: { q: ['city'] }, A: { q: ['A'] }, B: { q: ['B'] }, '~rest': { q: ['rest'], virtual: true } });
    expect(result(x)).toEqual({ city: 'published', A: 'published', B: 'published' });
  });

  it('complementary suppression chains through overlapping groups (schools × sexes)', () => {
    // District girls = X girls + Y girls; X = X girls + X boys; likewise Y. X's girls are 5.
    const x = model({ Xf: 5, Xm: 40, Yf: 20, Ym: 20, X: 45, Y: 40, f: 25, m: 60 },
      [[['X'], ['Xf', 'Xm']], [['Y'], ['Yf', 'Ym']], [['f'], ['Xf', 'Yf']], [['m'], ['Xm', 'Ym']]],
      { Xf: { q: ['Xf'], own: 'primary' }, Xm: { q: ['Xm'] }, Yf: { q: ['Yf'] }, Ym: { q: ['Ym'] }, X: { q: ['X'] }, Y: { q: ['Y'] }, f: { q: ['f'] }, m: { q: ['m'] } });
    const r = result(x);
    expect(r.Xf).toBe('primary');
    expect(Object.values(r).filter((v) => v === 'complementary').length).toBeGreaterThanOrEqual(3);
    expect(recovered(x)).toEqual([]);
  });

  it('an attacker who subtracts whole equations: a pair of hidden schools known as a pair gives away the figure that hid a third', () => {
    // District total T = k1 + k2 + k3 + j, its age-6 figure A = k1 + k2 + k3, the city's age-6 C = A + B,
    // B a small district's age-6 figure. k2, k3 are withheld, A with them: peeling sees two unknowns
    // everywhere, but A = T − j, so B = C − T + j. One more cell must go, and one is enough: T or j
    // (k1 appears in both equations and cancels out, so hiding it would not help).
    const x = model({ T: 500, k1: 72, k2: 48, k3: 9, j: 371, A: 129, B: 8, C: 137 },
      [[['T'], ['k1', 'k2', 'k3', 'j']], [['A'], ['k1', 'k2', 'k3']], [['C'], ['A', 'B']]],
      { T: { q: ['T'] }, k1: { q: ['k1'] }, k2: { q: ['k2'], own: 'attribute' }, k3: { q: ['k3'], own: 'primary' }, j: { q: ['j'] },
        A: { q: ['A'], own: 'attribute' }, B: { q: ['B'], own: 'primary' }, C: { q: ['C'] } });
    const r = result(x);
    expect(Object.entries(r).filter(([, v]) => v === 'complementary').map(([k]) => k)).toEqual(['j']);
    expect(recovered(x)).toEqual([]);
  });

  it('nothing is withheld when nothing is small', () => {
    expect(Object.values(result(cityOfFour(10, 250, 31, 40))).every((v) => v === 'published')).toBe(true);
  });
});
