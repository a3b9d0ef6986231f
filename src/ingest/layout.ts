/**
 * The import folder's file layouts (数据文件格式): names, columns and labels. The demo
 * generator writes exactly these, the importer reads them, docs/data-files.md
 * describes them (and a test keeps the doc in step with this file).
 */
import { elements, gradeNames, grades, gradesByType, parseElementCode, type ElementDef } from '../core/elements/catalogue.ts';
import { schoolTypes } from '../core/org/types.ts';

export const ORG_LEVELS_FILE = 'org-levels.csv';
export const ORG_UNITS_FILE = 'org-units.csv';
export const REFERENCE_FILE = 'reference.csv';
export const statsFileName = (year: number): string => `school-stats-${year}.csv`;
export const STATS_FILE_RE = /^school-stats-(\d{4})\.csv$/;
export const STUDENT_FILE_RE = /^(fitness|vision)-(\d{4})\.(csv|xlsx)$/;

/** org-levels.csv columns = the fields of `orgLevelSchema` (src/core/org/levels.ts). */
export const orgLevelColumns = [
  { name: 'code', zh: '层级代码', en: 'Level code: lower-case letters, digits, _ (e.g. province, city, district, county, school)' },
  { name: 'rank', zh: '层级序号', en: 'Depth: 0 for the root level, larger than the parent level\'s' },
  { name: 'name_zh', zh: '中文名称', en: 'Chinese name (required)' },
  { name: 'name_en', zh: '英文名称', en: 'English name (may be blank)' },
  { name: 'parent_level', zh: '上级层级', en: 'The level code units of this level sit under; blank for the root level' },
  { name: 'reporting_unit', zh: '是否填报单位', en: 'true for the level whose units report data (schools), false for the aggregates' },
] as const;

/** org-units.csv columns = the fields of `orgUnitSchema` (src/core/org/types.ts). */
export const orgUnitColumns = [
  { name: 'code', zh: '机构代码', en: 'Org code: 6-digit GB/T 2260 code for an administrative unit (120000 Tianjin, 120101 和平区), 10-digit school code for a reporting unit' },
  { name: 'name_zh', zh: '中文名称', en: 'Chinese name (required)' },
  { name: 'name_en', zh: '英文名称', en: 'English name (may be blank)' },
  { name: 'level', zh: '层级', en: 'A level code of org-levels.csv or already stored (Tianjin: city | district | school)' },
  { name: 'parent_code', zh: '上级机构代码', en: 'Parent, of the level\'s parent level: blank for the root (Tianjin: the city), e.g. 120000 for a district, the district code for a school' },
  { name: 'school_type', zh: '办学类型', en: `School type, schools only: ${schoolTypes.join(' | ')}` },
  { name: 'ownership', zh: '举办者性质', en: 'public | private (schools only)' },
  { name: 'inclusive', zh: '是否普惠性', en: 'true | false: 普惠性 kindergarten (public ones are inclusive); blank for other schools' },
  { name: 'urban_rural', zh: '城乡分类', en: 'urban | town | rural (城区 / 镇区 / 乡村)' },
  { name: 'opened', zh: '开办日期', en: 'YYYY-MM-DD or blank' },
  { name: 'closed', zh: '撤销日期', en: 'YYYY-MM-DD or blank' },
  { name: 'contact_name', zh: '填报联系人', en: 'Who to contact when the school has not reported (optional)' },
  { name: 'contact_phone', zh: '联系电话', en: 'Their telephone: digits, spaces, + - ( ) (optional)' },
] as const;

export const referenceColumns = [
  { name: 'org_code', zh: '机构代码', en: 'An administrative unit\'s code: the root (Tianjin 120000) or a unit under it, not a school' },
  { name: 'year', zh: '年份', en: 'Year the figure describes' },
  { name: 'code', zh: '参考数据代码', en: 'A code from the reference-code list' },
  { name: 'value', zh: '数值', en: 'Non-negative number' },
  { name: 'source', zh: '来源', en: 'Publisher and document (required)' },
] as const;

/** Fixed leading columns of school-stats-<year>.csv; `name_zh` is informational and ignored on import. */
export const STATS_CODE_COLUMN = 'org_code';
export const STATS_NAME_COLUMN = 'name_zh';
/** First cell of the optional second header row (Chinese labels). */
export const STATS_LABEL_MARKER = '学校代码';

/** Every element column, in catalogue order, expanding grade × sex over all grades any type reports. */
export function statsElementColumns(): string[] {
  const out: string[] = [];
  for (const e of elements) {
    if (e.dims !== 'grade_sex') {
      out.push(e.code);
      continue;
    }
    for (const g of grades) {
      if (!e.types.some((t) => gradesByType[t].includes(g))) continue;
      out.push(`${e.code}.${g}.m`, `${e.code}.${g}.f`);
    }
  }
  return out;
}

/** The Chinese label for a stats column, e.g. `在校（园）学生数·初一·女`. */
export function statsColumnLabel(code: string): string {
  if (code === STATS_CODE_COLUMN) return STATS_LABEL_MARKER;
  if (code === STATS_NAME_COLUMN) return '学校名称';
  const p = parseElementCode(code);
  if (!p) return code;
  if (!p.grade || !p.sex) return p.base.name_zh;
  return `${p.base.name_zh}·${gradeNames[p.grade]}·${p.sex === 'm' ? '男' : '女'}`;
}

export function elementOfColumn(code: string): ElementDef | undefined {
  return parseElementCode(code)?.base;
}
