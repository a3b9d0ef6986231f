/**
 * A quantified target's data path (数据来源路径): how it gets a value per year. Declared in the
 * plan files next to the target, so that no target is tracked by nothing:
 *
 * - `indicator`: a computed indicator — one of the plan's main indicators, or a supplementary
 *   definition in src/core/indicators/definitions.ts (体质健康及格率, 生均体育运动场馆面积) — its
 *   city value, or its numerator (e.g. the count of certified districts behind a share);
 * - `registry`: counted from a registry (名录) of designated things, with a filter and a rule
 *   (count, sum of a field, entries designated in the year, a rolling window, or the share of
 *   org units covered);
 * - `entered`: entered by the target's owner per year, with evidence (a survey result, a count
 *   only the owner holds). Two targets restating one figure share a `measure`.
 *
 * `judged_as` restates the target where what is measured differs from the printed number:
 * 「每所中小学校至少建设1间劳动实践教室」 (1 间/校) is judged as the share of schools with one,
 * ≥ 100 %. `every_year` judges the target in every year of the period (「每年遴选10名左右」).
 */
import { z } from 'zod';

const code = z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'must be lower_snake_case (a–z, 0–9, _), starting with a letter' });
const text = z.string().trim().min(1, { message: 'must not be empty' });

/** Comparators of quantified targets: the indicators' six and `non_decreasing` (稳中有升 / 只增不减). */
export const targetComparators = ['>', '>=', '=', '<=', '<', 'maintain', 'non_decreasing'] as const;

export const judgedAsSchema = z.strictObject({
  comparator: z.enum(targetComparators),
  value: z.number().finite(),
  unit: text,
  note_zh: text.optional(),
  note_en: text.optional(),
});
export type JudgedAs = z.infer<typeof judgedAsSchema>;

const common = {
  judged_as: judgedAsSchema.optional(),
  /** Judge the target in every year of the plan period, not only at its target year (每年…). */
  every_year: z.boolean().optional(),
};

/** Values a registry field must take for an entry to count (any of the listed values). */
const filterSchema = z.record(code, z.array(z.union([z.string(), z.number(), z.boolean()])).min(1));

export const dataPathSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('indicator'),
    indicator: code,
    /** `value` (default), or an operand of a ratio: `numerator` is the count behind a share. */
    take: z.enum(['value', 'numerator', 'denominator']).optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('registry'),
    registry: code,
    filter: filterSchema.optional(),
    /**
     * `count` (default): approved entries; `sum`: the sum of `field` over them (people in
     * designation batches); `coverage`: the share (%) of the org units of `coverage` with at
     * least one entry.
     */
    rule: z.enum(['count', 'sum', 'coverage']).optional(),
    field: code.optional(),
    /**
     * Which entries a year counts: `in_effect` (default) — designated in or before the year and
     * not withdrawn (cumulative); `that_year` — designated in the year itself (每年遴选…);
     * `window` — designated in the `window` years ending with the year (每三年…).
     */
    years: z.enum(['in_effect', 'that_year', 'window']).optional(),
    window: z.number().int().min(2).max(10).optional(),
    coverage: z.strictObject({
      /** The org field of the entry naming the covered unit. */
      field: code,
      level: z.enum(['district', 'school']),
      types: z.array(z.string()).min(1).optional(),
    }).optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('entered'),
    /** The figure entered (default: the target's own code); targets restating one figure share it. */
    measure: code.optional(),
    ...common,
  }),
]);
export type DataPath = z.infer<typeof dataPathSchema>;
export type RegistryDataPath = Extract<DataPath, { kind: 'registry' }>;

/** The `entered` figure a target reads. */
export const measureOf = (targetCode: string, path: DataPath): string => (path.kind === 'entered' ? (path.measure ?? targetCode) : targetCode);
