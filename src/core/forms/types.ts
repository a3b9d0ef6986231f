/**
 * Forms as data (报表即数据): a form (报表) is the set of data elements one school type
 * reports for an academic year, in sections with labels, plus the validation rules
 * (校验规则) that check it. Modelled on DHIS2 data sets + validation rules and on the
 * 教育事业统计 基础基表 (see docs/forms-and-rules.md).
 */
import type { ElementKind } from '../elements/catalogue.ts';
import type { SchoolType } from '../org/types.ts';

export interface FieldDef {
  /** Concrete element code, e.g. `enrol.g7.f`. */
  readonly code: string;
  readonly label_zh: string;
  readonly label_en: string;
  readonly kind: ElementKind;
  readonly unit_zh: string;
  readonly unit_en: string;
  /** Completeness (必填): blank is a hard problem. National forms want 0 written, not left blank. */
  readonly required: boolean;
  /** Type and range (类型与取值范围): integers for counts and flags. */
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}

export interface SectionDef {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  /** The 基础基 tables this section stands for (traceability to the national forms). */
  readonly source: string;
  readonly fields: readonly FieldDef[];
}

/** 逻辑校验 (hard: must be fixed) vs 经验校验 (soft: fix it or explain it in a comment). */
export type Severity = 'hard' | 'soft';

interface RuleBase {
  readonly id: string;
  readonly severity: Severity;
  readonly message_zh: string;
  readonly message_en: string;
  readonly fix_zh: string;
  readonly fix_en: string;
  /** Cells the problem is reported on (first = the cell marked); default: the codes the rule reads. */
  readonly at?: readonly string[];
}

/** Cross-field / cross-form check: the expression must hold. */
export interface CheckRule extends RuleBase {
  readonly kind: 'check';
  readonly expr: string;
}

/** Against last year (与上年比较): |this − last| / last × 100 must not exceed maxPct. */
export interface ChangeRule extends RuleBase {
  readonly kind: 'change';
  readonly target: string;
  readonly maxPct: number;
  /** Skip when last year's value is below this (small bases swing by large percentages). */
  readonly minBase: number;
}

/** Outlier among similar schools (same type and district) by modified z-score. */
export interface OutlierRule extends RuleBase {
  readonly kind: 'outlier';
  readonly target: string;
  /** Iglewicz & Hoaglin (1993) recommend flagging |M| > 3.5. */
  readonly threshold: number;
  /** Fewer comparable schools than this: no verdict. */
  readonly minPeers: number;
}

export type RuleDef = CheckRule | ChangeRule | OutlierRule;

export interface FormDef {
  /** Stable code, e.g. `annual.primary`. */
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly schoolType: SchoolType;
  readonly sections: readonly SectionDef[];
  readonly rules: readonly RuleDef[];
}
