import { describe, expect, it } from 'vitest';
import { indicatorByCode } from '../indicators/definitions.ts';
import type { EngineOrgUnit } from '../indicators/engine.ts';
import type { RatioIndicator } from '../indicators/types.ts';
import { dimensionRest, operandSignature, partitionsTotal, schoolContribution } from './operands.ts';

const ratio = (code: string): RatioIndicator => {
  const d = indicatorByCode.get(code);
  if (!d || d.kind !== 'ratio') throw new Error(code);
  return d;
};
const kindergarten = (ownership: 'public' | 'private', inclusive: boolean): EngineOrgUnit =>
  ({ code: 'K', level: 'school', parent_code: null, school_type: 'kindergarten', ownership, inclusive, urban_rural: 'urban' });

describe('operandSignature: the same quantity from the definitions', () => {
  it('kindergarten enrolment is one quantity in 毛入园率, 公办园比例 and 普惠覆盖率', () => {
    const ger = operandSignature(ratio('preschool_gross_enrolment_rate').numerator);
    expect(ger).not.toBeNull();
    expect(operandSignature(ratio('public_kindergarten_share').denominator)).toBe(ger);
    expect(operandSignature(ratio('inclusive_preschool_coverage').denominator)).toBe(ger);
    expect(operandSignature(ratio('public_kindergarten_share').numerator)).not.toBe(ger);
  });

  it('a population denominator is not a sum over schools', () => {
    expect(operandSignature(ratio('preschool_gross_enrolment_rate').denominator)).toBeNull();
  });
});

describe('schoolContribution: where two definitions coincide', () => {
  it('a public kindergarten adds the same children to 公办园 and to all children; a private one adds none to 公办园', () => {
    const pub = schoolContribution(ratio('public_kindergarten_share').numerator);
    const all = schoolContribution(ratio('public_kindergarten_share').denominator);
    if (!pub || !all) throw new Error('sums expected');
    expect(pub(kindergarten('public', true))).toBe(all(kindergarten('public', true)));
    expect(pub(kindergarten('private', true))).toBe('');
    expect(all(kindergarten('private', true))).not.toBe('');
  });
});

describe('partitionsTotal', () => {
  it('boys + girls and the stages partition 体质优良率 and 近视率 (age 6 = 大班 k3)', () => {
    for (const code of ['fitness_good_rate', 'myopia_rate']) {
      const d = ratio(code);
      const dis = d.disaggregations ?? [];
      for (const op of [d.numerator, d.denominator]) {
        expect(partitionsTotal(op, dis.filter((x) => x.key.startsWith('sex:')))).toBe(true);
        expect(partitionsTotal(op, dis.filter((x) => x.key.startsWith('stage:')))).toBe(true);
      }
    }
  });

  it('girls alone, or 近视率 without the age-6 stage, do not; with the dimension’s rest they do', () => {
    const d = ratio('myopia_rate');
    const girls = (d.disaggregations ?? []).filter((x) => x.key === 'sex:f');
    expect(partitionsTotal(d.denominator, girls)).toBe(false);
    const rest = dimensionRest('sex', girls);
    expect(rest?.sexes).toEqual(['m']);
    expect(partitionsTotal(d.denominator, [...girls, ...(rest ? [rest] : [])])).toBe(true);
    const school = (d.disaggregations ?? []).filter((x) => x.key.startsWith('stage:') && x.key !== 'stage:age6');
    expect(partitionsTotal(d.denominator, school)).toBe(false);
    const stageRest = dimensionRest('stage', school);
    expect(partitionsTotal(d.denominator, [...school, ...(stageRest ? [stageRest] : [])])).toBe(true);
  });
});
