/**
 * `generateDemo`: writes a folder of Tianjin-like demo data (演示数据) in exactly the
 * layouts a real user imports (docs/data-files.md): org-units.csv,
 * school-stats-<year>.csv for 2020–2025, reference.csv, the plan-execution files
 * (registry-<id>.csv, plan-units.csv, plan-owners.csv, target-values.csv,
 * plan-milestones.csv, task-reports.csv and documents/: ./plan-execution.ts), and — through the
 * student helper's `writeStudentRecordFiles` — fitness-<year>.csv and vision-<year>.csv.
 * Deterministic for a seed: one seeded PRNG (mulberry32) forked by label, no clock.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Grade } from '../core/elements/catalogue.ts';
import { reportedCodes } from '../core/elements/catalogue.ts';
import { CITY_CODE, CITY_NAME_EN, CITY_NAME_ZH, districts } from '../core/org/districts.ts';
import type { SchoolType, Stage } from '../core/org/types.ts';
import { EduplanError } from '../core/errors.ts';
import {
  ORG_UNITS_FILE, REFERENCE_FILE, STATS_CODE_COLUMN, STATS_NAME_COLUMN, orgUnitColumns, referenceColumns, statsColumnLabel,
  statsElementColumns, statsFileName,
} from '../ingest/layout.ts';
import { CsvFileWriter } from './csv-writer.ts';
import { createRng } from './random.ts';
import { referenceRows } from './reference.ts';
import { buildSchools, type DemoSchool } from './schools.ts';
import { DEMO_YEARS } from './sizing.ts';
import { writeStudentRecordFiles } from './students.ts';
import { writePlanExecutionFiles } from './plan-execution.ts';
import { readPlanDir } from '../ingest/plan-files.ts';
import { bundledPlanDir } from '../services/plan.ts';
import { enrolmentForYear, schoolValues } from './stats.ts';

export interface GenerateDemoOptions {
  /** 1 ≈ all of Tianjin (~3,800 schools); 0.05 ≈ 200 schools. Between 0.001 and 10. */
  readonly scale: number;
  readonly seed: number;
  readonly outDir: string;
  /** Also write student fitness/vision records (slow at large scale). Default true. */
  readonly students?: boolean;
  /** Academic years to write student records for (default all of 2020–2025); fewer years start faster. */
  readonly studentYears?: readonly number[];
  /**
   * Share of each grade's students that get fitness/vision records (default 1). Rates
   * (优良率, 近视率) are unchanged by sampling; counts of students tested shrink.
   */
  readonly studentSample?: number;
  /** Also write the plan-execution files (registries, owners, milestones, reports, entered values). Default true. */
  readonly planExecution?: boolean;
}

export interface DemoSummary {
  readonly outDir: string;
  readonly files: string[];
  readonly schools: number;
  readonly statsRows: number;
  readonly referenceRows: number;
  readonly studentRows: number;
  /** Rows of the plan-execution files. */
  readonly planExecutionRows: number;
  /** Why student files were not written, when they were not. */
  readonly studentsNote?: string;
}

/**
 * A school's demo contact, derived from its code (not drawn from the generator, so the demo's
 * figures do not move): a role, never a person's name, and a number that cannot be dialled
 * (Tianjin's local numbers never start with 0).
 */
function demoContact(code: string): [string, string] {
  return ['统计填报员（演示）', `022-0000${code.slice(-4)}`];
}

