/**
 * The demo's institutions (演示机构): how many of each type per district at a scale,
 * their codes, names and fixed attributes (ownership, 普惠, urban/rural, size).
 *
 * School codes (学校代码): 10 digits `31` + `12` + <2-digit district suffix> + <4-digit
 * serial>, e.g. 3112010001 = the first school of 和平区 (120101). Real 学校标识码 are
 * `31` + 8 digits; this keeps that look, embeds Tianjin's province code (12) and the
 * district, and is unique because the serial counts within a district (max 9,999 per
 * district, which bounds the scale at 10).
 */
import { districts, type District } from '../core/org/districts.ts';
import { schoolTypeNames, schoolTypes, type SchoolType, type Stage, stagesByType } from '../core/org/types.ts';
import type { Rng } from './random.ts';
import { apportion, districtProfiles, minimumPerDistrict, schoolCountsAtScale1, type DistrictProfile } from './sizing.ts';

export type KgCategory = 'public' | 'inclusive_private' | 'private';

export interface DemoSchool {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly district: District;
  readonly profile: DistrictProfile;
  readonly type: SchoolType;
  readonly ownership: 'public' | 'private';
  readonly inclusive: boolean | null;
  readonly kgCategory: KgCategory | null;
  readonly urbanRural: 'urban' | 'town' | 'rural';
  readonly opened: string;
  /** Relative size (enrolment weight) before normalising to the city totals. */
  readonly raw: number;
  /** Fixed per-school draws, so a school keeps its character from year to year. */
  readonly z: Readonly<Record<'teachers' | 'backbone' | 'peArts' | 'area' | 'sports' | 'equipment' | 'multimedia' | 'bachelor' | 'dual' | 'master', number>>;
  /** Uniform draws that decide in which year a school gets wireless / joins a 学区. */
  readonly uWireless: number;
  readonly uSchoolDistrict: number;
}

/** Share of a multi-stage school's students in each stage (before normalising). */
export const stageWeights: Readonly<Record<SchoolType, Partial<Record<Stage, number>>>> = {
  kindergarten: { preschool: 1 },
  primary: { primary: 1 },
  junior: { junior: 1 },
  nine_year: { primary: 0.62, junior: 0.38 },
  complete_secondary: { junior: 0.5, senior: 0.5 },
  senior: { senior: 1 },
  twelve_year: { primary: 0.5, junior: 0.27, senior: 0.23 },
  vocational: { vocational: 1 },
  special: { special: 1 },
  higher_ed: { higher: 1 },
};

const groupSchoolDensity: Readonly<Record<District['group'], number>> = { central: 0.7, inner_ring: 0.95, binhai: 1, outer: 1.35 };
const groupSchoolSize: Readonly<Record<District['group'], number>> = { central: 1.3, inner_ring: 1.1, binhai: 1.1, outer: 0.8 };
const localeSize = { urban: 1.1, town: 0.9, rural: 0.55 } as const;

const typeNameSuffix: Readonly<Record<SchoolType, string>> = {
  kindergarten: '幼儿园', primary: '小学', junior: '中学', nine_year: '学校', complete_secondary: '完全中学', senior: '高级中学',
  twelve_year: '一贯制学校', vocational: '职业中等专业学校', special: '特殊教育学校', higher_ed: '学院',
};

/** How many schools of each type each district gets at a scale. */
export function schoolCounts(scale: number): Map<string, Record<SchoolType, number>> {
  const out = new Map<string, Record<SchoolType, number>>();
  for (const d of districts) out.set(d.code, Object.fromEntries(schoolTypes.map((t) => [t, 0])) as Record<SchoolType, number>);
  for (const t of schoolTypes) {
    const cityMin = t === 'higher_ed' || t === 'vocational' ? 2 : t === 'special' ? 1 : 0;
    const total = Math.max(cityMin, Math.round(schoolCountsAtScale1[t] * scale));
    const weights = districts.map((d) => {
      const p = districtProfiles[d.code];
      if (t === 'higher_ed') return p?.heWeight ?? 0;
      const density = t === 'kindergarten' || t === 'primary' ? groupSchoolDensity[d.group] : 1;
      return d.population2020 * density;
    });
    const counts = apportion(total, weights);
    districts.forEach((d, i) => {
      const row = out.get(d.code);
      if (row) row[t] = Math.max(counts[i] ?? 0, minimumPerDistrict[t] ?? 0);
    });
  }
  return out;
}

