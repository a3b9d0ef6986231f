/**
 * The assessment workspace's data (督导评估工作台): the API's shapes (type-only imports from
 * the contract, so the browser gets exactly what the server computes), and the small
 * decisions the pages make from them — kept pure so they are unit-tested without a browser.
 */
import type { AssessmentKind, BalancedDistrictResult, BalancedVerdict, LevelWithWhatIf, PreschoolDistrictResult, ScheduleResult, SchoolResult, VerdictsResponse, WorkflowStepResult } from '../../contract/assessments.ts';
import { assessmentRoles, type WorkflowAction, type WorkflowState } from '../../core/standards/balanced/workflow.ts';
import type { BalancedIndicatorKey } from '../../core/standards/balanced/criteria.ts';

export type { AssessmentKind, BalancedDistrictResult, BalancedVerdict, LevelWithWhatIf, PreschoolDistrictResult, ScheduleResult, SchoolResult, VerdictsResponse, WorkflowStepResult, WorkflowAction, WorkflowState, BalancedIndicatorKey };

export type Level = 'primary' | 'junior';
export const levels: readonly Level[] = ['primary', 'junior'];

export interface Grant { role: string; orgCode: string; name_zh: string; name_en: string }
/** What the pages need of the signed-in account (/api/auth/me). */
export interface Me { username: string; grants: Grant[] }

/**
 * What the city map colours a district by (区级状态): national certification (认定) outranks
 * the computed verdict, because certification is what the plan's indicator counts.
 */
export type DistrictStatus = 'certified' | 'pass' | 'incomplete' | 'fail' | 'no_data';
export const districtStatuses: readonly DistrictStatus[] = ['certified', 'pass', 'incomplete', 'fail', 'no_data'];

export function balancedStatus(v: Pick<BalancedVerdict, 'certified' | 'verdict'>): DistrictStatus {
  if (v.certified) return 'certified';
  return v.verdict;
}

/** 普及普惠 for one district: the assessment, or `no_data` when the API has none (E_ASSESSMENT_NO_DATA). */
export function preschoolStatus(r: Pick<PreschoolDistrictResult, 'certified' | 'verdict'> | null): DistrictStatus {
  if (!r) return 'no_data';
  if (r.certified) return 'certified';
  return r.verdict;
}

/**
 * A school's standing on one indicator (per 第六条): `pass` = meets the threshold (exact,
 * as the engine decides); `near` = below it but at least 85 % of it (the one indicator a
 * school may miss); `fail` = below 85 %. Read from the engine's booleans, never recomputed
 * from rounded floats, so the page cannot disagree with the API at the boundary.
 */
export type CellStatus = 'pass' | 'near' | 'fail';
export function cellStatus(s: Pick<SchoolResult, 'met_by_indicator' | 'shortfalls'>, key: BalancedIndicatorKey): CellStatus {
  if (s.met_by_indicator[key]) return 'pass';
  const sf = s.shortfalls.find((x) => x.indicator === key);
  return sf && !sf.below_floor ? 'near' : 'fail';
}

/** Does a grant at `orgCode` cover `district`? A grant at the region's root (Tianjin: 120000, from /api/site) covers every district. */
export function grantCovers(orgCode: string, district: string, rootCode: string | undefined): boolean {
  return orgCode === district || (rootCode !== undefined && orgCode === rootCode);
}

export interface NextAction { action: WorkflowAction; enabled: boolean; reason_zh?: string; reason_en?: string }

/**
 * The workflow buttons a signed-in account sees for a district (区级自评 → 市级评估 →
 * 申报国家认定 → 认定/退回), mirroring the server's rules: self-evaluation by the district
 * (or the city), the rest by the city (supervisor / city admin); submission and
 * certification only when the verdict passes (the server refuses otherwise — the button
 * says why instead of inviting a refusal).
 */
export function nextActions(state: WorkflowState, verdict: 'pass' | 'fail' | 'incomplete', grants: readonly Pick<Grant, 'role' | 'orgCode'>[], district: string, rootCode: string | undefined): NextAction[] {
  const has = (roles: readonly string[]) => grants.some((g) => roles.includes(g.role) && grantCovers(g.orgCode, district, rootCode));
  const out: NextAction[] = [];
  const needPass = (action: WorkflowAction): NextAction => verdict === 'pass'
    ? { action, enabled: true }
    : { action, enabled: false, reason_zh: '评估结论为达标后才能进行此步骤', reason_en: 'Only possible once the verdict passes' };
  if (['not_started', 'self_evaluated', 'returned'].includes(state) && has(assessmentRoles.enter)) out.push({ action: 'self_evaluate', enabled: true });
  if (state === 'self_evaluated' && has(assessmentRoles.city)) out.push({ action: 'city_assess', enabled: true });
  if (state === 'city_assessed' && has(assessmentRoles.city)) out.push(needPass('submit'));
  if (state === 'submitted' && has(assessmentRoles.city)) out.push(needPass('certify'));
  if (['self_evaluated', 'city_assessed', 'submitted'].includes(state) && has(assessmentRoles.city)) out.push({ action: 'return', enabled: true });
  return out;
}

/** The workflow steps in order, with the date each happened (null = not yet). */
export function workflowHistory(w: BalancedDistrictResult['workflow']): Array<{ step: 'self_evaluated' | 'city_assessed' | 'submitted' | 'certified' | 'returned'; on: string | null }> {
  return [
    { step: 'self_evaluated', on: w.self_evaluated_on },
    { step: 'city_assessed', on: w.city_assessed_on },
    { step: 'submitted', on: w.submitted_on },
    { step: 'certified', on: w.certified_on },
    ...(w.returned_on ? [{ step: 'returned' as const, on: w.returned_on }] : []),
  ];
}

/** The academic year shown by default: the newest year the progress API has values for. */
export function latestYear(progress: ReadonlyArray<{ year: number | null }>): number | null {
  let best: number | null = null;
  for (const p of progress) if (p.year !== null && (best === null || p.year > best)) best = p.year;
  return best;
}

/**
 * Indicator values and CVs as shown: up to 3 decimals below 100 and none from 100 up — the
 * same rounding as the engine's explanation lines, so the table and the text agree.
 */
export function formatNum(x: number | null | undefined, lang: 'zh' | 'en', digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: Math.abs(x) >= 100 ? 0 : digits, minimumFractionDigits: 0 });
}

/**
 * The districts an account may read assessments for, or 'city' when a grant at the root covers
 * them all. `region` is /api/site's: the root and the units directly under it.
 */
export function readableDistricts(grants: readonly Pick<Grant, 'role' | 'orgCode'>[], region: { readonly root: string; readonly units: readonly string[] }): 'city' | string[] {
  const readers: readonly string[] = assessmentRoles.read;
  const g = grants.filter((x) => readers.includes(x.role));
  if (g.some((x) => x.orgCode === region.root)) return 'city';
  return [...new Set(g.map((x) => x.orgCode).filter((c) => region.units.includes(c)))];
}

export function formatCv(x: number | null | undefined, lang: 'zh' | 'en'): string {
  return formatNum(x, lang, 3);
}
