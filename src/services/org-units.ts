/** Org units (机构) as stored: listing for the CLI and the API. */
import type { OrgLevel } from '../core/org/types.ts';
import type { Store } from '../store/store.ts';
import type { OrgUnitTable } from '../store/schema.ts';

export type OrgUnitRow = OrgUnitTable;

export async function listOrgUnits(store: Store, filter: { level?: OrgLevel; parent?: string } = {}): Promise<OrgUnitRow[]> {
  let q = store.db.selectFrom('org_unit').selectAll();
  if (filter.level) q = q.where('level', '=', filter.level);
  if (filter.parent) q = q.where('parent_code', '=', filter.parent);
  const rows = await q.orderBy('code').execute();
  return rows.map((r) => ({ ...r, opened: dateText(r.opened), closed: dateText(r.closed) }));
}

/** `date` columns may come back as Date objects or text depending on the driver's parsers. */
function dateText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/** Level and type of every org unit, for import validation. */
export async function knownOrgs(store: Store): Promise<Map<string, { level: OrgLevel; school_type: string | null }>> {
  const rows = await store.db.selectFrom('org_unit').select(['code', 'level', 'school_type']).execute();
  return new Map(rows.map((r) => [r.code, { level: r.level, school_type: r.school_type }]));
}
