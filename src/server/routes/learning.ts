/**
 * Learning-city monitoring over HTTP (docs/learning-city.md): the centres' upload of learning
 * events, and 老年教育活动参与率 per district for accounts that may read progress.
 */
import { z } from 'zod';
import { learningEventsRequest, learningImportResult, publicLearningCity, publicLearningCityQuery } from '../../contract/learning.ts';
import { elderlyParticipation, publishedLearningCity, submitLearningEvents } from '../../services/learning-city.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { actorOf, authenticate } from '../auth.ts';

const query = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const row = z.object({
  org_code: z.string(), name_zh: z.string(), year: z.number().int(), participants: z.number().int().nullable(), population: z.number().nullable(),
  population_source: z.string().nullable(), rate: z.number().nullable(), target: z.number(), met: z.boolean().nullable(), suppressed: z.boolean(),
});

const routes: RouteModule = async (app, deps) => {
  app.get('/api/learning/elderly-participation', openapi({ summary: '各区老年教育活动参与率（目标50%；少于10人不公布）/ Elderly education participation rate per district (target 50 %)', tags: ['learning-city'], query, response: z.object({ rows: z.array(row) }), auth: true }), async (req) => {
    await authenticate(req, deps);
    const { year } = parseInput(query, req.query, 'query');
    return { rows: await elderlyParticipation({ store: deps.store, clock: deps.clock }, actorOf(req), { year }) };
  });

  // Public: released figures only (the snapshot the city's release took with KPI 8).
  app.get('/api/learning-city', openapi({
    summary: '已发布的学习型城市监测数据：老年教育活动参与率、街镇老年教育学校覆盖率、示范性老年大学、服务市民终身学习人次 / Released learning-city figures',
    tags: ['learning-city'], query: publicLearningCityQuery, response: publicLearningCity,
  }), async (req) => {
    const { year } = parseInput(publicLearningCityQuery, req.query, 'query');
    return publishedLearningCity(deps.store, { year });
  });

  // A centre's account (学习点填报员) sends only for its own unit and those beneath it; a district's
  // reviewer for its district; the city for all. Re-sending the same rows changes nothing.
  app.post('/api/learning/events', openapi({
    summary: '学习点上传学习活动记录（去重；只能上传本机构及下级学习点的记录）/ A centre sends its learning events (de-duplicated; own unit and below only)',
    tags: ['learning-city'], body: learningEventsRequest, response: learningImportResult, auth: true,
  }), async (req) => {
    await authenticate(req, deps);
    const { rows } = parseInput(learningEventsRequest, req.body, 'body');
    const actor = actorOf(req);
    return submitLearningEvents({ store: deps.store, clock: deps.clock, pseudonymKey: deps.config.pseudonymKey }, actor, { rows, source: `api:${actor.account.username}` });
  });
};

export default routes;
