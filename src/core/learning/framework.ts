/**
 * The learning-city indicator framework as data (plans/tianjin-2021-2025/learning-city.yaml):
 * the UNESCO Key Features of Learning Cities' 12 areas (3 wider benefits, 6 building blocks,
 * 3 fundamental conditions) and the plan's monitoring items, each tagged with the areas it
 * serves, its source in the plan, unit, input and target. Pure: the shape and its checks.
 */
import { z } from 'zod';
import type { Problem } from '../errors.ts';
import { learningFigureCodes } from './figures.ts';

const tiers = ['benefits', 'building_blocks', 'fundamental_conditions'] as const;

const area = z.strictObject({ code: z.string().regex(/^[BPF][1-9]$/), tier: z.enum(tiers), name_zh: z.string().min(1), name_en: z.string().min(1) });
const input = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('figure'), figure: z.enum(learningFigureCodes) }),
  z.strictObject({ kind: z.literal('indicator'), indicator: z.string().min(1) }),
  z.strictObject({ kind: z.literal('reference'), code: z.string().regex(/^[a-z][a-z0-9_.]*$/) }),
]);
const item = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/),
  name_zh: z.string().min(1), name_en: z.string().min(1),
  areas: z.array(z.string()).min(1),
  section: z.string().min(1),
  source_zh: z.string().min(1).describe('the plan’s own words'),
  unit: z.string().min(1),
  input,
  formula_zh: z.string().min(1), formula_en: z.string().min(1),
  target: z.strictObject({ comparator: z.enum(['>=', '>', '=', '<=', '<']), value: z.number(), year: z.number().int(), note_zh: z.string().optional(), note_en: z.string().optional() }).optional(),
});
export const learningFrameworkFile = z.strictObject({
  schema_version: z.literal(1),
  framework: z.strictObject({ code: z.string(), name_zh: z.string(), name_en: z.string(), source: z.string() }),
  areas: z.array(area).length(12),
  items: z.array(item).min(1),
});
export type LearningFramework = z.infer<typeof learningFrameworkFile>;
export type FrameworkItem = LearningFramework['items'][number];

/** Check a parsed file: the shape, unique codes, every item's areas known. Problems carry the path inside the file. */
export function checkLearningFramework(raw: unknown, file: string): { framework: LearningFramework | null; problems: Problem[] } {
  const r = learningFrameworkFile.safeParse(raw);
  if (!r.success) {
    return { framework: null, problems: r.error.issues.map((i) => ({ file, path: i.path.map(String).join('.'), rule: i.code, message_zh: `学习型城市指标框架文件不符合格式：${i.message}`, message_en: `learning-city framework file: ${i.message}` })) };
  }
  const problems: Problem[] = [];
  const areaCodes = new Set(r.data.areas.map((a) => a.code));
  const seen = new Set<string>();
  r.data.items.forEach((it, i) => {
    if (seen.has(it.code)) problems.push({ file, path: `items.${i}.code`, value: it.code, rule: 'unique', message_zh: `监测项代码重复：${it.code}`, message_en: `duplicate item code ${it.code}` });
    seen.add(it.code);
    it.areas.forEach((a, j) => {
      if (!areaCodes.has(a)) problems.push({ file, path: `items.${i}.areas.${j}`, value: a, rule: 'area_known', message_zh: `未知的领域代码 ${a}`, message_en: `unknown area code ${a}` });
    });
  });
  return problems.length > 0 ? { framework: null, problems } : { framework: r.data, problems };
}
