/**
 * Annual school statistics for the demo (学校年度统计): every element of the
 * catalogue a school type reports, for one academic year. Enrolment is normalised so
 * that city totals follow `cityEnrolment` × scale; everything else is derived from
 * enrolment with per-district character (see sizing.ts `districtProfiles`).
 *
 * 优质均衡 resources (教督〔2017〕6号 资源配置 7 indicators) are drawn as
 * threshold × district level × exp(σ·z): a district's σ sets its inter-school
 * 差异系数, and its level sets how many schools fall below a threshold.
 */
import { gradesByType, reportedCodes, type Grade } from '../core/elements/catalogue.ts';
import type { Stage } from '../core/org/types.ts';
import type { Rng } from './random.ts';
import { stageWeights, type DemoSchool, type KgCategory } from './schools.ts';
import { cityEnrolment, DEMO_YEARS, paceFactor, type Balance } from './sizing.ts';

export type Values = Map<string, number>;

const stageGrades: Readonly<Record<Exclude<Stage, 'higher'>, readonly Grade[]>> = {
  preschool: ['k1', 'k2', 'k3'],
  primary: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'],
  junior: ['g7', 'g8', 'g9'],
  senior: ['g10', 'g11', 'g12'],
  vocational: ['v1', 'v2', 'v3'],
  special: gradesByType.special,
};

const balanceLevel: Readonly<Record<Balance, number>> = { strong: 1.45, ok: 1.35, weak: 1.15 };
const balanceSigma: Readonly<Record<Balance, number>> = { strong: 0.1, ok: 0.15, weak: 0.25 };

/** Students per full-time teacher by stage (生师比), before per-school variation. */
const pupilTeacher: Readonly<Record<Stage, number>> = { preschool: 13, primary: 16.5, junior: 12.5, senior: 11.5, vocational: 16, special: 3.5, higher: 17.5 };
/** Per-student thresholds (优质均衡 for primary/junior; 普及普惠 办园条件 for kindergartens; plausible for others). */
const perStudent = {
  teachingArea: { preschool: 8.5, primary: 4.5, junior: 5.8, senior: 7, vocational: 0, special: 12, higher: 0 },
  sportsArea: { preschool: 4, primary: 7.5, junior: 10.2, senior: 11, vocational: 0, special: 8, higher: 0 },
  equipment: { preschool: 1200, primary: 2000, junior: 2500, senior: 3500, vocational: 8000, special: 4000, higher: 0 },
  multimediaPer100: { preschool: 1.5, primary: 2.3, junior: 2.4, senior: 2.5, vocational: 3, special: 4, higher: 0 },
} as const;

/** City targets for the kindergarten mix (公办园在园幼儿占比 50 → 54; 普惠覆盖率 80 → 85.5). */
const kgPublicShare = [0.5, 0.51, 0.523, 0.53, 0.535, 0.54];
const kgCoverage = [0.8, 0.81, 0.823, 0.835, 0.845, 0.855];

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export interface YearEnrolment {
  /** Students per school per stage. */
  readonly byStage: Map<string, Partial<Record<Stage, number>>>;
}

/**
 * Students per school and stage for one year: raw size × district growth × (for
 * kindergartens) the category mix, normalised to the city total × scale.
 */
export function enrolmentForYear(schools: readonly DemoSchool[], yearIndex: number, scale: number): YearEnrolment {
  const year = DEMO_YEARS[yearIndex] ?? 2020;
  const t = year - 2020;
  // Kindergarten category multipliers: move the city mix toward its targets.
  const kgRaw: Record<KgCategory, number> = { public: 0, inclusive_private: 0, private: 0 };
  for (const s of schools) if (s.kgCategory) kgRaw[s.kgCategory] += s.raw;
  const kgTotal = kgRaw.public + kgRaw.inclusive_private + kgRaw.private;
  const pub = kgPublicShare[yearIndex] ?? 0.5;
  const cov = kgCoverage[yearIndex] ?? 0.8;
  const kgMult: Record<KgCategory, number> = {
    public: kgRaw.public > 0 ? (pub * kgTotal) / kgRaw.public : 1,
    inclusive_private: kgRaw.inclusive_private > 0 ? ((cov - pub) * kgTotal) / kgRaw.inclusive_private : 1,
    private: kgRaw.private > 0 ? ((1 - cov) * kgTotal) / kgRaw.private : 1,
  };
  const weight = (s: DemoSchool, stage: Stage): number => {
    const w = stageWeights[s.type][stage] ?? 0;
    let m = Math.pow(1 + s.profile.growth, t);
    if (s.kgCategory) {
      m *= kgMult[s.kgCategory];
      // Behind districts shift away from non-普惠 private kindergartens more slowly.
      if (s.kgCategory === 'private' && s.profile.pace === 'behind') m *= 1 + 0.06 * t;
      if (s.kgCategory === 'public' && s.profile.pace === 'ahead') m *= 1 + 0.02 * t;
    }
    return s.raw * w * m;
  };
  const totals: Partial<Record<Stage, number>> = {};
  for (const s of schools) for (const st of Object.keys(stageWeights[s.type]) as Stage[]) totals[st] = (totals[st] ?? 0) + weight(s, st);
  const target: Partial<Record<Stage, number>> = {
    preschool: cityEnrolment.preschool[yearIndex],
    primary: cityEnrolment.primary[yearIndex],
    junior: cityEnrolment.junior[yearIndex],
    senior: cityEnrolment.senior[yearIndex],
    vocational: cityEnrolment.vocational[yearIndex],
    special: cityEnrolment.special[yearIndex],
    higher: (cityEnrolment.he_students[yearIndex] ?? 0) + (cityEnrolment.he_postgrads[yearIndex] ?? 0),
  };
  const byStage = new Map<string, Partial<Record<Stage, number>>>();
  for (const s of schools) {
    const row: Partial<Record<Stage, number>> = {};
    for (const st of Object.keys(stageWeights[s.type]) as Stage[]) {
      const tot = totals[st] ?? 0;
      row[st] = tot > 0 ? ((target[st] ?? 0) * scale * weight(s, st)) / tot : 0;
    }
    byStage.set(s.code, row);
  }
  return { byStage };
}

