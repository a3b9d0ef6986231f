/**
 * The plan as data (规划数据): a zod schema for one plan document — its metadata, the
 * main indicators (主要指标) with baseline and target, the task areas (主要任务) with
 * their numbered sub-tasks, the 专栏 projects with every quantified target, and the
 * quantified targets that appear only in the running text (正文量化目标).
 *
 * Any other plan of the same shape (another province, the 15th FYP) is a new document
 * that passes this schema; nothing here is specific to Tianjin's numbers.
 *
 * The cross-checks in `superRefine` catch what a per-field schema cannot: duplicate
 * codes, a project pointing at a task area that does not exist, a comparator that
 * contradicts the indicator's direction, a baseline after its target.
 */
import { z } from 'zod';
import { indicatorByCode as definitionByCode } from '../indicators/definitions.ts';
import { dataPathSchema, targetComparators, type DataPath } from './data-path.ts';
import { registryDefinitionIssues, registrySchema, type Registry } from './registry.ts';

/** `maintain` = keep at or beyond the baseline level every year (保持), see docs/plan-format.md. */
export const comparators = ['>', '>=', '=', '<=', '<', 'maintain'] as const;
export const comparatorSchema = z.enum(comparators);
export type Comparator = z.infer<typeof comparatorSchema>;

/** Comparators that make sense for each direction of improvement (越高越好 / 越低越好). */
export const comparatorsForDirection: Readonly<Record<'up' | 'down', readonly Comparator[]>> = {
  up: ['>', '>=', '=', 'maintain'],
  down: ['<', '<=', '=', 'maintain'],
};

const text = z.string().trim().min(1, { message: 'must not be empty' });
const code = z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'must be lower_snake_case (a–z, 0–9, _), starting with a letter' });
const year = z.number().int().min(1949).max(2100);
const finite = z.number().finite();

export const categoryCodes = ['access', 'structure', 'quality'] as const;
export const indicatorUnits = ['%', '人', '年', '人次'] as const;

export const categorySchema = z.strictObject({
  code: z.enum(categoryCodes),
  name_zh: text,
  name_en: text,
});

export const targetSchema = z.strictObject({
  year,
  comparator: comparatorSchema,
  value: finite,
});
export type Target = z.infer<typeof targetSchema>;

export const indicatorSchema = z.strictObject({
  code,
  /** 普及程度 access / 结构优化 structure / 发展质量 quality. */
  category: z.enum(categoryCodes),
  name_zh: text,
  name_en: text,
  unit: z.enum(indicatorUnits),
  /** 约束性 binding / 预期性 expected. */
  nature: z.enum(['binding', 'expected']),
  direction: z.enum(['up', 'down']),
  baseline: z.strictObject({ year, value: finite }),
  target: targetSchema,
  /** Why this comparator was chosen where the seed leaves it open (e.g. a target equal to its baseline). */
  comparator_note_zh: text.optional(),
  comparator_note_en: text.optional(),
  /** Statistics date 1 Sep (academic year) or a calendar-year source (census, annual counts). */
  time_basis: z.enum(['academic_year', 'calendar_year']),
  definition_zh: text,
  definition_en: text,
  /** Where the definition comes from. */
  definition_ref: text.optional(),
  section: text,
  /** The seed's words, verbatim. */
  source_zh: text,
});
export type PlanIndicator = z.infer<typeof indicatorSchema>;

