/**
 * What a publication of indicator cells lets the public add up (可相加关系), built from
 * what is actually published — the cells the engine produced — and the definitions. The
 * public is assumed to know the org tree and every school's type and attributes (they
 * are public registers), not which figures a school left blank.
 *
 * - Quantities: each ratio cell shows its numerator and denominator. Two operands are the
 *   same quantity at an org unit when every school under it adds the same element codes
 *   to both (operands.ts) — kindergarten enrolment in 学前三年毛入园率, 公办园在园幼儿比例 and
 *   普惠性学前教育资源覆盖率; public and all children in a district whose kindergartens are
 *   all public. Population denominators are published statistics and left out.
 * - Hierarchy: a quantity at an org unit is the sum of the same quantity at its nearest
 *   published descendants — a school whose district publishes no cell for it belongs to
 *   the city's group directly (universities: school → city), otherwise school →
 *   district → city. What unpublished schools add (a kindergarten directly under the city
 *   in an indicator published for districts and the city) is a remainder: hidden, and
 *   protected when it is small by the same rules as a cell.
 * - Breakdowns: at an org unit, total = Σ values of a dimension when the dimension
 *   partitions the operand (boys + girls; 近视率's age 6 + primary + junior + senior). A
 *   school publishes its total only, but a school with one stage publishes that stage
 *   (a primary school's total is its primary part): such a total counts in the stage's
 *   group too. What is left — the parts of schools with several stages, and of
 *   unpublished schools — is one remainder per part, and the parts' remainders add up to
 *   the total's remainder plus the totals of those several-stage schools.
 *
 * suppress.ts then withholds what must be withheld. Pure; one year at a time (nothing
 * adds up across years).
 */
import type { EngineOrgUnit } from '../indicators/engine.ts';
import type { Disaggregation, IndicatorCell, IndicatorDef, Operand } from '../indicators/types.ts';
import { dimensionRest, operandProfile, operandSignature, partitionsTotal, schoolContribution } from './operands.ts';
import { DEFAULT_THRESHOLD, ownRule, type SuppressionReason } from './rules.ts';
import { suppress, type DisclosureModel, type Equation, type ModelCell } from './suppress.ts';

type OperandName = 'numerator' | 'denominator';

/** Operands by signature (interned: the same operand in two definitions gets one id). */
const signatureIds = new Map<string, number>();
const signatureOperand: Array<{ readonly op: Operand; readonly dis: Disaggregation | undefined }> = [];
function intern(op: Operand, dis: Disaggregation | undefined): number | null {
  const s = operandSignature(op, dis);
  if (s === null) return null;
  let id = signatureIds.get(s);
  if (id === undefined) {
    signatureIds.set(s, (id = signatureIds.size));
    signatureOperand.push({ op, dis });
  }
  return id;
}

interface Dimension {
  readonly total: number;
  /** The published values, then the dimension's unpublished rest when they do not cover the total. */
  readonly parts: readonly number[];
  readonly rest: number | null;
}

interface DefShape {
  /** Operand id per disaggregation key ('' = total), per operand; null = not a sum over schools. */
  readonly sig: Readonly<Record<OperandName, ReadonlyMap<string, number | null>>>;
  /** Dimensions whose values partition the total, per operand. */
  readonly dims: readonly Dimension[];
}

