/**
 * Conversion rules of the credit bank (学分认定与转换规则) as data, and the check a
 * recognition must pass. A rule says: this achievement (a course, a 职业技能等级证书, a
 * non-formal course or MOOC) counts as N credits towards that course of that programme at the
 * receiving institution, from a date on, with caps. The caps follow the Korean Academic
 * Credit Bank System's practice (credit-bank.md §4: credits recognised per year and per
 * source are limited); a rule version is never edited — a change is a new version with a
 * later `valid_from`, and a recognition keeps the version it was decided under.
 */

export const sourceKinds = ['academic_course', 'vocational_certificate', 'non_formal', 'mooc'] as const;
/** 学历教育课程、职业技能等级证书（1+X）、非学历培训、在线课程 */
export type SourceKind = (typeof sourceKinds)[number];

export const sourceKindNames: Readonly<Record<SourceKind, { zh: string; en: string }>> = {
  academic_course: { zh: '学历教育课程', en: 'Academic course' },
  vocational_certificate: { zh: '职业技能等级证书', en: 'Vocational skills certificate' },
  non_formal: { zh: '非学历培训', en: 'Non-formal course' },
  mooc: { zh: '在线开放课程', en: 'MOOC' },
};

export interface ConversionRule {
  readonly code: string;
  readonly version: number;
  readonly source_kind: SourceKind;
  /** The achievement the rule converts (a course code, a certificate code). */
  readonly achievement_code: string;
  readonly receiving_code: string;
  readonly target_programme: string;
  readonly target_course: string;
  /** Credits granted towards the target course. */
  readonly credits: number;
  /** Most credits a learner may have recognised from this source kind at the receiving institution in one calendar year. */
  readonly annual_cap: number | null;
  /** Most credits a learner may ever have recognised from this source kind at the receiving institution. */
  readonly source_cap: number | null;
  /** YYYY-MM-DD: the version applies to applications from this date. */
  readonly valid_from: string;
  /** The document the rule comes from (文件名、文号). */
  readonly source: string;
}

/** The version of `code` in force on `date` (YYYY-MM-DD): the latest one whose valid_from is not after it. */
export function ruleInForce(versions: readonly ConversionRule[], code: string, date: string): ConversionRule | null {
  let best: ConversionRule | null = null;
  for (const r of versions) {
    if (r.code !== code || r.valid_from > date) continue;
    if (best === null || r.version > best.version) best = r;
  }
  return best;
}

/** A recognition already granted to the learner (state recognised). */
export interface GrantedCredits {
  readonly receiving_code: string;
  readonly source_kind: SourceKind;
  readonly year: number;
  readonly credits: number;
}

/** The outcome a learner applies with. */
export interface OutcomeForRule {
  readonly kind: SourceKind;
  readonly achievement_code: string;
}

export type RecognitionCheck =
  | { readonly ok: true; readonly credits: number }
  | { readonly ok: false; readonly rule: 'rule_kind' | 'rule_achievement' | 'annual_cap' | 'source_cap'; readonly message_zh: string; readonly message_en: string };

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/**
 * May `outcome` be recognised under `rule` in `year`, given what the learner already has?
 * Refusals name the cap, the credits already recognised and what this one would add.
 */
export function checkRecognition(rule: ConversionRule, outcome: OutcomeForRule, year: number, granted: readonly GrantedCredits[]): RecognitionCheck {
  if (outcome.kind !== rule.source_kind) {
    return { ok: false, rule: 'rule_kind', message_zh: `规则 ${rule.code} 只认定${sourceKindNames[rule.source_kind].zh}，该成果是${sourceKindNames[outcome.kind].zh}`, message_en: `rule ${rule.code} recognises ${sourceKindNames[rule.source_kind].en} outcomes only; this outcome is a ${sourceKindNames[outcome.kind].en}` };
  }
  if (outcome.achievement_code !== rule.achievement_code) {
    return { ok: false, rule: 'rule_achievement', message_zh: `规则 ${rule.code} 认定的是 ${rule.achievement_code}，该成果是 ${outcome.achievement_code}`, message_en: `rule ${rule.code} converts ${rule.achievement_code}; this outcome is ${outcome.achievement_code}` };
  }
  const same = granted.filter((g) => g.receiving_code === rule.receiving_code && g.source_kind === rule.source_kind);
  if (rule.annual_cap !== null) {
    const thisYear = same.filter((g) => g.year === year).reduce((s, g) => s + g.credits, 0);
    if (thisYear + rule.credits > rule.annual_cap + 1e-9) {
      return {
        ok: false, rule: 'annual_cap',
        message_zh: `超过年度上限：${year}年已在该机构认定${sourceKindNames[rule.source_kind].zh}学分 ${fmt(thisYear)}，本次 ${fmt(rule.credits)}，规则 ${rule.code}（第${rule.version}版）规定每年最多 ${fmt(rule.annual_cap)}`,
        message_en: `annual cap exceeded: ${fmt(thisYear)} credits from ${sourceKindNames[rule.source_kind].en} outcomes already recognised at this institution in ${year}, this one adds ${fmt(rule.credits)}, and rule ${rule.code} (version ${rule.version}) allows at most ${fmt(rule.annual_cap)} a year`,
      };
    }
  }
  if (rule.source_cap !== null) {
    const total = same.reduce((s, g) => s + g.credits, 0);
    if (total + rule.credits > rule.source_cap + 1e-9) {
      return {
        ok: false, rule: 'source_cap',
        message_zh: `超过来源上限：已在该机构认定${sourceKindNames[rule.source_kind].zh}学分 ${fmt(total)}，本次 ${fmt(rule.credits)}，规则 ${rule.code}（第${rule.version}版）规定累计最多 ${fmt(rule.source_cap)}`,
        message_en: `source cap exceeded: ${fmt(total)} credits from ${sourceKindNames[rule.source_kind].en} outcomes already recognised at this institution, this one adds ${fmt(rule.credits)}, and rule ${rule.code} (version ${rule.version}) allows at most ${fmt(rule.source_cap)} in all`,
      };
    }
  }
  return { ok: true, credits: rule.credits };
}

/**
 * Credits for learning hours under a framework level (学习成果框架: hours per credit),
 * rounded down to half credits so that conversion never grants more than the hours support.
 */
export function creditsForHours(hours: number, hoursPerCredit: number): number {
  if (!(hours >= 0) || !(hoursPerCredit > 0)) return 0;
  return Math.floor((hours / hoursPerCredit) * 2) / 2;
}
