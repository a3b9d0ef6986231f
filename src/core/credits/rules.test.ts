import { describe, expect, it } from 'vitest';
import { checkRecognition, creditsForHours, ruleInForce, type ConversionRule } from './rules.ts';
import { bitAt, bitstringWith, STATUS_LIST_BITS } from './status-list.ts';

const rule = (over: Partial<ConversionRule> = {}): ConversionRule => ({
  code: 'R1', version: 1, source_kind: 'vocational_certificate', achievement_code: 'C1', receiving_code: 'OU', target_programme: 'P', target_course: 'C',
  credits: 4, annual_cap: 6, source_cap: 10, valid_from: '2024-01-01', source: 'test', ...over,
});
const cert = { kind: 'vocational_certificate' as const, achievement_code: 'C1' };

describe('conversion rules', () => {
  it('picks the latest version in force on the date, none before the first', () => {
    const versions = [rule(), rule({ version: 2, credits: 3, valid_from: '2025-07-01' })];
    expect(ruleInForce(versions, 'R1', '2023-12-31')).toBeNull();
    expect(ruleInForce(versions, 'R1', '2025-06-30')?.version).toBe(1);
    expect(ruleInForce(versions, 'R1', '2025-07-01')?.version).toBe(2);
    expect(ruleInForce(versions, 'R2', '2025-07-01')).toBeNull();
  });

  it('counts only the same receiving institution and source kind against the caps', () => {
    const granted = [
      { receiving_code: 'OU', source_kind: 'vocational_certificate' as const, year: 2024, credits: 2 },
      { receiving_code: 'OTHER', source_kind: 'vocational_certificate' as const, year: 2024, credits: 50 },
      { receiving_code: 'OU', source_kind: 'mooc' as const, year: 2024, credits: 50 },
    ];
    expect(checkRecognition(rule(), cert, 2024, granted)).toEqual({ ok: true, credits: 4 });
  });

  it('refuses over the annual cap, and over the source cap across years', () => {
    const g = (year: number, credits: number) => ({ receiving_code: 'OU', source_kind: 'vocational_certificate' as const, year, credits });
    const annual = checkRecognition(rule(), cert, 2024, [g(2024, 4)]);
    expect(annual).toMatchObject({ ok: false, rule: 'annual_cap' });
    expect(checkRecognition(rule(), cert, 2025, [g(2024, 4)])).toMatchObject({ ok: true });
    expect(checkRecognition(rule(), cert, 2026, [g(2024, 4), g(2025, 4)])).toMatchObject({ ok: false, rule: 'source_cap' });
    expect(checkRecognition(rule({ annual_cap: null, source_cap: null }), cert, 2024, [g(2024, 400)])).toMatchObject({ ok: true });
  });

  it('refuses an outcome of another kind or another achievement', () => {
    expect(checkRecognition(rule(), { kind: 'mooc', achievement_code: 'C1' }, 2024, [])).toMatchObject({ ok: false, rule: 'rule_kind' });
    expect(checkRecognition(rule(), { ...cert, achievement_code: 'C2' }, 2024, [])).toMatchObject({ ok: false, rule: 'rule_achievement' });
  });

  it('converts hours to credits rounded down to half credits', () => {
    expect(creditsForHours(16, 10)).toBe(1.5);
    expect(creditsForHours(14, 10)).toBe(1);
    expect(creditsForHours(-3, 10)).toBe(0);
  });
});

describe('status list bits', () => {
  it('sets index 0 as the most significant bit of the first byte, and only the indices given', () => {
    const bits = bitstringWith([0, 9, STATUS_LIST_BITS - 1]);
    expect(bits.length).toBe(16384);
    expect(bits[0]).toBe(0x80);
    expect(bits[1]).toBe(0x40);
    expect(bits[bits.length - 1]).toBe(0x01);
    expect([0, 1, 8, 9, 10, STATUS_LIST_BITS - 1].map((i) => bitAt(bits, i))).toEqual([true, false, false, true, false, true]);
    expect(bitAt(bits, STATUS_LIST_BITS + 5)).toBe(false);
    expect(() => bitstringWith([STATUS_LIST_BITS])).toThrow(RangeError);
  });
});