/** Worked out once per definition object (definitions are constants). */
const shapes = new WeakMap<IndicatorDef, DefShape | null>();
function shapeOf(def: IndicatorDef): DefShape | null {
  const cached = shapes.get(def);
  if (cached !== undefined) return cached;
  let shape: DefShape | null = null;
  if (def.kind === 'ratio') {
    const dis = def.disaggregations ?? [];
    const sigs = (op: OperandName): Map<string, number | null> =>
      new Map([['', intern(def[op], undefined)], ...dis.map((d): [string, number | null] => [d.key, intern(def[op], d)])]);
    const sig = { numerator: sigs('numerator'), denominator: sigs('denominator') };
    const byDim = new Map<string, Disaggregation[]>();
    for (const d of dis) {
      const dim = d.key.slice(0, Math.max(0, d.key.indexOf(':')));
      byDim.set(dim, [...(byDim.get(dim) ?? []), d]);
    }
    const dims: Dimension[] = [];
    for (const [name, parts] of byDim) {
      const restDis = dimensionRest(name, parts);
      for (const op of ['numerator', 'denominator'] as const) {
        const total = sig[op].get('');
        const ps = parts.map((p) => sig[op].get(p.key));
        if (typeof total !== 'number' || !ps.every((p): p is number => typeof p === 'number')) continue;
        if (partitionsTotal(def[op], parts)) dims.push({ total, parts: ps, rest: null });
        else if (restDis && partitionsTotal(def[op], [...parts, restDis])) {
          const rest = intern(def[op], restDis);
          if (rest !== null) dims.push({ total, parts: [...ps, rest], rest });
        }
      }
    }
    shape = { sig, dims };
  }
  shapes.set(def, shape);
  return shape;
}

/** Org units by integer id (keys are numbers: sig × ORG_SPACE + org). */
const ORG_SPACE = 2 ** 21;

/**
 * Which operands are the same quantity at an org unit: what each school adds, compared
 * over the schools the engine sums there (a district: its schools; the city: every school).
 * Depends on the org tree only, so one is kept for the last org tree seen.
 */
class Identity {
  readonly codes: string[] = [];
  private readonly ids = new Map<string, number>();
  readonly parent: number[] = [];
  readonly isCity: boolean[] = [];
  /** Org id → school index, −1 above school level. */
  private readonly slot: number[] = [];
  private readonly schools: EngineOrgUnit[];
  private readonly schoolOrgs: Int32Array;
  private readonly members = new Map<number, Int32Array>();
  private readonly contributions = new Map<number, Int32Array>();
  private readonly codeIds = new Map<string, number>([['', 0]]);
  private readonly relations = new Map<number, 'same' | 'none' | 'other'>();
  private readonly buckets = new Map<string, number[]>();
  private readonly canonical = new Map<number, number>();

  constructor(orgUnits: readonly EngineOrgUnit[]) {
    for (const o of orgUnits) this.idOf(o.code);
    for (const o of orgUnits) {
      const id = this.idOf(o.code);
      this.parent[id] = o.parent_code === null ? -1 : this.idOf(o.parent_code);
      this.isCity[id] = o.level === 'city';
    }
    this.schools = orgUnits.filter((o) => o.level === 'school');
    this.schoolOrgs = Int32Array.from(this.schools.map((o) => this.idOf(o.code)));
    this.schoolOrgs.forEach((id, i) => { this.slot[id] = i; });
    // An aggregate's members are the schools anywhere beneath it (a province's prefecture city
    // sits two levels above its schools: engine roles, issue 19), not only its direct children.
    const byAncestor = new Map<number, number[]>();
    this.schools.forEach((s, i) => {
      for (let p = this.parent[this.idOf(s.code)] ?? -1, guard = 0; p !== -1 && guard < 64; p = this.parent[p] ?? -1, guard++) {
        const list = byAncestor.get(p);
        if (list) list.push(i); else byAncestor.set(p, [i]);
      }
    });
    const all = Int32Array.from(this.schools.keys());
    for (const o of orgUnits) {
      const id = this.idOf(o.code);
      if (o.level === 'city') this.members.set(id, all);
      else if (o.level === 'district') this.members.set(id, Int32Array.from(byAncestor.get(id) ?? []));
    }
  }

  /** The id of an org unit code (a code outside the tree gets one too, with no parent and no schools). */
  idOf(code: string): number {
    let id = this.ids.get(code);
    if (id === undefined) {
      this.ids.set(code, (id = this.codes.length));
      this.codes.push(code);
      this.parent.push(-1);
      this.isCity.push(false);
      this.slot.push(-1);
    }
    return id;
  }

