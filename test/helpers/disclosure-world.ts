/**
 * Random worlds for the disclosure-control property tests: an org tree (city → districts →
 * schools, and schools directly under the city), schools' raw values with many small
 * counts, a random subset of the real definitions with random levels and breakdowns, and
 * the cells the engine computes from them. Seeded with mulberry32 (src/demo/random.ts).
 */
import { derivedElements, expandElement, reportedCodes } from '../../src/core/elements/catalogue.ts';
import { indicatorDefinitions } from '../../src/core/indicators/definitions.ts';
import { compileAtoms, evaluateIndicators, type EngineOrgUnit, type ReferenceInput } from '../../src/core/indicators/engine.ts';
import type { IndicatorCell, IndicatorDef, OrgLevelName } from '../../src/core/indicators/types.ts';
import type { SchoolType } from '../../src/core/org/types.ts';
import { mulberry32 } from '../../src/demo/random.ts';

export const CITY = '120000';
const TYPES: readonly SchoolType[] = ['kindergarten', 'kindergarten', 'primary', 'primary', 'junior', 'nine_year', 'complete_secondary', 'senior', 'twelve_year', 'vocational', 'special', 'higher_ed', 'higher_ed'];
/** Numerator codes that count a subset of a denominator code's people (same grade and sex). */
const SUBSETS: ReadonlyArray<[string, string]> = [
  ['fitness.excellent_good.', 'fitness.tested.'], ['vision.myopic.', 'vision.screened.'], ['graduates.g9', 'cohort.g9_base'],
  ['teachers.bachelor_plus', 'teachers.fulltime'], ['teachers.master_plus', 'teachers.fulltime'], ['teachers.dual_qualified', 'teachers.specialty'],
  ['he.prof_postgrads_dual', 'he.prof_postgrads'],
];

export interface World {
  readonly orgUnits: EngineOrgUnit[];
  readonly raw: Map<string, Map<string, number>>;
  readonly defs: IndicatorDef[];
  readonly cells: IndicatorCell[];
  readonly threshold: number;
}

/**
 * `attributes: 'varied'`: private schools of every type and schools with no urban/rural
 * class too, so that the breakdowns by school attributes (area, ownership, 普惠 status)
 * leave unpublished rests.
 */
export function randomWorld(seed: number, size: { readonly districts: number; readonly schools: number } = { districts: 4, schools: 18 }, opts: { readonly attributes?: 'plain' | 'varied' } = {}): World {
  const varied = opts.attributes === 'varied';
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  // Many small counts: a third are 0–4, a third 0–25, the rest 10–200.
  const count = (): number => { const r = rnd(); return r < 0.35 ? int(0, 4) : r < 0.7 ? int(0, 25) : int(10, 200); };

  const orgUnits: EngineOrgUnit[] = [{ code: CITY, level: 'city', parent_code: null, school_type: null, ownership: null, inclusive: null, urban_rural: null }];
  const districts = Array.from({ length: int(0, size.districts) }, (_, i) => `1201${String(i + 1).padStart(2, '0')}`);
  for (const d of districts) orgUnits.push({ code: d, level: 'district', parent_code: CITY, school_type: null, ownership: null, inclusive: null, urban_rural: null });
  const nSchools = int(1, size.schools);
  for (let i = 0; i < nSchools; i++) {
    const type = pick(TYPES);
    const ownership = (type === 'kindergarten' || varied) && rnd() < 0.5 ? 'private' : 'public';
    // Some schools sit directly under the city (市直属), and all do when there are no districts.
    const parent = districts.length === 0 || rnd() < 0.2 ? CITY : pick(districts);
    orgUnits.push({
      code: `${parent}${String(i).padStart(4, '0')}`, level: 'school', parent_code: parent, school_type: type, ownership,
      inclusive: type === 'kindergarten' ? ownership === 'public' || rnd() < 0.5 : null,
      urban_rural: varied ? pick(['urban', 'town', 'rural', null] as const) : pick(['urban', 'town', 'rural'] as const),
    });
  }

  // Random levels and breakdowns of a random subset of the real definitions.
  const defs: IndicatorDef[] = [];
  for (const d of indicatorDefinitions) {
    if (d.kind !== 'ratio' || rnd() < 0.3) continue;
    const levels = (['school', 'district', 'city'] as const).filter(() => rnd() < 0.7);
    const dis = d.disaggregations?.filter(() => rnd() < 0.75);
    defs.push({ ...d, levels: levels.length > 0 ? levels : (['city'] as OrgLevelName[]), ...(dis ? { disaggregations: dis } : {}) });
  }

  const raw = new Map<string, Map<string, number>>();
  for (const s of orgUnits) {
    if (s.level !== 'school') continue;
    const type = s.school_type as SchoolType;
    const vals = new Map<string, number>();
    const codes = [...reportedCodes(type), ...derivedElements.flatMap((e) => (e.types.includes(type) ? expandElement(e, type) : []))];
    for (const c of codes) {
      if (rnd() < 0.05) continue; // not reported
      vals.set(c, c.startsWith('wireless.') || c.startsWith('school_district.') ? int(0, 1) : count());
    }
    for (const [sub, sup] of SUBSETS) {
      for (const [c, v] of vals) {
        if (!c.startsWith(sub)) continue;
        const d = vals.get(sup + c.slice(sub.length));
        if (d === undefined) continue;
        // Often nearly everyone: 599 of 602 retained.
        vals.set(c, rnd() < 0.3 ? Math.max(0, d - int(0, 9)) : Math.min(v, d));
      }
    }
    raw.set(s.code, vals);
  }

  const references = new Map<string, number>();
  for (const o of orgUnits) {
    if (o.level === 'school') continue;
    for (const code of ['pop.age3_5', 'pop.age15_17', 'pop.total']) references.set(`${o.code}|${code}`, int(1000, 90000));
  }
  return { orgUnits, raw, defs, cells: computeCells(orgUnits, raw, defs, references), threshold: pick([10, 10, 10, 5, 20]) };
}

/** The engine's cells for one year (2023) of raw school values (school → code → value); references `${org}|${code}` → value. */
export function computeCells(orgUnits: readonly EngineOrgUnit[], raw: ReadonlyMap<string, ReadonlyMap<string, number>>, defs: readonly IndicatorDef[], references: ReadonlyMap<string, number> = new Map()): IndicatorCell[] {
  const atoms = compileAtoms(defs);
  const schoolValues = new Map<string, Float64Array>();
  for (const [code, vals] of raw) {
    const m = new Float64Array(atoms.atoms.length).fill(NaN);
    for (const a of atoms.atoms) for (const c of a.codes) { const v = vals.get(c); if (v !== undefined) m[a.id] = (Number.isNaN(m[a.id] ?? NaN) ? 0 : (m[a.id] ?? 0)) + v; }
    schoolValues.set(code, m);
  }
  const refs = new Map<string, ReferenceInput>([...references].map(([k, value]) => [k, { value, source: 'test' }]));
  return evaluateIndicators({ defs, year: 2023, cityCode: CITY, orgUnits, atoms, schoolValues, references: refs, balanced: null });
}
