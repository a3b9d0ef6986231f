/**
 * The indicator engine (指标计算引擎), pure. Input: org units, per-school sums of
 * "atoms" (a data element restricted to grades/sexes, summed over its concrete codes),
 * reference values and assessment verdicts for ONE year. Output: one cell per
 * indicator × org unit × disaggregation.
 *
 * Aggregation rule: a ratio sums its numerator and its denominator over the schools of
 * a district (or the city) and divides once. It never averages school percentages —
 * an average would weight a 30-pupil school like a 3,000-pupil one.
 */
import { elementByCode, expandElement, type Grade, type Sex } from '../elements/catalogue.ts';
import { schoolTypes, stagesByType, type SchoolType } from '../org/types.ts';
import { scopeOptionsOf } from './definitions.ts';
import type { CellInputs, Disaggregation, ElementTerm, IndicatorCell, IndicatorDef, Operand, OrgFilter, RatioIndicator } from './types.ts';

export interface EngineOrgUnit {
  readonly code: string;
  /** The org unit's level code; the engine needs only which unit is the root and which report (see evaluateIndicators). */
  readonly level: string;
  readonly parent_code: string | null;
  readonly school_type: string | null;
  readonly ownership: 'public' | 'private' | null;
  readonly inclusive: boolean | null;
  readonly urban_rural: 'urban' | 'town' | 'rural' | null;
}

export interface ReferenceInput {
  readonly value: number;
  readonly source: string;
}

/** Verdicts of the 优质均衡 assessment for a year: districts passing, of how many. */
export interface BalancedInput {
  readonly passing: number;
  readonly total: number;
}

/** Atoms: every (element, grades, sexes) sum the indicators need, with the concrete codes it adds up. Ids are 0..n−1. */
export interface AtomTable {
  readonly atoms: ReadonlyArray<{ readonly id: number; readonly key: string; readonly codes: readonly string[] }>;
  idOf(term: ElementTerm, dis?: Disaggregation): number;
}

const intersect = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined => {
  if (!a) return b;
  if (!b) return a;
  return a.filter((x) => b.includes(x));
};

function restrict(term: ElementTerm, dis: Disaggregation | undefined): { element: string; grades: readonly Grade[] | undefined; sexes: readonly Sex[] | undefined } {
  return { element: term.element, grades: intersect(term.grades, dis?.grades), sexes: intersect(term.sexes, dis?.sexes) };
}

const atomKey = (t: { element: string; grades: readonly Grade[] | undefined; sexes: readonly Sex[] | undefined }): string =>
  `${t.element}|${t.grades?.join(',') ?? '*'}|${t.sexes?.join(',') ?? '*'}`;

/** Concrete element codes of a (restricted) term: the union over school types of `expandElement`. */
export function termCodes(term: ElementTerm, dis?: Disaggregation): string[] {
  const r = restrict(term, dis);
  const def = elementByCode.get(r.element);
  if (!def) throw new RangeError(`indicator term uses an element not in the catalogue: ${r.element}`);
  const out = new Set<string>();
  for (const type of schoolTypes) {
    if (def.dims === 'grade_sex' && !def.types.includes(type)) continue;
    for (const c of expandElement(def, type, { ...(r.grades ? { grades: r.grades } : {}), ...(r.sexes ? { sexes: r.sexes } : {}) })) out.add(c);
  }
  return [...out];
}

function operandTerms(op: Operand): readonly ElementTerm[] {
  if (op.kind === 'sum') return op.terms;
  if (op.kind === 'count_schools') return [{ element: op.reporting }];
  return [];
}

/** Compile the atoms every definition (and disaggregation) needs. */
export function compileAtoms(defs: readonly IndicatorDef[]): AtomTable {
  const byKey = new Map<string, { id: number; key: string; codes: string[] }>();
  const add = (term: ElementTerm, dis?: Disaggregation): void => {
    const key = atomKey(restrict(term, dis));
    if (!byKey.has(key)) byKey.set(key, { id: byKey.size, key, codes: termCodes(term, dis) });
  };
  for (const d of defs) {
    if (d.kind !== 'ratio') continue;
    for (const dis of [undefined, ...(d.disaggregations ?? [])]) {
      for (const t of [...operandTerms(d.numerator), ...operandTerms(d.denominator)]) add(t, dis);
    }
    for (const b of d.beside ?? []) for (const t of b.operand.terms) add(t);
  }
  return {
    atoms: [...byKey.values()],
    idOf(term, dis) {
      const a = byKey.get(atomKey(restrict(term, dis)));
      if (!a) throw new RangeError(`atom not compiled: ${atomKey(restrict(term, dis))}`);
      return a.id;
    },
  };
}