  /** The school index of an org id, or −1. */
  schoolOf(org: number): number {
    return this.slot[org] ?? -1;
  }

  /**
   * One number for (school index, what it adds): exact, and small enough to stay a small
   * integer in V8 (a fast Map key) while code lists × schools stay under 2^30 — not a
   * product with 65,536, which at 10× Tianjin made every key a heap number.
   */
  schoolKey(i: number, contribution: number): number {
    return contribution * this.schools.length + i;
  }

  /** The org id of a school index. */
  schoolOrg(i: number): number {
    return this.schoolOrgs[i] ?? -1;
  }

  private readonly adding = new Map<number, Int32Array>();
  /** The schools (indices) that add something to operand `sig`. */
  schoolsAddingTo(sig: number): Int32Array {
    let a = this.adding.get(sig);
    if (!a) {
      const c = this.contributionOf(sig);
      const idx: number[] = [];
      for (let i = 0; i < c.length; i++) if (c[i] !== 0) idx.push(i);
      this.adding.set(sig, (a = Int32Array.from(idx)));
    }
    return a;
  }

  /** Per school (by index), what operand `sig` takes from it: an id of the codes it adds, 0 = nothing. */
  contributionOf(sig: number): Int32Array {
    let c = this.contributions.get(sig);
    if (c) return c;
    const info = signatureOperand[sig];
    const fn = info ? schoolContribution(info.op, info.dis) : null;
    c = new Int32Array(this.schools.length);
    for (let i = 0; i < this.schools.length; i++) {
      const codes = fn ? fn(this.schools[i] as EngineOrgUnit) : '';
      let id = this.codeIds.get(codes);
      if (id === undefined) this.codeIds.set(codes, (id = this.codeIds.size));
      c[i] = id;
    }
    this.contributions.set(sig, c);
    return c;
  }

  /** 'same': both operands are one quantity at org; 'none': `a` adds nothing there; else 'other'. */
  relation(a: number, b: number, org: number): 'same' | 'none' | 'other' {
    const i = this.schoolOf(org);
    if (i >= 0) {
      const x = this.contributionOf(a)[i];
      return x === 0 ? 'none' : x === this.contributionOf(b)[i] ? 'same' : 'other';
    }
    const key = (a * 4096 + b) * ORG_SPACE + org;
    let r = this.relations.get(key);
    if (r === undefined) {
      const ca = this.contributionOf(a);
      const cb = this.contributionOf(b);
      let same = true;
      let none = true;
      for (const m of this.members.get(org) ?? []) {
        if (ca[m] !== 0) none = false;
        if (ca[m] !== cb[m]) same = false;
      }
      this.relations.set(key, (r = none ? 'none' : same ? 'same' : 'other'));
    }
    return r;
  }

  /**
   * Above school level: the operand id that stands for this quantity at `org` (the first
   * operand met that is the same quantity there). At a school, what it adds says it all.
   */
  representative(sig: number, org: number): number {
    const key = sig * ORG_SPACE + org;
    const known = this.canonical.get(key);
    if (known !== undefined) return known;
    let rep = sig;
    const c = this.contributionOf(sig);
    let h = 0x811c9dc5;
    for (const m of this.members.get(org) ?? []) h = Math.imul(h ^ (c[m] ?? 0), 0x01000193) >>> 0;
    const bucketKey = `${org}|${h}`;
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) this.buckets.set(bucketKey, (bucket = []));
    const found = bucket.find((other) => this.relation(sig, other, org) === 'same');
    if (found === undefined) bucket.push(sig); else rep = found;
    this.canonical.set(key, rep);
    return rep;
  }
}

