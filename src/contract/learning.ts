/**
 * Learning-city monitoring (学习型城市建设动态监测, docs/learning-city.md): the shapes of the
 * centres' upload API and of the public learning-city figures, shared by the routes, the CLI
 * and the portal.
 */
import { z } from 'zod';
import { learningFrameworkFile } from '../core/learning/framework.ts';

/**
 * One learning event as a centre sends it. The cells are plain text here: the service checks
 * them as it checks a file's row (format, real date, channel, GB 11643 ID number), so a bad row
 * comes back as E_IMPORT_INVALID naming the row and column like a file's.
 */
export const learningEventInput = z.object({
  event_id: z.string().max(200),
  centre_code: z.string().max(200),
  date: z.string().max(200),
  channel: z.string().max(200),
  activity: z.string().max(1000),
  learner_id_number: z.string().max(200).nullish(),
});

/** At most 5,000 rows a request (a day's events of a large centre); more goes in as a file. */
export const MAX_EVENT_ROWS = 5000;

export const learningEventsRequest = z.object({
  rows: z.array(learningEventInput).min(1).max(MAX_EVENT_ROWS),
});
export type LearningEventsRequest = z.infer<typeof learningEventsRequest>;

export const learningImportResult = z.object({
  file: z.string(),
  rows: z.number().int(),
  added: z.number().int(),
  duplicates: z.number().int(),
  years: z.array(z.number().int()),
  batch_id: z.number().int().nullable(),
});

export const learningFigureCell = z.object({
  figure: z.string().describe('A computed figure (core/learning/figures.ts) or the code of a framework item imported as a reference value'),
  org_code: z.string(), level: z.enum(['city', 'district']), year: z.number().int(), name_zh: z.string(), name_en: z.string(),
  numerator: z.number().nullable(), denominator: z.number().nullable(),
  value: z.number().nullable().describe('null: withheld (fewer than 10 persons) or an input missing — never 0 for a missing input'),
  suppressed: z.boolean(), source: z.string(), target: z.number().nullable(),
});

export const publicLearningCityQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });

/** The released learning-city figures (GET /api/learning-city): the latest release of the year, with KPI 8 as released. */
export const publicLearningCity = z.object({
  year: z.number().int().nullable(),
  years: z.array(z.number().int()).describe('Years with released learning-city figures'),
  release: z.object({ id: z.number().int(), version: z.number().int(), released_at: z.string() }).nullable(),
  figures: z.array(learningFigureCell),
  kpi8: z.array(z.object({ org_code: z.string(), value: z.number().nullable(), suppressed: z.boolean() })),
  framework: learningFrameworkFile.describe('The learning-city framework (plans/tianjin-2021-2025/learning-city.yaml): UNESCO areas and the monitoring items'),
});
export type PublicLearningCity = z.infer<typeof publicLearningCity>;
