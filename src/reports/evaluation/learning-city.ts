/**
 * The learning-city annual monitoring report (学习型城市建设监测年度报告, 三、(七) and 专栏12),
 * composed from the released learning-city snapshot only (ReportData.learning_city, what
 * GET /api/learning-city answers): KPI 8 (服务市民终身学习人次) with its source, 老年教育活动参与率
 * per district against 50 %, the 四横四纵 network's coverage and the framework's items. A year
 * without a release says so and carries no figure.
 */
import { formatMaybe, formatTarget, formatValue, formatDate, chinaDay, missingText, type Lang } from '../../core/reports/format.ts';
import type { SectionDef } from '../../core/reports/sections.ts';
import type { ReportData } from '../../contract/reports.ts';
import type { PublicLearningCity } from '../../contract/learning.ts';
import type { Block } from './model.ts';

type L = Readonly<Record<Lang, string>>;
const t = (lang: Lang, s: L): string => s[lang];
type Cell = PublicLearningCity['figures'][number];

const KPI8 = 'lifelong_learning_participations';

/** A released cell as the reader sees it: withheld cells say so, missing inputs say no data. */
function cellText(c: Cell | undefined, unit: string, lang: Lang): string {
  if (c === undefined) return missingText.no_data[lang];
  if (c.suppressed) return missingText.suppressed[lang];
  return formatMaybe(c.value, unit, lang);
}

const countText = (c: Cell | undefined, lang: Lang): string => (c === undefined || c.value === null ? (c?.suppressed ? missingText.suppressed[lang] : missingText.no_data[lang]) : String(Math.round(c.value)));