/** The last org tree's identity, reused while the tree is the same (each year of a recompute, and the next recompute). */
let lastIdentity: { readonly units: readonly EngineOrgUnit[]; readonly fingerprint: string; readonly identity: Identity } | null = null;
function identityFor(orgUnits: readonly EngineOrgUnit[]): Identity {
  // The same array as last time (a recompute keeps its compiled org tree): the same tree, without a fingerprint.
  if (lastIdentity?.units === orgUnits) return lastIdentity.identity;
  const fingerprint = orgUnits.map((o) => `${o.code},${o.level},${o.parent_code},${o.school_type},${o.ownership},${o.inclusive},${o.urban_rural}`).join(';');
  if (lastIdentity?.fingerprint !== fingerprint) lastIdentity = { units: orgUnits, fingerprint, identity: new Identity(orgUnits) };
  else lastIdentity = { ...lastIdentity, units: orgUnits };
  return lastIdentity.identity;
}

/** The model of one year's cells, and which model cell each input cell is. */
export interface YearModel {
  readonly model: DisclosureModel;
  /** For each cell given (same order), its index in `model.cells`. */
  readonly cellIndex: readonly number[];
  /** A readable name of a quantity (`<operand id>|<org>`, remainders `…~rest`), for tests and debugging. */
  describe(q: number): string;
}

const EPS = 1e-9;

/** The model of one year's cells (cells of one year only: nothing adds up across years). */
export function buildYearModel(cells: readonly IndicatorCell[], orgUnits: readonly EngineOrgUnit[], defs: readonly IndicatorDef[], threshold = DEFAULT_THRESHOLD): YearModel {
  return buildModel(cells, identityFor(orgUnits), defs, threshold);
}

