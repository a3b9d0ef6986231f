/**
 * Scoring records one by one for the CLI (`eduplan fitness score`) and the API
 * (`POST /api/fitness/score`): a bad record gets an error object in its place and the
 * others are still scored.
 */
import { z } from 'zod';
import { errorCatalogue, type Problem } from '../core/errors.ts';
import { FitnessInputError, scoreStudent, type FitnessResult } from '../core/standards/fitness/score.ts';
import { fitnessItems, type FitnessItem } from '../core/standards/fitness/tables.ts';

export const measurementKeys = ['height_cm', 'weight_kg', ...fitnessItems] as const;

export const fitnessRecordSchema = z.strictObject({
  grade: z.number().int().describe('年级编号 11–16, 21–23, 31–33 (中职 31–33), 41–44'),
  sex: z.enum(['male', 'female']),
  exempt: z.boolean().optional().describe('免测 (exempt): not scored'),
  measurements: z.partialRecord(z.enum(measurementKeys), z.number().nullable()).describe('Item keys of fitness-2014.json; times in seconds; bmi or height_cm + weight_kg'),
});
export type FitnessRecord = z.infer<typeof fitnessRecordSchema>;

export const fitnessResultSchema = z.object({
  items: z.array(z.object({ item: z.enum(fitnessItems), value: z.number().nullable(), score: z.number().nullable(), bonus: z.number() })),
  standard_score: z.number().nullable(),
  bonus_total: z.number(),
  annual_total: z.number().nullable(),
  grade_band: z.enum(['优秀', '良好', '及格', '不及格']).nullable(),
  complete: z.boolean(),
  exempt: z.boolean(),
});

export interface ScoreError {
  readonly error: { readonly code: 'E_INPUT_INVALID'; readonly message_zh: string; readonly message_en: string; readonly record: number; readonly problems: readonly Problem[] };
}
export const scoreErrorSchema = z.object({
  error: z.object({ code: z.literal('E_INPUT_INVALID'), message_zh: z.string(), message_en: z.string(), record: z.number().int(), problems: z.array(z.record(z.string(), z.unknown())) }),
});

export type ScoreOutcome = FitnessResult | ScoreError;

function errorOf(record: number, problems: Problem[]): ScoreError {
  const e = errorCatalogue.E_INPUT_INVALID;
  return { error: { code: 'E_INPUT_INVALID', message_zh: e.zh, message_en: e.en, record, problems } };
}

/** Score one record (already parsed JSON); `record` is its 1-based position for error messages. */
export function scoreRecord(input: unknown, record: number): ScoreOutcome {
  const parsed = fitnessRecordSchema.safeParse(input);
  if (!parsed.success) {
    return errorOf(record, parsed.error.issues.map((i) => ({
      row: record, path: i.path.map(String).join('.'), rule: i.code, message_zh: `记录不符合格式：${i.message}`, message_en: i.message,
    })));
  }
  try {
    return scoreStudent({ grade: parsed.data.grade, sex: parsed.data.sex, exempt: parsed.data.exempt ?? false, measurements: parsed.data.measurements as Partial<Record<FitnessItem | 'height_cm' | 'weight_kg', number | null>> });
  } catch (err) {
    if (err instanceof FitnessInputError) {
      return errorOf(record, [{ row: record, path: err.path, value: err.value, rule: err.rule, message_zh: err.message_zh, message_en: err.message }]);
    }
    throw err;
  }
}

export function scoreRecords(inputs: readonly unknown[]): ScoreOutcome[] {
  return inputs.map((r, i) => scoreRecord(r, i + 1));
}

/** CSV output columns for `fitness score --format csv`: inputs, per-item score and bonus, totals, error. */
export const csvInputColumns = ['grade', 'sex', 'exempt', ...measurementKeys] as const;
export const csvOutputColumns = [
  ...csvInputColumns,
  ...fitnessItems.flatMap((k) => [`${k}_score`, `${k}_bonus`]),
  'standard_score', 'bonus_total', 'annual_total', 'grade_band', 'complete', 'error',
] as const;

/** A CSV row (header → text) as a record: numbers parsed, blanks dropped; bad numbers kept as text so zod reports them. */
export function recordFromCsv(row: Readonly<Record<string, string>>): unknown {
  const measurements: Record<string, unknown> = {};
  for (const k of measurementKeys) {
    const t = (row[k] ?? '').trim();
    if (t === '') continue;
    measurements[k] = /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  }
  const sexText = (row.sex ?? '').trim().toLowerCase();
  const sex = sexText === '1' || sexText === '男' || sexText === 'm' ? 'male' : sexText === '2' || sexText === '女' || sexText === 'f' ? 'female' : sexText;
  const gradeText = (row.grade ?? '').trim();
  const exemptText = (row.exempt ?? '').trim().toLowerCase();
  return {
    grade: /^\d+$/.test(gradeText) ? Number(gradeText) : gradeText,
    sex,
    ...(exemptText === '' ? {} : { exempt: ['true', '1', '是', 'yes'].includes(exemptText) }),
    measurements,
  };
}

/** One output CSV row's cells for a scored (or failed) input row. */
export function csvCellsOf(row: Readonly<Record<string, string>>, outcome: ScoreOutcome): string[] {
  const cells: string[] = csvInputColumns.map((k) => row[k] ?? '');
  if ('error' in outcome) {
    for (let i = 0; i < fitnessItems.length * 2 + 5; i++) cells.push('');
    cells.push(outcome.error.problems.map((p) => `${p.path ?? ''}: ${p.message_en} / ${p.message_zh}`).join('; '));
    return cells;
  }
  for (const k of fitnessItems) {
    const it = outcome.items.find((i) => i.item === k);
    cells.push(it?.score === null || it === undefined ? '' : String(it.score), it === undefined ? '' : String(it.bonus));
  }
  cells.push(
    outcome.standard_score === null ? '' : String(outcome.standard_score), String(outcome.bonus_total),
    outcome.annual_total === null ? '' : String(outcome.annual_total), outcome.grade_band ?? (outcome.exempt ? '免测' : ''), String(outcome.complete), '',
  );
  return cells;
}
