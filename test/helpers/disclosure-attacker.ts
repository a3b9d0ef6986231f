/**
 * The attacker of the disclosure-control tests (reliability-security.md §3 rule 3, PUB-03):
 * it knows every published numerator and denominator and how each is made from the
 * schools' reported values, and tries to recover the numerator or denominator of a
 * withheld cell.
 *
 * It is built apart from src/core/disclosure: every published figure is written as the
 * linear function of the schools' raw values it is (a sum over the schools under the org
 * unit that match the definition's filters, of the element codes its terms select), and a
 * withheld figure is recovered when its function is a linear combination of the published
 * ones — exact linear algebra over the rationals. That includes everything the
 * parent − published-siblings attacker of issue 12 derives, iterated (every step is such
 * a combination), across indicators sharing an operand (the same function), across the
 * breakdowns, and numerator = value × denominator (a published value comes with its
 * published numerator and denominator; a population denominator is a known constant).
 *
 * Like the public, it knows the org tree and every school's type and attributes (public
 * registers), so the codes each school would report; not which of them a school left
 * blank (those are unknowns worth 0).
 */
import { expandElement, elementByCode } from '../../src/core/elements/catalogue.ts';
import { matchesFilter, type EngineOrgUnit } from '../../src/core/indicators/engine.ts';
import type { Disaggregation, IndicatorCell, IndicatorDef, Operand } from '../../src/core/indicators/types.ts';
import type { SchoolType } from '../../src/core/org/types.ts';

/** raw variable (`school|code`) → coefficient. */
export type LinearForm = Map<string, number>;

const intersect = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined => (!a ? b : !b ? a : a.filter((x) => b.includes(x)));

/**
 * The linear form of an operand at an org unit: one unknown per school and element code
 * its type reports (school attributes and types are public; the values are not). null for a
 * population (reference) operand. Schools under an aggregate are those anywhere beneath it (a
 * province's prefecture sits two levels above its schools); the city's are all schools (as the engine adds them).
 */
export function operandForm(op: Operand, dis: Disaggregation | undefined, org: EngineOrgUnit, orgUnits: readonly EngineOrgUnit[]): LinearForm | null {
  if (op.kind === 'reference') return null;
  const parentOf = new Map(orgUnits.map((o) => [o.code, o.parent_code]));
  const beneath = (code: string): boolean => {
    for (let p = parentOf.get(code) ?? null, guard = 0; p !== null && guard < 64; p = parentOf.get(p) ?? null, guard++) if (p === org.code) return true;
    return false;
  };
  const schools = org.level === 'school' ? [org] : orgUnits.filter((o) => o.level === 'school' && (org.level === 'city' || beneath(o.code)));
  const form: LinearForm = new Map();
  for (const s of schools) {
    const type = s.school_type as SchoolType;
    if (!(op.schools.length === 0 || op.schools.some((f) => matchesFilter(s, f)))) continue;
    // A part of a breakdown by school attributes takes only its schools (written out here, not imported from the engine).
    if (dis?.schools && !dis.schools.some((f) => matchesFilter(s, f))) continue;
    if (dis?.exceptSchools?.some((f) => matchesFilter(s, f))) continue;
    if (op.kind === 'count_schools') {
      // One for each school that reported the flag: whether it did is the unknown.
      if (elementByCode.get(op.reporting)?.types.includes(type)) form.set(`${s.code}|#${op.reporting}`, 1);
      continue;
    }
    for (const t of op.terms) {
      const def = elementByCode.get(t.element);
      if (!def) throw new Error(`unknown element ${t.element}`);
      if (!def.types.includes(type)) continue;
      const grades = intersect(t.grades, dis?.grades);
      const sexes = intersect(t.sexes, dis?.sexes);
      for (const code of expandElement(def, type, { ...(grades ? { grades } : {}), ...(sexes ? { sexes } : {}) })) {
        form.set(`${s.code}|${code}`, (form.get(`${s.code}|${code}`) ?? 0) + 1);
      }
    }
  }
  return form;
}

/** The value of a form on the raw data (the test checks it equals the engine's number, so the form is the right one). */
export function evaluate(form: LinearForm, raw: ReadonlyMap<string, ReadonlyMap<string, number>>): number {
  let s = 0;
  for (const [v, k] of form) {
    const [school = '', code = ''] = v.split('|');
    // A flag counts its school once when reported; a code not reported adds nothing.
    s += k * (code.startsWith('#') ? (raw.get(school)?.has(code.slice(1)) ? 1 : 0) : (raw.get(school)?.get(code) ?? 0));
  }
  return s;
}

/** Numerator and denominator forms of a cell (null when a population figure). */
/** A cell as computed or as stored (its `level` a role or the unit's own level code: only the org unit's is read). */
type AnyCell = Omit<IndicatorCell, 'level'> & { readonly level: string };

