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
import type { BesideFigure, CellInputs, Disaggregation, ElementTerm, IndicatorCell, IndicatorDef, Operand, OrgFilter, RatioIndicator } from './types.ts';

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

/** What changes year by year; the rest (definitions, atoms, org tree) is compiled once into an `EnginePlan`. */
export type YearInput = Pick<EngineInput, 'year' | 'schoolValues' | 'references' | 'balanced'>;

/**
 * An operand compiled against the atom table and the org tree: which schools it takes
 * (`takes[i]`: the school matches the operand's filters and the disaggregation's part —
 * org attributes only, so worked out once per tree) and which atoms it adds up.
 */
interface CompiledOperand {
  /** `count`: a school counts 1 when it reports `ids[0]` (count_schools). */
  readonly kind: 'sum' | 'count';
  readonly ids: Int32Array;
  readonly takes: Uint8Array;
}

/** One ratio definition under one disaggregation (or its total): one pass over the schools. */
interface RatioPass {
  readonly def: RatioIndicator;
  readonly dis: Disaggregation | undefined;
  readonly disKey: string;
  /** null: a reference operand (a population figure, not a sum over schools). */
  readonly num: CompiledOperand | null;
  readonly den: CompiledOperand | null;
  /** Figures shown beside the ratio: totals only (a disaggregated cell has none). */
  readonly besideDefs: readonly BesideFigure[];
  readonly beside: readonly CompiledOperand[];
  readonly scope: Readonly<Record<string, string>> | undefined;
  /** Schools publish totals only: a school's sex/stage split is too small to publish and too many cells to store. */
  readonly wantSchools: boolean;
}

type Step = { readonly kind: 'ratio'; readonly passes: readonly RatioPass[] } | { readonly kind: 'other'; readonly def: IndicatorDef };

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
  /** Per school i: its aggregate ancestors below the root, nearest first, as indexes into `aggregates` — `ancestorOf[ancestorStart[i] … ancestorStart[i + 1]]`. */
  readonly ancestorStart: Int32Array;
  readonly ancestorOf: Int32Array;
  /** Per aggregate (by code), and for the root: its aggregate children. */
  readonly children: ReadonlyMap<string, readonly EngineOrgUnit[]>;
}

/**
 * Definitions, atoms and org tree compiled for evaluation: what every year shares. A
 * service keeps one while the org units are unchanged, so a recompute after one school's
 * change does not redo it (issue 19).
 */
export interface EnginePlan {
  readonly defs: readonly IndicatorDef[];
  readonly cityCode: string;
  readonly rootLevel: string;
  readonly tree: Tree;
  readonly steps: readonly Step[];
  /** School code → index into tree.schools. */
  readonly schoolIndex: ReadonlyMap<string, number>;
}

function treeOf(orgUnits: readonly EngineOrgUnit[], cityCode: string): Tree {
  const schools = orgUnits.filter((o) => o.level === 'school');
  const aggregates = orgUnits.filter((o) => o.level !== 'school' && o.code !== cityCode);
  const index = new Map(aggregates.map((a, i) => [a.code, i]));
  const parentOf = new Map(orgUnits.map((o) => [o.code, o.parent_code]));
  const children = new Map<string, EngineOrgUnit[]>();
  for (const a of aggregates) {
    if (a.parent_code === null) continue;
    const list = children.get(a.parent_code);
    if (list) list.push(a);
    else children.set(a.parent_code, [a]);
  }
  const ancestorStart = new Int32Array(schools.length + 1);
  const flat: number[] = [];
  schools.forEach((s, i) => {
    const seen = new Set<string>();
    for (let p = s.parent_code; p !== null && p !== undefined && p !== cityCode && !seen.has(p); p = parentOf.get(p) ?? null) {
      seen.add(p);
      const k = index.get(p);
      if (k !== undefined) flat.push(k);
    }
    ancestorStart[i + 1] = flat.length;
  });
  return { aggregates, schools, ancestorStart, ancestorOf: Int32Array.from(flat), children };
}

function compileOperand(op: Operand, atoms: AtomTable, dis: Disaggregation | undefined, schools: readonly EngineOrgUnit[]): CompiledOperand | null {
  if (op.kind === 'reference') return null;
  const takes = Uint8Array.from(schools, (s) => (matchesAny(s, op.schools) && inPart(s, dis) ? 1 : 0));
  if (op.kind === 'count_schools') return { kind: 'count', ids: Int32Array.of(atoms.idOf({ element: op.reporting }, dis)), takes };
  return { kind: 'sum', ids: Int32Array.from(op.terms, (t) => atoms.idOf(t, dis)), takes };
}