export const quantifiedTargetSchema = z.strictObject({
  code,
  description_zh: text,
  description_en: text,
  value: finite,
  /** Upper end of a range in the seed (`1—2项`, `2—3个`). */
  value_max: finite.optional(),
  /** The seed says 左右 (about). */
  approximate: z.boolean().optional(),
  unit: text,
  /** The indicators' comparators and `non_decreasing` (稳中有升 / 只增不减: never below the previous year). */
  comparator: z.enum(targetComparators),
  /** Target year given by the seed, else the plan's end year. */
  year,
  /** A level the seed states as the starting point, where it gives one. */
  baseline: z.strictObject({ year, value: finite, source_zh: text.optional() }).optional(),
  /** A main indicator this target restates. */
  indicator: code.optional(),
  note_zh: text.optional(),
  note_en: text.optional(),
  /** e.g. `专栏6`, `三、(二)2`. */
  section: text,
  source_zh: text,
  /** How the target gets a value per year (src/core/plan/data-path.ts): never tracked by nothing. */
  data_path: dataPathSchema,
});
export type QuantifiedTarget = z.infer<typeof quantifiedTargetSchema>;

export const subtaskSchema = z.strictObject({
  number: z.number().int().min(1),
  section: text,
  title_zh: text,
  title_en: text,
  text_zh: text,
  /** The paragraph in English. */
  text_en: text,
});
export type SubTask = z.infer<typeof subtaskSchema>;

export const taskAreaSchema = z.strictObject({
  code,
  number: z.number().int().min(1),
  section: text,
  title_zh: text,
  title_en: text,
  /** The area's 到2025年… sentence, where present. */
  goal_zh: text.optional(),
  goal_en: text.optional(),
  subtasks: z.array(subtaskSchema).min(1),
});
export type TaskArea = z.infer<typeof taskAreaSchema>;

export const projectSchema = z.strictObject({
  code,
  /** 专栏 number. */
  number: z.number().int().min(1),
  section: text,
  title_zh: text,
  title_en: text,
  /** Code of the task area (主要任务) the 专栏 sits in. */
  task_area: code,
  /** Number of the sub-task the 专栏 follows. */
  subtask: z.number().int().min(1).optional(),
  /** The 专栏 text, sentence by sentence, verbatim. */
  items_zh: z.array(text).min(1),
  /** One-paragraph English summary, and the full 专栏 text in English. */
  summary_en: text,
  text_en: text,
  targets: z.array(quantifiedTargetSchema),
});
export type Project = z.infer<typeof projectSchema>;

const planShape = z.strictObject({
  schema_version: z.literal(1),
  code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: 'must be lower-case-with-dashes' }),
  title_zh: text,
  title_en: text,
  issuer_zh: text,
  issuer_en: text,
  period: z.strictObject({ start: year, end: year }),
  baseline_year: year,
  /** The document the plan was transcribed from. */
  source_zh: text,
  categories: z.array(categorySchema).min(1),
  indicators: z.array(indicatorSchema).min(1),
  task_areas: z.array(taskAreaSchema).min(1),
  projects: z.array(projectSchema),
  text_targets: z.array(quantifiedTargetSchema),
  /** Registries (名录) the targets count (registries.yaml); versions stored before registries existed have none. */
  registries: z.array(registrySchema).default([]),
});

export interface PlanIssue {
  readonly path: (string | number)[];
  readonly message_en: string;
  readonly message_zh: string;
}

/** Cross-field rules; each issue carries the path of the offending field. */
/**
 * Codes a reference may point at. `null` = that part of the document is unreadable, so
 * references into it are not checked (they would all be reported as dangling).
 */
export interface KnownCodes {
  readonly categories: ReadonlySet<string> | null;
  readonly indicators: ReadonlySet<string> | null;
  readonly task_areas: ReadonlySet<string> | null;
  readonly registries?: ReadonlySet<string> | null;
}

