/**
 * Answers for the public cached-JSON GETs (routes/progress.ts), and a fast path that sends
 * them without Fastify's per-request work.
 *
 * Why a fast path: under 100 connections the progress route's own work is a map lookup
 * (0.08 ms server-side p99), and the main thread's time goes to Node's HTTP code, Fastify's
 * request and reply objects, routing, hooks and the query's zod parse (~9 KB allocated per
 * request, almost none of it ours). In an A/B on this machine (two servers in one process,
 * alternating 8 s wrk runs, 7.8 KB brotli body) the fast path gave 12–33 % more throughput
 * and a 6–13 % lower p99; in the portal bench's same-run A/B its p99 was the lower one in all
 * 8 runs. docs/indicators.md "Portal API" has the figures.
 *
 * How it stays identical to Fastify's answer: it answers only a raw URL that the route
 * itself already answered from the cache (`learn`, called by the route after its query
 * validation passed), only a GET without a body, and only while that URL's response is
 * still cached. Both paths build the status and headers with `cachedJsonAnswer`. Anything
 * else — a new or invalid URL, a cache miss after a recompute, HEAD, a body, the server
 * closing — goes to Fastify as before.
 *
 * What must happen on every request happens here too, set by `buildApp`: the security
 * headers (`headers`, the object Fastify's onRequest hook sets, first in both answers) and
 * the request's log line (`onAnswer`, the line Fastify's AccessLog writes; off when the log
 * level is above `info`). A global hook added to app.ts later must be mirrored here, or turn
 * the fast path off (`enabled`).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import type { CachedJson, ContentCoding, EncodedBody } from './figures-cache.ts';
import { chooseCoding } from './content-coding.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface JsonAnswer {
  readonly status: 200 | 304;
  /** Every header but Date, Connection and Keep-Alive (Node's), content-length included for 200. */
  readonly headers: Readonly<Record<string, string>>;
  /** null for 304 */
  readonly body: Buffer | null;
}

/** Does If-None-Match list `etag` (or its weak form: RFC 9110 §13.1.2 uses weak comparison)? */
function matches(ifNoneMatch: string, etag: string): boolean {
  for (const t of ifNoneMatch.split(',')) {
    const tag = t.trim();
    if (tag === etag || tag === `W/${etag}`) return true;
  }
  return false;
}

/** The two answers for one representation, built once (no header object per request). */
const answers = new WeakMap<EncodedBody, { readonly ok: JsonAnswer; readonly notModified: JsonAnswer }>();

function answersFor(rep: EncodedBody, coding: ContentCoding): { readonly ok: JsonAnswer; readonly notModified: JsonAnswer } {
  let a = answers.get(rep);
  if (a === undefined) {
    const { etag, bytes } = rep;
    const common = { etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
    // content-length last, as Fastify adds it to a Buffer reply (which keeps one that is already right).
    const ok = { ...common, ...(coding === 'identity' ? {} : { 'content-encoding': coding }), 'content-type': JSON_TYPE, 'content-length': String(bytes.length) };
    a = { ok: { status: 200, headers: ok, body: bytes }, notModified: { status: 304, headers: common, body: null } };
    answers.set(rep, a);
  }
  return a;
}

/**
 * The answer to a GET of a cached response: the representation in the coding the client
 * accepts (content-coding.ts) with its strong ETag, or 304 and no body when If-None-Match
 * lists that tag. `no-cache` = a client may keep it but must revalidate, so a recompute
 * shows at once. `vary: accept-encoding` on every answer, 304 included (RFC 9110 §15.4.5):
 * a shared cache must not give the brotli bytes to a client that did not ask for them.
 */
export function cachedJsonAnswer(headers: IncomingHttpHeaders, cached: CachedJson): JsonAnswer {
  const coding = chooseCoding(headers['accept-encoding']);
  const rep = cached[coding];
  const a = answersFor(rep, coding);
  const inm = headers['if-none-match'];
  return inm !== undefined && matches(inm, rep.etag) ? a.notModified : a.ok;
}

/** At most this many raw URLs are remembered; when full the list starts again (query spellings are unbounded). */
const MAX_URLS = 1024;

/** The raw URLs the fast path may answer, each with a synchronous look-up of its cached response. */
export class CachedGets {
  private readonly known = new Map<string, () => CachedJson | undefined>();
  /** Off while the server closes (Fastify then answers 503) and when every request must reach Fastify. */
  enabled = true;
  /** Requests answered here (the bench and the tests read it). */
  answered = 0;
  /** Headers every answer carries (security-headers.ts), sent before the answer's own, as Fastify's onRequest hook does. */
  headers: Readonly<Record<string, string>> = {};
  /** Called after each answer sent here (the request log line); `start` is performance.now() on arrival. */
  onAnswer: ((req: IncomingMessage, status: number, start: number) => void) | null = null;
  /** `headers` + an answer's own, built once per answer (no header object per request). */
  private readonly merged = new WeakMap<JsonAnswer, Readonly<Record<string, string>>>();

  private headersOf(a: JsonAnswer): Readonly<Record<string, string>> {
    let h = this.merged.get(a);
    if (h === undefined) {
      h = { ...this.headers, ...a.headers };
      this.merged.set(a, h);
    }
    return h;
  }

  /**
   * The route answered `url` from the cache; `lookup` finds the same cache entry without
   * building it (undefined after a recompute, until the route builds it again).
   */
  learn(url: string, lookup: () => CachedJson | undefined): void {
    if (this.known.has(url)) return;
    if (this.known.size >= MAX_URLS) this.known.clear();
    this.known.set(url, lookup);
  }

  /** Answer `req` from the cache and return true, or return false and leave it to Fastify. */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.enabled || req.method !== 'GET' || req.url === undefined) return false;
    const start = this.onAnswer === null ? 0 : performance.now();
    const lookup = this.known.get(req.url);
    if (lookup === undefined) return false;
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) return false;
    const cached = lookup();
    if (cached === undefined) return false;
    const a = cachedJsonAnswer(req.headers, cached);
    this.answered += 1;
    // As Fastify sends a Buffer: writeHead, then one end() (headers and body in one write).
    res.writeHead(a.status, this.headersOf(a));
    if (a.body === null) res.end();
    else res.end(a.body);
    this.onAnswer?.(req, a.status, start);
    return true;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The fast path's URL list (app.ts); routes that answer from the progress cache add to it. */
    cachedGets: CachedGets;
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * A Fastify `serverFactory`: the node:http server Fastify would create (same options,
 * fastify/lib/server.js `getServerInstance`), with `gets` in front of Fastify's handler;
 * `extra` adds node:http options Fastify does not pass on (headersTimeout: timeouts.ts).
 */
export function cachedGetsServer(gets: CachedGets, extra: ServerOptions = {}): FastifyServerFactory<Server> {
  return (handler, opts) => {
    const http = opts.http;
    const server = createServer({ ...(typeof http === 'object' && http !== null ? http : {}), ...extra }, (req, res) => {
      if (!gets.answer(req, res)) handler(req, res);
    });
    const keepAlive = num(opts.keepAliveTimeout);
    if (keepAlive !== undefined) server.keepAliveTimeout = keepAlive;
    const requestTimeout = num(opts.requestTimeout);
    if (requestTimeout !== undefined) server.requestTimeout = requestTimeout;
    server.setTimeout(num(opts.connectionTimeout) ?? 0);
    const perSocket = num(opts.maxRequestsPerSocket);
    if (perSocket !== undefined && perSocket > 0) server.maxRequestsPerSocket = perSocket;
    return server;
  };
}
