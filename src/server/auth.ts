/**
 * Authentication at the HTTP edge: who is calling. A session is a random opaque token in an
 * HttpOnly, SameSite=Strict cookie (stored hashed, services/auth.ts). State-changing
 * requests must carry `X-Requested-With: eduplan` and, when the browser sends an Origin,
 * come from this site (CSRF: a cross-site form can set neither).
 *
 *   await authenticate(req, deps);              // 401 unless signed in
 *   service(sdeps, actorOf(req), input);        // the service decides what the account may do
 *
 * What an account may do is decided in services (src/services/authorize.ts), never here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { EduplanError } from '../core/errors.ts';
import { auditAlone } from '../services/audit.ts';
import { defaultAuthPolicy, resolveSession, type AuthAccount, type AuthDeps } from '../services/auth.ts';
import type { Actor } from '../services/deps.ts';
import type { ServerDeps } from './deps.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`. */
    account?: AuthAccount;
  }
}

export const SESSION_COOKIE = 'eduplan_session';
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'eduplan';

export function authDeps(deps: ServerDeps): AuthDeps {
  return { store: deps.store, clock: deps.clock, policy: { ...defaultAuthPolicy, ...(deps.config.auth ?? {}) } };
}

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function setSessionCookie(reply: FastifyReply, deps: ServerDeps, token: string | null): void {
  const secure = deps.config.secureCookies ?? !deps.config.demo;
  const parts = [`${SESSION_COOKIE}=${token ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  if (token === null) parts.push('Max-Age=0');
  reply.header('set-cookie', parts.join('; '));
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** CSRF defence for state-changing requests (ASVS 50.?/OWASP CSRF: custom request header + Origin check). */
export function checkCsrf(req: FastifyRequest): void {
  if (safeMethods.has(req.method)) return;
  const h = req.headers[CSRF_HEADER];
  const ok = (Array.isArray(h) ? h[0] : h)?.toLowerCase() === CSRF_VALUE;
  const origin = req.headers.origin;
  let sameOrigin = true;
  if (origin !== undefined && origin !== 'null') {
    try { sameOrigin = new URL(origin).host === req.headers.host; } catch { sameOrigin = false; }
  } else if (origin === 'null') sameOrigin = false;
  if (!ok || !sameOrigin) throw new EduplanError('E_CSRF');
}

export function clientIp(req: FastifyRequest): string | null {
  return req.ip ?? null;
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.account) throw new EduplanError('E_AUTH_REQUIRED');
  return { account: req.account, ip: clientIp(req) };
}

/**
 * The signed-in account for this request, or E_AUTH_REQUIRED (401). A session still
 * waiting for its second factor is refused (E_TOTP_REQUIRED) unless `allowPartial`; an
 * account that must change its password can only do that (`allowPasswordChange`).
 */
export async function authenticate(req: FastifyRequest, deps: ServerDeps, opts: { allowPartial?: boolean; allowPasswordChange?: boolean } = {}): Promise<AuthAccount> {
  checkCsrf(req);
  let account = req.account;
  if (!account) {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) {
      await auditAlone(deps.store, deps.clock(), { actorId: null, actor: 'anonymous', action: 'access.denied', outcome: 'denied', ip: clientIp(req), after: { method: req.method, url: req.routeOptions.url ?? req.url, reason: 'no_session' } });
      throw new EduplanError('E_AUTH_REQUIRED');
    }
    account = await resolveSession(authDeps(deps), token);
    req.account = account;
  }
  if (!account.mfaDone && !opts.allowPartial) throw new EduplanError('E_TOTP_REQUIRED');
  if (account.mustChangePassword && !opts.allowPasswordChange) {
    throw new EduplanError('E_FORBIDDEN', { detail: 'change your password first: POST /api/auth/password / 请先修改口令' });
  }
  return account;
}



