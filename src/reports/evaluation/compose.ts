/**
 * Composing a report (报告编排): from the snapshot of released figures (ReportData) to the
 * format-free document (model.ts) in one language. Every number is formatted by
 * src/core/reports/format.ts from the snapshot; every generated sentence exists in zh and en.
 *
 * The evaluation reports (final 总结评估, midterm 中期评估, annual 年度监测) follow the plan's
 * own structure 一 to 四 and differ only in how a target is judged: the final evaluation gives a
 * verdict (达成 / 未达成) at the plan's end; the mid-term and annual reports give the progress
 * status and the value expected by then on the straight line from baseline to target. The
 * 鲁班工坊 annual report (专栏19) is a second template on the same engine.
 */
import { chineseNumeral, chinaDay, formatDate, formatMaybe, formatTarget, formatValue, missingText, type Lang } from '../../core/reports/format.ts';
import { narrativeSections, reportTitle, type SectionDef } from '../../core/reports/sections.ts';
import { statusNames } from '../../core/progress/explain.ts';
import { targetStatusNames } from '../../core/plan-execution/judge.ts';
import type { ProgressItem } from '../../contract/progress.ts';
import type { ReportData } from '../../contract/reports.ts';
import type { TargetRow } from '../../contract/plan-execution.ts';
import type { Block, ReportDocument } from './model.ts';
import { narrativeText } from './narrative.ts';
import { learningCityBlocks } from './learning-city.ts';

type L = Readonly<Record<Lang, string>>;
const t = (lang: Lang, s: L): string => s[lang];

const colors = { bar: '#1f5fa8', good: '#1b7f3b', bad: '#b3261e', muted: '#8a8a8a', low: '#dbe9f6', high: '#08306b' };

/** Final verdict words: 达成 / 未达成 (the plan's end); before it the engine's progress status. */
function verdictOf(item: ProgressItem, final: boolean, lang: Lang): string {
  if (item.value === null) return item.suppressed ? missingText.suppressed[lang] : missingText.no_data[lang];
  if (final) return item.status === 'achieved' ? t(lang, { zh: '达成', en: 'achieved' }) : item.status === 'not_achieved' ? t(lang, { zh: '未达成', en: 'not achieved' }) : statusNames[item.status][lang];
  return statusNames[item.status][lang];
}

const natureName = (n: 'binding' | 'expected', lang: Lang): string => (n === 'binding' ? t(lang, { zh: '约束性', en: 'binding' }) : t(lang, { zh: '预期性', en: 'expected' }));

/** On the straight line from the baseline to the target, where a value should be by `year` (按进度应达). */
export function expectedBy(item: Pick<ProgressItem, 'baseline' | 'target'>, year: number): number | null {
  if (!item.baseline) return null;
  if (item.target.comparator === 'maintain') return item.target.value;
  const span = item.target.year - item.baseline.year;
  if (span <= 0) return item.target.value;
  const share = Math.min(1, Math.max(0, (year - item.baseline.year) / span));
  return item.baseline.value + (item.target.value - item.baseline.value) * share;
}

