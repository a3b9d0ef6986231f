import { describe, expect, it } from 'vitest';
import { computeLearningFigures, type FigureInput, type NetworkUnit } from './figures.ts';

const u = (code: string, level: string, parent: string | null, unit_type: string | null = null): NetworkUnit => ({ code, level, parent_code: parent, unit_type, service_line: unit_type === null ? null : unit_type === 'learning_centre' ? 'community' : 'elderly' });
const units: NetworkUnit[] = [
  u('120000', 'city', null), u('120101', 'district', '120000'), u('120102', 'district', '120000'), u('120103', 'district', '120000'),
  // 和平区: two 街镇, one with a 村居 elderly school beneath it, and a model elderly university.
  u('120101001', 'street', '120101', 'learning_centre'), u('120101001001', 'community', '120101001', 'elderly_school'),
  u('120101002', 'street', '120101', 'learning_centre'), u('120101900', 'street', '120101', 'model_elderly_university'),
  // 河东区: one 街镇 that is itself an elderly school; no model university.
  u('120102001', 'street', '120102', 'elderly_school'),
  // 河西区: nothing of the network on record.
];
const base: FigureInput = {
  year: 2024, cityCode: '120000', units,
  elderlyParticipants: new Map([['120101', 30], ['120102', 4]]), cityElderlyParticipants: 34,
  population: new Map([['120101', { value: 60, source: '统计年鉴' }], ['120102', { value: 100, source: '统计年鉴' }], ['120000', { value: 1000, source: '统计年鉴' }]]),
};
const find = (cells: ReturnType<typeof computeLearningFigures>, figure: string, org: string) => cells.find((c) => c.figure === figure && c.org_code === org);

describe('learning-city figures', () => {
  it('老年教育活动参与率: participants ÷ population 60+, withheld under 10 persons, missing (not 0) without events or population', () => {
    const cells = computeLearningFigures(base);
    expect(find(cells, 'elderly_participation_rate', '120101')).toMatchObject({ numerator: 30, denominator: 60, value: 50, suppressed: false });
    expect(find(cells, 'elderly_participation_rate', '120102')).toMatchObject({ numerator: null, value: null, suppressed: true });
    expect(find(cells, 'elderly_participation_rate', '120103')).toMatchObject({ numerator: null, denominator: null, value: null, suppressed: false });
    expect(find(cells, 'elderly_participation_rate', '120000')).toMatchObject({ numerator: 34, value: expect.closeTo(3.4, 9) });
    const noPop = computeLearningFigures({ ...base, population: new Map() });
    expect(find(noPop, 'elderly_participation_rate', '120101')).toMatchObject({ numerator: 30, denominator: null, value: null });
  });

  it('街镇老年教育学校覆盖率 counts a 街镇 covered by itself or a unit beneath it; no 街镇 on record is missing', () => {
    const cells = computeLearningFigures(base);
    // 和平区: 001 (村居 school beneath) and 900 (itself a model university) of 3.
    expect(find(cells, 'street_elderly_school_coverage', '120101')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(find(cells, 'street_elderly_school_coverage', '120102')).toMatchObject({ numerator: 1, denominator: 1, value: 100 });
    expect(find(cells, 'street_elderly_school_coverage', '120103')).toMatchObject({ value: null, denominator: null });
    expect(find(cells, 'street_elderly_school_coverage', '120000')).toMatchObject({ numerator: 3, denominator: 4, value: 75 });
  });

  it('示范性老年大学: a count per district (missing where no network is on record), the share of districts with one for the city', () => {
    const cells = computeLearningFigures(base);
    expect(find(cells, 'model_elderly_universities', '120101')).toMatchObject({ value: 1 });
    expect(find(cells, 'model_elderly_universities', '120102')).toMatchObject({ value: 0 });
    expect(find(cells, 'model_elderly_universities', '120103')).toMatchObject({ value: null });
    expect(find(cells, 'model_elderly_universities', '120000')).toMatchObject({ numerator: 1, denominator: 3 });
    const none = computeLearningFigures({ ...base, units: units.filter((x) => x.unit_type === null) });
    expect(find(none, 'model_elderly_universities', '120000')).toMatchObject({ value: null });
  });

  it('四纵 service lines and 村居 elderly centres from the network units; missing where none is on record', () => {
    const cells = computeLearningFigures(base);
    expect(find(cells, 'service_lines_present', '120101')).toMatchObject({ value: 2, denominator: 4 });
    expect(find(cells, 'service_lines_present', '120102')).toMatchObject({ value: 1 });
    expect(find(cells, 'service_lines_present', '120103')).toMatchObject({ value: null });
    expect(find(cells, 'community_elderly_centres', '120101')).toMatchObject({ value: 1 });
    expect(find(cells, 'community_elderly_centres', '120102')).toMatchObject({ value: 0 });
    expect(find(cells, 'community_elderly_centres', '120000')).toMatchObject({ value: 1 });
  });
});
