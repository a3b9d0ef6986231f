/**
 * The learning-city figures (学习型城市建设监测数据) per district and for the city, computed from
 * what eduplan holds: the learning events, the org units of the four-level network (四横: 市、区、
 * 街镇、村居) and the 60+ population reference value. Pure: the service reads, this counts.
 *
 * A figure whose input is absent is missing (value null), never zero: a district without a
 * single 街镇 on record has no coverage, not a coverage of 0 %; a district without any learning
 * event in the year has no participation rate.
 */

/** 老年教育活动参与率 target (三、(七)3 / 专栏12): 50 %. */
export const ELDERLY_PARTICIPATION_TARGET = 50;
/** Fewer elderly participants than this in a district and its rate is withheld (disclosure control: 10 persons). */
export const MIN_PERSONS = 10;

export const learningFigureCodes = [
  // 老年教育活动参与率: distinct learners 60+ with ≥ 1 event in the year ÷ resident population 60+ × 100.
  'elderly_participation_rate',
  // 街镇老年教育学校覆盖率: 街镇 with an elderly-education school (the 街镇's own unit, or a unit beneath it) ÷ 街镇 × 100.
  'street_elderly_school_coverage',
  // 示范性老年大学: per district the number of model elderly universities; for the city the share of districts with ≥ 1.
  'model_elderly_universities',
  // 四纵: how many of the four service lines (开放教育、社区教育、老年教育、农民教育) the district's network units cover (0–4).
  'service_lines_present',
  // 村居老年教育学习中心: 村居 units of type elderly_school (三、(七)3「村居老年教育学习中心普及程度显著提高」).
  'community_elderly_centres',
] as const;
export type LearningFigureCode = (typeof learningFigureCodes)[number];

export interface NetworkUnit {
  readonly code: string;
  readonly level: string;
  readonly parent_code: string | null;
  readonly unit_type: string | null;
  /** 四纵 service line (open, community, elderly, farmer), when the unit belongs to the network. */
  readonly service_line?: string | null;
  /** A reporting unit (学校): never a "district" even when it hangs directly under the root (市属学校). */
  readonly reporting?: boolean;
}

export interface FigureCell {
  readonly figure: LearningFigureCode;
  readonly org_code: string;
  /** The unit's role, not its level code: `city` = the root, `district` = a unit directly under it (a province's prefecture city). */
  readonly level: 'city' | 'district';
  readonly year: number;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly suppressed: boolean;
  readonly source: string;
}

export interface FigureInput {
  readonly year: number;
  /** The root's code; the "districts" are the non-reporting units directly under it, whatever their level code. */
  readonly cityCode: string;
  /** Every org unit with its parent (districts, 街镇, 村居, schools …). */
  readonly units: readonly NetworkUnit[];
  /** Per district: distinct elderly participants in the year; a district absent here had no learning event at all. */
  readonly elderlyParticipants: ReadonlyMap<string, number>;
  /** Distinct elderly participants city-wide (a learner active in two districts counts once); null without any event. */
  readonly cityElderlyParticipants: number | null;
  /** Reference value `pop.age60_plus` per org code. */
  readonly population: ReadonlyMap<string, { value: number; source: string }>;
}

const ELDERLY_TYPES = new Set(['elderly_school', 'model_elderly_university']);

const isTop = (u: NetworkUnit, rootCode: string): boolean => u.parent_code === rootCode && u.reporting !== true;

/** The district (unit directly under the root) each unit lies in (itself for a district), by walking up the tree. */
export function districtOfUnits(units: readonly NetworkUnit[], rootCode: string): Map<string, string> {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const out = new Map<string, string>();
  for (const u of units) {
    let cur: NetworkUnit | undefined = u;
    for (let depth = 0; cur && depth < 8; depth++) {
      if (isTop(cur, rootCode)) { out.set(u.code, cur.code); break; }
      cur = cur.parent_code === null ? undefined : byCode.get(cur.parent_code);
    }
  }
  return out;
}

const pct = (n: number, d: number): number => (n / d) * 100;