export function cellForms(cell: AnyCell, defs: ReadonlyMap<string, IndicatorDef>, orgByCode: ReadonlyMap<string, EngineOrgUnit>, orgUnits: readonly EngineOrgUnit[]): { numerator: LinearForm | null; denominator: LinearForm | null } {
  const def = defs.get(cell.indicator);
  const org = orgByCode.get(cell.org_code);
  if (!def || def.kind !== 'ratio' || !org) return { numerator: null, denominator: null };
  const dis = def.disaggregations?.find((d) => d.key === cell.disaggregation);
  return { numerator: operandForm(def.numerator, dis, org, orgUnits), denominator: operandForm(def.denominator, dis, org, orgUnits) };
}

const gcd = (a: bigint, b: bigint): bigint => { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) [a, b] = [b, a % b]; return a; };

/**
 * For each target form: can it be written as a linear combination of the known forms?
 * Exact (BigInt, fraction-free elimination). Raw variables that appear in exactly the same
 * forms with the same coefficients are merged first (only their sum ever matters).
 */
export function recoverable(known: readonly LinearForm[], targets: readonly LinearForm[]): boolean[] {
  const all = [...known, ...targets];
  const columnOf = new Map<string, string>();
  all.forEach((f, i) => { for (const [v, k] of f) columnOf.set(v, `${columnOf.get(v) ?? ''}${i}:${k};`); });
  const ids = new Map<string, number>();
  const col = (v: string): number => {
    const sig = columnOf.get(v) ?? '';
    let id = ids.get(sig);
    if (id === undefined) ids.set(sig, (id = ids.size));
    return id;
  };
  const toRow = (f: LinearForm): Map<number, bigint> => {
    const row = new Map<number, bigint>();
    const done = new Set<number>();
    for (const [v, k] of f) {
      const c = col(v);
      // A merged column stands for the sum of its variables: count it once with their (equal) coefficient.
      if (done.has(c)) continue;
      done.add(c);
      row.set(c, BigInt(k));
    }
    return row;
  };
  const basis = new Map<number, Map<number, bigint>>();
  const minCol = (r: Map<number, bigint>): number => { let m = Infinity; for (const c of r.keys()) if (c < m) m = c; return m; };
  const reduce = (row: Map<number, bigint>): Map<number, bigint> => {
    for (;;) {
      if (row.size === 0) return row;
      const c = minCol(row);
      const b = basis.get(c);
      if (!b) return row;
      const a = row.get(c) as bigint;
      const p = b.get(c) as bigint;
      const next = new Map<number, bigint>();
      for (const [k, v] of row) next.set(k, v * p);
      for (const [k, v] of b) {
        const x = (next.get(k) ?? 0n) - v * a;
        if (x === 0n) next.delete(k); else next.set(k, x);
      }
      let g = 0n;
      for (const v of next.values()) g = gcd(g, v);
      if (g > 1n) for (const [k, v] of next) next.set(k, v / g);
      row = next;
    }
  };
  for (const f of known) {
    const r = reduce(toRow(f));
    if (r.size > 0) basis.set(minCol(r), r);
  }
  return targets.map((t) => t.size > 0 && reduce(toRow(t)).size === 0);
}

export interface AttackResult {
  /** Withheld cells whose numerator or denominator the attacker recovered. */
  readonly recovered: Array<{ readonly cell: AnyCell; readonly operand: 'numerator' | 'denominator' }>;
  readonly withheld: number;
  readonly published: number;
}

/**
 * Attack one year's public projection: `cells` with a `suppressed` flag. `extraTargets`:
 * further forms that must stay hidden (small remainders of unpublished schools).
 */
export function attack(cells: ReadonlyArray<AnyCell & { readonly suppressed: boolean }>, defs: readonly IndicatorDef[], orgUnits: readonly EngineOrgUnit[], raw: ReadonlyMap<string, ReadonlyMap<string, number>>,
  extraTargets: readonly LinearForm[] = []): AttackResult & { readonly extraRecovered: boolean[] } {
  const defByCode = new Map(defs.map((d) => [d.code, d]));
  const orgByCode = new Map(orgUnits.map((o) => [o.code, o]));
  const known: LinearForm[] = [];
  const targets: Array<{ cell: AnyCell; operand: 'numerator' | 'denominator'; form: LinearForm }> = [];
  let withheld = 0;
  for (const c of cells) {
    const f = cellForms(c, defByCode, orgByCode, orgUnits);
    for (const operand of ['numerator', 'denominator'] as const) {
      const form = f[operand];
      if (!form) continue;
      const v = c[operand];
      if (v !== null && Math.abs(evaluate(form, raw) - v) > 1e-6) throw new Error(`the attacker's form of ${c.indicator} ${c.org_code} ${c.disaggregation} ${operand} gives ${evaluate(form, raw)}, the engine ${v}`);
      if (c.suppressed) targets.push({ cell: c, operand, form });
      else if (v !== null) known.push(form);
    }
    if (c.suppressed) withheld++;
  }
  const r = recoverable(known, [...targets.map((t) => t.form), ...extraTargets]);
  return {
    recovered: targets.filter((_, i) => r[i]).map(({ cell, operand }) => ({ cell, operand })),
    extraRecovered: r.slice(targets.length),
    withheld, published: cells.length - withheld,
  };
}
