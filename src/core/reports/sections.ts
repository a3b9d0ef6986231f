/**
 * The sections of each report (报告章节) that carry a narrative block the planning office
 * edits, pure. The evaluation reports follow the plan's own structure 一 to 四 (发展基础 →
 * 总体情况, 总体要求 → 主要目标完成情况, 主要任务 → one section per task area, 保障措施 →
 * 保障措施与监测评估); the 鲁班工坊 report follows 专栏19 (建设20个, 非洲10个, 年度报告).
 */

export type ReportKindName = 'final' | 'midterm' | 'annual' | 'luban' | 'learning_city';

export interface SectionDef {
  readonly key: string;
  readonly title_zh: string;
  readonly title_en: string;
}

export interface AreaRef { readonly code: string; readonly number: number; readonly title_zh: string; readonly title_en: string }

const evaluationHead: readonly SectionDef[] = [
  { key: 'summary', title_zh: '一、总体情况', title_en: '1. Overview' },
  { key: 'indicators', title_zh: '二、主要目标完成情况', title_en: '2. The main targets' },
];
const evaluationTail: readonly SectionDef[] = [
  { key: 'safeguards', title_zh: '四、保障措施与监测评估', title_en: '4. Safeguards, monitoring and evaluation' },
  { key: 'districts', title_zh: '附件1 各区主要指标', title_en: 'Annex 1. The districts' },
];
const lubanSections: readonly SectionDef[] = [
  { key: 'luban_overview', title_zh: '一、总体情况', title_en: '1. Overview' },
  { key: 'luban_layout', title_zh: '二、全球布局', title_en: '2. Where the workshops are' },
  { key: 'luban_results', title_zh: '三、建设成效', title_en: '3. Results' },
  { key: 'luban_next', title_zh: '四、下一步工作', title_en: '4. Next steps' },
];

// 学习型城市建设监测年度报告: 三、(七) and 专栏12 — KPI 8, 老年教育活动参与率, the 四横四纵 network, the framework.
const learningCitySections: readonly SectionDef[] = [
  { key: 'lc_overview', title_zh: '一、总体情况', title_en: '1. Overview' },
  { key: 'lc_elderly', title_zh: '二、老年教育活动参与率', title_en: '2. Participation of older people in education' },
  { key: 'lc_network', title_zh: '三、终身学习服务网络', title_en: '3. The lifelong-learning service network' },
  { key: 'lc_framework', title_zh: '四、学习型城市建设监测指标', title_en: '4. The learning-city monitoring items' },
  { key: 'lc_next', title_zh: '五、下一步工作', title_en: '5. Next steps' },
];

/** Every section with a narrative block, in the report's order. Task areas come from the plan. */
export function narrativeSections(kind: ReportKindName, areas: readonly AreaRef[]): SectionDef[] {
  if (kind === 'luban') return [...lubanSections];
  if (kind === 'learning_city') return [...learningCitySections];
  return [
    ...evaluationHead,
    { key: 'tasks', title_zh: '三、主要任务实施情况', title_en: '3. The main tasks' },
    ...areas.map((a) => ({ key: a.code, title_zh: `（${chineseNumber(a.number)}）${a.title_zh}`, title_en: `3.${a.number} ${a.title_en}` })),
    ...evaluationTail,
  ];
}

function chineseNumber(n: number): string {
  const d = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return d[n] ?? String(n);
  if (n < 20) return `十${n === 10 ? '' : d[n - 10]}`;
  return String(n);
}

/** The report's title in each language. */
export function reportTitle(kind: ReportKindName, year: number, planTitle: { zh: string; en: string }): { zh: string; en: string } {
  switch (kind) {
    case 'final': return { zh: `${planTitle.zh}实施情况总结评估报告`, en: `${planTitle.en}: final evaluation` };
    case 'midterm': return { zh: `${planTitle.zh}实施情况中期评估报告`, en: `${planTitle.en}: mid-term review` };
    case 'annual': return { zh: `${planTitle.zh}${year}年度实施监测报告`, en: `${planTitle.en}: monitoring report ${year}` };
    case 'luban': return { zh: `天津市鲁班工坊建设年度报告（${year}年）`, en: `Tianjin Luban Workshops: annual report ${year}` };
    case 'learning_city': return { zh: `天津市学习型城市建设监测年度报告（${year}年）`, en: `Tianjin learning city: annual monitoring report ${year}` };
  }
}
