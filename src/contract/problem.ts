/**
 * Shapes every feature's answers share: a located problem (src/core/errors.ts `Problem`),
 * the validation result of a form's rules, and the codes and years requests carry.
 */
import { z } from 'zod';

/** A school code (学校标识码 style, 10 digits). */
export const schoolCode = z.string().regex(/^\d{10}$/);
/** An academic year (学年) in a path or query: 2023 = 2023-09-01..2024-08-31. */
export const year = z.coerce.number().int().min(2000).max(2100);

/** One located problem, as every refusal and validation lists it (src/core/errors.ts `Problem`). */
export const problem = z.object({
  file: z.string().optional(),
  sheet: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  path: z.string().optional().describe('Element code, or a path inside the request'),
  value: z.unknown().optional(),
  rule: z.string().describe('Stable rule identifier'),
  message_zh: z.string(),
  message_en: z.string(),
  fix_zh: z.string().optional(),
  fix_en: z.string().optional(),
});
export type ProblemShape = z.infer<typeof problem>;

/** The rule engine's answer (src/core/validation): hard problems block, soft ones need an explanation. */
export const validationResult = z.object({
  hard: z.array(problem),
  soft: z.array(problem),
  unexplained: z.array(problem).describe('Soft problems with no explanation on any of their cells: these block submit'),
});
export type ValidationResultShape = z.infer<typeof validationResult>;

/** {element code: number | null}, as a draft carries them. */
export const formValues = z.record(z.string(), z.number().nullable()).describe('{element code: number | null}');
/** {element code: explanation} (说明). */
export const formComments = z.record(z.string(), z.string().max(2000));