/** The sentence for one indicator, as a government report states it. */
export function indicatorSentence(item: ProgressItem, year: number, final: boolean, lang: Lang): string {
  const name = lang === 'zh' ? item.name_zh : item.name_en;
  const binding = item.nature === 'binding' ? t(lang, { zh: '（约束性）', en: ' (binding)' }) : '';
  const target = formatValue(item.target.value, item.unit, lang);
  const cmp = item.target.comparator;
  const aim = lang === 'zh'
    ? (cmp === 'maintain' ? `保持${target}` : cmp === '<=' ? `控制在${target}以内` : cmp === '<' ? `低于${target}` : cmp === '>' ? `高于${target}` : `${target}`)
    : (cmp === 'maintain' ? `keep ${target}` : cmp === '<=' ? `at most ${target}` : cmp === '<' ? `below ${target}` : cmp === '>' ? `above ${target}` : `${target}`);
  if (item.value === null || item.year === null) {
    const why = item.suppressed ? missingText.suppressed[lang] : missingText.no_data[lang];
    return lang === 'zh' ? `${name}${binding}：${year}年${why}，目标为${item.target.year}年${aim}。` : `${name}${binding}: ${why} for ${year}; the target is ${aim} by ${item.target.year}.`;
  }
  const v = formatValue(item.value, item.unit, lang);
  const from = item.baseline ? formatValue(item.baseline.value, item.unit, lang) : null;
  const by = item.baseline?.year ?? null;
  let movement: string;
  if (from === null || by === null) movement = lang === 'zh' ? `${item.year}年为${v}` : `was ${v} in ${item.year}`;
  else if (from === v) movement = lang === 'zh' ? `${item.year}年为${v}，与${by}年持平` : `was ${v} in ${item.year}, as in ${by}`;
  else {
    const up = (item.value ?? 0) > (item.baseline?.value ?? 0);
    movement = lang === 'zh' ? `由${by}年的${from}${up ? '提高' : '下降'}到${item.year}年的${v}` : `${up ? 'rose' : 'fell'} from ${from} in ${by} to ${v} in ${item.year}`;
  }
  let outcome: string;
  if (final) {
    if (item.status === 'achieved') outcome = lang === 'zh' ? `达到${aim}的目标` : `meeting the target of ${aim}`;
    else if (item.status === 'not_achieved') outcome = lang === 'zh' ? `未达到${aim}的目标` : `short of the target of ${aim}`;
    else outcome = lang === 'zh' ? `目标为${aim}（${statusNames[item.status].zh}）` : `against a target of ${aim} (${statusNames[item.status].en})`;
  } else {
    const exp = expectedBy(item, year);
    const expText = exp === null ? null : formatValue(exp, item.unit, lang);
    outcome = lang === 'zh'
      ? `${expText ? `按进度${year}年应达${expText}，` : ''}${item.target.year}年目标为${aim}，${statusNames[item.status].zh}`
      : `${expText ? `${expText} expected by ${year} on the way to ` : 'the target is '}${aim} by ${item.target.year}: ${statusNames[item.status].en}`;
  }
  return lang === 'zh' ? `${name}${binding}${movement}，${outcome}。` : `${name}${binding} ${movement}, ${outcome}.`;
}

function targetVerdict(r: TargetRow, lang: Lang): string {
  return targetStatusNames[r.status][lang];
}

function targetTable(rows: readonly TargetRow[], caption: string, data: ReportData, lang: Lang): Block {
  const final = data.kind === 'final';
  return {
    type: 'table', caption,
    columns: [
      { title: t(lang, { zh: '出处', en: 'Where' }), width: 1.2 },
      { title: t(lang, { zh: '目标', en: 'Target' }), width: 5 },
      { title: t(lang, { zh: '目标值', en: 'Target value' }), width: 1.6, align: 'right' },
      { title: t(lang, { zh: `截至${data.year}年`, en: `As of ${data.year}` }), width: 1.6, align: 'right' },
      { title: final ? t(lang, { zh: '结论', en: 'Verdict' }) : t(lang, { zh: '进展', en: 'Progress' }), width: 1.3 },
    ],
    rows: rows.map((r) => [
      r.source,
      `${lang === 'zh' ? r.text_zh : r.text_en}（${r.year}）`.replace(/（(\d{4})）$/, lang === 'zh' ? '（$1年）' : ' ($1)'),
      formatTarget(r.comparator, r.target, r.unit, lang),
      r.value === null ? (lang === 'zh' ? (r.reason_zh ?? missingText.no_data.zh) : (r.reason_en ?? missingText.no_data.en)) : formatValue(r.value, r.value_unit, lang),
      targetVerdict(r, lang),
    ]),
  };
}

function sectionHeading(s: SectionDef, level: 1 | 2, lang: Lang): Block {
  return { type: 'heading', level, text: lang === 'zh' ? s.title_zh : s.title_en, id: `s-${s.key}` };
}

