/**
 * `generateRegionDemo`: a demo folder for a region other than Tianjin, from a region file
 * (regions/*.json): its levels (org-levels.csv), its administrative units (org-units.csv) and
 * schools under the units of one level, with school-stats-<year>.csv for 2020–2025 — the same
 * layouts a real import reads (docs/data-files.md). Deterministic for a seed (one seeded PRNG
 * forked by label). Kept deliberately small: kindergartens, primary and junior schools with
 * enrolment and class sizes, enough for the enrolment and class-size indicators to compute at
 * every level, which is what proves a second hierarchy imports and computes with no code change.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { reportedCodes } from '../core/elements/catalogue.ts';
import { EduplanError } from '../core/errors.ts';
import { checkLevels, orgLevelSchema } from '../core/org/levels.ts';
import { ORG_LEVELS_FILE, ORG_UNITS_FILE, orgLevelColumns, orgUnitColumns, STATS_CODE_COLUMN, STATS_NAME_COLUMN, statsFileName } from '../ingest/layout.ts';
import { CsvFileWriter } from './csv-writer.ts';
import { createRng, type Rng } from './random.ts';
import { DEMO_YEARS } from './sizing.ts';

const gbt2260 = z.string().regex(/^\d{6}$/, '6-digit GB/T 2260 code');

/** A region file: its hierarchy, its administrative units and how many schools of each type a unit of `schools.under` gets. */
export const regionFileSchema = z.strictObject({
  name_zh: z.string().min(1),
  name_en: z.string(),
  /** Why these codes (e.g. a GB/T 2260 province code no real province uses). */
  note: z.string().optional(),
  levels: z.array(orgLevelSchema).min(2),
  units: z.array(z.strictObject({ code: gbt2260, name_zh: z.string().min(1), name_en: z.string(), level: z.string(), parent_code: gbt2260.nullable() })).min(1),
  schools: z.strictObject({
    /** The level whose units the schools belong to (a province's counties). */
    under: z.string(),
    /** The reporting level's code. */
    level: z.string(),
    /** [fewest, most] schools of each type per unit. */
    per_unit: z.strictObject({ kindergarten: z.tuple([z.number().int().min(0), z.number().int().min(0)]), primary: z.tuple([z.number().int().min(0), z.number().int().min(0)]), junior: z.tuple([z.number().int().min(0), z.number().int().min(0)]) }),
  }),
});
export type RegionFile = z.infer<typeof regionFileSchema>;

export function readRegionFile(path: string): RegionFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new EduplanError('E_FILE_NOT_FOUND', { detail: `region file ${path}`, cause });
  }
  const parsed = regionFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new EduplanError('E_INPUT_INVALID', { problems: parsed.error.issues.map((i) => ({ file: path, path: i.path.join('.'), rule: 'format', message_zh: i.message, message_en: i.message })) });
  }
  const region = parsed.data;
  const issues = checkLevels(region.levels);
  if (issues.length > 0) throw new EduplanError('E_INPUT_INVALID', { problems: issues.map((i) => ({ file: path, path: `levels.${i.level}`, rule: i.rule, message_zh: `层级 ${i.level}: ${i.rule}`, message_en: `level ${i.level}: ${i.rule}` })) });
  return region;
}

/** One generated school and its values per year (what the test checks the computed sums against). */
export interface RegionSchool {
  readonly code: string;
  readonly name_zh: string;
  readonly parent_code: string;
  readonly type: 'kindergarten' | 'primary' | 'junior';
  readonly ownership: 'public' | 'private';
  /** year → element code → value. */
  readonly values: ReadonlyMap<number, ReadonlyMap<string, number>>;
}

export interface RegionDemoSummary {
  readonly outDir: string;
  readonly files: string[];
  readonly units: number;
  readonly schools: RegionSchool[];
}