export function learningCityBlocks(data: ReportData, lang: Lang, sections: readonly SectionDef[], narrative: (section: string) => Block[], heading: (s: SectionDef) => Block): Block[] {
  const lc = data.learning_city;
  const out: Block[] = [];
  const released = lc !== undefined && lc.release !== null;
  const figures = lc?.figures ?? [];
  const byFigure = (figure: string, level: 'city' | 'district'): Cell[] => figures.filter((f) => f.figure === figure && f.level === level);
  const cityOf = (figure: string): Cell | undefined => byFigure(figure, 'city')[0];
  const districtCodes = [...new Map(figures.filter((f) => f.level === 'district').map((f) => [f.org_code, f])).values()].sort((a, b) => a.org_code.localeCompare(b.org_code));
  const nameOf = (c: { name_zh: string; name_en: string }): string => (lang === 'zh' ? c.name_zh : c.name_en);
  const cityCell = figures.find((f) => f.level === 'city');
  const kpi8Item = data.indicators.find((i) => i.code === KPI8);
  const kpi8City = cityCell ? lc?.kpi8.find((k) => k.org_code === cityCell.org_code) : undefined;

  for (const s of sections) {
    out.push(heading(s));
    out.push(...narrative(s.key));
    if (!released) {
      if (s.key === 'lc_overview') {
        out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
          ? `${data.year}年的学习型城市建设监测数据尚未发布，本报告不列数据。数据随包含“服务市民终身学习人次”的年度数据发布一并公布。`
          : `The learning-city figures of ${data.year} have not been released; this report has no figures. They are published with the year's release that includes the lifelong-learning participations (KPI 8).` });
      }
      continue;
    }
    if (s.key === 'lc_overview' && lc?.release) {
      const rel = lc.release;
      const src = kpi8Item?.explanation.inputs.flatMap((i) => (i.source_zh ? [lang === 'zh' ? i.source_zh : (i.source_en ?? i.source_zh)] : [])) ?? [];
      const target = kpi8Item ? formatTarget(kpi8Item.target.comparator, kpi8Item.target.value, kpi8Item.unit, lang) : null;
      const value = kpi8City === undefined ? missingText.no_data[lang] : kpi8City.suppressed ? missingText.suppressed[lang] : formatMaybe(kpi8City.value, '人次', lang);
      out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
        ? `本报告采用${data.year}年学习型城市监测数据发布版本第${rel.version}版（发布于${formatDate(chinaDay(rel.released_at), 'zh')}）。${data.year}年全市服务市民终身学习人次为${value}${target ? `，规划${kpi8Item?.target.year ?? ''}年目标为${target}` : ''}。`
        : `This report uses release version ${rel.version} of the ${data.year} learning-city figures (released on ${formatDate(chinaDay(rel.released_at), 'en')}). Lifelong-learning participations served in ${data.year}: ${value}${target ? `, against the plan's ${target} by ${kpi8Item?.target.year ?? ''}` : ''}.` });
      out.push({ type: 'paragraph', role: 'note', text: lang === 'zh'
        ? `数据来源：${src.length > 0 ? src.join('；') : '区县报送数据'}。学习活动记录按同一学习者同日同一学习点同一活动计1人次去重。`
        : `Source: ${src.length > 0 ? src.join('; ') : 'figures reported by the districts'}. Learning events are de-duplicated: one learner, centre, activity and day is one participation.` });
      out.push({
        type: 'table', caption: t(lang, { zh: `表1 各区服务市民终身学习人次（${data.year}年）`, en: `Table 1. Lifelong-learning participations by district, ${data.year}` }),
        columns: [{ title: t(lang, { zh: '区', en: 'District' }), width: 2 }, { title: t(lang, { zh: '人次', en: 'Participations' }), width: 1.5, align: 'right' }],
        rows: districtCodes.map((d) => {
          const k = lc.kpi8.find((x) => x.org_code === d.org_code);
          return [nameOf(d), k === undefined ? missingText.no_data[lang] : k.suppressed ? missingText.suppressed[lang] : formatMaybe(k.value, '人次', lang)];
        }),
      });
    }
    if (s.key === 'lc_elderly') {
      const rows = byFigure('elderly_participation_rate', 'district');
      const city = cityOf('elderly_participation_rate');
      const met = rows.filter((r) => !r.suppressed && r.value !== null && r.target !== null && r.value >= r.target).length;
      const withValue = rows.filter((r) => !r.suppressed && r.value !== null).length;
      out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
        ? `${data.year}年全市老年教育活动参与率为${cellText(city, '%', 'zh')}，规划目标为50%。有可公布数据的${withValue}个区中，${met}个区达到目标。`
        : `In ${data.year} the city's participation rate of older people in education activities was ${cellText(city, '%', 'en')}, against the plan's 50%. Of the ${withValue} districts with publishable figures, ${met} met the target.` });
      out.push({
        type: 'table', caption: t(lang, { zh: `表2 各区老年教育活动参与率（${data.year}年）`, en: `Table 2. Participation of older people by district, ${data.year}` }),
        columns: [
          { title: t(lang, { zh: '区', en: 'District' }), width: 2 },
          { title: t(lang, { zh: '参与的60岁及以上学习者', en: 'Learners aged 60+ taking part' }), width: 1.6, align: 'right' },
          { title: t(lang, { zh: '60岁及以上常住人口', en: 'Residents aged 60+' }), width: 1.6, align: 'right' },
          { title: t(lang, { zh: '参与率', en: 'Rate' }), width: 1.2, align: 'right' },
          { title: t(lang, { zh: '目标', en: 'Target' }), width: 0.9, align: 'right' },
          { title: t(lang, { zh: '达到目标', en: 'Target met' }), width: 1.2 },
        ],
        rows: [...rows, ...(city ? [city] : [])].map((r) => [
          nameOf(r),
          r.suppressed ? missingText.suppressed[lang] : r.numerator === null ? missingText.no_data[lang] : String(Math.round(r.numerator)),
          r.suppressed ? missingText.suppressed[lang] : r.denominator === null ? missingText.no_data[lang] : String(Math.round(r.denominator)),
          cellText(r, '%', lang),
          r.target === null ? '—' : formatValue(r.target, '%', lang),
          r.suppressed || r.value === null || r.target === null ? '—' : r.value >= r.target ? t(lang, { zh: '是', en: 'yes' }) : t(lang, { zh: '否', en: 'no' }),
        ]),
        note: lang === 'zh'
          ? `参与率 = 全年至少参加一次学习活动的60岁及以上学习者 ÷ 60岁及以上常住人口 × 100。参与人数少于10人的区不公布数字（“${missingText.suppressed.zh}”）。人口来源：${[...new Set(rows.flatMap((r) => (r.suppressed ? [] : [r.source])))].join('；') || missingText.no_data.zh}。`
          : `Rate = learners aged 60+ with at least one event in the year ÷ residents aged 60+ × 100. A district with fewer than 10 participants shows no numbers ("${missingText.suppressed.en}"). Population source: ${[...new Set(rows.flatMap((r) => (r.suppressed ? [] : [r.source])))].join('; ') || missingText.no_data.en}.`,
      });
      const shown = rows.filter((r) => !r.suppressed && r.value !== null);
      if (shown.length > 0) {
        out.push({ type: 'chart', chart: {
          id: 'elderly-participation', width: 620, height: 360,
          title: t(lang, { zh: `图 各区老年教育活动参与率（${data.year}年）`, en: `Figure. Participation of older people by district, ${data.year}` }),
          alt: shown.map((r) => `${nameOf(r)} ${formatMaybe(r.value, '%', lang)}`).join(lang === 'zh' ? '，' : ', '),
          option: {
            grid: { left: 90, right: 50, top: 20, bottom: 30 },
            xAxis: { type: 'value', max: 100 },
            yAxis: { type: 'category', data: shown.map(nameOf), inverse: true },
            series: [{ type: 'bar', data: shown.map((r) => ({ value: Math.round((r.value ?? 0) * 10) / 10, itemStyle: { color: (r.value ?? 0) >= 50 ? '#1b7f3b' : '#b3261e' } })), label: { show: true, position: 'right' }, markLine: { symbol: 'none', data: [{ xAxis: 50 }], label: { formatter: '50%' } } }],
          },
        } });
      }
    }
    if (s.key === 'lc_network') {
      const cov = cityOf('street_elderly_school_coverage');
      const model = cityOf('model_elderly_universities');
      out.push({ type: 'paragraph', role: 'generated', text: lang === 'zh'
        ? `全市街镇老年教育学校覆盖率为${cellText(cov, '%', 'zh')}（目标100%，街镇老年教育学校全覆盖）；建有示范性老年大学的区占${cellText(model, '%', 'zh')}（目标每区一所）。服务网络按发布时在册的机构统计。`
        : `Sub-districts and towns covered by an elderly-education school: ${cellText(cov, '%', 'en')} (target 100%); districts with a model university for the elderly: ${cellText(model, '%', 'en')} (target: one in every district). The network is counted as on record when the figures were released.` });
      out.push({
        type: 'table', caption: t(lang, { zh: `表3 各区终身学习服务网络（${data.year}年发布）`, en: `Table 3. The service network by district (released for ${data.year})` }),
        columns: [
          { title: t(lang, { zh: '区', en: 'District' }), width: 2 },
          { title: t(lang, { zh: '街镇老年教育学校覆盖率', en: 'Sub-districts with an elderly school' }), width: 1.6, align: 'right' },
          { title: t(lang, { zh: '示范性老年大学（所）', en: 'Model elderly universities' }), width: 1.4, align: 'right' },
          { title: t(lang, { zh: '四纵服务条线（共4）', en: 'Service lines (of 4)' }), width: 1.3, align: 'right' },
          { title: t(lang, { zh: '村居老年教育学习中心（个）', en: 'Village/community elderly centres' }), width: 1.5, align: 'right' },
        ],
        rows: districtCodes.map((d) => {
          const at = (figure: string): Cell | undefined => figures.find((f) => f.figure === figure && f.org_code === d.org_code);
          return [nameOf(d), cellText(at('street_elderly_school_coverage'), '%', lang), countText(at('model_elderly_universities'), lang), countText(at('service_lines_present'), lang), countText(at('community_elderly_centres'), lang)];
        }),
      });
    }
    if (s.key === 'lc_framework' && lc) {
      const valueOf = (item: PublicLearningCity['framework']['items'][number]): string => {
        if (item.input.kind === 'indicator') return kpi8City === undefined ? missingText.no_data[lang] : kpi8City.suppressed ? missingText.suppressed[lang] : formatMaybe(kpi8City.value, item.unit, lang);
        const code = item.input.kind === 'figure' ? item.input.figure : item.code;
        return cellText(cityOf(code), item.unit, lang);
      };
      out.push({
        type: 'table', caption: t(lang, { zh: `表4 学习型城市建设监测指标（全市，${data.year}年）`, en: `Table 4. The learning-city monitoring items (city, ${data.year})` }),
        columns: [
          { title: t(lang, { zh: '监测项', en: 'Item' }), width: 3 },
          { title: t(lang, { zh: '出处', en: 'Where' }), width: 1.5 },
          { title: t(lang, { zh: 'UNESCO领域', en: 'UNESCO areas' }), width: 1 },
          { title: t(lang, { zh: '目标', en: 'Target' }), width: 1.4, align: 'right' },
          { title: t(lang, { zh: `${data.year}年`, en: `${data.year}` }), width: 1.4, align: 'right' },
        ],
        rows: lc.framework.items.map((i) => [
          lang === 'zh' ? i.name_zh : i.name_en, i.section, i.areas.join(' '),
          i.target ? `${formatTarget(i.target.comparator, i.target.value, i.unit, lang)}（${i.target.year}）`.replace(/（(\d{4})）$/, lang === 'zh' ? '（$1年）' : ' ($1)') : '—',
          valueOf(i),
        ]),
        note: t(lang, { zh: `领域代码见${lc.framework.framework.name_zh}。`, en: `Area codes: ${lc.framework.framework.name_en}.` }),
      });
    }
  }
  return out;
}
