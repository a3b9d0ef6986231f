/**
 * POST /api/fitness/score — score records under 《国家学生体质健康标准（2014年修订）》.
 * Body `{"records": [...]}` (the same records as `eduplan fitness score`); answer
 * `{"results": [...]}` in the same order, a bad record getting an `{error}` in its place.
 */
import { z } from 'zod';
import { EduplanError } from '../../core/errors.ts';
import { fitnessRecordSchema, fitnessResultSchema, scoreErrorSchema, scoreRecords } from '../../services/fitness.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

/**
 * Records per request: scoring runs on the server's main thread (~26 µs a record), so a batch
 * of 5,000 holds it ~0.13 s; 100,000 held it 2.65 s, long enough to stall every other user.
 * Larger sets: several requests, or `eduplan fitness score` (no limit).
 */
export const MAX_SCORE_BATCH = 5_000;
/** The body for a full batch is ~1 MB; a larger body is refused before it is parsed. */
const SCORE_BODY_LIMIT = 4 * 1024 * 1024;
/** Records are validated one by one (so one bad record does not fail the rest): here only the envelope. */
const scoreBody = z.strictObject({ records: z.array(z.unknown()).max(MAX_SCORE_BATCH) });
/** What the OpenAPI document shows: the record shape (still checked record by record). */
const documentedBody = z.object({ records: z.array(fitnessRecordSchema).max(MAX_SCORE_BATCH) });
const scoreResponse = z.object({ results: z.array(z.union([fitnessResultSchema, scoreErrorSchema])) });

const fitnessRoutes: RouteModule = async (app) => {
  app.post('/api/fitness/score', {
    bodyLimit: SCORE_BODY_LIMIT,
    ...openapi({
      summary: '体质健康评分 / Score student fitness records',
      description: `Each record: {"grade": 23, "sex": "male", "measurements": {"height_cm": 160, "weight_kg": 50, "vital_capacity": 3400, …}}; times in seconds. At most ${MAX_SCORE_BATCH} records per request (每次最多 ${MAX_SCORE_BATCH} 条); throttled per address (429 E_RATE_LIMITED).`,
      tags: ['fitness'],
      body: documentedBody,
      response: scoreResponse,
    }),
  }, async (req) => {
    if (req.body === undefined || req.body === null) throw new EduplanError('E_INPUT_INVALID', { detail: 'body {"records": [...]} required' });
    const body = parseInput(scoreBody, req.body, 'body');
    return { results: scoreRecords(body.records) };
  });
};

export default fitnessRoutes;
