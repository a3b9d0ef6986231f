/**
 * The recompute reads each year's values once and hands 优质均衡 the schools it found
 * (src/services/indicators.ts → balancedVerdicts(store, year, criteria, schools)). Those
 * schools must be exactly what the assessment's own query loads, or the KPI
 * 义务教育优质均衡区比例 would differ from the assessment pages. Worked on a small district
 * with the awkward cases: a senior-only school and a kindergarten (both left out), a grade
 * outside 1–9 (counted as senior), a missing resource, names containing `|`, `\` and a line break.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredSchool } from '../core/standards/balanced/input.ts';
import { openStore, type Store } from '../store/store.ts';
import { balancedVerdicts, loadBalancedSchools } from './assessments.ts';
import { recomputeIndicators } from './indicators.ts';

const CITY = '120000';
const HEPING = '120101';
const HEXI = '120103';

describe('recompute hands 优质均衡 the same schools as the assessment query', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    const org = (code: string, name: string, level: string, parent: string | null, type: string | null) => ({ code, name_zh: name, name_en: name, level: level as 'city', parent_code: parent, school_type: type });
    await store.db.insertInto('org_unit').values([
      org(CITY, '天津市', 'city', null, null), org(HEPING, '和平区', 'district', CITY, null), org(HEXI, '河西区', 'district', CITY, null),
      org('1201010001', '第一|小学', 'school', HEPING, 'primary'),
      org('1201010002', '第二\\中学', 'school', HEPING, 'junior'),
      org('1201010003', '九年一贯\n制学校', 'school', HEPING, 'nine_year'),
      org('1201010004', '高中', 'school', HEPING, 'senior'),
      org('1201010005', '幼儿园', 'school', HEPING, 'kindergarten'),
      org('1201030001', '河西小学', 'school', HEXI, 'primary'),
    ]).execute();
    const v = (org_code: string, element: string, value: number, year = 2023) => ({ org_code, year, element, value, source: 'test' });
    const resources = (code: string, n: number) => [
      v(code, 'teachers.above_required', n * 0.05), v(code, 'teachers.backbone', n * 0.012), v(code, 'teachers.pe_arts', n * 0.01),
      v(code, 'area.teaching_aux_m2', n * 5), v(code, 'area.sports_m2', n * 8), v(code, 'equipment.value_yuan', n * 2000), v(code, 'rooms.multimedia', n * 0.025),
    ];
    await store.db.insertInto('data_value').values([
      v('1201010001', 'enrol.g1.m', 200), v('1201010001', 'enrol.g2.f', 180.5), ...resources('1201010001', 380),
      v('1201010002', 'enrol.g7.m', 300), v('1201010002', 'enrol.g13.f', 12), ...resources('1201010002', 300).slice(1),
      v('1201010003', 'enrol.g3.m', 100), v('1201010003', 'enrol.g8.f', 90), ...resources('1201010003', 190),
      v('1201010004', 'enrol.g10.m', 400), ...resources('1201010004', 400),
      v('1201010005', 'enrol.k1.m', 60), v('1201010005', 'area.sports_m2', 300),
      v('1201030001', 'enrol.g4.f', 250), ...resources('1201030001', 250),
      // Another year must not leak into 2023.
      v('1201030001', 'enrol.g4.f', 999, 2022),
    ]).execute();
  }, 60_000);
  afterAll(async () => { await store?.close(); });

  it('same schools (names, stages, resources) and the same 16 verdicts', async () => {
    const seen = new Map<number, ReadonlyMap<string, readonly StoredSchool[]> | undefined>();
    await recomputeIndicators(store, { years: [2022, 2023], balancedVerdicts: async (_s, year, schools) => { seen.set(year, schools); return null; } });
    const given = seen.get(2023);
    const loaded = await loadBalancedSchools(store, 2023);
    expect(given).toEqual(loaded);
    // Worked by hand: Heping has the primary, junior and nine-year schools (not the senior-only school, not the kindergarten).
    expect(loaded.get(HEPING)?.map((s) => [s.code, s.name_zh, s.enrolment])).toEqual([
      ['1201010001', '第一|小学', { primary: 380.5, junior: 0, senior: 0 }],
      ['1201010002', '第二\\中学', { primary: 0, junior: 300, senior: 12 }],
      ['1201010003', '九年一贯\n制学校', { primary: 100, junior: 90, senior: 0 }],
    ]);
    expect(loaded.get(HEPING)?.[1]?.resources).not.toHaveProperty('teachers_above_required');
    expect(seen.get(2022)?.get(HEXI)?.map((s) => s.enrolment.primary)).toEqual([999]);
    expect(await balancedVerdicts(store, 2023, undefined, given)).toEqual(await balancedVerdicts(store, 2023));
  });
});
