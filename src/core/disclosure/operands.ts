/**
 * Which published numbers are the same quantity (同一数量), worked out from the operand
 * definitions: kindergarten enrolment is the numerator of 学前三年毛入园率 and the
 * denominator of 公办园在园幼儿比例 and 普惠性学前教育资源覆盖率; hiding it in one cell
 * and publishing it in another hides nothing. No hand-written list: two operands are the
 * same quantity when every kind of school would add the same element codes to both.
 *
 * An operand restricted to a disaggregation (sex, stage) is described the same way, which
 * also says whether a dimension's values partition the total (boys + girls = all; the
 * stages of 近视率 — age 6, primary, junior, senior — add up to its population).
 */
import { elementByCode, expandElement, grades as allGrades, sexes as allSexes, type Grade, type Sex } from '../elements/catalogue.ts';
import { inPart, matchesFilter, type EngineOrgUnit } from '../indicators/engine.ts';
import type { Disaggregation, ElementTerm, Operand, OrgFilter } from '../indicators/types.ts';
import { schoolTypes, type SchoolType } from '../org/types.ts';

const ownerships = ['public', 'private', null] as const;
const inclusives = [true, false, null] as const;
const urbanRurals = ['urban', 'town', 'rural', null] as const;

/** Every combination of the school attributes a filter can look at, per school type. */
const attributeCombos: ReadonlyArray<{ readonly type: SchoolType; readonly units: readonly EngineOrgUnit[] }> = schoolTypes.map((type) => ({
  type,
  units: ownerships.flatMap((ownership) => inclusives.flatMap((inclusive) => urbanRurals.map((urban_rural): EngineOrgUnit =>
    ({ code: '', level: 'school', parent_code: null, school_type: type, ownership, inclusive, urban_rural })))),
}));

const intersect = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined => (!a ? b : !b ? a : a.filter((x) => b.includes(x)));

/** The codes a school of `type` reports for a term (restricted to a disaggregation): what it adds to the sum. */
function termCodesFor(term: ElementTerm, dis: Disaggregation | undefined, type: SchoolType): string[] {
  const def = elementByCode.get(term.element);
  if (!def) throw new RangeError(`indicator term uses an element not in the catalogue: ${term.element}`);
  // A school reports only its own type's elements and grades (catalogue `types`).
  if (!def.types.includes(type)) return [];
  const grades: readonly Grade[] | undefined = intersect(term.grades, dis?.grades);
  const sexes: readonly Sex[] | undefined = intersect(term.sexes, dis?.sexes);
  return expandElement(def, type, { ...(grades ? { grades } : {}), ...(sexes ? { sexes } : {}) });
}

const matchesAny = (o: EngineOrgUnit, filters: readonly OrgFilter[]): boolean => filters.length === 0 || filters.some((f) => matchesFilter(o, f));

/**
 * Per school type: the sorted codes a matching school adds, and which attribute
 * combinations match. `null` for a reference operand (a published population figure,
 * not a sum over schools).
 */
export function operandProfile(op: Operand, dis?: Disaggregation): Array<{ codes: string[]; matching: string }> | null {
  if (op.kind === 'reference') return null;
  return attributeCombos.map(({ type, units }) => {
    const codes = op.kind === 'sum'
      ? op.terms.flatMap((t) => termCodesFor(t, dis, type)).sort()
      // A count of schools: each school reporting the flag adds one, whatever the disaggregation.
      : termCodesFor({ element: op.reporting }, undefined, type).map((c) => `#${c}`);
    if (codes.length === 0) return { codes, matching: '' };
    // A part of a breakdown by school attributes (urban/rural, ownership, type) selects fewer schools.
    const matching = units.map((u) => (matchesAny(u, op.schools) && inPart(u, dis) ? '1' : '0')).join('');
    return matching.includes('1') ? { codes, matching } : { codes: [], matching: '' };
  });
}

