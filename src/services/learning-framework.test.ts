import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkLearningFramework } from '../core/learning/framework.ts';

const dir = new URL('../../plans/tianjin-2021-2025/', import.meta.url);
const raw = parse(readFileSync(new URL('learning-city.yaml', dir), 'utf8')) as Record<string, unknown>;
const planText = readFileSync(new URL('source/plan.zh.txt', dir), 'utf8');

describe('learning-city framework file', () => {
  it('has the 12 UNESCO areas (3 benefits, 6 building blocks, 3 fundamental conditions) and passes its checks', () => {
    const { framework, problems } = checkLearningFramework(raw, 'learning-city.yaml');
    expect(problems).toEqual([]);
    const tiers = framework?.areas.map((a) => a.tier) ?? [];
    expect([tiers.filter((t) => t === 'benefits').length, tiers.filter((t) => t === 'building_blocks').length, tiers.filter((t) => t === 'fundamental_conditions').length]).toEqual([3, 6, 3]);
  });

  it('quotes the plan: every item’s source_zh is in the plan text', () => {
    const { framework } = checkLearningFramework(raw, 'learning-city.yaml');
    const flat = planText.replace(/\s+/g, '');
    for (const it of framework?.items ?? []) expect(flat, it.code).toContain(it.source_zh.replace(/\s+/g, ''));
  });

  it('names the plan’s targets: 50 % elderly participation, ≥ 5 million participations, full 街镇 coverage', () => {
    const { framework } = checkLearningFramework(raw, 'learning-city.yaml');
    const target = (code: string) => framework?.items.find((i) => i.code === code)?.target;
    expect(target('elderly_participation_rate')).toMatchObject({ comparator: '>=', value: 50 });
    expect(target('lifelong_learning_participations')).toMatchObject({ value: 5_000_000 });
    expect(target('street_elderly_school_coverage')).toMatchObject({ value: 100 });
  });

  it('refuses an unknown area, a duplicate code and an unknown figure, with the path', () => {
    const items = raw.items as Array<Record<string, unknown>>;
    const bad = { ...raw, items: [...items, { ...items[0], areas: ['X9'] }] };
    expect(checkLearningFramework(bad, 'f.yaml').problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: `items.${items.length}.code`, rule: 'unique' }),
      expect.objectContaining({ path: `items.${items.length}.areas.0`, rule: 'area_known', value: 'X9' }),
    ]));
    const unknownFigure = { ...raw, items: [{ ...items[1], input: { kind: 'figure', figure: 'nothing' } }] };
    expect(checkLearningFramework(unknownFigure, 'f.yaml').problems[0]).toMatchObject({ file: 'f.yaml', path: 'items.0.input.figure' });
  });
});
