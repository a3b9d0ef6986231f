/**
 * Public progress API (公开进度接口): released figures, served as bytes from the public
 * figures cache (../figures-cache.ts, built from src/services/progress.ts once per release),
 * so these routes stay fast while an import holds the database. Each response is kept uncompressed,
 * gzip and brotli (sent as the client's Accept-Encoding allows, each with its own ETag), and
 * a repeat GET of a URL answered here is sent by the fast path in ../cached-json.ts without
 * passing through Fastify. Everything here has passed disclosure control: suppressed cells
 * carry `suppressed: true` and no numbers.
 *
 *   GET /api/progress?year=&org=                    per indicator: value, status, ratio, projection, explanation
 *   GET /api/indicators/:code/series?org=&disaggregation=  every year + the expected-by-now trajectory, and the breakdowns asked for
 *   GET /api/indicators/:code/districts?year=       the 16 districts (comparisons, maps), each with its progress status
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codeParams, districtsQuery, districtsResponse, progressQuery, progressResponse, seriesQuery, seriesResponse } from '../../contract/progress.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { publicFiguresCache, type CachedJson } from '../figures-cache.ts';
import { cachedJsonAnswer } from '../cached-json.ts';

/**
 * Answer with a cached JSON response (`cachedJsonAnswer`: the coding the client accepts,
 * or 304), and let later requests for this exact URL, which passed validation and maps to
 * this cache entry, take the fast path in cached-json.ts (`peek`: the entry, never built).
 */
async function answerCached(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, built: Promise<CachedJson> | CachedJson, peek: () => CachedJson | undefined): Promise<FastifyReply> {
  const a = cachedJsonAnswer(req.headers, await built);
  app.cachedGets.learn(req.url, peek);
  reply.code(a.status).headers(a.headers);
  return a.body === null ? reply.send() : reply.send(a.body);
}

const progressRoutes: RouteModule = async (app, deps) => {
  const figures = publicFiguresCache(deps.store);
  app.get('/api/progress', openapi({
    summary: '各项主要指标的进度 / Progress of every main indicator',
    description: 'Released figures only, each with its release (数据更新于). Latest value, the series baseline (its year and origin: the plan’s for the city, the org unit’s own value otherwise), target, status (Statistics Canada / Open SDG ratio; keep targets achieved/off_track; final achieved/not_achieved at and after the target year), distance vs time share, linear projection, met (binding only) and a bilingual explanation with the scope and disclosure rule. Withheld cells (statistical disclosure control, docs/indicators.md) carry no numbers.',
    tags: ['progress'], query: progressQuery, response: progressResponse,
  }), async (req, reply) => {
    const q = parseInput(progressQuery, req.query, 'query');
    return answerCached(app, req, reply, figures.progress(q), () => figures.peekProgress(q));
  });

  app.get('/api/indicators/:code/series', openapi({
    summary: '指标的逐年数值与预期轨迹 / Every year of an indicator with the expected-by-now trajectory',
    tags: ['progress'], params: codeParams, query: seriesQuery, response: seriesResponse,
  }), async (req, reply) => {
    const { code } = parseInput(codeParams, req.params, 'params');
    const q = parseInput(seriesQuery, req.query, 'query');
    return answerCached(app, req, reply, figures.series(code, q.org, q.disaggregation), () => figures.peekSeries(code, q.org, q.disaggregation));
  });

  app.get('/api/indicators/:code/districts', openapi({
    summary: '16个区的指标值与进度状态 / The 16 districts’ values of an indicator, with their progress status',
    tags: ['progress'], params: codeParams, query: districtsQuery, response: districtsResponse,
  }), async (req, reply) => {
    const { code } = parseInput(codeParams, req.params, 'params');
    const q = parseInput(districtsQuery, req.query, 'query');
    return answerCached(app, req, reply, figures.districts(code, q.year), () => figures.peekDistricts(code, q.year));
  });
};

export default progressRoutes;
