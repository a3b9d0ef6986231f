/**
 * Indicator definitions as DATA (指标定义即数据): an indicator is a ratio of two operands
 * over data elements, a reference value, or a named computation. The engine
 * (engine.ts) evaluates a definition per school and aggregates to district and city
 * by summing numerators and denominators — never by averaging percentages.
 */
import type { Grade, ReferenceCode, Sex } from '../elements/catalogue.ts';
import type { SchoolType, Stage } from '../org/types.ts';

/** A filter on org-unit attributes (机构属性筛选). Every given field must hold. */
export interface OrgFilter {
  readonly types?: readonly SchoolType[];
  readonly ownership?: 'public' | 'private';
  /** 普惠性 flag (private kindergartens). */
  readonly inclusive?: boolean;
  readonly urban_rural?: readonly ('urban' | 'town' | 'rural')[];
  /** At least one of these 学段 served (stagesByType). */
  readonly stages?: readonly Stage[];
}

/** A data element (base code from the catalogue), optionally restricted to grades / sexes. */
export interface ElementTerm {
  readonly element: string;
  readonly grades?: readonly Grade[];
  readonly sexes?: readonly Sex[];
}

export type Operand =
  /** Σ of element values over schools matching ANY of `schools` (an empty list = every school). */
  | { readonly kind: 'sum'; readonly terms: readonly ElementTerm[]; readonly schools: readonly OrgFilter[] }
  /** Number of schools matching ANY of `schools` that reported `reporting` for the year. */
  | { readonly kind: 'count_schools'; readonly reporting: string; readonly schools: readonly OrgFilter[] }
  /** A reference value (参考数据) of the org unit itself (district or city), e.g. population. */
  | { readonly kind: 'reference'; readonly code: ReferenceCode };

/**
 * A disaggregation (分组): one part of a breakdown. It restricts every grade×sex term of the
 * indicator (sex, school stage) and/or the schools that add to it (urban/rural, ownership,
 * 普惠 status, school type — attributes of the school, not of the pupil).
 */
export interface Disaggregation {
  /** Stable key stored with the value: `<dimension>:<part>`, e.g. `sex:f`, `stage:junior`, `area:rural`. */
  readonly key: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly grades?: readonly Grade[];
  readonly sexes?: readonly Sex[];
  /** The part's schools: a school adds to it when it matches ANY of these (on top of the operand's own filters). */
  readonly schools?: readonly OrgFilter[];
  /** Schools left out of the part (the unpublished rest of a breakdown by school attributes, disclosure/operands.ts). */
  readonly exceptSchools?: readonly OrgFilter[];
}

export type OrgLevelName = 'school' | 'district' | 'city';

/** A published document a definition rests on (never an internal note: these are shown to the public). */
export interface Source {
  readonly zh: string;
  readonly en: string;
}

/**
 * One scope choice of an indicator (统计口径): which units are counted or left out, why,
 * and on which document the choice rests. Shown in every explanation and in
 * docs/indicators.md (kept in step by docs.test.ts).
 */
export interface ScopeItem {
  /** The units concerned, e.g. 特殊教育学校 / special-education schools. */
  readonly units_zh: string;
  readonly units_en: string;
  readonly included: boolean;
  readonly why_zh: string;
  readonly why_en: string;
  /** The document behind the choice; absent when it is a platform decision (the `why` says so). */
  readonly source?: Source;
  /** Set when the official scope is uncertain and the choice is an option of the definition set (scope.ts). */
  readonly option?: { readonly key: string; readonly value: string; readonly default_value: string };
}

/** What a published cell counts, for disclosure control (小单元格抑制). */
export interface DisclosureRule {
  /** Unit counted: students, teachers, classes, schools; `none` for published statistics (reference values). */
  readonly unit: 'students' | 'teachers' | 'classes' | 'schools' | 'districts' | 'none';
  /** Which operand's value is the count. */
  readonly operand: 'numerator' | 'denominator';
}

