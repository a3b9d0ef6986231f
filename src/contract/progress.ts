/**
 * Progress against the plan's targets: the query and response shapes of the public API
 * (`/api/progress`, `/api/indicators/:code/series|districts`), the workspace's provisional
 * view (`/api/workspace/progress…`), the CLI's `progress --json` and the portal.
 */
import { z } from 'zod';
import { progressStatuses } from '../core/progress/progress.ts';
import { releaseRef } from './releases.ts';

export const orgCode = z.string().regex(/^(\d{6}|\d{10})$/, '6-digit district/city code or 10-digit school code');
const year = z.coerce.number().int().min(2000).max(2100);
export const indicatorCode = z.string().regex(/^[a-z0-9_]{1,64}$/, 'indicator code (lower case, digits, _)');

export const progressQuery = z.strictObject({
  year: year.optional().describe('Academic year; default: the latest year with data'),
  org: orgCode.optional().describe('Org unit code; default 120000 (Tianjin)'),
});
export type ProgressQueryInput = z.infer<typeof progressQuery>;
/**
 * A breakdown request (分组): dimensions (`sex`) or single parts (`sex:f`), comma-separated
 * (`sex,area`). Each part is its own series; parts are not crossed (no sex × area cells are computed).
 */
export const disaggregationParam = z.string().max(200).regex(/^[a-z]+(:[a-z0-9_]+)?(,[a-z]+(:[a-z0-9_]+)?)*$/, 'dimension or dimension:part, comma-separated (e.g. sex or sex,area or sex:f)');
export const seriesQuery = z.strictObject({
  org: orgCode.optional().describe('Org unit code; default 120000'),
  disaggregation: disaggregationParam.optional().describe('Breakdowns to add: sex, stage, programme, area, ownership, provider, type (those the indicator has: see `breakdowns`), or one part such as sex:f; comma-separated'),
});
export const districtsQuery = z.strictObject({ year: year.optional().describe('Academic year; default: the latest year with data') });
export const codeParams = z.strictObject({ code: indicatorCode });

export const progressStatus = z.enum(progressStatuses).describe('At and after the target year only achieved or not_achieved (final); off_track = a keep target not kept before it');

const num = z.number().nullable();
export const target = z.object({ year: z.number(), comparator: z.enum(['>', '>=', '=', '<=', '<', 'maintain']), value: z.number() });
export const explanation = z.object({
  formula_zh: z.string(), formula_en: z.string(), definition_zh: z.string(), definition_en: z.string(),
  inputs: z.array(z.object({ name_zh: z.string(), name_en: z.string(), value: z.union([z.number(), z.string()]).nullable(), unit: z.string().optional(), source_zh: z.string().optional(), source_en: z.string().optional() })).readonly(),
  sources: z.array(z.object({ zh: z.string(), en: z.string() })).readonly().describe('The official documents the definition follows'),
  scope: z.array(z.object({ zh: z.string(), en: z.string() })).readonly().describe('Units in and out of scope, why, and the source; configurable choices name the option and its default'),
  disclosure_zh: z.string(), disclosure_en: z.string(),
  method_zh: z.string(), method_en: z.string(), text_zh: z.string(), text_en: z.string(),
});
export const progressItem = z.object({
  code: z.string(), name_zh: z.string(), name_en: z.string(), unit: z.string(), category: z.string(),
  nature: z.enum(['binding', 'expected']), direction: z.enum(['up', 'down']), org_code: z.string(),
  baseline: z.object({ year: z.number(), value: z.number(), origin: z.enum(['plan', 'data']) }).nullable(),
  target, value: num, year: num,
  status: progressStatus,
  ratio: num.describe('Open SDG ratio R = observed / required growth'), method: z.enum(['cagr', 'linear', 'keep']).nullable(),
  distance_share: num, time_share: num,
  projection: z.object({ year: z.number(), value: z.number(), method: z.literal('ols_linear') }).nullable(),
  met: z.boolean().nullable().describe('Binding (约束性) indicators only'),
  suppressed: z.boolean(), explanation,
  release: releaseRef.nullable().describe('The release the value comes from (数据更新于); null when not released or provisional'),
  provisional: z.boolean().describe('Provisional (暂定) figures: computed, not yet released'),
});
export const progressResponse = z.array(progressItem);

export const seriesPoint = z.object({ year: z.number(), value: num, numerator: num, denominator: num, suppressed: z.boolean(), release: releaseRef.nullable() });
/** A breakdown the indicator offers: its dimension and parts, and whether the parts add up to the total. */
export const breakdownInfo = z.object({
  dimension: z.string(), name_zh: z.string(), name_en: z.string(), of: z.enum(['pupil', 'school']),
  parts: z.array(z.object({ key: z.string(), name_zh: z.string(), name_en: z.string() })).readonly(),
  additive: z.boolean().describe('The parts\' numerators (and denominators, unless the denominator is a population) add up to the total\'s at every org unit'),
});
/** One part's series (a breakdown asked for with `disaggregation=`). */
export const breakdownSeries = z.object({
  key: z.string().describe('dimension:part, e.g. sex:f'), dimension: z.string(), name_zh: z.string(), name_en: z.string(),
  points: z.array(seriesPoint).readonly(),
});
export const seriesResponse = z.object({
  code: z.string(), org: z.string(), name_zh: z.string(), name_en: z.string(), unit: z.string(),
  baseline: progressItem.shape.baseline, target: target.nullable(),
  points: z.array(seriesPoint).readonly(), trajectory: z.array(z.object({ year: z.number(), value: z.number() })).readonly(),
  provisional: z.boolean(),
  breakdowns: z.array(breakdownInfo).readonly().describe('The breakdowns this indicator has (ask for them with ?disaggregation=)'),
  disaggregation: z.array(breakdownSeries).readonly().describe('One series per part of each breakdown asked for; empty when none was asked'),
});
export const districtsResponse = z.array(seriesPoint.extend({
  org_code: z.string(), name_zh: z.string(), name_en: z.string(), year: num,
  status: progressStatus.nullable().describe('The district’s progress status as of the year, as /api/progress?org=<district> gives it; null when the plan has no such indicator'),
}));

export type ProgressItem = z.infer<typeof progressItem>;
export type ProgressStatus = z.infer<typeof progressStatus>;
export type SeriesPoint = z.infer<typeof seriesPoint>;
export type SeriesResponse = z.infer<typeof seriesResponse>;
export type BreakdownInfo = z.infer<typeof breakdownInfo>;
export type BreakdownSeries = z.infer<typeof breakdownSeries>;
export type DistrictValue = z.infer<typeof districtsResponse>[number];
