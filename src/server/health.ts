/**
 * Health checks for a process supervisor or load balancer (健康检查):
 *
 *   GET /healthz  the process answers (liveness: restart it if this fails)  → 200 {status: "ok", uptime_s}
 *   GET /readyz   the database answers and every migration this build knows is applied
 *                 (readiness: send traffic only while this is 200)         → 200 {status: "ready", migrations}
 *                                                                          | 503 E_NOT_READY naming what is wrong
 *
 * Neither needs a session, neither reveals more than counts, and neither is rate-limited;
 * both are `no-store`. Readiness reads one small table (the migration log), so probing it
 * every few seconds costs the database nothing measurable.
 */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { EduplanError } from '../core/errors.ts';
import { migrations } from '../store/migrations/index.ts';
import { MIGRATION_TABLE, type Store } from '../store/store.ts';

export interface Readiness {
  readonly ready: boolean;
  readonly migrations: { readonly applied: number; readonly known: number; readonly missing: readonly string[] };
  readonly problem?: string;
}

/** Is the database reachable, and has every migration of this build been applied to it? */
export async function readiness(store: Store): Promise<Readiness> {
  const known = migrations.map((m) => m.name);
  let applied: Set<string>;
  try {
    const r = await sql<{ name: string }>`SELECT name FROM ${sql.table(MIGRATION_TABLE)}`.execute(store.db);
    applied = new Set(r.rows.map((x) => x.name));
  } catch (err) {
    return { ready: false, migrations: { applied: 0, known: known.length, missing: known }, problem: `database unreachable: ${(err as Error).message.split('\n')[0] ?? ''}` };
  }
  const missing = known.filter((n) => !applied.has(n));
  return {
    ready: missing.length === 0,
    migrations: { applied: applied.size, known: known.length, missing },
    ...(missing.length > 0 ? { problem: `migrations not applied: ${missing.join(', ')}` } : {}),
  };
}

export function registerHealth(app: FastifyInstance, store: Store, started: number, now: () => number = () => performance.now()): void {
  app.get('/healthz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok', uptime_s: Math.round((now() - started) / 1000) };
  });
  app.get('/readyz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    const r = await readiness(store);
    if (!r.ready) throw new EduplanError('E_NOT_READY', { detail: r.problem ?? 'not ready' });
    return { status: 'ready', migrations: { applied: r.migrations.applied, known: r.migrations.known } };
  });
}
