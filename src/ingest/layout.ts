/**
 * The import folder's file layouts (数据文件格式): names, columns and labels. The demo
 * generator writes exactly these, the importer reads them, docs/data-files.md
 * describes them (and a test keeps the doc in step with this file).
 */
import { elements, gradeNames, grades, gradesByType, parseElementCode, type ElementDef } from '../core/elements/catalogue.ts';
import { schoolTypes } from '../core/org/types.ts';

export const ORG_UNITS_FILE = 'org-units.csv';
export const REFERENCE_FILE = 'reference.csv';
export const statsFileName = (year: number): string => `school-stats-${year}.csv`;
export const STATS_FILE_RE = /^school-stats-(\d{4})\.csv$/;
export const STUDENT_FILE_RE = /^(fitness|vision)-(\d{4})\.(csv|xlsx)$/;

/** org-units.csv columns = the fields of `orgUnitSchema` (src/core/org/types.ts). */
export const orgUnitColumns = [
  { name: 'code', zh: '机构代码', en: 'Org code: 120000 city, 6-digit GB/T 2260 district, 10-digit school code' },
  { name: 'name_zh', zh: '中文名称', en: 'Chinese name (required)' },
  { name: 'name_en', zh: '英文名称', en: 'English name (may be blank)' },
  { name: 'level', zh: '层级', en: 'city | district | school' },
  { name: 'parent_code', zh: '上级机构代码', en: 'Parent: blank for the city, 120000 for a district, the district code for a school' },
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
  { name: 'org_code', zh: '机构代码', en: 'City (120000) or district code' },
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
