import { describe, expect, it } from 'vitest';
import { cvWithin, weightedCv } from './cv.ts';

describe('enrolment-weighted CV (差异系数, assessments.md §A1.2)', () => {
  it('reproduces the published 5-school example: 生均图书册数, CV = 0.5153', () => {
    const enrol = [45, 37, 89, 76, 55];
    const books = [279, 137, 935, 160, 402];
    const r = weightedCv(books.map((b, i) => b / (enrol[i] ?? 1)), enrol);
    expect(r.mean).toBeCloseTo(6.3344, 4);
    expect(r.std * r.std).toBeCloseTo(10.6528, 3);
    expect(r.std).toBeCloseTo(3.2639, 4);
    expect(r.cv).toBeCloseTo(0.5153, 4);
    // The weighted mean is the county total ÷ county students.
    expect(r.mean).toBeCloseTo(1913 / 302, 12);
  });

  it('differs from the unweighted (wrong) method on the same data', () => {
    const enrol = [45, 37, 89, 76, 55];
    const x = [279, 137, 935, 160, 402].map((b, i) => b / (enrol[i] ?? 1));
    const unweighted = weightedCv(x, x.map(() => 1));
    expect(unweighted.cv).toBeCloseTo(0.4888, 4);
  });

  it('is 0 for identical schools and undefined (null) when the mean is 0', () => {
    expect(weightedCv([3, 3, 3], [10, 200, 45]).cv).toBe(0);
    expect(weightedCv([0, 0], [10, 20]).cv).toBeNull();
    expect(cvWithin(null, 0.5)).toBe(false);
  });

  it('treats a CV exactly at the limit as within it, and a hair above as outside', () => {
    // Two equal-size schools at 1 and 3: mean 2, S 1, CV 0.5 exactly.
    const r = weightedCv([1, 3], [100, 100]);
    expect(r.cv).toBe(0.5);
    expect(cvWithin(r.cv, 0.5)).toBe(true);
    expect(cvWithin(0.5001, 0.5)).toBe(false);
  });

  it('rejects a non-positive weight', () => {
    expect(() => weightedCv([1, 2], [1, 0])).toThrow(/positive/);
  });
});