/** Compile the definitions against the atoms and the org tree (roles, see `Tree`). */
export function compileEngine(defs: readonly IndicatorDef[], atoms: AtomTable, orgUnits: readonly EngineOrgUnit[], cityCode: string): EnginePlan {
  const tree = treeOf(orgUnits, cityCode);
  const steps = defs.map((def): Step => {
    if (def.kind !== 'ratio') return { kind: 'other', def };
    const passes = [undefined, ...(def.disaggregations ?? [])].map((dis): RatioPass => {
      const num = compileOperand(def.numerator, atoms, dis, tree.schools);
      const den = compileOperand(def.denominator, atoms, dis, tree.schools);
      const besideDefs = dis === undefined ? (def.beside ?? []) : [];
      const beside = besideDefs.map((b) => compileOperand(b.operand, atoms, undefined, tree.schools)).filter((op): op is CompiledOperand => op !== null);
      return { def, dis, disKey: dis?.key ?? '', num, den, besideDefs, beside, scope: scopeOptionsOf(def), wantSchools: def.levels.includes('school') && den !== null && dis === undefined };
    });
    return { kind: 'ratio', passes };
  });
  return { defs, cityCode, rootLevel: orgUnits.find((o) => o.code === cityCode)?.level ?? 'city', tree, steps, schoolIndex: new Map(tree.schools.map((s, i) => [s.code, i])) };
}

/** Evaluate every definition for one year. */
export function evaluateIndicators(input: EngineInput): IndicatorCell[] {
  return evaluateYear(compileEngine(input.defs, input.atoms, input.orgUnits, input.cityCode), input);
}

/** Evaluate every definition of a compiled plan for one year, cells in definition order. */
export function evaluateYear(plan: EnginePlan, input: YearInput): IndicatorCell[] {
  return yearCells(startYear(plan, input), input);
}

/**
 * One year's evaluation: every pass's sums per unit and its school cells. A service keeps
 * it with the year's inputs, and after a change at a few schools `updateYear` brings it up
 * to date in time proportional to those schools, not to the year (issue 19: one school's
 * approval reflected in well under a second at any scale). Owned by its holder: `updateYear`
 * changes it in place.
 */
export interface YearState {
  readonly plan: EnginePlan;
  readonly year: number;
  /** One per ratio pass, in plan order. */
  readonly ratios: readonly RatioSums[];
}

/** Sum every school of the year, in school order. */
export function startYear(plan: EnginePlan, input: Pick<YearInput, 'year' | 'schoolValues'>): YearState {
  const { schools } = plan.tree;
  const ratios = plan.steps.flatMap((step) => (step.kind === 'ratio' ? step.passes.map((pass) => new RatioSums(pass, plan.tree, input.year)) : []));
  // School by school, every pass at once: a school's values are read from memory once, not
  // once per pass (~55 passes; at 10× Tianjin the passes over 38,000 scattered arrays were
  // bound by memory reads). Sums still run in school order per unit.
  for (let i = 0; i < schools.length; i++) {
    const vals = input.schoolValues.get((schools[i] as EngineOrgUnit).code);
    if (vals) for (const r of ratios) r.add(i, vals, 1);
  }
  return { plan, year: input.year, ratios };
}

/** A school whose values changed: what the state was summed with, and what `schoolValues` now holds (undefined: nothing reported). */
export interface SchoolChange {
  readonly code: string;
  readonly before: Float64Array | undefined;
}

/**
 * Bring a year's state up to date after changes at some schools; `schoolValues` holds the
 * values after the changes. A pass whose sums are exact integers (counts: almost all) takes
 * the difference — integer sums are the same in any order, so the result is the one a full
 * evaluation gives; a pass with a fractional value (m² of sports ground) is summed again in
 * school order, as a full evaluation would, since floating-point sums depend on their order.
 * Codes that are not schools of the plan (an aggregate unit's own mark) change nothing.
 */