export function planCrossChecks(plan: z.infer<typeof planShape>, known?: KnownCodes): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (path: (string | number)[], message_en: string, message_zh: string): void => {
    issues.push({ path, message_en, message_zh });
  };
  const { start, end } = plan.period;
  if (start > end) add(['period', 'end'], `period end ${end} is before start ${start}`, `规划期结束年 ${end} 早于开始年 ${start}`);
  if (plan.baseline_year >= start) add(['baseline_year'], `baseline year ${plan.baseline_year} must be before the period start ${start}`, `基期年 ${plan.baseline_year} 须早于规划期开始年 ${start}`);

  const dup = <T>(items: readonly T[], key: (t: T) => string | number, path: (i: number) => (string | number)[], what: string, whatZh: string): void => {
    const seen = new Map<string | number, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined) add(path(i), `duplicate ${what} "${k}" (first at index ${first})`, `${whatZh} "${k}" 重复（首次出现在第 ${first} 项，从0计）`);
      else seen.set(k, i);
    });
  };
  dup(plan.categories, (c) => c.code, (i) => ['categories', i, 'code'], 'category code', '类别代码');
  dup(plan.indicators, (x) => x.code, (i) => ['indicators', i, 'code'], 'indicator code', '指标代码');
  dup(plan.task_areas, (x) => x.code, (i) => ['task_areas', i, 'code'], 'task area code', '主要任务代码');
  dup(plan.task_areas, (x) => x.number, (i) => ['task_areas', i, 'number'], 'task area number', '主要任务序号');
  dup(plan.projects, (x) => x.code, (i) => ['projects', i, 'code'], 'project code', '专栏代码');
  dup(plan.projects, (x) => x.number, (i) => ['projects', i, 'number'], 'project (专栏) number', '专栏序号');
  plan.task_areas.forEach((a, ai) => dup(a.subtasks, (s) => s.number, (i) => ['task_areas', ai, 'subtasks', i, 'number'], 'sub-task number', '子任务序号'));

  // Target codes are one namespace: progress reports and the API address them by code alone.
  const targetCodes = new Map<string, string>();
  // `.filter(() => true)` drops the holes of a sparse list (see lenientPlanCrossChecks).
  const categoryCodesInPlan = new Set(plan.categories.filter(() => true).map((c) => c.code));
  const indicatorByCode = new Map(plan.indicators.filter(() => true).map((x) => [x.code, x]));

  plan.indicators.forEach((ind, i) => {
    const at = (...p: (string | number)[]): (string | number)[] => ['indicators', i, ...p];
    const knownCategories = known ? known.categories : categoryCodesInPlan;
    if (knownCategories && !knownCategories.has(ind.category)) add(at('category'), `category "${ind.category}" is not listed in categories`, `类别 "${ind.category}" 未在 categories 中列出`);
    if (ind.baseline.year >= ind.target.year) add(at('target', 'year'), `target year ${ind.target.year} must be after baseline year ${ind.baseline.year}`, `目标年 ${ind.target.year} 须晚于基期年 ${ind.baseline.year}`);
    if (ind.target.year < start || ind.target.year > end) add(at('target', 'year'), `target year ${ind.target.year} is outside the plan period ${start}–${end}`, `目标年 ${ind.target.year} 不在规划期 ${start}–${end} 内`);
    if (!comparatorsForDirection[ind.direction].includes(ind.target.comparator)) {
      const allowed = comparatorsForDirection[ind.direction].join(' ');
      add(at('target', 'comparator'), `comparator "${ind.target.comparator}" contradicts direction "${ind.direction}" (allowed: ${allowed})`, `比较符 "${ind.target.comparator}" 与方向 "${ind.direction}" 矛盾（可用：${allowed}）`);
    }
    const b = ind.baseline.value;
    const t = ind.target.value;
    if (ind.target.comparator === 'maintain' && b !== t) add(at('target', 'value'), `"maintain" needs the target value to equal the baseline (${b}), got ${t}`, `"maintain"（保持）要求目标值等于基数 ${b}，实际为 ${t}`);
    if (ind.direction === 'up' && t < b) add(at('target', 'value'), `direction is up but the target ${t} is below the baseline ${b}`, `方向为越高越好，但目标值 ${t} 低于基数 ${b}`);
    if (ind.direction === 'down' && t > b) add(at('target', 'value'), `direction is down but the target ${t} is above the baseline ${b}`, `方向为越低越好，但目标值 ${t} 高于基数 ${b}`);
    if (ind.unit === '%') {
      if (b < 0 || b > 100) add(at('baseline', 'value'), `a percentage must be within 0–100, got ${b}`, `百分比须在 0–100 之间，实际为 ${b}`);
      if (t < 0 || t > 100) add(at('target', 'value'), `a percentage must be within 0–100, got ${t}`, `百分比须在 0–100 之间，实际为 ${t}`);
    }
    if ((ind.comparator_note_zh === undefined) !== (ind.comparator_note_en === undefined)) {
      add(at(ind.comparator_note_zh === undefined ? 'comparator_note_zh' : 'comparator_note_en'), 'comparator notes come in pairs: give both _zh and _en', '比较符说明须中英文成对给出（_zh 与 _en）');
    }
    if (b === t && ind.comparator_note_zh === undefined) add(at('comparator_note_zh'), 'the target equals its baseline: say why this comparator was chosen (comparator_note_zh/_en)', '目标值等于基数：须在 comparator_note_zh/_en 中说明比较符的取法');
  });

  const checkTarget = (q: QuantifiedTarget, path: (string | number)[]): void => {
    const prior = targetCodes.get(q.code);
    if (prior !== undefined) add([...path, 'code'], `duplicate target code "${q.code}" (also at ${prior})`, `目标代码 "${q.code}" 重复（另见 ${prior}）`);
    else targetCodes.set(q.code, path.join('.'));
    if (q.year < start || q.year > end) add([...path, 'year'], `target year ${q.year} is outside the plan period ${start}–${end}`, `目标年 ${q.year} 不在规划期 ${start}–${end} 内`);
    if (q.value_max !== undefined && q.value_max <= q.value) add([...path, 'value_max'], `value_max ${q.value_max} must be greater than value ${q.value}`, `区间上限 value_max ${q.value_max} 须大于 value ${q.value}`);
    if (q.unit === '%' && (q.value < 0 || q.value > 100)) add([...path, 'value'], `a percentage must be within 0–100, got ${q.value}`, `百分比须在 0–100 之间，实际为 ${q.value}`);
    if (q.baseline && q.baseline.year >= q.year) add([...path, 'baseline', 'year'], `baseline year ${q.baseline.year} must be before target year ${q.year}`, `基期年 ${q.baseline.year} 须早于目标年 ${q.year}`);
    if (q.indicator !== undefined) {
      const ind = indicatorByCode.get(q.indicator);
      const knownIndicators = known ? known.indicators : new Set(indicatorByCode.keys());
      if (!ind) {
        if (knownIndicators && !knownIndicators.has(q.indicator)) add([...path, 'indicator'], `indicator "${q.indicator}" is not one of the plan's indicators`, `指标 "${q.indicator}" 不是本规划的主要指标`);
      } else if (ind.unit !== q.unit) add([...path, 'unit'], `unit "${q.unit}" differs from indicator ${ind.code}'s unit "${ind.unit}"`, `单位 "${q.unit}" 与指标 ${ind.code} 的单位 "${ind.unit}" 不一致`);
      if (q.data_path.kind !== 'indicator' || q.data_path.indicator !== q.indicator) {
        add([...path, 'data_path'], `the target restates indicator ${q.indicator}: its data_path must be {kind: indicator, indicator: ${q.indicator}}`, `该目标重述主要指标 ${q.indicator}：data_path 须为 {kind: indicator, indicator: ${q.indicator}}`);
      }
    }
    checkDataPath(q, [...path, 'data_path']);
  };

  // `.filter(() => true)` drops the holes of a sparse list (see lenientPlanCrossChecks).
  const registryById = new Map<string, Registry>(plan.registries.filter(() => true).map((r) => [r.id, r]));
  const checkDataPath = (q: QuantifiedTarget, path: (string | number)[]): void => {
    const dp: DataPath = q.data_path;
    if (dp.judged_as?.unit === '%' && (dp.judged_as.value < 0 || dp.judged_as.value > 100)) add([...path, 'judged_as', 'value'], `a percentage must be within 0–100, got ${dp.judged_as.value}`, `百分比须在 0–100 之间，实际为 ${dp.judged_as.value}`);
    if (dp.kind === 'indicator') {
      const planIndicators = known ? known.indicators : new Set(indicatorByCode.keys());
      // indicators.yaml unreadable: the reference is checked once it parses.
      if (planIndicators !== null && !planIndicators.has(dp.indicator) && !definitionByCode.has(dp.indicator)) {
        add([...path, 'indicator'], `indicator "${dp.indicator}" is neither a main indicator of the plan nor a definition in src/core/indicators/definitions.ts`, `指标 "${dp.indicator}" 既不是本规划的主要指标，也不是平台已定义的指标`);
      }
      return;
    }
    if (dp.kind === 'entered') return;
    const knownRegistries = known?.registries === undefined ? new Set(registryById.keys()) : known.registries;
    const reg = registryById.get(dp.registry);
    if (!reg) {
      if (knownRegistries && !knownRegistries.has(dp.registry)) add([...path, 'registry'], `registry "${dp.registry}" is not declared in registries.yaml (declared: ${[...registryById.keys()].join(', ') || 'none'})`, `名录 "${dp.registry}" 未在 registries.yaml 中声明（已有：${[...registryById.keys()].join('、') || '无'}）`);
      return;
    }
    const field = (key: string) => reg.fields.find((f) => f.key === key);
    for (const [key, values] of Object.entries(dp.filter ?? {})) {
      const f = field(key);
      if (!f) { add([...path, 'filter', key], `registry ${reg.id} has no field "${key}"`, `名录 ${reg.id} 没有字段 "${key}"`); continue; }
      if (f.type === 'choice') {
        for (const v of values) if (!f.choices.some((c) => c.value === v)) add([...path, 'filter', key], `"${String(v)}" is not a choice of ${reg.id}.${key} (${f.choices.map((c) => c.value).join(', ')})`, `"${String(v)}" 不是 ${reg.id}.${key} 的选项（${f.choices.map((c) => c.value).join('、')}）`);
      }
    }
    const rule = dp.rule ?? 'count';
    if (rule === 'sum') {
      const f = dp.field === undefined ? undefined : field(dp.field);
      if (!f || (f.type !== 'integer' && f.type !== 'number')) add([...path, 'field'], `rule "sum" needs field: an integer or number field of ${reg.id}`, `规则 sum 须指定 field：名录 ${reg.id} 的整数或数值字段`);
    }
    if (dp.years === 'window' && dp.window === undefined) add([...path, 'window'], 'years "window" needs window: the number of years', '按时间窗口计数（years: window）须指定 window（年数）');
    if (rule === 'coverage') {
      const f = dp.coverage === undefined ? undefined : field(dp.coverage.field);
      if (!dp.coverage || !f || f.type !== 'org' || f.level !== dp.coverage.level) add([...path, 'coverage'], `rule "coverage" needs coverage: {field, level}, the field an org field of ${reg.id} at that level`, `规则 coverage 须指定 coverage：{field, level}，field 为名录 ${reg.id} 中该层级的机构字段`);
      if (dp.judged_as?.unit !== '%') add([...path, 'judged_as'], 'rule "coverage" gives a share of org units: judged_as must state the share, in %', '规则 coverage 的数值为机构覆盖比例：须用 judged_as 给出以 % 表示的目标');
    }
  };

  const areaByCode = new Map(plan.task_areas.filter(() => true).map((a) => [a.code, a]));
  plan.projects.forEach((p, i) => {
    const area = areaByCode.get(p.task_area);
    const knownAreas = known ? known.task_areas : new Set(areaByCode.keys());
    if (!area) {
      if (knownAreas && !knownAreas.has(p.task_area)) add(['projects', i, 'task_area'], `task area "${p.task_area}" does not exist (known: ${[...areaByCode.keys()].join(', ')})`, `主要任务 "${p.task_area}" 不存在（已有：${[...areaByCode.keys()].join('、')}）`);
    } else if (p.subtask !== undefined && !area.subtasks.some((s) => s.number === p.subtask)) {
      add(['projects', i, 'subtask'], `task area "${p.task_area}" has no sub-task ${p.subtask}`, `主要任务 "${p.task_area}" 下没有第 ${p.subtask} 项`);
    }
    p.targets.forEach((q, j) => checkTarget(q, ['projects', i, 'targets', j]));
  });
  plan.text_targets.forEach((q, j) => checkTarget(q, ['text_targets', j]));
  dup(plan.registries, (r) => r.id, (i) => ['registries', i, 'id'], 'registry id', '名录代码');
  plan.registries.forEach((r, i) => {
    for (const issue of registryDefinitionIssues(r)) add(['registries', i, ...issue.path], issue.message_en, issue.message_zh);
  });
  return issues;
}