function buildModel(cells: readonly IndicatorCell[], identity: Identity, defs: readonly IndicatorDef[], threshold: number): YearModel {
  const defByCode = new Map(defs.map((d) => [d.code, d]));
  const values: number[] = [];
  const qSig: number[] = [];
  const qOrg: number[] = [];
  /** A new quantity; `rest`: what unpublished schools add at `org`. */
  const newQuantity = (sig: number, org: number, value: number, rest: boolean): number => {
    values.push(value);
    qSig.push(sig);
    qOrg.push(rest ? -org - 1 : org);
    return values.length - 1;
  };
  /** Above school level: (representative operand, org) → quantity. */
  const above = new Map<number, number>();
  /** At a school: (school, what it adds) → quantity; operands adding the same codes there are one number. */
  const atSchool = new Map<number, number>();
  /** Per operand id: org id → quantity. */
  const nodes = new Map<number, Map<number, number>>();
  /** The quantity of an operand at an org unit; null when no school there can add to it (a known zero: public children of a private kindergarten). */
  const node = (sig: number, org: number, value: number): number | null => {
    // A value where the schools' types say there can be none (data outside the catalogue) is kept as a quantity.
    if (value === 0 && identity.relation(sig, sig, org) === 'none') return null;
    const i = identity.schoolOf(org);
    const index = i >= 0 ? atSchool : above;
    const key = i >= 0 ? identity.schoolKey(i, identity.contributionOf(sig)[i] ?? 0) : identity.representative(sig, org) * ORG_SPACE + org;
    let q = index.get(key);
    if (q === undefined) index.set(key, (q = newQuantity(sig, org, value, false)));
    let m = nodes.get(sig);
    if (!m) nodes.set(sig, (m = new Map()));
    m.set(org, q);
    return q;
  };

  const modelCells: ModelCell[] = [];
  const cellIndex: number[] = [];
  const cellOrg: number[] = [];
  const shapesUsed = new Set<DefShape>();
  for (const c of cells) {
    const def = defByCode.get(c.indicator);
    const shape = def ? shapeOf(def) : null;
    const org = identity.idOf(c.org_code);
    cellOrg.push(org);
    const qs: number[] = [];
    if (shape) {
      if (shape.dims.length > 0) shapesUsed.add(shape);
      const sn = shape.sig.numerator.get(c.disaggregation);
      const sd = shape.sig.denominator.get(c.disaggregation);
      const qn = typeof sn === 'number' && c.numerator !== null ? node(sn, org, c.numerator) : null;
      const qd = typeof sd === 'number' && c.denominator !== null ? node(sd, org, c.denominator) : null;
      if (qn !== null) qs.push(qn);
      if (qd !== null && qd !== qn) qs.push(qd);
    }
    cellIndex.push(modelCells.length);
    modelCells.push({
      quantities: qs, virtual: false, rank: c.basis ?? c.denominator ?? c.numerator ?? 0,
      own: def && c.value !== null ? ownRule(def, c, threshold) : null,
    });
  }

  // The unpublished rest of a breakdown that does not cover its total: hidden, worked
  // out from the cells (total − published values), wherever its schools can add to it.
  for (const shape of shapesUsed) {
    for (const dim of shape.dims) {
      if (dim.rest === null) continue;
      for (const [org, tq] of nodes.get(dim.total) ?? []) {
        let sum = 0;
        let any = false;
        for (const s of dim.parts) {
          const q = s === dim.rest ? undefined : nodes.get(s)?.get(org);
          if (q !== undefined) { any = true; sum += values[q] ?? 0; }
        }
        if (any && identity.relation(dim.rest, dim.total, org) !== 'none') node(dim.rest, org, (values[tq] ?? 0) - sum);
      }
    }
  }

  // A number published for one operand is the number of another operand wherever the two
  // coincide (a public kindergarten's children in 普惠 coverage are its children in
  // 公办园比例; a primary school's total is its primary part): it counts in that operand's
  // groups too.
  const sigsAt = new Map<number, number[]>();
  for (const [sig, orgs] of nodes) {
    for (const org of orgs.keys()) {
      if (identity.schoolOf(org) >= 0) continue;
      const list = sigsAt.get(org);
      if (list) list.push(sig); else sigsAt.set(org, [sig]);
    }
  }
  const present = [...nodes];
  // Above school level: compare over the schools there (few org units).
  for (const [org, here] of sigsAt) {
    for (const [sig, orgs] of present) {
      if (orgs.has(org)) continue;
      const same = here.find((b) => identity.relation(sig, b, org) === 'same');
      if (same !== undefined) orgs.set(org, nodes.get(same)?.get(org) as number);
    }
  }
  // Schools: (school, what it adds) → the quantity published there for it (key: identity.schoolKey).
  const bySchool = new Map<number, number>();
  for (const [sig, orgs] of present) {
    const contribution = identity.contributionOf(sig);
    for (const [org, q] of orgs) {
      const i = identity.schoolOf(org);
      if (i >= 0 && (contribution[i] ?? 0) !== 0) bySchool.set(identity.schoolKey(i, contribution[i] ?? 0), q);
    }
  }
  for (const [sig, orgs] of present) {
    const contribution = identity.contributionOf(sig);
    for (const i of identity.schoolsAddingTo(sig)) {
      const q = bySchool.get(identity.schoolKey(i, contribution[i] ?? 0));
      if (q === undefined) continue;
      const org = identity.schoolOrg(i);
      if (!orgs.has(org)) orgs.set(org, q);
    }
  }

  // Hierarchy: each quantity's nearest published ancestor.
  /** Per operand id: parent → children published for it. */
  const kidsOf = new Map<number, Map<number, number[]>>();
  for (const [sig, orgs] of nodes) {
    let city = -1;
    for (const o of orgs.keys()) if (identity.isCity[o]) city = o;
    const byParent = new Map<number, number[]>();
    for (const org of orgs.keys()) {
      if (identity.isCity[org]) continue;
      let p = identity.parent[org] ?? -1;
      while (p !== -1 && !orgs.has(p)) p = identity.parent[p] ?? -1;
      // The engine adds every school to the city, whatever its parent.
      const parent = p !== -1 ? p : city;
      if (parent === -1) continue;
      const list = byParent.get(parent);
      if (list) list.push(org); else byParent.set(parent, [org]);
    }
    kidsOf.set(sig, byParent);
  }

  const equations: Equation[] = [];
  /** Equations met, by a hash of their sides (two definitions sharing operands give the same equation). */
  const seen = new Map<number, Equation[]>();
  const sameSide = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((q) => b.includes(q));
  const addEquation = (wholeIn: readonly number[], partsIn: readonly number[]): void => {
    // A quantity on both sides cancels (a district's total that is its primary part).
    const parts = [...partsIn];
    const whole = wholeIn.filter((q) => {
      const i = parts.indexOf(q);
      if (i === -1) return true;
      parts.splice(i, 1);
      return false;
    });
    if (whole.length + parts.length < 2) return;
    let h = whole.length * 7919 + parts.length;
    for (const q of whole) h = (h + Math.imul(q + 1, 0x9e3779b1)) | 0;
    for (const q of parts) h = (h + Math.imul(q + 1, 0x85ebca6b)) | 0;
    const bucket = seen.get(h);
    if (bucket?.some((e) => sameSide(e.whole, whole) && sameSide(e.parts, parts))) return;
    const eq = { whole, parts };
    if (bucket) bucket.push(eq); else seen.set(h, [eq]);
    equations.push(eq);
  };

  /** sig × ORG_SPACE + parent → its children's quantities and its remainder (null when nothing is left over). */
  const groups = new Map<number, { kids: number[]; rest: number | null }>();
  for (const [sig, orgs] of nodes) {
    for (const [parent, kids] of kidsOf.get(sig) ?? []) {
      const pq = orgs.get(parent);
      if (pq === undefined) continue;
      const kq = kids.map((k) => orgs.get(k) as number);
      let left = values[pq] ?? 0;
      for (const q of kq) left -= values[q] ?? 0;
      const rest = Math.abs(left) > EPS * Math.max(1, Math.abs(values[pq] ?? 0)) ? newQuantity(sig, parent, left, true) : null;
      groups.set(sig * ORG_SPACE + parent, { kids: kq, rest });
      addEquation([pq], rest === null ? kq : [...kq, rest]);
    }
  }

  // Breakdowns, at each org unit with a total and a published value (or one that coincides
  // with a published number), and between remainders.
  for (const shape of shapesUsed) {
    for (const dim of shape.dims) {
      const totals = nodes.get(dim.total);
      if (!totals) continue;
      const withParts = new Set<number>();
      for (const s of dim.parts) for (const org of nodes.get(s)?.keys() ?? []) withParts.add(org);
      for (const org of withParts) {
        const tq = totals.get(org);
        if (tq === undefined) continue;
        const parts: number[] = [];
        for (const s of dim.parts) {
          const q = nodes.get(s)?.get(org);
          if (q !== undefined) parts.push(q);
        }
        if (parts.length > 0) addEquation([tq], parts);
        const tg = groups.get(dim.total * ORG_SPACE + org);
        if (!tg || dim.parts.every((s) => !groups.has(s * ORG_SPACE + org))) continue;
        // Children that publish the total but no part: their schools have several parts.
        const several = (kidsOf.get(dim.total)?.get(org) ?? []).filter((k) => dim.parts.every((s) => !nodes.get(s)?.has(k)) &&
          dim.parts.some((s) => identity.relation(s, s, k) !== 'none')).map((k) => totals.get(k) as number);
        const whole = tg.rest === null ? several : [tg.rest, ...several];
        const restParts: number[] = [];
        for (const s of dim.parts) {
          const g = groups.get(s * ORG_SPACE + org);
          // A part with no group here: all of it is left over.
          const q = g ? g.rest : (nodes.get(s)?.get(org) ?? null);
          if (q !== null) restParts.push(q);
        }
        addEquation(whole, restParts);
      }
    }
  }

  // Remainders as cells: what unpublished schools add, judged by the indicator's rules.
  const seenRest = new Set<string>();
  cells.forEach((c, ci) => {
    const def = defByCode.get(c.indicator);
    const shape = def ? shapeOf(def) : null;
    if (!def || !shape) return;
    const org = cellOrg[ci] as number;
    const sn = shape.sig.numerator.get(c.disaggregation);
    const sd = shape.sig.denominator.get(c.disaggregation);
    const gn = typeof sn === 'number' ? groups.get(sn * ORG_SPACE + org) : undefined;
    const gd = typeof sd === 'number' ? groups.get(sd * ORG_SPACE + org) : undefined;
    if ((!gn || gn.rest === null) && (!gd || gd.rest === null)) return;
    const k = `${def.code}|${org}|${c.disaggregation}`;
    if (seenRest.has(k)) return;
    seenRest.add(k);
    const qs = [gn?.rest, gd?.rest].filter((q): q is number => q !== null && q !== undefined);
    const rn = gn && gn.rest !== null ? (values[gn.rest] ?? 0) : typeof sn === 'number' ? 0 : null;
    const rd = gd && gd.rest !== null ? (values[gd.rest] ?? 0) : typeof sd === 'number' ? 0 : null;
    const basis = def.disclosure.operand === 'numerator' ? rn : rd;
    modelCells.push({ quantities: qs, virtual: true, rank: Infinity, own: ownRule(def, { numerator: rn, denominator: rd, basis }, threshold) });
  });

  return {
    model: { quantityCount: values.length, values, equations, cells: modelCells }, cellIndex,
    describe: (q) => {
      const o = qOrg[q] ?? 0;
      return o < 0 ? `${qSig[q]}|${identity.codes[-o - 1]}~rest` : `${qSig[q]}|${identity.codes[o]}`;
    },
  };
}

