/**
 * POST /api/fitness/score — score records under 《国家学生体质健康标准（2014年修订）》.
 * Body `{"records": [...]}` (the same records as `eduplan fitness score`); answer
 * `{"results": [...]}` in the same order, a bad record getting an `{error}` in its place.
 * Shapes: src/contract/fitness.ts; scoring: src/services/fitness.ts.
 */
import { scoreRequest, scoreRequestDocumented, scoreResponse } from '../../contract/fitness.ts';
import { EduplanError } from '../../core/errors.ts';
import { scoreRecords } from '../../services/fitness.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

const fitnessRoutes: RouteModule = async (app) => {
  app.post('/api/fitness/score', openapi({
    summary: '体质健康评分 / Score student fitness records',
    description: 'Each record: {"grade": 23, "sex": "male", "measurements": {"height_cm": 160, "weight_kg": 50, "vital_capacity": 3400, …}}; times in seconds.',
    tags: ['fitness'],
    body: scoreRequestDocumented,
    response: scoreResponse,
  }), async (req) => {
    if (req.body === undefined || req.body === null) throw new EduplanError('E_INPUT_INVALID', { detail: 'body {"records": [...]} required' });
    const body = parseInput(scoreRequest, req.body, 'body');
    return { results: scoreRecords(body.records) };
  });
};

export default fitnessRoutes;
