/**
 * Demo learning events (学习活动记录) for `npm start`'s first start, so the dashboard shows KPI 8
 * computed from events and 老年教育活动参与率 per district. Deterministic from the seed.
 *
 * Learners are synthetic ID numbers (GB 11643: the district's code as the address code, a birth
 * date, a sequence number and the check character) that the caller turns into pseudonyms with
 * the import's HMAC and drops, as the import does. The same people come back year after year:
 * learner i of a district takes part in year y when i is below that year's participant count.
 *
 * Scale: a 50 % participation rate at the demo's size would need ~10⁵ distinct elderly learners a
 * year, too many to generate within a first start's few seconds. The demo therefore scales the
 * 60+ population it writes (`DEMO_ELDERLY_POPULATION_SCALE`, src/demo/learning-city.ts) and
 * generates participants against that scaled population, so the rate is realistic while the
 * counts (participants and KPI 8's 人次) are small.
 */
import { ELDERLY_AGE, ageOn } from '../core/learning/events.ts';
import { idCheckChar } from '../core/standards/id-number.ts';
import { createRng } from './random.ts';

export interface DemoEventCentre {
  readonly code: string;
  readonly district_code: string;
  /** elderly_school / model_elderly_university take the elderly learners; the others everyone. */
  readonly unit_type: string | null;
}

export interface DemoEvent {
  readonly event_id: string;
  readonly centre_code: string;
  readonly district_code: string;
  readonly date: string;
  readonly year: number;
  readonly channel: 'course' | 'visit' | 'online';
  readonly activity: string;
  /** The learner's synthetic ID number (to be pseudonymised and dropped), or null for an anonymous visit. */
  readonly learner_id_number: string | null;
  readonly elderly: boolean;
}

const ELDERLY_ACTIVITIES = ['智能手机应用课', '书法课', '太极拳', '合唱团排练', '老年大学网课', '健康养生讲座'];
const OTHER_ACTIVITIES = ['职业技能网课', '家庭教育讲座', '社区读书会', '非遗手工课'];
const VISITS = ['社区书房开放日', '终身学习活动周展览'];

const dayOf = (year: number, n: number): string => new Date(Date.UTC(year, 0, 1 + n)).toISOString().slice(0, 10);

/** The i-th synthetic learner of a district: elderly ones born 1935–1957, the others 1970–1999. */
export function demoLearnerId(district: string, i: number, elderly: boolean): string {
  const span = elderly ? 8000 : 10950;
  const birth = new Date(Date.UTC(elderly ? 1935 : 1970, 0, 1 + (i % span))).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${district}${birth}${String(Math.floor(i / span) + (elderly ? 0 : 500)).padStart(3, '0')}`;
  return `${first17}${idCheckChar(first17)}`;
}

/**
 * The events of `years`: per district and year, participants = the rate × the (scaled) 60+
 * population, the rate rising from about 38 % to about 55 % over the plan with a spread between
 * districts (some below the 50 % target in 2025); each takes part 1–4 times. Younger learners
 * (a third as many) and anonymous visits add to KPI 8. Rows may repeat a participation (a
 * sign-in sheet and a platform logging the same session): the caller's de-duplication drops them.
 */
export function demoLearningEvents(input: {
  readonly seed: number;
  readonly years: readonly number[];
  readonly centres: readonly DemoEventCentre[];
  /** pop.age60_plus per district and year (already scaled). */
  readonly population: ReadonlyMap<string, number>;
}): DemoEvent[] {
  const out: DemoEvent[] = [];
  const districts = [...new Set(input.centres.map((c) => c.district_code))].sort();
  districts.forEach((district, di) => {
    const all = input.centres.filter((c) => c.district_code === district).sort((a, b) => a.code.localeCompare(b.code));
    const elderlyCentres = all.filter((c) => c.unit_type === 'elderly_school' || c.unit_type === 'model_elderly_university');
    const forElderly = elderlyCentres.length > 0 ? elderlyCentres : all;
    if (all.length === 0) return;
    const offset = ((di * 7) % 17) - 8; // percentage points around the city's path, fixed per district
    for (const year of input.years) {
      const rng = createRng(input.seed).fork(`learning-events:${district}:${year}`);
      const pop = input.population.get(`${district}|${year}`) ?? 0;
      const rate = Math.min(0.9, Math.max(0.1, (38 + (year - 2020) * 3.4 + offset) / 100));
      const elderlyN = Math.round(pop * rate);
      let seq = 0;
      const add = (centre: string, date: string, channel: DemoEvent['channel'], activity: string, id: string | null): void => {
        seq += 1;
        out.push({ event_id: `DEMO-${year}-${seq}`, centre_code: centre, district_code: district, date, year, channel, activity, learner_id_number: id, elderly: id !== null && ageOn(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, date) >= ELDERLY_AGE });
      };
      for (let i = 0; i < elderlyN; i++) {
        const id = demoLearnerId(district, i, true);
        const centre = forElderly[i % forElderly.length] as DemoEventCentre;
        const activity = ELDERLY_ACTIVITIES[i % ELDERLY_ACTIVITIES.length] as string;
        const times = rng.int(1, 4);
        for (let k = 0; k < times; k++) {
          const date = dayOf(year, rng.int(0, 363));
          add(centre.code, date, activity === '老年大学网课' ? 'online' : 'course', activity, id);
          if (rng.next() < 0.05) add(centre.code, date, 'course', activity, id); // the same session logged twice
        }
      }
      const others = Math.round(elderlyN / 3);
      for (let i = 0; i < others; i++) {
        const centre = all[(i * 3) % all.length] as DemoEventCentre;
        const activity = OTHER_ACTIVITIES[i % OTHER_ACTIVITIES.length] as string;
        const times = rng.int(1, 3);
        for (let k = 0; k < times; k++) add(centre.code, dayOf(year, rng.int(0, 363)), activity === '职业技能网课' ? 'online' : 'course', activity, demoLearnerId(district, i, false));
      }
      const visits = Math.round(elderlyN / 4);
      for (let i = 0; i < visits; i++) add((all[i % all.length] as DemoEventCentre).code, dayOf(year, rng.int(0, 363)), 'visit', VISITS[i % VISITS.length] as string, null);
    }
  });
  return out;
}
