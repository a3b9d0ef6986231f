/**
 * Explanations (计算说明): every published figure says how it was computed — formula,
 * inputs with their values, the units in and out of scope, the disclosure rule, sources —
 * in Chinese and English, plain words. A government plan's numbers must be auditable
 * (DESIGN.md, "Progress against a target").
 */
import { countsPersonsOnBothSides, DEFAULT_THRESHOLD, suppressionText } from '../disclosure/rules.ts';
import type { CellInputs, DisclosureRule, IndicatorDef, OrgFilter, ScopeItem, Source } from '../indicators/types.ts';
import type { ProgressResult, ProgressStatus, Target } from './progress.ts';

export interface ExplanationInput {
  readonly name_zh: string;
  readonly name_en: string;
  readonly value: number | string | null;
  readonly unit?: string;
  readonly source_zh?: string;
  readonly source_en?: string;
}

export interface Explanation {
  readonly formula_zh: string;
  readonly formula_en: string;
  readonly definition_zh: string;
  readonly definition_en: string;
  readonly inputs: readonly ExplanationInput[];
  readonly sources: readonly Source[];
  /** Which units are in and out of scope and why, one sentence per scope item. */
  readonly scope: readonly Source[];
  /** The disclosure rule (披露规则) the figure passed. */
  readonly disclosure_zh: string;
  readonly disclosure_en: string;
  readonly method_zh: string;
  readonly method_en: string;
  readonly text_zh: string;
  readonly text_en: string;
}

export const statusNames: Readonly<Record<ProgressStatus, { zh: string; en: string }>> = {
  achieved: { zh: '已达成', en: 'achieved' },
  on_track: { zh: '进度正常', en: 'on track' },
  needs_acceleration: { zh: '需加快进度', en: 'needs acceleration' },
  limited: { zh: '进展有限', en: 'limited progress' },
  deteriorating: { zh: '出现倒退', en: 'deteriorating' },
  insufficient_data: { zh: '数据不足', en: 'insufficient data' },
  off_track: { zh: '未保持目标', en: 'off track' },
  not_achieved: { zh: '未达成', en: 'not achieved' },
};

const cmpText: Readonly<Record<Target['comparator'], { zh: string; en: string }>> = {
  '>': { zh: '高于', en: 'above' }, '>=': { zh: '达到', en: 'at least' }, '=': { zh: '等于', en: 'equal to' },
  '<=': { zh: '不高于', en: 'at most' }, '<': { zh: '低于', en: 'below' }, maintain: { zh: '保持', en: 'maintain' },
  non_decreasing: { zh: '逐年不低于上年且不低于', en: 'never falling, and at least' },
};