export function matchesFilter(o: EngineOrgUnit, f: OrgFilter): boolean {
  const type = o.school_type as SchoolType | null;
  if (f.types && (type === null || !f.types.includes(type))) return false;
  if (f.ownership && o.ownership !== f.ownership) return false;
  if (f.inclusive !== undefined && o.inclusive !== f.inclusive) return false;
  if (f.urban_rural && (o.urban_rural === null || !f.urban_rural.includes(o.urban_rural))) return false;
  if (f.stages) {
    const served = type ? (stagesByType[type] ?? []) : [];
    if (!f.stages.some((s) => served.includes(s))) return false;
  }
  return true;
}

const matchesAny = (o: EngineOrgUnit, filters: readonly OrgFilter[]): boolean => filters.length === 0 || filters.some((f) => matchesFilter(o, f));

/** Whether a school belongs to a disaggregation's part (its school filters; grades and sexes restrict the terms instead). */
export function inPart(o: EngineOrgUnit, dis: Disaggregation | undefined): boolean {
  if (!dis) return true;
  if (dis.schools && !matchesAny(o, dis.schools)) return false;
  if (dis.exceptSchools && dis.exceptSchools.some((f) => matchesFilter(o, f))) return false;
  return true;
}

export interface EngineInput {
  readonly defs: readonly IndicatorDef[];
  readonly year: number;
  readonly cityCode: string;
  readonly orgUnits: readonly EngineOrgUnit[];
  readonly atoms: AtomTable;
  /** school code → summed value per atom id (index), for this year; NaN = not reported. */
  readonly schoolValues: ReadonlyMap<string, Float64Array>;
  /** `${org_code}|${reference code}` → value and source, for this year. */
  readonly references: ReadonlyMap<string, ReferenceInput>;
  /** null = the assessment module has no verdicts (the indicator then has no data). */
  readonly balanced: BalancedInput | null;
}

/** `beside`: sums of the figures shown beside the ratio (RatioIndicator.beside), by position; NaN until one is reported. */
interface Acc { num: number; den: number; numPresent: boolean; denPresent: boolean; schools: number; beside: number[] }
const newAcc = (besides: number): Acc => ({ num: 0, den: 0, numPresent: false, denPresent: false, schools: 0, beside: new Array<number>(besides).fill(NaN) });
/**
 * A school's contribution. It counts as a school "counted" when it feeds either side: for a
 * ratio over a population (毛入园率) the denominator is a reference value, and the schools
 * are those behind the numerator (issue 12 §4).
 */
function add(a: Acc, n: number | undefined, d: number | undefined): void {
  if (n !== undefined) { a.num += n; a.numPresent = true; }
  if (d !== undefined) { a.den += d; a.denPresent = true; }
  a.schools += 1;
}

/** An operand compiled against the atom table: per-school value, or undefined when not reported. */
type SchoolOperand = (o: EngineOrgUnit, vals: Float64Array) => number | undefined;

function compileSchoolOperand(op: Operand, atoms: AtomTable, dis: Disaggregation | undefined): SchoolOperand | null {
  if (op.kind === 'reference') return null;
  if (op.kind === 'count_schools') {
    const id = atoms.idOf({ element: op.reporting }, dis);
    return (o, vals) => (!Number.isNaN(vals[id] ?? NaN) && matchesAny(o, op.schools) && inPart(o, dis) ? 1 : undefined);
  }
  const ids = op.terms.map((t) => atoms.idOf(t, dis));
  return (o, vals) => {
    if (!matchesAny(o, op.schools) || !inPart(o, dis)) return undefined;
    let sum = 0;
    let present = false;
    for (const id of ids) {
      const v = vals[id] ?? NaN;
      if (!Number.isNaN(v)) { sum += v; present = true; }
    }
    return present ? sum : undefined;
  };
}

/**
 * The org tree as the engine sees it, at any depth. Roles (the `levels` of a definition):
 * `city` = the root (`cityCode`), `district` = every aggregate unit below the root, at any
 * depth (Tianjin: its 16 districts; a province: its cities and their counties), `school` =
 * the reporting units (level code `school`). A cell carries the unit's own level code.
 */
interface Tree {
  /** Aggregate units below the root, in input order (Tianjin: the districts). */
  readonly aggregates: readonly EngineOrgUnit[];
  readonly schools: readonly EngineOrgUnit[];
  /** Per school (by index): its aggregate ancestors below the root, nearest first, as indexes into `aggregates`. */
  readonly ancestors: ReadonlyArray<readonly number[]>;
  /** Per aggregate (by code), and for the root: its aggregate children. */
  readonly children: ReadonlyMap<string, readonly EngineOrgUnit[]>;
}

