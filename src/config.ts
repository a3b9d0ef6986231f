/**
 * Configuration (配置): the one place that reads the environment. `eduplan <command>`
 * reads it once, at start (cli/main.ts), and passes the typed `Config` down: `start` hands
 * the server its part (ServerConfig), the store is opened from `databaseUrl`/`dataDir`,
 * and every importer gets its pseudonym key from `pseudonymKey(config)` — so the CLI and the
 * server, given the same environment, give a student the same pseudonym.
 *
 * | variable                    | default              | meaning |
 * |-----------------------------|----------------------|---------|
 * | PORT                        | 3000                 | HTTP port (`eduplan start --port` overrides) |
 * | HOST                        | 0.0.0.0              | listen address |
 * | DATABASE_URL                | (unset → PGlite)     | postgres://… to use a PostgreSQL server |
 * | EDUPLAN_DATA_DIR            | ./data               | PGlite data directory |
 * | EDUPLAN_DEMO                | 1                    | 0: production (no demo data, no demo accounts, a pseudonym key must be given) |
 * | EDUPLAN_DEMO_SCALE          | 0.1                  | demo size as a fraction of Tianjin (1 ≈ 3,800 schools) |
 * | EDUPLAN_DEMO_SEED           | 2021                 | demo generator seed |
 * | EDUPLAN_DEMO_STUDENT_SAMPLE | 0.1                  | share of students with fitness/vision records in the demo |
 * | EDUPLAN_PSEUDONYM_KEY       | (demo: key file)     | HMAC key for student pseudonyms; required outside demo mode |
 * | EDUPLAN_AUDIT_KEY           | (demo: key file)     | HMAC key of the audit chain and its checkpoints; required outside demo mode |
 * | EDUPLAN_AUDIT_KEY_PREVIOUS  | (none)               | retired audit keys, comma-separated: still verify the events they chained |
 * | EDUPLAN_TOTP_KEY            | (demo: key file)     | encrypts TOTP secrets at rest (AES-256-GCM); required outside demo mode |
 * | EDUPLAN_TOTP_KEY_PREVIOUS   | (none)               | retired TOTP keys, comma-separated: secrets sealed with them are re-sealed |
 * | EDUPLAN_PASSWORD_MAX_AGE_DAYS | 90                 | a password older than this must be changed at sign-in; 0 = no maximum (not applied in demo mode) |
 * | EDUPLAN_CREDENTIAL_KEY_FILE | (demo: key file)     | PEM (PKCS#8) Ed25519 or P-256 private key signing the credit bank's credentials; required outside demo mode to issue |
 * | EDUPLAN_PUBLIC_URL          | http://localhost:3000| the public address of the portal: credential issuer id, status list and JWKS URLs |
 * | EDUPLAN_MAX_UPLOAD_MB       | 50                   | largest accepted upload |
 * | EDUPLAN_WEB_DIR             | (the repo's dist/web)| serve the portal from this folder (a packaged build) |
 * | EDUPLAN_TLS                 | (1 outside demo)     | 1: clients reach the server over HTTPS (HSTS, Secure cookie); 0: plain HTTP |
 * | EDUPLAN_TRUST_PROXY         | (unset)              | comma-separated addresses of reverse proxies whose X-Forwarded-For is believed |
 * | LOG_LEVEL                   | info                 | server log level: fatal, error, warn, info, debug, trace, silent |
 * | USER                        | cli                  | who runs a command, for the audit trail of `assess enter/workflow` |
 * | PATH                        | (the shell's)        | where `eduplan backup`/`restore` find pg_dump and pg_restore (then /usr/lib/postgresql/<v>/bin) |
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EduplanError } from './core/errors.ts';
import type { KeyRing, StoreKeys } from './store/keys.ts';

/** Levels of the server's log (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function flagVar(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return undefined;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new EduplanError('E_CONFIG', { detail: `${name}=${env[name]}: use 1 or 0 / ${name} 应为 1 或 0` });
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  /** Absolute path of the PGlite data directory (unused with `databaseUrl`). */
  readonly dataDir: string;
  readonly demo: boolean;
  readonly demoScale: number;
  readonly demoSeed: number;
  readonly demoStudentSample: number;
  readonly maxUploadBytes: number;
  /** EDUPLAN_PSEUDONYM_KEY when given (at least 16 characters); see `pseudonymKey`. */
  readonly pseudonymKeyFromEnv: string | undefined;
  /** Demo mode's key file, beside (not inside) the data directory: `<parent>/.eduplan/pseudonym.key`. */
  readonly demoKeyFile: string;
  /** EDUPLAN_AUDIT_KEY and EDUPLAN_TOTP_KEY when given; see `storeKeys`. */
  readonly auditKeyFromEnv: string | undefined;
  readonly auditKeysPrevious: readonly string[];
  readonly totpKeyFromEnv: string | undefined;
  readonly totpKeysPrevious: readonly string[];
  /** Maximum password age in days (L3-CES1-01: credentials changed periodically); 0 = none. */
  readonly passwordMaxAgeDays: number;
  /** A portal build to serve instead of the repository's dist/web. */
  readonly webDir: string | undefined;
  /** The operating-system user running the command (audit actor when none is given). */
  readonly operator: string;
  /** EDUPLAN_TLS when given: clients reach the server over HTTPS (undefined: the server's default, on outside demo mode). */
  readonly tls: boolean | undefined;
  /** EDUPLAN_TRUST_PROXY: the reverse proxies' addresses (Fastify `trustProxy`). */
  readonly trustProxy: string | undefined;
  /** LOG_LEVEL for the server's structured log. */
  readonly logLevel: LogLevel;
  /** The directories of PATH, where `backup`/`restore` look for pg_dump and pg_restore first. */
  readonly toolDirs: readonly string[];
  /** EDUPLAN_CREDENTIAL_KEY_FILE: the credential signing key (PEM); see `credentialKeyPem`. */
  readonly credentialKeyFile: string | undefined;
  /** Demo mode's credential key, beside the pseudonym key: `<parent>/.eduplan/credential-ed25519.pem`. */
  readonly demoCredentialKeyFile: string;
  /** EDUPLAN_PUBLIC_URL without a trailing slash: the credit bank's issuer id. */
  readonly publicUrl: string;
}

