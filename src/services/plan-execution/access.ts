/**
 * Who may act for which plan unit (规划实施的权限). Grants are held at org units (roles.ts): a
 * unit acts through the grants at its org unit — a district's reviewers for the district, the
 * city's administrators for a city department (and, being above every district, for all).
 * So a district edits only what its district owns; the city assigns and reviews. Every
 * refusal is audited (`access.denied`) by `deny`.
 */
import type { Kysely } from 'kysely';
import { rootCodeOr } from '../org-tree.ts';
import { mayDo, mayDoAt, type Action } from '../../core/auth/roles.ts';
import type { Database } from '../../store/schema.ts';
import { deny } from '../accounts.ts';
import { orgPath } from '../auth.ts';
import { isSystem, type Caller, type ServiceDeps } from '../deps.ts';

/** May the caller do `action` at this org unit (or, with no org, anywhere)? */
export async function mayAt(db: Kysely<Database>, caller: Caller, action: Action, orgCode: string | null): Promise<boolean> {
  if (isSystem(caller)) return true;
  if (orgCode === null) return mayDo(caller.account.grants, action);
  const path = await orgPath(db, orgCode);
  return path !== null && mayDoAt(caller.account.grants, action, path);
}

/** Refuse (403, audited) unless the caller may do `action` at the org unit. */
export async function requireAt(deps: ServiceDeps, caller: Caller, action: Action, orgCode: string | null, object: { type: string; id: string }): Promise<void> {
  if (isSystem(caller)) return;
  if (!(await mayAt(deps.store.db, caller, action, orgCode))) await deny(deps, caller, action, { type: object.type, id: object.id, org: orgCode });
}

/** The root org unit's code (every city-level grant is held there); '' before any org unit exists, which no grant matches. */
export async function cityCodeOf(db: Kysely<Database>): Promise<string> {
  return rootCodeOr(db, '');
}

export interface ActorRef {
  readonly actor: string;
  readonly actorId: number | null;
  readonly ip: string | null;
}

export const actorRef = (caller: Caller): ActorRef => (isSystem(caller) ? { actor: caller.system, actorId: null, ip: null } : { actor: caller.account.username, actorId: caller.account.id, ip: caller.ip });
