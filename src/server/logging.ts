/**
 * The server's log (运行日志): structured JSON lines from pino (the logger Fastify ships),
 * one line per request with its request id, and one `error` line with the stack for every
 * 500 (app.ts). MLPS 2.0 L3 security audit asks that each event carry time, source address,
 * type and outcome; ASVS V7.1 asks that logs hold no credentials, session tokens or
 * personal data beyond what is needed.
 *
 * What is never written: request bodies and query values (not logged at all), and under
 * `redact` any field named like a secret or a student's data wherever a caller passes it —
 * passwords, TOTP codes, session cookies and tokens, student numbers, pseudonyms. Requests
 * are logged by path (`/api/progress`), without the query string.
 *
 * One line per request, from both ways an answer leaves: Fastify (`AccessLog`, which
 * replaces Fastify's two "incoming"/"completed" lines) and the cached-JSON fast path
 * (cached-json.ts calls `accessLine`). Both use `nextRequestId`, so ids are unique per process.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config.ts';


export interface LogOptions {
  readonly level: LogLevel;
  /** Where lines go (default: standard output). Tests pass a stream that collects them. */
  readonly stream?: DestinationStream;
}

/** Keys whose values are secrets or personal data, redacted at any depth of what a caller logs. */
const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  'password', 'current', 'next', 'newpassword', 'totp', 'totp_code', 'totpcode', 'otp', 'secret', 'token', 'cookie', 'authorization', 'set-cookie',
  'student_no', 'studentno', 'student_number', 'studentnumber', 'national_id', 'id_number', 'pseudonym', 'x-file-name',
]);

const CENSOR = '[redacted]';

/**
 * Fixed paths pino redacts before serialising: a database error's fields that quote the row
 * that failed (`Key (pseudonym)=(…)`), and the request/response headers if a caller logs them.
 */
export const REDACT_PATHS: readonly string[] = ['err.detail', 'err.where', 'err.parameters', 'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'];

/** A copy of `v` with every sensitive key's value censored (depth-limited; shares what needs no change). */
function redactDeep(v: unknown, depth: number): unknown {
  if (depth > 8 || v === null || typeof v !== 'object' || v instanceof Error) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    v.forEach((x, i) => {
      const r = redactDeep(x, depth + 1);
      if (r !== x) (out ??= [...v])[i] = r;
    });
    return out ?? v;
  }
  let out: Record<string, unknown> | null = null;
  for (const [k, x] of Object.entries(v)) {
    const r = SENSITIVE_KEYS.has(k.toLowerCase()) ? CENSOR : redactDeep(x, depth + 1);
    if (r !== x) (out ??= { ...(v as Record<string, unknown>) })[k] = r;
  }
  return out ?? v;
}

export function createLogger(opts: LogOptions): Logger {
  return pino({
    level: opts.level,
    redact: { paths: [...REDACT_PATHS], censor: CENSOR },
    formatters: { log: (obj) => redactDeep(obj, 0) as Record<string, unknown> },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, opts.stream ?? pino.destination(1));
}

/** A prefix per process (restarts do not reuse ids in one log) and a counter: cheap and unique. */
const idPrefix = randomBytes(3).toString('hex');
let idCounter = 0;
export function nextRequestId(): string {
  idCounter = (idCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${idPrefix}-${idCounter.toString(36)}`;
}

/** The path of a raw URL, without the query (which may carry values). */
export const pathOf = (url: string | undefined): string => {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
};

/** The one request line both paths write: `{reqId, method, path, status, ms, ip}`, "request". */
export function accessLine(log: Logger, reqId: string, req: IncomingMessage, status: number, ms: number): void {
  log.info({ reqId, method: req.method, path: pathOf(req.url), status, ms: Math.round(ms * 100) / 100, ip: req.socket.remoteAddress }, 'request');
}

/**
 * Fastify's request log lines, as one line per request (`accessLine`'s shape). A 500 is
 * logged by app.ts's error handler, with its stack; an error raised after the answer began
 * (a broken stream) is logged here at `error`.
 */
export class AccessLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'reqId' });
  }

  override incomingRequest(): void {
    // One line per request, written when it completes.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { method: request.method, path: pathOf(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100, ip: request.ip };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else reply.log.info(fields, 'request');
  }
}