function locale(rng: Rng, profile: DistrictProfile, type: SchoolType): 'urban' | 'town' | 'rural' {
  const u = rng.next();
  // Senior, vocational, special schools and universities sit in towns and cities.
  const rural = type === 'senior' || type === 'complete_secondary' || type === 'vocational' || type === 'special' || type === 'higher_ed' ? 0 : profile.rural;
  const town = profile.town + (profile.rural - rural);
  if (u < rural) return 'rural';
  if (u < rural + town) return 'town';
  return 'urban';
}

function ownership(rng: Rng, type: SchoolType): 'public' | 'private' {
  const privateShare: Readonly<Record<SchoolType, number>> = {
    kindergarten: 0, primary: 0.05, junior: 0.08, nine_year: 0.1, complete_secondary: 0.08, senior: 0.1,
    twelve_year: 0.3, vocational: 0.15, special: 0, higher_ed: 0.3,
  };
  return rng.next() < privateShare[type] ? 'private' : 'public';
}

/**
 * Kindergarten categories follow a fixed 20-place pattern (7 public, 4 non-普惠 private,
 * 9 普惠 private; cf. 西青区 2022: 32 / 21 / 57 of 110), so that even 4 kindergartens
 * in a district include a public, an inclusive private and a non-inclusive one.
 */
const kgPattern: readonly KgCategory[] = [
  'public', 'inclusive_private', 'private', 'public', 'inclusive_private', 'inclusive_private', 'public', 'inclusive_private',
  'private', 'public', 'inclusive_private', 'inclusive_private', 'public', 'inclusive_private', 'private', 'public',
  'inclusive_private', 'inclusive_private', 'public', 'private',
];

export function buildSchools(scale: number, rng: Rng): DemoSchool[] {
  const counts = schoolCounts(scale);
  const schools: DemoSchool[] = [];
  for (const d of districts) {
    const profile = districtProfiles[d.code];
    const row = counts.get(d.code);
    if (!profile || !row) throw new Error(`no demo profile for district ${d.code}`);
    const r = rng.fork(`schools:${d.code}`);
    let serial = 0;
    for (const type of schoolTypes) {
      const n = row[type];
      for (let k = 1; k <= n; k++) {
        serial++;
        if (serial > 9999) throw new RangeError(`district ${d.code} would need more than 9,999 school codes`);
        const code = `3112${d.code.slice(4)}${String(serial).padStart(4, '0')}`;
        const kgCategory = type === 'kindergarten' ? (kgPattern[(k - 1) % kgPattern.length] ?? 'public') : null;
        const own = kgCategory ? (kgCategory === 'public' ? 'public' : 'private') : ownership(r, type);
        const loc = locale(r, profile, type);
        // Public kindergartens are larger (in 西青区 29 % of kindergartens hold about half the children).
        const kgSize = kgCategory === 'public' ? 1.6 : kgCategory === 'private' ? 0.8 : 0.9;
        const raw = Math.exp(0.4 * r.normal()) * groupSchoolSize[d.group] * localeSize[loc] * (kgCategory ? kgSize : 1) * (own === 'private' && !kgCategory ? 0.7 : 1);
        const names = schoolTypeNames[type];
        const prefix = own === 'private' ? '民办' : '';
        schools.push({
          code,
          name_zh: `${d.name_zh}${prefix}第${k}${typeNameSuffix[type]}`,
          name_en: `${d.name_en} ${own === 'private' ? 'Private ' : ''}${names.en} No. ${k}`,
          district: d,
          profile,
          type,
          ownership: own,
          // 普惠: public kindergartens are inclusive by definition; the flag is meaningless for other schools.
          inclusive: kgCategory ? kgCategory !== 'private' : null,
          kgCategory,
          urbanRural: loc,
          opened: `${r.int(1952, 2015)}-09-01`,
          raw,
          z: {
            teachers: r.normal(), backbone: r.normal(), peArts: r.normal(), area: r.normal(), sports: r.normal(),
            equipment: r.normal(), multimedia: r.normal(), bachelor: r.normal(), dual: r.normal(), master: r.normal(),
          },
          uWireless: r.next(),
          uSchoolDistrict: r.next(),
        });
      }
    }
  }
  return schools;
}

export function stagesOf(type: SchoolType): readonly Stage[] {
  return stagesByType[type];
}
