/**
 * The one calling convention of services (服务调用约定). A use case is a function
 *
 *   useCase(deps: ServiceDeps, caller: Caller, input: <contract request>): Promise<<contract response>>
 *
 * - `deps`: what the service may touch, passed in (never imported as globals): the store,
 *   the clock, where to report failures that must not reach the caller in detail, and the
 *   configuration values it needs. Routes and CLI commands build it once.
 * - `caller`: who acts — a signed-in account (`Actor`, with its address for the audit log) or
 *   the system itself (`SystemCaller`: the operator's CLI on the server's machine, the demo's
 *   first start). Authorisation is decided here, in the service, for both.
 * - `input`: the request as the contract (src/contract) defines it, already parsed by the
 *   route or command; the service validates what only it can (existence, scope, state).
 * Public read-only queries take no caller: `query(deps, input)`.
 */
import type { Store } from '../store/store.ts';
import type { AuthAccount } from './auth.ts';

/** Failures logged without their detail reaching the caller (no personal data in `fields`). */
export interface ServiceLog {
  error(fields: Record<string, unknown>, message: string): void;
}

/** A log that drops everything: tests, and commands that report failures themselves. */
export const silentLog: ServiceLog = { error: () => undefined };

export interface ServiceDeps {
  readonly store: Store;
  readonly clock: () => Date;
  readonly log?: ServiceLog;
}

/** A signed-in account, and where it acts from (for the audit record). */
export interface Actor {
  readonly account: AuthAccount;
  readonly ip: string | null;
}

/**
 * The system acting on its own: `cli` (an operator's command on the server's machine, with
 * access to the database anyway), `demo` (the demo's first start).
 */
export interface SystemCaller {
  readonly system: 'cli' | 'demo';
}

export type Caller = Actor | SystemCaller;

export const isSystem = (c: Caller): c is SystemCaller => 'system' in c;

/** The name the audit log records for a caller. */
export const callerName = (c: Caller): string => (isSystem(c) ? c.system : c.account.username);

/** The account id the audit log records (null for the system). */
export const callerId = (c: Caller): number | null => (isSystem(c) ? null : c.account.id);

/** The address the audit log records (null for the system). */
export const callerIp = (c: Caller): string | null => (isSystem(c) ? null : c.ip);
