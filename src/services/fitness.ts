/**
 * Scoring records one by one for the CLI (`eduplan fitness score`) and the API
 * (`POST /api/fitness/score`): a bad record gets an error object in its place and the
 * others are still scored. Shapes: src/contract/fitness.ts.
 */
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import {
  csvInputColumns, csvOutputColumns, fitnessRecordSchema, measurementKeys, type ScoreError, type ScoreFormat, type ScoreOutcome,
} from '../contract/fitness.ts';
import { errorCatalogue, type Problem } from '../core/errors.ts';
import { FitnessInputError, scoreStudent } from '../core/standards/fitness/score.ts';
import { fitnessItems, type FitnessItem } from '../core/standards/fitness/tables.ts';
import { csvQuote } from '../core/forms/csv-safety.ts';

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


/** One line of `fitness score`'s output: the CSV header (`record` 0), or one record's result or error. */
export interface ScoredLine {
  readonly text: string;
  /** 1-based position of the record; 0 for the header. */
  readonly record: number;
  readonly ok: boolean;
}

/**
 * Score a stream of JSON Lines (blank lines skipped) or CSV records (header row, columns
 * `csvInputColumns`), one output line per record, in order: the result, or its error in
 * place (a line that is not JSON too).
 */
export async function* scoreStream(input: NodeJS.ReadableStream, format: ScoreFormat): AsyncGenerator<ScoredLine> {
  let n = 0;
  if (format === 'jsonl') {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      n += 1;
      let parsed: unknown;
      try { parsed = JSON.parse(line); } catch (e) {
        const notJson: ScoreError = { error: { code: 'E_INPUT_INVALID', message_zh: '该行不是有效的 JSON', message_en: 'the line is not valid JSON', record: n, problems: [{ row: n, rule: 'json', message_zh: '该行不是有效的 JSON', message_en: (e as Error).message }] } };
        yield { text: `${JSON.stringify(notJson)}\n`, record: n, ok: false };
        continue;
      }
      const r = scoreRecord(parsed, n);
      yield { text: `${JSON.stringify(r)}\n`, record: n, ok: !('error' in r) };
    }
    return;
  }
  yield { text: `${csvOutputColumns.join(',')}\n`, record: 0, ok: true };
  for await (const row of input.pipe(parse({ bom: true, columns: true, skip_empty_lines: true, trim: true })) as AsyncIterable<Record<string, string>>) {
    n += 1;
    const r = scoreRecord(recordFromCsv(row), n);
    yield { text: `${csvCellsOf(row, r).map(csvQuote).join(',')}\n`, record: n, ok: !('error' in r) };
  }
}