function narrativeBlocks(data: ReportData, section: string, lang: Lang): Block[] {
  const text = narrativeText(data, section, lang);
  if (text === null) return [];
  return text.split(/\n\s*\n|\n/).map((p) => p.trim()).filter(Boolean).map((p) => ({ type: 'paragraph' as const, text: p, role: 'narrative' as const }));
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

function summaryBlocks(data: ReportData, lang: Lang): Block[] {
  const final = data.kind === 'final';
  const items = data.indicators;
  const counts = countBy(items, (i) => i.status);
  const binding = items.filter((i) => i.nature === 'binding');
  const bindingMet = binding.filter((i) => i.status === 'achieved').length;
  const achieved = counts.get('achieved') ?? 0;
  const notAchieved = counts.get('not_achieved') ?? 0;
  const noValue = items.filter((i) => i.value === null).length;
  const out: Block[] = [];
  if (final) {
    out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
      ? `截至${data.year}年，规划确定的${items.length}项主要指标中，${achieved}项达成目标，${notAchieved}项未达成${noValue > 0 ? `，${noValue}项暂无可公布数据` : ''}；${binding.length}项约束性指标中${bindingMet}项达成。`
      : `As of ${data.year}, of the plan's ${items.length} main indicators ${achieved} met their targets and ${notAchieved} did not${noValue > 0 ? `; ${noValue} have no publishable figure` : ''}; ${bindingMet} of the ${binding.length} binding indicators were met.` });
  } else {
    const parts = [...counts.entries()].map(([s, n]) => (lang === 'zh' ? `${statusNames[s as ProgressItem['status']].zh}${n}项` : `${n} ${statusNames[s as ProgressItem['status']].en}`));
    out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
      ? `截至${data.year}年，规划确定的${items.length}项主要指标中，${parts.join('，')}；${binding.length}项约束性指标中${bindingMet}项已达到目标值。`
      : `As of ${data.year}, of the plan's ${items.length} main indicators: ${parts.join(', ')}; ${bindingMet} of the ${binding.length} binding indicators are at their targets.` });
  }
  const targetCounts = countBy(data.targets, (r) => r.status);
  out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
    ? `规划正文和专栏共${data.targets.length}项量化目标（含主要指标），其中${[...targetCounts.entries()].map(([s, n]) => `${targetStatusNames[s as TargetRow['status']].zh}${n}项`).join('，')}。`
    : `The plan sets ${data.targets.length} quantified targets in its text and boxes (the main indicators included): ${[...targetCounts.entries()].map(([s, n]) => `${n} ${targetStatusNames[s as TargetRow['status']].en}`).join(', ')}.` });
  const statusOrder = ['achieved', 'on_track', 'needs_acceleration', 'limited', 'deteriorating', 'off_track', 'not_achieved', 'insufficient_data'] as const;
  const shown = statusOrder.filter((s) => counts.has(s));
  out.push({ type: 'chart', chart: {
    id: 'status', title: t(lang, { zh: '主要指标进展情况分布', en: 'The main indicators by status' }),
    alt: shown.map((s) => `${statusNames[s][lang]} ${counts.get(s) ?? 0}`).join(lang === 'zh' ? '，' : ', '),
    width: 640, height: 260,
    option: {
      grid: { left: 110, right: 40, top: 20, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map((s) => statusNames[s][lang]), inverse: true },
      series: [{ type: 'bar', data: shown.map((s) => ({ value: counts.get(s) ?? 0, itemStyle: { color: s === 'achieved' || s === 'on_track' ? colors.good : s === 'insufficient_data' ? colors.muted : colors.bad } })), label: { show: true, position: 'right' } }],
    },
  } });
  return out;
}

