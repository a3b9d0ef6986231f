import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../core/errors.ts';
import type { Plan } from '../core/plan/schema.ts';
import { bundledPlanDir } from '../services/plan.ts';
import { readPlanDir } from './plan-files.ts';

let plan: Plan;
let seed: string;
beforeAll(async () => {
  plan = await readPlanDir(bundledPlanDir());
  seed = await readFile(join(bundledPlanDir(), 'source/plan.zh.txt'), 'utf8');
});

/**
 * The table 「“十四五”期间天津教育事业发展主要目标」 as printed in the plan (lines 56–183):
 * name, unit, 2020, 2025 as printed, 指标属性 — and the comparator chosen for each.
 */
const worked: ReadonlyArray<[code: string, name: string, unit: string, baseline: number, printed: string, target: number, comparator: string, nature: string, category: string, direction: string]> = [
  ['preschool_gross_enrolment_rate', '学前三年毛入园率', '%', 92.3, '93', 93, '>=', '预期性', 'access', 'up'],
  ['compulsory_retention_rate', '义务教育巩固率', '%', 99, '＞99', 99, '>', '约束性', 'access', 'up'],
  ['senior_secondary_gross_enrolment_rate', '高中阶段毛入学率', '%', 98, '＞98', 98, '>', '预期性', 'access', 'up'],
  ['higher_ed_gross_enrolment_rate', '高等教育毛入学率', '%', 65, '＞65', 65, '>', '预期性', 'access', 'up'],
  ['higher_ed_students_per_100k', '每十万人口高等教育平均在校生数', '人', 4500, '4500', 4500, 'maintain', '预期性', 'access', 'up'],
  ['working_age_schooling_years', '劳动年龄人口平均受教育年限', '年', 12.03, '12.3', 12.3, '>=', '约束性', 'access', 'up'],
  ['new_workforce_schooling_years', '新增劳动者平均受教育年限', '年', 15.5, '15.5', 15.5, '>=', '预期性', 'access', 'up'],
  ['lifelong_learning_participations', '服务市民终身学习人次', '人次', 3500000, '500万', 5000000, '>=', '预期性', 'access', 'up'],
  ['public_kindergarten_share', '公办园在园幼儿比例', '%', 50, '＞50', 50, '>', '预期性', 'structure', 'up'],
  ['inclusive_preschool_coverage', '普惠性学前教育资源覆盖率', '%', 80, '＞80', 80, '>', '预期性', 'structure', 'up'],
  ['school_district_system_share', '义务教育学区化办学比例', '%', 95, '99', 99, '>=', '预期性', 'structure', 'up'],
  ['large_class_share', '义务教育学校大班额比例', '%', 0, '0', 0, '<=', '预期性', 'structure', 'down'],
  ['rural_teacher_bachelor_share', '农村义务教育专任教师本科及以上学历比例', '%', 87.5, '90', 90, '>=', '预期性', 'structure', 'up'],
  ['balanced_district_share', '义务教育优质均衡区比例', '%', 0, '100', 100, '>=', '预期性', 'quality', 'up'],
  ['fitness_good_rate', '学生体质优良率', '%', 19.9, '50', 50, '>=', '预期性', 'quality', 'up'],
  ['myopia_rate', '儿童青少年总体近视率', '%', 53.5, '48.5', 48.5, '<=', '预期性', 'quality', 'down'],
  ['wireless_coverage_rate', '基础教育无线网覆盖率', '%', 42, '100', 100, '>=', '预期性', 'quality', 'up'],
  ['vocational_dual_teacher_share', '职业教育“双师型”教师占比', '%', 60, '70', 70, '>=', '预期性', 'quality', 'up'],
  ['university_master_teacher_share', '普通高校具有硕士及以上学位的专任教师比例', '%', 73.2, '75', 75, '>=', '预期性', 'quality', 'up'],
  ['dual_supervisor_share', '专业学位研究生双导师比例', '%', 40, '50', 50, '>=', '预期性', 'quality', 'up'],
];

