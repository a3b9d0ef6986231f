import { describe, expect, it } from 'vitest';
import { checkLevels, LevelModel, OrgTree, type OrgLevelDef } from './levels.ts';

const level = (code: string, rank: number, parent_level: string | null, reporting_unit = false): OrgLevelDef => ({ code, rank, name_zh: code, name_en: code, parent_level, reporting_unit });
const tianjin = new LevelModel([level('city', 0, null), level('district', 1, 'city'), level('street', 2, 'district'), level('school', 2, 'district', true)]);
const province = new LevelModel([level('province', 0, null), level('prefecture', 1, 'province'), level('county', 2, 'prefecture'), level('school', 3, 'county', true)]);
const u = (code: string, lvl: string, parent_code: string | null) => ({ code, level: lvl, parent_code });

describe('OrgTree: places and top units from the level model, not from level codes', () => {
  it('Tianjin: districts are the top units; a school the city runs itself is a reporting unit with no top unit', () => {
    const tree = new OrgTree([u('120000', 'city', null), u('120101', 'district', '120000'), u('120102', 'district', '120000'), u('120101001', 'street', '120101'), u('1201010001', 'school', '120101'), u('1200000001', 'school', '120000')], tianjin);
    expect(tree.root?.code).toBe('120000');
    expect(tree.topUnits().map((x) => x.code)).toEqual(['120101', '120102']);
    expect(tree.placeOf('120000')).toBe('root');
    expect(tree.placeOf('120101001')).toBe('below_top');
    expect(tree.placeOf('1201010001')).toBe('reporting');
    expect(tree.placeOf('1200000001')).toBe('reporting');
    expect(tree.topOf('1201010001')).toBe('120101');
    expect(tree.topOf('120101001')).toBe('120101');
    expect(tree.topOf('1200000001')).toBeNull();
    expect(tree.topOf('120000')).toBeNull();
    expect(tree.placeOf('999999')).toBeUndefined();
  });

  it('a province: prefecture cities are the top units, and a school two levels below one lies in it', () => {
    const tree = new OrgTree([u('990000', 'province', null), u('990100', 'prefecture', '990000'), u('990101', 'county', '990100'), u('9901010001', 'school', '990101')], province);
    expect(tree.topUnits().map((x) => x.code)).toEqual(['990100']);
    expect(tree.placeOf('990101')).toBe('below_top');
    expect(tree.topOf('9901010001')).toBe('990100');
  });

  it('bad data: several roots leave no root and no top units; a parent cycle ends without an answer', () => {
    expect(new OrgTree([u('a', 'city', null), u('b', 'city', null)], tianjin).root).toBeNull();
    const cyclic = new OrgTree([u('120000', 'city', null), u('x', 'street', 'y'), u('y', 'street', 'x')], tianjin);
    expect(cyclic.topOf('x')).toBeNull();
  });
});

describe('checkLevels: a region\'s hierarchy is usable or says what is wrong, by level', () => {
  it('Tianjin\'s and the province\'s hierarchies pass', () => {
    expect(checkLevels([level('city', 0, null), level('district', 1, 'city'), level('school', 2, 'district', true)])).toEqual([]);
    expect(checkLevels([level('province', 0, null), level('prefecture', 1, 'province'), level('county', 2, 'prefecture'), level('school', 3, 'county', true)])).toEqual([]);
  });

  it('names each broken level and rule: unknown parent, rank not below the parent, no root, a parentless or non-`school` reporting level', () => {
    expect(checkLevels([level('city', 0, null), level('district', 1, 'nation'), level('school', 2, 'district', true)])).toEqual([{ level: 'district', rule: 'parent_level_unknown' }]);
    expect(checkLevels([level('city', 1, null), level('district', 1, 'city'), level('school', 2, 'district', true)])).toEqual([{ level: 'district', rule: 'rank_not_below_parent' }]);
    expect(checkLevels([level('district', 1, 'school'), level('school', 0, 'district', true)])).toEqual([{ level: 'school', rule: 'rank_not_below_parent' }, { level: 'district', rule: 'no_root_level' }]);
    expect(checkLevels([level('school', 0, null, true)])).toEqual([{ level: 'school', rule: 'reporting_without_parent' }]);
    // Forms, accounts and student records find reporting units by the code `school`.
    expect(checkLevels([level('city', 0, null), level('institution', 1, 'city', true)])).toEqual([{ level: 'institution', rule: 'reporting_code_not_school' }]);
  });
});
