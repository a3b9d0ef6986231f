/**
 * The HTTP application: Fastify with thin routes over services. Errors from the
 * catalogue become `{error: {code, message_zh, message_en, fix_zh, fix_en, problems}}`
 * with the catalogue's status.
 *
 * The server in front of Fastify answers repeat GETs of the public cached-JSON routes
 * itself (cached-json.ts: the portal's hottest requests, without Fastify's per-request
 * work). What every answer needs is done on both paths: the security headers
 * (security-headers.ts) and the request's log line (logging.ts). A global hook added here
 * must be mirrored in cached-json.ts, or turn the fast path off (`gets.enabled`).
 *
 * Every request, whichever path: security headers; text the database cannot store
 * (NUL, lone surrogates) and undecodable session cookies refused with 400 (input-guard.ts);
 * `Cache-Control: no-store` on anything a signed-in account was shown.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { EduplanError } from '../core/errors.ts';
import { isDatabaseError } from '../store/database-error.ts';
import { SESSION_COOKIE } from './auth.ts';
import { CachedGets, cachedGetsServer } from './cached-json.ts';
import type { ServerDeps } from './deps.ts';
import { checkCookie, refuseUnstorableText } from './input-guard.ts';
import { AccessLog, accessLine, createLogger, nextRequestId, type LogOptions } from './logging.ts';
import { registerHealth } from './health.ts';
import { registerRateLimits } from './rate-limits.ts';
import { routeModules } from './routes/index.ts';
import { buildOpenApiDocument, type RouteDoc } from './openapi.ts';
import { mustNotStore, securityHeaders } from './security-headers.ts';
import { httpServerOptions, registerBodyDeadline, timeoutsOf } from './timeouts.ts';

export interface AppOptions {
  /** The structured log (logging.ts): `true` = level info on standard output; off by default (tests). */
  readonly logger?: boolean | LogOptions;
  /**
   * Where an unexpected error's one-line report goes: default standard error when there is
   * no logger (with a logger, the 500 is a structured `error` line with its stack).
   */
  readonly errorLog?: (line: string) => void;
}

const levelRank: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export async function buildApp(deps: ServerDeps, opts: AppOptions = {}): Promise<FastifyInstance> {
  const logOptions: LogOptions | null = opts.logger === true ? { level: 'info' } : opts.logger === false || opts.logger === undefined ? null : opts.logger;
  const logger: Logger | null = logOptions === null ? null : createLogger(logOptions);
  const errorLog = opts.errorLog ?? (logger === null ? ((line: string) => { process.stderr.write(`${line}\n`); }) : null);
  const gets = new CachedGets();
  const headers = securityHeaders(deps.config);
  gets.headers = headers;
  if (logger !== null && levelRank[logger.level]! <= levelRank.info!) {
    const log = logger;
    gets.onAnswer = (req, status, start) => { accessLine(log, nextRequestId(), req, status, performance.now() - start); };
  }
  const baseLogger: FastifyBaseLogger | null = logger;
  const timeouts = timeoutsOf(deps.config.timeouts);
  const app = Fastify({
    ...(baseLogger !== null ? { loggerInstance: baseLogger, logController: new AccessLog() } : { logger: false }),
    genReqId: () => nextRequestId(),
    bodyLimit: deps.config.maxUploadBytes,
    ...(deps.config.trustProxy !== undefined ? { trustProxy: deps.config.trustProxy } : {}),
    connectionTimeout: timeouts.idleMs,
    requestTimeout: timeouts.requestMs,
    serverFactory: cachedGetsServer(gets, httpServerOptions(timeouts)),
  });
  app.decorate('cachedGets', gets);
  // While closing, every request goes to Fastify, which answers 503 and closes the connection.
  app.addHook('preClose', (done) => { gets.enabled = false; done(); });

  app.addHook('onRequest', async (req, reply) => {
    reply.headers(headers);
    checkCookie(req.headers.cookie, SESSION_COOKIE);
  });
  // The student-record upload streams up to 300 MiB to disk: bounded by the request deadline instead.
  registerBodyDeadline(app, timeouts.bodyMs, (url) => url === '/api/student-records/uploads');
  app.addHook('preValidation', async (req) => {
    refuseUnstorableText(req.query, 'query');
    refuseUnstorableText(req.params, 'params');
  });
  // Fastify's own JSON parser (prototype-poisoning checks kept), then the unstorable-text check.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    defaultJson(req, typeof body === 'string' ? body : body.toString('utf8'), (err, value) => {
      if (err) { done(err, undefined); return; }
      try {
        refuseUnstorableText(value, 'body');
        done(null, value);
      } catch (e) {
        done(e as Error, undefined);
      }
    });
  });
  app.addHook('onSend', async (req: FastifyRequest, reply, payload) => {
    if (mustNotStore(req.url, req.account !== undefined)) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof EduplanError) return reply.status(err.status).send(err.toJSON());
    const e = err as { validation?: unknown; statusCode?: number; message?: string };
    if (e.validation || (e.statusCode !== undefined && e.statusCode < 500)) {
      const ee = new EduplanError('E_INPUT_INVALID', { detail: e.message ?? String(err) });
      return reply.status(e.statusCode ?? 400).send(ee.toJSON());
    }
    // Unexpected: E_DB only when the database raised it, otherwise a defect (E_INTERNAL).
    // The client gets the request id to quote; the details stay in the server's log.
    const code = isDatabaseError(err) ? 'E_DB' : 'E_INTERNAL';
    const line = unexpectedErrorLine(req.id, req.method, req.url, code, err);
    if (logger !== null) req.log.error({ errorCode: code, method: req.method, path: req.url.split('?')[0], err }, line);
    errorLog?.(line);
    return reply.status(500).send(new EduplanError(code, { detail: `request ${req.id}` }).toJSON());
  });
  registerHealth(app, deps.store, performance.now());
  await registerRateLimits(app, deps.config.rateLimits);
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
