/**
 * What the demo data is sized and shaped on (演示数据规模与走势).
 *
 * Sizes come from ../shared/reference/tianjin-stats.md (2022 communique: ~2,257
 * kindergartens / 319,500 children, 884 primary schools / 770,900 pupils, 542 regular
 * secondary schools / 571,100 students, 58 secondary vocational schools, 56 HEIs /
 * 594,500 students + 92,800 postgraduates; 2017–2021 enrolment series). Trends are
 * chosen so that academic year 2020 sits near the plan's 2020 baselines and districts
 * differ (some ahead, some behind). Every figure here is synthetic: nothing in the
 * generated files is a real school.
 */
import type { SchoolType } from '../core/org/types.ts';

export const DEMO_YEARS = [2020, 2021, 2022, 2023, 2024, 2025] as const;

/** Number of institutions of each type in the whole city at scale 1 (2022 anchor). */
export const schoolCountsAtScale1: Readonly<Record<SchoolType, number>> = {
  kindergarten: 2257,
  primary: 884,
  // 542 普通中学 split by 办学类型 (the split is not published; chosen to look like Tianjin).
  junior: 250,
  nine_year: 110,
  complete_secondary: 90,
  senior: 80,
  twelve_year: 12,
  vocational: 58,
  special: 20, // MOE table: 20 special schools (tianjin-stats.md §1d)
  higher_ed: 56,
};

/** Every district keeps at least this many schools of a type at any scale, so district figures exist. */
export const minimumPerDistrict: Readonly<Partial<Record<SchoolType, number>>> = {
  kindergarten: 4,
  primary: 4,
  junior: 3,
  senior: 1,
};

/** City enrolment by stage and academic year at scale 1 (2020–2025). */
export const cityEnrolment = {
  // 2020: MOE 在园 298,628; 2022: communique 31.95万; falling births after 2022.
  preschool: [298_628, 310_000, 319_500, 306_000, 287_000, 268_000],
  // 2020/2021 from the 2017–2021 series; 2022 communique 77.09万.
  primary: [730_143, 751_918, 770_900, 786_000, 792_000, 788_000],
  junior: [321_813, 340_858, 365_000, 381_000, 393_000, 401_000],
  senior: [168_573, 190_701, 206_100, 214_000, 221_000, 227_000],
  // 中等专业学校 + 职业中学 (技工学校 belong to 人社, not in these forms).
  vocational: [78_149, 80_000, 82_900, 84_000, 85_000, 86_000],
  special: [4_600, 4_700, 4_800, 4_900, 5_000, 5_100],
  // 本专科 and 研究生: 2022 communique 59.45万 / 9.28万; 2020 chosen so that
  // (本专科 + 研究生) per 100k residents is the plan's 4,500 baseline.
  he_students: [545_000, 575_000, 594_500, 605_000, 615_000, 622_000],
  he_postgrads: [79_000, 86_000, 92_800, 98_000, 103_000, 107_000],
} as const;

/** City resident population at scale 1 (2020 = 七普 13,866,009; then slowly falling). */
export const cityPopulation = [13_866_009, 13_730_000, 13_630_000, 13_640_000, 13_630_000, 13_600_000] as const;

/**
 * City-level rates the population denominators are solved for, per year 2020–2025.
 * 2020 = the plan's baseline (规划 表1 2020年基数); later years move toward the 2025 target.
 */
export const cityRates = {
  preschoolGer: [0.923, 0.926, 0.93, 0.933, 0.936, 0.94], // 学前三年毛入园率 92.3 → 93
  seniorGer: [0.98, 0.982, 0.984, 0.986, 0.988, 0.99], // 高中阶段毛入学率 98 → >98
  higherGer: [0.652, 0.665, 0.678, 0.685, 0.692, 0.7], // 高等教育毛入学率 65 → >65
  /** 高等教育在学总规模 ÷ (本专科 + 研究生): adult, online and self-study students weighted in (MOE formula). */
  heTotalFactor: 1.22,
} as const;

/** City-only reference figures from outside education statistics, with the source each would have. */
/**
 * The source text of every demo reference value: it says the figure is simulated and names
 * no publisher — a demo must never pass for an official statistics bureau's figure.
 */
export const DEMO_SOURCE = (zh: string, en: string): string => `演示数据（模拟生成，非官方统计）：${zh} / Demo data (simulated, not official statistics): ${en}`;

