import { describe, expect, it } from 'vitest';
import { lenientPlanCrossChecks, planSchema, type Plan } from './schema.ts';

/** A small but complete plan: two indicators, one task area, one 专栏, one text target. */
function smallPlan(): Plan {
  return {
    schema_version: 1,
    code: 'demo-2021-2025',
    title_zh: '示例规划', title_en: 'Demo plan',
    issuer_zh: '示例', issuer_en: 'Demo',
    period: { start: 2021, end: 2025 },
    baseline_year: 2020,
    source_zh: '示例全文',
    categories: [{ code: 'access', name_zh: '普及程度', name_en: 'Access' }, { code: 'quality', name_zh: '发展质量', name_en: 'Quality' }],
    indicators: [
      {
        code: 'fitness_good_rate', category: 'quality', name_zh: '学生体质优良率', name_en: 'Fitness good rate', unit: '%',
        nature: 'expected', direction: 'up', baseline: { year: 2020, value: 19.9 }, target: { year: 2025, comparator: '>=', value: 50 },
        time_basis: 'academic_year', definition_zh: '优良人数÷测试人数', definition_en: 'good+excellent / tested', section: '主要目标表', source_zh: '学生体质优良率（%）',
      },
      {
        code: 'myopia_rate', category: 'quality', name_zh: '近视率', name_en: 'Myopia rate', unit: '%',
        nature: 'expected', direction: 'down', baseline: { year: 2020, value: 53.5 }, target: { year: 2025, comparator: '<=', value: 48.5 },
        time_basis: 'academic_year', definition_zh: '近视人数÷筛查人数', definition_en: 'myopic / screened', section: '主要目标表', source_zh: '儿童青少年总体近视率（%）',
      },
    ],
    task_areas: [{
      code: 'moral_education', number: 2, section: '三、(二)', title_zh: '立德树人', title_en: 'Moral education',
      subtasks: [{ number: 2, section: '三、(二)2', title_zh: '体育', title_en: 'PE', text_zh: '体育。', text_en: 'PE.' }],
    }],
    projects: [{
      code: 'p02', number: 2, section: '专栏2', title_zh: '学校体育固本行动', title_en: 'School PE', task_area: 'moral_education', subtask: 2,
      items_zh: ['学生体质优良率达到50%。'], summary_en: 'Fitness 50%.', text_en: 'Raise the good-or-excellent rate to 50%.',
      targets: [{ code: 'p02_fitness', description_zh: '优良率', description_en: 'good rate', value: 50, unit: '%', comparator: '>=', year: 2025, indicator: 'fitness_good_rate', section: '专栏2', source_zh: '学生体质优良率达到50%', data_path: { kind: 'indicator', indicator: 'fitness_good_rate' } }],
    }],
    text_targets: [{ code: 'fitness_pass_share', description_zh: '及格率', description_en: 'pass share', value: 95, unit: '%', comparator: '>=', year: 2025, section: '三、(二)2', source_zh: '95%的学生达到…', data_path: { kind: 'entered' } }],
    registries: [],
  };
}

const messages = (v: unknown): Array<{ path: string; message: string }> => {
  const r = planSchema.safeParse(v);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
};

