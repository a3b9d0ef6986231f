/**
 * The import readers without a database: each rule fires on a worked bad cell with
 * its location, and good rows come back typed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOrgUnitsFile, readReferenceFile, readSchoolStatsFile, type KnownOrg } from './import-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'eduplan-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const orgs = new Map<string, KnownOrg>([
  ['120000', { level: 'city', school_type: null }],
  ['120101', { level: 'district', school_type: null }],
  ['3112010001', { level: 'school', school_type: 'primary' }],
  ['3112010002', { level: 'school', school_type: 'kindergarten' }],
  ['3112010003', { level: 'school', school_type: 'primary' }],
]);

describe('readSchoolStatsFile', () => {
  it('reads good rows (BOM, Chinese label row skipped) and types every cell', async () => {
    const p = file('school-stats-2023.csv', '\uFEFForg_code,name_zh,enrol.g1.m,teachers.fulltime,wireless.covered,area.sports_m2\n学校代码,学校名称,一年级男,专任教师,无线,体育面积\n3112010001,某小学,40,12,1,3200.5\n');
    const r = await readSchoolStatsFile(p, 2023, orgs);
    expect(r.problems).toEqual([]);
    expect(r.values).toEqual([
      { org: '3112010001', element: 'enrol.g1.m', value: 40 },
      { org: '3112010001', element: 'teachers.fulltime', value: 12 },
      { org: '3112010001', element: 'wireless.covered', value: 1 },
      { org: '3112010001', element: 'area.sports_m2', value: 3200.5 },
    ]);
  });

  it('locates each bad cell with its rule', async () => {
    const p = file('school-stats-2024.csv', [
      'org_code,enrol.g1.m,teachers.fulltime,wireless.covered,equipment.value_yuan',
      '3112010001,40.5,12,2,1000', // line 2: half a pupil; flag 2
      '120101,1,1,1,1', // line 3: a district
      ',1,1,1,1', // line 4: blank code
      '3112010003,1,1,1,999999999999', // line 5: money beyond range
      '3112010002,1,1,1,1', // line 6: kindergarten with grade 1
    ].join('\n'));
    const r = await readSchoolStatsFile(p, 2024, orgs);
    const brief = r.problems.map((x) => [x.rule, x.row, x.column]);
    expect(brief).toEqual([
      ['integer', 2, 'enrol.g1.m'],
      ['flag', 2, 'wireless.covered'],
      ['not_a_school', 3, 'org_code'],
      ['required', 4, 'org_code'],
      ['max', 5, 'equipment.value_yuan'],
      ['element_not_for_type', 6, 'enrol.g1.m'],
    ]);
    expect(r.problems.every((x) => x.file === 'school-stats-2024.csv')).toBe(true);
  });

  it('reports a CSV syntax error and a header without org_code', async () => {
    const bad = await readSchoolStatsFile(file('school-stats-2025.csv', 'org_code,teachers.fulltime\n3112010001,"12\n'), 2025, orgs);
    expect(bad.problems.map((x) => x.rule)).toContain('csv_syntax');
    const noCode = await readSchoolStatsFile(file('school-stats-2026.csv', 'school,teachers.fulltime\n3112010001,12\n'), 2026, orgs);
    expect(noCode.problems.map((x) => [x.rule, x.column])).toEqual([['unknown_column', 'school'], ['missing_column', 'org_code']]);
    const derived = await readSchoolStatsFile(file('school-stats-2027.csv', 'org_code,fitness.tested.g1.m\n3112010001,12\n'), 2027, orgs);
    expect(derived.problems.map((x) => x.rule)).toEqual(['unknown_column']);
  });
});

describe('readOrgUnitsFile and readReferenceFile', () => {
  it('checks booleans, code length and duplicates in org-units.csv', async () => {
    const p = file('org-units.csv', [
      'code,name_zh,name_en,level,parent_code,school_type,ownership,inclusive,urban_rural,opened,closed',
      '3112010009,甲幼儿园,,school,120101,kindergarten,private,maybe,urban,,', // line 2: inclusive not a boolean
      '312010010,乙小学,,school,120101,primary,public,,rural,,', // line 3: 9 digits
      '3112010011,丙小学,,school,120101,primary,public,,rural,2001-09-01,',
      '3112010011,丙小学,,school,120101,primary,public,,rural,2001-09-01,', // line 5: duplicate
    ].join('\n'));
    const r = await readOrgUnitsFile(p, orgs);
    expect(r.problems.map((x) => [x.rule, x.row, x.column])).toEqual([
      ['enum', 2, 'inclusive'],
      ['format', 3, 'code'],
      ['duplicate_row', 5, 'code'],
    ]);
    expect(r.units.map((u) => u.code)).toEqual(['3112010011']);
  });

  it('keeps reference values to the city and districts', async () => {
    const p = file('reference.csv', [
      'org_code,year,code,value,source',
      '120101,2023,pop.total,350000,天津市统计局',
      '3112010001,2023,pop.total,1,x', // line 3: a school
      '120101,2023,pop.age3_5,9000,', // line 4: no source
      '120101,20x3,pop.age3_5,9000,y', // line 5: bad year
    ].join('\n'));
    const r = await readReferenceFile(p, orgs);
    expect(r.rows).toEqual([{ org_code: '120101', year: 2023, code: 'pop.total', value: 350000, source: '天津市统计局' }]);
    expect(r.problems.map((x) => [x.rule, x.row, x.column])).toEqual([
      ['reference_org_level', 3, 'org_code'],
      ['required', 4, 'source'],
      ['number', 5, 'year'],
    ]);
  });
});