/**
 * Disclosure groups (披露分组): definitions whose published numbers can never be tied to
 * each other. Two operands are one quantity somewhere only when a kind of school adds the
 * same codes to both (operands.ts), and every equation stays within one operand (hierarchy)
 * or one definition (breakdowns); a cell ties its own numerator and denominator. So
 * definitions sharing no per-school-type code list fall into separate groups, and the
 * model of a year splits exactly into one model per group: suppression of one group
 * never looks at another (suppress.ts works equation by equation, and its tie-breaks
 * compare quantities within an equation). Definition code → group number.
 */
const groupsOf = new WeakMap<readonly IndicatorDef[], ReadonlyMap<string, number>>();
export function disclosureGroups(defs: readonly IndicatorDef[]): ReadonlyMap<string, number> {
  const known = groupsOf.get(defs);
  if (known) return known;
  const parent = defs.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x] as number] as number;
    return x;
  };
  const owner = new Map<string, number>();
  defs.forEach((def, i) => {
    if (def.kind !== 'ratio') return;
    for (const dis of [undefined, ...(def.disaggregations ?? [])]) {
      for (const op of [def.numerator, def.denominator]) {
        operandProfile(op, dis)?.forEach((p, type) => {
          if (p.codes.length === 0) return;
          const key = `${type}:${p.codes.join(',')}`;
          const o = owner.get(key);
          if (o === undefined) owner.set(key, i);
          else parent[find(i)] = find(o);
        });
      }
    }
  });
  const groups = new Map(defs.map((d, i) => [d.code, find(i)]));
  groupsOf.set(defs, groups);
  return groups;
}

