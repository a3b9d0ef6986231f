/**
 * Demo learning-city network (学习型城市服务网络, 四横: 市、区、街镇、村居) for `npm start`'s first
 * start: per district a number of 街镇 community schools, each with 村居 learning centres; an
 * elderly-education school in most 街镇 (not all: coverage below 100 % in some districts) and a
 * model elderly university in most districts (not all), and the resident population aged 60+
 * as a reference value (a share of the demo's simulated total population). Deterministic from
 * the district codes; every name says it is a demo unit.
 */
import { DEMO_SOURCE } from './sizing.ts';

export interface DemoNetworkUnit {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly level: 'street' | 'community';
  readonly parent_code: string;
  readonly unit_type: 'learning_centre' | 'elderly_school' | 'model_elderly_university';
  readonly service_line: 'open' | 'community' | 'elderly' | 'farmer';
}

export interface DemoLearningCity {
  readonly units: DemoNetworkUnit[];
  readonly population: Array<{ org_code: string; year: number; code: 'pop.age60_plus'; value: number; source: string }>;
}

const POP_SOURCE = DEMO_SOURCE('60岁及以上常住人口，按总人口的约22%模拟', 'resident population aged 60+, simulated as about 22 % of the total');

/**
 * The factor the demo's 60+ population is scaled by when demo learning events are generated
 * (src/demo/learning-events.ts): a realistic rate over a population of this size needs few
 * enough learners to generate on a first start. docs/learning-city.md says so.
 */
export const DEMO_ELDERLY_POPULATION_SCALE = 0.02;
const scaledSource = (scale: number): string => DEMO_SOURCE(`60岁及以上常住人口，按总人口的约22%模拟，并按${scale}缩放（演示学习者规模）`, `resident population aged 60+, simulated as about 22 % of the total and scaled by ${scale} (the demo's learner volume)`);

/**
 * `districts`: code and names; `popTotal`: the demo's pop.total per district and year.
 * District i (in code order) has 6 + (i mod 5) 街镇; every 4th district lacks an elderly school
 * in its last 街镇; districts 3 and 11 (0-based) have no model elderly university yet.
 */
export function demoLearningCity(districts: ReadonlyArray<{ code: string; name_zh: string; name_en: string }>, popTotal: ReadonlyArray<{ org_code: string; year: number; value: number }>, populationScale = 1): DemoLearningCity {
  const units: DemoNetworkUnit[] = [];
  [...districts].sort((a, b) => a.code.localeCompare(b.code)).forEach((d, i) => {
    const streets = 6 + (i % 5);
    const rural = i >= 10; // the outer districts run 农民教育 as well
    for (let s = 1; s <= streets; s++) {
      const street = `${d.code}${String(s).padStart(3, '0')}`;
      units.push({ code: street, name_zh: `${d.name_zh}第${s}街镇社区学校（演示）`, name_en: `${d.name_en} sub-district ${s} community school (demo)`, level: 'street', parent_code: d.code, unit_type: 'learning_centre', service_line: rural && s % 2 === 0 ? 'farmer' : 'community' });
      if (!(i % 4 === 0 && s === streets)) {
        units.push({ code: `${street}901`, name_zh: `${d.name_zh}第${s}街镇老年学校（演示）`, name_en: `${d.name_en} sub-district ${s} school for the elderly (demo)`, level: 'community', parent_code: street, unit_type: 'elderly_school', service_line: 'elderly' });
      }
      for (let c = 1; c <= 2; c++) {
        units.push({ code: `${street}${String(c).padStart(3, '0')}`, name_zh: `${d.name_zh}第${s}街镇第${c}村居学习点（演示）`, name_en: `${d.name_en} sub-district ${s} community learning point ${c} (demo)`, level: 'community', parent_code: street, unit_type: 'learning_centre', service_line: 'community' });
      }
    }
    if (i !== 3 && i !== 11) {
      units.push({ code: `${d.code}001999`, name_zh: `${d.name_zh}示范性老年大学（演示）`, name_en: `${d.name_en} model university for the elderly (demo)`, level: 'community', parent_code: `${d.code}001`, unit_type: 'model_elderly_university', service_line: 'elderly' });
    }
    // The open university's district study centre (开放教育).
    units.push({ code: `${d.code}001998`, name_zh: `${d.name_zh}开放大学学习中心（演示）`, name_en: `${d.name_en} open university study centre (demo)`, level: 'community', parent_code: `${d.code}001`, unit_type: 'learning_centre', service_line: 'open' });
  });
  const source = populationScale === 1 ? POP_SOURCE : scaledSource(populationScale);
  const population = popTotal.map((p) => ({ org_code: p.org_code, year: p.year, code: 'pop.age60_plus' as const, value: Math.round(p.value * (0.21 + (p.year - 2020) * 0.005) * populationScale), source }));
  return { units, population };
}
