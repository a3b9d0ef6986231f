/** The evaluation reports' strings (zh-CN first, English second), typed like ../i18n.ts. */
import type { Lang } from '../i18n.ts';

const strings = {
  navReports: { zh: '评估报告', en: 'Reports' },
  title: { zh: '规划评估报告', en: 'Evaluation reports' },
  intro: {
    zh: '规划总结评估、中期评估、年度监测报告和鲁班工坊建设年度报告。报告中的全部数字来自发布时的已发布数据；每份报告发布后即冻结，文件与数据版本记入审计链，可随时下载。',
    en: 'The final evaluation, the mid-term review, the annual monitoring reports and the Luban Workshops annual report. Every number comes from the figures released at the time; a published report is frozen, its files and data versions recorded in the audit chain, and stays downloadable.',
  },
  none: { zh: '尚未发布报告。', en: 'No report has been published yet.' },
  report: { zh: '报告', en: 'Report' },
  version: { zh: '版本', en: 'Version' },
  publishedAt: { zh: '发布日期', en: 'Published' },
  dataVersions: { zh: '数据版本', en: 'Data versions' },
  files: { zh: '阅读与下载', en: 'Read and download' },
  read: { zh: '在线阅读', en: 'Read online' },
  current: { zh: '最新版', en: 'current' },
  replaced: { zh: '已被新版本替代', en: 'replaced' },
  zhEdition: { zh: '中文版', en: 'Chinese' },
  enEdition: { zh: '英文版', en: 'English' },
  note: { zh: '说明', en: 'Note' },
  kind_final: { zh: '总结评估', en: 'Final evaluation' },
  kind_midterm: { zh: '中期评估', en: 'Mid-term review' },
  kind_annual: { zh: '年度监测报告', en: 'Annual monitoring report' },
  kind_luban: { zh: '鲁班工坊建设年度报告', en: 'Luban Workshops annual report' },
  kind_learning_city: { zh: '学习型城市建设监测年度报告', en: 'Learning-city annual monitoring report' },
  wsTitle: { zh: '评估报告工作台', en: 'Evaluation reports workspace' },
  wsIntro: {
    zh: '编写各章节叙述（数字一律用占位符，如 {{value fitness_good_rate}}、{{target fitness_good_rate}}、{{status fitness_good_rate}}，生成时按已发布数据填入），预览，发布。',
    en: 'Write each section’s narrative (numbers always as placeholders such as {{value fitness_good_rate}}, {{target fitness_good_rate}}, {{status fitness_good_rate}}, filled from the released figures at generation), preview, publish.',
  },
  kind: { zh: '报告类型', en: 'Report' },
  year: { zh: '年份', en: 'Year' },
  section: { zh: '章节', en: 'Section' },
  textZh: { zh: '中文叙述', en: 'Narrative (Chinese)' },
  textEn: { zh: '英文叙述（可选）', en: 'Narrative (English, optional)' },
  save: { zh: '保存新版本', en: 'Save a new version' },
  saved: { zh: '已保存', en: 'Saved' },
  history: { zh: '历史版本', en: 'Versions' },
  noVersion: { zh: '尚无叙述', en: 'No narrative yet' },
  preview: { zh: '预览（网页）', en: 'Preview (web page)' },
  download: { zh: '下载', en: 'Download' },
  publish: { zh: '发布报告', en: 'Publish the report' },
  publishNote: { zh: '发布说明', en: 'Publication note' },
  published: { zh: '已发布', en: 'Published' },
  working: { zh: '处理中…', en: 'Working…' },
  cityOnly: { zh: '只有市级管理员可以编写和发布报告。', en: 'Only city administrators write and publish reports.' },
} as const;

export type ReportStringKey = keyof typeof strings;

export function rt(lang: Lang, key: ReportStringKey): string {
  return strings[key][lang];
}