/** The smallest pseudonym key accepted: shorter keys make the HMAC guessable. */
const MIN_KEY_LENGTH = 16;

function numberVar(env: NodeJS.ProcessEnv, name: string, fallback: number, check: (n: number) => boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return checkedNumber(raw, name, check);
}

function checkedNumber(raw: string, name: string, check: (n: number) => boolean): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new EduplanError('E_CONFIG', { detail: `${name}=${raw} is not valid / ${name}=${raw} 无效` });
  }
  return n;
}

const validPort = (n: number): boolean => Number.isInteger(n) && n >= 0 && n < 65536;

/** A port given as text (`PORT`, `eduplan start --port`), checked. */
export function portNumber(raw: string, name: string): number {
  return checkedNumber(raw, name, validPort);
}

/** Read the configuration from `env`; relative paths are taken from `cwd`. Throws E_CONFIG naming the bad variable. */
function keyVar(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = env[name] || undefined;
  if (key !== undefined && key.length < MIN_KEY_LENGTH) {
    throw new EduplanError('E_CONFIG', { detail: `${name} must be at least ${MIN_KEY_LENGTH} characters / ${name} 至少${MIN_KEY_LENGTH}个字符` });
  }
  return key;
}

/** Retired keys, comma-separated (a generated key holds no comma). */
function keyListVar(env: NodeJS.ProcessEnv, name: string): string[] {
  const list = (env[name] ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  for (const k of list) {
    if (k.length < MIN_KEY_LENGTH) throw new EduplanError('E_CONFIG', { detail: `${name}: every key must be at least ${MIN_KEY_LENGTH} characters / ${name} 中每个密钥至少${MIN_KEY_LENGTH}个字符` });
  }
  return list;
}

export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Config {
  const key = keyVar(env, 'EDUPLAN_PSEUDONYM_KEY');
  const demoVar = (env.EDUPLAN_DEMO ?? '').trim().toLowerCase();
  if (!['', '1', 'true', 'yes', '0', 'false', 'no'].includes(demoVar)) {
    throw new EduplanError('E_CONFIG', { detail: `EDUPLAN_DEMO=${env.EDUPLAN_DEMO}: use 1 (demo) or 0 (production) / EDUPLAN_DEMO 应为 1（演示）或 0（正式）` });
  }
  const dataDir = resolve(cwd, env.EDUPLAN_DATA_DIR || './data');
  const logLevel = (env.LOG_LEVEL || 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new EduplanError('E_CONFIG', { detail: `LOG_LEVEL=${env.LOG_LEVEL}: use one of ${LOG_LEVELS.join(', ')} / LOG_LEVEL 取值无效` });
  }
  return {
    port: numberVar(env, 'PORT', 3000, validPort),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    demo: !['0', 'false', 'no'].includes(demoVar),
    demoScale: numberVar(env, 'EDUPLAN_DEMO_SCALE', 0.1, (n) => n > 0 && n <= 2),
    demoSeed: numberVar(env, 'EDUPLAN_DEMO_SEED', 2021, Number.isInteger),
    demoStudentSample: numberVar(env, 'EDUPLAN_DEMO_STUDENT_SAMPLE', 0.1, (n) => n > 0 && n <= 1),
    maxUploadBytes: numberVar(env, 'EDUPLAN_MAX_UPLOAD_MB', 50, (n) => n > 0 && n <= 1024) * 1024 * 1024,
    pseudonymKeyFromEnv: key,
    demoKeyFile: join(dirname(dataDir), '.eduplan', 'pseudonym.key'),
    auditKeyFromEnv: keyVar(env, 'EDUPLAN_AUDIT_KEY'),
    auditKeysPrevious: keyListVar(env, 'EDUPLAN_AUDIT_KEY_PREVIOUS'),
    totpKeyFromEnv: keyVar(env, 'EDUPLAN_TOTP_KEY'),
    totpKeysPrevious: keyListVar(env, 'EDUPLAN_TOTP_KEY_PREVIOUS'),
    passwordMaxAgeDays: numberVar(env, 'EDUPLAN_PASSWORD_MAX_AGE_DAYS', 90, (n) => Number.isInteger(n) && n >= 0 && n <= 3650),
    webDir: env.EDUPLAN_WEB_DIR ? resolve(cwd, env.EDUPLAN_WEB_DIR) : undefined,
    operator: env.USER || 'cli',
    tls: flagVar(env, 'EDUPLAN_TLS'),
    trustProxy: env.EDUPLAN_TRUST_PROXY?.trim() || undefined,
    logLevel: logLevel as LogLevel,
    toolDirs: (env.PATH ?? '').split(':').filter((d) => d !== ''),
    credentialKeyFile: env.EDUPLAN_CREDENTIAL_KEY_FILE ? resolve(cwd, env.EDUPLAN_CREDENTIAL_KEY_FILE) : undefined,
    demoCredentialKeyFile: join(dirname(dataDir), '.eduplan', 'credential-ed25519.pem'),
    publicUrl: publicUrlOf(env.EDUPLAN_PUBLIC_URL),
  };
}

/**
 * Create a demo key file once, readable by its owner only. Written whole under another name,
 * then linked into place: a process starting at the same moment never reads a half-written
 * key, and the first link wins (EEXIST for the other). `make` runs only when the file is missing.
 */
function writeKeyFileOnce(file: string, make: () => string): void {
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, make(), { mode: 0o600 });
  chmodSync(draft, 0o600);
  try {
    linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Demo mode's key file `<name>.key` beside the data directory, created on first use with 32
 * random bytes (hex) and mode 0600. Keys are never stored with the data, which is why the
 * files sit beside the data directory and not in it.
 */
function demoKey(config: Config, name: string): string {
  const file = join(dirname(config.demoKeyFile), `${name}.key`);
  writeKeyFileOnce(file, () => randomBytes(32).toString('hex'));
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < MIN_KEY_LENGTH) throw new EduplanError('E_CONFIG', { detail: `${file} holds no usable key (at least ${MIN_KEY_LENGTH} characters) / 密钥文件内容无效` });
  return key;
}

/**
 * The key for student pseudonyms, or `undefined` outside demo mode when none is configured
 * (an import without student files needs none). EDUPLAN_PSEUDONYM_KEY wins; in demo mode
 * the key file is created on first use.
 */
export function findPseudonymKey(config: Config): string | undefined {
  if (config.pseudonymKeyFromEnv !== undefined) return config.pseudonymKeyFromEnv;
  if (!config.demo) return undefined;
  return demoKey(config, 'pseudonym');
}

/** The pseudonym key, required: E_CONFIG outside demo mode when EDUPLAN_PSEUDONYM_KEY is not set. */
export function pseudonymKey(config: Config): string {
  const key = findPseudonymKey(config);
  if (key === undefined) {
    throw new EduplanError('E_CONFIG', { detail: `set EDUPLAN_PSEUDONYM_KEY (≥${MIN_KEY_LENGTH} random characters) outside demo mode / 非演示模式必须设置 EDUPLAN_PSEUDONYM_KEY` });
  }
  return key;
}

/**
 * The keys that protect data at rest, kept outside the database and handed to the store
 * when it opens (store/keys.ts): the audit chain's HMAC key and the key sealing TOTP
 * secrets. The variable wins; in demo mode a key file beside the data directory
 * (`.eduplan/audit.key`, `.eduplan/totp.key`); outside demo mode a missing key is E_CONFIG.
 * Each is resolved when first used, so a command that writes no audit event and reads no
 * second factor (`eduplan progress`) runs without them; `eduplan start` asks for both at once.
 */
export function storeKeys(config: Config): StoreKeys {
  const ring = (fromEnv: string | undefined, previous: readonly string[], variable: string, file: string): KeyRing => {
    if (fromEnv !== undefined) return { current: fromEnv, previous };
    if (!config.demo) {
      throw new EduplanError('E_CONFIG', { detail: `set ${variable} (≥${MIN_KEY_LENGTH} random characters, e.g. \`openssl rand -hex 32\`) outside demo mode / 非演示模式必须设置 ${variable}` });
    }
    return { current: demoKey(config, file), previous };
  };
  let audit: KeyRing | undefined;
  let totp: KeyRing | undefined;
  return {
    get audit() { return (audit ??= ring(config.auditKeyFromEnv, config.auditKeysPrevious, 'EDUPLAN_AUDIT_KEY', 'audit')); },
    get totp() { return (totp ??= ring(config.totpKeyFromEnv, config.totpKeysPrevious, 'EDUPLAN_TOTP_KEY', 'totp')); },
  };
}

/** EDUPLAN_PUBLIC_URL checked: an http(s) URL without query or fragment; the trailing slash dropped. */
function publicUrlOf(raw: string | undefined): string {
  const text = (raw ?? '').trim() || 'http://localhost:3000';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EduplanError('E_CONFIG', { detail: `EDUPLAN_PUBLIC_URL=${text} is not a URL / EDUPLAN_PUBLIC_URL 不是有效网址` });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new EduplanError('E_CONFIG', { detail: `EDUPLAN_PUBLIC_URL=${text}: use http(s)://host[/path] without query or fragment / EDUPLAN_PUBLIC_URL 应为 http(s)://主机[/路径]` });
  }
  return url.href.replace(/\/+$/, '');
}

