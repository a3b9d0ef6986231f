/**
 * The org units an import test needs: the city (120000), the districts of the given
 * schools, and the schools with their school types. Fields outside the hierarchy are empty.
 */
import type { Store } from '../../src/store/store.ts';

export interface SchoolUnit {
  readonly code: string;
  readonly district: string;
  readonly type: string;
}

export async function seedSchools(store: Store, schools: readonly SchoolUnit[]): Promise<void> {
  const unit = (code: string, level: 'city' | 'district' | 'school', parent: string | null, type: string | null) => ({
    code, name_zh: code, name_en: '', level, parent_code: parent, school_type: type, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null,
  });
  const districts = [...new Set(schools.map((s) => s.district))];
  await store.db.insertInto('org_unit').values([unit('120000', 'city', null, null), ...districts.map((d) => unit(d, 'district', '120000', null))]).execute();
  // In parts: one statement's parameters stay within the protocol's limit at any size.
  for (let i = 0; i < schools.length; i += 500) {
    await store.db.insertInto('org_unit').values(schools.slice(i, i + 500).map((s) => unit(s.code, 'school', s.district, s.type))).execute();
  }
}