/** District-year improvement: base + step × years × pace, for rates that rise toward a target. */
function trend(s: DemoSchool, base: number, step: number, t: number, lead = 0): number {
  const pf = paceFactor[s.profile.pace];
  const offset = s.profile.pace === 'ahead' ? lead : s.profile.pace === 'behind' ? -lead : 0;
  return base + offset + step * t * pf;
}

/**
 * Every reported element for one school and year. `rng` gives per-year noise (grade
 * and sex split, graduation); per-school character comes from `s.z`.
 */
export function schoolValues(s: DemoSchool, enrol: Partial<Record<Stage, number>>, yearIndex: number, base2020: Partial<Record<Stage, number>>, rng: Rng): Values {
  const year = DEMO_YEARS[yearIndex] ?? 2020;
  const t = year - 2020;
  const v: Values = new Map();
  const level = balanceLevel[s.profile.balance];
  const sigma = balanceSigma[s.profile.balance];
  const draw = (z: number, sig = sigma): number => level * Math.exp(sig * z);

  // Enrolment by grade and sex.
  const stageStudents: Partial<Record<Stage, number>> = {};
  for (const st of Object.keys(enrol) as Stage[]) {
    const e = enrol[st] ?? 0;
    if (st === 'higher') continue;
    const grades = stageGrades[st];
    const weights = grades.map(() => Math.max(0.5, 1 + 0.05 * rng.normal()));
    const wsum = weights.reduce((a, b) => a + b, 0);
    const girlShare = clamp((st === 'vocational' ? 0.42 : 0.476) + 0.012 * rng.normal(), 0.3, 0.6);
    let sum = 0;
    grades.forEach((g, i) => {
      const n = (e * (weights[i] ?? 1)) / wsum;
      const f = Math.round(n * girlShare);
      const m = Math.round(n - n * girlShare);
      v.set(`enrol.${g}.m`, m);
      v.set(`enrol.${g}.f`, f);
      sum += m + f;
    });
    stageStudents[st] = sum;
  }
  const primary = stageStudents.primary ?? 0;
  const junior = stageStudents.junior ?? 0;
  const senior = stageStudents.senior ?? 0;
  const compulsory = primary + junior + (stageStudents.special ?? 0);

  if (s.type === 'primary' || s.type === 'nine_year' || s.type === 'twelve_year') {
    const g1 = (v.get('enrol.g1.m') ?? 0) + (v.get('enrol.g1.f') ?? 0);
    v.set('entrants.g1', Math.round(g1 * (0.975 + 0.02 * rng.next())));
  }
  if (junior > 0) {
    // 义务教育巩固率 = 初三（毕业班）学生数 ÷ 入小学一年级时的同届人数 (the cohort base is drawn from
    // it); district rates 98.5–99.8 % moving up by pace; a school can pass 100 % with pupils
    // transferring in. Graduates, a little fewer than the graduating class, are shown beside it.
    const g9 = (v.get('enrol.g9.m') ?? 0) + (v.get('enrol.g9.f') ?? 0);
    const grads = Math.round(g9 * (0.99 + 0.008 * rng.next()));
    const retention = clamp(trend(s, 0.99, 0.0012, t, 0.004) + 0.004 * rng.normal(), 0.95, 1.02);
    v.set('graduates.g9', grads);
    v.set('cohort.g9_base', Math.round(g9 / retention));
  }

  // Classes by size band (班额). Compulsory classes: 45 or fewer normally; a few
  // large classes (56+) in early years in districts flagged `largeClasses`.
  if (compulsory > 0) {
    const avg = s.type === 'special' ? 10 : s.urbanRural === 'rural' ? 32 : s.district.group === 'central' ? 42 : 39;
    const classes = Math.max(1, Math.ceil(compulsory / avg));
    let large = 0;
    let veryLarge = 0;
    if (s.profile.largeClasses > 0 && t <= 2 && s.type !== 'special') {
      // About one school in twenty of such a district carries a few large classes, fewer each year.
      const carries = s.z.teachers < -1.6;
      if (carries) large = Math.max(0, Math.round((s.profile.largeClasses / 2) * (1 - t / 3)));
      if (carries && t === 0 && s.profile.largeClasses >= 4) veryLarge = 1;
    }
    large = Math.min(large, classes);
    veryLarge = Math.min(veryLarge, classes - large);
    const rest = classes - large - veryLarge;
    const biggish = s.type === 'special' ? 0 : Math.round(rest * (s.district.group === 'central' ? 0.15 : 0.05));
    v.set('classes.cmp.lt46', rest - biggish);
    v.set('classes.cmp.46_55', biggish);
    v.set('classes.cmp.56_65', large);
    v.set('classes.cmp.66plus', veryLarge);
  }
  const preschool = stageStudents.preschool ?? 0;
  const vocational = stageStudents.vocational ?? 0;
  const otherClasses = Math.ceil(preschool / 28) + Math.ceil(senior / 44) + Math.ceil(vocational / 38);
  if (s.type === 'kindergarten' || s.type === 'complete_secondary' || s.type === 'senior' || s.type === 'twelve_year' || s.type === 'vocational') {
    v.set('classes.other', otherClasses);
  }

  // Teachers.
  const heStudents = s.type === 'higher_ed' ? (enrol.higher ?? 0) : 0;
  let teacherNeed = heStudents / pupilTeacher.higher;
  for (const st of Object.keys(stageStudents) as Stage[]) teacherNeed += (stageStudents[st] ?? 0) / pupilTeacher[st];
  // Kindergartens in weak districts run closer to the 1:15 limit of 普及普惠.
  const kgStrain = s.type === 'kindergarten' && s.profile.balance === 'weak' ? 1.12 : 1;
  const fulltime = Math.max(1, Math.round((teacherNeed / kgStrain) * Math.exp(-0.6 * sigma * s.z.teachers) * (1 + 0.01 * t)));
  v.set('teachers.fulltime', fulltime);

  const ruralCompulsory = s.urbanRural === 'rural' && compulsory > 0;
  const bachelorRate = s.type === 'higher_ed' ? 0.99
    : s.type === 'kindergarten' ? trend(s, 0.66, 0.012, t, 0.03)
    : ruralCompulsory ? trend(s, 0.875, 0.0065, t, 0.012) // 农村义务教育专任教师本科及以上 87.5 → 90
    : s.type === 'vocational' ? 0.94
    : senior > 0 && compulsory === 0 ? 0.995
    : trend(s, 0.95, 0.004, t, 0.01);
  const bachelor = Math.min(fulltime, Math.round(fulltime * clamp(bachelorRate + 0.025 * s.z.bachelor, 0.4, 1)));
  v.set('teachers.bachelor_plus', bachelor);

  if (compulsory + senior > 0 && s.type !== 'vocational') {
    // 高于规定学历: primary 专科及以上 (≈ all), junior/senior 本科及以上 (≈ bachelor count).
    const primaryShare = compulsory + senior > 0 ? primary / (compulsory + senior) : 0;
    const above = Math.min(fulltime, Math.max(bachelor, Math.round(fulltime * (primaryShare * 0.99 + (1 - primaryShare) * (bachelor / fulltime)))));
    v.set('teachers.above_required', above);
    // 骨干教师 ≥ 1 per 100 students; 体育艺术教师 ≥ 0.9 per 100 students.
    v.set('teachers.backbone', Math.min(fulltime, Math.round(((compulsory + senior) / 100) * 1.05 * draw(s.z.backbone))));
    v.set('teachers.pe_arts', Math.min(fulltime, Math.round(((compulsory + senior) / 100) * 0.95 * draw(s.z.peArts))));
  }
  if (s.type === 'vocational') {
    const specialty = Math.round(fulltime * 0.58);
    v.set('teachers.specialty', specialty);
    // 双师型教师占比 60 → 70.
    const dual = clamp(trend(s, 0.6, 0.021, t, 0.03) + 0.05 * s.z.dual, 0.2, 0.98);
    v.set('teachers.dual_qualified', Math.round(specialty * dual));
  }
  if (s.type === 'higher_ed' && s.z.master <= -0.1) {
    // The colleges without postgraduates stand for the 高职 colleges: they report 双师型 too
    // (the plan's text: 70 % in 2020), counted with the `dual_teachers` scope option only.
    const specialty = Math.round(fulltime * 0.6);
    v.set('teachers.specialty', specialty);
    v.set('teachers.dual_qualified', Math.round(specialty * clamp(trend(s, 0.7, 0.012, t, 0.02) + 0.05 * s.z.dual, 0.2, 0.98)));
  }
  if (s.type === 'higher_ed' || senior > 0) {
    // 普通高校硕士及以上学位专任教师比例 73.2 → 75.
    const rate = s.type === 'higher_ed' ? clamp(0.732 + 0.0045 * t + 0.08 * s.z.master, 0.3, 0.98) : clamp(0.28 + 0.02 * t + 0.06 * s.z.master, 0.05, 0.9);
    v.set('teachers.master_plus', Math.min(fulltime, Math.round(fulltime * rate)));
  }

  // Buildings, sports grounds, equipment, multimedia rooms: sized mostly on this year's
  // students (the 2020–2022 优质均衡 action added places as enrolment grew) with a lag
  // on 2020's, so fast-growing districts see per-student values dip a little.
  if (s.type !== 'higher_ed') {
    let areaNeed = 0;
    let sportsNeed = 0;
    let equipmentNeed = 0;
    let mmNeed = 0;
    for (const st of Object.keys(enrol) as Stage[]) {
      const n = 0.85 * (enrol[st] ?? 0) + 0.15 * (base2020[st] ?? 0);
      areaNeed += n * perStudent.teachingArea[st];
      sportsNeed += n * perStudent.sportsArea[st];
      equipmentNeed += n * perStudent.equipment[st];
      mmNeed += (n / 100) * perStudent.multimediaPer100[st];
    }
    // Central districts are cramped for sports grounds; weak districts' sports grounds vary widely (差异系数 above the limit).
    const sportsLevel = s.district.group === 'central' && s.profile.balance !== 'strong' ? 0.95 : 1;
    const sportsSigma = s.profile.balance === 'weak' ? 0.62 : sigma;
    if (s.type !== 'vocational') {
      v.set('area.teaching_aux_m2', Math.round(areaNeed * draw(s.z.area) * (1 + 0.005 * t)));
      v.set('area.sports_m2', Math.round(sportsNeed * sportsLevel * draw(s.z.sports, sportsSigma) * (1 + 0.004 * t)));
    }
    v.set('equipment.value_yuan', Math.round(equipmentNeed * draw(s.z.equipment) * Math.pow(1.04, t)));
    v.set('rooms.multimedia', Math.max(1, Math.round(mmNeed * draw(s.z.multimedia) * (1 + 0.02 * t))));
  }
  if (s.type !== 'vocational' && s.type !== 'higher_ed') {
    // 基础教育无线网覆盖率 42 → 100: a school is covered from the year its draw falls under the district's rate.
    const coverage = clamp(0.42 + (0.116 * t) * paceFactor[s.profile.pace] + (s.profile.pace === 'ahead' ? 0.05 : 0), 0, 1);
    v.set('wireless.covered', s.uWireless < coverage ? 1 : 0);
  }
  if (compulsory > 0) {
    // 义务教育学区化办学比例 95 → 99.
    const rate = clamp(trend(s, 0.95, 0.008, t, 0.02), 0, 1);
    v.set('school_district.member', s.uSchoolDistrict < rate ? 1 : 0);
  }
  if (s.type === 'higher_ed') {
    const total = enrol.higher ?? 0;
    // Postgraduates sit in the larger, older universities (24 研究生培养机构 of 56 HEIs).
    const pgShare = s.z.master > -0.1 ? (cityEnrolment.he_postgrads[yearIndex] ?? 0) / ((cityEnrolment.he_students[yearIndex] ?? 1) + (cityEnrolment.he_postgrads[yearIndex] ?? 0)) * 2.1 : 0;
    const postgrads = Math.round(total * Math.min(0.45, pgShare));
    v.set('he.students', Math.round(total) - postgrads);
    v.set('he.postgrads', postgrads);
    const prof = Math.round(postgrads * (0.55 + 0.01 * t));
    v.set('he.prof_postgrads', prof);
    // 专业学位研究生双导师比例 40 → 50.
    v.set('he.prof_postgrads_dual', Math.round(prof * clamp(0.4 + 0.022 * t + 0.06 * s.z.dual, 0.05, 1)));
  }
  // Every element the type reports has a value.
  for (const code of reportedCodes(s.type)) if (!v.has(code)) v.set(code, 0);
  return v;
}