export async function generateDemo(opts: GenerateDemoOptions): Promise<DemoSummary> {
  const { scale, seed, outDir } = opts;
  if (!(Number.isFinite(scale) && scale >= 0.001 && scale <= 10)) {
    throw new EduplanError('E_USAGE', { detail: `--scale must be a number between 0.001 and 10, got ${scale}` });
  }
  if (!Number.isInteger(seed)) throw new EduplanError('E_USAGE', { detail: `--seed must be an integer, got ${seed}` });
  const sample = opts.studentSample ?? 1;
  if (!(sample > 0 && sample <= 1)) throw new EduplanError('E_USAGE', { detail: `--student-sample must be in (0, 1], got ${sample}` });
  mkdirSync(outDir, { recursive: true });
  const rng = createRng(seed);
  const schools = buildSchools(scale, rng.fork('schools'));
  const files: string[] = [];

  // org-units.csv: city, districts, schools (parents before children).
  const orgPath = join(outDir, ORG_UNITS_FILE);
  const org = new CsvFileWriter(orgPath);
  await org.row(orgUnitColumns.map((c) => c.name));
  await org.row([CITY_CODE, CITY_NAME_ZH, CITY_NAME_EN, 'city', null, null, null, null, 'urban', null, null, null, null]);
  for (const d of districts) await org.row([d.code, d.name_zh, d.name_en, 'district', CITY_CODE, null, null, null, d.group === 'outer' ? 'rural' : 'urban', null, null, null, null]);
  for (const s of schools) {
    await org.row([s.code, s.name_zh, s.name_en, 'school', s.district.code, s.type, s.ownership, s.inclusive, s.urbanRural, s.opened, null, ...demoContact(s.code)]);
  }
  await org.close();
  files.push(orgPath);

  // school-stats-<year>.csv.
  const enrolment = DEMO_YEARS.map((_, yi) => enrolmentForYear(schools, yi, scale));
  const base2020 = enrolment[0]?.byStage ?? new Map<string, Partial<Record<Stage, number>>>();
  const columns = [STATS_CODE_COLUMN, STATS_NAME_COLUMN, ...statsElementColumns()];
  const reportedByType = new Map<SchoolType, Set<string>>();
  const reported = (t: SchoolType): Set<string> => {
    let set = reportedByType.get(t);
    if (!set) reportedByType.set(t, (set = new Set(reportedCodes(t))));
    return set;
  };
  const stageTotals: Array<Map<string, Partial<Record<Stage, number>>>> = [];
  let statsRows = 0;
  const latestEnrolment = new Map<string, Partial<Record<Grade, { m: number; f: number }>>>();
  for (const [yi, year] of DEMO_YEARS.entries()) {
    const yr = rng.fork(`stats:${year}`);
    const byStage = enrolment[yi]?.byStage ?? new Map<string, Partial<Record<Stage, number>>>();
    const districtTotals = new Map<string, Partial<Record<Stage, number>>>();
    const path = join(outDir, statsFileName(year));
    const w = new CsvFileWriter(path);
    await w.row(columns);
    await w.row(columns.map(statsColumnLabel));
    for (const s of schools) {
      const v = schoolValues(s, byStage.get(s.code) ?? {}, yi, base2020.get(s.code) ?? {}, yr);
      const rep = reported(s.type);
      await w.row([s.code, s.name_zh, ...columns.slice(2).map((c) => (rep.has(c) ? (v.get(c) ?? 0) : null))]);
      addStageTotals(districtTotals, s, v);
      if (yi === DEMO_YEARS.length - 1) latestEnrolment.set(s.code, gradeEnrolment(v));
    }
    await w.close();
    statsRows += w.rows - 2;
    stageTotals.push(districtTotals);
    files.push(path);
  }

  // reference.csv.
  const refs = referenceRows(schools, stageTotals, scale, rng.fork('reference'));
  const refPath = join(outDir, REFERENCE_FILE);
  const rw = new CsvFileWriter(refPath);
  await rw.row(referenceColumns.map((c) => c.name));
  for (const r of refs) await rw.row([r.org_code, r.year, r.code, r.value, r.source]);
  await rw.close();
  files.push(refPath);

  // Plan execution: registries, owners, milestones, reports and entered values, from a fork
  // of their own so that the files above stay byte-identical.
  let planExecutionRows = 0;
  if (opts.planExecution !== false) {
    const pe = await writePlanExecutionFiles({ plan: await readPlanDir(bundledPlanDir()), schools, rng: rng.fork('plan-execution'), outDir });
    files.push(...pe.files);
    planExecutionRows = pe.rows;
  }

  // Student fitness and vision records (student-health helper).
  let studentRows = 0;
  let studentsNote: string | undefined;
  if (opts.students !== false) {
    const out = await writeStudentRecordFiles({
      schools: schools.map((s) => ({ code: s.code, type: s.type, district: s.district.code, enrolment: sampled(latestEnrolment.get(s.code) ?? {}, sample) })),
      years: [...(opts.studentYears ?? DEMO_YEARS)],
      seed,
      outDir,
    });
    files.push(...out.files);
    studentRows = out.rows;
  } else {
    studentsNote = 'student records not requested (--no-students)';
  }
  return { outDir, files, schools: schools.length, statsRows, referenceRows: refs.length, studentRows, planExecutionRows, ...(studentsNote ? { studentsNote } : {}) };
}

/** Add a school's students by stage to its district's totals (for the population denominators). */
function addStageTotals(totals: Map<string, Partial<Record<Stage, number>>>, s: DemoSchool, v: ReadonlyMap<string, number>): void {
  let row = totals.get(s.district.code);
  if (!row) totals.set(s.district.code, (row = {}));
  const add = (stage: Stage, n: number): void => { row[stage] = (row[stage] ?? 0) + n; };
  for (const [code, n] of v) {
    const m = /^enrol\.([a-z]\d+)\.[mf]$/.exec(code);
    if (!m) continue;
    const g = m[1] ?? '';
    if (s.type === 'special') add('special', n);
    else if (g.startsWith('k')) add('preschool', n);
    else if (g.startsWith('v')) add('vocational', n);
    else {
      const num = Number(g.slice(1));
      add(num <= 6 ? 'primary' : num <= 9 ? 'junior' : 'senior', n);
    }
  }
}

function sampled(e: Partial<Record<Grade, { m: number; f: number }>>, share: number): Partial<Record<Grade, { m: number; f: number }>> {
  if (share === 1) return e;
  const out: Partial<Record<Grade, { m: number; f: number }>> = {};
  for (const [g, c] of Object.entries(e) as Array<[Grade, { m: number; f: number }]>) out[g] = { m: Math.round(c.m * share), f: Math.round(c.f * share) };
  return out;
}

function gradeEnrolment(v: ReadonlyMap<string, number>): Partial<Record<Grade, { m: number; f: number }>> {
  const out: Partial<Record<Grade, { m: number; f: number }>> = {};
  for (const [code, n] of v) {
    const m = /^enrol\.([a-z]\d+)\.([mf])$/.exec(code);
    if (!m) continue;
    const g = m[1] as Grade;
    const cell = out[g] ?? { m: 0, f: 0 };
    if (m[2] === 'm') cell.m = n;
    else cell.f = n;
    out[g] = cell;
  }
  return out;
}
