/**
 * Demo student records: `fitness-<year>.csv` and `vision-<year>.csv` in the documented
 * template (docs/student-records.md), deterministic for a seed (mulberry32 passed
 * around; no Math.random).
 *
 * Calibration (so that the derived indicators tell a plausible story):
 * - 体质健康优良率 (优秀 + 良好) near 19.9 % city-wide in 2020, rising to ≈ 40 % by 2025;
 *   districts differ in level and pace (some on track, some behind); 及格率 ≈ 90–95 %.
 * - 筛查性近视率 ≈ 53.5 % in 2020 falling to ≈ 50 % by 2025, rising with grade; the
 *   kindergartens' 大班 children (vision only, 年级编号 03) are the 6-year-olds, ≈ 10 %.
 * Every measurement is produced from the standard's own tables: a student's latent
 * fitness picks a score level per item and the value is drawn inside that level's
 * interval, so the file scores exactly as intended when imported.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Grade } from '../core/elements/catalogue.ts';
import type { SchoolType } from '../core/org/types.ts';
import { idCheckChar } from '../core/standards/id-number.ts';
import { R_ANNUAL_HUNDREDTHS, RESULT_SLOTS, scoreCompiled } from '../core/standards/fitness/score.ts';
import { BMI, fitnessStandard, groupKey, ITEM_COUNT, itemIndex, type CompiledGroup, type FitnessItem, type FitnessSex } from '../core/standards/fitness/tables.ts';
import { fitnessItemColumns, K3_GRADE_CODE, templateHeaders } from '../ingest/student-records/index.ts';
import { mulberry32 } from './random.ts';

export interface DemoSchool {
  readonly code: string;
  readonly type: SchoolType;
  readonly district: string;
  readonly enrolment: Partial<Record<Grade, { m: number; f: number }>>;
}

export interface StudentFilesOptions {
  readonly schools: readonly DemoSchool[];
  readonly years: readonly number[];
  readonly seed: number;
  readonly outDir: string;
  /** Which files to write (default both); the benchmark writes fitness only. */
  readonly kinds?: ReadonlyArray<'fitness' | 'vision'>;
}

function normal(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** 年级编号 for a catalogue grade (中职 uses 31–33; 大班 the platform's 03). */
export function gradeCodeOf(g: Grade): number | null {
  if (g === 'k3') return K3_GRADE_CODE;
  const m = /^([gv])(\d+)$/.exec(g);
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1] === 'v') return 30 + n;
  return n <= 6 ? 10 + n : n <= 9 ? 20 + n - 6 : 30 + n - 9;
}

const LATENT_SD = 0.72;
/**
 * A student's latent fitness: normal around the school's mean, plus a low-fitness
 * minority (~5 %, shifted down) that improves little year on year — this keeps the
 * pass rate near 90–95 % while the 优良 share rises.
 */
function latentOf(mu: number, rand: () => number): number {
  const z = mu + normal(rand) * LATENT_SD;
  return rand() < 0.05 ? z - 1.3 : z;
}
const ITEM_NOISE = 0.55;
/** Latent → score level cut-offs (standard-normal scale), best level first. */
const LEVEL_CUTS = [2.3, 1.95, 1.6, 1.2, 0.8, 0.6, 0.4, 0.2, 0.0, -0.2, -0.4, -0.6, -0.8, -1.0, -1.25, -1.75, -2.1, -2.4, -2.7, -3.0];

/**
 * Fill `values` for one student: each item's value inside the interval of the level its
 * latent reaches (so the demo scores as calibrated), BMI from a band mix. Returns height, weight.
 */