function treeOf(input: EngineInput): Tree {
  const schools = input.orgUnits.filter((o) => o.level === 'school');
  const aggregates = input.orgUnits.filter((o) => o.level !== 'school' && o.code !== input.cityCode);
  const index = new Map(aggregates.map((a, i) => [a.code, i]));
  const parentOf = new Map(input.orgUnits.map((o) => [o.code, o.parent_code]));
  const children = new Map<string, EngineOrgUnit[]>();
  for (const a of aggregates) {
    if (a.parent_code === null) continue;
    const list = children.get(a.parent_code);
    if (list) list.push(a);
    else children.set(a.parent_code, [a]);
  }
  const ancestors = schools.map((s) => {
    const out: number[] = [];
    const seen = new Set<string>();
    for (let p = s.parent_code; p !== null && p !== undefined && p !== input.cityCode && !seen.has(p); p = parentOf.get(p) ?? null) {
      seen.add(p);
      const i = index.get(p);
      if (i !== undefined) out.push(i);
    }
    return out;
  });
  return { aggregates, schools, ancestors, children };
}

/** Evaluate every definition for one year. */
export function evaluateIndicators(input: EngineInput): IndicatorCell[] {
  const cells: IndicatorCell[] = [];
  const tree = treeOf(input);
  const { aggregates, schools } = tree;
  const root = input.orgUnits.find((o) => o.code === input.cityCode);
  const rootLevel = root?.level ?? 'city';
  // Looked up once, not once per indicator and disaggregation (~60 passes over ~3,800 schools).
  const schoolVals = schools.map((s) => input.schoolValues.get(s.code));
  for (const def of input.defs) {
    if (def.kind === 'ratio') {
      for (const dis of [undefined, ...(def.disaggregations ?? [])]) evaluateRatio(def, dis, input, tree, rootLevel, schoolVals, cells);
    } else if (def.kind === 'reference') {
      for (const unit of [...aggregates, null]) {
        const org = unit?.code ?? input.cityCode;
        if (!def.levels.includes(unit ? 'district' : 'city')) continue;
        const derived = def.derived !== undefined ? input.references.get(`${org}|${def.derived}`) : undefined;
        const code = derived ? (def.derived as string) : def.reference;
        const ref = derived ?? input.references.get(`${org}|${def.reference}`);
        if (!ref) continue;
        cells.push({
          indicator: def.code, org_code: org, level: unit?.level ?? rootLevel, year: input.year, disaggregation: '',
          numerator: null, denominator: null, value: ref.value, basis: null,
          inputs: { reference: { code, value: ref.value, source: ref.source, org_code: org } },
        });
      }
    } else {
      // 优质均衡区比例: city only; districts passing ÷ districts assessed-for (16).
      const b = input.balanced;
      cells.push({
        indicator: def.code, org_code: input.cityCode, level: rootLevel, year: input.year, disaggregation: '',
        numerator: b ? b.passing : null, denominator: b ? b.total : null,
        value: b && b.total > 0 ? (b.passing / b.total) * 100 : null, basis: null,
        inputs: b ? { districts: { passing: b.passing, total: b.total } } : { note: 'no_assessment_verdicts' },
      });
    }
  }
  return cells;
}

/**
 * A reference denominator (population) for an aggregate unit or the root. A unit uses its own
 * value; when it has none but every aggregate child has one, the children's sum (they
 * partition it: Tianjin's 16 districts the city; a province's cities the province).
 */
function referenceFor(code: string, org: string, input: EngineInput, tree: Tree, seen: Set<string> = new Set()): { value: number; source: string; org_code: string } | null {
  const own = input.references.get(`${org}|${code}`);
  if (own) return { ...own, org_code: org };
  const children = tree.children.get(org) ?? [];
  if (children.length === 0 || seen.has(org)) return null;
  seen.add(org);
  let sum = 0;
  for (const c of children) {
    const r = referenceFor(code, c.code, input, tree, seen);
    if (!r) return null;
    sum += r.value;
  }
  return { value: sum, source: children.every((c) => c.level === 'district') ? 'Σ districts / 各区合计' : 'Σ sub-units / 下级单位合计', org_code: org };
}

