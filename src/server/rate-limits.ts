/**
 * Throttling (访问频率限制) with @fastify/rate-limit, attached here by route URL so that route
 * modules need not know about it (routes/auth.ts and the services behind it are restructured
 * independently): an `onRoute` hook, added before any route, sets each listed route's
 * `config.rateLimit`, which the plugin reads when the route is added.
 *
 * What is limited, per client address (`req.ip`: behind a reverse proxy set
 * EDUPLAN_TRUST_PROXY, or every client shares the proxy's address and its limit):
 *   - sign-in, TOTP, first-start setup, password change: online guessing (ASVS V2.2.1). The
 *     lockout per account+address (services/auth.ts) stops guessing one account; this bounds
 *     guessing many accounts from one address (password spraying) and the scrypt work each
 *     try costs the server (32 MiB, ~50 ms);
 *   - the public scoring endpoint: CPU per request (its batch is capped too, routes/fitness.ts);
 *   - assessment exports, PDF above all: each PDF starts a Chromium;
 *   - feedback (意见反馈, not built yet): its limit is listed below, so the route is throttled
 *     the moment it is added as `POST /api/feedback`.
 * An answer over the limit is 429 E_RATE_LIMITED with Retry-After. Limits are counted in
 * memory per server process (a restart forgets them; several processes each count their own).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EduplanError } from '../core/errors.ts';
import type { RouteDoc } from './openapi.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route's OpenAPI description (openapi.ts). Declared here because the rate-limit
     * plugin adds `rateLimit` to this interface, after which a config holding only
     * `openapi` no longer type-checks as one.
     */
    openapi?: RouteDoc;
  }
}

export interface RateLimitRule {
  /** Requests allowed per window and key. */
  readonly max: number;
  readonly windowMs: number;
  /** What is counted together besides the address (e.g. the export format); default the address alone. */
  readonly key?: (req: FastifyRequest) => string;
}

/** `METHOD /url` as the route was declared → its limit. */
export type RateLimits = Readonly<Record<string, RateLimitRule>>;

const MINUTE = 60_000;

const exportFormat = (req: FastifyRequest): string => {
  const f = (req.query as { format?: unknown } | undefined)?.format;
  return f === 'pdf' ? 'pdf' : 'file';
};

export const defaultRateLimits: RateLimits = {
  // Ten a minute: a person mistyping gets several tries; twelve wrong in a minute meet a 429.
  'POST /api/auth/login': { max: 10, windowMs: MINUTE },
  'POST /api/auth/totp': { max: 10, windowMs: MINUTE },
  'POST /api/setup': { max: 5, windowMs: MINUTE },
  'POST /api/auth/password': { max: 5, windowMs: MINUTE },
  // A batch of up to 5,000 records every two seconds, on average, per address.
  'POST /api/fitness/score': { max: 30, windowMs: MINUTE },
  // PDF: each starts a browser (~1 s of CPU, ~150 MiB); xlsx and HTML are cheap.
  'GET /api/assessments/:kind/:district/:year/export': { max: 30, windowMs: MINUTE, key: exportFormat },
  // The hook for public feedback (not built yet): five messages per ten minutes per address.
  'POST /api/feedback': { max: 5, windowMs: 10 * MINUTE },
};

/** PDF exports count separately and are allowed fewer. */
const PDF_EXPORTS_PER_MINUTE = 5;

/**
 * Register the plugin (not global: only listed routes are limited) and the hook that attaches
 * each listed route's limit. Call before any route is added. `overrides` replace rules by key
 * (ServerConfig.rateLimits: tests, or a site with larger NATs).
 */
export async function registerRateLimits(app: FastifyInstance, overrides: Partial<Record<string, RateLimitRule>> = {}): Promise<void> {
  const rules: Record<string, RateLimitRule> = { ...defaultRateLimits };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) rules[k] = v;
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    for (const method of methods) {
      const rule = rules[`${method} ${route.url}`];
      if (rule === undefined) continue;
      const pdfLimited = route.url.endsWith('/export');
      route.config = {
        ...(route.config ?? {}),
        rateLimit: {
          max: pdfLimited ? (req: FastifyRequest) => (exportFormat(req) === 'pdf' ? Math.min(rule.max, PDF_EXPORTS_PER_MINUTE) : rule.max) : rule.max,
          timeWindow: rule.windowMs,
          ...(rule.key !== undefined ? { keyGenerator: (req: FastifyRequest) => `${req.ip}|${rule.key!(req)}` } : {}),
        },
      };
      break;
    }
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new EduplanError('E_RATE_LIMITED', { detail: `over ${ctx.max} requests from one address; retry in ${ctx.after} / 请求过多，请 ${ctx.after} 后再试` }),
  });
}
