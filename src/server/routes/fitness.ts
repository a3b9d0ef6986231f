/**
 * POST /api/fitness/score — score records under 《国家学生体质健康标准（2014年修订）》.
 * Body `{"records": [...]}` (the same records as `eduplan fitness score`); answer
 * `{"results": [...]}` in the same order, a bad record getting an `{error}` in its place.
 * Shapes: src/contract/fitness.ts; scoring: src/services/fitness.ts.
 */
import { MAX_SCORE_BATCH, scoreRequest, scoreRequestDocumented, scoreResponse } from '../../contract/fitness.ts';
import { EduplanError } from '../../core/errors.ts';
import { scoreRecords } from '../../services/fitness.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

/** The body for a full batch is ~1 MB; a larger body is refused before it is parsed. */
const SCORE_BODY_LIMIT = 4 * 1024 * 1024;

const fitnessRoutes: RouteModule = async (app) => {
  app.post('/api/fitness/score', {
    bodyLimit: SCORE_BODY_LIMIT,
    ...openapi({
      summary: '体质健康评分 / Score student fitness records',
      description: `Each record: {"grade": 23, "sex": "male", "measurements": {"height_cm": 160, "weight_kg": 50, "vital_capacity": 3400, …}}; times in seconds. At most ${MAX_SCORE_BATCH} records per request (每次最多 ${MAX_SCORE_BATCH} 条); throttled per address (429 E_RATE_LIMITED).`,
      tags: ['fitness'],
      body: scoreRequestDocumented,
      response: scoreResponse,
    }),
  }, async (req) => {
    if (req.body === undefined || req.body === null) throw new EduplanError('E_INPUT_INVALID', { detail: 'body {"records": [...]} required' });
    const body = parseInput(scoreRequest, req.body, 'body');
    return { results: scoreRecords(body.records) };
  });
};

export default fitnessRoutes;