function drawMeasurements(g: CompiledGroup, latent: number, rand: () => number, values: Float64Array): { h: number; w: number } {
  values.fill(NaN);
  const { lowerIsBetter } = fitnessStandard();
  for (const it of g.items) {
    if (it === BMI) continue;
    const lad = g.ladders[it];
    if (!lad) continue;
    const x = latent + normal(rand) * ITEM_NOISE;
    let level = LEVEL_CUTS.findIndex((c) => x >= c);
    if (level === -1 || level >= lad.thresholds.length) level = lad.thresholds.length; // below the lowest level
    const lower = lowerIsBetter[it] === 1;
    let nv: number;
    if (level === 0) {
      // Beyond the 100-point threshold: the excess earns bonus points.
      const top = lad.thresholds[0] as number;
      const step = Math.abs(top - (lad.thresholds[1] as number));
      nv = top + (x - (LEVEL_CUTS[0] as number)) * step * 4 * rand();
    } else if (level >= lad.thresholds.length) {
      const last = lad.thresholds[lad.thresholds.length - 1] as number;
      const step = Math.abs((lad.thresholds[lad.thresholds.length - 2] as number) - last);
      nv = last - step * (0.2 + rand());
    } else {
      const lo = lad.thresholds[level] as number;
      const hi = lad.thresholds[level - 1] as number;
      nv = lo + (hi - lo) * rand() * 0.999;
    }
    // Round towards the worse side so the value stays inside its level (thresholds sit on the 0.1 / 1 grid).
    const tenths = decimalsOf[it] === 1;
    const v = lower ? (tenths ? Math.ceil(-nv * 10 - 1e-9) / 10 : Math.ceil(-nv - 1e-9)) : (tenths ? Math.floor(nv * 10 + 1e-9) / 10 : Math.floor(nv + 1e-9));
    // Keep inside the importer's plausible ranges (a real test sheet would not hold −1 pull-ups).
    const range = rangeOf.get(it);
    values[it] = range ? Math.min(range.max, Math.max(range.min, v)) : v;
  }
  // Height by age, BMI band mix: mostly normal, ~10 % obese (national monitoring order of magnitude).
  const ageish = Math.floor(g.grade / 10) === 1 ? g.grade - 10 + 6 : Math.floor(g.grade / 10) === 2 ? g.grade - 20 + 12 : g.grade - 30 + 15;
  const h = Math.round((Math.min(172, 116 + (ageish - 6) * 6.2) + (g.sex === 'male' ? 2 : 0) + normal(rand) * 6) * 10) / 10;
  const r = rand();
  const mx = g.bmiMaxTenths;
  const band = r < 0.05 ? 0 : r < 0.72 ? 1 : r < 0.88 ? 2 : 3;
  const loT = band === 0 ? (mx[0] as number) - 15 : (mx[band - 1] as number) + 1;
  const hiT = band === 3 ? (mx[2] as number) + 40 : (mx[band] as number);
  const bmiT = loT + Math.floor(rand() * (hiT - loT + 1));
  // Weight from the BMI drawn; at least 15 kg (the importer's plausible range starts at 14).
  const w = Math.max(15, Math.round((bmiT / 10) * (h / 100) * (h / 100) * 10) / 10);
  return { h, w };
}
const rangeOf = new Map(fitnessItemColumns.filter((c) => c.key !== 'height_cm' && c.key !== 'weight_kg').map((c) => [itemIndex[c.key as FitnessItem], c]));
const decimalsOf: Record<number, number> = { [itemIndex.run_50m]: 1, [itemIndex.sit_and_reach]: 1 };

/** Share of students with annual total ≥ 80 for a latent mean (simulated, fixed seed). */
function simulateRate(mu: number, groups: readonly CompiledGroup[]): number {
  const rand = mulberry32(12345);
  const values = new Float64Array(ITEM_COUNT);
  const s = new Float64Array(ITEM_COUNT);
  const b = new Float64Array(ITEM_COUNT);
  const out = new Int32Array(RESULT_SLOTS);
  let good = 0;
  const n = 3000;
  for (let i = 0; i < n; i++) {
    const g = groups[i % groups.length] as CompiledGroup;
    const { h, w } = drawMeasurements(g, latentOf(mu, rand), rand, values);
    values[BMI] = Math.round((w / ((h / 100) * (h / 100))) * 10) / 10;
    scoreCompiled(g, values, s, b, out);
    if ((out[R_ANNUAL_HUNDREDTHS] as number) >= 8000) good += 1;
  }
  return good / n;
}

/** Latent mean giving a target 优良率 (bisection on the simulated rate, which rises with the mean). */
function calibrate(): (rate: number) => number {
  const std = fitnessStandard();
  const groups = [...std.groups.values()].filter((g) => g.grade < 40);
  const grid: Array<[number, number]> = [];
  for (let mu = -1.5; mu <= 2.0001; mu += 0.25) grid.push([mu, simulateRate(mu, groups)]);
  return (rate) => {
    for (let i = 1; i < grid.length; i++) {
      const [m0, r0] = grid[i - 1] as [number, number];
      const [m1, r1] = grid[i] as [number, number];
      if (rate <= r1) return r1 === r0 ? m1 : m0 + ((rate - r0) / (r1 - r0)) * (m1 - m0);
    }
    return (grid[grid.length - 1] as [number, number])[0];
  };
}

/** District profile from its code: level offset and pace relative to the city (some behind). */
function districtProfile(district: string, seed: number): { level: number; pace: number } {
  const r = mulberry32(seed ^ Number(district))();
  const r2 = mulberry32((seed * 31) ^ Number(district))();
  return { level: (r - 0.5) * 0.08, pace: 0.45 + r2 * 1.1 };
}