/**
 * The cross-checks on a document that failed field validation: items that are
 * well-formed on their own are checked, at their original index (the others are left
 * as holes), so one pass reports a bad field AND a dangling reference elsewhere.
 * zod skips `superRefine` when any field is invalid; the loader calls this instead.
 */
export function lenientPlanCrossChecks(raw: unknown): PlanIssue[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const doc = raw as Record<string, unknown>;
  const sparse = <T>(value: unknown, item: z.ZodType<T>): T[] => {
    if (!Array.isArray(value)) return [];
    const out = new Array<T>(value.length);
    value.forEach((v, i) => {
      const r = item.safeParse(v);
      if (r.success) out[i] = r.data;
    });
    return out;
  };
  const period = planShape.shape.period.safeParse(doc.period);
  const baseline = planShape.shape.baseline_year.safeParse(doc.baseline_year);
  const plan = {
    period: period.success ? period.data : { start: -Infinity, end: Infinity },
    baseline_year: baseline.success && period.success ? baseline.data : -Infinity,
    categories: sparse(doc.categories, categorySchema),
    indicators: sparse(doc.indicators, indicatorSchema),
    task_areas: sparse(doc.task_areas, taskAreaSchema),
    projects: sparse(doc.projects, projectSchema),
    text_targets: sparse(doc.text_targets, quantifiedTargetSchema),
    registries: sparse(doc.registries, registrySchema),
  } as z.infer<typeof planShape>;
  const codes = (value: unknown): Set<string> | null =>
    Array.isArray(value) ? new Set(value.map((v) => (typeof v === 'object' && v !== null ? (v as { code?: unknown }).code : undefined)).filter((c): c is string => typeof c === 'string')) : null;
  const registryIds = Array.isArray(doc.registries) ? new Set(doc.registries.map((v) => (typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined)).filter((c): c is string => typeof c === 'string')) : doc.registries === undefined ? new Set<string>() : null;
  return planCrossChecks(plan, { categories: codes(doc.categories), indicators: codes(doc.indicators), task_areas: codes(doc.task_areas), registries: registryIds });
}

export const planSchema = planShape.superRefine((plan, ctx) => {
  for (const issue of planCrossChecks(plan)) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message_en, params: { message_zh: issue.message_zh } });
  }
});

export type Plan = z.infer<typeof planSchema>;
export type PlanCategory = z.infer<typeof categorySchema>;

/** Which file of a plan directory holds each top-level key (the loader's split). */
export const planFileOfKey: Readonly<Record<string, string>> = {
  indicators: 'indicators.yaml',
  categories: 'plan.yaml',
  task_areas: 'tasks.yaml',
  projects: 'projects.yaml',
  text_targets: 'text-targets.yaml',
  registries: 'registries.yaml',
};
