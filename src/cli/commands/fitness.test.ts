import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../io.ts';
import { main } from '../main.ts';

function io(stdin: string, cwd: string): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => { o += c.toString(); });
  stderr.on('data', (c: Buffer) => { e += c.toString(); });
  return { stdout, stderr, stdin: Readable.from([stdin]), env: {}, cwd, out: () => o, err: () => e };
}

describe('eduplan fitness score', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-fitness-cli-'));

  it('scores JSON Lines from stdin, one output line per input, errors in place', async () => {
    const t = io([
      // 一年级 男 (表1-1/1-3/1-5/1-7/1-9): everything at 100, 跳绳 129 = 109 + 20 → 表2-1 +10.
      JSON.stringify({ grade: 11, sex: 'male', measurements: { height_cm: 120, weight_kg: 21.6, vital_capacity: 1700, run_50m: 10.2, sit_and_reach: 16.1, rope_skip_1min: 129 } }),
      '{bad json',
      JSON.stringify({ grade: 11, sex: 'female', measurements: { vital_capacity: -5, pull_ups: 1 } }),
    ].join('\n'), dir);
    const code = await main(['fitness', 'score'], t);
    const lines = t.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(code).toBe(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ standard_score: 100, bonus_total: 10, annual_total: 110, grade_band: '优秀', complete: true });
    expect(lines[1]).toMatchObject({ error: { record: 2, problems: [{ rule: 'json' }] } });
    expect(lines[2]).toMatchObject({ error: { record: 3, problems: [{ rule: 'item_not_for_grade' }] } });
    expect(t.err()).toContain('scored 1, 2 with errors');
  });

  it('reads and writes CSV with the same column names', async () => {
    writeFileSync(join(dir, 'in.csv'), 'grade,sex,height_cm,weight_kg,vital_capacity,run_50m,sit_and_reach,rope_skip_1min\n11,1,120,21.6,1500,10.2,16.1,109\n');
    const t = io('', dir);
    expect(await main(['fitness', 'score', '--in', 'in.csv', '--out', 'out.csv'], t)).toBe(0);
    const [head, row] = readFileSync(join(dir, 'out.csv'), 'utf8').trim().split('\n');
    const cols = (head ?? '').split(',');
    const cells = (row ?? '').split(',');
    const get = (k: string) => cells[cols.indexOf(k)];
    // 肺活量 1500 → 90 (×15 = 13.5): 15 + 13.5 + 20 + 30 + 20 = 98.5.
    expect(get('vital_capacity_score')).toBe('90');
    expect(get('standard_score')).toBe('98.5');
    expect(get('grade_band')).toBe('优秀');
    expect(get('error')).toBe('');
  });
});

describe('eduplan fitness import', () => {
  it('a missing file is E_FILE_NOT_FOUND (exit 1) naming it, before anything opens the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eduplan-fitness-import-cli-'));
    for (const name of ['missing-fitness-2023.csv', 'missing-fitness-2023.xlsx']) {
      const t = { ...io('', dir), env: { EDUPLAN_DATA_DIR: join(dir, 'data'), EDUPLAN_DEMO: '1' } };
      const code = await main(['fitness', 'import', name], t);
      expect(code).toBe(1);
      expect(t.err()).toContain('E_FILE_NOT_FOUND');
      expect(t.err()).toContain(name);
    }
  }, 60_000);
});
