/**
 * The import folder's plan-execution files (规划实施数据文件): registries, units, owners,
 * milestones, entered target values, progress reports, and the documents they cite. The demo
 * generator writes exactly these, the importer reads them, docs/data-files.md describes them
 * (a test keeps the doc in step with this file).
 */

export const PLAN_UNITS_FILE = 'plan-units.csv';
export const PLAN_OWNERS_FILE = 'plan-owners.csv';
export const PLAN_MILESTONES_FILE = 'plan-milestones.csv';
export const TARGET_VALUES_FILE = 'target-values.csv';
export const TASK_REPORTS_FILE = 'task-reports.csv';
/** `registry-<registry id with dashes>.csv`, e.g. registry-luban-workshops.csv. */
export const REGISTRY_FILE_RE = /^registry-([a-z][a-z0-9-]*)\.csv$/;
/** The sub-folder holding the documents the files cite (by file name). */
export const DOCUMENTS_DIR = 'documents';
/** Several file names in one cell are separated by `;`. */
export const LIST_SEPARATOR = ';';

export interface Column { readonly name: string; readonly zh: string; readonly en: string; readonly required?: boolean }

export const planUnitColumns: readonly Column[] = [
  { name: 'code', zh: '单位代码', en: 'Unit code: lower-case letters, digits, _ and - (e.g. dept-basic, district-120101)', required: true },
  { name: 'name_zh', zh: '单位名称', en: 'Chinese name', required: true },
  { name: 'name_en', zh: '英文名称', en: 'English name (may be blank)' },
  { name: 'kind', zh: '单位类别', en: 'department (a city department or office) | district', required: true },
  { name: 'org_code', zh: '机构代码', en: 'The city code (120000) for a department; the district’s code for a district', required: true },
];

export const planOwnerColumns: readonly Column[] = [
  { name: 'item', zh: '规划事项', en: 'Task area (moral_education), sub-task (moral_education.2) or 专栏 (p19_luban_workshops)', required: true },
  { name: 'lead_unit', zh: '牵头单位', en: 'The lead unit’s code', required: true },
  { name: 'co_units', zh: '配合单位', en: 'Co-units’ codes separated by ; (may be blank)' },
  { name: 'frequency', zh: '报告频次', en: 'semiannual (default) | quarterly | annual' },
];

export const planMilestoneColumns: readonly Column[] = [
  { name: 'item', zh: '规划事项', en: 'The item the milestone belongs to', required: true },
  { name: 'code', zh: '节点编号', en: 'Milestone code, unique within the item (e.g. 2023-1)', required: true },
  { name: 'year', zh: '年度', en: 'The plan year', required: true },
  { name: 'text_zh', zh: '节点内容', en: 'What is to be done (Chinese)', required: true },
  { name: 'text_en', zh: '英文内容', en: 'The same in English (may be blank)' },
  { name: 'due', zh: '完成时限', en: 'YYYY-MM-DD', required: true },
  { name: 'done_on', zh: '完成日期', en: 'YYYY-MM-DD, blank while not done' },
  { name: 'evidence', zh: '佐证材料', en: 'File names in documents/, separated by ;' },
  { name: 'note', zh: '说明', en: 'Free text' },
];

export const targetValueColumns: readonly Column[] = [
  { name: 'target', zh: '目标代码', en: 'A target whose data path is `entered`', required: true },
  { name: 'year', zh: '年份', en: 'Year the value describes', required: true },
  { name: 'value', zh: '数值', en: 'In the unit the target is judged in', required: true },
  { name: 'evidence', zh: '佐证材料', en: 'File names in documents/, separated by ; (at least one)', required: true },
  { name: 'note', zh: '说明', en: 'Free text (source, method)' },
];

export const taskReportColumns: readonly Column[] = [
  { name: 'item', zh: '规划事项', en: 'The item reported on', required: true },
  { name: 'unit', zh: '报告单位', en: 'An owner of the item (lead or co-unit)', required: true },
  { name: 'period', zh: '报告期', en: '2023H1, 2023H2 (semi-annual), 2023Q1… or 2023', required: true },
  { name: 'status', zh: '进展状态', en: 'on_track | at_risk | delayed | done', required: true },
  { name: 'reason', zh: '原因', en: 'Why at risk or delayed (required then)' },
  { name: 'narrative_zh', zh: '进展情况', en: 'What was done (Chinese)', required: true },
  { name: 'narrative_en', zh: '英文说明', en: 'The same in English (may be blank)' },
  { name: 'evidence', zh: '佐证材料', en: 'File names in documents/, separated by ;' },
  { name: 'state', zh: '审核状态', en: 'submitted (default) | accepted | returned | draft' },
  { name: 'submitted_on', zh: '报送日期', en: 'YYYY-MM-DD (default: the import day)' },
  { name: 'review_note', zh: '审核意见', en: 'The planning office’s note (required when returned)' },
];

/** Fixed columns of a registry file besides the registry's own fields. */
export const registryFixedColumns: readonly Column[] = [
  { name: 'entry_code', zh: '条目编号', en: 'Stable code of the entry (1–64 letters, digits, . _ -); keys updates', required: true },
  { name: 'document', zh: '认定文件', en: 'The designation document’s file name in documents/ (required where the registry says so)' },
];