describe('planSchema', () => {
  it('accepts a complete small plan', () => {
    expect(messages(smallPlan())).toEqual([]);
  });

  it('rejects unknown fields (a typo is never silently ignored)', () => {
    const p = smallPlan() as unknown as { indicators: Array<Record<string, unknown>> };
    p.indicators[0]!.traget = { year: 2025 };
    expect(messages(p)).toEqual([expect.objectContaining({ path: 'indicators.0', message: expect.stringMatching(/traget/) })]);
  });

  it('rejects a comparator outside the six allowed', () => {
    const p = smallPlan();
    (p.indicators[0]!.target as { comparator: string }).comparator = '≥';
    expect(messages(p).map((m) => m.path)).toEqual(['indicators.0.target.comparator']);
  });

  it('cross-checks: every rule violated is reported with its path', () => {
    const p = smallPlan();
    p.indicators[1]!.code = 'fitness_good_rate'; // duplicate code
    p.indicators[0]!.target.comparator = '<'; // contradicts direction up
    p.indicators[0]!.baseline.year = 2025; // baseline not before target
    p.projects[0]!.task_area = 'nowhere'; // dangling reference
    p.text_targets[0]!.code = 'p02_fitness'; // target codes are one namespace
    p.text_targets[0]!.year = 2030; // outside the period
    const paths = messages(p).map((m) => m.path).sort();
    expect(paths).toEqual([
      'indicators.0.target.comparator',
      'indicators.0.target.year',
      'indicators.1.code',
      'projects.0.task_area',
      'text_targets.0.code',
      'text_targets.0.year',
    ].sort());
  });

  it('requires a reason when a target equals its baseline, and "maintain" to equal the baseline', () => {
    const p = smallPlan();
    p.indicators[0]!.target = { year: 2025, comparator: 'maintain', value: 19.9 };
    expect(messages(p).map((m) => m.path)).toEqual(['indicators.0.comparator_note_zh']);
    p.indicators[0]!.comparator_note_zh = '保持';
    p.indicators[0]!.comparator_note_en = 'keep';
    expect(messages(p)).toEqual([]);
    p.indicators[0]!.target.value = 20;
    expect(messages(p)).toEqual([expect.objectContaining({ path: 'indicators.0.target.value', message: expect.stringMatching(/maintain/) })]);
  });

  it('rejects a target that moves against the direction of improvement and percentages over 100', () => {
    const p = smallPlan();
    p.indicators[1]!.target.value = 60; // myopia (down) target above its baseline 53.5
    p.projects[0]!.targets[0]!.value = 150;
    expect(messages(p).map((m) => m.path).sort()).toEqual(['indicators.1.target.value', 'projects.0.targets.0.value']);
  });

  it('rejects a sub-task reference that does not exist and a range whose max is not above its value', () => {
    const p = smallPlan();
    p.projects[0]!.subtask = 7;
    p.text_targets[0]!.value_max = 95;
    expect(messages(p).map((m) => m.path).sort()).toEqual(['projects.0.subtask', 'text_targets.0.value_max']);
  });

  it('carries a Chinese message with every cross-check', () => {
    const p = smallPlan();
    p.projects[0]!.task_area = 'nowhere';
    const r = planSchema.safeParse(p);
    expect(r.success).toBe(false);
    const issue = r.error?.issues[0];
    expect(issue?.code).toBe('custom');
    expect((issue as { params?: { message_zh?: string } }).params?.message_zh).toMatch(/主要任务 "nowhere" 不存在/);
  });

  it('lenient cross-checks find dangling references next to field errors, at the original indices', () => {
    const p = smallPlan() as unknown as { indicators: Array<Record<string, unknown>>; projects: Array<{ task_area: string }> };
    p.indicators[0]!.unit = 'percent'; // a field error: indicators[0] is left out of the cross-checks…
    p.projects[0]!.task_area = 'nowhere';
    // …but zod reports only the field error, since refinements do not run on invalid input
    expect(messages(p).map((m) => m.path)).toEqual(['indicators.0.unit']);
    const issues = lenientPlanCrossChecks(p);
    // the project's target still refers to fitness_good_rate, which exists (though invalid): no false alarm
    expect(issues.map((i) => i.path.join('.'))).toEqual(['projects.0.task_area']);
  });

  it('lenient cross-checks skip references into a part that could not be read at all', () => {
    const p = smallPlan() as unknown as Record<string, unknown>;
    delete p.task_areas;
    delete p.indicators;
    expect(lenientPlanCrossChecks(p)).toEqual([]);
  });
});

