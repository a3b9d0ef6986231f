/** Strings of the student-record upload page (zh-CN first, English second), typed like ../../i18n.ts. */
import type { Lang } from '../../i18n.ts';

const strings = {
  navStudentUpload: { zh: '学生体测与视力数据导入', en: 'Import student fitness and vision records' },
  title: { zh: '导入学生体质健康与视力筛查数据', en: 'Import student fitness and vision screening records' },
  intro: {
    zh: '上传按模板整理的 CSV（UTF-8）或 Excel（.xlsx）文件，每行一名学生。整份文件检查无误后才写入；有任何错误则不写入任何数据，并列出每个有问题的单元格。学籍号以假名存储，姓名、住址、身份证号不保存。',
    en: 'Upload a CSV (UTF-8) or Excel (.xlsx) file in the template layout, one student per row. The whole file is checked before anything is written; any error means nothing is written, and every bad cell is listed. Student numbers are stored as pseudonyms; names, addresses and ID numbers are not kept.',
  },
  whoMay: {
    zh: '区审核员可导入本区学校的记录，市级管理员可导入全市学校的记录。同一时间只运行一个导入。',
    en: 'District reviewers import the records of their district’s schools; city administrators import any school’s. One import runs at a time.',
  },
  notAllowed: { zh: '此账号不能导入学生数据（需要区审核员或市级管理员角色）。', en: 'This account cannot import student records (district reviewer or city administrator role needed).' },
  kind: { zh: '数据类型', en: 'Kind of records' },
  kindFitness: { zh: '体测（国家学生体质健康标准）', en: 'Fitness tests (national fitness standard)' },
  kindVision: { zh: '视力筛查', en: 'Vision screening' },
  year: { zh: '学年（可选）', en: 'Academic year (optional)' },
  yearHint: { zh: '如 2023 表示 2023—2024 学年；不填则取文件名中的年份（fitness-2023.csv）。', en: 'e.g. 2023 for 2023–24; blank: the year in the file name (fitness-2023.csv).' },
  yearInvalid: { zh: '学年应为四位数字，如 2023。', en: 'The academic year is four digits, e.g. 2023.' },
  file: { zh: '文件（.csv 或 .xlsx）', en: 'File (.csv or .xlsx)' },
  chooseFile: { zh: '请选择文件。', en: 'Choose a file.' },
  start: { zh: '上传并导入', en: 'Upload and import' },
  another: { zh: '导入另一个文件', en: 'Import another file' },
  progressTitle: { zh: '进度', en: 'Progress' },
  uploadBar: { zh: '上传', en: 'Upload' },
  importBar: { zh: '导入', en: 'Import' },
  uploading: { zh: '正在上传…', en: 'Uploading…' },
  uploaded: { zh: '已上传，等待处理。', en: 'Uploaded; waiting to be processed.' },
  validating: { zh: '正在检查文件…', en: 'Checking the file…' },
  importing: { zh: '正在检查、评分并写入…', en: 'Checking, scoring and writing…' },
  done: { zh: '导入完成。', en: 'Import finished.' },
  failed: { zh: '未导入，未写入任何数据。', en: 'Not imported; nothing was written.' },
  rowsOf: { zh: '已处理 {n} / {total} 行', en: '{n} of {total} rows' },
  rowsOnly: { zh: '已处理 {n} 行', en: '{n} rows' },
  checkedRows: { zh: '已检查 {n} 行', en: '{n} rows checked' },
  bytesOf: { zh: '{n} / {total}', en: '{n} of {total}' },
  resultRows: { zh: '导入行数', en: 'Rows imported' },
  resultBatch: { zh: '批次', en: 'Batch' },
  resultSkipped: { zh: '该文件此前已导入，未做改动。', en: 'This file was imported before; nothing changed.' },
  resultIndicators: { zh: '已按新数据重新计算该学年的指标。', en: 'The year’s indicators were recomputed with the new records.' },
  resultIndicatorsFailed: { zh: '数据已导入，但指标重算失败，请联系管理员。', en: 'The records were imported, but recomputing the indicators failed; tell the administrator.' },
  problemsTitle: { zh: '需要修改的问题', en: 'Problems to fix' },
  problemsMore: { zh: '共 {total} 处问题，下表列出前 {n} 处。', en: '{total} problems in all; the first {n} are listed below.' },
  colFile: { zh: '文件', en: 'File' },
  colRow: { zh: '行', en: 'Row' },
  colColumn: { zh: '列', en: 'Column' },
  colValue: { zh: '值', en: 'Value' },
  colRule: { zh: '规则', en: 'Rule' },
  colMessage: { zh: '问题', en: 'Problem' },
  colFix: { zh: '如何修改', en: 'How to fix' },
  replaceOption: {
    zh: '本文件为更正数据：替换文件中各学校本学年已有的记录',
    en: 'This file corrects earlier data: replace the records already stored for its schools’ year',
  },
  replaceOptionHint: {
    zh: '不勾选时，若文件中的学校本学年已有记录，导入会先停下并列出这些学校和记录数，确认后才替换。',
    en: 'Unticked, a file for schools that already have records for the year stops first and lists those schools with both counts; nothing is replaced until you confirm.',
  },
  replaceTitle: { zh: '以下学校本学年已有记录，导入将替换这些记录', en: 'These schools already have records for the year: importing replaces them' },
  replaceIntro: {
    zh: '请核对学校与记录数。尚未写入任何数据；点击“确认替换”将重新上传同一文件并替换这些学校本学年的全部记录。',
    en: 'Check the schools and counts. Nothing has been written; “Confirm replacement” uploads the same file again and replaces these schools’ records for the year.',
  },
  replaceSchools: { zh: '将替换 {n} 所学校的记录', en: 'Records of {n} schools will be replaced' },
  colSchool: { zh: '学校代码', en: 'School code' },
  colReplace: { zh: '已有记录 → 本文件记录', en: 'Stored records → records in this file' },
  confirmReplace: { zh: '确认替换', en: 'Confirm replacement' },
  replacing: { zh: '（替换已有记录）', en: ' (replacing stored records)' },
  networkError: { zh: '网络错误，上传中断。', en: 'Network error: the upload stopped.' },
} as const satisfies Record<string, Record<Lang, string>>;

export type SuKey = keyof typeof strings;

/** A string, with `{name}` placeholders filled in. */
export function su(lang: Lang, key: SuKey, vars: Record<string, string | number> = {}): string {
  return strings[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