/** A string that is equal for two operands exactly when they are the same quantity at every org unit. */
export function operandSignature(op: Operand, dis?: Disaggregation): string | null {
  const p = operandProfile(op, dis);
  if (!p) return null;
  return `${op.kind === 'count_schools' ? 'n' : 's'}:${p.map((x) => (x.codes.length === 0 ? '' : `${x.codes.join(',')}@${x.matching}`)).join('|')}`;
}

/**
 * What one school adds to an operand, as a string ('' = nothing): the codes its type
 * reports for the operand's terms when it matches the operand's filters. Two operands are
 * the same quantity at an org unit when every school under it adds the same to both —
 * which also holds for different definitions when the schools there make them coincide
 * (a district whose kindergartens are all public: public and all children are one number).
 */
export function schoolContribution(op: Operand, dis?: Disaggregation): ((school: EngineOrgUnit) => string) | null {
  if (op.kind === 'reference') return null;
  const byType = new Map<string, string>();
  for (const type of schoolTypes) {
    const codes = op.kind === 'sum' ? op.terms.flatMap((t) => termCodesFor(t, dis, type)).sort() : termCodesFor({ element: op.reporting }, undefined, type).map((c) => `#${c}`);
    byType.set(type, codes.join(','));
  }
  return (school) => (school.school_type !== null && matchesAny(school, op.schools) && inPart(school, dis) ? (byType.get(school.school_type) ?? '') : '');
}

/**
 * Whether the values of one dimension add up to the total for this operand: for every kind
 * of school and every combination of school attributes, the codes of the parts that take
 * such a school are disjoint and together are the codes the total takes from it (boys +
 * girls split the codes; urban + town + rural split the schools). Then total = Σ parts at
 * every org unit, and an attacker may use it.
 */
export function partitionsTotal(op: Operand, parts: readonly Disaggregation[]): boolean {
  if (op.kind !== 'sum' || parts.length === 0) return false;
  const total = operandProfile(op);
  const ps = parts.map((d) => operandProfile(op, d));
  if (!total) return false;
  const combos = attributeCombos[0]?.units.length ?? 0;
  return total.every((t, i) => {
    for (let j = 0; j < combos; j++) {
      const want = t.matching[j] === '1' ? t.codes : [];
      const union: string[] = [];
      for (const p of ps) {
        const x = p?.[i];
        if (!x) return false;
        if (x.codes.length > 0 && x.matching[j] === '1') union.push(...x.codes);
      }
      union.sort();
      if (union.length !== want.length || !union.every((c, k) => c === want[k])) return false;
    }
    return true;
  });
}

/**
 * The rest of a dimension: what a total has beyond the values published for it (a
 * breakdown that publishes girls only; stages without the senior stage). Never published,
 * but total = Σ values + rest always holds, and where the schools of an org unit add
 * nothing to the rest (a district without senior-stage schools, when the senior stage is
 * not published) the published values add up to the total there. null when the values
 * restrict both grades and sexes, or terms and schools (no such breakdown is defined).
 */
export function dimensionRest(dim: string, parts: readonly Disaggregation[]): Disaggregation | null {
  if (parts.length === 0) return null;
  if (parts.every((p) => p.grades && !p.sexes && !p.schools)) {
    const covered = new Set(parts.flatMap((p) => p.grades ?? []));
    return { key: `${dim}:~rest`, name_zh: '其余', name_en: 'rest', grades: allGrades.filter((g) => !covered.has(g)) };
  }
  if (parts.every((p) => p.sexes && !p.grades && !p.schools)) {
    const covered = new Set(parts.flatMap((p) => p.sexes ?? []));
    return { key: `${dim}:~rest`, name_zh: '其余', name_en: 'rest', sexes: allSexes.filter((x) => !covered.has(x)) };
  }
  // A breakdown by school attributes: the rest is the schools no published part takes
  // (rural schools when urban and town are published; a school with no urban/rural class).
  if (parts.every((p) => p.schools && !p.grades && !p.sexes && !p.exceptSchools)) {
    return { key: `${dim}:~rest`, name_zh: '其余', name_en: 'rest', exceptSchools: parts.flatMap((p) => p.schools ?? []) };
  }
  return null;
}