export function updateYear(state: YearState, schoolValues: YearInput['schoolValues'], changes: readonly SchoolChange[]): void {
  const index = state.plan.schoolIndex;
  const known = changes.flatMap((c) => { const i = index.get(c.code); return i === undefined ? [] : [{ i, before: c.before, after: schoolValues.get(c.code) }]; });
  if (known.length === 0) return;
  for (const r of state.ratios) {
    for (const c of known) {
      if (c.before) r.add(c.i, c.before, -1);
      if (c.after) r.add(c.i, c.after, 1);
    }
    if (!r.exact) r.resum(schoolValues);
  }
}

/** The year's cells from its state, in definition order (as `evaluateYear`). */
export function yearCells(state: YearState, input: Pick<YearInput, 'references' | 'balanced'>): IndicatorCell[] {
  const { plan } = state;
  const cells: IndicatorCell[] = [];
  const { aggregates } = plan.tree;
  let next = 0;
  for (const step of plan.steps) {
    if (step.kind === 'ratio') {
      for (let k = 0; k < step.passes.length; k++) (state.ratios[next++] as RatioSums).emit(plan, input.references, cells);
      continue;
    }
    const def = step.def;
    if (def.kind === 'reference') {
      for (const unit of [...aggregates, null]) {
        const org = unit?.code ?? plan.cityCode;
        if (!def.levels.includes(unit ? 'district' : 'city')) continue;
        const derived = def.derived !== undefined ? input.references.get(`${org}|${def.derived}`) : undefined;
        const code = derived ? (def.derived as string) : def.reference;
        const ref = derived ?? input.references.get(`${org}|${def.reference}`);
        if (!ref) continue;
        cells.push({
          indicator: def.code, org_code: org, level: unit?.level ?? plan.rootLevel, year: state.year, disaggregation: '',
          numerator: null, denominator: null, value: ref.value, basis: null,
          inputs: { reference: { code, value: ref.value, source: ref.source, org_code: org } },
        });
      }
    } else {
      // 优质均衡区比例: city only; districts passing ÷ districts assessed-for (16).
      const b = input.balanced;
      cells.push({
        indicator: def.code, org_code: plan.cityCode, level: plan.rootLevel, year: state.year, disaggregation: '',
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
function referenceFor(code: string, org: string, references: YearInput['references'], tree: Tree, seen: Set<string> = new Set()): { value: number; source: string; org_code: string } | null {
  const own = references.get(`${org}|${code}`);
  if (own) return { ...own, org_code: org };
  const children = tree.children.get(org) ?? [];
  if (children.length === 0 || seen.has(org)) return null;
  seen.add(org);
  let sum = 0;
  for (const c of children) {
    const r = referenceFor(code, c.code, references, tree, seen);
    if (!r) return null;
    sum += r.value;
  }
  return { value: sum, source: children.every((c) => c.level === 'district') ? 'Σ districts / 各区合计' : 'Σ sub-units / 下级单位合计', org_code: org };
}

/** A school's value for an operand, or NaN when it adds nothing (not taken, or nothing reported). */
function operandValue(op: CompiledOperand, i: number, vals: Float64Array): number {
  if (op.takes[i] !== 1) return NaN;
  if (op.kind === 'count') return Number.isNaN(vals[op.ids[0] as number] as number) ? NaN : 1;
  let sum = 0;
  let present = false;
  for (let k = 0; k < op.ids.length; k++) {
    const v = vals[op.ids[k] as number] as number;
    if (!Number.isNaN(v)) { sum += v; present = true; }
  }
  return present ? sum : NaN;
}

/** Integers up to 2^53 add exactly in a double, in any order. */
const EXACT_LIMIT = 2 ** 53;

/** One pass's sums per unit, fed school by school (and taken back, for a change); then its cells. */
class RatioSums {
  private readonly pass: RatioPass;
  private readonly tree: Tree;
  private readonly year: number;
  /** Per unit: slot k < aggregates.length is aggregate k, the last slot the root. */
  private readonly rootSlot: number;
  private readonly num: Float64Array;
  private readonly den: Float64Array;
  /** How many schools add to each side (a side no school adds to has no value). */
  private readonly numCount: Float64Array;
  private readonly denCount: Float64Array;
  /**
   * Schools counted: a school counts when it feeds either side — for a ratio over a
   * population (毛入园率) the denominator is a reference value, and the schools are those
   * behind the numerator (issue 12 §4).
   */
  private readonly schools: Float64Array;
  /** Beside figures by slot × figure, and how many schools report each. */
  private readonly beside: Float64Array;
  private readonly besideCount: Float64Array;
  private readonly own: Float64Array;
  /** The school cells in school order, and the school index of each. */
  private schoolCells: IndicatorCell[] = [];
  private cellSchool: number[] = [];
  /** A school cell's inputs when no beside figure is shown: the same for every school of the pass, so one shared object (cells are never mutated). */
  private readonly plainSchoolInputs: CellInputs;
  /** Σ |value| over everything ever added, bounding every partial sum. */
  private magnitude = 0;
  /** Every value added so far is an integer and no sum can exceed 2^53: the sums do not depend on the order of the schools. */
  exact = true;

  constructor(pass: RatioPass, tree: Tree, year: number) {
    this.pass = pass;
    this.tree = tree;
    this.year = year;
    const slots = tree.aggregates.length + 1;
    this.rootSlot = tree.aggregates.length;
    this.num = new Float64Array(slots);
    this.den = new Float64Array(slots);
    this.numCount = new Float64Array(slots);
    this.denCount = new Float64Array(slots);
    this.schools = new Float64Array(slots);
    this.beside = new Float64Array(slots * pass.beside.length);
    this.besideCount = new Float64Array(slots * pass.beside.length);
    this.own = new Float64Array(pass.beside.length);
    this.plainSchoolInputs = pass.scope ? { schools: 1, scope: pass.scope } : { schools: 1 };
  }

  /** Add (sign 1) or take back (sign −1) school `i` (index into tree.schools) with these values. */
  add(i: number, vals: Float64Array, sign: 1 | -1): void {
    const { num: numOp, den: denOp, beside: besideOps } = this.pass;
    const n = numOp ? operandValue(numOp, i, vals) : NaN;
    const d = denOp ? operandValue(denOp, i, vals) : NaN;
    const hasN = !Number.isNaN(n);
    const hasD = !Number.isNaN(d);
    if (!hasN && !hasD) {
      if (sign === -1) this.setSchoolCell(i, undefined);
      return;
    }
    const nb = besideOps.length;
    let magnitude = (hasN ? Math.abs(n) : 0) + (hasD ? Math.abs(d) : 0);
    let integers = (!hasN || Number.isInteger(n)) && (!hasD || Number.isInteger(d));
    for (let b = 0; b < nb; b++) {
      const v = operandValue(besideOps[b] as CompiledOperand, i, vals);
      this.own[b] = v;
      if (!Number.isNaN(v)) { magnitude += Math.abs(v); integers &&= Number.isInteger(v); }
    }
    this.magnitude += magnitude;
    if (!integers || this.magnitude > EXACT_LIMIT) this.exact = false;
    // The root (every school, as before any tree: a school outside it still counts for the city), then each aggregate above the school.
    const first = this.tree.ancestorStart[i] as number;
    const last = this.tree.ancestorStart[i + 1] as number;
    for (let k = first - 1; k < last; k++) {
      const slot = k < first ? this.rootSlot : (this.tree.ancestorOf[k] as number);
      if (hasN) { this.num[slot] = (this.num[slot] as number) + sign * n; this.numCount[slot] = (this.numCount[slot] as number) + sign; }
      if (hasD) { this.den[slot] = (this.den[slot] as number) + sign * d; this.denCount[slot] = (this.denCount[slot] as number) + sign; }
      this.schools[slot] = (this.schools[slot] as number) + sign;
      for (let b = 0; b < nb; b++) {
        const v = this.own[b] as number;
        if (Number.isNaN(v)) continue;
        this.beside[slot * nb + b] = (this.beside[slot * nb + b] as number) + sign * v;
        this.besideCount[slot * nb + b] = (this.besideCount[slot * nb + b] as number) + sign;
      }
    }
    if (sign === -1) { this.setSchoolCell(i, undefined); return; }
    if (!this.pass.wantSchools || !hasD) return;
    const s = this.tree.schools[i] as EngineOrgUnit;
    let inputs = this.plainSchoolInputs;
    const beside = besideInputs(this.pass.besideDefs, this.own, 0);
    if (beside) inputs = this.pass.scope ? { schools: 1, beside, scope: this.pass.scope } : { schools: 1, beside };
    const cell = ratioCell(this.pass.def, this.pass.disKey, s.code, s.level, this.year, hasN ? n : 0, d, inputs);
    // Schools come in order when a year is first summed: append; a changed school takes its place.
    if (this.cellSchool.length === 0 || (this.cellSchool[this.cellSchool.length - 1] as number) < i) { this.schoolCells.push(cell); this.cellSchool.push(i); }
    else this.setSchoolCell(i, cell);
  }

  /** Put school i's cell in its place in school order (undefined: remove it). */
  private setSchoolCell(i: number, cell: IndicatorCell | undefined): void {
    let lo = 0;
    let hi = this.cellSchool.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cellSchool[mid] as number) < i) lo = mid + 1; else hi = mid;
    }
    const found = this.cellSchool[lo] === i;
    if (cell && found) this.schoolCells[lo] = cell;
    else if (cell) { this.schoolCells.splice(lo, 0, cell); this.cellSchool.splice(lo, 0, i); }
    else if (found) { this.schoolCells.splice(lo, 1); this.cellSchool.splice(lo, 1); }
  }

  /** Sum every school again, in school order (a pass with fractional values, after a change). */
  resum(schoolValues: YearInput['schoolValues']): void {
    for (const a of [this.num, this.den, this.numCount, this.denCount, this.schools, this.beside, this.besideCount]) a.fill(0);
    this.schoolCells = [];
    this.cellSchool = [];
    this.magnitude = 0;
    this.exact = true;
    this.tree.schools.forEach((s, i) => {
      const vals = schoolValues.get(s.code);
      if (vals) this.add(i, vals, 1);
    });
  }

  /** The pass's cells: its school cells, then each aggregate's, then the root's. */
  emit(plan: EnginePlan, references: YearInput['references'], out: IndicatorCell[]): void {
    const { def, num: numOp, den: denOp, besideDefs, scope, disKey } = this.pass;
    const { aggregates } = plan.tree;
    const nb = this.pass.beside.length;
    for (const c of this.schoolCells) out.push(c);
    for (let slot = 0; slot <= this.rootSlot; slot++) {
      const unit = slot === this.rootSlot ? null : (aggregates[slot] as EngineOrgUnit);
      if (!def.levels.includes(unit ? 'district' : 'city')) continue;
      const org = unit?.code ?? plan.cityCode;
      const numPresent = (this.numCount[slot] as number) > 0;
      const denPresent = (this.denCount[slot] as number) > 0;
      // A school-based denominator with no school reporting it: no cell (no data, not 0 %).
      if (denOp && !denPresent) continue;
      // A part of a breakdown over a population (毛入园率 by provider) that no school adds to: no cell either.
      if (this.pass.dis !== undefined && numOp && !numPresent && denOp === null) continue;
      let num: number | null = numPresent || denOp ? (this.num[slot] as number) : null;
      let den: number | null = denPresent ? (this.den[slot] as number) : null;
      const inputs: { schools?: number; reference?: CellInputs['reference']; beside?: CellInputs['beside']; scope?: CellInputs['scope'] } = { schools: this.schools[slot] as number };
      if (def.numerator.kind === 'reference') {
        const r = referenceFor(def.numerator.code, org, references, plan.tree);
        num = r ? r.value : null;
        if (r) inputs.reference = { code: def.numerator.code, ...r };
      }
      if (def.denominator.kind === 'reference') {
        const r = referenceFor(def.denominator.code, org, references, plan.tree);
        den = r ? r.value : null;
        if (r) inputs.reference = { code: def.denominator.code, ...r };
        if (!numPresent && def.numerator.kind !== 'reference') num = null;
      }
      // Both operands are reference values (高等教育毛入学率): no school feeds it.
      if (numOp === null && denOp === null) delete inputs.schools;
      const beside = besideInputs(besideDefs, this.beside, slot * nb, this.besideCount);
      if (beside) inputs.beside = beside;
      if (scope) inputs.scope = scope;
      if (num === null && den === null) continue;
      out.push(ratioCell(def, disKey, org, unit?.level ?? plan.rootLevel, this.year, num, den, inputs));
    }
  }
}

/**
 * The beside figures reported (from `values[at …]`), by key; undefined when none is. A school's
 * own figures are NaN where it reports none; a unit's sums say so by `counts` (schools adding to each).
 */
function besideInputs(defs: readonly BesideFigure[], values: Float64Array, at: number, counts?: Float64Array): CellInputs['beside'] {
  if (defs.length === 0) return undefined;
  const reported = (k: number): boolean => (counts ? (counts[at + k] as number) > 0 : !Number.isNaN(values[at + k] as number));
  const entries = defs.flatMap((b, k) => (reported(k) ? [[b.key, values[at + k] as number] as const] : []));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
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