interface IndicatorCommon {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  /** 平方米: per-pupil areas (supplementary indicators for the plan's 专栏 targets). */
  readonly unit: '%' | '人' | '年' | '人次' | '平方米';
  readonly direction: 'up' | 'down';
  /** 学年 (statistics day 1 Sep) or 自然年 (calendar year). */
  readonly time_basis: 'academic_year' | 'calendar_year';
  /** The official definition followed, in words, citing its source. */
  readonly definition_zh: string;
  readonly definition_en: string;
  readonly formula_zh: string;
  readonly formula_en: string;
  /** The official documents the definition follows (published titles, never internal notes). */
  readonly sources: readonly Source[];
  /** Which units are in and out of scope, and why (shown in every explanation). */
  readonly scope: readonly ScopeItem[];
  readonly disclosure: DisclosureRule;
  /** Caveats a reader must know (e.g. MOE's "national level only" note). */
  readonly caveat_zh?: string;
  readonly caveat_en?: string;
}

export interface RatioIndicator extends IndicatorCommon {
  readonly kind: 'ratio';
  readonly numerator: Operand;
  readonly denominator: Operand;
  /** 100 for %, 100000 for "per 100,000". */
  readonly scale: number;
  /** Levels at which the indicator is published. */
  readonly levels: readonly OrgLevelName[];
  readonly disaggregations?: readonly Disaggregation[];
  /**
   * Figures shown beside the ratio without entering it (e.g. graduates beside the
   * graduating-class enrolment of 巩固率): summed over the schools like an operand and kept
   * in the cell's inputs (`beside`), totals only.
   */
  readonly beside?: readonly BesideFigure[];
}

export interface BesideFigure {
  /** Key in `CellInputs.beside`, e.g. `graduates`. */
  readonly key: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly operand: Extract<Operand, { kind: 'sum' }>;
}

export interface ReferenceIndicator extends IndicatorCommon {
  readonly kind: 'reference';
  readonly reference: ReferenceCode;
  /**
   * A value eduplan computes itself (e.g. KPI 8 from the de-duplicated learning events),
   * used where present; `reference` is the fallback for years and units without it.
   */
  readonly derived?: ReferenceCode;
  readonly levels: readonly OrgLevelName[];
}

export interface ComputedIndicator extends IndicatorCommon {
  readonly kind: 'computation';
  readonly computation: 'balanced_district_share';
  readonly levels: readonly OrgLevelName[];
}

export type IndicatorDef = RatioIndicator | ReferenceIndicator | ComputedIndicator;

/** One number the engine produced for (indicator, org unit, year, disaggregation). */
export interface IndicatorCell {
  readonly indicator: string;
  readonly org_code: string;
  /** The org unit's own level code (`org_unit.level`: city, district, school in Tianjin; any code in another hierarchy). */
  readonly level: string;
  readonly year: number;
  /** '' = total; else a Disaggregation key. */
  readonly disaggregation: string;
  readonly numerator: number | null;
  readonly denominator: number | null;
  /** null = no data (denominator 0 or missing input). Never a made-up number. */
  readonly value: number | null;
  /** The count disclosure control looks at (students, schools…); null = not subject to it. */
  readonly basis: number | null;
  /** Compact, auditable inputs: operand totals, schools counted, reference value and its source. */
  readonly inputs: CellInputs;
}

export interface CellInputs {
  /** Schools (kindergartens) that fed the numerator or the denominator. */
  readonly schools?: number;
  /** Figures shown beside the ratio (RatioIndicator.beside), by key. */
  readonly beside?: Readonly<Record<string, number>>;
  /** The scope options this cell was computed with (scope.ts), for indicators that have one. */
  readonly scope?: Readonly<Record<string, string>>;
  readonly reference?: { readonly code: string; readonly value: number; readonly source: string; readonly org_code: string };
  readonly districts?: { readonly passing: number; readonly total: number };
  readonly note?: string;
}
