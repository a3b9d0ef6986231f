/**
 * The keys that protect data at rest (密钥), kept outside the database: the audit chain's
 * HMAC key (services/audit.ts) and the key that seals TOTP secrets (services/secrets.ts).
 * They are handed to `openStore` (from config.ts `storeKeys`) and travel with the store and
 * with every connection it hands out, so the code that appends to the audit chain inside
 * a transaction — some forty call sites that hold only the transaction's `db` — needs no
 * extra argument: `keysOf(db)` finds them.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A key in use and the retired keys that still open (or verify) what they sealed. */
export interface KeyRing {
  readonly current: string;
  readonly previous: readonly string[];
}

export interface StoreKeys {
  readonly audit: KeyRing;
  readonly totp: KeyRing;
}

/**
 * The keys a store opened without any gets: tests and benchmarks on throwaway databases.
 * They are public, so they protect nothing; every command and the server open the store
 * with the configured keys (cli/with-store.ts, cli/commands/start.ts). A database written
 * with them and later opened with real keys is refused by the audit chain's key check
 * (services/audit.ts), not silently mixed.
 */
export const UNCONFIGURED_KEYS: StoreKeys = {
  audit: { current: 'eduplan-unconfigured-audit-key', previous: [] },
  totp: { current: 'eduplan-unconfigured-totp-key', previous: [] },
};

const registry = new WeakMap<Kysely<Database>, StoreKeys>();

/** Record the keys of a store's connection (store.ts, for the store's `db` and each transaction's). */
export function attachKeys(db: Kysely<Database>, keys: StoreKeys): void {
  registry.set(db, keys);
}

/** The keys of the store this connection belongs to. */
export function keysOf(db: Kysely<Database>): StoreKeys {
  const keys = registry.get(db);
  // Only a Kysely made outside openStore lacks them: a programming error, not a user's.
  if (keys === undefined) throw new Error('keysOf: this database handle was not opened by openStore');
  return keys;
}
