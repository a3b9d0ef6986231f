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