/** The file holding the credential signing key: EDUPLAN_CREDENTIAL_KEY_FILE, or demo mode's key file. */
export function credentialKeyPath(config: Config): string {
  return config.credentialKeyFile ?? config.demoCredentialKeyFile;
}

/**
 * The public halves of retired credential keys, beside the key file
 * (`<key file>.retired.jwks.json`, written by `eduplan credits rotate-key`): still published
 * in the JWKS so that credentials signed before a rotation keep verifying.
 */
export function retiredCredentialKeysPath(config: Config): string {
  return `${credentialKeyPath(config)}.retired.jwks.json`;
}

/**
 * The PEM private key that signs the credit bank's credentials (Ed25519 or P-256), kept
 * outside the database like the pseudonym key: EDUPLAN_CREDENTIAL_KEY_FILE, or in demo mode a
 * key file beside the data directory, created on first use. E_CONFIG outside demo mode when
 * none is configured.
 */
export function credentialKeyPem(config: Config): string {
  if (config.credentialKeyFile !== undefined) {
    if (!existsSync(config.credentialKeyFile)) throw new EduplanError('E_CONFIG', { detail: `EDUPLAN_CREDENTIAL_KEY_FILE=${config.credentialKeyFile} does not exist / 凭证签名密钥文件不存在` });
    return readFileSync(config.credentialKeyFile, 'utf8');
  }
  if (!config.demo) {
    throw new EduplanError('E_CONFIG', { detail: 'set EDUPLAN_CREDENTIAL_KEY_FILE (a PEM Ed25519 or P-256 private key) outside demo mode / 非演示模式必须设置 EDUPLAN_CREDENTIAL_KEY_FILE（Ed25519 或 P-256 私钥 PEM 文件）' });
  }
  const file = config.demoCredentialKeyFile;
  writeKeyFileOnce(file, () => String(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })));
  return readFileSync(file, 'utf8');
}
