/** The assessment workspace's strings (zh-CN first, English second), typed like ../i18n.ts. */
import type { Lang } from '../i18n.ts';
import type { CellStatus, DistrictStatus, WorkflowAction } from './model.ts';

const strings = {
  navAssessments: { zh: '督导评估', en: 'Assessments' },
  cityTitle: { zh: '督导评估：全市各区', en: 'Supervision assessments: all districts' },
  cityIntro: {
    zh: '义务教育优质均衡（教督〔2017〕6号）与学前教育普及普惠（教督〔2020〕1号）各区评估结论与认定进度。',
    en: 'District verdicts and certification progress for balanced compulsory education (2017 No. 6) and universal inclusive preschool education (2020 No. 1).',
  },
  balancedTitle: { zh: '义务教育优质均衡', en: 'Balanced compulsory education (优质均衡)' },
  preschoolTitle: { zh: '学前教育普及普惠', en: 'Universal inclusive preschool (普及普惠)' },
  mapNote: { zh: '示意图，区界为简化示意。各区结论见下表。', en: 'Schematic map with simplified boundaries. Each district’s verdict is in the table below.' },
  verdictTable: { zh: '各区评估结论', en: 'Verdict by district' },
  district: { zh: '区', en: 'District' },
  verdict: { zh: '评估结论', en: 'Verdict' },
  state: { zh: '流程状态', en: 'Workflow state' },
  certifiedOn: { zh: '认定日期', en: 'Certified on' },
  resources: { zh: '资源配置', en: 'Resources' },
  scorecard: { zh: '评估详情', en: 'Scorecard' },
  scheduleTitle: { zh: '规划安排与实际进度', en: 'Plan schedule against what happened' },
  scheduleIntro: {
    zh: '规划安排：专栏6（学前教育普及普惠）2021年申报4个区、2022年再申报6个区、2023年全部16个区完成认定；专栏7与主要指标（义务教育优质均衡）2025年16个区全部通过国家认定。实际数为流程记录中申报、认定日期所在年份的累计区数。',
    en: 'The plan: Box 6 (universal inclusive preschool) — 4 districts submitted in 2021, 6 more in 2022, all 16 certified by 2023; Box 7 and the main indicators (balanced compulsory education) — all 16 certified by 2025. Actual figures count districts cumulatively by the calendar year of their recorded submission and certification dates.',
  },
  plannedSubmitted: { zh: '计划申报（累计）', en: 'Planned submitted (cumulative)' },
  submitted: { zh: '实际申报（累计）', en: 'Submitted (cumulative)' },
  plannedCertified: { zh: '计划认定（累计）', en: 'Planned certified (cumulative)' },
  certified: { zh: '实际认定（累计）', en: 'Certified (cumulative)' },
  scheduleStatus: { zh: '对照', en: 'Against plan' },
  kpi: { zh: '指标值', en: 'Indicator value' },
  year: { zh: '学年', en: 'Academic year' },
  calendarYear: { zh: '年份', en: 'Year' },
  level: { zh: '学段', en: 'Level' },
  primary: { zh: '小学', en: 'Primary' },
  junior: { zh: '初中', en: 'Junior secondary' },
  scorecardTitle: { zh: '优质均衡评估', en: 'Balanced education assessment' },
  overallVerdict: { zh: '总体结论', en: 'Overall verdict' },
  levelVerdict: { zh: '本学段资源配置', en: 'Resources at this level' },
  schoolsTable: { zh: '各校资源配置指标', en: 'Resource indicators by school' },
  school: { zh: '学校', en: 'School' },
  enrolment: { zh: '在校生', en: 'Pupils' },
  metCount: { zh: '达标项数', en: 'Indicators met' },
  schoolPass: { zh: '学校结论', en: 'School' },
  threshold: { zh: '标准', en: 'Threshold' },
  legend: { zh: '图例：✓ 达标；≈ 未达标但不低于标准的85%；✗ 低于标准的85%。', en: 'Key: ✓ meets; ≈ below but at least 85 % of the threshold; ✗ below 85 %.' },
  cvTitle: { zh: '差异系数与限值', en: 'Coefficient of variation against its limit' },
  cvTable: { zh: '差异系数（表格）', en: 'Coefficients of variation (table)' },
  indicator: { zh: '指标', en: 'Indicator' },
  cv: { zh: '差异系数', en: 'CV' },
  cvLimit: { zh: '限值', en: 'Limit' },
  mean: { zh: '均值', en: 'Mean' },
  schoolsMet: { zh: '达标学校数', en: 'Schools meeting it' },
  itemsTitle: { zh: '政府保障程度、教育质量、社会认可度', en: 'Government guarantees, education quality, social recognition' },
  item: { zh: '评估项', en: 'Item' },
  value: { zh: '数值', en: 'Value' },
  evidence: { zh: '佐证材料', en: 'Evidence' },
  itemState: { zh: '状态', en: 'State' },
  veto: { zh: '否决项', en: 'veto' },
  explanation: { zh: '结论说明', en: 'Why' },
  whatIfTitle: { zh: '整改模拟：最少需要补充的资源', en: 'What-if: the smallest changes that make the district pass' },
  whatIfOpen: { zh: '显示整改模拟', en: 'Show the what-if panel' },
  whatIfClose: { zh: '隐藏整改模拟', en: 'Hide the what-if panel' },
  whatIfNone: { zh: '本学段已达标，无需整改。', en: 'This level passes: nothing to change.' },
  whatIfAfter: { zh: '整改后本学段', en: 'After the changes this level' },
  add: { zh: '需补充', en: 'Add' },
  before: { zh: '整改前', en: 'Before' },
  after: { zh: '整改后', en: 'After' },
  reason: { zh: '原因', en: 'Reason' },
  reasonSchool: { zh: '学校达标', en: 'school rule' },
  reasonCv: { zh: '差异系数', en: 'CV' },
  cvBeforeAfter: { zh: '各指标差异系数：整改前 → 整改后', en: 'Every CV: before → after' },
  whatIfMethod: { zh: '方法', en: 'Method' },
  downloads: { zh: '下载评估结果', en: 'Download the assessment' },
  downloadXlsx: { zh: '下载 Excel 结果表（xlsx）', en: 'Download the workbook (xlsx)' },
  downloadPdf: { zh: '下载 PDF', en: 'Download PDF' },
  workflowTitle: { zh: '评估流程', en: 'Workflow' },
  history: { zh: '流程记录', en: 'History' },
  step: { zh: '环节', en: 'Step' },
  date: { zh: '日期', en: 'Date' },
  notYet: { zh: '尚未进行', en: 'Not yet' },
  actionDate: { zh: '发生日期', en: 'Date it happened' },
  actionComment: { zh: '意见（可选）', en: 'Comment (optional)' },
  actionDone: { zh: '已记录', en: 'Recorded' },
  noActions: { zh: '当前账号在此环节没有可执行的操作。', en: 'Your account has no action at this step.' },
  dataProblems: { zh: '数据问题', en: 'Data problems' },
  excluded: { zh: '不纳入计算的学校', en: 'Schools left out' },
  backToCity: { zh: '返回全市', en: 'Back to all districts' },
  noReadGrant: { zh: '当前账号没有查看督导评估的权限（需区审核员、市级管理员、督导人员或分析员）。', en: 'Your account may not read assessments (needs district reviewer, city administrator, supervisor or analyst).' },
  choose: { zh: '查看', en: 'Open' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
} as const satisfies Record<string, Record<Lang, string>>;

export type AStringKey = keyof typeof strings;
export function at(lang: Lang, key: AStringKey): string {
  return strings[key][lang];
}

const statusNames: Record<DistrictStatus, { zh: string; en: string; symbol: string }> = {
  certified: { zh: '已通过国家认定', en: 'Certified', symbol: '★' },
  pass: { zh: '达标', en: 'Passes', symbol: '✓' },
  incomplete: { zh: '资料不全', en: 'Incomplete', symbol: '…' },
  fail: { zh: '不达标', en: 'Fails', symbol: '✗' },
  no_data: { zh: '无数据', en: 'No data', symbol: '—' },
};
export const statusLabel = (s: DistrictStatus, lang: Lang): string => statusNames[s][lang];
export const statusSymbol = (s: DistrictStatus): string => statusNames[s].symbol;

/** Map colours by status: each at least 3:1 against white (WCAG 1.4.11); the symbol repeats it in text. */
export const statusColour: Record<DistrictStatus, string> = {
  certified: '#1f5fa8',
  pass: '#1e7b34',
  incomplete: '#8a5a00',
  fail: '#b3261e',
  no_data: '#767676',
};

const cellNames: Record<CellStatus, { zh: string; en: string; symbol: string }> = {
  pass: { zh: '达标', en: 'meets', symbol: '✓' },
  near: { zh: '接近（≥85%）', en: 'near (≥ 85 %)', symbol: '≈' },
  fail: { zh: '未达标（<85%）', en: 'below 85 %', symbol: '✗' },
};
export const cellLabel = (s: CellStatus, lang: Lang): string => cellNames[s][lang];
export const cellSymbol = (s: CellStatus): string => cellNames[s].symbol;

const actionNames: Record<WorkflowAction, { zh: string; en: string }> = {
  self_evaluate: { zh: '记录区级自评', en: 'Record the self-evaluation' },
  city_assess: { zh: '记录市级评估', en: 'Record the city assessment' },
  submit: { zh: '申报国家认定', en: 'Submit for national certification' },
  certify: { zh: '记录国家认定', en: 'Record the certification' },
  return: { zh: '退回', en: 'Return' },
};
export const actionLabel = (a: WorkflowAction, lang: Lang): string => actionNames[a][lang];

const itemStatusNames: Record<string, { zh: string; en: string }> = {
  met: { zh: '达标', en: 'met' },
  not_met: { zh: '未达标', en: 'not met' },
  missing: { zh: '未录入', en: 'not entered' },
  no_evidence: { zh: '缺佐证', en: 'no evidence' },
};
export const itemStatusLabel = (s: string, lang: Lang): string => itemStatusNames[s]?.[lang] ?? s;

const scheduleNames: Record<string, { zh: string; en: string }> = {
  on_schedule: { zh: '按计划', en: 'on schedule' },
  behind: { zh: '滞后', en: 'behind' },
  ahead: { zh: '提前', en: 'ahead' },
  no_target: { zh: '—', en: '—' },
};
export const scheduleLabel = (s: string, lang: Lang): string => scheduleNames[s]?.[lang] ?? s;
