/**
 * The region's hierarchy as stored (issue 19): its levels (`org_level`), its root (the org unit
 * with no parent: 天津市 for Tianjin, the province for a province) and the units directly under
 * the root (Tianjin's districts, a province's prefecture cities). Services ask these instead of
 * importing a region's constants, so another region's data work with no code change.
 */
import type { Kysely } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { LevelModel, OrgTree, roleOf, type OrgRole } from '../core/org/levels.ts';
import type { Database } from '../store/schema.ts';

/** An org unit as the hierarchy needs it. */
export interface TreeUnit {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly level: string;
  readonly parent_code: string | null;
}

export async function readLevelModel(db: Kysely<Database>): Promise<LevelModel> {
  return new LevelModel(await db.selectFrom('org_level').selectAll().execute());
}

/** The root org unit, or null before any org unit is stored. Several parentless units are a data error. */
export async function readRootOrNull(db: Kysely<Database>): Promise<TreeUnit | null> {
  const rows = await db.selectFrom('org_unit').select(['code', 'name_zh', 'name_en', 'level', 'parent_code']).where('parent_code', 'is', null).orderBy('code').limit(2).execute();
  if (rows.length > 1) {
    throw new EduplanError('E_INTERNAL', { detail: `more than one org unit without a parent (${rows.map((r) => r.code).join(', ')}): a region has one root / 存在多个无上级的机构，一个地区只能有一个根机构` });
  }
  return rows[0] ?? null;
}

/** The root org unit; E_ORG_UNKNOWN when no org unit has been imported yet. */
export async function readRoot(db: Kysely<Database>): Promise<TreeUnit> {
  const root = await readRootOrNull(db);
  if (root) return root;
  throw new EduplanError('E_ORG_UNKNOWN', { problems: [{ path: 'org', rule: 'org_exists', message_zh: '尚未导入任何机构（缺少根机构）', message_en: 'no org units imported yet (there is no root org unit)' }] });
}

/**
 * The aggregate units directly under the root (Tianjin: its 16 districts; a province: its
 * prefecture cities), in code order. Schools run directly by the root (市属学校) are not among them.
 */
export async function readTopUnits(db: Kysely<Database>, rootCode: string): Promise<TreeUnit[]> {
  return db.selectFrom('org_unit as u').innerJoin('org_level as l', 'l.code', 'u.level')
    .select(['u.code', 'u.name_zh', 'u.name_en', 'u.level', 'u.parent_code'])
    .where('u.parent_code', '=', rootCode).where('l.reporting_unit', '=', false).orderBy('u.code').execute();
}

/** The root's code, or `fallback` before any org unit exists (a default argument that must not fail on an empty database). */
export async function rootCodeOr(db: Kysely<Database>, fallback: string): Promise<string> {
  return (await readRootOrNull(db))?.code ?? fallback;
}

/**
 * Units as the indicator engine sees them: each unit's level replaced by its role (issue 19's
 * engine contract: `city` = the root, `district` = any aggregate below it, `school` = a
 * reporting unit), so a definition's `levels` keep meaning the same thing in any region.
 */
export function asEngineRoles<T extends { readonly code: string; readonly level: string; readonly parent_code: string | null }>(units: readonly T[], rootCode: string, model: LevelModel): Array<T & { level: OrgRole }> {
  return units.map((u) => ({ ...u, level: roleOf(u, rootCode, model) }));
}

/** Every org unit with the level model (core/org/levels.ts OrgTree): root, top units and each unit's place, read once per request. */
export async function readOrgTree(db: Kysely<Database>): Promise<OrgTree<TreeUnit>> {
  const [units, model] = await Promise.all([
    db.selectFrom('org_unit').select(['code', 'name_zh', 'name_en', 'level', 'parent_code']).execute(),
    readLevelModel(db),
  ]);
  return new OrgTree(units, model);
}