function indicatorTable(data: ReportData, lang: Lang): Block {
  const final = data.kind === 'final';
  const cols = [
    { title: t(lang, { zh: '序号', en: 'No.' }), width: 0.8, align: 'center' as const },
    { title: t(lang, { zh: '指标', en: 'Indicator' }), width: 3.6 },
    { title: t(lang, { zh: '属性', en: 'Nature' }), width: 1.2, align: 'center' as const },
    { title: t(lang, { zh: `${data.plan.baseline_year}年`, en: `${data.plan.baseline_year}` }), width: 1.3, align: 'right' as const },
    { title: t(lang, { zh: '目标值', en: 'Target' }), width: 1.5, align: 'right' as const },
    ...(final ? [] : [{ title: t(lang, { zh: `${data.year}年应达`, en: `Expected ${data.year}` }), width: 1.3, align: 'right' as const }]),
    { title: t(lang, { zh: `${data.year}年`, en: `${data.year}` }), width: 1.3, align: 'right' as const },
    { title: final ? t(lang, { zh: '结论', en: 'Verdict' }) : t(lang, { zh: '进展', en: 'Progress' }), width: 1.2 },
  ];
  return {
    type: 'table',
    caption: t(lang, { zh: `表1 主要指标${final ? '完成' : '进展'}情况`, en: `Table 1. The main indicators${final ? ': results' : ': progress'}` }),
    columns: cols,
    rows: data.indicators.map((i, n) => {
      const exp = expectedBy(i, data.year);
      return [
        String(n + 1),
        lang === 'zh' ? i.name_zh : i.name_en,
        natureName(i.nature, lang),
        i.baseline ? formatValue(i.baseline.value, i.unit, lang) : missingText.no_data[lang],
        formatTarget(i.target.comparator, i.target.value, i.unit, lang),
        ...(final ? [] : [exp === null ? missingText.no_data[lang] : formatValue(exp, i.unit, lang)]),
        formatMaybe(i.value, i.unit, lang, i.suppressed ? 'suppressed' : 'no_data') + (i.value !== null && i.year !== null && i.year !== data.year ? (lang === 'zh' ? `（${i.year}年）` : ` (${i.year})`) : ''),
        verdictOf(i, final, lang),
      ];
    }),
    note: t(lang, { zh: '属性：约束性指标为必须完成的指标，预期性指标为努力实现的指标。数值为已发布数据，按报告格式修约（百分比保留一位小数，受教育年限保留两位小数）。', en: 'Binding indicators must be met; expected indicators are aimed for. Figures are released figures, rounded as the report prints them (one decimal for percentages, two for years of schooling).' }),
  };
}

function scheduleBlocks(data: ReportData, lang: Lang): Block[] {
  const out: Block[] = [];
  for (const [kind, s] of [['balanced', data.schedules.balanced], ['preschool', data.schedules.preschool]] as const) {
    const name = kind === 'balanced' ? t(lang, { zh: '义务教育优质均衡', en: 'high-quality balanced compulsory education' }) : t(lang, { zh: '学前教育普及普惠', en: 'universal, affordable preschool education' });
    out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
      ? `${name}（${s.source}）：截至${data.year}年，全市${s.kpi.total}个区中${s.kpi.certified}个区通过国家认定，${s.by_year.filter((b) => b.status === 'behind').length > 0 ? `有${s.by_year.filter((b) => b.status === 'behind').length}个年度节点未按计划完成` : '各年度节点按计划推进'}。`
      : `${name[0]?.toUpperCase()}${name.slice(1)} (${s.source}): by ${data.year}, ${s.kpi.certified} of the ${s.kpi.total} districts were nationally certified; ${s.by_year.filter((b) => b.status === 'behind').length > 0 ? `${s.by_year.filter((b) => b.status === 'behind').length} yearly milestones were missed` : 'every yearly milestone was kept'}.` });
    out.push({
      type: 'table',
      caption: kind === 'balanced' ? t(lang, { zh: `表 ${s.source}义务教育优质均衡区创建进度`, en: `Table. ${s.source}: balanced compulsory education, districts by year` }) : t(lang, { zh: `表 ${s.source}学前教育普及普惠区创建进度`, en: `Table. ${s.source}: universal preschool, districts by year` }),
      columns: [
        { title: t(lang, { zh: '年份', en: 'Year' }), width: 1, align: 'center' },
        { title: t(lang, { zh: '计划申报（累计）', en: 'Planned to apply (cumulative)' }), width: 1.5, align: 'right' },
        { title: t(lang, { zh: '实际申报', en: 'Applied' }), width: 1.2, align: 'right' },
        { title: t(lang, { zh: '计划认定（累计）', en: 'Planned certified (cumulative)' }), width: 1.5, align: 'right' },
        { title: t(lang, { zh: '实际认定', en: 'Certified' }), width: 1.2, align: 'right' },
        { title: t(lang, { zh: '进度', en: 'Schedule' }), width: 1.2 },
      ],
      rows: s.by_year.map((b) => [
        String(b.year), b.planned_submitted === null ? '—' : String(b.planned_submitted), String(b.submitted),
        b.planned_certified === null ? '—' : String(b.planned_certified), String(b.certified),
        ({ on_schedule: { zh: '按计划', en: 'on schedule' }, behind: { zh: '滞后', en: 'behind' }, ahead: { zh: '提前', en: 'ahead' }, no_target: { zh: '—', en: '—' } } as const)[b.status][lang],
      ]),
    });
  }
  return out;
}

