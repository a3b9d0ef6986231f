import { describe, expect, it } from 'vitest';
import { defaultMyopiaPolicy, eyeIsMyopic, myopiaRate, screeningMyopia, sphericalEquivalent, tallyMyopia, type VisionInput } from './myopia.ts';

const eye = (acuity: number | null, sphere: number | null, cylinder: number | null = 0) => ({ acuity, sphere, cylinder });
const student = (right: ReturnType<typeof eye>, left: ReturnType<typeof eye>, extra: Partial<VisionInput> = {}): VisionInput => ({ ageYears: 10, right, left, orthoK: false, ...extra });

describe('screening myopia (WS/T 663 / 适宜技术指南)', () => {
  it('SE = sphere + cylinder / 2', () => {
    expect(sphericalEquivalent(-0.25, -0.5)).toBe(-0.5);
    expect(sphericalEquivalent(-1.0, null)).toBe(-1.0);
    expect(sphericalEquivalent(null, -1)).toBeNull();
  });

  it('needs both: acuity below 5.0 and SE at or beyond −0.50 D', () => {
    expect(eyeIsMyopic(eye(4.9, -0.75))).toBe(true);
    expect(eyeIsMyopic(eye(5.0, -2.0))).toBe(false); // acuity 5.0 is not below the cutoff
    expect(eyeIsMyopic(eye(4.8, -0.25))).toBe(false); // 视力不良 without myopic refraction
    expect(eyeIsMyopic(eye(0, -6.0))).toBe(true); // “0” = below 3.0
  });

  it('the threshold is configurable: −0.50 D exactly is myopic under ≤ (default), not under <', () => {
    // S −0.25, C −0.50 → SE −0.50 exactly.
    expect(eyeIsMyopic(eye(4.8, -0.25, -0.5))).toBe(true);
    expect(eyeIsMyopic(eye(4.8, -0.25, -0.5), { ...defaultMyopiaPolicy, seComparison: 'lt' })).toBe(false);
  });

  it('a student is myopic if either eye is; undecided eyes leave the student unclassified', () => {
    expect(screeningMyopia(student(eye(5.1, 0.5), eye(4.7, -1.25)))).toBe(true);
    expect(screeningMyopia(student(eye(5.1, 0.5), eye(5.0, 0)))).toBe(false);
    expect(screeningMyopia(student(eye(5.1, 0.5), eye(4.7, null)))).toBeNull();
    expect(screeningMyopia(student(eye(4.7, -1), eye(4.7, null)))).toBe(true);
  });

  it('applies from age 6; orthokeratology wearers count as myopic', () => {
    expect(screeningMyopia(student(eye(4.5, -2), eye(4.5, -2), { ageYears: 5 }))).toBeNull();
    expect(screeningMyopia(student(eye(5.0, 0), eye(5.0, 0), { orthoK: true }))).toBe(true);
    expect(screeningMyopia(student(eye(5.0, 0), eye(5.0, 0), { orthoK: true }), { ...defaultMyopiaPolicy, orthoKIsMyopic: false })).toBe(false);
  });

  it('tallies rates by any key, leaving unclassified students out of the denominator', () => {
    const rows = [
      { g: '11', m: true }, { g: '11', m: false }, { g: '11', m: null }, { g: '21', m: true }, { g: '21', m: true }, { g: '21', m: false }, { g: '21', m: false },
    ];
    const t = tallyMyopia(rows, (r) => r.g, (r) => r.m);
    expect(t.get('11')).toEqual({ screened: 2, myopic: 1 });
    expect(myopiaRate(t.get('21') ?? { screened: 0, myopic: 0 })).toBe(0.5);
    expect(myopiaRate({ screened: 0, myopic: 0 })).toBeNull();
  });
});
