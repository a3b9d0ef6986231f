/** Fixtures the assessment storage tests share: org-unit rows and a district's items all entered as met. */
import type { ItemDef } from '../../src/core/standards/balanced/criteria.ts';
import { districts } from '../../src/core/org/districts.ts';
import type { OrgUnitTable } from '../../src/store/schema.ts';

/** An org_unit row; fields the assessments do not read stay empty. */
export const orgUnit = (code: string, level: OrgUnitTable['level'], parent: string | null, type: string | null, extra: Partial<OrgUnitTable> = {}): OrgUnitTable => ({
  code, name_zh: `单位${code}`, name_en: '', level, parent_code: parent, school_type: type, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null, ...extra,
});

/**
 * Tianjin's city and its 16 districts as org_unit rows: the assessments assess the units
 * directly under the root, so a test of Tianjin's schedule (16 districts) stores all of them.
 */
export const tianjinCityAndDistricts = (): OrgUnitTable[] => [
  orgUnit('120000', 'city', null, null, { name_zh: '天津市', name_en: 'Tianjin' }),
  ...districts.map((d) => orgUnit(d.code, 'district', '120000', null, { name_zh: d.name_zh, name_en: d.name_en })),
];

/** Every item entered as met, at its threshold, with evidence. */
export function allItemsMet(defs: readonly ItemDef[]) {
  return { entries: defs.map((d) => d.kind === 'number' || d.kind === 'ratio'
    ? { code: d.code, value: d.comparator === '<' ? (d.threshold ?? 0) / 2 : d.threshold, evidence: [{ name: `${d.code}.pdf` }] }
    : { code: d.code, met: true, evidence: d.kind === 'absent' ? [] : [{ name: `${d.code}.pdf` }] }) };
}
