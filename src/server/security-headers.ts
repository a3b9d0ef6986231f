/**
 * Security headers (安全响应头) on every answer: Fastify's (an onRequest hook in app.ts, so
 * errors, 404s and static files carry them too) and the fast path's (cached-json.ts adds the
 * same object), per OWASP ASVS 4.0.3 V14.4 (HTTP security headers) and MLPS 2.0 L3 web
 * application protection (reliability-security.md).
 *
 * Content-Security-Policy: the portal is a Vite build of module scripts and stylesheets from
 * this origin, so scripts are `'self'` only (no inline script, no eval). Styles allow
 * `'unsafe-inline'` because ECharts' tooltips are HTML strings with `style="…"` attributes
 * and React sets inline styles; script is what CSP must hold. Images and fonts may be
 * `data:` (Vite inlines small assets) and `blob:` (chart PNG downloads). No frames, plugins
 * or foreign form targets; `frame-ancestors 'none'` and X-Frame-Options DENY stop clickjacking.
 *
 * HSTS only when the server is reached over TLS (`ServerConfig.tls`, EDUPLAN_TLS): a browser
 * ignores it over plain HTTP, and on a test machine it would pin `localhost` to HTTPS.
 */
import type { ServerConfig } from './deps.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** One year, the HSTS preload list's minimum. */
const HSTS_MAX_AGE = 31_536_000;

/** Whether the server is reached over HTTPS (a TLS proxy in front): the same default as the session cookie's `Secure`. */
export function behindTls(config: Pick<ServerConfig, 'tls' | 'secureCookies' | 'demo'>): boolean {
  return config.tls ?? config.secureCookies ?? !config.demo;
}

/** The headers every answer carries (lower-case names, built once per server). */
export function securityHeaders(config: Pick<ServerConfig, 'tls' | 'secureCookies' | 'demo'>): Readonly<Record<string, string>> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Paths can name org units and forms: no referrer leaves the site.
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(behindTls(config) ? { 'strict-transport-security': `max-age=${HSTS_MAX_AGE}; includeSubDomains` } : {}),
  };
}

/**
 * Answers that must never be stored by a browser or a proxy (ASVS V8.2.1): whatever a
 * signed-in account was shown (`req.account` is set by authenticate), and the sign-in
 * routes themselves, whose answers set the session cookie.
 */
export function mustNotStore(url: string, signedIn: boolean): boolean {
  return signedIn || url.startsWith('/api/auth/') || url === '/api/setup';
}