describe('planSchema: data paths and registries', () => {
  const luban = {
    id: 'luban_workshops', name_zh: '鲁班工坊', name_en: 'Luban Workshops', maintainer: 'city' as const,
    in_effect: { from: 'opened_year', until: 'closed_year' }, document: 'required' as const,
    fields: [
      { key: 'name_zh', type: 'text' as const, label_zh: '名称', label_en: 'Name', required: true },
      { key: 'continent', type: 'choice' as const, label_zh: '大洲', label_en: 'Continent', required: true, choices: [{ value: 'africa', label_zh: '非洲', label_en: 'Africa' }, { value: 'asia', label_zh: '亚洲', label_en: 'Asia' }] },
      { key: 'opened_year', type: 'year' as const, label_zh: '建成年份', label_en: 'Opened', required: true },
      { key: 'closed_year', type: 'year' as const, label_zh: '关闭年份', label_en: 'Closed' },
    ],
  };
  const withRegistryTarget = (dataPath: Record<string, unknown>): Plan => {
    const p = smallPlan();
    p.registries = [luban];
    p.text_targets[0]!.unit = '个';
    p.text_targets[0]!.value = 10;
    (p.text_targets[0] as { data_path: unknown }).data_path = dataPath;
    return p;
  };

  it('accepts a registry and a target counting it with a filter', () => {
    expect(messages(withRegistryTarget({ kind: 'registry', registry: 'luban_workshops', filter: { continent: ['africa'] } }))).toEqual([]);
  });

  it('requires a data path on every quantified target (never tracked by nothing)', () => {
    const p = smallPlan() as unknown as { text_targets: Array<Record<string, unknown>> };
    delete p.text_targets[0]!.data_path;
    expect(messages(p).map((m) => m.path)).toEqual(['text_targets.0.data_path']);
  });

  it('reports a data path to an unknown registry, field, choice or indicator, each at its path', () => {
    expect(messages(withRegistryTarget({ kind: 'registry', registry: 'luban' })).map((m) => m.path)).toEqual(['text_targets.0.data_path.registry']);
    expect(messages(withRegistryTarget({ kind: 'registry', registry: 'luban_workshops', filter: { region: ['africa'], continent: ['antarctica'] } })).map((m) => m.path).sort())
      .toEqual(['text_targets.0.data_path.filter.continent', 'text_targets.0.data_path.filter.region']);
    expect(messages(withRegistryTarget({ kind: 'registry', registry: 'luban_workshops', rule: 'sum', field: 'continent' })).map((m) => m.path)).toEqual(['text_targets.0.data_path.field']);
    expect(messages(withRegistryTarget({ kind: 'registry', registry: 'luban_workshops', rule: 'coverage' })).map((m) => m.path).sort()).toEqual(['text_targets.0.data_path.coverage', 'text_targets.0.data_path.judged_as']);
    expect(messages(withRegistryTarget({ kind: 'indicator', indicator: 'no_such_indicator' })).map((m) => m.path)).toEqual(['text_targets.0.data_path.indicator']);
    // A supplementary definition (not a main indicator of this plan) is a valid data path.
    expect(messages(withRegistryTarget({ kind: 'indicator', indicator: 'fitness_pass_rate' }))).toEqual([]);
  });

  it('a target restating a main indicator must read that indicator', () => {
    const p = smallPlan();
    p.projects[0]!.targets[0]!.data_path = { kind: 'entered' };
    expect(messages(p).map((m) => m.path)).toEqual(['projects.0.targets.0.data_path']);
  });

  it('checks a registry definition: year fields, a required in-effect field, the district scope field', () => {
    const p = withRegistryTarget({ kind: 'registry', registry: 'luban_workshops' });
    p.registries[0] = { ...luban, maintainer: 'district', in_effect: { from: 'continent', until: 'nowhere' } };
    expect(messages(p).map((m) => m.path).sort()).toEqual(['registries.0.in_effect.from', 'registries.0.in_effect.until', 'registries.0.scope_field']);
  });

  it('allows non_decreasing (稳中有升) for quantified targets but not for main indicators', () => {
    const p = smallPlan();
    p.text_targets[0]!.comparator = 'non_decreasing';
    expect(messages(p)).toEqual([]);
    (p.indicators[0]!.target as { comparator: string }).comparator = 'non_decreasing';
    expect(messages(p).map((m) => m.path)).toEqual(['indicators.0.target.comparator']);
  });
});
