/**
 * Explanations (计算说明): every published figure says how it was computed — formula,
 * inputs with their values, sources — in Chinese and English, plain words.
 * A government plan's numbers must be auditable (DESIGN.md, "Progress against a target").
 */
import { suppressionText } from '../disclosure/rules.ts';
import type { CellInputs, IndicatorDef } from '../indicators/types.ts';
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
  readonly sources: readonly { readonly zh: string; readonly en: string }[];
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
};

const cmpText: Readonly<Record<Target['comparator'], { zh: string; en: string }>> = {
  '>': { zh: '高于', en: 'above' }, '>=': { zh: '达到', en: 'at least' }, '=': { zh: '等于', en: 'equal to' },
  '<=': { zh: '不高于', en: 'at most' }, '<': { zh: '低于', en: 'below' }, maintain: { zh: '保持', en: 'maintain' },
};

export function fmt(v: number | null, unit: string): string {
  if (v === null) return '—';
  const digits = unit === '%' || unit === '年' ? 1 : 0;
  const s = v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit === '%' ? `${s}%` : `${s} ${unit}`;
}

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

export interface ExplainArgs {
  readonly def: IndicatorDef;
  readonly org: { readonly code: string; readonly name_zh: string; readonly name_en: string };
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
    }
    if (cell.inputs.schools !== undefined) inputs.push({ name_zh: '计入学校数', name_en: 'schools counted', value: cell.inputs.schools });
    if (cell.inputs.reference) {
      const r = cell.inputs.reference;
      inputs.push({ name_zh: `参考数据 ${r.code}`, name_en: `reference value ${r.code}`, value: r.value, source_zh: r.source, source_en: r.source });
    }
    if (cell.inputs.districts) inputs.push({ name_zh: '通过评估的区数 / 区数', name_en: 'districts passing / districts', value: `${cell.inputs.districts.passing}/${cell.inputs.districts.total}` });
  }
  if (p.baseline) inputs.push({ name_zh: `基线（${p.baseline.year}年，${p.baseline.origin === 'plan' ? '规划' : '本单位数据'}）`, name_en: `baseline (${p.baseline.year}, ${p.baseline.origin === 'plan' ? 'plan' : 'own data'})`, value: p.baseline.value, unit });
  inputs.push({ name_zh: `目标（${target.year}年，${cmpText[target.comparator].zh}）`, name_en: `target (${target.year}, ${cmpText[target.comparator].en})`, value: target.value, unit });

  const method_zh = p.method === 'keep'
    ? '保持型目标：最新值满足目标条件即“已达成”，否则“未保持目标”。'
    : `距离完成比例 =（最新值 − 基线）÷（目标 − 基线），时间进度 =（年份 − 基线年）÷（目标年 − 基线年）；进度比 R = 实际${p.method === 'linear' ? '年均变化量' : '年均复合增长率'} ÷ 所需${p.method === 'linear' ? '年均变化量' : '年均复合增长率'}（加拿大统计局/Open SDG 方法${p.method === 'linear' ? '；基线或目标为0时年均增长率无定义，改用线性变化量' : ''}）：R ≥ 0.95 进度正常，0.6—0.95 需加快，0—0.6 进展有限，< 0 倒退。预测值为最小二乘线性趋势外推。`;
  const method_en = p.method === 'keep'
    ? 'Keep-type target: achieved while the latest value satisfies the target, else off track.'
    : `Distance share = (latest − baseline) ÷ (target − baseline); time share = (year − baseline year) ÷ (target year − baseline year); ratio R = observed ÷ required ${p.method === 'linear' ? 'annual change' : 'compound annual growth'} (Statistics Canada / Open SDG${p.method === 'linear' ? '; CAGR is undefined for a zero baseline or target, so linear annual change is used' : ''}): R ≥ 0.95 on track, 0.6–0.95 needs acceleration, 0–0.6 limited, < 0 deteriorating. The projection extends the least-squares linear trend.`;

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
    if (p.distance_share !== null && p.time_share !== null) {
      parts_zh.push(`已完成距离的 ${pct(p.distance_share)}，时间已过 ${pct(p.time_share)}。`);
      parts_en.push(`${pct(p.distance_share)} of the distance covered with ${pct(p.time_share)} of the time elapsed.`);
    }
    if (p.ratio !== null) {
      parts_zh.push(`进度比 R = ${p.ratio.toFixed(2)}。`);
      parts_en.push(`Ratio R = ${p.ratio.toFixed(2)}.`);
    }
  }
  parts_zh.push(`状态：${st.zh}。`);
  parts_en.push(`Status: ${st.en}.`);
  if (p.projection && !a.suppressed) {
    parts_zh.push(`按线性趋势，预计${p.projection.year}年为 ${fmt(p.projection.value, unit)}。`);
    parts_en.push(`At the linear trend, ${fmt(p.projection.value, unit)} is expected in ${p.projection.year}.`);
  }
  if (p.met !== null) {
    parts_zh.push(`约束性指标：按最新值${p.met ? '已达到' : '未达到'}目标。`);
    parts_en.push(`Binding indicator: the latest value ${p.met ? 'meets' : 'does not meet'} the target.`);
  }
  if (def.caveat_zh) { parts_zh.push(`说明：${def.caveat_zh}`); parts_en.push(`Note: ${def.caveat_en ?? ''}`); }
  if (cell?.inputs.note === 'no_assessment_verdicts') {
    parts_zh.push('尚无优质均衡督导评估结论，不计算该指标。');
    parts_en.push('No assessment verdicts are available yet; the indicator is not computed.');
  }
  return {
    formula_zh: def.formula_zh, formula_en: def.formula_en,
    definition_zh: def.definition_zh, definition_en: def.definition_en,
    inputs, sources: def.sources, method_zh, method_en,
    text_zh: parts_zh.join(''), text_en: parts_en.join(' '),
  };
}
