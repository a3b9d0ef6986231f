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
    zh: '门户上的每张表都可以下载为 CSV（UTF-8，Excel 可直接打开）或 JSON，附单位。下表为全市各指标最新数据。',
    en: 'Every table on the portal can be downloaded as CSV (UTF-8, opens in Excel) or JSON, with units. Below: the latest city-wide figures.',
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
} as const satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof strings;

export function t(lang: Lang, key: StringKey): string {
  return strings[key][lang];
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
