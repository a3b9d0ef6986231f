/**
 * Org units on every backend: the public list carries the registered attributes only (no
 * contact, which is for the city's reminders), the operator's listing every column; both
 * filter by level, parent and code the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrgUnits, orgUnitRecords } from '../../src/services/org-units.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

describe.each(backends)('org units on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  const deps = () => ({ store, clock: () => new Date('2024-09-01T00:00:00Z') });
  const system = { system: 'cli' } as const;

  beforeAll(async () => {
    store = await backend.open();
    const base = { name_en: '', ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, school_type: null };
    await store.db.insertInto('org_unit').values([
      { ...base, code: '120000', name_zh: '天津市', level: 'city', parent_code: null },
      { ...base, code: '120101', name_zh: '和平区', level: 'district', parent_code: '120000' },
      { ...base, code: '120102', name_zh: '河东区', level: 'district', parent_code: '120000' },
      { ...base, code: '1201010001', name_zh: '和平区第一小学', level: 'school', parent_code: '120101', school_type: 'primary', ownership: 'public', inclusive: null, opened: '2001-09-01' },
      { ...base, code: '1201020001', name_zh: '河东区第一小学', level: 'school', parent_code: '120102', school_type: 'primary', ownership: 'public' },
    ]).execute();
    await store.db.updateTable('org_unit').set({ contact_name: '王老师', contact_phone: '022-12345678' }).where('code', '=', '1201010001').execute();
  });
  afterAll(async () => store?.dispose());

  it('the public list has no contact or dates; the operator\'s listing has every column', async () => {
    const [pub] = await listOrgUnits(deps(), { code: '1201010001' });
    expect(Object.keys(pub ?? {})).toEqual(['code', 'name_zh', 'name_en', 'level', 'parent_code', 'school_type', 'ownership', 'inclusive', 'urban_rural']);
    expect(JSON.stringify(pub)).not.toContain('022-12345678');
    const [rec] = await orgUnitRecords(deps(), system, { code: '1201010001' });
    expect(rec).toMatchObject({ code: '1201010001', opened: '2001-09-01', closed: null, contact_name: '王老师', contact_phone: '022-12345678' });
  });

  it('filters by level, parent and code alike, in code order; an unknown code is an empty list', async () => {
    const codes = (rows: ReadonlyArray<{ code: string }>): string[] => rows.map((r) => r.code);
    expect(codes(await listOrgUnits(deps(), { level: 'district' }))).toEqual(['120101', '120102']);
    expect(codes(await listOrgUnits(deps(), { parent: '120102' }))).toEqual(['1201020001']);
    expect(codes(await orgUnitRecords(deps(), system, { level: 'school', parent: '120101' }))).toEqual(['1201010001']);
    expect(await listOrgUnits(deps(), { code: '9999999999' })).toEqual([]);
  });
});