function evaluateRatio(def: RatioIndicator, dis: Disaggregation | undefined, input: EngineInput, tree: Tree, rootLevel: string,
  schoolVals: ReadonlyArray<Float64Array | undefined>, out: IndicatorCell[]): void {
  const { aggregates, schools, ancestors } = tree;
  const numOp = compileSchoolOperand(def.numerator, input.atoms, dis);
  const denOp = compileSchoolOperand(def.denominator, input.atoms, dis);
  // Figures shown beside the ratio: totals only (a disaggregated cell has none).
  const besideDefs = dis === undefined ? (def.beside ?? []) : [];
  const besideOps = besideDefs.map((b) => compileSchoolOperand(b.operand, input.atoms, undefined)).filter((op): op is SchoolOperand => op !== null);
  const scope = scopeOptionsOf(def);
  const disKey = dis?.key ?? '';
  // Per aggregate (by index into tree.aggregates), created when a school first adds to it.
  const byAggregate: Array<Acc | undefined> = new Array<Acc | undefined>(aggregates.length);
  const city = newAcc(besideOps.length);
  const addBeside = (a: Acc, s: EngineOrgUnit, vals: Float64Array): void => {
    for (let k = 0; k < besideOps.length; k++) {
      const v = (besideOps[k] as SchoolOperand)(s, vals);
      if (v !== undefined) a.beside[k] = Number.isNaN(a.beside[k] ?? NaN) ? v : (a.beside[k] as number) + v;
    }
  };
  const besideInputs = (a: Acc): CellInputs['beside'] => {
    const entries = besideDefs.flatMap((b, k) => (Number.isNaN(a.beside[k] ?? NaN) ? [] : [[b.key, a.beside[k] as number] as const]));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  // Schools publish totals only: a school's sex/stage split is too small to publish and too many cells to store.
  const wantSchools = def.levels.includes('school') && denOp !== null && dis === undefined;
  for (let i = 0; i < schools.length; i++) {
    const s = schools[i];
    const vals = schoolVals[i];
    if (!s || !vals) continue;
    const n = numOp ? numOp(s, vals) : undefined;
    const d = denOp ? denOp(s, vals) : undefined;
    if (n === undefined && d === undefined) continue;
    // The root (every school, as before any tree: a school outside it still counts for the city), then each aggregate above the school.
    add(city, n, d);
    if (besideOps.length > 0) addBeside(city, s, vals);
    for (const k of ancestors[i] ?? []) {
      let a = byAggregate[k];
      if (!a) byAggregate[k] = a = newAcc(besideOps.length);
      add(a, n, d);
      if (besideOps.length > 0) addBeside(a, s, vals);
    }
    if (wantSchools && d !== undefined) {
      let inputs: CellInputs = { schools: 1 };
      if (besideOps.length > 0) {
        const own = newAcc(besideOps.length);
        addBeside(own, s, vals);
        const b = besideInputs(own);
        if (b) inputs = { ...inputs, beside: b };
      }
      if (scope) inputs = { ...inputs, scope };
      out.push(ratioCell(def, disKey, s.code, s.level, input.year, n ?? 0, d, inputs));
    }
  }
  const levels: Array<[string, 'district' | 'city', string, Acc]> = [
    ...aggregates.map((a, k): [string, 'district', string, Acc] => [a.code, 'district', a.level, byAggregate[k] ?? newAcc(besideOps.length)]),
    [input.cityCode, 'city', rootLevel, city],
  ];
  for (const [org, role, level, acc] of levels) {
    if (!def.levels.includes(role)) continue;
    // A school-based denominator with no school reporting it: no cell (no data, not 0 %).
    if (denOp && !acc.denPresent) continue;
    // A part of a breakdown over a population (毛入园率 by provider) that no school adds to: no cell either.
    if (dis !== undefined && numOp && !acc.numPresent && denOp === null) continue;
    let num: number | null = acc.numPresent || denOp ? acc.num : null;
    let den: number | null = acc.denPresent ? acc.den : null;
    const inputs: { schools?: number; reference?: CellInputs['reference']; beside?: CellInputs['beside']; scope?: CellInputs['scope'] } = { schools: acc.schools };
    if (def.numerator.kind === 'reference') {
      const r = referenceFor(def.numerator.code, org, input, tree);
      num = r ? r.value : null;
      if (r) inputs.reference = { code: def.numerator.code, ...r };
    }
    if (def.denominator.kind === 'reference') {
      const r = referenceFor(def.denominator.code, org, input, tree);
      den = r ? r.value : null;
      if (r) inputs.reference = { code: def.denominator.code, ...r };
      if (!acc.numPresent && def.numerator.kind !== 'reference') num = null;
    }
    // Both operands are reference values (高等教育毛入学率): no school feeds it.
    if (numOp === null && denOp === null) delete inputs.schools;
    const beside = besideInputs(acc);
    if (beside) inputs.beside = beside;
    if (scope) inputs.scope = scope;
    if (num === null && den === null) continue;
    out.push(ratioCell(def, disKey, org, level, input.year, num, den, inputs));
  }
}

function ratioCell(def: RatioIndicator, dis: string, org: string, level: string, year: number, num: number | null, den: number | null, inputs: CellInputs): IndicatorCell {
  const value = num !== null && den !== null && den > 0 ? (num / den) * def.scale : null;
  const basisOperand = def.disclosure.operand === 'numerator' ? num : den;
  return {
    indicator: def.code, org_code: org, level, year, disaggregation: dis,
    numerator: num, denominator: den, value,
    basis: def.disclosure.unit === 'none' ? null : basisOperand,
    inputs,
  };
}
