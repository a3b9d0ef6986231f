/**
 * The shape of a plan indicator as the progress code reads it (`plan show --json`,
 * src/core/plan is the authority). Parsed leniently: extra fields are allowed, so a
 * richer plan schema does not break progress reporting.
 */
import { z } from 'zod';

export const planIndicatorSchema = z.object({
  code: z.string(),
  category: z.string().default(''),
  name_zh: z.string(),
  name_en: z.string().default(''),
  unit: z.string(),
  nature: z.enum(['binding', 'expected']),
  direction: z.enum(['up', 'down']),
  baseline: z.object({ year: z.number().int(), value: z.number() }),
  target: z.object({ year: z.number().int(), comparator: z.enum(['>', '>=', '=', '<=', '<', 'maintain']), value: z.number() }),
}).loose();
export type PlanIndicatorShape = z.infer<typeof planIndicatorSchema>;

/** Indicators of a plan document; entries that do not have the shape are reported, not dropped silently. */
export function planIndicators(document: unknown): { indicators: PlanIndicatorShape[]; invalid: string[] } {
  const list = (document as { indicators?: unknown } | null)?.indicators;
  const indicators: PlanIndicatorShape[] = [];
  const invalid: string[] = [];
  if (!Array.isArray(list)) return { indicators, invalid };
  list.forEach((raw, i) => {
    const r = planIndicatorSchema.safeParse(raw);
    if (r.success) indicators.push(r.data);
    else invalid.push(`indicators[${i}]`);
  });
  return { indicators, invalid };
}
