/**
 * Who may read and act on a district's assessment (`assessmentRoles` in core/standards/balanced/workflow.ts):
 * a grant of one of the roles at the district or above it (the city). The system (the
 * operator's CLI, the demo) may do everything. A refusal answers E_FORBIDDEN whether or not
 * the district exists, so probing codes reveals nothing, and is audited (access.denied).
 */
import type { Role } from '../../core/auth/roles.ts';
import { deny } from '../accounts.ts';
import { orgPath } from '../auth.ts';
import { isSystem, type Caller, type ServiceDeps } from '../deps.ts';

/**
 * Refuse unless the caller holds one of `roles` at `orgCode` or above it. The refusal is
 * recorded as the attempt `scope:submission.read`, the name the audit log has always given
 * this check, so searches of the log keep finding assessment refusals.
 */
export async function requireAssessmentRole(deps: ServiceDeps, caller: Caller, orgCode: string, roles: readonly Role[]): Promise<void> {
  if (isSystem(caller)) return;
  const path = await orgPath(deps.store.db, orgCode);
  const covered = path !== null && caller.account.grants.some((g) => roles.includes(g.role) && path.lineage.includes(g.orgCode));
  if (!covered) await deny(deps, caller, 'scope:submission.read', { org: orgCode });
}
