import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import type { CliIO } from '../io.ts';

function io(): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d: Buffer) => { o += d.toString(); });
  stderr.on('data', (d: Buffer) => { e += d.toString(); });
  return { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd(), out: () => o, err: () => e };
}

const dir = mkdtempSync(join(tmpdir(), 'eduplan-assess-'));
const school = (code: string, enrolment: number, equip: number) => ({
  code, enrolment, teachers_above_required: enrolment * 0.042, backbone_teachers: enrolment / 100, pe_arts_teachers: enrolment * 0.009,
  teaching_aux_area_m2: enrolment * 4.5, sports_area_m2: enrolment * 7.5, equipment_value_yuan: equip, multimedia_classrooms: enrolment * 0.023,
});

describe('eduplan assess balanced --input', () => {
  it('prints the contract JSON: level, indicators {threshold, cv, cv_limit, cv_pass}, schools {code, values, met, pass}, verdicts', async () => {
    const file = join(dir, 'district.json');
    // Two schools at every threshold except equipment: 2000 vs 10 000 yuan per pupil → CV 0.667 > 0.50.
    writeFileSync(file, JSON.stringify({ level: 'primary', schools: [school('A', 1000, 2_000_000), school('B', 1000, 10_000_000)] }));
    const t = io();
    expect(await main(['assess', 'balanced', '--input', file, '--json'], t)).toBe(0);
    const r = JSON.parse(t.out()) as { level: string; indicators: Record<string, { threshold: number; cv: number; cv_limit: number; cv_pass: boolean }>; schools: Array<{ code: string; values: Record<string, number>; met: number; pass: boolean }>; schools_pass: boolean; cv_pass: boolean; pass: boolean; what_if?: { pass_after: boolean } };
    expect(r.level).toBe('primary');
    expect(r.indicators.equipment_value_per_student).toMatchObject({ threshold: 2000, cv_limit: 0.5, cv_pass: false });
    expect(r.indicators.equipment_value_per_student?.cv).toBeCloseTo(2 / 3, 10);
    expect(r.schools[0]).toMatchObject({ code: 'A', met: 7, pass: true });
    expect(r.schools[0]?.values.teachers_above_required_per_100).toBeCloseTo(4.2, 12);
    expect(r).toMatchObject({ schools_pass: true, cv_pass: false, pass: false });
    expect(r.what_if?.pass_after).toBe(true);
  });

  it('explains a bad input in Chinese and English with the path, and exits 1', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ level: 'primary', schools: [{ ...school('A', 1000, 1), sports_area_m2: -5 }] }));
    const t = io();
    expect(await main(['assess', 'balanced', '--input', file, '--json'], t)).toBe(1);
    expect(t.err()).toMatch(/E_INPUT_INVALID/);
    expect(t.err()).toMatch(/schools\[0\]\.sports_area_m2/);
    expect(t.err()).toMatch(/修改方法/);
  });

  it('rejects mixing --input with --district (usage, exit 2)', async () => {
    const t = io();
    expect(await main(['assess', 'balanced', '--input', 'x.json', '--district', '120101'], t)).toBe(2);
  });
});
