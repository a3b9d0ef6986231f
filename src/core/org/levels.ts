/**
 * A region's hierarchy (行政层级) as data: the levels a region's org units may have, each with its
 * parent level and whether its units report data (学校 = reporting unit). Tianjin's is
 * city → district → street (街镇) → community (村居), schools under districts; a province's is
 * province → prefecture city → county → school. Administrative units carry GB/T 2260 codes
 * (6 digits); reporting units 10-digit school codes.
 *
 * Code that used to branch on `'city'`/`'district'` asks this model or the org units instead:
 * the root is the org unit with no parent, "the units directly under the root" are its children,
 * and the reporting units are those of a `reporting_unit` level.
 */
import { z } from 'zod';

export const orgLevelCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case letters, digits and _, starting with a letter, at most 32');

/** One row of `org-levels.csv` and of the `org_level` table. */
export const orgLevelSchema = z.object({
  code: orgLevelCodeSchema,
  rank: z.number().int().min(0).max(20),
  name_zh: z.string().trim().min(1),
  name_en: z.string().trim().default(''),
  parent_level: orgLevelCodeSchema.nullable(),
  reporting_unit: z.boolean(),
});
export type OrgLevelDef = z.infer<typeof orgLevelSchema>;

/** The code of the reporting level in every region (schools, kindergartens, universities). */
export const REPORTING_LEVEL = 'school';

/** What is wrong with a set of levels, by level code (empty = a usable hierarchy). */
export interface LevelModelIssue {
  readonly level: string;
  readonly rule: 'parent_level_unknown' | 'rank_not_below_parent' | 'no_root_level' | 'reporting_without_parent' | 'reporting_code_not_school';
}

/**
 * Checks a hierarchy: every parent level exists and ranks above its children, at least one level
 * has no parent (the root's), and a reporting level sits under an aggregate (a lone school
 * level would leave nothing to sum into).
 */
export function checkLevels(levels: readonly OrgLevelDef[]): LevelModelIssue[] {
  const byCode = new Map(levels.map((l) => [l.code, l]));
  const issues: LevelModelIssue[] = [];
  for (const l of levels) {
    // The forms, accounts, student records and assessments address reporting units by the level
    // code `school` (the element catalogue's school types hang off it): another code would import
    // and then be skipped by them, so it is refused here instead.
    if (l.reporting_unit && l.code !== REPORTING_LEVEL) issues.push({ level: l.code, rule: 'reporting_code_not_school' });
    if (l.parent_level === null) {
      if (l.reporting_unit) issues.push({ level: l.code, rule: 'reporting_without_parent' });
      continue;
    }
    const parent = byCode.get(l.parent_level);
    if (!parent) issues.push({ level: l.code, rule: 'parent_level_unknown' });
    else if (parent.rank >= l.rank) issues.push({ level: l.code, rule: 'rank_not_below_parent' });
  }
  if (levels.length > 0 && !levels.some((l) => l.parent_level === null)) issues.push({ level: levels[0]?.code ?? '', rule: 'no_root_level' });
  return issues;
}

/** The levels of one database, looked up by code. */
export class LevelModel {
  private readonly byCode: ReadonlyMap<string, OrgLevelDef>;

  constructor(levels: readonly OrgLevelDef[]) {
    this.byCode = new Map(levels.map((l) => [l.code, l]));
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  get(code: string): OrgLevelDef | undefined {
    return this.byCode.get(code);
  }

  /** Units of this level report data (学校). */
  isReporting(code: string): boolean {
    return this.byCode.get(code)?.reporting_unit === true;
  }

  /** A unit of this level may have no parent: it is a region's root. */
  isRootLevel(code: string): boolean {
    const l = this.byCode.get(code);
    return l !== undefined && l.parent_level === null;
  }

  /** A unit of level `child` may sit under a unit of level `parent`. */
  parentFits(child: string, parent: string): boolean {
    return this.byCode.get(child)?.parent_level === parent;
  }

  /** Parents before children (for writing org units in one pass). */
  rank(code: string): number {
    return this.byCode.get(code)?.rank ?? Number.MAX_SAFE_INTEGER;
  }

  all(): OrgLevelDef[] {
    return [...this.byCode.values()].sort((a, b) => a.rank - b.rank || (a.code < b.code ? -1 : 1));
  }
}

/** The three roles an indicator definition's `levels` name (the engine contract of issue 19). */
export type OrgRole = 'city' | 'district' | 'school';

/**
 * An org unit's role for the indicator engine: `city` = the root (the unit with no parent),
 * `school` = a reporting unit, `district` = every aggregate unit between them, at any depth.
 */
export function roleOf(unit: { readonly code: string; readonly level: string; readonly parent_code: string | null }, rootCode: string, model: LevelModel): OrgRole {
  if (unit.code === rootCode) return 'city';
  if (model.isReporting(unit.level)) return 'school';
  return 'district';
}

/** The root of a set of org units: the one with no parent (null when there is none or several). */
export function rootOf<T extends { readonly parent_code: string | null }>(units: Iterable<T>): T | null {
  let root: T | null = null;
  for (const u of units) {
    if (u.parent_code !== null) continue;
    if (root !== null) return null;
    root = u;
  }
  return root;
}

/**
 * Where an org unit sits for the features that speak of "the city" and "its districts" (the
 * learning city, plan units, registries, search): the root, a unit directly under the root
 * (Tianjin's districts, a province's prefecture cities), a reporting unit (学校, wherever it
 * hangs), or an aggregate further down (a county, a 街镇).
 */
export type TreePlace = 'root' | 'top' | 'reporting' | 'below_top';

/** A unit as the tree needs it. */
export interface TreeNode {
  readonly code: string;
  readonly level: string;
  readonly parent_code: string | null;
}

/**
 * A region's org units with the level model: each unit's place and the top unit it lies in.
 * Built once per request from the stored org units; pure.
 */
export class OrgTree<U extends TreeNode = TreeNode> {
  private readonly byCode: ReadonlyMap<string, U>;
  /** The root (the one unit without a parent), or null when there is none or several. */
  readonly root: U | null;

  constructor(units: Iterable<U>, private readonly model: LevelModel) {
    const list = [...units];
    this.byCode = new Map(list.map((u) => [u.code, u]));
    this.root = rootOf(list);
  }

  get(code: string): U | undefined {
    return this.byCode.get(code);
  }

  codes(): IterableIterator<string> {
    return this.byCode.keys();
  }

  /** The unit's place, or undefined for an unknown code. A reporting unit under the root (市属学校) is `reporting`, not `top`. */
  placeOf(code: string): TreePlace | undefined {
    const u = this.byCode.get(code);
    if (!u) return undefined;
    if (u === this.root) return 'root';
    if (this.model.isReporting(u.level)) return 'reporting';
    if (this.root !== null && u.parent_code === this.root.code) return 'top';
    return 'below_top';
  }

  /** The units directly under the root that are not reporting units, in code order. */
  topUnits(): U[] {
    return [...this.byCode.values()].filter((u) => this.placeOf(u.code) === 'top').sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }

  /** The top unit `code` lies in (itself when it is one); null for the root, for units run directly by the root, and for unknown codes. */
  topOf(code: string): string | null {
    let u = this.byCode.get(code);
    // The depth bound guards against a parent cycle in bad data; real hierarchies are a few levels deep.
    for (let depth = 0; u && depth < 32; depth++) {
      if (this.placeOf(u.code) === 'top') return u.code;
      u = u.parent_code === null ? undefined : this.byCode.get(u.parent_code);
    }
    return null;
  }
}
