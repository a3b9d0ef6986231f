/**
 * Fitness scoring (体质健康评分) under 《国家学生体质健康标准（2014年修订）》: the record and
 * result shapes shared by the service (src/services/fitness.ts), `POST /api/fitness/score`,
 * `eduplan fitness score` (JSON Lines and CSV) and the OpenAPI document.
 */
import { z } from 'zod';
import type { Problem } from '../core/errors.ts';
import type { FitnessResult } from '../core/standards/fitness/score.ts';
import { fitnessItems } from '../core/standards/fitness/tables.ts';

export const measurementKeys = ['height_cm', 'weight_kg', ...fitnessItems] as const;

/** One record to score. */
export const fitnessRecordSchema = z.strictObject({
  grade: z.number().int().describe('年级编号 11–16, 21–23, 31–33 (中职 31–33), 41–44'),
  sex: z.enum(['male', 'female']),
  exempt: z.boolean().optional().describe('免测 (exempt): not scored'),
  measurements: z.partialRecord(z.enum(measurementKeys), z.number().nullable()).describe('Item keys of fitness-2014.json; times in seconds; bmi or height_cm + weight_kg'),
});
export type FitnessRecord = z.infer<typeof fitnessRecordSchema>;

/** A scored record (src/core/standards/fitness/score.ts `FitnessResult`). */
export const fitnessResultSchema = z.object({
  items: z.array(z.object({ item: z.enum(fitnessItems), value: z.number().nullable(), score: z.number().nullable(), bonus: z.number() })),
  standard_score: z.number().nullable(),
  bonus_total: z.number(),
  annual_total: z.number().nullable(),
  grade_band: z.enum(['优秀', '良好', '及格', '不及格']).nullable(),
  complete: z.boolean(),
  exempt: z.boolean(),
});

/** A record that could not be scored, in its place among the results. */
export interface ScoreError {
  readonly error: { readonly code: 'E_INPUT_INVALID'; readonly message_zh: string; readonly message_en: string; readonly record: number; readonly problems: readonly Problem[] };
}
export const scoreErrorSchema = z.object({
  error: z.object({ code: z.literal('E_INPUT_INVALID'), message_zh: z.string(), message_en: z.string(), record: z.number().int(), problems: z.array(z.record(z.string(), z.unknown())) }),
});

export type ScoreOutcome = FitnessResult | ScoreError;

/**
 * Records per request: scoring runs on the server's main thread (~26 µs a record), so a batch
 * of 5,000 holds it ~0.13 s; 100,000 held it 2.65 s, long enough to stall every other user.
 * Larger sets: several requests, or `eduplan fitness score` (no limit).
 */
export const MAX_SCORE_BATCH = 5_000;
/** POST /api/fitness/score: records are validated one by one (one bad record does not fail the rest), so only the envelope here. */
export const scoreRequest = z.strictObject({ records: z.array(z.unknown()).max(MAX_SCORE_BATCH) });
/** What the OpenAPI document shows: the record shape (still checked record by record). */
export const scoreRequestDocumented = z.object({ records: z.array(fitnessRecordSchema).max(MAX_SCORE_BATCH) });
/** The results in the records' order. */
export const scoreResponse = z.object({ results: z.array(z.union([fitnessResultSchema, scoreErrorSchema])) });

/** `fitness score --format jsonl|csv`. */
export const scoreFormats = ['jsonl', 'csv'] as const;
export type ScoreFormat = (typeof scoreFormats)[number];

/** CSV columns of `fitness score --format csv`: inputs, per-item score and bonus, totals, error. */
export const csvInputColumns = ['grade', 'sex', 'exempt', ...measurementKeys] as const;
export const csvOutputColumns = [
  ...csvInputColumns,
  ...fitnessItems.flatMap((k) => [`${k}_score`, `${k}_bonus`]),
  'standard_score', 'bonus_total', 'annual_total', 'grade_band', 'complete', 'error',
] as const;