export function computeLearningFigures(input: FigureInput): FigureCell[] {
  const { year, cityCode } = input;
  const districts = input.units.filter((u) => isTop(u, cityCode)).map((u) => u.code).sort();
  const districtOf = districtOfUnits(input.units, cityCode);
  const cells: FigureCell[] = [];
  const cell = (figure: LearningFigureCode, org: string, v: Omit<FigureCell, 'figure' | 'org_code' | 'level' | 'year'>): void => {
    cells.push({ figure, org_code: org, level: org === cityCode ? 'city' : 'district', year, ...v });
  };

  // 老年教育活动参与率 (disclosure control: a count of persons below 10 is withheld, and so is its rate).
  const rate = (org: string, n: number | null): void => {
    const pop = input.population.get(org);
    const source = `derived:learning_event ÷ pop.age60_plus${pop ? `（${pop.source}）` : ''}`;
    if (n === null) { cell('elderly_participation_rate', org, { numerator: null, denominator: pop?.value ?? null, value: null, suppressed: false, source }); return; }
    const suppressed = n > 0 && n < MIN_PERSONS;
    cell('elderly_participation_rate', org, {
      numerator: suppressed ? null : n, denominator: pop?.value ?? null,
      value: suppressed || !pop || pop.value <= 0 ? null : pct(n, pop.value), suppressed, source,
    });
  };
  for (const d of districts) rate(d, input.elderlyParticipants.has(d) ? (input.elderlyParticipants.get(d) as number) : null);
  rate(cityCode, input.cityElderlyParticipants);

  // 街镇老年教育学校全覆盖: a 街镇 is covered when it, or a unit beneath it, is an elderly-education school.
  const streets = input.units.filter((u) => u.level === 'street');
  const coveredStreets = new Set<string>();
  const byCode = new Map(input.units.map((u) => [u.code, u]));
  for (const u of input.units) {
    if (u.unit_type === null || !ELDERLY_TYPES.has(u.unit_type)) continue;
    for (let cur: NetworkUnit | undefined = u, depth = 0; cur && depth < 8; depth++) {
      if (cur.level === 'street') { coveredStreets.add(cur.code); break; }
      if (cur.code === cityCode || isTop(cur, cityCode)) break;
      cur = cur.parent_code === null ? undefined : byCode.get(cur.parent_code);
    }
  }
  const coverageSource = 'derived:org_unit 街镇及其下属老年教育学校';
  let allStreets = 0;
  let allCovered = 0;
  for (const d of districts) {
    const mine = streets.filter((s) => districtOf.get(s.code) === d);
    const covered = mine.filter((s) => coveredStreets.has(s.code)).length;
    allStreets += mine.length;
    allCovered += covered;
    cell('street_elderly_school_coverage', d, mine.length === 0
      ? { numerator: null, denominator: null, value: null, suppressed: false, source: coverageSource }
      : { numerator: covered, denominator: mine.length, value: pct(covered, mine.length), suppressed: false, source: coverageSource });
  }
  cell('street_elderly_school_coverage', cityCode, allStreets === 0
    ? { numerator: null, denominator: null, value: null, suppressed: false, source: coverageSource }
    : { numerator: allCovered, denominator: allStreets, value: pct(allCovered, allStreets), suppressed: false, source: coverageSource });

  // 每区一所示范性老年大学: a district's count is missing while none of its network is on record.
  const universitySource = 'derived:org_unit unit_type=model_elderly_university';
  const networkDistricts = new Set(input.units.filter((u) => u.unit_type !== null).map((u) => districtOf.get(u.code)).filter((d): d is string => d !== undefined));
  let withOne = 0;
  for (const d of districts) {
    const n = input.units.filter((u) => u.unit_type === 'model_elderly_university' && districtOf.get(u.code) === d).length;
    if (n > 0) withOne += 1;
    cell('model_elderly_universities', d, networkDistricts.has(d)
      ? { numerator: n, denominator: null, value: n, suppressed: false, source: universitySource }
      : { numerator: null, denominator: null, value: null, suppressed: false, source: universitySource });
  }
  cell('model_elderly_universities', cityCode, networkDistricts.size === 0 || districts.length === 0
    ? { numerator: null, denominator: null, value: null, suppressed: false, source: universitySource }
    : { numerator: withOne, denominator: districts.length, value: pct(withOne, districts.length), suppressed: false, source: universitySource });

  // 四纵 and 村居 centres, from the network units on record; a district without any is missing.
  const linesSource = 'derived:org_unit service_line';
  const centresSource = 'derived:org_unit level=community unit_type=elderly_school';
  const allLines = new Set<string>();
  let allCentres = 0;
  for (const d of districts) {
    const mine = input.units.filter((x) => x.unit_type !== null && districtOf.get(x.code) === d);
    const lines = new Set(mine.map((x) => x.service_line).filter((l): l is string => l !== null && l !== undefined));
    for (const l of lines) allLines.add(l);
    const centres = mine.filter((x) => x.level === 'community' && x.unit_type === 'elderly_school').length;
    allCentres += centres;
    const has = mine.length > 0;
    cell('service_lines_present', d, { numerator: has ? lines.size : null, denominator: has ? 4 : null, value: has ? lines.size : null, suppressed: false, source: linesSource });
    cell('community_elderly_centres', d, { numerator: has ? centres : null, denominator: null, value: has ? centres : null, suppressed: false, source: centresSource });
  }
  const any = networkDistricts.size > 0;
  cell('service_lines_present', cityCode, { numerator: any ? allLines.size : null, denominator: any ? 4 : null, value: any ? allLines.size : null, suppressed: false, source: linesSource });
  cell('community_elderly_centres', cityCode, { numerator: any ? allCentres : null, denominator: null, value: any ? allCentres : null, suppressed: false, source: centresSource });
  return cells;
}