function areaBlocks(data: ReportData, lang: Lang): Block[] {
  const out: Block[] = [];
  for (const a of data.areas) {
    out.push({ type: 'heading', level: 2, id: `s-${a.code}`, text: lang === 'zh' ? `（${chineseNumeral(a.number)}）${a.title_zh}` : `3.${a.number} ${a.title_en}` });
    const goal = lang === 'zh' ? a.goal_zh : a.goal_en;
    if (goal) out.push({ type: 'paragraph', role: 'quote', text: lang === 'zh' ? `规划目标：${goal}` : `The plan's aim: ${goal}` });
    out.push(...narrativeBlocks(data, a.code, lang));
    const rows = data.targets.filter((r) => r.kind !== 'indicator' && r.task_area === a.code);
    if (rows.length > 0) {
      const counts = countBy(rows, (r) => r.status);
      const registryRows = rows.filter((r) => r.data_path === 'registry' && r.value !== null);
      out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
        ? `本领域共有量化目标${rows.length}项，${[...counts.entries()].map(([s, n]) => `${targetStatusNames[s as TargetRow['status']].zh}${n}项`).join('，')}。${registryRows.map((r) => `${r.text_zh}：名录在册${formatValue(r.value as number, r.value_unit, 'zh')}（目标${formatTarget(r.comparator, r.target, r.unit, 'zh')}）`).join('；')}${registryRows.length > 0 ? '。' : ''}`
        : `This area has ${rows.length} quantified targets: ${[...counts.entries()].map(([s, n]) => `${n} ${targetStatusNames[s as TargetRow['status']].en}`).join(', ')}.${registryRows.map((r) => ` ${r.text_en}: ${formatValue(r.value as number, r.value_unit, 'en')} in the registry (target ${formatTarget(r.comparator, r.target, r.unit, 'en')}).`).join('')}` });
      out.push(targetTable(rows, lang === 'zh' ? `表 ${a.title_zh}量化目标` : `Table. ${a.title_en}: quantified targets`, data, lang));
    }
    const owners = data.owner_narratives.filter((o) => o.item === a.code || o.item.startsWith(`${a.code}.`) || a.projects.some((p) => p.code === o.item));
    for (const o of owners) {
      const text = lang === 'zh' ? o.narrative_zh : (o.narrative_en || o.narrative_zh);
      if (text.trim() === '') continue;
      out.push({ type: 'paragraph', role: 'narrative', text: lang === 'zh' ? `${o.item_title_zh}（${o.unit_zh}，${o.period}）：${text}` : `${o.item_title_en} (${o.unit_en}, ${o.period}): ${text}` });
    }
  }
  return out;
}

