/**
 * The rules an import file is checked against (导入校验规则), each with a stable id
 * and a Chinese/English message and fix. A `Problem` names its rule; docs/data-files.md
 * lists this table.
 */
import type { Problem } from '../core/errors.ts';

export interface RuleText {
  readonly zh: string;
  readonly en: string;
  readonly fix_zh: string;
  readonly fix_en: string;
}

export const importRules = {
  csv_syntax: { zh: 'CSV 格式错误（如引号未闭合）', en: 'CSV syntax error (e.g. an unclosed quote)', fix_zh: '用表格软件另存为 UTF-8 CSV', fix_en: 'Save the sheet again as UTF-8 CSV' },
  encoding: { zh: '文件不是 UTF-8 编码，且无法识别', en: 'The file is not UTF-8 and its encoding is not recognised', fix_zh: '在 Excel 中另存为“CSV UTF-8（逗号分隔）”', fix_en: 'In Excel, Save As "CSV UTF-8 (Comma delimited)"' },
  bad_character: { zh: '单元格含有无法保存的字符（空字符、控制字符或无效的 Unicode）', en: 'The cell holds a character that cannot be stored (NUL, a control character or invalid Unicode)', fix_zh: '删除该字符；从其他系统复制的内容请先粘贴为纯文本', fix_en: 'Remove the character; paste text copied from other systems as plain text' },
  empty_file: { zh: '文件为空或没有表头', en: 'The file is empty or has no header row', fix_zh: '使用模板的表头（见 docs/data-files.md）', fix_en: 'Use the template header (see docs/data-files.md)' },
  missing_column: { zh: '缺少必需的列', en: 'A required column is missing', fix_zh: '在表头中加入该列', fix_en: 'Add the column to the header row' },
  unknown_column: { zh: '未知的列名', en: 'Unknown column', fix_zh: '删除该列，或改为数据元素目录中的代码（docs/data-files.md）', fix_en: 'Remove the column or rename it to a catalogue code (docs/data-files.md)' },
  duplicate_column: { zh: '列名重复', en: 'Duplicate column', fix_zh: '每个列名只保留一列', fix_en: 'Keep one column per name' },
  column_count: { zh: '本行的单元格数与表头不一致（行被截断或多出分隔符）', en: 'The row has a different number of cells than the header (truncated row or stray separator)', fix_zh: '补齐或删除多余的单元格，使每行与表头列数相同', fix_en: 'Complete the row or remove extra cells so it matches the header' },
  required: { zh: '必填项为空', en: 'A required value is blank', fix_zh: '填写该单元格', fix_en: 'Fill in the cell' },
  number: { zh: '不是数字', en: 'Not a number', fix_zh: '只填写阿拉伯数字（不带单位、千分位逗号或空格）', fix_en: 'Enter digits only (no units, thousands separators or spaces)' },
  integer: { zh: '人数、个数必须是整数', en: 'Counts must be whole numbers', fix_zh: '填写整数', fix_en: 'Enter a whole number' },
  non_negative: { zh: '数值不能为负', en: 'The value must not be negative', fix_zh: '填写 0 或正数', fix_en: 'Enter 0 or a positive number' },
  range: { zh: '数值不在允许范围内', en: 'The value is outside the allowed range', fix_zh: '按 docs/data-files.md 的范围填写', fix_en: 'Use a value within the range in docs/data-files.md' },
  max: { zh: '数值超出合理范围', en: 'The value is beyond the plausible range', fix_zh: '检查单位（面积为平方米，金额为元）与数值', fix_en: 'Check the unit (areas in m², money in yuan) and the number' },
  flag: { zh: '是否项只能填 1（是）或 0（否）', en: 'Yes/no items take 1 (yes) or 0 (no)', fix_zh: '填写 1 或 0', fix_en: 'Enter 1 or 0' },
  enum: { zh: '不是允许的取值', en: 'Not one of the allowed values', fix_zh: '使用 docs/data-files.md 中列出的取值', fix_en: 'Use one of the values listed in docs/data-files.md' },
  format: { zh: '格式不正确', en: 'Wrong format', fix_zh: '按 docs/data-files.md 的格式填写（代码为数字，日期为 YYYY-MM-DD）', fix_en: 'Follow the format in docs/data-files.md (codes are digits, dates YYYY-MM-DD)' },
  duplicate_row: { zh: '重复的行', en: 'Duplicate row', fix_zh: '删除重复行，每个机构（及年份、代码）只保留一行', fix_en: 'Delete the duplicate; keep one row per org unit (and year, code)' },
  unknown_org: { zh: '找不到该机构代码', en: 'Unknown org unit code', fix_zh: '先在 org-units.csv 中登记该机构，或更正代码（eduplan org list）', fix_en: 'Register the org unit in org-units.csv first, or correct the code (eduplan org list)' },
  not_a_school: { zh: '该代码不是学校', en: 'The code is not a school', fix_zh: '学校统计表只填写学校的行', fix_en: 'The school statistics file takes school rows only' },
  element_not_for_type: { zh: '该类型学校不填报此项', en: 'Schools of this type do not report this item', fix_zh: '清空该单元格，或更正 org-units.csv 中的办学类型', fix_en: 'Clear the cell, or correct the school type in org-units.csv' },
  subset_le_total: { zh: '部分数大于总数', en: 'A part is larger than its total', fix_zh: '检查两个数：部分（如本科及以上教师）不能超过总数（专任教师）', fix_en: 'Check both numbers: a part (e.g. teachers with a degree) cannot exceed its total (full-time teachers)' },
  parent_unknown: { zh: '上级机构不存在', en: 'The parent org unit does not exist', fix_zh: '先登记上级机构，或更正上级代码', fix_en: 'Register the parent first, or correct parent_code' },
  parent_level: { zh: '上级机构层级不对（须为该层级的上级层级，如区的上级是市，学校的上级是区）', en: 'Wrong parent level (it must be the level\'s parent level: a district belongs to the city, a school to a district)', fix_zh: '更正 parent_code', fix_en: 'Correct parent_code' },
  second_root: { zh: '只能有一个无上级的根机构（如市）', en: 'There can be only one org unit without a parent (the root, e.g. the city)', fix_zh: '为该机构填写上级机构代码', fix_en: 'Give the unit its parent_code' },
  level_hierarchy: { zh: '层级定义有误（上级层级不存在、序号不大于上级，或没有根层级）', en: 'The level hierarchy is wrong (unknown parent level, rank not above the parent\'s, or no root level)', fix_zh: '按 docs/data-files.md 更正 org-levels.csv', fix_en: 'Correct org-levels.csv as docs/data-files.md says' },
  code_level: { zh: '机构代码与层级不符（行政区划 6 位，学校等填报单位 10 位）', en: 'Code does not match the level (administrative units 6 digits, schools and other reporting units 10 digits)', fix_zh: '更正代码或层级', fix_en: 'Correct the code or the level' },
  reference_org_level: { zh: '参考数据只针对行政区划（如市或区），不针对学校', en: 'Reference values belong to an administrative unit (e.g. the city or a district), not a school', fix_zh: '把学校代码改为所在区代码', fix_en: 'Use the district code instead of a school code' },
  year_in_name: { zh: '文件名中的年份不正确', en: 'The year in the file name is not valid', fix_zh: '文件命名为 school-stats-<学年>.csv，如 school-stats-2023.csv', fix_en: 'Name the file school-stats-<academic year>.csv, e.g. school-stats-2023.csv' },
  // Plan-execution files (registry-<id>.csv, plan-*.csv, target-values.csv, task-reports.csv; docs/plan-execution.md)
  unknown_registry: { zh: '文件名中的名录不存在', en: 'The file name names no registry', fix_zh: '文件命名为 registry-<名录代码>.csv（eduplan registries list 列出名录）', fix_en: 'Name the file registry-<registry id>.csv (eduplan registries list shows them)' },
  org_level: { zh: '机构的层级或类型不符合该字段的要求', en: 'The org unit is not of the level or type the field needs', fix_zh: '按字段说明填写区代码或相应类型的学校代码', fix_en: 'Enter a district code, or a school of the type the field names' },
  entry_district: { zh: '条目所属的区与上传者不符，或无法确定', en: 'The entry is not in the uploader’s district, or its district cannot be told', fix_zh: '只上传本区的条目', fix_en: 'Upload your district’s entries only' },
  document_required: { zh: '该名录的条目须附认定文件', en: 'Entries of this registry carry their designation document', fix_zh: '在 document 列填写 documents/ 文件夹中的文件名', fix_en: 'Put the file name (in the documents/ folder) in the document column' },
  document_missing: { zh: '引用的文件不在 documents/ 文件夹中', en: 'The file cited is not in the documents/ folder', fix_zh: '把文件放入导入文件夹的 documents/ 子文件夹，文件名与单元格一致', fix_en: 'Put the file into the documents/ subfolder of the import folder, named as in the cell' },
  file_type: { zh: '不接受该类型的文件', en: 'This file type is not accepted', fix_zh: '使用 PDF、图片、Word、Excel 或文本文件', fix_en: 'Use PDF, an image, Word, Excel or plain text' },
  file_size: { zh: '文件过大或为空', en: 'The file is too large or empty', fix_zh: '压缩或拆分后重新提供（每个不超过 20 MB）', fix_en: 'Compress or split it (at most 20 MB each)' },
  unknown_item: { zh: '规划事项不存在', en: 'Unknown plan item', fix_zh: '任务代码如 moral_education，子任务如 moral_education.2，专栏如 p19_luban_workshops（eduplan tasks）', fix_en: 'A task area such as moral_education, a sub-task moral_education.2, a 专栏 p19_luban_workshops (eduplan tasks)' },
  unknown_unit: { zh: '责任单位不存在', en: 'Unknown unit', fix_zh: '先在 plan-units.csv 中登记该单位', fix_en: 'Register the unit in plan-units.csv first' },
  unit_not_owner: { zh: '该单位不是该事项的责任单位', en: 'The unit does not own the item', fix_zh: '在 plan-owners.csv 中分配责任单位，或更正单位代码', fix_en: 'Assign the unit in plan-owners.csv, or correct the unit code' },
  unknown_target: { zh: '规划目标不存在', en: 'Unknown plan target', fix_zh: '使用 eduplan targets 列出的目标代码', fix_en: 'Use a target code listed by eduplan targets' },
  not_entered_target: { zh: '该目标的数值不是手工填报的（来自指标或名录）', en: 'This target’s value is not entered (it comes from an indicator or a registry)', fix_zh: '删除该行；该目标的数值由系统计算', fix_en: 'Delete the row; the platform computes this target’s value' },
  evidence_required: { zh: '须附佐证材料', en: 'Evidence is required', fix_zh: '在 evidence 列填写 documents/ 文件夹中的文件名（多个用 ; 分隔）', fix_en: 'Put file names from the documents/ folder in the evidence column (several separated by ;)' },
  reason_required: { zh: '状态为存在风险或滞后时须说明原因', en: 'A report that is at risk or delayed says why', fix_zh: '在 reason 列写明原因', fix_en: 'Fill in the reason column' },
  plan_period: { zh: '年份或报告期不在规划期内', en: 'The year or period is outside the plan period', fix_zh: '使用规划期内的年份（报告期如 2023H1）', fix_en: 'Use a year of the plan period (periods such as 2023H1)' },
  too_many_problems: { zh: '问题过多，其余未列出', en: 'Too many problems; the rest are not listed', fix_zh: '先修正已列出的问题后重新导入', fix_en: 'Fix the problems listed and import again' },
} as const satisfies Record<string, RuleText>;

