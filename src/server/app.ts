/**
 * The HTTP application: Fastify with thin routes over services. Errors from the
 * catalogue become `{error: {code, message_zh, message_en, fix_zh, fix_en, problems}}`
 * with the catalogue's status.
 *
 * The server in front of Fastify answers repeat GETs of the public cached-JSON routes
 * itself (cached-json.ts: the portal's hottest requests, without Fastify's per-request
 * work). It is off when the logger is on, since those requests would go unlogged; a
 * global hook added here (one that must see every request) must turn it off too.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { EduplanError } from '../core/errors.ts';
import { isDatabaseError } from '../store/database-error.ts';
import { CachedGets, cachedGetsServer } from './cached-json.ts';
import type { ServerDeps } from './deps.ts';
import { routeModules } from './routes/index.ts';
import { buildOpenApiDocument, type RouteDoc } from './openapi.ts';

export interface AppOptions {
  readonly logger?: boolean;
  /** Where an unexpected error's one-line report goes (default: standard error). */
  readonly errorLog?: (line: string) => void;
}

export async function buildApp(deps: ServerDeps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const errorLog = opts.errorLog ?? ((line: string) => { process.stderr.write(`${line}\n`); });
  const logger = opts.logger ?? false;
  const gets = new CachedGets();
  gets.enabled = !logger;
  const app = Fastify({ logger, bodyLimit: deps.config.maxUploadBytes, serverFactory: cachedGetsServer(gets) });
  app.decorate('cachedGets', gets);
  // While closing, every request goes to Fastify, which answers 503 and closes the connection.
  app.addHook('preClose', (done) => { gets.enabled = false; done(); });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof EduplanError) return reply.status(err.status).send(err.toJSON());
    const e = err as { validation?: unknown; statusCode?: number; message?: string };
    if (e.validation || (e.statusCode !== undefined && e.statusCode < 500)) {
      const ee = new EduplanError('E_INPUT_INVALID', { detail: e.message ?? String(err) });
      return reply.status(e.statusCode ?? 400).send(ee.toJSON());
    }
    // Unexpected: E_DB only when the database raised it, otherwise a defect (E_INTERNAL).
    // The client gets the request id to quote; the details stay in the server's log line.
    const code = isDatabaseError(err) ? 'E_DB' : 'E_INTERNAL';
    app.log.error(err);
    errorLog(unexpectedErrorLine(req.id, req.method, req.url, code, err));
    return reply.status(500).send(new EduplanError(code, { detail: `request ${req.id}` }).toJSON());
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

/** `<time> req-<id> GET /api/x 500 E_INTERNAL TypeError: … (at file:line)`: one line, no request body or query values. */
function unexpectedErrorLine(id: string, method: string, url: string, code: string, err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const frame = e.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();
  const path = url.split('?')[0] ?? url;
  return `${new Date().toISOString()} req-${id} ${method} ${path} 500 ${code} ${e.name}: ${e.message.replace(/\s+/g, ' ')}${frame ? ` (${frame})` : ''}`;
}
