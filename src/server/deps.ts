/**
 * What routes get: the store and the services' dependencies, passed in (never imported
 * as globals) so that HTTP tests run in process on a throwaway store with a fixed clock.
 */
import { credentialKeyPem, pseudonymKey, retiredCredentialKeysPath, type Config } from '../config.ts';
import { readRetiredKeys } from '../services/credits/keys.ts';
import type { PublicJwk } from '../services/credits/signing.ts';
import type { Store } from '../store/store.ts';

export interface ServerConfig {
  /** Demo mode: documented demo accounts exist; never in production. */
  readonly demo: boolean;
  /** Key for pseudonymising student numbers (keyed HMAC); never stored with the data. */
  readonly pseudonymKey: string;
  /** Upload limits (bytes / rows) for imports. */
  readonly maxUploadBytes: number;
  /**
   * Limit for student-record uploads (routes/student-uploads.ts); default
   * max(maxUploadBytes, 300 MiB): a 1.5 M-row fitness CSV is ~250 MB.
   */
  readonly maxStudentUploadBytes?: number;
  /**
   * Sign-in policy overrides (idle timeout, lockout, scrypt cost); defaults in
   * services/auth.ts `defaultAuthPolicy` (idle 30 min, 5 failures → 30 min lock).
   */
  readonly auth?: Partial<import('../services/auth.ts').AuthPolicy>;
  /** Mark the session cookie `Secure` (behind TLS; default true outside demo mode). */
  readonly secureCookies?: boolean;
  /**
   * Clients reach the server over HTTPS (config.ts EDUPLAN_TLS): sends HSTS
   * (security-headers.ts). Default: `secureCookies`, else true outside demo mode.
   */
  readonly tls?: boolean;
  /** Addresses of the reverse proxies whose X-Forwarded-For is believed (config.ts EDUPLAN_TRUST_PROXY): rate limits key on the client's address. */
  readonly trustProxy?: string;
  /** Deadlines for slow clients (timeouts.ts `defaultTimeouts`). */
  readonly timeouts?: Partial<import('./timeouts.ts').ServerTimeouts>;
  /** Replace throttling rules by `METHOD /url` (rate-limits.ts `defaultRateLimits`). */
  readonly rateLimits?: Partial<Record<string, import('./rate-limits.ts').RateLimitRule>>;
  /** The portal build to serve (config.ts EDUPLAN_WEB_DIR); default the repository's dist/web. */
  readonly webDir?: string;
  /**
   * The credit bank's signing key (PEM) and public URL (config.ts EDUPLAN_CREDENTIAL_KEY_FILE,
   * EDUPLAN_PUBLIC_URL); without it the credit bank's routes answer E_CONFIG.
   */
  readonly credential?: { readonly keyPem: string; readonly publicUrl: string; readonly retiredKeys?: readonly PublicJwk[] };
}

export interface ServerDeps {
  readonly store: Store;
  readonly clock: () => Date;
  readonly config: ServerConfig;
}

export type RouteModule = (app: import('fastify').FastifyInstance, deps: ServerDeps) => Promise<void>;

/**
 * The server's part of the configuration. The pseudonym key is resolved here exactly as the
 * CLI's importers resolve it (config.ts `pseudonymKey`): a student uploaded through the web
 * gets the pseudonym `eduplan fitness import` gives them.
 */
export function serverConfigOf(config: Config): ServerConfig {
  return {
    demo: config.demo,
    pseudonymKey: pseudonymKey(config),
    maxUploadBytes: config.maxUploadBytes,
    // The demo's shared accounts keep their documented password (demo mode only).
    auth: { passwordMaxAgeMs: config.demo ? 0 : config.passwordMaxAgeDays * 86_400_000 },
    ...(config.tls !== undefined ? { tls: config.tls, secureCookies: config.tls } : {}),
    ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
    ...(config.webDir !== undefined ? { webDir: config.webDir } : {}),
    ...(config.demo || config.credentialKeyFile !== undefined ? { credential: { keyPem: credentialKeyPem(config), publicUrl: config.publicUrl, retiredKeys: readRetiredKeys(retiredCredentialKeysPath(config)) } } : {}),
  };
}
