/**
 * The region bundled with the product (regions/tianjin: its levels and administrative units,
 * reference data like the bundled plan). Only one thing reads it at run time: the first
 * administrator's setup on an empty database, which needs a root org unit to hold the grant
 * before any org-units.csv has been imported. Everything else reads the stored org units.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import type { Database } from '../store/schema.ts';
import { readRootOrNull, type TreeUnit } from './org-tree.ts';

/** Absolute path of the bundled region's folder (regions/tianjin). */
export function bundledRegionDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../regions/tianjin');
}

/** The bundled region's root: the row of its org-units.csv without a parent (plain cells, no quotes). */
export function bundledRoot(): TreeUnit {
  const [header = '', ...rows] = readFileSync(join(bundledRegionDir(), 'org-units.csv'), 'utf8').trim().split(/\r?\n/);
  const col = new Map(header.split(',').map((n, i) => [n, i]));
  for (const line of rows) {
    const cells = line.split(',');
    const get = (name: string): string => cells[col.get(name) ?? -1] ?? '';
    if (get('parent_code') === '') return { code: get('code'), name_zh: get('name_zh'), name_en: get('name_en'), level: get('level'), parent_code: null };
  }
  throw new EduplanError('E_INTERNAL', { detail: 'regions/tianjin/org-units.csv has no root row' });
}

/** The stored root's code; on an empty database the bundled region's root is stored first. */
export async function ensureRoot(db: Kysely<Database>): Promise<string> {
  const stored = await readRootOrNull(db);
  if (stored) return stored.code;
  const root = bundledRoot();
  await db.insertInto('org_unit').values({
    ...root, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null,
  }).onConflict((oc) => oc.column('code').doNothing()).execute();
  return root.code;
}
