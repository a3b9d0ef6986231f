/**
 * Idempotent writes (`Idempotency-Key`): district systems that push data retry with the
 * same key and get the first answer back, never a second write.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { canonicalJson } from '../../core/audit/chain.ts';
import { EduplanError } from '../../core/errors.ts';
import type { Database } from '../../store/schema.ts';
import type { Actor, ServiceDeps } from '../deps.ts';

export interface Idempotency {
  readonly key: string;
  /** SHA-256 of the canonical request (method, path, body). */
  readonly requestHash: string;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ method, path, body: body ?? null })).digest('hex');
}

export interface Outcome<T> {
  readonly status: number;
  readonly body: T;
  /** True when this answer is the stored answer of an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * Run `fn` once per (account, key): inside the same transaction as `fn`, record the answer
 * under the key; a repeat with the same request gets the stored answer, a different
 * request with the same key gets E_IDEMPOTENCY_CONFLICT. Two concurrent first attempts
 * collide on the primary key and the loser answers with the winner's stored answer.
 */
export async function withIdempotency<T>(deps: ServiceDeps, actor: Actor, idem: Idempotency | undefined, fn: (db: Kysely<Database>) => Promise<T>): Promise<Outcome<T>> {
  if (!idem) return { status: 200, body: await deps.store.transaction((tx) => fn(tx.db)), replayed: false };
  if (idem.key.length < 8 || idem.key.length > 200) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'Idempotency-Key', value: idem.key.slice(0, 40), rule: 'key_length', message_zh: 'Idempotency-Key 须为 8–200 个字符（建议 UUID）', message_en: 'Idempotency-Key must be 8–200 characters (a UUID is best)' }] });
  }
  const stored = async (): Promise<Outcome<T> | null> => {
    const row = await deps.store.db.selectFrom('idempotency_key').selectAll().where('account_id', '=', actor.account.id).where('key', '=', idem.key).executeTakeFirst();
    if (!row) return null;
    if (row.request_hash !== idem.requestHash) throw new EduplanError('E_IDEMPOTENCY_CONFLICT');
    return { status: row.status, body: row.response as T, replayed: true };
  };
  try {
    type Result = { fresh: T } | { replay: { request_hash: string; status: number; response: unknown } };
    const body = await deps.store.transaction(async (tx): Promise<Result> => {
      // Serialise requests that share a key: a duplicate racing the original waits here,
      // then finds the original's stored answer instead of failing on the changed state.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${idem.key}), ${actor.account.id})`.execute(tx.db);
      const row = await tx.db.selectFrom('idempotency_key').select(['request_hash', 'status', 'response']).where('account_id', '=', actor.account.id).where('key', '=', idem.key).executeTakeFirst();
      if (row) return { replay: row };
      const b = await fn(tx.db);
      await tx.db.insertInto('idempotency_key').values({ account_id: actor.account.id, key: idem.key, request_hash: idem.requestHash, status: 200, response: JSON.stringify(b), created_at: deps.clock() }).execute();
      return { fresh: b };
    });
    if ('fresh' in body) return { status: 200, body: body.fresh, replayed: false };
    if (body.replay.request_hash !== idem.requestHash) throw new EduplanError('E_IDEMPOTENCY_CONFLICT');
    return { status: body.replay.status, body: body.replay.response as T, replayed: true };
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      const again = await stored();
      if (again) return again;
    }
    throw err;
  }
}