/** City 优良率 path: 19.9 % (2020) → ≈ 40 % (2025), linear in between, extrapolated outside. */
const cityExcellentGood = (year: number): number => 0.199 + CALIBRATION_OFFSET + 0.042 * (year - 2020);
/** The calibration simulates grade groups equally weighted; real enrolment leans to primary grades, which score lower. */
const CALIBRATION_OFFSET = 0.014;
/** City screening-myopia path: 53.5 % (2020) → ≈ 50 % (2025). */
const cityMyopia = (year: number): number => 0.535 - 0.007 * (year - 2020);
/** Relative myopia prevalence by years of schooling (大班 = 0: 6-year-olds, low; primary low, senior high). */
const myopiaByYears = [0.1, 0.14, 0.2, 0.28, 0.36, 0.44, 0.52, 0.62, 0.69, 0.74, 0.78, 0.81, 0.83];
/** Years of schooling of a grade code (03 → 0, 11 → 1 … 33 → 12). */
const yearsOf = (code: number): number => (code === K3_GRADE_CODE ? 0 : code < 20 ? code - 10 : code < 30 ? code - 14 : code - 21);

const gradeNamesZh: Record<number, string> = { [K3_GRADE_CODE]: '大班', 11: '一年级', 12: '二年级', 13: '三年级', 14: '四年级', 15: '五年级', 16: '六年级', 21: '初一', 22: '初二', 23: '初三', 31: '高一', 32: '高二', 33: '高三' };

