import { describe, expect, it } from 'vitest';
import { assessmentCriteria } from '../core/standards/balanced/criteria.ts';
import { combine, evaluateItems, itemPartVerdicts, validateEntries } from '../core/standards/balanced/items.ts';
import { demoBalancedAssessments } from './assessments.ts';

describe('demo 优质均衡 records (和平区)', () => {
  const defs = assessmentCriteria.balanced.items;
  const demo = demoBalancedAssessments(defs);

  it('enter every item of the criteria, each met, so that the items part of the verdict passes', () => {
    expect(demo.map((a) => [a.district, a.year])).toEqual([['120101', 2024], ['120101', 2025]]);
    for (const a of demo) {
      // Through the same validation as `eduplan assess enter`.
      const entries = validateEntries(defs, { entries: a.entries });
      expect(entries.map((e) => e.code).sort()).toEqual(defs.map((d) => d.code).sort());
      const items = evaluateItems(defs, entries);
      expect(items.filter((i) => i.status !== 'met').map((i) => i.code)).toEqual([]);
      expect(combine(itemPartVerdicts(items).map((p) => p.status))).toBe('pass');
    }
  });

  it('walk 2024 through the whole workflow in order, ending certified', () => {
    const steps = demo[0]?.steps ?? [];
    expect(steps.map((s) => s.action)).toEqual(['self_evaluate', 'city_assess', 'submit', 'certify']);
    const dates = steps.map((s) => s.on_date);
    expect([...dates].sort()).toEqual(dates);
    expect(demo[1]?.steps).toEqual([]);
  });
});