export const cityReferenceSeries = {
  'attainment.working_age_years': { values: [12.03, 12.09, 12.14, 12.2, 12.25, 12.31], source: DEMO_SOURCE('劳动年龄人口（16—59岁）平均受教育年限，模拟值', 'mean years of schooling of the population aged 16–59, simulated') },
  'attainment.new_workforce_years': { values: [15.5, 15.52, 15.55, 15.57, 15.6, 15.62], source: DEMO_SOURCE('新增劳动力平均受教育年限，模拟值', 'mean years of schooling of new entrants to the workforce, simulated') },
  'lifelong.participations': { values: [3_500_000, 3_800_000, 4_100_000, 4_400_000, 4_750_000, 5_050_000], source: DEMO_SOURCE('服务市民终身学习人次，模拟值', 'lifelong-learning participations, simulated') },
} as const;

export type Pace = 'ahead' | 'on_track' | 'behind';
export type Balance = 'strong' | 'ok' | 'weak';

/**
 * How each district behaves in the demo: `pace` scales improvement on the plan's
 * indicators; `balance` shapes per-school resources for 优质均衡 (教督〔2017〕6号):
 * strong = every school meets the 7 thresholds with low 差异系数; ok = a few schools
 * miss one; weak = several schools miss and one indicator's 差异系数 exceeds the limit.
 * `largeClasses` = compulsory classes of 56+ in 2020, falling to none by 2023.
 * 和平区 is strong because it was certified 优质均衡 in 2024 (教督函〔2025〕3号).
 */
export interface DistrictProfile {
  readonly pace: Pace;
  readonly balance: Balance;
  readonly largeClasses: number;
  /** Enrolment growth per year (inner ring and Binhai grow, centre shrinks). */
  readonly growth: number;
  /** Share of schools that are rural (农村) and town (镇区); the rest are urban. */
  readonly rural: number;
  readonly town: number;
  /** Relative weight for placing universities (高校). */
  readonly heWeight: number;
}

export const districtProfiles: Readonly<Record<string, DistrictProfile>> = {
  '120101': { pace: 'ahead', balance: 'strong', largeClasses: 0, growth: -0.01, rural: 0, town: 0, heWeight: 1 }, // 和平
  '120102': { pace: 'on_track', balance: 'ok', largeClasses: 0, growth: -0.005, rural: 0, town: 0, heWeight: 2 }, // 河东
  '120103': { pace: 'ahead', balance: 'strong', largeClasses: 0, growth: -0.005, rural: 0, town: 0, heWeight: 4 }, // 河西
  '120104': { pace: 'ahead', balance: 'strong', largeClasses: 0, growth: -0.005, rural: 0, town: 0, heWeight: 8 }, // 南开
  '120105': { pace: 'on_track', balance: 'ok', largeClasses: 0, growth: -0.01, rural: 0, town: 0, heWeight: 3 }, // 河北
  '120106': { pace: 'behind', balance: 'ok', largeClasses: 0, growth: -0.015, rural: 0, town: 0, heWeight: 1 }, // 红桥
  '120110': { pace: 'on_track', balance: 'ok', largeClasses: 0, growth: 0.02, rural: 0.15, town: 0.3, heWeight: 6 }, // 东丽
  '120111': { pace: 'on_track', balance: 'ok', largeClasses: 3, growth: 0.025, rural: 0.15, town: 0.3, heWeight: 12 }, // 西青
  '120112': { pace: 'on_track', balance: 'ok', largeClasses: 0, growth: 0.02, rural: 0.2, town: 0.3, heWeight: 10 }, // 津南
  '120113': { pace: 'on_track', balance: 'ok', largeClasses: 0, growth: 0.015, rural: 0.2, town: 0.3, heWeight: 2 }, // 北辰
  '120114': { pace: 'behind', balance: 'weak', largeClasses: 4, growth: 0.01, rural: 0.5, town: 0.25, heWeight: 2 }, // 武清
  '120115': { pace: 'behind', balance: 'weak', largeClasses: 0, growth: 0, rural: 0.55, town: 0.25, heWeight: 0 }, // 宝坻
  '120116': { pace: 'ahead', balance: 'ok', largeClasses: 2, growth: 0.015, rural: 0.2, town: 0.25, heWeight: 8 }, // 滨海新区
  '120117': { pace: 'on_track', balance: 'ok', largeClasses: 0, growth: -0.005, rural: 0.55, town: 0.25, heWeight: 0 }, // 宁河
  '120118': { pace: 'behind', balance: 'weak', largeClasses: 3, growth: 0.005, rural: 0.5, town: 0.25, heWeight: 0 }, // 静海
  '120119': { pace: 'on_track', balance: 'weak', largeClasses: 0, growth: -0.005, rural: 0.6, town: 0.2, heWeight: 0 }, // 蓟州
};

export const paceFactor: Readonly<Record<Pace, number>> = { ahead: 1.3, on_track: 1, behind: 0.45 };

/** Largest-remainder apportionment of `total` over weights. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}
