/**
 * The plan (规划) as the API, `eduplan plan …` and the portal see it: the validated plan
 * document (src/core/plan/schema.ts) with where it came from, its stored versions, and what
 * loading a plan directory did.
 */
import { z } from 'zod';
import { planSchema } from '../core/plan/schema.ts';

export const planQuery = z.strictObject({
  version: z.coerce.number().int().min(1).optional().describe('A stored version number; default: the latest'),
});
export type PlanQuery = z.infer<typeof planQuery>;

export const planOrigin = z.object({
  source: z.enum(['store', 'bundled']).describe('A stored version, or the plan bundled with the product when none is loaded'),
  version: z.number().int().nullable(),
  loaded_at: z.string().nullable(),
});
export type PlanOrigin = z.infer<typeof planOrigin>;

/** GET /api/plan and `eduplan plan show --json`: metadata, indicators, task areas, projects, text targets, origin. */
export const planResponse = planSchema.and(z.object({ origin: planOrigin }));
export type PlanView = z.infer<typeof planResponse>;

export const planVersion = z.object({ version: z.number().int(), content_hash: z.string(), loaded_at: z.string(), changes: z.number().int() });
export const planVersions = z.object({ plan_code: z.string(), versions: z.array(planVersion) });
export type PlanVersions = z.infer<typeof planVersions>;

/** One change against the previous version (`null` before: added; `null` after: removed). */
export const planChange = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() });

/** `eduplan plan load --json`: the version stored, or the same one when nothing changed. */
export const loadPlanResult = z.object({
  plan_code: z.string(),
  version: z.number().int(),
  changed: z.boolean().describe('false when the same content was already the latest version (a no-op)'),
  changes: z.array(planChange).readonly(),
  content_hash: z.string(),
});
export type LoadPlanResult = z.infer<typeof loadPlanResult>;

/** Where a plan directory is read from: a path, or the plan bundled with the product. */
export type PlanDirRequest = { dir?: string | undefined };
