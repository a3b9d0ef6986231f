/**
 * The HTTP application: Fastify with thin routes over services. Errors from the
 * catalogue become `{error: {code, message_zh, message_en, fix_zh, fix_en, problems}}`
 * with the catalogue's status.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { EduplanError } from '../core/errors.ts';
import type { ServerDeps } from './deps.ts';
import { routeModules } from './routes/index.ts';
import { buildOpenApiDocument, type RouteDoc } from './openapi.ts';

export async function buildApp(deps: ServerDeps, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: deps.config.maxUploadBytes });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof EduplanError) return reply.status(err.status).send(err.toJSON());
    const e = err as { validation?: unknown; statusCode?: number; message?: string };
    if (e.validation || (e.statusCode !== undefined && e.statusCode < 500)) {
      const ee = new EduplanError('E_INPUT_INVALID', { detail: e.message ?? String(err) });
      return reply.status(e.statusCode ?? 400).send(ee.toJSON());
    }
    app.log.error(err);
    return reply.status(500).send(new EduplanError('E_DB', { detail: 'internal error' }).toJSON());
  });
  const documented: Array<{ method: string; url: string; doc: RouteDoc }> = [];
  app.addHook('onRoute', (route) => {
    const doc = (route.config as { openapi?: RouteDoc } | undefined)?.openapi;
    if (!doc) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') documented.push({ method, url: route.url, doc });
  });
  for (const m of routeModules) await (await m.load())(app, deps);
  const document = buildOpenApiDocument(documented);
  app.get('/api/openapi.json', async () => document);
  return app;
}
