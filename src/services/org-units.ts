/**
 * Org units (机构) as stored: the public list (`/api/org-units`, the portal, the workspace)
 * carries the registered attributes only; the operator's console (`eduplan org list`) also
 * sees opening and closing dates and the contact for reminders. One query serves both.
 */
import type { OrgLevel } from '../core/org/types.ts';
import type { OrgUnit, OrgUnitRecord, OrgUnitsQuery } from '../contract/org-units.ts';
import type { Store } from '../store/store.ts';
import type { ServiceDeps, SystemCaller } from './deps.ts';

export type { OrgUnit, OrgUnitRecord } from '../contract/org-units.ts';

async function selectOrgUnits(store: Store, q: OrgUnitsQuery): Promise<OrgUnitRecord[]> {
  let sel = store.db.selectFrom('org_unit').selectAll();
  if (q.level) sel = sel.where('level', '=', q.level);
  if (q.parent) sel = sel.where('parent_code', '=', q.parent);
  if (q.code) sel = sel.where('code', '=', q.code);
  const rows = await sel.orderBy('code').execute();
  return rows.map((r) => ({ ...r, opened: dateText(r.opened), closed: dateText(r.closed) }));
}

/** Org units by level, parent or code, in code order: public, no personal data. */
export async function listOrgUnits(deps: ServiceDeps, query: OrgUnitsQuery): Promise<OrgUnit[]> {
  return (await selectOrgUnits(deps.store, query)).map((r) => ({
    code: r.code, name_zh: r.name_zh, name_en: r.name_en, level: r.level, parent_code: r.parent_code,
    school_type: r.school_type, ownership: r.ownership, inclusive: r.inclusive, urban_rural: r.urban_rural,
  }));
}

/** Every stored column, for the operator's console (contacts are not public). */
export function orgUnitRecords(deps: ServiceDeps, _caller: SystemCaller, query: OrgUnitsQuery): Promise<OrgUnitRecord[]> {
  return selectOrgUnits(deps.store, query);
}

/** `date` columns may come back as Date objects or text depending on the driver's parsers. */
function dateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** Level, type and whether it reports data (its level's `reporting_unit`), of every org unit, for import validation. */
export async function knownOrgs(store: Store): Promise<Map<string, { level: OrgLevel; school_type: string | null; reporting: boolean }>> {
  const rows = await store.db.selectFrom('org_unit as u').innerJoin('org_level as l', 'l.code', 'u.level').select(['u.code', 'u.level', 'u.school_type', 'l.reporting_unit']).execute();
  return new Map(rows.map((r) => [r.code, { level: r.level, school_type: r.school_type, reporting: r.reporting_unit }]));
}