const gradesOf = { kindergarten: ['k1', 'k2', 'k3'], primary: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'], junior: ['g7', 'g8', 'g9'] } as const;

/** A school's values for one year: enrolment by grade and sex, and for compulsory schools its classes by size. */
function schoolYear(type: RegionSchool['type'], size: number, yearIndex: number, rng: Rng): Map<string, number> {
  const v = new Map<string, number>();
  let pupils = 0;
  for (const g of gradesOf[type]) {
    const n = Math.max(10, Math.round(size * (1 + 0.02 * yearIndex) * (0.9 + 0.2 * rng.next())));
    const f = Math.round(n * (0.46 + 0.06 * rng.next()));
    v.set(`enrol.${g}.m`, n - f);
    v.set(`enrol.${g}.f`, f);
    pupils += n;
  }
  if (type === 'kindergarten') return v;
  // Classes by size band; large classes (56+) fade out over the years, as the plan wants.
  const classes = Math.max(gradesOf[type].length, Math.round(pupils / 42));
  const large = Math.max(0, Math.round(classes * (0.12 - 0.025 * yearIndex) * rng.next()));
  const mid = Math.round((classes - large) * 0.3);
  v.set('classes.cmp.lt46', classes - large - mid);
  v.set('classes.cmp.46_55', mid);
  v.set('classes.cmp.56_65', large);
  v.set('classes.cmp.66plus', 0);
  return v;
}

/** Writes the region's demo folder; returns what it wrote, schools with their values included. */
export async function generateRegionDemo(opts: { readonly region: RegionFile; readonly seed: number; readonly outDir: string }): Promise<RegionDemoSummary> {
  const { region, seed, outDir } = opts;
  if (!Number.isInteger(seed)) throw new EduplanError('E_USAGE', { detail: `--seed must be an integer, got ${seed}` });
  mkdirSync(outDir, { recursive: true });
  const rng = createRng(seed);
  const files: string[] = [];

  const levelsPath = join(outDir, ORG_LEVELS_FILE);
  const lw = new CsvFileWriter(levelsPath);
  await lw.row(orgLevelColumns.map((c) => c.name));
  for (const l of region.levels) await lw.row([l.code, l.rank, l.name_zh, l.name_en, l.parent_level, l.reporting_unit]);
  await lw.close();
  files.push(levelsPath);

  // Schools: for each unit of the `under` level, a few of each type; 10-digit codes are the
  // unit's 6 digits and a 4-digit serial, unique because the serial counts within the unit.
  const schools: RegionSchool[] = [];
  for (const unit of region.units.filter((u) => u.level === region.schools.under)) {
    let serial = 0;
    const ur = rng.fork(`schools:${unit.code}`);
    for (const type of ['kindergarten', 'primary', 'junior'] as const) {
      const [lo, hi] = region.schools.per_unit[type];
      const n = ur.int(lo, Math.max(lo, hi));
      for (let i = 0; i < n; i++) {
        serial++;
        const code = `${unit.code}${String(serial).padStart(4, '0')}`;
        const size = type === 'kindergarten' ? 40 + ur.int(0, 60) : type === 'primary' ? 60 + ur.int(0, 90) : 80 + ur.int(0, 120);
        const ownership = type === 'kindergarten' && ur.next() < 0.45 ? 'private' : 'public';
        const yr = ur.fork(code);
        const values = new Map(DEMO_YEARS.map((year, yi) => [year, schoolYear(type, size, yi, yr.fork(String(year)))] as const));
        const kind = { kindergarten: '幼儿园', primary: '小学', junior: '中学' }[type];
        schools.push({ code, name_zh: `${unit.name_zh}第${i + 1}${kind}（演示）`, parent_code: unit.code, type, ownership, values });
      }
    }
  }

  const unitsPath = join(outDir, ORG_UNITS_FILE);
  const uw = new CsvFileWriter(unitsPath);
  await uw.row(orgUnitColumns.map((c) => c.name));
  const rank = new Map(region.levels.map((l) => [l.code, l.rank]));
  for (const u of [...region.units].sort((a, b) => (rank.get(a.level) ?? 0) - (rank.get(b.level) ?? 0) || (a.code < b.code ? -1 : 1))) {
    await uw.row([u.code, u.name_zh, u.name_en, u.level, u.parent_code, null, null, null, null, null, null, null, null]);
  }
  for (const s of schools) {
    await uw.row([s.code, s.name_zh, '', region.schools.level, s.parent_code, s.type, s.ownership, s.type === 'kindergarten' ? s.ownership === 'public' : null, 'urban', null, null, null, null]);
  }
  await uw.close();
  files.push(unitsPath);

  const columns = [...new Set(schools.flatMap((s) => [...(s.values.get(DEMO_YEARS[0]) ?? new Map<string, number>()).keys()]))].sort();
  for (const year of DEMO_YEARS) {
    const path = join(outDir, statsFileName(year));
    const w = new CsvFileWriter(path);
    await w.row([STATS_CODE_COLUMN, STATS_NAME_COLUMN, ...columns]);
    for (const s of schools) {
      const reported = new Set(reportedCodes(s.type));
      const v = s.values.get(year);
      await w.row([s.code, s.name_zh, ...columns.map((c) => (reported.has(c) ? (v?.get(c) ?? null) : null))]);
    }
    await w.close();
    files.push(path);
  }
  return { outDir, files, units: region.units.length, schools };
}
