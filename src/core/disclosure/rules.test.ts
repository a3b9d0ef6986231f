import { describe, expect, it } from 'vitest';
import { indicatorByCode, indicatorDefinitions } from '../indicators/definitions.ts';
import type { IndicatorDef } from '../indicators/types.ts';
import { countsPersonsOnBothSides, DEFAULT_THRESHOLD, ownRule, suppressionText } from './rules.ts';

const def = (code: string): IndicatorDef => {
  const d = indicatorByCode.get(code);
  if (!d) throw new Error(code);
  return d;
};
/** A cell as the engine makes it: basis = the operand the definition names. */
const cell = (d: IndicatorDef, numerator: number, denominator: number) => ({ numerator, denominator, basis: d.disclosure.operand === 'numerator' ? numerator : denominator });

describe('ownRule', () => {
  it('primary: the counted operand is 1–9; 0 and 10 are published', () => {
    const classes = def('large_class_share');
    expect(ownRule(classes, cell(classes, 3, 9))).toBe('primary');
    expect(ownRule(classes, cell(classes, 3, 10))).toBeNull();
    expect(ownRule(classes, cell(classes, 0, 0))).toBeNull();
  });

  it('attribute: 599 retained of 602 tells that 3 were not; 7 myopic of 42 is a group of 7', () => {
    const retention = def('compulsory_retention_rate');
    expect(ownRule(retention, cell(retention, 599, 602))).toBe('attribute');
    expect(ownRule(retention, cell(retention, 592, 602))).toBeNull();
    const myopia = def('myopia_rate');
    expect(ownRule(myopia, cell(myopia, 7, 42))).toBe('attribute');
    expect(ownRule(myopia, cell(myopia, 10, 42))).toBeNull();
  });

  it('nobody is singled out by 0 of 40 or 40 of 40: published', () => {
    const retention = def('compulsory_retention_rate');
    expect(ownRule(retention, cell(retention, 40, 40))).toBeNull();
    expect(ownRule(retention, cell(retention, 0, 40))).toBeNull();
  });

  it('classes and schools are not persons: 3 large classes of 40 is published', () => {
    const classes = def('large_class_share');
    expect(ownRule(classes, cell(classes, 3, 40))).toBeNull();
  });

  it('published statistics (unit none) are never withheld', () => {
    const years = def('working_age_schooling_years');
    expect(ownRule(years, { numerator: null, denominator: null, basis: null })).toBeNull();
  });

  it('the threshold is a parameter (default 10)', () => {
    const myopia = def('myopia_rate');
    expect(DEFAULT_THRESHOLD).toBe(10);
    expect(ownRule(myopia, cell(myopia, 100, 115), 20)).toBe('attribute');
    expect(ownRule(myopia, cell(myopia, 100, 115))).toBeNull();
  });
});

describe('countsPersonsOnBothSides', () => {
  it('is worked out from the definitions: person counts summed over schools on both sides', () => {
    expect(indicatorDefinitions.filter(countsPersonsOnBothSides).map((d) => d.code).sort()).toEqual([
      'compulsory_retention_rate', 'dual_supervisor_share', 'fitness_good_rate', 'fitness_pass_rate', 'inclusive_preschool_coverage', 'myopia_rate',
      'public_kindergarten_share', 'rural_teacher_bachelor_share', 'university_master_teacher_share', 'vocational_dual_teacher_share',
    ]);
  });
});

describe('suppressionText', () => {
  it('states the rules in force for the indicator, in both languages, without saying which one hid the cell', () => {
    const myopia = suppressionText(def('myopia_rate'));
    expect(myopia.zh).toContain('差值规则');
    expect(myopia.en).toContain('fewer than 10');
    expect(myopia.en).toContain('difference rule');
    expect(myopia.en).toContain('complementary suppression');
    const classes = suppressionText(def('large_class_share'), 20);
    expect(classes.en).toContain('1–19 classes');
    expect(classes.en).not.toContain('difference rule');
  });
});
