/**
 * Slow clients (慢速连接防护): every stage of a request has a deadline, so a client that sends
 * its headers or body a byte at a time holds a socket for a bounded time and nothing else
 * (ASVS V13/V12 resource limits; the slowloris and slow-POST patterns).
 *
 *   headers   Node's `headersTimeout`: the request line and headers within 30 s;
 *   body      this module's `preParsing` deadline: an ordinary body (JSON, a form workbook)
 *             within 2 min — else 408 E_REQUEST_TIMEOUT and the connection is closed;
 *   request   Node's `requestTimeout`: the whole request within 15 min. This is the bound for
 *             the student-record upload (up to 300 MiB streamed to disk; 15 min ≈ 0.35 MB/s),
 *             which is exempt from the 2-minute body deadline;
 *   idle      a socket with no traffic for 2 min is closed (Fastify `connectionTimeout`).
 *
 * Node checks the headers and request deadlines on a timer (`connectionsCheckingInterval`,
 * default 30 s); it is set to a fraction of the headers deadline so that they hold closely.
 */
import type { FastifyInstance } from 'fastify';
import { EduplanError } from '../core/errors.ts';

export interface ServerTimeouts {
  readonly headersMs: number;
  readonly bodyMs: number;
  readonly requestMs: number;
  readonly idleMs: number;
}

export const defaultTimeouts: ServerTimeouts = {
  headersMs: 30_000,
  bodyMs: 120_000,
  requestMs: 15 * 60_000,
  idleMs: 120_000,
};

export function timeoutsOf(overrides: Partial<ServerTimeouts> | undefined): ServerTimeouts {
  const t = { ...defaultTimeouts, ...(overrides ?? {}) };
  // Node requires requestTimeout ≥ headersTimeout.
  return { ...t, requestMs: Math.max(t.requestMs, t.headersMs) };
}

/** Options for node:http `createServer` (cached-json.ts `cachedGetsServer`). */
export function httpServerOptions(t: ServerTimeouts): { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number } {
  return { headersTimeout: t.headersMs, requestTimeout: t.requestMs, connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(t.headersMs / 4))) };
}

/**
 * The body deadline for every route but those `exempt` (which bound their own body, like the
 * streamed student upload). On expiry the body stream fails with E_REQUEST_TIMEOUT (408),
 * answered by the error handler, and the connection is closed (the rest of the body is never read).
 */
export function registerBodyDeadline(app: FastifyInstance, bodyMs: number, exempt: (url: string) => boolean): void {
  app.addHook('preParsing', async (req, reply, payload) => {
    if (exempt(req.routeOptions.url ?? req.url)) return payload;
    const timer = setTimeout(() => {
      reply.header('connection', 'close');
      // An error on the body stream (not destroy(), which would drop the socket unanswered):
      // Fastify's body reader stops and answers it through the error handler.
      payload.emit('error', new EduplanError('E_REQUEST_TIMEOUT', { detail: `the request body did not arrive within ${Math.round(bodyMs / 1000)} s / 请求体未在 ${Math.round(bodyMs / 1000)} 秒内传完` }));
    }, bodyMs);
    timer.unref();
    const done = (): void => clearTimeout(timer);
    payload.once('end', done);
    payload.once('close', done);
    payload.once('error', done);
    return payload;
  });
}