function fmtTime(sec: number): string {
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}'${String(s % 60).padStart(2, '0')}`;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Buffered line writer with back-pressure. */
class LineWriter {
  private buf = '';
  private readonly stream;
  /** `null`: discard (a file kind not asked for). */
  constructor(path: string | null) { this.stream = path === null ? null : createWriteStream(path, { encoding: 'utf8' }); }
  async line(s: string): Promise<void> {
    if (this.stream === null) return;
    this.buf += s;
    if (this.buf.length > 1 << 16) {
      const ok = this.stream.write(this.buf);
      this.buf = '';
      if (!ok) await once(this.stream, 'drain');
    }
  }
  async close(): Promise<void> {
    if (this.stream === null) return;
    if (this.buf) this.stream.write(this.buf);
    this.buf = '';
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

/**
 * Write `fitness-<year>.csv` and `vision-<year>.csv` for every year. Fitness: grades
 * 1–12 and 中职 (31–33); vision: the same students, and the kindergartens' 大班 children
 * (年级编号 03; no fitness record: the 2014 standard does not test them). Returns the files
 * and the data-row count.
 */
export async function writeStudentRecordFiles(opts: StudentFilesOptions): Promise<{ files: string[]; rows: number }> {
  await mkdir(opts.outDir, { recursive: true });
  const std = fitnessStandard();
  const muFor = calibrate();
  const files: string[] = [];
  let rows = 0;
  const values = new Float64Array(ITEM_COUNT);
  const itemCols = ['vital_capacity', 'run_50m', 'standing_long_jump', 'sit_and_reach', 'shuttle_run_50x8', 'rope_skip_1min', 'run_800m', 'run_1000m', 'sit_ups_1min', 'pull_ups'] as const;

  // Myopia scale: the base prevalence weighted by these schools' enrolment, so the city rate hits the path.
  let wSum = 0;
  let pSum = 0;
  for (const s of opts.schools) {
    for (const [g, e] of Object.entries(s.enrolment)) {
      const code = gradeCodeOf(g as Grade);
      if (code === null || !e) continue;
      const n = yearsOf(code);
      wSum += e.m + e.f;
      pSum += (e.m + e.f) * (myopiaByYears[n] ?? 0.8);
    }
  }
  const baseMyopia = wSum > 0 ? pSum / wSum : 0.5;

  for (const year of opts.years) {
    const yearRand = mulberry32((opts.seed ^ (year * 2654435761)) >>> 0);
    // 大班 records draw from their own stream: their draws do not shift the school-age records'.
    const kRand = mulberry32((opts.seed ^ (year * 2246822519) ^ 0x6b33) >>> 0);
    const fitnessPath = join(opts.outDir, `fitness-${year}.csv`);
    const visionPath = join(opts.outDir, `vision-${year}.csv`);
    const kinds = opts.kinds ?? ['fitness', 'vision'];
    const fw = new LineWriter(kinds.includes('fitness') ? fitnessPath : null);
    const vw = new LineWriter(kinds.includes('vision') ? visionPath : null);
    await fw.line(`${templateHeaders('fitness').join(',')}\n`);
    await vw.line(`${templateHeaders('vision').join(',')}\n`);
    const sequence = new Map<string, number>();
    for (const school of opts.schools) {
      const prof = districtProfile(school.district, opts.seed);
      const target = Math.min(0.85, Math.max(0.04, cityExcellentGood(2020) + prof.level + (cityExcellentGood(year) - cityExcellentGood(2020)) * prof.pace));
      const mu = muFor(target);
      const myopiaScale = (cityMyopia(year) / baseMyopia) * (1 + prof.level * 1.5);
      for (const [grade, e] of Object.entries(school.enrolment) as Array<[Grade, { m: number; f: number } | undefined]>) {
        const gradeCode = gradeCodeOf(grade);
        if (gradeCode === null || !e) continue;
        const n = yearsOf(gradeCode);
        const kindergarten = gradeCode === K3_GRADE_CODE;
        if (kindergarten && !kinds.includes('vision')) continue;
        for (const sex of ['m', 'f'] as const) {
          const fsex: FitnessSex = sex === 'm' ? 'male' : 'female';
          const g = std.groups.get(groupKey(gradeCode, fsex));
          if (!g && !kindergarten) continue;
          const rand = kindergarten ? kRand : yearRand;
          const count = e[sex];
          for (let i = 0; i < count; i++) {
            const classNo = 1 + Math.floor(i / 20);
            const classCode = `${gradeCode}${String(classNo).padStart(2, '0')}`;
            const className = `${gradeNamesZh[gradeCode] ?? gradeCode}${classNo}班`;
            // Age n + 5 on 1 September: born between (year − n − 6)-09-02 and (year − n − 5)-09-01.
            const birthMs = Date.UTC(year - n - 6, 8, 2) + Math.floor(rand() * 365) * 86_400_000;
            const birth = isoDay(birthMs);
            const key = `${school.district}${birth}${sex}`;
            const seq = (sequence.get(key) ?? 0) + 1;
            sequence.set(key, seq);
            // Sequence code: odd for boys, even for girls (GB 11643 §6.3); 001…999.
            const seqCode = sex === 'm' ? 2 * seq - 1 : 2 * seq;
            const id17 = `${school.district}${birth.replace(/-/g, '')}${String(seqCode % 1000).padStart(3, '0')}`;
            const id = `${id17}${idCheckChar(id17)}`;
            const identity = `${school.code},${String(gradeCode).padStart(2, '0')},${classCode},${className},G${id},01,学生${String(i + 1).padStart(4, '0')},${sex === 'm' ? 1 : 2},${birth.replace(/-/g, '')},天津市,${id}`;
            rows += g ? kinds.length : 1;

            // Fitness: ~0.5 % exempt, ~1 % with one item missing.
            if (g) {
              const latent = latentOf(mu, rand);
              const { h, w } = drawMeasurements(g, latent, rand, values);
              const r = rand();
              if (r < 0.005) {
                await fw.line(`${identity},,,,,,,,,,,,,是\n`);
              } else {
                const missing = r < 0.015 ? (g.items[1 + Math.floor(rand() * (g.items.length - 1))] as number) : -1;
                let cells = `${identity},${h},${w}`;
                for (const k of itemCols) {
                  const idx = itemIndex[k];
                  const v = values[idx] as number;
                  if (v !== v || idx === missing) cells += ',';
                  else cells += `,${k === 'run_800m' || k === 'run_1000m' || k === 'shuttle_run_50x8' ? fmtTime(v) : v}`;
                }
                await fw.line(`${cells},否\n`);
              }
            }

            // Vision: screening myopia with grade- and year-dependent prevalence.
            const p = Math.min(0.97, (myopiaByYears[n] ?? 0.8) * myopiaScale);
            const myopic = rand() < p;
            const orthoK = myopic && rand() < 0.03;
            const eye = (): string => {
              if (myopic && !orthoK) {
                const se = -(0.75 + rand() * (0.5 + n * 0.35));
                const cyl = -Math.round(rand() * 3) * 0.25;
                const sph = Math.round((se - cyl / 2) * 4) / 4;
                const va = Math.max(3.8, Math.round((4.9 + se * 0.25) * 10) / 10);
                return `${Math.min(4.9, va)},${sph.toFixed(2)},${cyl.toFixed(2)},${Math.floor(rand() * 180)}`;
              }
              const poor = rand() < 0.12;
              const va = poor ? 4.8 + Math.round(rand()) * 0.1 : 5.0 + Math.floor(rand() * 3) / 10;
              const sph = Math.round((-0.25 + rand() * 1.25) * 4) / 4;
              return `${va.toFixed(1)},${sph >= 0 ? '+' : ''}${sph.toFixed(2)},0.00,0`;
            };
            const [vr, sr, cr, ar] = eye().split(',');
            const [vl, sl, cl, al] = eye().split(',');
            await vw.line(`${identity},${vr},${vl},${sr},${cr},${ar},${sl},${cl},${al},${orthoK ? '是' : '否'}\n`);
          }
        }
      }
    }
    await fw.close();
    await vw.close();
    if (kinds.includes('fitness')) files.push(fitnessPath);
    if (kinds.includes('vision')) files.push(visionPath);
  }
  return { files, rows };
}
