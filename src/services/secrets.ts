/**
 * TOTP secrets at rest (鉴别信息的存储保密性, GB/T 22239-2019 8.1.4.8; L3-CES1-25): sealed
 * with AES-256-GCM under a key kept outside the database (EDUPLAN_TOTP_KEY, or demo mode's
 * `.eduplan/totp.key`: config.ts `storeKeys`, reached through the store, store/keys.ts).
 * A copy of the database — a backup, a dump, a stolen disk — then holds no second factor.
 *
 * Stored form: `gcm1$<key id>$<iv>$<ciphertext>$<tag>` (base64url). The additional data
 * binds a sealed secret to its account and column, so a secret sealed for one account (say
 * one's own, whose code one knows) does not open when copied into another's row.
 *
 * Secrets written before sealing are plain base32. They still open — `open` says they need
 * resealing —, every write seals, and `sealPlaintextTotpSecrets` (run by `eduplan start`)
 * seals all of them at once; a secret sealed with a retired key (EDUPLAN_TOTP_KEY_PREVIOUS)
 * opens too and is resealed with the current key the same way.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { keysOf, type KeyRing } from '../store/keys.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

const PREFIX = 'gcm1';

export type TotpColumn = 'totp_secret' | 'totp_pending';

interface DerivedKey { readonly id: string; readonly key: Buffer }

const derived = new Map<string, DerivedKey>();
/** The AES key and its id, both derived from the configured key (never stored). */
function derive(configured: string): DerivedKey {
  let d = derived.get(configured);
  if (!d) {
    const sub = (use: string): Buffer => createHmac('sha256', configured).update(`eduplan/totp/${use}/v1`, 'utf8').digest();
    d = { key: sub('aes-256-gcm'), id: sub('key-id').toString('hex').slice(0, 16) };
    derived.set(configured, d);
  }
  return d;
}

/** The id a key is recorded under in sealed values (names the key, reveals nothing of it). */
export const totpKeyId = (configured: string): string => derive(configured).id;

const aad = (accountId: number, column: TotpColumn): Buffer => Buffer.from(`eduplan/account/${accountId}/${column}`, 'utf8');

export function isSealed(stored: string): boolean {
  return stored.startsWith(`${PREFIX}$`);
}

/** Seal a base32 secret for one account's column with the ring's current key. */
export function seal(ring: KeyRing, accountId: number, column: TotpColumn, secret: string): string {
  const { id, key } = derive(ring.current);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(accountId, column));
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [PREFIX, id, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('$');
}

/**
 * The secret a column holds, and whether it should be sealed again (plain base32 from
 * before sealing, or a retired key). A value that does not open — a key not configured, an
 * edited or moved value — is E_TOTP_KEY: a configuration or integrity problem, never
 * treated as "no second factor".
 */
export function open(ring: KeyRing, accountId: number, column: TotpColumn, stored: string): { secret: string; reseal: boolean } {
  if (!isSealed(stored)) return { secret: stored, reseal: true };
  const [, id, iv, ct, tag] = stored.split('$');
  const keys = [ring.current, ...ring.previous].map(derive);
  const k = keys.find((x) => x.id === id);
  if (k === undefined || iv === undefined || ct === undefined || tag === undefined) {
    throw new EduplanError('E_TOTP_KEY', { detail: `account ${accountId}: ${column} is sealed with key ${id ?? '?'}, which is neither EDUPLAN_TOTP_KEY nor in EDUPLAN_TOTP_KEY_PREVIOUS / 账号 ${accountId} 的 TOTP 密钥以未配置的密钥（${id ?? '?'}）加密` });
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(accountId, column));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const secret = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    return { secret, reseal: k !== keys[0] };
  } catch {
    throw new EduplanError('E_TOTP_KEY', { detail: `account ${accountId}: ${column} does not decrypt (altered, or copied from another account) / 账号 ${accountId} 的 TOTP 密钥无法解密（被改动或从其他账号复制）` });
  }
}

/** Seal with the keys of the store this connection belongs to. */
export function sealFor(db: Kysely<Database>, accountId: number, column: TotpColumn, secret: string): string {
  return seal(keysOf(db).totp, accountId, column, secret);
}

export function openFor(db: Kysely<Database>, accountId: number, column: TotpColumn, stored: string): { secret: string; reseal: boolean } {
  return open(keysOf(db).totp, accountId, column, stored);
}

/**
 * Seal every TOTP secret still stored in plain base32 or under a retired key (the
 * migration to sealed secrets, and the second half of a TOTP key rotation). Idempotent.
 * A value that does not open is left as it is and counted: one broken row must not stop
 * the server; signing in with it answers E_TOTP_KEY.
 */
export async function sealPlaintextTotpSecrets(store: Store): Promise<{ sealed: number; unreadable: number[] }> {
  const ring = store.keys.totp;
  const currentId = totpKeyId(ring.current);
  return store.transaction(async (tx) => {
    const rows = await tx.db.selectFrom('account').select(['id', 'totp_secret', 'totp_pending'])
      .where((eb) => eb.or([eb('totp_secret', 'is not', null), eb('totp_pending', 'is not', null)])).forUpdate().execute();
    let sealed = 0;
    const unreadable: number[] = [];
    for (const r of rows) {
      const patch: Partial<Record<TotpColumn, string>> = {};
      for (const column of ['totp_secret', 'totp_pending'] as const) {
        const stored = r[column];
        if (stored === null || (isSealed(stored) && stored.split('$')[1] === currentId)) continue;
        try {
          patch[column] = seal(ring, r.id, column, open(ring, r.id, column, stored).secret);
          sealed += 1;
        } catch (err) {
          if (!(err instanceof EduplanError)) throw err;
          unreadable.push(r.id);
        }
      }
      if (Object.keys(patch).length > 0) await tx.db.updateTable('account').set(patch).where('id', '=', r.id).execute();
    }
    return { sealed, unreadable };
  });
}
