/**
 * Scope options of the definition set (口径选项). Where the official scope of an indicator
 * is uncertain, the choice is an option with a stated default rather than a silent
 * decision: `indicatorDefinitionsFor(scope)` (definitions.ts) builds the definitions for
 * a choice, every computed cell records the choice in its inputs (`inputs.scope`), and the
 * explanation says which one produced the figure. Pure data: the services pass a scope in
 * (`recomputeIndicators(store, { scope })`); `defaultIndicatorScope` is used otherwise.
 */

export interface IndicatorScope {
  /**
   * 职业教育“双师型”教师占比: the plan's 职业教育 covers 中职 and 高职, but the basic-education
   * statistics (中职基421) give 中职 only; 高职 colleges report it as `higher_ed` schools.
   * `secondary` = 中职 only (default); `secondary_and_higher` = 中职 + 高职 colleges.
   */
  readonly dual_teachers: 'secondary' | 'secondary_and_higher';
  /**
   * 基础教育无线网覆盖率: whether kindergartens are counted. 基础教育 includes 学前教育, but the
   * plan's table gives no definition and no document says whether kindergartens count.
   * `included` (default) or `excluded`.
   */
  readonly wireless_kindergartens: 'included' | 'excluded';
  /**
   * 义务教育学区化办学比例: whether special-education schools are counted. They serve a whole
   * district rather than a 学区, and no document says whether they belong to one.
   * `excluded` (default) or `included`.
   */
  readonly school_district_special: 'excluded' | 'included';
}

export const defaultIndicatorScope: IndicatorScope = {
  dual_teachers: 'secondary',
  wireless_kindergartens: 'included',
  school_district_special: 'excluded',
};

/** Every value each option may take, in the order documented (first = default). */
export const scopeValues: { readonly [K in keyof IndicatorScope]: readonly IndicatorScope[K][] } = {
  dual_teachers: ['secondary', 'secondary_and_higher'],
  wireless_kindergartens: ['included', 'excluded'],
  school_district_special: ['excluded', 'included'],
};

/** The full scope for a partial one; unknown keys and values are rejected (a typo must not pass silently). */
export function resolveScope(partial: Readonly<Record<string, string>> = {}): IndicatorScope {
  for (const key of Object.keys(partial)) {
    if (!(key in scopeValues)) throw new RangeError(`unknown indicator scope option: ${key} (known: ${Object.keys(scopeValues).join(', ')})`);
  }
  const pick = <K extends keyof IndicatorScope>(key: K): IndicatorScope[K] => {
    const given = partial[key];
    if (given === undefined) return defaultIndicatorScope[key];
    const allowed: readonly IndicatorScope[K][] = scopeValues[key];
    const found = allowed.find((v) => v === given);
    if (found === undefined) throw new RangeError(`indicator scope option ${key} cannot be ${given} (allowed: ${allowed.join(', ')})`);
    return found;
  };
  return { dual_teachers: pick('dual_teachers'), wireless_kindergartens: pick('wireless_kindergartens'), school_district_special: pick('school_district_special') };
}
