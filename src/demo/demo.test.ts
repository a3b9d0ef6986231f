/**
 * The demo generator: deterministic for a seed, sized by scale, every district
 * present with its basic schools, every reported element filled, and 2020 city
 * figures at the plan's baselines — recomputed here from the written files.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportedCodes } from '../core/elements/catalogue.ts';
import { districts } from '../core/org/districts.ts';
import type { SchoolType } from '../core/org/types.ts';
import { generateDemo } from './index.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-demo-test-'));
const dirA = join(root, 'a');
const dirB = join(root, 'b');
const dirOther = join(root, 'other-seed');
const dirSmall = join(root, 'small');
const dirPlain = join(root, 'no-plan-execution');

type Row = Record<string, string>;
const readCsv = (path: string): Row[] => parse(readFileSync(path), { columns: true, bom: true }) as Row[];

beforeAll(async () => {
  await generateDemo({ scale: 0.1, seed: 42, outDir: dirA, students: false });
  await generateDemo({ scale: 0.1, seed: 42, outDir: dirB, students: false });
  await generateDemo({ scale: 0.1, seed: 43, outDir: dirOther, students: false });
  await generateDemo({ scale: 0.02, seed: 42, outDir: dirSmall, students: false });
  await generateDemo({ scale: 0.1, seed: 42, outDir: dirPlain, students: false, planExecution: false });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('generateDemo', () => {
  it('labels every reference value as simulated demo data and names no statistics bureau as its publisher', () => {
    const refs = readCsv(join(dirA, 'reference.csv'));
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) {
      expect(r.source).toMatch(/^演示数据（模拟生成，非官方统计）：.+ \/ Demo data \(simulated, not official statistics\): /);
      expect(r.source).not.toMatch(/统计局|教育部|Statistics Bureau/);
    }
    // School contacts are roles with numbers that cannot be dialled, never people.
    for (const o of readCsv(join(dirA, 'org-units.csv')).filter((x) => x.level === 'school')) {
      expect([o.contact_name, o.contact_phone?.slice(0, 8)]).toEqual(['统计填报员（演示）', '022-0000']);
    }
  });

  it('writes the same bytes for the same seed and different data for another seed', () => {
    const files = readdirSync(dirA, { recursive: true }).map(String).filter((f) => f !== 'documents').sort();
    const statistics = ['org-units.csv', 'reference.csv', 'school-stats-2020.csv', 'school-stats-2021.csv', 'school-stats-2022.csv', 'school-stats-2023.csv', 'school-stats-2024.csv', 'school-stats-2025.csv'];
    expect(files.filter((f) => !f.startsWith('documents/') && !f.startsWith('registry-') && !f.startsWith('plan-') && f !== 'target-values.csv' && f !== 'task-reports.csv')).toEqual(statistics);
    // The plan-execution files: units, owners, milestones, entered values, reports, one file per registry, and their documents.
    for (const f of ['plan-units.csv', 'plan-owners.csv', 'plan-milestones.csv', 'target-values.csv', 'task-reports.csv', 'registry-luban-workshops.csv']) expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith('documents/')).length).toBeGreaterThan(50);
    for (const f of files) expect(readFileSync(join(dirB, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
    expect(readFileSync(join(dirOther, 'school-stats-2020.csv')).equals(readFileSync(join(dirA, 'school-stats-2020.csv')))).toBe(false);
  });

  it('the plan-execution files move nothing else: the statistics are byte-identical with and without them', () => {
    const plain = readdirSync(dirPlain).sort();
    expect(plain).toEqual(['org-units.csv', 'reference.csv', 'school-stats-2020.csv', 'school-stats-2021.csv', 'school-stats-2022.csv', 'school-stats-2023.csv', 'school-stats-2024.csv', 'school-stats-2025.csv']);
    for (const f of plain) expect(readFileSync(join(dirPlain, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
  });

  it('marks every registry entry and document as simulated, and the 非洲鲁班工坊 rows use continent africa', () => {
    const luban = readCsv(join(dirA, 'registry-luban-workshops.csv'));
    expect(luban.length).toBeGreaterThan(17);
    for (const r of luban) expect(r.name_zh).toMatch(/（演示）$/);
    expect(luban.filter((r) => r.continent === 'africa' && r.status === 'operating').length).toBe(10);
    for (const f of readdirSync(join(dirA, 'documents'))) expect(readFileSync(join(dirA, 'documents', f), 'utf8'), f).toMatch(/本文件为演示数据，内容为模拟生成，不是真实文件。/);
  });

  it('scales the number of schools and keeps a few basic schools in every district', () => {
    const schools = (dir: string): Row[] => readCsv(join(dir, 'org-units.csv')).filter((r) => r.level === 'school');
    const big = schools(dirA);
    const small = schools(dirSmall);
    // scale 0.1 ≈ 382 institutions; 0.02 is held up by the per-district minimum (16 × 12).
    expect(big.length).toBeGreaterThan(360);
    expect(big.length).toBeLessThan(460);
    expect(small.length).toBeLessThan(big.length);
    expect(small.length).toBeGreaterThanOrEqual(16 * 12);
    for (const d of districts) {
      const mine = small.filter((s) => s.parent_code === d.code);
      const count = (t: SchoolType): number => mine.filter((s) => s.school_type === t).length;
      expect(count('kindergarten'), d.name_en).toBeGreaterThanOrEqual(4);
      expect(count('primary'), d.name_en).toBeGreaterThanOrEqual(4);
      expect(count('junior'), d.name_en).toBeGreaterThanOrEqual(3);
      expect(count('senior'), d.name_en).toBeGreaterThanOrEqual(1);
    }
    const codes = big.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^3112\d{6}$/);
  });

  it('fills every element a school type reports, and nothing else', () => {
    const org = new Map(readCsv(join(dirA, 'org-units.csv')).map((r) => [r.code, r]));
    const rows = readCsv(join(dirA, 'school-stats-2023.csv')).slice(1); // row 2 = Chinese labels
    expect(rows.length).toBe([...org.values()].filter((r) => r.level === 'school').length);
    const seenTypes = new Set<string>();
    for (const r of rows) {
      const type = org.get(r.org_code ?? '')?.school_type as SchoolType;
      seenTypes.add(type);
      const reported = new Set(reportedCodes(type));
      for (const [col, v] of Object.entries(r)) {
        if (col === 'org_code' || col === 'name_zh') continue;
        if (reported.has(col)) expect(v, `${r.org_code} ${col}`).toMatch(/^\d+$/);
        else expect(v, `${r.org_code} ${col}`).toBe('');
      }
    }
    expect(seenTypes.size).toBe(10);
  });

  it('puts 2020 city figures at the plan baselines, moving toward the 2025 targets', () => {
    const org = new Map(readCsv(join(dirA, 'org-units.csv')).map((r) => [r.code, r]));
    const ref = readCsv(join(dirA, 'reference.csv'));
    const refValue = (year: number, code: string): number => Number(ref.find((r) => r.org_code === '120000' && Number(r.year) === year && r.code === code)?.value);
    const figures = (year: number) => {
      const rows = readCsv(join(dirA, `school-stats-${year}.csv`)).slice(1);
      let kg = 0; let kgPublic = 0; let kgInclusive = 0; let grads = 0; let cohort = 0; let he = 0; let wifi = 0; let basic = 0;
      for (const r of rows) {
        const o = org.get(r.org_code ?? '');
        const n = (c: string): number => Number(r[c] || 0);
        const children = n('enrol.k1.m') + n('enrol.k1.f') + n('enrol.k2.m') + n('enrol.k2.f') + n('enrol.k3.m') + n('enrol.k3.f');
        kg += children;
        if (o?.ownership === 'public') kgPublic += children;
        if (o?.inclusive === 'true') kgInclusive += children;
        grads += n('graduates.g9');
        cohort += n('cohort.g9_base');
        he += n('he.students') + n('he.postgrads');
        if (r['wireless.covered'] !== '') { basic++; wifi += n('wireless.covered'); }
      }
      return {
        preschoolGer: (100 * kg) / refValue(year, 'pop.age3_5'),
        publicShare: (100 * kgPublic) / kg,
        inclusive: (100 * kgInclusive) / kg,
        retention: (100 * grads) / cohort,
        hePer100k: (he * 100_000) / refValue(year, 'pop.total'),
        wireless: (100 * wifi) / basic,
      };
    };
    const y2020 = figures(2020);
    // Plan table 1, 2020 baselines: 92.3, 50, 80, 99, 4500, 42.
    expect(y2020.preschoolGer).toBeCloseTo(92.3, 0);
    expect(Math.abs(y2020.publicShare - 50)).toBeLessThan(2);
    expect(Math.abs(y2020.inclusive - 80)).toBeLessThan(2);
    expect(Math.abs(y2020.retention - 99)).toBeLessThan(0.5);
    expect(Math.abs(y2020.hePer100k - 4500)).toBeLessThan(60);
    expect(Math.abs(y2020.wireless - 42)).toBeLessThan(12);
    const y2025 = figures(2025);
    expect(y2025.preschoolGer).toBeGreaterThan(93);
    expect(y2025.publicShare).toBeGreaterThan(50);
    expect(y2025.inclusive).toBeGreaterThan(80);
    expect(y2025.wireless).toBeGreaterThan(y2020.wireless + 30);
    // City population rows are the sum of the districts'.
    for (const code of ['pop.total', 'pop.age3_5', 'pop.age15_17', 'pop.age18_22']) {
      const districtSum = ref.filter((r) => r.org_code !== '120000' && r.year === '2020' && r.code === code).reduce((a, r) => a + Number(r.value), 0);
      expect(refValue(2020, code), code).toBe(districtSum);
    }
  });

  it('rejects a scale outside 0.001–10 and a non-integer seed', async () => {
    await expect(generateDemo({ scale: 0, seed: 1, outDir: join(root, 'x'), students: false })).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(generateDemo({ scale: 11, seed: 1, outDir: join(root, 'x'), students: false })).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(generateDemo({ scale: 0.1, seed: 1.5, outDir: join(root, 'x'), students: false })).rejects.toMatchObject({ code: 'E_USAGE' });
  });
});
