/**
 * The indicator definitions' scope options (口径选项, src/core/indicators/scope.ts) as the
 * workspace API and `eduplan indicators scope` show and set them.
 */
import { z } from 'zod';
import { scopeValues } from '../core/indicators/scope.ts';

const optionNames = Object.keys(scopeValues) as [keyof typeof scopeValues, ...(keyof typeof scopeValues)[]];

export const scopeOptionName = z.enum(optionNames);
export const scopeOption = z.object({
  name: scopeOptionName,
  value: z.string(),
  default: z.string(),
  allowed: z.array(z.string()),
  /** Set by the city (with who and when), or the documented default. */
  set_by: z.string().nullable(),
  set_at: z.string().nullable(),
});
export type ScopeOption = z.infer<typeof scopeOption>;
export const scopeOptions = z.object({ options: z.array(scopeOption) });

export const setScopeOptionParams = z.strictObject({ name: scopeOptionName });
export const setScopeOptionRequest = z.strictObject({ value: z.string().min(1).max(64) });