describe('the bundled plan (plans/tianjin-2021-2025)', () => {
  it('has the plan metadata', () => {
    expect(plan.code).toBe('tianjin-2021-2025');
    expect(plan.period).toEqual({ start: 2021, end: 2025 });
    expect(plan.baseline_year).toBe(2020);
    expect(plan.title_zh).toBe('天津市教育现代化“十四五”规划');
  });

  it('has the 20 main indicators in the table order, with the seed\'s baselines, targets and natures', () => {
    expect(plan.indicators.map((i) => i.code)).toEqual(worked.map((w) => w[0]));
    for (const [code, name, unit, baseline, printed, target, comparator, nature, category, direction] of worked) {
      const ind = plan.indicators.find((i) => i.code === code);
      expect(ind, code).toBeDefined();
      if (!ind) continue;
      expect({ code, name: ind.name_zh, unit: ind.unit, baseline: ind.baseline, target: ind.target, nature: ind.nature, category: ind.category, direction: ind.direction }).toEqual({
        code, name, unit, baseline: { year: 2020, value: baseline }, target: { year: 2025, comparator, value: target },
        nature: nature === '约束性' ? 'binding' : 'expected', category, direction,
      });
      // The printed row is in the plan text exactly: name（unit）, 2020, 2025, nature on consecutive lines.
      const printedBaseline = unit === '人次' ? `${baseline / 10000}万` : String(baseline);
      expect(seed, code).toContain(`${name}（${unit}）\n\t${printedBaseline}\n\t${printed}\n\t${nature}`.replace(`${name}（人次）`, name));
      if (comparator === '>') expect(printed.startsWith('＞'), code).toBe(true);
    }
  });

  it('explains every target that equals its baseline', () => {
    const keep = plan.indicators.filter((i) => i.baseline.value === i.target.value);
    expect(keep.map((i) => i.code)).toEqual(['compulsory_retention_rate', 'senior_secondary_gross_enrolment_rate', 'higher_ed_gross_enrolment_rate',
      'higher_ed_students_per_100k', 'new_workforce_schooling_years', 'public_kindergarten_share', 'inclusive_preschool_coverage', 'large_class_share']);
    for (const i of keep) {
      expect(i.comparator_note_zh, i.code).toBeTruthy();
      expect(i.comparator_note_en, i.code).toBeTruthy();
    }
  });

  it('has 2 binding indicators: 义务教育巩固率 and 劳动年龄人口平均受教育年限', () => {
    expect(plan.indicators.filter((i) => i.nature === 'binding').map((i) => i.code)).toEqual(['compulsory_retention_rate', 'working_age_schooling_years']);
  });

  it('has the 11 task areas (一)…(十一) with their sub-tasks and 2025 goals', () => {
    expect(plan.task_areas).toHaveLength(11);
    expect(plan.task_areas.map((a) => a.subtasks.length)).toEqual([4, 4, 4, 4, 4, 4, 3, 5, 3, 4, 6]);
    expect(plan.task_areas.map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const a of plan.task_areas) {
      expect(a.goal_zh, a.code).toMatch(/^到2025年，/);
      expect(seed).toContain(a.goal_zh);
      for (const s of a.subtasks) expect(seed, s.section).toContain(`${s.number}.${s.title_zh}。`);
    }
    const pe = plan.task_areas[1]?.subtasks[1];
    expect(pe?.title_zh).toBe('实施学校体育固本行动');
  });

  it('has the 19 专栏 in order, each attached to its task area', () => {
    expect(plan.projects.map((p) => p.number)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    const area = (n: number): string | undefined => plan.projects.find((p) => p.number === n)?.task_area;
    expect([1, 2, 3, 4].map(area)).toEqual(Array(4).fill('moral_education'));
    expect([6, 7, 8, 9].map(area)).toEqual(Array(4).fill('basic_education'));
    expect(area(19)).toBe('cooperation_opening');
    for (const p of plan.projects) for (const item of p.items_zh) expect(seed, p.section).toContain(item);
  });

  it('专栏2: 500 football schools, 5 满天星 camps, fitness 50 %, myopia ≤ 48.5 %', () => {
    const t = Object.fromEntries((plan.projects[1]?.targets ?? []).map((x) => [x.code, x]));
    expect(t.national_football_schools).toMatchObject({ value: 500, unit: '所', comparator: '>=', year: 2025 });
    expect(t.mantianxing_football_camps).toMatchObject({ value: 5, unit: '个' });
    expect(t.p02_fitness_good_rate).toMatchObject({ value: 50, unit: '%', comparator: '>=', indicator: 'fitness_good_rate' });
    expect(t.p02_myopia_rate).toMatchObject({ value: 48.5, unit: '%', comparator: '<=', indicator: 'myopia_rate' });
    expect(t.pe_daily_exercise_hours).toMatchObject({ value: 1, unit: '小时', comparator: '>=' });
  });

  it('专栏6: a schedule — 4 districts in 2021, 6 in 2022, all 16 by 2023', () => {
    const schedule = (plan.projects[5]?.targets ?? []).filter((x) => x.unit === '个区').map((x) => [x.year, x.value]);
    expect(schedule).toEqual([[2021, 4], [2022, 6], [2023, 16]]);
  });

  it('专栏19: 20 鲁班工坊, 10 of them in Africa', () => {
    expect((plan.projects[18]?.targets ?? []).map((x) => [x.code, x.value])).toEqual([['luban_workshops', 20], ['luban_workshops_africa', 10]]);
  });

  it('has the quantified targets of the running text', () => {
    const t = Object.fromEntries(plan.text_targets.map((x) => [x.code, x]));
    expect(t.fitness_pass_share).toMatchObject({ value: 95, unit: '%', section: '三、(二)2' });
    expect(t.first_class_undergraduate_programmes).toMatchObject({ value: 200 });
    expect(t.first_class_undergraduate_courses).toMatchObject({ value: 200 });
    expect(t.compulsory_places_added).toMatchObject({ value: 160000, comparator: '>' });
  });

  it('quotes the plan verbatim: every source_zh is in the plan text', () => {
    const all = [...plan.projects.flatMap((p) => p.targets), ...plan.text_targets];
    expect(all.length).toBeGreaterThan(60);
    for (const q of all) {
      expect(seed, q.code).toContain(q.source_zh);
      if (q.baseline?.source_zh) expect(seed, q.code).toContain(q.baseline.source_zh);
    }
    for (const i of plan.indicators) expect(seed, i.code).toContain(i.source_zh);
  });
});

describe('a broken plan directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'eduplan-plan-'));
    await cp(bundledPlanDir(), dir, { recursive: true });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const replaceIn = async (file: string, from: string | RegExp, to: string): Promise<void> => {
    const p = join(dir, file);
    const text = await readFile(p, 'utf8');
    const next = text.replace(from, to);
    expect(next, `${file}: ${String(from)}`).not.toBe(text);
    await writeFile(p, next);
  };

  it('lists every problem with its file, path (or line) and a bilingual message', async () => {
    // 1. indicators[3].target.value: not a number
    await replaceIn('indicators.yaml', /(code: higher_ed_gross_enrolment_rate[\s\S]*?target:\n\s+year: 2025\n\s+comparator: ">"\n\s+value: )65/, '$1lots');
    // 2. an unknown comparator in the running-text targets (the first ">=" is text_targets[1])
    await replaceIn('text-targets.yaml', /comparator: ">="/, 'comparator: "≥"');
    // 3. a misspelt key in plan.yaml
    await replaceIn('plan.yaml', 'title_en:', 'titel_en:');
    // 4. a dangling reference (a cross-check) next to the field errors above
    await replaceIn('projects.yaml', 'task_area: moral_education', 'task_area: moral_educaton');
    // 5. a YAML syntax error in tasks.yaml (an unclosed quote)
    await replaceIn('tasks.yaml', /title_en: (.*)\n/, 'title_en: "$1\n');
    const err = await readPlanDir(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EduplanError);
    const e = err as EduplanError;
    expect(e.code).toBe('E_PLAN_INVALID');
    const found = e.problems.map((p) => `${p.file} ${p.path ?? `line ${p.row}`}`);
    expect(found).toEqual(expect.arrayContaining([
      'indicators.yaml indicators[3].target.value',
      'text-targets.yaml text_targets[1].comparator',
      'plan.yaml titel_en',
      'plan.yaml title_en',
    ]));
    // tasks.yaml did not parse, so the reference cannot be checked against it: the
    // dangling task_area is only reported once tasks.yaml is fixed (see the next test),
    // and no project is falsely reported as pointing nowhere.
    expect(e.problems.filter((p) => p.path?.endsWith('.task_area'))).toEqual([]);

    const syntax = e.problems.filter((p) => p.rule === 'yaml_syntax');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0]).toMatchObject({ file: 'tasks.yaml' });
    expect(syntax[0]?.row).toBeGreaterThan(3);
    for (const p of e.problems) {
      expect(p.message_zh, JSON.stringify(p)).toBeTruthy();
      expect(p.message_en).toBeTruthy();
      expect(p.fix_zh).toBeTruthy();
      expect(p.fix_en).toBeTruthy();
    }
    const value = e.problems.find((p) => p.path === 'indicators[3].target.value');
    expect(value).toMatchObject({ value: 'lots', rule: 'invalid_type' });
    expect(value?.row).toBeGreaterThan(60);
    expect(e.problems.find((p) => p.path === 'text_targets[1].comparator')?.message_zh).toMatch(/取值无效/);
  });

  it('reports cross-check problems in the same pass as field errors', async () => {
    // repair tasks.yaml; keep the other damage
    await cp(join(bundledPlanDir(), 'tasks.yaml'), join(dir, 'tasks.yaml'));
    const e = (await readPlanDir(dir).catch((x: unknown) => x)) as EduplanError;
    const found = e.problems.map((p) => `${p.file} ${p.path} ${p.rule}`);
    expect(found).toEqual(expect.arrayContaining([
      'indicators.yaml indicators[3].target.value invalid_type',
      'projects.yaml projects[0].task_area custom',
    ]));
    expect(e.problems.find((p) => p.path === 'projects[0].task_area')?.message_zh).toMatch(/主要任务 "moral_educaton" 不存在/);
    expect(e.problems.some((p) => p.rule === 'yaml_syntax')).toBe(false);
  });

  it('reports a missing file by name', async () => {
    await unlink(join(dir, 'projects.yaml'));
    const e = (await readPlanDir(dir).catch((x: unknown) => x)) as EduplanError;
    expect(e.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'projects.yaml', rule: 'file_missing' })]));
  });

  it('reports a missing directory as E_FILE_NOT_FOUND', async () => {
    await expect(readPlanDir(join(dir, 'nope'))).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' });
  });
});
