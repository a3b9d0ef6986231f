/**
 * No Tianjin constant outside the plan and reference data (issue 19): Tianjin's city code and
 * 16 districts (src/core/org/districts.ts) size the demo and the benchmarks only. Services,
 * routes, reports and the web read the root and the units under it from the stored org units
 * (services/org-tree.ts, /api/site), so another region works with no code change; a module
 * that imports the constants again fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = new URL('../../', import.meta.url).pathname;
/** Where Tianjin's constants may be imported: the demo generator, benchmarks and tests of Tianjin data. */
const allowed = [/^src\/demo\//, /^bench\//, /^test\//, /^src\/web\/district-map\.test\.ts$/, /^src\/core\/org\/districts\.ts$/];

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (/\.(ts|tsx)$/.test(e.name)) yield p;
  }
}

describe('Tianjin constants stay in the demo and reference data', () => {
  it('no module outside the allowed places imports core/org/districts', () => {
    const offenders: string[] = [];
    for (const file of [...sources(join(repo, 'src')), ...sources(join(repo, 'bench')), ...sources(join(repo, 'test'))]) {
      const rel = relative(repo, file);
      if (allowed.some((re) => re.test(rel))) continue;
      if (/from\s+['"][^'"]*core\/org\/districts(\.ts)?['"]/.test(readFileSync(file, 'utf8'))) offenders.push(rel);
    }
    expect(offenders).toEqual([]);
  });

  it('the check sees an import when there is one', () => {
    expect(/from\s+['"][^'"]*core\/org\/districts(\.ts)?['"]/.test("import { CITY_CODE } from '../core/org/districts.ts';")).toBe(true);
  });
});

/**
 * An org unit's level code compared with a literal `'city'` / `'district'` (in TypeScript or in a
 * query): a province's levels are `province` / `prefecture` / `county`, so such a comparison
 * silently leaves them out. Code asks the level model instead (services/org-tree.ts: the root,
 * the units directly under it, reporting units; core/org/levels.ts OrgTree).
 */
const literalLevel = /level\)?\s*(===|!==|==|!=|=|<>)\s*'(city|district)'|'level',\s*'(=|<>|!=|in|not in)',\s*(\[[^\]]*)?'(city|district)'|'(city|district)'\s*(===|!==)\s*[\w.]*level\b/;

/**
 * Where `level` holds a *role*, not a level code: the indicator engine's roles (issue 19's engine
 * contract: city = root, district = any aggregate below it), the disclosure core fed with those
 * roles, and the learning-city figures, whose `level` is the role stored with a released figure
 * (migration 0015: city = the root, district = a unit directly under it).
 */
const roleFiles = [
  /^src\/core\/indicators\//, /^src\/core\/disclosure\//,
  /^src\/web\/pages\/learning-city\.tsx$/, /^src\/reports\/evaluation\/learning-city\.ts$/,
];

describe('no literal level codes where the level model should answer', () => {
  it('no module compares an org unit\'s level with \'city\' or \'district\' outside the role-holding places', () => {
    const offenders: string[] = [];
    for (const file of sources(join(repo, 'src'))) {
      const rel = relative(repo, file);
      if (/\.test\.tsx?$/.test(rel) || /^src\/(demo|store\/migrations)\//.test(rel) || roleFiles.some((re) => re.test(rel))) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (literalLevel.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the check sees a literal level comparison in code and in a query, and not a role or a level model call', () => {
    for (const line of [
      "if (o.level === 'district') docs.push(x);",
      "const orgs = await db.selectFrom('org_unit').select('code').where('level', '=', 'city').execute();",
      ".where('level', 'in', ['city', 'district'])",
      "SELECT code FROM up WHERE level = 'district'",
      "WHERE up.level <> 'district'",
      "if ('city' === unit.level) return;",
    ]) expect(literalLevel.test(line), line).toBe(true);
    for (const line of [
      "if (registry.maintainer === 'district') return;",
      "const top = await readTopUnits(db, root.code);",
      "if (tree.placeOf(code) === 'top') out.push(code);",
      "kind: z.enum(['department', 'district'])",
    ]) expect(literalLevel.test(line), line).toBe(false);
  });
});
