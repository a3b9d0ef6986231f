import { describe, expect, it } from 'vitest';
import { computeLearningFigures } from '../core/learning/figures.ts';
import { demoLearningCity } from './learning-city.ts';

const districts = Array.from({ length: 16 }, (_, i) => ({ code: `1201${String(i + 1).padStart(2, '0')}`, name_zh: `区${i + 1}`, name_en: `D${i + 1}` }));
const popTotal = [...districts.map((d) => ({ org_code: d.code, year: 2024, value: 100_000 })), { org_code: '120000', year: 2024, value: 1_600_000 }];

describe('demo learning-city network', () => {
  it('covers most 街镇 with an elderly school and most districts with a model elderly university, not all', () => {
    const demo = demoLearningCity(districts, popTotal);
    const units = [{ code: '120000', level: 'city', parent_code: null, unit_type: null }, ...districts.map((d) => ({ code: d.code, level: 'district', parent_code: '120000', unit_type: null })), ...demo.units];
    const cells = computeLearningFigures({ year: 2024, cityCode: '120000', units, elderlyParticipants: new Map(), cityElderlyParticipants: null, population: new Map() });
    const city = (f: string) => cells.find((c) => c.figure === f && c.org_code === '120000');
    expect(city('model_elderly_universities')).toMatchObject({ numerator: 14, denominator: 16 });
    const coverage = city('street_elderly_school_coverage');
    expect(coverage?.value).toBeGreaterThan(90);
    expect(coverage?.value).toBeLessThan(100);
    expect(new Set(demo.units.map((u) => u.code)).size).toBe(demo.units.length);
  });

  it('gives the 60+ population as a share of the total, with a source saying it is simulated', () => {
    const { population } = demoLearningCity(districts, popTotal);
    expect(population.find((p) => p.org_code === '120000')).toMatchObject({ code: 'pop.age60_plus', value: 1_600_000 * 0.23 });
    for (const p of population) expect(p.source).toContain('演示数据');
  });
});
