/**
 * Choosing the scope options of uncertain indicator definitions (口径选项): which units an
 * indicator counts where no official document settles it (src/core/indicators/scope.ts,
 * each with a documented default). The choice is the city's, stored with who made it,
 * audited, and read by every recompute (services/indicators.ts `storedScope`), so every
 * process computes with the same scope. A change marks every year stale and recomputes:
 * the provisional figures follow at once; the public ones at the next release.
 */
import { sql } from 'kysely';
import type { ScopeOption } from '../contract/indicator-scope.ts';
import { mayDoAt } from '../core/auth/roles.ts';
import { EduplanError } from '../core/errors.ts';
import { defaultIndicatorScope, resolveScope, scopeValues, type IndicatorScope } from '../core/indicators/scope.ts';
import { deny, requireAction } from './authorize.ts';
import { appendAudit } from './audit.ts';
import { afterDataChanged, markStale, type RecomputeDeps, type RecomputeOutcome } from './recompute.ts';
import { isSystem, type Caller } from './deps.ts';
import { readRootOrNull } from './org-tree.ts';

export async function listScopeOptions(deps: RecomputeDeps): Promise<ScopeOption[]> {
  const rows = await deps.store.db.selectFrom('indicator_option as o').leftJoin('account as a', 'a.id', 'o.set_by').select(['o.name', 'o.value', 'o.set_at', 'a.username']).execute();
  const byName = new Map(rows.map((r) => [r.name, r]));
  return (Object.keys(scopeValues) as Array<keyof IndicatorScope>).map((name) => {
    const r = byName.get(name);
    return {
      name, value: r?.value ?? defaultIndicatorScope[name], default: defaultIndicatorScope[name], allowed: [...scopeValues[name]],
      set_by: r ? (r.username ?? 'cli') : null, set_at: r ? new Date(r.set_at).toISOString() : null,
    };
  });
}

export async function setScopeOption(deps: RecomputeDeps, caller: Caller, name: keyof IndicatorScope, value: string): Promise<{ option: ScopeOption; indicators: RecomputeOutcome['status'] }> {
  if (!isSystem(caller)) {
    const sdeps = { store: deps.store, clock: deps.clock };
    await requireAction(sdeps, caller, 'indicator.scope');
    const city = await readRootOrNull(deps.store.db);
    if (!city || !mayDoAt(caller.account.grants, 'indicator.scope', { code: city.code, lineage: [city.code] })) await deny(sdeps, caller, 'indicator.scope', { type: 'indicator_option', id: name });
  }
  try {
    resolveScope({ [name]: value });
  } catch {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'value', value, rule: 'scope_value', message_zh: `口径选项 ${name} 只能取 ${scopeValues[name].join('、')}`, message_en: `scope option ${name} must be one of ${scopeValues[name].join(', ')}` }] });
  }
  const now = deps.clock();
  const setBy = isSystem(caller) ? null : caller.account.id;
  await deps.store.transaction(async (tx) => {
    const before = await tx.db.selectFrom('indicator_option').select('value').where('name', '=', name).executeTakeFirst();
    await tx.db.insertInto('indicator_option').values({ name, value, set_by: setBy, set_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, set_by: setBy, set_at: now })).execute();
    await appendAudit(tx.db, now, {
      actorId: setBy, actor: isSystem(caller) ? caller.system : caller.account.username, action: 'indicator.scope', outcome: 'success',
      objectType: 'indicator_option', objectId: name, ip: isSystem(caller) ? null : caller.ip,
      before: { value: before?.value ?? defaultIndicatorScope[name] }, after: { value },
    });
    // Every computed year used the old scope.
    const years = await sql<{ year: number }>`SELECT DISTINCT year FROM indicator_value`.execute(tx.db);
    await markStale(tx.db, now, years.rows.map((r) => Number(r.year)), `indicator.scope:${name}`);
  });
  const indicators = (await afterDataChanged(deps)).status;
  const option = (await listScopeOptions(deps)).find((o) => o.name === name);
  if (!option) throw new EduplanError('E_INTERNAL', { detail: `scope option ${name} vanished` });
  return { option, indicators };
}