export type ImportRule = keyof typeof importRules;

/** Upper bound of problems kept per file: beyond it, one `too_many_problems` entry says so. */
export const MAX_PROBLEMS_PER_FILE = 5000;

export function problem(rule: ImportRule, where: { file: string; row?: number; column?: string; value?: unknown }, detail?: { zh: string; en: string }): Problem {
  const r = importRules[rule];
  return {
    file: where.file,
    ...(where.row !== undefined ? { row: where.row } : {}),
    ...(where.column !== undefined ? { column: where.column } : {}),
    ...(where.value !== undefined ? { value: where.value } : {}),
    rule,
    message_zh: detail ? `${r.zh}：${detail.zh}` : r.zh,
    message_en: detail ? `${r.en}: ${detail.en}` : r.en,
    fix_zh: r.fix_zh,
    fix_en: r.fix_en,
  };
}

/** Collects problems for one file, stopping at MAX_PROBLEMS_PER_FILE. */
export class ProblemList {
  readonly items: Problem[] = [];
  private overflow = 0;
  constructor(readonly file: string) {}
  add(rule: ImportRule, where: { row?: number; column?: string; value?: unknown } = {}, detail?: { zh: string; en: string }): void {
    if (this.items.length >= MAX_PROBLEMS_PER_FILE) {
      this.overflow++;
      return;
    }
    this.items.push(problem(rule, { file: this.file, ...where }, detail));
  }
  get count(): number {
    return this.items.length + this.overflow;
  }
  /** The problems, with a closing note when some were dropped. */
  list(): Problem[] {
    if (this.overflow === 0) return this.items;
    return [...this.items, problem('too_many_problems', { file: this.file }, { zh: `另有 ${this.overflow} 个问题`, en: `${this.overflow} more problems` })];
  }
}
