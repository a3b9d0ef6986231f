/**
 * The portal's two languages: zh-CN first (the plan's language), English second.
 * Every visible string goes through `t(lang, key)` so a missing translation is a type error.
 */
export type Lang = 'zh' | 'en';

export const htmlLang: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

const strings = {
  siteTitle: { zh: '天津市教育现代化“十四五”规划监测', en: 'Tianjin Education Modernization Plan 2021–2025: Monitoring' },
  skipToContent: { zh: '跳到主要内容', en: 'Skip to main content' },
  switchLanguage: { zh: 'English', en: '中文' },
  switchLanguageLabel: { zh: 'Switch to English', en: '切换到中文' },
  navOverview: { zh: '总览', en: 'Overview' },
  navDistricts: { zh: '各区', en: 'Districts' },
  navOpenData: { zh: '开放数据', en: 'Open data' },
  overviewTitle: { zh: '主要指标进展', en: 'Progress on the main indicators' },
  overviewIntro: {
    zh: '《天津市教育现代化“十四五”规划》20项主要指标的最新值、2025年目标和进展状态。',
    en: 'Latest value, 2025 target and status of the 20 main indicators of Tianjin’s education modernization plan.',
  },
  loading: { zh: '正在加载…', en: 'Loading…' },
  loadFailed: { zh: '数据加载失败', en: 'Could not load the data' },
  notFound: { zh: '页面不存在', en: 'Page not found' },
  backToOverview: { zh: '返回总览', en: 'Back to the overview' },
  indicator: { zh: '指标', en: 'Indicator' },
  code: { zh: '代码', en: 'Code' },
  category: { zh: '类别', en: 'Category' },
  nature: { zh: '属性', en: 'Nature' },
  binding: { zh: '约束性', en: 'Binding' },
  expected: { zh: '预期性', en: 'Expected (non-binding)' },
  bindingNote: { zh: '约束性指标：必须完成', en: 'Binding indicator: must be met' },
  value: { zh: '最新值', en: 'Latest value' },
  year: { zh: '年份', en: 'Year' },
  baseline: { zh: '基期值', en: 'Baseline' },
  target: { zh: '目标', en: 'Target' },
  status: { zh: '状态', en: 'Status' },
  unit: { zh: '单位', en: 'Unit' },
  met: { zh: '是否完成', en: 'Met' },
  metYes: { zh: '已完成', en: 'Met' },
  metNo: { zh: '未完成', en: 'Not met' },
  distanceShare: { zh: '目标距离完成比例', en: 'Share of distance covered' },
  timeShare: { zh: '时间进度', en: 'Share of time elapsed' },
  projection: { zh: '按趋势预计2025年', en: 'Projected for the target year' },
  seriesTitle: { zh: '历年数值与目标', en: 'Values over time against the target' },
  seriesObserved: { zh: '实际值', en: 'Observed' },
  seriesTrajectory: { zh: '按期应达到', en: 'Expected by now' },
  seriesTarget: { zh: '目标值', en: 'Target' },
  numerator: { zh: '分子', en: 'Numerator' },
  denominator: { zh: '分母', en: 'Denominator' },
  districtComparison: { zh: '各区比较', en: 'Comparison of districts' },
  districtMapTitle: { zh: '各区分布（示意图）', en: 'Map of districts (schematic)' },
  districtMapNote: {
    zh: '示意图，区界为简化示意，不作为权属界线依据。数值见下表。',
    en: 'Schematic map: simplified boundaries, not an authoritative boundary. The figures are in the table below.',
  },
  district: { zh: '区', en: 'District' },
  explanation: { zh: '如何计算', en: 'How it is computed' },
  formula: { zh: '公式', en: 'Formula' },
  inputs: { zh: '输入数据', en: 'Inputs' },
  method: { zh: '进展评估方法', en: 'How progress is judged' },
  sources: { zh: '数据来源', en: 'Sources' },
  metadata: { zh: '指标说明', en: 'About this indicator' },
  definition: { zh: '定义', en: 'Definition' },
  scope: { zh: '统计范围', en: 'Scope' },
  disclosureRule: { zh: '披露规则', en: 'Disclosure rule' },
  lastRelease: { zh: '最近发布', en: 'Last release' },
  releaseVersion: { zh: '第{n}版', en: 'version {n}' },
  dataUpdated: { zh: '数据更新于 {date}（{year}学年第{n}版）', en: 'Data updated {date} (academic year {year}, version {n})' },
  notReleased: {
    zh: '尚未发布：指标数据经学校报送、区级审核、市级发布后在此公布。',
    en: 'Not yet released: figures appear here once schools have reported, districts have approved and the city has released them.',
  },
  notReleasedYear: { zh: '{year}学年的数据尚未发布。', en: 'The figures for academic year {year} have not been released yet.' },
  seeLatestRelease: { zh: '查看最新发布的数据', en: 'See the latest released figures' },
  release: { zh: '发布', en: 'Release' },
  revised: { zh: '修订', en: 'Revised' },
  revisedNote: { zh: '修订：该数值与本学年上一发布版本不同。', en: 'Revised: the figure differs from the previous release of that year.' },
  demoBanner: { zh: '演示系统：数据为模拟生成，不代表官方统计', en: 'Demo system: simulated data, not official statistics' },
  footerDemo: {
    zh: '数据来源：本演示系统模拟生成的数据，不是统计部门或教育部门发布的数据；目标依据《天津市教育现代化“十四五”规划》。',
    en: 'Sources: data simulated by this demo system, not published by any statistics or education authority; targets from the Tianjin Education Modernization Plan (2021–2025).',
  },
  releasesTitle: { zh: '数据发布记录', en: 'Releases of the figures' },
  releasesIntro: {
    zh: '门户只公布市级已发布的数据。每次发布是一个版本；同一学年再次发布时，新版本替换旧版本，变化的数值标为“修订”，旧版本仍可下载。',
    en: 'The portal shows only figures the city has released. Each release is a version; a new release of the same year replaces the previous one, changed figures are marked “revised”, and earlier versions stay downloadable.',
  },
  releaseYearTitle: { zh: '{year}学年', en: 'Academic year {year}' },
  versionCol: { zh: '版本', en: 'Version' },
  releasedAt: { zh: '发布日期', en: 'Released' },
  releaseNote: { zh: '发布说明', en: 'Note' },
  overrideReason: { zh: '未达完整性要求时的发布理由', en: 'Reason for releasing below the completeness threshold' },
  changes: { zh: '与上一版本相比', en: 'Against the previous version' },
  changesText: { zh: '修订 {revised}，新增 {added}，删除 {removed}', en: '{revised} revised, {added} added, {removed} removed' },
  firstVersion: { zh: '首次发布', en: 'First release' },
  cellsCol: { zh: '数据项', en: 'Cells' },
  versionState: { zh: '状态', en: 'State' },
  currentVersion: { zh: '现行版本', en: 'Current' },
  replacedVersion: { zh: '已被替换（仍可下载）', en: 'Replaced (still downloadable)' },
  downloadsCol: { zh: '下载', en: 'Download' },
  downloadVersion: { zh: '{year}学年第{n}版', en: 'academic year {year}, version {n}' },
  noReleases: { zh: '尚无发布记录。', en: 'Nothing has been released yet.' },
  baselinePlan: { zh: '规划基数', en: 'plan figure' },
  baselineOwn: { zh: '本单位数值', en: 'own value' },
  tableAlternative: { zh: '图表数据（表格）', en: 'Chart data (table)' },
  download: { zh: '下载', en: 'Download' },
  downloadCsv: { zh: '下载 CSV', en: 'Download CSV' },
  downloadJson: { zh: '下载 JSON', en: 'Download JSON' },
  districtsTitle: { zh: '各区指标进展', en: 'Progress by district' },
  districtsIntro: { zh: '选择一个区，查看该区各项指标与状态。', en: 'Choose a district to see its indicators and status.' },
  districtPageIntro: { zh: '该区各项指标的最新值与进展状态。', en: 'Latest values and status of the indicators in this district.' },
  allIndicators: { zh: '全部指标', en: 'All indicators' },
  noData: { zh: '暂无数据', en: 'No data' },
  suppressed: { zh: '—（数据不足，不予公布）', en: '— (too few to publish)' },
  suppressedNote: {
    zh: '为保护个人信息，样本过少的数据不予公布。',
    en: 'Figures based on too few people are withheld to protect privacy.',
  },
  openDataTitle: { zh: '开放数据', en: 'Open data' },
  openDataIntro: {
    zh: '门户上的每张表都可以下载为 CSV（UTF-8，Excel 可直接打开）或 JSON，附单位。下方依次为：数据发布记录（每个版本的全部数据均可下载）、程序接口、全市各指标最新数据。',
    en: 'Every table on the portal can be downloaded as CSV (UTF-8, opens in Excel) or JSON, with units. Below: the releases (every version’s figures downloadable), the API, and the latest city-wide figures.',
  },
  apiNote: { zh: '程序接口（JSON）', en: 'Programmatic access (JSON API)' },
  footer: {
    zh: '数据来源：天津市教育统计与学生体质健康监测；依据《天津市教育现代化“十四五”规划》。',
    en: 'Sources: Tianjin education statistics and student health monitoring; targets from the Tianjin Education Modernization Plan (2021–2025).',
  },
  cityWide: { zh: '全市', en: 'Tianjin (city)' },
  academicYear: { zh: '学年', en: 'Academic year' },
  latestYear: { zh: '最新', en: 'Latest' },
  seeCity: { zh: '查看全市', en: 'See the whole city' },
  sparklineLabel: { zh: '历年走势', en: 'Trend' },
  // Breakdowns (分组), open data, feedback (意见建议), news (发布动态) — issue 16.
  breakdownTitle: { zh: '分组数据', en: 'Breakdowns' },
  breakdownLabel: { zh: '按以下维度分组', en: 'Break down by' },
  breakdownNone: { zh: '不分组', en: 'No breakdown' },
  breakdownAdditive: { zh: '各组的分子、分母相加等于合计。', en: 'The groups’ numerators and denominators add up to the total.' },
  breakdownNotAdditive: { zh: '各组相加不一定等于合计（部分学校不属于任何一组，或分母为人口数）。', en: 'The groups need not add up to the total (some schools belong to no group, or the denominator is a population).' },
  breakdownChart: { zh: '分组走势', en: 'Trend by group' },
  part: { zh: '组别', en: 'Group' },
  total: { zh: '合计', en: 'Total' },
  chartPointsIntro: { zh: '各年数值', en: 'Values by year' },
  feedbackTitle: { zh: '意见建议', en: 'Feedback' },
  feedbackIntro: { zh: '对本页数据有疑问或建议？留言经审核后与答复一同公开；请勿填写身份证号、电话等个人信息（会被隐去），联系方式仅供工作人员回复，不会公开。', en: 'A question or suggestion about these figures? Messages are published with the reply after moderation; do not include ID or phone numbers (they are masked). Your contact is for the staff only and never published.' },
  feedbackMessage: { zh: '留言（不超过2000字，纯文本）', en: 'Message (up to 2,000 characters, plain text)' },
  feedbackContact: { zh: '联系方式（选填，不公开）', en: 'Contact (optional, not published)' },
  feedbackSubmit: { zh: '提交留言', en: 'Send' },
  feedbackSent: { zh: '已收到，审核后公开。', en: 'Received. It will be published after moderation.' },
  feedbackNone: { zh: '暂无公开留言。', en: 'No published messages yet.' },
  feedbackReply: { zh: '答复', en: 'Reply' },
  feedbackPublished: { zh: '已公开的留言', en: 'Published messages' },
  datasetsTitle: { zh: '数据集', en: 'Datasets' },
  datasetsIntro: { zh: '以下数据集均为已发布数据，链接地址固定，可直接引用或由程序下载。被保密的数据保留行，但不含数值。', en: 'Every dataset holds released figures at a stable URL, to cite or download by program. Withheld figures keep their row without numbers.' },
  formats: { zh: '格式', en: 'Formats' },
  lastUpdate: { zh: '最近更新', en: 'Last update' },
  rowsCol: { zh: '行数', en: 'Rows' },
  description: { zh: '说明', en: 'Description' },
  licenceLine: { zh: '许可', en: 'Licence' },
  citeAs: { zh: '引用格式', en: 'Cite as' },
  navNews: { zh: '发布动态', en: 'News' },
  districtCompare: { zh: '与全市比较', en: 'Compared with the city' },
  districtValue: { zh: '本区', en: 'This district' },
  cityValue: { zh: '全市', en: 'City' },
  districtMapPosition: { zh: '在天津市的位置（示意图）', en: 'Location in Tianjin (schematic)' },
  searchLabel: { zh: '站内搜索', en: 'Search the site' },
  searchButton: { zh: '搜索', en: 'Search' },
  searchTitle: { zh: '搜索结果', en: 'Search results' },
  searchHint: { zh: '可输入中文、英文、指标代码或拼音首字母（如 ywjy）。', en: 'Chinese, English, an indicator code or pinyin initials (e.g. ywjy).' },
  searchNone: { zh: '没有找到匹配的内容。', en: 'Nothing matches.' },
  searchCount: { zh: '共 {n} 条', en: '{n} results' },
  kind_indicator: { zh: '指标', en: 'Indicator' },
  kind_target: { zh: '目标', en: 'Target' },
  kind_column: { zh: '专栏', en: '专栏 project' },
  kind_area: { zh: '主要任务', en: 'Task area' },
  kind_district: { zh: '区', en: 'District' },
  kind_school: { zh: '学校', en: 'School' },
  newsTitle: { zh: '发布动态', en: 'News and updates' },
  newsIntro: { zh: '数据发布说明与市教委公告。可用 Atom 订阅：', en: 'Release notes and announcements. Subscribe with Atom:' },
  newsNone: { zh: '暂无动态。', en: 'Nothing yet.' },
  assessTitle: { zh: '督导评估结果', en: 'Supervision assessments' },
  assessIntro: {
    zh: '本区通过国家认定的义务教育优质均衡发展、学前教育普及普惠督导评估。自评、市级评估和申报中的结果不公开。',
    en: 'The district’s nationally certified assessments of high-quality balanced compulsory education and universal, affordable preschool education. Results still in self-evaluation, city assessment or submission are not published.',
  },
  assessNone: { zh: '本区尚无通过国家认定的督导评估。', en: 'No assessment of this district has been nationally certified yet.' },
  assessKind: { zh: '评估', en: 'Assessment' },
  assessKind_balanced: { zh: '义务教育优质均衡发展', en: 'High-quality balanced compulsory education' },
  assessKind_preschool: { zh: '学前教育普及普惠', en: 'Universal and affordable preschool education' },
  assessYear: { zh: '评估学年', en: 'Academic year assessed' },
  assessSteps: { zh: '区级自评 / 市级评估 / 申报', en: 'Self-evaluation / city assessment / submitted' },
  assessCertifiedOn: { zh: '国家认定日期', en: 'Certified on' },
  assessVerdict: { zh: '认定时结论', en: 'Verdict when certified' },
  assessVerdict_pass: { zh: '达标', en: 'Passes' },
  assessVerdict_fail: { zh: '不达标', en: 'Fails' },
  assessVerdict_incomplete: { zh: '资料不全', en: 'Incomplete' },
} as const satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof strings;

export function t(lang: Lang, key: StringKey): string {
  return strings[key][lang];
}

/** A string with `{name}` placeholders filled in. */
export function tf(lang: Lang, key: StringKey, vars: Record<string, string | number>): string {
  return strings[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Pick the language of a bilingual record (`name_zh` / `name_en`), falling back to Chinese. */
export function pick(lang: Lang, zh: string | undefined | null, en: string | undefined | null): string {
  if (lang === 'en' && en) return en;
  return zh ?? en ?? '';
}

export function parseLang(value: string | null | undefined): Lang | null {
  if (!value) return null;
  const v = value.toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v.startsWith('zh')) return 'zh';
  return null;
}