export function fmt(v: number | null, unit: string): string {
  if (v === null) return '—';
  const digits = unit === '%' || unit === '年' ? 1 : 0;
  const s = v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit === '%' ? `${s}%` : `${s} ${unit}`;
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

const unitNames: Readonly<Record<DisclosureRule['unit'], { zh: string; en: string }>> = {
  students: { zh: '学生（幼儿）', en: 'students' }, teachers: { zh: '教师', en: 'teachers' }, classes: { zh: '班级', en: 'classes' },
  schools: { zh: '学校', en: 'schools' }, districts: { zh: '区', en: 'districts' }, none: { zh: '', en: '' },
};

/** The disclosure rules of a definition, in words (src/core/disclosure, threshold DEFAULT_THRESHOLD). */
export function disclosureText(def: IndicatorDef): { zh: string; en: string } {
  const rule: DisclosureRule = def.disclosure;
  if (rule.unit === 'none') {
    return { zh: '已公布的统计数或评估结论，不做小单元格抑制。', en: 'A published statistic or assessment result: no small-cell suppression.' };
  }
  const u = unitNames[rule.unit];
  const side = rule.operand === 'numerator' ? { zh: '分子', en: 'numerator' } : { zh: '分母', en: 'denominator' };
  const persons = countsPersonsOnBothSides(def);
  return {
    zh: `计数单位为${u.zh}（${side.zh}）：少于${DEFAULT_THRESHOLD}个的单元格不予公布` +
      (persons ? `；分子或“分母−分子”为1—${DEFAULT_THRESHOLD - 1}人的也不公布（差值规则）` : '') +
      '；能由其他公布数字相减推算出的，相关单元格一并不公布（互补抑制）。',
    en: `Counted in ${u.en} (the ${side.en}): a cell based on fewer than ${DEFAULT_THRESHOLD} is withheld` +
      (persons ? `; so is one whose numerator, or denominator − numerator, is 1–${DEFAULT_THRESHOLD - 1} persons (difference rule)` : '') +
      '; and cells from which a withheld number could be worked out by subtraction are withheld too (complementary suppression).',
  };
}

/** One scope item as a sentence: in or out, why, the source, and the option when it is one. */
export function scopeText(s: ScopeItem): { zh: string; en: string } {
  const src = s.source ? { zh: `（依据：${s.source.zh}）`, en: ` (source: ${s.source.en})` } : { zh: '（平台规则）', en: ' (platform rule)' };
  const opt = s.option
    ? { zh: `［可配置项 ${s.option.key} = ${s.option.value}；默认 ${s.option.default_value}］`, en: ` [option ${s.option.key} = ${s.option.value}; default ${s.option.default_value}]` }
    : { zh: '', en: '' };
  return {
    zh: `${s.included ? '纳入' : '不纳入'}：${s.units_zh}——${s.why_zh}${src.zh}${opt.zh}`,
    en: `${s.included ? 'In' : 'Out'}: ${s.units_en} — ${s.why_en}${src.en}${opt.en}`,
  };
}

/** Only kindergartens feed the operands: say "kindergartens", not "schools" (毛入园率 counts its kindergartens). */
function countsKindergartensOnly(def: IndicatorDef): boolean {
  if (def.kind !== 'ratio') return false;
  const filters: OrgFilter[] = [];
  for (const op of [def.numerator, def.denominator]) {
    if (op.kind === 'reference') continue;
    if (op.schools.length === 0) return false;
    filters.push(...op.schools);
  }
  return filters.length > 0 && filters.every((f) => f.types !== undefined && f.types.length > 0 && f.types.every((t) => t === 'kindergarten'));
}

export interface ExplainArgs {
  readonly def: IndicatorDef;
  readonly org: { readonly code: string; readonly name_zh: string; readonly name_en: string; readonly parent_code?: string | null };
  readonly cell: { readonly numerator: number | null; readonly denominator: number | null; readonly inputs: CellInputs } | null;
  readonly suppressed: boolean;
  readonly target: Target;
  readonly progress: ProgressResult;
}

export function explain(a: ExplainArgs): Explanation {
  const { def, cell, progress: p, target } = a;
  const unit = def.unit;
  const inputs: ExplanationInput[] = [];
  if (cell && !a.suppressed) {
    if (def.kind === 'ratio') {
      inputs.push({ name_zh: '分子', name_en: 'numerator', value: cell.numerator, ...(def.numerator.kind === 'reference' ? { source_zh: `参考数据 ${def.numerator.code}`, source_en: `reference value ${def.numerator.code}` } : {}) });
      inputs.push({ name_zh: '分母', name_en: 'denominator', value: cell.denominator, ...(def.denominator.kind === 'reference' ? { source_zh: `参考数据 ${def.denominator.code}`, source_en: `reference value ${def.denominator.code}` } : {}) });
      // Figures shown beside the ratio (巩固率's graduates) are not under disclosure control, so
      // only the top of the tree shows them: shown for districts and schools too, the city's
      // graduates minus the published units' would give back those of a withheld unit.
      for (const b of a.org.parent_code === null ? (def.beside ?? []) : []) {
        const v = cell.inputs.beside?.[b.key];
        if (v !== undefined) inputs.push({ name_zh: b.name_zh, name_en: b.name_en, value: v });
      }
    }
    if (cell.inputs.schools !== undefined) {
      const kg = countsKindergartensOnly(def);
      inputs.push({ name_zh: kg ? '计入幼儿园数（分子或分母）' : '计入学校数（分子或分母）', name_en: kg ? 'kindergartens counted (either side)' : 'schools counted (either side)', value: cell.inputs.schools });
    }
    if (cell.inputs.reference) {
      const r = cell.inputs.reference;
      inputs.push({ name_zh: `参考数据 ${r.code}`, name_en: `reference value ${r.code}`, value: r.value, source_zh: r.source, source_en: r.source });
    }
    if (cell.inputs.districts) inputs.push({ name_zh: '通过评估的区数 / 区数', name_en: 'districts passing / districts', value: `${cell.inputs.districts.passing}/${cell.inputs.districts.total}` });
  }
  const b = p.baseline;
  if (b) {
    inputs.push({
      name_zh: `基线（${b.year}年，${b.origin === 'plan' ? '规划基数' : `${a.org.name_zh}自身数值`}）`,
      name_en: `baseline (${b.year}, ${b.origin === 'plan' ? 'the plan’s figure' : `${a.org.name_en}’s own value`})`,
      value: b.value, unit,
    });
  }
  inputs.push({ name_zh: `目标（${target.year}年，${cmpText[target.comparator].zh}）`, name_en: `target (${target.year}, ${cmpText[target.comparator].en})`, value: target.value, unit });

  const { method_zh, method_en } = methodText(p, target);
  const st = statusNames[p.status];
  const parts_zh: string[] = [];
  const parts_en: string[] = [];
  if (a.suppressed) {
    const rule = suppressionText(def);
    parts_zh.push(rule.zh);
    parts_en.push(rule.en);
  } else if (p.value === null) {
    parts_zh.push(`${a.org.name_zh}暂无数据。`);
    parts_en.push(`No data for ${a.org.name_en}.`);
  } else {
    parts_zh.push(`${a.org.name_zh}${p.year}年为 ${fmt(p.value, unit)}；目标为${target.year}年${cmpText[target.comparator].zh} ${fmt(target.value, unit)}。`);
    parts_en.push(`${a.org.name_en}: ${fmt(p.value, unit)} in ${p.year}; target ${cmpText[target.comparator].en} ${fmt(target.value, unit)} by ${target.year}.`);
    if (b) {
      parts_zh.push(b.origin === 'plan' ? `基线为规划${b.year}年基数 ${fmt(b.value, unit)}。` : `基线为${a.org.name_zh}自身${b.year}年数值 ${fmt(b.value, unit)}（不使用全市规划基数）。`);
      parts_en.push(b.origin === 'plan' ? `Baseline: the plan’s ${b.year} figure, ${fmt(b.value, unit)}.` : `Baseline: ${a.org.name_en}’s own ${b.year} value, ${fmt(b.value, unit)} (not the city’s plan baseline).`);
    }
    if (p.keep_reason === 'baseline_meets' && b) {
      parts_zh.push('基线已满足目标，按“保持在目标以内”判断，不计算距离完成比例。');
      parts_en.push('The baseline already meets the target, so it is judged as “stay within the target”, with no distance to cover.');
    }
    if (p.distance_share !== null && p.time_share !== null) {
      parts_zh.push(`已完成距离的 ${pct(p.distance_share)}，时间已过 ${pct(p.time_share)}。`);
      parts_en.push(`${pct(p.distance_share)} of the distance covered with ${pct(p.time_share)} of the time elapsed.`);
    }
    if (p.ratio !== null) {
      parts_zh.push(`进度比 R = ${p.ratio.toFixed(2)}。`);
      parts_en.push(`Ratio R = ${p.ratio.toFixed(2)}.`);
    }
    if (p.failed_years.length > 0) {
      parts_zh.push(`保持型目标须每年满足，${p.failed_years.join('、')}年未满足。`);
      parts_en.push(`A maintain target must hold every year; it did not in ${p.failed_years.join(', ')}.`);
    }
  }
  if (p.final && p.value !== null && !a.suppressed) {
    const late = p.year !== null && p.year < target.year;
    parts_zh.push(`目标年已到，结论为最终结论${late ? `（按最新可得的${p.year}年数值判断）` : ''}。`);
    parts_en.push(`The target year has come: this is the final verdict${late ? ` (judged on ${p.year}, the latest value available)` : ''}.`);
  }
  parts_zh.push(`状态：${st.zh}。`);
  parts_en.push(`Status: ${st.en}.`);
  if (target.comparator === '>' || target.comparator === '<') {
    const above = target.comparator === '>';
    parts_zh.push(`规划原文为“${above ? '＞' : '＜'}${target.value}”，须严格${above ? '高于' : '低于'}${target.value}才算达成（恰好为${target.value}不算）；Open SDG 以达到目标值（${above ? '≥' : '≤'}）为达成。`);
    parts_en.push(`The plan writes “${above ? '＞' : '＜'}${target.value}”: achieved only strictly ${above ? 'above' : 'below'} ${target.value} (exactly ${target.value} is not); Open SDG counts reaching the target (${above ? '≥' : '≤'}) as achieved.`);
  }
  if (p.projection && !a.suppressed) {
    parts_zh.push(`按线性趋势，预计${p.projection.year}年为 ${fmt(p.projection.value, unit)}。`);
    parts_en.push(`At the linear trend, ${fmt(p.projection.value, unit)} is expected in ${p.projection.year}.`);
  }
  if (p.met !== null) {
    parts_zh.push(`约束性指标：${p.final ? '' : '按最新值'}${p.met ? '已达到' : '未达到'}目标。`);
    parts_en.push(`Binding indicator: ${p.final ? 'the value' : 'the latest value'} ${p.met ? 'meets' : 'does not meet'} the target.`);
  }
  if (def.caveat_zh) { parts_zh.push(`说明：${def.caveat_zh}`); parts_en.push(`Note: ${def.caveat_en ?? ''}`); }
  if (cell?.inputs.note === 'no_assessment_verdicts') {
    parts_zh.push('尚无优质均衡督导评估结论，不计算该指标。');
    parts_en.push('No assessment verdicts are available yet; the indicator is not computed.');
  }
  const disclosure = disclosureText(def);
  return {
    formula_zh: def.formula_zh, formula_en: def.formula_en,
    definition_zh: def.definition_zh, definition_en: def.definition_en,
    inputs, sources: def.sources, scope: def.scope.map(scopeText),
    disclosure_zh: disclosure.zh, disclosure_en: disclosure.en,
    method_zh, method_en,
    text_zh: parts_zh.join(''), text_en: parts_en.join(' '),
  };
}

function methodText(p: ProgressResult, target: Target): { method_zh: string; method_en: string } {
  const finalZh = '目标年及以后为最终结论：满足目标为“已达成”，否则为“未达成”。';
  const finalEn = 'At and after the target year the verdict is final: achieved when the target is met, else not achieved.';
  if (p.method === 'keep') {
    const every = target.comparator === 'maintain' || target.comparator === 'non_decreasing';
    const why = p.keep_reason === 'baseline_meets'
      ? { zh: '本单位基线已满足目标，按保持型判断：', en: 'This unit’s baseline already meets the target, so it is judged as a keep target: ' }
      : { zh: '保持型目标：', en: 'Keep-type target: ' };
    return {
      method_zh: `${why.zh}${every ? '自基线年起每一年的数值都满足目标' : '最新值满足目标'}即“已达成”，否则目标年前为“未保持目标”。${finalZh}`,
      method_en: `${why.en}achieved while ${every ? 'the value of every year from the baseline year on' : 'the latest value'} satisfies the target; otherwise off track before the target year. ${finalEn}`,
    };
  }
  const linear = p.method === 'linear';
  return {
    method_zh: `距离完成比例 =（最新值 − 基线）÷（目标 − 基线），时间进度 =（年份 − 基线年）÷（目标年 − 基线年）；进度比 R = 实际${linear ? '年均变化量' : '年均复合增长率'} ÷ 所需${linear ? '年均变化量' : '年均复合增长率'}（加拿大统计局/Open SDG 方法${linear ? '；基线或目标为0时年均复合增长率无定义，改用线性变化量，即 R = 距离完成比例 ÷ 时间进度' : ''}）：R ≥ 0.95 进度正常，0.6—0.95 需加快，0—0.6 进展有限，< 0 倒退。预测值为自基线年起全部观测值的最小二乘线性趋势外推。${finalZh}`,
    method_en: `Distance share = (latest − baseline) ÷ (target − baseline); time share = (year − baseline year) ÷ (target year − baseline year); ratio R = observed ÷ required ${linear ? 'annual change' : 'compound annual growth'} (Statistics Canada / Open SDG${linear ? '; CAGR is undefined for a zero baseline or target, so linear annual change is used: R = distance share ÷ time share' : ''}): R ≥ 0.95 on track, 0.6–0.95 needs acceleration, 0–0.6 limited, < 0 deteriorating. The projection extends the least-squares line through every observation from the baseline year on. ${finalEn}`,
  };
}