function districtBlocks(data: ReportData, lang: Lang): Block[] {
  const withDistricts = data.indicators.filter((i) => data.districts.some((d) => d.values[i.code] !== undefined));
  const out: Block[] = [];
  const mapped = withDistricts.find((i) => data.districts.filter((d) => d.values[i.code]?.value !== null && d.values[i.code]?.value !== undefined).length >= 8) ?? null;
  if (mapped) {
    const vals = data.districts.map((d) => ({ name: d.name_zh, value: d.values[mapped.code]?.value ?? null }));
    const nums = vals.flatMap((v) => (v.value === null ? [] : [v.value]));
    out.push({ type: 'chart', chart: {
      id: 'district-map', map: true, width: 600, height: 520,
      title: lang === 'zh' ? `图 各区${mapped.name_zh}（${data.year}年）` : `Figure. ${mapped.name_en} by district, ${data.year}`,
      alt: vals.map((v) => `${lang === 'zh' ? v.name : (data.districts.find((d) => d.name_zh === v.name)?.name_en ?? v.name)} ${formatMaybe(v.value, mapped.unit, lang)}`).join(lang === 'zh' ? '；' : '; '),
      option: {
        visualMap: { min: Math.min(...nums), max: Math.max(...nums), left: 10, bottom: 10, calculable: false, inRange: { color: [colors.low, colors.high] }, text: [t(lang, { zh: '高', en: 'high' }), t(lang, { zh: '低', en: 'low' })] },
        series: [{ type: 'map', map: 'tianjin-districts', nameProperty: 'name_zh', label: { show: true, fontSize: 9, ...(lang === 'en' ? {} : {}) }, data: vals.map((v) => ({ name: v.name, value: v.value ?? '-' })) }],
      },
    } });
  }
  // At most five indicators a table, so the table fits an A4 page in portrait.
  for (let i = 0; i < withDistricts.length; i += 5) {
    const chunk = withDistricts.slice(i, i + 5);
    out.push({
      type: 'table',
      caption: lang === 'zh' ? `附表 各区主要指标（${data.year}年）${withDistricts.length > 5 ? `（${i / 5 + 1}）` : ''}` : `Annex table. The districts, ${data.year}${withDistricts.length > 5 ? ` (${i / 5 + 1})` : ''}`,
      columns: [{ title: t(lang, { zh: '区', en: 'District' }), width: 1.3 }, ...chunk.map((c) => ({ title: `${lang === 'zh' ? c.name_zh : c.name_en}（${c.unit}）`, width: 1.5, align: 'right' as const }))],
      rows: data.districts.map((d) => [lang === 'zh' ? d.name_zh : d.name_en, ...chunk.map((c) => {
        const v = d.values[c.code];
        return v === undefined ? '—' : v.value === null ? (v.suppressed ? missingText.suppressed[lang] : missingText.no_data[lang]) : formatValue(v.value, c.unit, lang).replace(/[^\d.%]+$/, '');
      })]),
    });
  }
  return out;
}

function methodBlocks(data: ReportData, lang: Lang): Block[] {
  const out: Block[] = [];
  out.push({ type: 'heading', level: 2, id: 's-method', text: t(lang, { zh: '（一）评估方法', en: '4.1 Method' }) });
  out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
    ? `本报告的全部数字由eduplan平台依据市级已发布数据自动生成，不含手工录入的数字。主要指标按规划确定的口径计算；进展状态按照“实际增长与所需增长之比”判断（参照联合国可持续发展目标进展评估方法），规划期末（${data.plan.end}年）及以后只给出“达成”或“未达成”的结论。按进度应达值为基期值与目标值之间按年份线性插值。名录类目标按名录在册条目计数，填报类目标采用责任单位填报并经审核发布的数值。`
    : `Every number in this report was generated by eduplan from the city's released figures; none was typed. The main indicators are computed as the plan defines them; progress statuses compare the observed with the required growth (after the UN SDG progress assessment), and from the plan's last year (${data.plan.end}) on only "achieved" or "not achieved" is given. The value expected by a year lies on the straight line from the baseline to the target. Registry targets count the registry's entries in effect; entered targets use values entered by their owners, reviewed and released.` });
  out.push({ type: 'heading', level: 2, id: 's-sources', text: t(lang, { zh: '（二）数据来源与发布日期', en: '4.2 Data sources and release dates' }) });
  out.push({
    type: 'table', caption: t(lang, { zh: '表 本报告使用的数据发布版本', en: 'Table. The releases this report uses' }),
    columns: [{ title: t(lang, { zh: '数据', en: 'Data' }), width: 3 }, { title: t(lang, { zh: '年份', en: 'Year' }), width: 1, align: 'center' }, { title: t(lang, { zh: '版本', en: 'Version' }), width: 1, align: 'center' }, { title: t(lang, { zh: '发布日期', en: 'Released' }), width: 2 }],
    rows: [
      ...data.snapshot.indicator_releases.map((r) => [t(lang, { zh: '主要指标（学校统计、学生体质健康等）', en: 'Main indicators (school statistics, student health …)' }), String(r.year), String(r.version), formatDate(chinaDay(r.released_at), lang)]),
      ...data.snapshot.target_releases.map((r) => [t(lang, { zh: '名录计数与填报值', en: 'Registry counts and entered values' }), String(r.year), String(r.version), formatDate(chinaDay(r.released_at), lang)]),
    ],
  });
  out.push({ type: 'heading', level: 2, id: 's-disclosure', text: t(lang, { zh: '（三）数据公开说明', en: '4.3 Disclosure' }) });
  out.push({ type: 'paragraph', role: 'note', text: lang === 'zh'
    ? '为保护个人信息，涉及人数过少的统计单元不予公布（表中标注“数据不足，不予公布”），相关进展按可公布数据计算。本报告所列数据如与此后发布的修订版本不一致，以最新发布版本为准。'
    : 'To protect personal data, cells counting too few people are not published (marked "too few to publish") and progress is computed from publishable figures only. Where a later revised release differs from the figures here, the latest release prevails.' });
  return out;
}

