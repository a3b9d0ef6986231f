/**
 * The one authorisation layer (授权): what a caller may do, decided here for signed-in
 * accounts and the system alike; src/server/auth.ts only says who the caller is.
 *
 * - function level (may this account do `action` anywhere?): `requireAction`;
 * - object level (may it do `action` at this org unit? ASVS 8.2.2): `requireScope`, which
 *   answers 403, and `requireObjectAt`, which answers 404 when the object lies outside
 *   what the account may even read, so probing ids reveals nothing.
 *
 * Every refusal is appended to the audit chain as `access.denied` (AUD-01: denied access
 * is a security event), in a transaction of its own because the caller's rolls back.
 * The system caller (the operator's console, the demo's first start) acts on the server's
 * own machine with access to the database anyway: it passes every check.
 */
import { sql, type Kysely } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { mayDo, mayDoAt, type Action, type OrgPath } from '../core/auth/roles.ts';
import type { Database } from '../store/schema.ts';
import { auditAlone } from './audit.ts';
import { isSystem, type Actor, type Caller, type ServiceDeps } from './deps.ts';

/** What a refusal concerns, for the audit record. */
export interface DeniedObject {
  readonly type?: string;
  readonly id?: string | number;
  readonly org?: string | null;
}

/** Refuse with E_FORBIDDEN, and record the refusal. */
export async function deny(deps: ServiceDeps, actor: Actor, action: string, object: DeniedObject = {}, detail?: string): Promise<never> {
  await auditAlone(deps.store, deps.clock(), {
    actorId: actor.account.id, actor: actor.account.username, action: 'access.denied', outcome: 'denied',
    objectType: object.type ?? null, objectId: object.id ?? null, orgCode: object.org ?? null, ip: actor.ip, after: { attempted: action },
  });
  throw new EduplanError('E_FORBIDDEN', detail ? { detail } : {});
}

/** The account holds a role allowed `action` somewhere, else E_FORBIDDEN (audited). */
export async function requireAction(deps: ServiceDeps, caller: Caller, action: Action): Promise<void> {
  if (isSystem(caller)) return;
  if (!mayDo(caller.account.grants, action)) await deny(deps, caller, action);
}

/** An org unit and its ancestors, nearest first (school → district → city), or null if unknown. */
export async function orgPath(db: Kysely<Database>, code: string): Promise<OrgPath | null> {
  const r = await sql<{ code: string }>`
    WITH RECURSIVE up(code, parent_code, depth) AS (
      SELECT code, parent_code, 0 FROM org_unit WHERE code = ${code}
      UNION ALL
      SELECT o.code, o.parent_code, up.depth + 1 FROM org_unit o JOIN up ON o.code = up.parent_code WHERE up.depth < 6
    ) SELECT code FROM up ORDER BY depth`.execute(db);
  if (r.rows.length === 0) return null;
  return { code, lineage: r.rows.map((x) => x.code) };
}

/**
 * The caller may do `action` at `orgCode` (the unit itself or below one of its grants),
 * else E_FORBIDDEN (audited) — the same answer whether or not the unit exists.
 */
export async function requireScope(deps: ServiceDeps, caller: Caller, action: Action, orgCode: string, object: DeniedObject = {}): Promise<void> {
  if (isSystem(caller)) return;
  const path = await orgPath(deps.store.db, orgCode);
  if (path && mayDoAt(caller.account.grants, action, path)) return;
  await deny(deps, caller, action, { ...object, org: orgCode });
}

/**
 * Object-level check for an object that belongs to `orgCode`: allowed, or E_FORBIDDEN when
 * the account may see the object but not do this to it, or E_NOT_FOUND (audited) when the
 * object lies outside what it may read — answered as if it did not exist.
 */
export async function requireObjectAt(deps: ServiceDeps, actor: Actor, action: Action, orgCode: string, object: DeniedObject): Promise<void> {
  const path = await orgPath(deps.store.db, orgCode);
  if (path && mayDoAt(actor.account.grants, action, path)) return;
  if (!mayDo(actor.account.grants, action) || path === null || !mayDoAt(actor.account.grants, 'submission.read', path)) {
    await deny(deps, actor, action, { ...object, org: orgCode }).catch(() => undefined);
    throw new EduplanError('E_NOT_FOUND');
  }
  await deny(deps, actor, action, { ...object, org: orgCode });
}
