/**
 * Reference values for the demo (参考数据): population by district and age group and
 * the city figures that come from outside education statistics, each with a source.
 *
 * Populations are solved from the generated enrolment and a district rate near the
 * city rate, then scaled so that the city rate is exactly the year's figure in
 * sizing.ts — so 2020 city rates equal the plan's baselines. At scale f, populations
 * are multiplied by f like the number of schools, so every rate stays realistic.
 */
import { CITY_CODE, districts } from '../core/org/districts.ts';
import type { Stage } from '../core/org/types.ts';
import type { Rng } from './random.ts';
import type { DemoSchool } from './schools.ts';
import { apportion, DEMO_SOURCE, cityEnrolment, cityPopulation, cityRates, cityReferenceSeries, DEMO_YEARS, districtProfiles, paceFactor } from './sizing.ts';

export interface ReferenceRow {
  readonly org_code: string;
  readonly year: number;
  readonly code: string;
  readonly value: number;
  readonly source: string;
}

const POP_SOURCE = DEMO_SOURCE('常住人口与分年龄人口，按第七次人口普查口径模拟', 'resident population by age, simulated on the 2020 census basis');

/** Split a city total over districts in proportion to `weights`, as integers summing to the (rounded) total. */
const split = (total: number, weights: readonly number[]): number[] => apportion(Math.round(total), weights);

/**
 * @param stageTotals per year index: district code → stage → students (as generated)
 */
export function referenceRows(schools: readonly DemoSchool[], stageTotals: ReadonlyArray<Map<string, Partial<Record<Stage, number>>>>, scale: number, rng: Rng): ReferenceRow[] {
  void schools;
  const rows: ReferenceRow[] = [];
  const dev = new Map(districts.map((d) => {
    const pace = districtProfiles[d.code]?.pace ?? 'on_track';
    const r = rng.fork(`ref:${d.code}`);
    return [d.code, { pre: (pace === 'ahead' ? 0.02 : pace === 'behind' ? -0.035 : 0) + 0.01 * r.normal(), sen: 0.015 * r.normal(), pace: paceFactor[pace] }];
  }));
  DEMO_YEARS.forEach((year, yi) => {
    const t = year - 2020;
    const totals = stageTotals[yi] ?? new Map<string, Partial<Record<Stage, number>>>();
    const popWeights = districts.map((d) => d.population2020 * Math.pow(1 + (districtProfiles[d.code]?.growth ?? 0) * 0.5, t));
    const popTotal = split((cityPopulation[yi] ?? 0) * scale, popWeights);

    // 学前三年毛入园率 = 在园幼儿 ÷ 3—5岁人口: district rate = city rate + a district offset that
    // closes over time for districts on pace; then the whole set is scaled to the city rate.
    const solve = (stage: 'pre' | 'sen', cityRate: number, numerator: (c: string) => number): number[] => {
      const raw = districts.map((d) => {
        const o = dev.get(d.code);
        const off = o ? (stage === 'pre' ? o.pre * (1 - 0.1 * t * o.pace) : o.sen) : 0;
        return numerator(d.code) / Math.max(0.5, cityRate + off);
      });
      const num = districts.reduce((a, d) => a + numerator(d.code), 0);
      return split(num / cityRate, raw);
    };
    const kg = (c: string): number => totals.get(c)?.preschool ?? 0;
    const sen = (c: string): number => (totals.get(c)?.senior ?? 0) + (totals.get(c)?.vocational ?? 0);
    const age3 = solve('pre', cityRates.preschoolGer[yi] ?? 0.92, kg);
    const age15 = solve('sen', cityRates.seniorGer[yi] ?? 0.98, sen);
    // 高等教育毛入学率 = 高等教育在学总规模 ÷ 18—22岁人口 (city only: MOE's caveat that the
    // formula applies at national/provincial level; districts get the age group only).
    const heTotal = Math.round(((cityEnrolment.he_students[yi] ?? 0) + (cityEnrolment.he_postgrads[yi] ?? 0)) * cityRates.heTotalFactor * scale);
    const age18 = split(heTotal / (cityRates.higherGer[yi] ?? 0.65), popWeights);

    districts.forEach((d, i) => {
      rows.push({ org_code: d.code, year, code: 'pop.total', value: popTotal[i] ?? 0, source: POP_SOURCE });
      rows.push({ org_code: d.code, year, code: 'pop.age3_5', value: age3[i] ?? 0, source: POP_SOURCE });
      rows.push({ org_code: d.code, year, code: 'pop.age15_17', value: age15[i] ?? 0, source: POP_SOURCE });
      rows.push({ org_code: d.code, year, code: 'pop.age18_22', value: age18[i] ?? 0, source: POP_SOURCE });
    });
    const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
    rows.push({ org_code: CITY_CODE, year, code: 'pop.total', value: sum(popTotal), source: POP_SOURCE });
    rows.push({ org_code: CITY_CODE, year, code: 'pop.age3_5', value: sum(age3), source: POP_SOURCE });
    rows.push({ org_code: CITY_CODE, year, code: 'pop.age15_17', value: sum(age15), source: POP_SOURCE });
    rows.push({ org_code: CITY_CODE, year, code: 'pop.age18_22', value: sum(age18), source: POP_SOURCE });
    rows.push({ org_code: CITY_CODE, year, code: 'he.enrolment_total', value: heTotal, source: DEMO_SOURCE('高等教育在学总规模（含成人、网络、自考折算），模拟值', 'total higher-education enrolment (adult, online and self-study students converted), simulated') });
    for (const [code, series] of Object.entries(cityReferenceSeries)) {
      rows.push({ org_code: CITY_CODE, year, code, value: series.values[yi] ?? 0, source: series.source });
    }
  });
  return rows;
}