function lubanBlocks(data: ReportData, lang: Lang, sections: readonly SectionDef[]): Block[] {
  const out: Block[] = [];
  const reg = data.registries.luban_workshops;
  const entries = reg?.entries.filter((e) => typeof e.fields.closed_year !== 'number' || e.fields.closed_year > data.year) ?? [];
  const total = data.targets.find((r) => r.id === 'luban_workshops');
  const africa = data.targets.find((r) => r.id === 'luban_workshops_africa');
  const continentField = reg?.fields.find((f) => f.key === 'continent');
  const continentName = (v: string): string => { const c = continentField?.choices?.find((x) => x.value === v); return c ? (lang === 'zh' ? c.label_zh : c.label_en) : v; };
  const byContinent = countBy(entries, (e) => String(e.fields.continent ?? ''));
  for (const s of sections) {
    out.push(sectionHeading(s, 1, lang));
    out.push(...narrativeBlocks(data, s.key, lang));
    if (s.key === 'luban_overview') {
      const line = (r: TargetRow | undefined, zh: string, en: string): string => (r ? (lang === 'zh'
        ? `${zh}${formatMaybe(r.value, r.value_unit, 'zh')}，规划目标${formatTarget(r.comparator, r.target, r.unit, 'zh')}（${r.year}年），${targetStatusNames[r.status].zh}`
        : `${en} ${formatMaybe(r.value, r.value_unit, 'en')}, against the plan's ${formatTarget(r.comparator, r.target, r.unit, 'en')} by ${r.year}: ${targetStatusNames[r.status].en}`) : '');
      out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
        ? `截至${data.year}年，${[line(total, '天津市在海外建成鲁班工坊', ''), line(africa, '其中在非洲建成', '')].filter(Boolean).join('；')}。`
        : `By ${data.year}, ${[line(total, '', 'Tianjin had built Luban Workshops abroad:'), line(africa, '', 'of them in Africa:')].filter(Boolean).join('; ')}.` });
    }
    if (s.key === 'luban_layout') {
      out.push({ type: 'chart', chart: {
        id: 'luban-continents', width: 600, height: 260,
        title: t(lang, { zh: '图 鲁班工坊按大洲分布', en: 'Figure. Luban Workshops by continent' }),
        alt: [...byContinent.entries()].map(([c, n]) => `${continentName(c)} ${n}`).join(lang === 'zh' ? '，' : ', '),
        option: { grid: { left: 80, right: 40, top: 20, bottom: 30 }, xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: [...byContinent.keys()].map(continentName) }, series: [{ type: 'bar', data: [...byContinent.values()], itemStyle: { color: colors.bar }, label: { show: true, position: 'right' } }] },
      } });
      out.push({
        type: 'table', caption: t(lang, { zh: `表 鲁班工坊名录（截至${data.year}年）`, en: `Table. The Luban Workshops as of ${data.year}` }),
        columns: [{ title: t(lang, { zh: '名称', en: 'Name' }), width: 3 }, { title: t(lang, { zh: '国家', en: 'Country' }), width: 1.2 }, { title: t(lang, { zh: '大洲', en: 'Continent' }), width: 1 }, { title: t(lang, { zh: '建成年份', en: 'Opened' }), width: 1, align: 'center' }],
        rows: entries.map((e) => [String(e.fields.name_zh ?? e.code), String(e.fields.country ?? ''), continentName(String(e.fields.continent ?? '')), String(e.fields.opened_year ?? '')]),
      });
    }
    if (s.key === 'luban_results') {
      for (const o of data.owner_narratives.filter((x) => x.item.includes('luban'))) {
        const text = lang === 'zh' ? o.narrative_zh : (o.narrative_en || o.narrative_zh);
        if (text.trim() !== '') out.push({ type: 'paragraph', role: 'narrative', text: lang === 'zh' ? `${o.unit_zh}（${o.period}）：${text}` : `${o.unit_en} (${o.period}): ${text}` });
      }
    }
  }
  return out;
}

