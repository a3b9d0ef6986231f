import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { EduplanError } from '../../core/errors.ts';
import type { ServerDeps } from '../deps.ts';
import fitnessRoutes from './fitness.ts';

describe('POST /api/fitness/score', () => {
  const build = async () => {
    const app = Fastify();
    app.setErrorHandler((err, _req, reply) => (err instanceof EduplanError ? reply.status(err.status).send(err.toJSON()) : reply.status(500).send(err)));
    await fitnessRoutes(app, {} as ServerDeps);
    return app;
  };

  it('scores every record and puts an error in place of a bad one', async () => {
    const app = await build();
    const res = await app.inject({
      method: 'POST', url: '/api/fitness/score',
      payload: { records: [
        // 初一 男 at every 100-point value (表1-1…1-15) with pull-ups +7 (表2-3) and 1000 m +10 (表2-5).
        { grade: 21, sex: 'male', measurements: { bmi: 19.5, vital_capacity: 3640, run_50m: 7.8, sit_and_reach: 17.6, standing_long_jump: 225, pull_ups: 20, run_1000m: 200 } },
        { grade: 21, sex: 'female', measurements: { pull_ups: 3 } },
        { grade: '21', sex: 'male', measurements: {} },
      ] },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { results: Array<Record<string, unknown>> };
    expect(body.results).toHaveLength(3);
    expect(body.results[0]).toMatchObject({ standard_score: 100, bonus_total: 17, annual_total: 117, grade_band: '优秀', complete: true });
    expect(body.results[1]).toMatchObject({ error: { code: 'E_INPUT_INVALID', record: 2, problems: [{ rule: 'item_not_for_grade', path: 'measurements.pull_ups' }] } });
    expect(body.results[2]).toMatchObject({ error: { record: 3, problems: [{ path: 'grade' }] } });
    await app.close();
  });

  it('rejects a body without records', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/api/fitness/score', payload: { items: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'E_INPUT_INVALID' } });
    await app.close();
  });
});