/**
 * One year's disclosure outcome, kept by the caller and given back with the next
 * computation of the same year: a group whose cells are all unchanged (same keys, same
 * numbers, same order) keeps its outcome without building its model again — after one
 * school's change, the groups its data do not feed (issue 19).
 */
export interface YearDisclosure {
  /** Per cell given (same order): why it is withheld, or null when published. */
  readonly reasons: ReadonlyArray<SuppressionReason | null>;
  /** Opaque to callers. */
  readonly groups: ReadonlyMap<number, { readonly cells: readonly IndicatorCell[]; readonly reasons: ReadonlyArray<SuppressionReason | null> }>;
  readonly orgUnits: readonly EngineOrgUnit[];
  readonly defs: readonly IndicatorDef[];
  readonly threshold: number;
}

/** The same to the model: the numbers a cell shows and what its rules read (ownRule), under the same key. */
const sameForDisclosure = (a: IndicatorCell, b: IndicatorCell): boolean => a.indicator === b.indicator && a.org_code === b.org_code &&
  a.disaggregation === b.disaggregation && a.year === b.year && a.numerator === b.numerator && a.denominator === b.denominator &&
  a.value === b.value && a.basis === b.basis;

/** Disclosure control for the cells of ONE year, group by group (`disclosureGroups`), reusing `previous` where a group is unchanged. */
export function discloseYear(cells: readonly IndicatorCell[], orgUnits: readonly EngineOrgUnit[], defs: readonly IndicatorDef[], threshold = DEFAULT_THRESHOLD,
  previous: YearDisclosure | null = null): YearDisclosure {
  const groupOf = disclosureGroups(defs);
  const members = new Map<number, number[]>();
  cells.forEach((c, i) => {
    // A cell of an unknown definition has no quantities: a group of its own (-1).
    const g = groupOf.get(c.indicator) ?? -1;
    const list = members.get(g);
    if (list) list.push(i); else members.set(g, [i]);
  });
  const reuse = previous !== null && previous.orgUnits === orgUnits && previous.defs === defs && previous.threshold === threshold;
  const identity = identityFor(orgUnits);
  const reasons = new Array<SuppressionReason | null>(cells.length).fill(null);
  const groups = new Map<number, { cells: IndicatorCell[]; reasons: ReadonlyArray<SuppressionReason | null> }>();
  for (const [g, idx] of members) {
    const groupCells = idx.map((i) => cells[i] as IndicatorCell);
    const before = reuse ? previous.groups.get(g) : undefined;
    let out: ReadonlyArray<SuppressionReason | null>;
    if (before && before.cells.length === groupCells.length && groupCells.every((c, k) => sameForDisclosure(c, before.cells[k] as IndicatorCell))) out = before.reasons;
    else {
      const ym = buildModel(groupCells, identity, defs, threshold);
      const modelReasons = suppress(ym.model);
      out = groupCells.map((_, k) => modelReasons[ym.cellIndex[k] ?? -1] ?? null);
    }
    idx.forEach((i, k) => { reasons[i] = out[k] ?? null; });
    groups.set(g, { cells: groupCells, reasons: out });
  }
  return { reasons, groups, orgUnits, defs, threshold };
}

/**
 * Disclosure control for a set of indicator cells (any years): per cell, why it is
 * withheld, or null when it is published.
 */
export function discloseCells(cells: readonly IndicatorCell[], orgUnits: readonly EngineOrgUnit[], defs: readonly IndicatorDef[], threshold = DEFAULT_THRESHOLD): Array<SuppressionReason | null> {
  const out: Array<SuppressionReason | null> = new Array<SuppressionReason | null>(cells.length).fill(null);
  const byYear = new Map<number, number[]>();
  cells.forEach((c, i) => {
    let list = byYear.get(c.year);
    if (!list) byYear.set(c.year, (list = []));
    list.push(i);
  });
  for (const idx of byYear.values()) {
    const { reasons } = discloseYear(idx.map((i) => cells[i] as IndicatorCell), orgUnits, defs, threshold);
    idx.forEach((i, j) => { out[i] = reasons[j] ?? null; });
  }
  return out;
}
