/**
 * A second region with no code change (issue 19): the synthetic province of
 * regions/synthetic-province.json (province → prefecture city → county → school, GB/T 2260
 * code 990000, which no real province uses) is generated, imported with its own levels,
 * recomputed, and read back at the province, a county and a prefecture city; every figure is
 * checked against sums of the generated values, not against remembered numbers.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegionDemo, readRegionFile, type RegionDemoSummary, type RegionSchool } from '../../src/demo/region.ts';
import { importFolder } from '../../src/services/import.ts';
import { readCells } from '../../src/services/indicators.ts';
import { readRoot, readTopUnits } from '../../src/services/org-tree.ts';
import { registerInstitution, registerOutcome } from '../../src/services/credits/bank.ts';
import { creditDeps } from '../../src/services/credits/deps.ts';
import { computeCreditStats } from '../../src/services/credits/statistics.ts';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { bundledPlanDir, loadPlan } from '../../src/services/plan.ts';
import { getDistrictValues, getProgress } from '../../src/services/progress.ts';
import { computeLearningCityFigures, elderlyParticipation } from '../../src/services/learning-city.ts';
import { sdmxData } from '../../src/services/open-data.ts';
import { saveUnit } from '../../src/services/plan-execution/tasks.ts';
import { createRelease, releaseReadiness } from '../../src/services/releases.ts';
import { siteSearch } from '../../src/services/search.ts';
import { EduplanError } from '../../src/core/errors.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

const regionPath = new URL('../../regions/synthetic-province.json', import.meta.url).pathname;
const clock = (): Date => new Date('2026-03-01T00:00:00Z');
const YEAR = 2024;

describe.each(backends)('a synthetic second province on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let dir: string;
  let demo: RegionDemoSummary;
  const region = readRegionFile(regionPath);
  const prefecture = region.units.find((u) => u.level === 'prefecture')?.code ?? '';
  const county = region.units.find((u) => u.level === 'county' && u.parent_code === prefecture)?.code ?? '';

  /** Σ of `elements` over the schools `pick` selects, in `year`. */
  const sum = (pick: (s: RegionSchool) => boolean, elements: readonly string[], year = YEAR): number =>
    demo.schools.filter(pick).reduce((acc, s) => acc + elements.reduce((a, e) => a + (s.values.get(year)?.get(e) ?? 0), 0), 0);
  const kgEnrol = ['k1', 'k2', 'k3'].flatMap((g) => [`enrol.${g}.m`, `enrol.${g}.f`]);
  const counties = (prefectureCode: string): Set<string> => new Set(region.units.filter((u) => u.parent_code === prefectureCode).map((u) => u.code));
  /** 公办园在园幼儿比例 for the schools under `within`, from the generated values. */
  const publicShare = (within: (s: RegionSchool) => boolean): number =>
    (100 * sum((s) => within(s) && s.type === 'kindergarten' && s.ownership === 'public', kgEnrol)) / sum((s) => within(s) && s.type === 'kindergarten', kgEnrol);
  const large = ['classes.cmp.56_65', 'classes.cmp.66plus'];
  const allClasses = ['classes.cmp.lt46', 'classes.cmp.46_55', ...large];

  beforeAll(async () => {
    store = await backend.open();
    dir = mkdtempSync(join(tmpdir(), 'eduplan-province-'));
    demo = await generateRegionDemo({ region, seed: 7, outDir: dir });
    await loadPlan(store, await readPlanDir(bundledPlanDir()), clock);
    await importFolder(store, dir, { clock });
  }, 120_000);
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the province\'s own levels and every org unit under them', async () => {
    const levels = await store.db.selectFrom('org_level').selectAll().where('code', 'in', region.levels.map((l) => l.code)).orderBy('rank').execute();
    expect(levels).toEqual(region.levels);
    const units = await store.db.selectFrom('org_unit').select(['code', 'level', 'parent_code']).execute();
    expect(units).toHaveLength(region.units.length + demo.schools.length);
    const byLevel = (level: string): number => units.filter((u) => u.level === level).length;
    expect(byLevel('province')).toBe(1);
    expect(byLevel('prefecture')).toBe(region.units.filter((u) => u.level === 'prefecture').length);
    expect(byLevel('county')).toBe(region.units.filter((u) => u.level === 'county').length);
    expect(byLevel('school')).toBe(demo.schools.length);
  });

  it('the root is the province and the units directly under it are its prefecture cities', async () => {
    const root = await readRoot(store.db);
    expect(root).toMatchObject({ code: '990000', level: 'province', parent_code: null });
    const top = await readTopUnits(store.db, root.code);
    expect(top.map((u) => u.code)).toEqual(region.units.filter((u) => u.level === 'prefecture').map((u) => u.code).sort());
  });

  it('progress at the province: the public-kindergarten share and the large-class share are the generated sums', async () => {
    const items = await getProgress(store, { year: YEAR, view: 'provisional' });
    const kg = items.find((i) => i.code === 'public_kindergarten_share');
    expect(kg?.value).toBeCloseTo(publicShare(() => true), 6);
    const cells = await readCells(store, { indicator: 'large_class_share', org_code: '990000', year: YEAR, disaggregation: '' });
    expect(cells).toHaveLength(1);
    expect(cells[0]?.level).toBe('province');
    expect(cells[0]?.numerator).toBe(sum(() => true, large));
    expect(cells[0]?.denominator).toBe(sum(() => true, allClasses));
  });

  it('progress at a county: its schools\' sums, stored with the county\'s own level', async () => {
    const inCounty = (s: RegionSchool): boolean => s.parent_code === county;
    const items = await getProgress(store, { year: YEAR, org: county, view: 'provisional' });
    expect(items.find((i) => i.code === 'public_kindergarten_share')?.value).toBeCloseTo(publicShare(inCounty), 6);
    const [cell] = await readCells(store, { indicator: 'large_class_share', org_code: county, year: YEAR, disaggregation: '' });
    expect(cell).toMatchObject({ level: 'county', numerator: sum(inCounty, large), denominator: sum(inCounty, allClasses) });
    // A school's own figure, at the reporting level.
    const school = demo.schools.find((s) => inCounty(s) && s.type === 'primary');
    const [own] = await readCells(store, { indicator: 'large_class_share', org_code: school?.code ?? '', year: YEAR, disaggregation: '' });
    expect(own).toMatchObject({ level: 'school', numerator: sum((s) => s === school, large), denominator: sum((s) => s === school, allClasses) });
  });

  // Engine contract (issue 19): the engine's `cityCode` is the root, a definition's `district`
  // role is every aggregate unit below the root at any depth, so a prefecture city two levels
  // above its schools sums all of them.
  it('progress at a prefecture city: the sums of all the schools in its counties', async () => {
    const inPrefecture = (s: RegionSchool): boolean => counties(prefecture).has(s.parent_code);
    const items = await getProgress(store, { year: YEAR, org: prefecture, view: 'provisional' });
    expect(items.find((i) => i.code === 'public_kindergarten_share')?.value).toBeCloseTo(publicShare(inPrefecture), 6);
    const [cell] = await readCells(store, { indicator: 'large_class_share', org_code: prefecture, year: YEAR, disaggregation: '' });
    expect(cell).toMatchObject({ level: 'prefecture', numerator: sum(inPrefecture, large), denominator: sum(inPrefecture, allClasses) });
  });

  it('the comparison across the units under the root lists the prefecture cities, not Tianjin\'s districts', async () => {
    const values = await getDistrictValues(store, 'public_kindergarten_share', YEAR, 'provisional');
    expect(values.map((v) => v.org_code)).toEqual(region.units.filter((u) => u.level === 'prefecture').map((u) => u.code).sort());
  });

  const prefectures = (): string[] => region.units.filter((u) => u.level === 'prefecture').map((u) => u.code).sort();
  const prefectureOf = (s: RegionSchool): string => region.units.find((u) => u.code === s.parent_code)?.parent_code ?? '';
  const cli = { system: 'cli' } as const;

  it('search finds a prefecture city as a district and a school under the prefecture city it lies in, not under its county', async () => {
    const name = region.units.find((u) => u.code === prefecture)?.name_zh ?? '';
    const hits = await siteSearch({ store, clock }, { q: name, limit: 500 });
    expect(hits.filter((h) => h.kind === 'district').map((h) => h.id)).toEqual([prefecture]);
    const school = demo.schools.find((s) => s.parent_code === county);
    const [hit] = await siteSearch({ store, clock }, { q: school?.name_zh ?? '', limit: 1 });
    expect(hit).toMatchObject({ kind: 'school', id: school?.code, detail_zh: name, link: `/districts/${prefecture}` });
    // Counties are not "districts" of the province (the units directly under the root are): its name finds its schools only.
    const countyName = region.units.find((u) => u.code === county)?.name_zh ?? '';
    const byCounty = await siteSearch({ store, clock }, { q: countyName, limit: 500 });
    expect(byCounty.map((h) => h.id).sort()).toEqual(demo.schools.filter((x) => x.parent_code === county).map((x) => x.code).sort());
  });

  it('learning-city figures are computed per prefecture city and for the province', async () => {
    await store.db.insertInto('reference_value').values({ code: 'pop.age60_plus', org_code: prefecture, year: YEAR, value: 12_345, source: 'test' }).execute();
    try {
      const cells = await computeLearningCityFigures(store.db, YEAR);
      const rate = cells.filter((c) => c.figure === 'elderly_participation_rate');
      expect(rate.filter((c) => c.level === 'district').map((c) => c.org_code).sort()).toEqual(prefectures());
      expect(rate.filter((c) => c.level === 'city').map((c) => c.org_code)).toEqual(['990000']);
      expect(rate.find((c) => c.org_code === prefecture)?.denominator).toBe(12_345);
      const rows = await elderlyParticipation({ store, clock }, cli, { year: YEAR });
      expect(rows.map((r) => r.org_code)).toEqual(['990000', ...prefectures()]);
      expect(rows.find((r) => r.org_code === prefecture)?.population).toBe(12_345);
    } finally {
      await store.db.deleteFrom('reference_value').where('code', '=', 'pop.age60_plus').execute();
    }
  });

  it('plan units: a district unit acts for a prefecture city, a department for the province; a county is refused', async () => {
    await expect(saveUnit({ store, clock }, cli, 'pref-bureau', { name_zh: '东川市教育局', name_en: '', kind: 'district', org_code: prefecture })).resolves.toMatchObject({ org_code: prefecture });
    await expect(saveUnit({ store, clock }, cli, 'prov-dept', { name_zh: '省教育厅', name_en: '', kind: 'department', org_code: '990000' })).resolves.toMatchObject({ org_code: '990000' });
    const refused = await saveUnit({ store, clock }, cli, 'county-bureau', { name_zh: '县教育局', name_en: '', kind: 'district', org_code: county }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EduplanError);
    expect((refused as EduplanError).code).toBe('E_INPUT_INVALID');
    expect((refused as EduplanError).problems[0]).toMatchObject({ path: 'org_code', value: county, rule: 'unit_org' });
  });

  it('release completeness counts each school for its prefecture city; the SDMX export lists the province, prefecture and county figures', async () => {
    const ready = await releaseReadiness({ store, clock }, cli, YEAR);
    expect(ready.districts.map((d) => d.district_code)).toEqual(prefectures());
    for (const d of ready.districts) expect(d.expected).toBe(demo.schools.filter((s) => prefectureOf(s) === d.district_code).length);
    await createRelease({ store, clock }, cli, { year: YEAR, note: 'second region', override_reason: 'test: no submissions in a generated region' });
    const csv = (await sdmxData(store, 'large_class_share', { baseUrl: 'https://example.test', demo: true })).csv();
    const [header = [], ...rows] = csv;
    const area = header.indexOf('REF_AREA');
    const sex = header.indexOf('SEX');
    const totals = rows.filter((r) => r[sex] === '_T' || sex < 0);
    const areas = new Set(totals.map((r) => String(r[area])));
    expect(areas.has('990000')).toBe(true);
    for (const p of prefectures()) expect(areas.has(p)).toBe(true);
    expect(areas.has(county)).toBe(true);
    // Schools stay out of the SDMX series.
    expect(demo.schools.some((s) => areas.has(s.code))).toBe(false);
  });

  it('credit-bank statistics count an institution for the prefecture city it lies in (not a school\'s county), and one run by the province for the province', async () => {
    const school = demo.schools.find((x) => x.parent_code === county)?.code ?? '';
    const keyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const deps = creditDeps(store, clock, { keyPem, publicUrl: 'https://credits.example.cn', pseudonymKey: 'province-credit-key' });
    await registerInstitution(deps, cli, { code: 'EXCS000001', name_zh: '县社区学校', kind: 'community_school', org_code: school });
    await registerInstitution(deps, cli, { code: 'EXOU000001', name_zh: '省开放大学', kind: 'open_university', org_code: '990000' });
    const learner = (n: number): string => { const first17 = `990101198001${String((n % 28) + 1).padStart(2, '0')}${String(100 + n).padStart(3, '0')}`; return `${first17}${idCheckChar(first17)}`; };
    for (let n = 0; n < 12; n++) {
      await registerOutcome(deps, cli, { learner_id_number: learner(n), learner_name: `学员${n}`, issuer_org_code: n < 10 ? 'EXCS000001' : 'EXOU000001', issued_on: '2024-05-01', achievement: { code: 'C-1', name: '社区课程', kind: 'non_formal', credits: 2, level: 2 } });
    }
    const { rows } = await computeCreditStats(store.db, 2024);
    expect(rows.map((r) => [r.district_code, r.learners, r.suppressed])).toEqual([[prefecture, 10, false], ['990000', null, true]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  });

  it('the region file\'s levels are what the generated folder ships', () => {
    const lines = readFileSync(join(dir, 'org-levels.csv'), 'utf8').trim().split('\n');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(region.levels.map((l) => l.code));
  });
});

describe.each(backends)('Tianjin\'s levels on $name', (backend) => {
  it('migration 0017 seeds exactly the levels Tianjin ships (regions/tianjin/org-levels.csv)', async () => {
    const store = await backend.open();
    try {
      const [header = '', ...rows] = readFileSync(new URL('../../regions/tianjin/org-levels.csv', import.meta.url), 'utf8').trim().split('\n');
      const cols = header.split(',');
      const shipped = rows.map((line) => {
        const c = Object.fromEntries(line.split(',').map((v, i) => [cols[i], v]));
        return { code: c.code, rank: Number(c.rank), name_zh: c.name_zh, name_en: c.name_en, parent_level: c.parent_level || null, reporting_unit: c.reporting_unit === 'true' };
      });
      const seeded = await store.db.selectFrom('org_level').selectAll().orderBy('code').execute();
      expect(seeded).toEqual(shipped.sort((a, b) => ((a.code ?? '') < (b.code ?? '') ? -1 : 1)));
    } finally {
      await store.dispose();
    }
  });
});
