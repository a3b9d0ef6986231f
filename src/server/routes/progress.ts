/**
 * Public progress API (公开进度接口), served from precomputed values through the progress
 * cache (src/services/progress.ts): the JSON bytes are built once per recompute, so these
 * routes stay fast while an import holds the database. Each response is kept uncompressed,
 * gzip and brotli (sent as the client's Accept-Encoding allows, each with its own ETag), and
 * a repeat GET of a URL answered here is sent by the fast path in ../cached-json.ts without
 * passing through Fastify. Everything here has passed disclosure control: suppressed cells
 * carry `suppressed: true` and no numbers.
 *
 *   GET /api/progress?year=&org=                    per indicator: value, status, ratio, projection, explanation
 *   GET /api/indicators/:code/series?org=           every year + the expected-by-now trajectory
 *   GET /api/indicators/:code/districts?year=       the 16 districts (comparisons, maps), each with its progress status
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { cachedDistrictsJson, cachedProgressJson, cachedSeriesJson, districtsJson, progressJson, seriesJson, type CachedJson } from '../../services/progress.ts';
import { cachedJsonAnswer } from '../cached-json.ts';
import { progressStatuses } from '../../core/progress/progress.ts';

const orgCode = z.string().regex(/^(\d{6}|\d{10})$/, '6-digit district/city code or 10-digit school code');
const year = z.coerce.number().int().min(2000).max(2100);
const indicatorCode = z.string().regex(/^[a-z0-9_]{1,64}$/, 'indicator code (lower case, digits, _)');

export const progressQuery = z.strictObject({
  year: year.optional().describe('Academic year; default: the latest year with data'),
  org: orgCode.optional().describe('Org unit code; default 120000 (Tianjin)'),
});
const seriesQuery = z.strictObject({ org: orgCode.optional().describe('Org unit code; default 120000') });
const districtsQuery = z.strictObject({ year: year.optional().describe('Academic year; default: the latest year with data') });
const codeParams = z.strictObject({ code: indicatorCode });

const num = z.number().nullable();
const target = z.object({ year: z.number(), comparator: z.enum(['>', '>=', '=', '<=', '<', 'maintain']), value: z.number() });
const explanation = z.object({
  formula_zh: z.string(), formula_en: z.string(), definition_zh: z.string(), definition_en: z.string(),
  inputs: z.array(z.object({ name_zh: z.string(), name_en: z.string(), value: z.union([z.number(), z.string()]).nullable(), unit: z.string().optional(), source_zh: z.string().optional(), source_en: z.string().optional() })),
  sources: z.array(z.object({ zh: z.string(), en: z.string() })).describe('The official documents the definition follows'),
  scope: z.array(z.object({ zh: z.string(), en: z.string() })).describe('Units in and out of scope, why, and the source; configurable choices name the option and its default'),
  disclosure_zh: z.string(), disclosure_en: z.string(),
  method_zh: z.string(), method_en: z.string(), text_zh: z.string(), text_en: z.string(),
});
export const progressItemSchema = z.object({
  code: z.string(), name_zh: z.string(), name_en: z.string(), unit: z.string(), category: z.string(),
  nature: z.enum(['binding', 'expected']), direction: z.enum(['up', 'down']), org_code: z.string(),
  baseline: z.object({ year: z.number(), value: z.number(), origin: z.enum(['plan', 'data']) }).nullable(),
  target, value: num, year: num,
  status: z.enum(progressStatuses).describe('At and after the target year only achieved or not_achieved (final); off_track = a keep target not kept before it'),
  ratio: num.describe('Open SDG ratio R = observed / required growth'), method: z.enum(['cagr', 'linear', 'keep']).nullable(),
  distance_share: num, time_share: num,
  projection: z.object({ year: z.number(), value: z.number(), method: z.literal('ols_linear') }).nullable(),
  met: z.boolean().nullable().describe('Binding (约束性) indicators only'),
  suppressed: z.boolean(), explanation,
});
const point = z.object({ year: z.number(), value: num, numerator: num, denominator: num, suppressed: z.boolean() });
const seriesResponse = z.object({
  code: z.string(), org: z.string(), name_zh: z.string(), name_en: z.string(), unit: z.string(),
  baseline: progressItemSchema.shape.baseline, target: target.nullable(),
  points: z.array(point), trajectory: z.array(z.object({ year: z.number(), value: z.number() })),
});
const districtsResponse = z.array(point.extend({
  org_code: z.string(), name_zh: z.string(), name_en: z.string(), year: num,
  status: progressItemSchema.shape.status.nullable().describe('The district’s progress status as of the year, as /api/progress?org=<district> gives it; null when the plan has no such indicator'),
}));

/**
 * Answer with a cached JSON response (`cachedJsonAnswer`: the coding the client accepts,
 * or 304), and let later requests for this exact URL, which passed validation and maps to
 * this cache entry, take the fast path in cached-json.ts (`peek`: the entry, never built).
 */
async function answerCached(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, built: Promise<CachedJson>, peek: () => CachedJson | undefined): Promise<FastifyReply> {
  const a = cachedJsonAnswer(req.headers, await built);
  app.cachedGets.learn(req.url, peek);
  reply.code(a.status).headers(a.headers);
  return a.body === null ? reply.send() : reply.send(a.body);
}

const progressRoutes: RouteModule = async (app, deps) => {
  app.get('/api/progress', openapi({
    summary: '各项主要指标的进度 / Progress of every main indicator',
    description: 'Latest value, the series baseline (its year and origin: the plan’s for the city, the org unit’s own value otherwise), target, status (Statistics Canada / Open SDG ratio; keep targets achieved/off_track; final achieved/not_achieved at and after the target year), distance vs time share, linear projection, met (binding only) and a bilingual explanation with the scope and disclosure rule. Suppressed cells (fewer than 10 units) carry no numbers.',
    tags: ['progress'], query: progressQuery, response: z.array(progressItemSchema),
  }), async (req, reply) => {
    const q = parseInput(progressQuery, req.query, 'query');
    return answerCached(app, req, reply, progressJson(deps.store, q), () => cachedProgressJson(deps.store, q));
  });

  app.get('/api/indicators/:code/series', openapi({
    summary: '指标的逐年数值与预期轨迹 / Every year of an indicator with the expected-by-now trajectory',
    tags: ['progress'], params: codeParams, query: seriesQuery, response: seriesResponse,
  }), async (req, reply) => {
    const { code } = parseInput(codeParams, req.params, 'params');
    const q = parseInput(seriesQuery, req.query, 'query');
    return answerCached(app, req, reply, seriesJson(deps.store, code, q.org), () => cachedSeriesJson(deps.store, code, q.org));
  });

  app.get('/api/indicators/:code/districts', openapi({
    summary: '16个区的指标值与进度状态 / The 16 districts’ values of an indicator, with their progress status',
    tags: ['progress'], params: codeParams, query: districtsQuery, response: districtsResponse,
  }), async (req, reply) => {
    const { code } = parseInput(codeParams, req.params, 'params');
    const q = parseInput(districtsQuery, req.query, 'query');
    return answerCached(app, req, reply, districtsJson(deps.store, code, q.year), () => cachedDistrictsJson(deps.store, code, q.year));
  });
};

export default progressRoutes;