export function composeReport(data: ReportData, lang: Lang): ReportDocument {
  const title = reportTitle(data.kind, data.year, { zh: data.plan.title_zh, en: data.plan.title_en })[lang];
  const releases = data.snapshot.indicator_releases;
  const lastRelease = releases.map((r) => r.released_at).sort().pop();
  const subtitle = [
    lang === 'zh' ? `数据截至${data.year}年` : `Figures as of ${data.year}`,
    lang === 'zh'
      ? `采用市级已发布数据（${releases.length}个学年${lastRelease ? `，最近发布于${formatDate(chinaDay(lastRelease), 'zh')}` : ''}）`
      : `From the city's released figures (${releases.length} academic years${lastRelease ? `, last released on ${formatDate(chinaDay(lastRelease), 'en')}` : ''})`,
    lang === 'zh' ? `生成于${formatDate(chinaDay(data.generated_at), 'zh')}` : `Generated on ${formatDate(chinaDay(data.generated_at), 'en')}`,
  ];
  const footer = data.demo ? t(lang, { zh: '演示数据，非真实统计', en: 'Demo data, not real statistics' }) : '';
  const blocks: Block[] = [{ type: 'toc' }];
  if (data.kind === 'luban') {
    blocks.push(...lubanBlocks(data, lang, narrativeSections('luban', data.areas)));
    return { lang, title, subtitle, footer, blocks };
  }
  if (data.kind === 'learning_city') {
    blocks.push(...learningCityBlocks(data, lang, narrativeSections('learning_city', data.areas), (key) => narrativeBlocks(data, key, lang), (s) => sectionHeading(s, 1, lang)));
    return { lang, title, subtitle, footer, blocks };
  }
  const sections = new Map(narrativeSections(data.kind, data.areas).map((s) => [s.key, s]));
  const final = data.kind === 'final';
  const head = (key: string): Block => sectionHeading(sections.get(key) as SectionDef, 1, lang);
  blocks.push(head('summary'), ...narrativeBlocks(data, 'summary', lang), ...summaryBlocks(data, lang));
  blocks.push(head('indicators'), ...narrativeBlocks(data, 'indicators', lang));
  blocks.push({ type: 'heading', level: 2, id: 's-kpi', text: t(lang, { zh: '（一）主要指标', en: '2.1 The main indicators' }) });
  blocks.push(indicatorTable(data, lang));
  for (const i of data.indicators) blocks.push({ type: 'paragraph', role: 'generated', text: indicatorSentence(i, data.year, final, lang) });
  blocks.push({ type: 'heading', level: 2, id: 's-targets', text: t(lang, { zh: '（二）规划全部量化目标', en: '2.2 Every quantified target' }) });
  blocks.push(targetTable(data.targets.filter((r) => r.kind !== 'indicator'), t(lang, { zh: '表2 专栏与正文量化目标完成情况', en: 'Table 2. The quantified targets of the boxes and text' }), data, lang));
  blocks.push({ type: 'heading', level: 2, id: 's-schedules', text: t(lang, { zh: '（三）优质均衡与普及普惠推进情况', en: '2.3 Balanced compulsory and universal preschool education' }) });
  blocks.push(...scheduleBlocks(data, lang));
  blocks.push(head('tasks'), ...narrativeBlocks(data, 'tasks', lang), ...areaBlocks(data, lang));
  blocks.push(head('safeguards'), ...narrativeBlocks(data, 'safeguards', lang), ...methodBlocks(data, lang));
  blocks.push({ type: 'pagebreak' }, head('districts'), ...narrativeBlocks(data, 'districts', lang), ...districtBlocks(data, lang));
  return { lang, title, subtitle, footer, blocks };
}
