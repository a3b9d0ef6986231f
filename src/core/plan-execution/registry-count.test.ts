import { describe, expect, it } from 'vitest';
import type { RegistryDataPath } from '../plan/data-path.ts';
import { parseEntry, registrySchema, type OrgLookup, type Registry } from '../plan/registry.ts';
import { registryValue, type CountedEntry, type CoverageUnit } from './registry-count.ts';

const luban: Registry = registrySchema.parse({
  id: 'luban_workshops', name_zh: '鲁班工坊', name_en: 'Luban Workshops', maintainer: 'city', document: 'required',
  in_effect: { from: 'opened_year', until: 'closed_year' },
  fields: [
    { key: 'name_zh', type: 'text', label_zh: '名称', label_en: 'Name', required: true },
    { key: 'continent', type: 'choice', label_zh: '大洲', label_en: 'Continent', required: true, choices: [{ value: 'africa', label_zh: '非洲', label_en: 'Africa' }, { value: 'asia', label_zh: '亚洲', label_en: 'Asia' }] },
    { key: 'people', type: 'integer', label_zh: '人数', label_en: 'People', min: 0 },
    { key: 'school', type: 'org', level: 'school', label_zh: '学校', label_en: 'School' },
    { key: 'opened_year', type: 'year', label_zh: '建成年份', label_en: 'Opened', required: true },
    { key: 'closed_year', type: 'year', label_zh: '关闭年份', label_en: 'Closed' },
  ],
});
const e = (code: string, continent: string, opened: number, extra: Record<string, string | number> = {}): CountedEntry => ({ code, payload: { name_zh: code, continent, opened_year: opened, ...extra } });
const path = (p: Partial<RegistryDataPath>): RegistryDataPath => ({ kind: 'registry', registry: 'luban_workshops', ...p });

describe('registryValue', () => {
  const entries = [e('TH', 'asia', 2016), e('EG', 'africa', 2018), e('KE', 'africa', 2021), e('ML', 'africa', 2019, { closed_year: 2023 }), e('PK', 'asia', 2023)];

  it('counts the entries in effect in the year: opened by then and not closed', () => {
    expect(registryValue(luban, path({}), entries, 2020).value).toBe(3); // TH, EG, ML
    expect(registryValue(luban, path({}), entries, 2023).value).toBe(4); // ML closed in 2023 no longer counts; PK opened
    expect(registryValue(luban, path({ filter: { continent: ['africa'] } }), entries, 2022)).toMatchObject({ value: 3, entries: ['EG', 'KE', 'ML'] });
    expect(registryValue(luban, path({ filter: { continent: ['africa'] } }), entries, 2024).value).toBe(2);
  });

  it('counts the entries of the year itself, or of a window of years', () => {
    expect(registryValue(luban, path({ years: 'that_year' }), entries, 2021).value).toBe(1);
    expect(registryValue(luban, path({ years: 'that_year' }), entries, 2022).value).toBe(0);
    expect(registryValue(luban, path({ years: 'window', window: 3 }), entries, 2021).value).toBe(2); // 2019, 2021
  });

  it('sums a field over the entries counted', () => {
    const batches = [e('a', 'asia', 2021, { people: 12 }), e('b', 'asia', 2022, { people: 9 }), e('c', 'africa', 2022, { people: 30 })];
    expect(registryValue(luban, path({ rule: 'sum', field: 'people', filter: { continent: ['asia'] } }), batches, 2022).value).toBe(21);
    expect(registryValue(luban, path({ rule: 'sum', field: 'people', years: 'that_year' }), batches, 2022).value).toBe(39);
  });

  it('coverage: the share of open units of the level and types with at least one entry', () => {
    const units: CoverageUnit[] = [
      { code: 's1', level: 'school', school_type: 'primary', opened: null, closed: null },
      { code: 's2', level: 'school', school_type: 'primary', opened: null, closed: null },
      { code: 's3', level: 'school', school_type: 'junior', opened: '2022-01-01', closed: null },
      { code: 's4', level: 'school', school_type: 'kindergarten', opened: null, closed: null },
      { code: 's5', level: 'school', school_type: 'primary', opened: null, closed: '2021-07-01' },
    ];
    const rooms = [e('r1', 'asia', 2020, { school: 's1' }), e('r2', 'asia', 2021, { school: 's1' }), e('r3', 'asia', 2022, { school: 's3' }), e('r4', 'asia', 2020, { school: 's4' })];
    const cov = path({ rule: 'coverage', coverage: { field: 'school', level: 'school', types: ['primary', 'junior'] } });
    // 2021: s1, s2 are open primary schools (s3 opens in 2022, s5 closed, s4 is not of the types): 1 of 2.
    expect(registryValue(luban, cov, rooms, 2021, units)).toMatchObject({ value: 50, coverage: { covered: 1, total: 2 } });
    expect(registryValue(luban, cov, rooms, 2022, units)).toMatchObject({ coverage: { covered: 2, total: 3 } });
    expect(registryValue(luban, cov, rooms, 2022, units).value).toBeCloseTo(200 / 3, 9);
  });

  it('a registry nobody has kept gives no value, not 0; a kept one with nothing matching gives 0', () => {
    expect(registryValue(luban, path({}), [], 2025)).toMatchObject({ value: null });
    expect(registryValue(luban, path({ filter: { continent: ['africa'] } }), [e('TH', 'asia', 2016)], 2025).value).toBe(0);
  });
});

describe('parseEntry', () => {
  const orgs: OrgLookup = (c) => (c === '1201010001' ? { level: 'school', place: 'reporting', top: '120101', school_type: 'primary', parent_code: '120101' } : c === '120101' ? { level: 'district', place: 'top', top: '120101', school_type: null, parent_code: '120000' } : undefined);

  it('types and normalises every field; a choice may be given by its Chinese label', () => {
    expect(parseEntry(luban, { name_zh: ' 泰国鲁班工坊 ', continent: '亚洲', people: '3', school: '1201010001', opened_year: '2016', closed_year: '' }, orgs))
      .toEqual({ payload: { name_zh: '泰国鲁班工坊', continent: 'asia', people: 3, school: '1201010001', opened_year: 2016 }, issues: [] });
  });

  it('reports every bad cell with its field and rule, not only the first', () => {
    const r = parseEntry(luban, { name_zh: '', continent: 'antarctica', people: '2.5', school: '120101', opened_year: '16', closed_year: '2015', colour: 'red' }, orgs);
    expect(r.payload).toBeNull();
    expect(r.issues.map((i) => [i.field, i.rule])).toEqual([
      ['colour', 'unknown_field'], ['name_zh', 'required'], ['continent', 'enum'], ['people', 'integer'], ['school', 'org_level'], ['opened_year', 'format'],
    ]);
    expect(r.issues.find((i) => i.field === 'continent')?.message_zh).toMatch(/africa（非洲）/);
  });

  it('refuses an unknown org code and years that run backwards', () => {
    const r = parseEntry(luban, { name_zh: 'x', continent: 'africa', school: '1299999999', opened_year: '2020', closed_year: '2019' }, orgs);
    expect(r.issues.map((i) => [i.field, i.rule])).toEqual([['school', 'unknown_org'], ['closed_year', 'range']]);
  });
});
