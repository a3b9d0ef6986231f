/**
 * The per-cell rules of disclosure control (统计披露控制): which cells are withheld for
 * what they show themselves, before complementary suppression (suppress.ts) hides the
 * cells a suppressed number could be worked back from.
 *
 * Threshold 10 (reliability-security.md §3 rule 1: "any count with 1 ≤ n ≤ 9 is
 * suppressed"; the modal US state minimum and the ONS / UK LLC figure).
 */
import { elementByCode } from '../elements/catalogue.ts';
import type { IndicatorDef, Operand } from '../indicators/types.ts';

export const DEFAULT_THRESHOLD = 10;

/**
 * Why a stored cell is withheld:
 * - `primary` (一次抑制): the indicator's counted operand is 1 … threshold−1 units;
 * - `attribute` (差值规则): a person-count ratio whose numerator, or denominator − numerator,
 *   is 1 … threshold−1 persons — 599/602 retained tells that 3 pupils were not;
 * - `complementary` (互补抑制): hidden so that a suppressed number cannot be worked out
 *   as a difference of published ones.
 */
export type SuppressionReason = 'primary' | 'attribute' | 'complementary';

/**
 * A ratio whose numerator and denominator both count persons (students or teachers summed
 * over schools): numerator and denominator − numerator are then two groups of people,
 * those with and those without the attribute (retained, fit, myopic, dual-supervised…).
 * Derived from the definition, not listed: classes and schools are not persons, and a
 * population denominator (reference value) is a published statistic, not a group of
 * the schools' pupils. Both operands must sum count elements: square metres per pupil
 * (生均体育场馆面积) has pupils below and area above, and "area − pupils" is nobody.
 */
export function countsPersonsOnBothSides(def: IndicatorDef): boolean {
  return def.kind === 'ratio' && (def.disclosure.unit === 'students' || def.disclosure.unit === 'teachers') &&
    sumsCounts(def.numerator) && sumsCounts(def.denominator);
}

const sumsCounts = (operand: Operand): boolean =>
  operand.kind === 'sum' && operand.terms.every((t) => elementByCode.get(t.element)?.kind === 'count');

const small = (n: number | null, threshold: number): boolean => n !== null && n > 0 && n < threshold;

/**
 * The rule a cell falls under by itself. `basis` is the engine's count (the operand named by
 * `disclosure.operand`, null when not subject to control). A zero is not small: nobody is
 * singled out by "0 of 40", and "40 of 40 retained" is the common, harmless case.
 */
export function ownRule(def: IndicatorDef, cell: { readonly numerator: number | null; readonly denominator: number | null; readonly basis: number | null }, threshold = DEFAULT_THRESHOLD): 'primary' | 'attribute' | null {
  if (def.disclosure.unit === 'none') return null;
  if (small(cell.basis, threshold)) return 'primary';
  if (countsPersonsOnBothSides(def) && cell.numerator !== null && cell.denominator !== null && cell.denominator > 0 &&
    (small(cell.numerator, threshold) || small(cell.denominator - cell.numerator, threshold))) return 'attribute';
  return null;
}

const unitNames: Readonly<Record<IndicatorDef['disclosure']['unit'], { zh: string; en: string }>> = {
  students: { zh: '名学生', en: 'students' }, teachers: { zh: '名教师', en: 'teachers' }, classes: { zh: '个班级', en: 'classes' },
  schools: { zh: '所学校', en: 'schools' }, districts: { zh: '个区', en: 'districts' }, none: { zh: '', en: '' },
};

/**
 * What the public is told about a withheld cell: the rules in force for this indicator, in
 * both languages. Deliberately not which rule withheld this cell: "too few" would say the
 * count is 1–9 (reliability-security.md §3 rule 6: the symbol never encodes "because
 * small"). The reason is stored with the cell (`suppression`) for staff.
 */
export function suppressionText(def: IndicatorDef, threshold = DEFAULT_THRESHOLD): { zh: string; en: string } {
  const u = unitNames[def.disclosure.unit];
  const operandZh = def.disclosure.operand === 'numerator' ? '分子' : '分母';
  const operandEn = def.disclosure.operand;
  const persons = countsPersonsOnBothSides(def);
  const zh = `该单元格不予公布（统计披露控制）。规则：${operandZh}为1—${threshold - 1}${u.zh}（不足${threshold}）的单元格不公布` +
    (persons ? `；分子或“分母−分子”为1—${threshold - 1}人的也不公布，以免由比例推出一小群人（差值规则）` : '') +
    '；凡能由上级合计、同级其他单元格、其他分组或共用同一数字的其他指标相减推算出不公布数字的，相关单元格一并不公布（互补抑制）。为免泄露小数字，不说明本单元格适用哪一条。';
  const en = `This cell is not published (statistical disclosure control). Rules: a cell whose ${operandEn} counts 1–${threshold - 1} ${u.en} (fewer than ${threshold}) is withheld` +
    (persons ? `; so is one whose numerator, or denominator − numerator, is 1–${threshold - 1} persons, which would single out a small group (difference rule)` : '') +
    '; and cells from which a withheld number could be worked out by subtraction (from a total, the other cells of its level, another breakdown, or another indicator sharing the number) are withheld too (complementary suppression). Which rule applied here is not said, so as not to reveal a small number.';
  return { zh, en };
}
