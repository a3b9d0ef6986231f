/**
 * What-if (整改测算): for a failing level, the smallest additions per school that make
 * it pass, and their effect on every CV.
 *
 * Step 1, school rule — exact and minimal per school: a failing school brings every
 * unmet indicator to its threshold except the (7 − min_met) weakest ones, which only
 * need 85 % of theirs. Leaving the weakest at 85 % saves the most relative shortfall
 * (the saving is 15 % of a threshold for any indicator at or below 85 %).
 * Step 2, CV — "water-filling": for each indicator whose CV still exceeds the limit,
 * raise the schools below a level L up to L, with L the lowest level (found by
 * bisection) that brings the CV within the limit. Raising the bottom is the cheapest
 * way to narrow a weighted spread; it is a heuristic, not a proven optimum.
 * Additions are whole units (teachers, rooms, m², yuan), rounded up, then re-checked.
 */
import type { AssessmentCriteria, BalancedIndicatorKey, InputField, Level } from './criteria.ts';
import { cvWithin, weightedCv } from './cv.ts';
import { evaluateLevel, indicatorValue, type ExcludedSchool, type LevelResult, type LevelSchool } from './engine.ts';
import { add, ceil, cmp, div, mul, rat, sub, toNumber, type Rational } from './rational.ts';

export interface WhatIfChange {
  readonly code: string;
  readonly name_zh?: string;
  readonly indicator: BalancedIndicatorKey;
  readonly resource_zh: string;
  readonly resource_en: string;
  /** Amount of the resource to add (teachers, rooms, m² or yuan). */
  readonly add: number;
  readonly reasons: ReadonlyArray<'school_rule' | 'cv'>;
  readonly value_before: number;
  readonly value_after: number;
}

export interface WhatIfResult {
  readonly level: Level;
  readonly pass_before: boolean;
  readonly pass_after: boolean;
  readonly changes: readonly WhatIfChange[];
  /** Total to add per indicator's resource, district-wide. */
  readonly totals: Partial<Record<BalancedIndicatorKey, number>>;
  readonly cv: Record<BalancedIndicatorKey, { before: number | null; after: number | null; limit: number; pass_before: boolean; pass_after: boolean }>;
  readonly after: LevelResult;
  readonly method: string;
}

const ZERO: Rational = { n: 0n, d: 1n };

export function whatIf(level: Level, schools: readonly LevelSchool[], criteria: AssessmentCriteria, excluded: readonly ExcludedSchool[] = []): WhatIfResult {
  const c = criteria.balanced;
  const before = evaluateLevel(level, schools, criteria, excluded);
  const fieldOf = new Map(c.indicators.map((i) => [i.key, i]));
  // Mutable copy of resources and the additions made.
  const res = schools.map((s) => ({ ...s.resources }) as Record<InputField, Rational>);
  const added = schools.map(() => new Map<BalancedIndicatorKey, { amount: Rational; reasons: Set<'school_rule' | 'cv'> }>());
  const bump = (i: number, key: BalancedIndicatorKey, amount: Rational, reason: 'school_rule' | 'cv'): void => {
    if (amount.n <= 0n) return;
    const f = fieldOf.get(key);
    if (!f) return;
    const r = res[i];
    if (!r) return;
    r[f.input_field] = add(r[f.input_field], amount);
    const m = added[i];
    const prev = m?.get(key);
    if (prev) { m?.set(key, { amount: add(prev.amount, amount), reasons: prev.reasons.add(reason) }); } else m?.set(key, { amount, reasons: new Set([reason]) });
  };
  /** Whole units needed so that resource × per ÷ enrolment ≥ target. */
  const needed = (i: number, key: BalancedIndicatorKey, target: Rational): Rational => {
    const f = fieldOf.get(key);
    const s = schools[i];
    const r = res[i];
    if (!f || !s || !r) return ZERO;
    const want = div(mul(target, rat(s.enrolment)), rat(f.per));
    const gap = sub(want, r[f.input_field]);
    return cmp(gap, ZERO) <= 0 ? ZERO : { n: ceil(gap), d: 1n };
  };

  // Step 1: the school rule.
  const leftovers = 7 - c.school_rule.min_met;
  const restFraction = rat(c.school_rule.rest_min_fraction);
  before.schools.forEach((sr, i) => {
    if (sr.pass) return;
    const unmet = [...sr.shortfalls].sort((a, b) => a.fraction - b.fraction);
    unmet.forEach((f, rank) => {
      const t = rat(f.threshold);
      const target = rank < leftovers ? mul(t, restFraction) : t;
      bump(i, f.indicator, needed(i, f.indicator, target), 'school_rule');
    });
  });

  // Step 2: every CV within its limit.
  const limit = c.cv_limit[level];
  const weights = schools.map((s) => s.enrolment);
  for (const ind of c.indicators) {
    const values = (): number[] => schools.map((s, i) => toNumber(indicatorValue(res[i]?.[ind.input_field] ?? ZERO, ind.per, s.enrolment)));
    if (schools.length === 0 || cvWithin(weightedCv(values(), weights).cv, limit)) continue;
    const xs = values();
    const cvAt = (L: number): number | null => weightedCv(xs.map((x) => Math.max(x, L)), weights).cv;
    let lo = Math.min(...xs);
    let hi = Math.max(...xs);
    for (let k = 0; k < 100 && hi - lo > 1e-9 * Math.max(1, hi); k++) {
      const mid = (lo + hi) / 2;
      if (cvWithin(cvAt(mid), limit)) hi = mid; else lo = mid;
    }
    // Round up to whole units, re-check, and nudge the level up if rounding was not enough.
    let level_ = hi;
    for (let attempt = 0; attempt < 50; attempt++) {
      xs.forEach((x, i) => { if (x < level_) bump(i, ind.key, needed(i, ind.key, rat(level_)), 'cv'); });
      if (cvWithin(weightedCv(values(), weights).cv, limit)) break;
      level_ = level_ * 1.001 + 1e-9;
    }
  }

  const afterSchools: LevelSchool[] = schools.map((s, i) => ({ ...s, resources: res[i] ?? s.resources }));
  const after = evaluateLevel(level, afterSchools, criteria, excluded);
  const changes: WhatIfChange[] = [];
  const totals: Partial<Record<BalancedIndicatorKey, number>> = {};
  schools.forEach((s, i) => {
    for (const ind of c.indicators) {
      const a = added[i]?.get(ind.key);
      if (!a) continue;
      const amount = toNumber(a.amount);
      totals[ind.key] = (totals[ind.key] ?? 0) + amount;
      changes.push({
        code: s.code, ...(s.name_zh ? { name_zh: s.name_zh } : {}), indicator: ind.key,
        resource_zh: ind.resource_zh, resource_en: ind.resource_en, add: amount, reasons: [...a.reasons],
        value_before: before.schools[i]?.values[ind.key] ?? 0, value_after: after.schools[i]?.values[ind.key] ?? 0,
      });
    }
  });
  const cv = {} as WhatIfResult['cv'];
  for (const ind of c.indicators) {
    const b = before.indicators[ind.key];
    const a = after.indicators[ind.key];
    cv[ind.key] = { before: b.cv, after: a.cv, limit, pass_before: b.cv_pass, pass_after: a.cv_pass };
  }
  return {
    level, pass_before: before.pass, pass_after: after.pass, changes, totals, cv, after,
    method: 'step 1: per failing school, unmet indicators to their threshold except the weakest (7 − min_met) to 85 %; step 2: per indicator still over the CV limit, raise the lowest schools to the lowest common level that brings the CV within it; whole units, rounded up',
  };
}
