/**
 * Runtime configuration from the environment (the edge of the system: core and
 * services receive these values as arguments).
 *
 * | variable               | default                 | meaning |
 * |------------------------|-------------------------|---------|
 * | PORT                   | 3000                    | HTTP port |
 * | HOST                   | 0.0.0.0                 | listen address |
 * | DATABASE_URL           | (unset → PGlite)        | postgres://… to use a PostgreSQL server |
 * | EDUPLAN_DATA_DIR       | ./data                  | PGlite data directory |
 * | EDUPLAN_DEMO           | 1 for `npm start`       | 1: load demo data into an empty instance and enable demo accounts |
 * | EDUPLAN_DEMO_SCALE     | 0.1                     | demo size as a fraction of Tianjin (1 ≈ 3,800 schools) |
 * | EDUPLAN_DEMO_SEED      | 2021                    | demo generator seed |
 * | EDUPLAN_DEMO_STUDENT_SAMPLE | 0.1                | share of students with fitness/vision records in the demo |
 * | EDUPLAN_PSEUDONYM_KEY  | (demo: key file)        | HMAC key for student pseudonyms; required outside demo mode |
 * | EDUPLAN_MAX_UPLOAD_MB  | 50                      | largest accepted upload |
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EduplanError } from '../core/errors.ts';

export interface RuntimeConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly demo: boolean;
  readonly demoScale: number;
  readonly demoSeed: number;
  readonly demoStudentSample: number;
  readonly pseudonymKey: string;
  readonly maxUploadBytes: number;
}

function numberVar(env: NodeJS.ProcessEnv, name: string, fallback: number, check: (n: number) => boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) {
    throw new EduplanError('E_CONFIG', { detail: `${name}=${raw} is not valid` });
  }
  return n;
}

/**
 * The pseudonym key is never stored with the data: in demo mode it lives in
 * `.eduplan/pseudonym.key` beside (not inside) the data directory, created once.
 */
function pseudonymKey(env: NodeJS.ProcessEnv, demo: boolean, cwd: string): string {
  const fromEnv = env.EDUPLAN_PSEUDONYM_KEY;
  if (fromEnv) {
    if (fromEnv.length < 16) throw new EduplanError('E_CONFIG', { detail: 'EDUPLAN_PSEUDONYM_KEY must be at least 16 characters' });
    return fromEnv;
  }
  if (!demo) {
    throw new EduplanError('E_CONFIG', { detail: 'set EDUPLAN_PSEUDONYM_KEY (≥16 random characters) outside demo mode / 非演示模式必须设置 EDUPLAN_PSEUDONYM_KEY' });
  }
  const dir = join(cwd, '.eduplan');
  const file = join(dir, 'pseudonym.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

export function runtimeConfig(env: NodeJS.ProcessEnv, cwd: string, defaults: { demo: boolean }): RuntimeConfig {
  const demo = env.EDUPLAN_DEMO === undefined || env.EDUPLAN_DEMO === '' ? defaults.demo : env.EDUPLAN_DEMO !== '0';
  return {
    port: numberVar(env, 'PORT', 3000, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(cwd, env.EDUPLAN_DATA_DIR || './data'),
    demo,
    demoScale: numberVar(env, 'EDUPLAN_DEMO_SCALE', 0.1, (n) => n > 0 && n <= 2),
    demoSeed: numberVar(env, 'EDUPLAN_DEMO_SEED', 2021, Number.isInteger),
    demoStudentSample: numberVar(env, 'EDUPLAN_DEMO_STUDENT_SAMPLE', 0.1, (n) => n > 0 && n <= 1),
    pseudonymKey: pseudonymKey(env, demo, cwd),
    maxUploadBytes: numberVar(env, 'EDUPLAN_MAX_UPLOAD_MB', 50, (n) => n > 0 && n <= 1024) * 1024 * 1024,
  };
}
