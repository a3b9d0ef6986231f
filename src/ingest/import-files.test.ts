/**
 * The import readers without a database: each rule fires on a worked bad cell with
 * its location, and good rows come back typed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LevelModel } from '../core/org/levels.ts';
import { readOrgLevelsFile, readOrgUnitsFile, readReferenceFile, readSchoolStatsFile, type KnownOrg } from './import-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'eduplan-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const orgs = new Map<string, KnownOrg>([
  ['120000', { level: 'city', school_type: null, reporting: false }],
  ['120101', { level: 'district', school_type: null, reporting: false }],
  ['3112010001', { level: 'school', school_type: 'primary', reporting: true }],
  ['3112010002', { level: 'school', school_type: 'kindergarten', reporting: true }],
  ['3112010003', { level: 'school', school_type: 'primary', reporting: true }],
]);
// Tianjin's hierarchy, as it ships with the region (regions/tianjin/org-levels.csv).
const tianjin = await readOrgLevelsFile(new URL('../../regions/tianjin/org-levels.csv', import.meta.url).pathname, []);
const levels = new LevelModel(tianjin.levels);

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

describe('readOrgLevelsFile: a region\'s hierarchy as data', () => {
  it('reads Tianjin\'s shipped levels: city → district → street → community, schools under districts', () => {
    expect(tianjin.problems).toEqual([]);
    expect(levels.isRootLevel('city')).toBe(true);
    expect(levels.parentFits('district', 'city')).toBe(true);
    expect(levels.parentFits('community', 'street')).toBe(true);
    expect(levels.parentFits('school', 'district')).toBe(true);
    expect(levels.all().filter((l) => l.reporting_unit).map((l) => l.code)).toEqual(['school']);
  });

  it('locates an unknown parent level, a rank not below its parent and a bad flag', async () => {
    const r = await readOrgLevelsFile(file('org-levels.csv', [
      'code,rank,name_zh,name_en,parent_level,reporting_unit',
      'province,0,省,Province,,false',
      'prefecture,0,地级市,Prefecture city,province,false', // line 3: rank not below its parent
      'county,2,县,County,prefectur,false', // line 4: unknown parent level
      'school,3,学校,School,county,perhaps', // line 5: not a boolean
    ].join('\n')), []);
    expect(r.problems.map((x) => [x.rule, x.row, x.column, x.value])).toEqual([
      ['enum', 5, 'reporting_unit', 'perhaps'],
      ['level_hierarchy', 3, 'rank', 'prefecture'],
      ['level_hierarchy', 4, 'parent_level', 'county'],
    ]);
  });

  it('org units follow another region\'s levels: a county under a prefecture under the province, one root only', async () => {
    const province = await readOrgLevelsFile(file('org-levels.csv', [
      'code,rank,name_zh,name_en,parent_level,reporting_unit',
      'province,0,省,Province,,false',
      'prefecture,1,地级市,Prefecture city,province,false',
      'county,2,县（区）,County,prefecture,false',
      'school,3,学校,School,county,true',
    ].join('\n')), []);
    expect(province.problems).toEqual([]);
    const model = new LevelModel(province.levels);
    const r = await readOrgUnitsFile(file('org-units.csv', [
      'code,name_zh,level,parent_code,school_type',
      '990000,示例省,province,,',
      '990100,甲市,prefecture,990000,',
      '990101,甲市一县,county,990100,',
      '9901010001,一县第一小学,school,990101,primary',
      '9901010002,一县第二小学,school,990100,primary', // line 6: a school under a prefecture
      '980000,另一省,province,,', // line 7: a second root
      '990102,乙县,district,990100,', // line 8: not a level of this region
      '9901010003,无类型学校,school,990101,', // line 9: a reporting unit without a school_type
    ].join('\n')), new Map(), model);
    expect(r.problems.map((x) => [x.rule, x.row, x.column])).toEqual([
      ['enum', 8, 'level'],
      ['required', 9, 'school_type'],
      ['parent_level', 6, 'parent_code'],
      ['second_root', 7, 'parent_code'],
    ]);
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
    const r = await readOrgUnitsFile(p, orgs, levels);
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

describe('bad input in import files is a located problem, never a crash', () => {
  /** `text` encoded as GBK, byte by byte from a GB18030 decoder's inverse (the test builds its own table). */
  const gbk = (text: string): Buffer => {
    const out: number[] = [];
    const dec = new TextDecoder('gb18030');
    for (const ch of text) {
      if (ch.charCodeAt(0) < 0x80) { out.push(ch.charCodeAt(0)); continue; }
      let found = false;
      for (let hi = 0x81; hi <= 0xfe && !found; hi++) {
        for (let lo = 0x40; lo <= 0xfe && !found; lo++) {
          if (dec.decode(new Uint8Array([hi, lo])) === ch) { out.push(hi, lo); found = true; }
        }
      }
      if (!found) throw new Error(`no GBK code for ${ch}`);
    }
    return Buffer.from(out);
  };
  const raw = (name: string, bytes: Buffer): string => { const p = join(dir, name); writeFileSync(p, bytes); return p; };

  it('a stray quote is csv_syntax at its line (and not also "empty file")', async () => {
    for (const text of ['code,name_zh,level,parent_code\n120102,河"东区,district,120000\n', 'code,name_zh,level,parent_code\n120102,"河东区"x,district,120000\n']) {
      const r = await readOrgUnitsFile(file('org-units.csv', text), orgs, levels);
      expect(r.problems.map((x) => [x.rule, x.row])).toEqual([['csv_syntax', 2]]);
    }
  });

  it('extra cells in a row are column_count', async () => {
    const r = await readOrgUnitsFile(file('org-units.csv', 'code,name_zh,level,parent_code\n120102,河东区,district,120000,extra\n'), orgs, levels);
    expect(r.problems.map((x) => [x.rule, x.row, x.value])).toEqual([['column_count', 2, '5 / 4']]);
  });

  it('NUL, control characters and lone surrogates in a cell are bad_character with their row and column', async () => {
    const r = await readOrgUnitsFile(file('org-units.csv', 'code,name_zh,level,parent_code\n120102,河东\u0000区,district,120000\n120103,河\u0007西区,district,120000\n'), orgs, levels);
    expect(r.problems.map((x) => [x.rule, x.row, x.column, x.value])).toEqual([['bad_character', 2, 'name_zh', '河东?区'], ['bad_character', 3, 'name_zh', '河?西区']]);
    expect(r.units).toEqual([]);
  });

  it('a file saved by Excel on a Chinese Windows (GBK) reads like its UTF-8 twin', async () => {
    const text = 'org_code,name_zh,enrol.g1.m\n学校代码,学校名称,一年级男\n3112010001,某小学,40\n';
    const utf8 = await readSchoolStatsFile(file('school-stats-2023.csv', text), 2023, orgs);
    const gb = await readSchoolStatsFile(raw('school-stats-2023.csv', gbk(text)), 2023, orgs);
    expect(gb.problems).toEqual([]);
    expect(gb.values).toEqual(utf8.values);
    const units = await readOrgUnitsFile(raw('org-units.csv', gbk('code,name_zh,level,parent_code\n120102,河东区,district,120000\n')), orgs, levels);
    expect(units.units.map((u) => u.name_zh)).toEqual(['河东区']);
    // UTF-16 with its BOM (Excel's "Unicode text", comma-separated here) too.
    const u16 = await readOrgUnitsFile(raw('org-units.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('code,name_zh,level,parent_code\n120102,河东区,district,120000\n', 'utf16le')])), orgs, levels);
    expect(u16.units.map((u) => u.name_zh)).toEqual(['河东区']);
  });

  it('a UTF-8 file longer than the sample read for the encoding, with a character cut at the sample\'s end, is UTF-8', async () => {
    const { guessEncoding, SAMPLE_BYTES } = await import('./text-encoding.ts');
    const text = Buffer.from('中文，'.repeat(Math.ceil(SAMPLE_BYTES / 9) + 10), 'utf8');
    for (let cut = 0; cut < 3; cut++) expect(guessEncoding(text.subarray(0, SAMPLE_BYTES - cut), false), `cut ${cut}`).toBe('utf-8');
    const gb = gbk('中文，'.repeat(8));
    expect(guessEncoding(gb.subarray(0, gb.length - 1), false)).toBe('gb18030');
  });

  it('a binary file is named as such, not parsed', async () => {
    const r = await readOrgUnitsFile(raw('org-units.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x00, 0x13, 0x88, 0x00])), orgs, levels);
    expect(r.problems.map((x) => x.rule)).toEqual(['encoding']);
  });
});
