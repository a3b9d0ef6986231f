import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import type { CliIO } from '../io.ts';
import { bundledPlanDir } from '../../services/plan.ts';

function capture(cwd: string, env: NodeJS.ProcessEnv): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void): Writable => new Writable({ write(chunk, _enc, cb) { add(String(chunk)); cb(); } });
  return {
    io: { stdout: sink((s) => { out += s; }), stderr: sink((s) => { err += s; }), stdin: new PassThrough(), env, cwd },
    out: () => out,
    err: () => err,
  };
}

describe('eduplan plan …', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'eduplan-cli-plan-'));
    env = { EDUPLAN_DATA_DIR: join(work, 'data') };
  });
  afterAll(async () => rm(work, { recursive: true, force: true }));

  it('plan show --json with an empty store prints the bundled plan and says so on stderr', async () => {
    const c = capture(work, env);
    expect(await main(['plan', 'show', '--json'], c.io)).toBe(0);
    expect(c.err()).toMatch(/bundled/);
    const body = JSON.parse(c.out()) as { origin: { source: string }; indicators: Array<Record<string, unknown>>; task_areas: unknown[]; projects: unknown[]; text_targets: unknown[] };
    expect(body.origin.source).toBe('bundled');
    expect(body.indicators).toHaveLength(20);
    for (const ind of body.indicators) {
      expect(Object.keys(ind)).toEqual(expect.arrayContaining(['code', 'category', 'name_zh', 'name_en', 'unit', 'nature', 'direction', 'baseline', 'target']));
      expect(Object.keys(ind.baseline as object).sort()).toEqual(['value', 'year']);
      expect(Object.keys(ind.target as object).sort()).toEqual(['comparator', 'value', 'year']);
    }
    expect(body.indicators.find((i) => i.code === 'myopia_rate')).toMatchObject({ direction: 'down', target: { year: 2025, comparator: '<=', value: 48.5 } });
    expect(body.task_areas).toHaveLength(11);
    expect(body.projects).toHaveLength(19);
    expect(body.text_targets.length).toBeGreaterThan(10);
  });

  it('plan validate accepts the bundled plan with a summary', async () => {
    const c = capture(work, env);
    expect(await main(['plan', 'validate', bundledPlanDir()], c.io)).toBe(0);
    expect(c.out()).toMatch(/主要指标 indicators: 20/);
    expect(c.out()).toMatch(/专栏 projects: 19/);
  });

  it('plan validate lists every problem of a broken directory and exits non-zero', async () => {
    const dir = join(work, 'broken');
    await cp(bundledPlanDir(), dir, { recursive: true });
    const ind = join(dir, 'indicators.yaml');
    await writeFile(ind, (await readFile(ind, 'utf8')).replace('nature: binding', 'nature: mandatory'));
    const proj = join(dir, 'projects.yaml');
    await writeFile(proj, (await readFile(proj, 'utf8')).replace('value: 500', 'value: five hundred'));
    const c = capture(work, env);
    expect(await main(['plan', 'validate', 'broken'], c.io)).toBe(1);
    expect(c.err()).toMatch(/E_PLAN_INVALID/);
    expect(c.err()).toMatch(/indicators\.yaml/);
    expect(c.err()).toMatch(/indicators\[1\]\.nature/);
    expect(c.err()).toMatch(/projects\.yaml/);
    expect(c.err()).toMatch(/projects\[1\]\.targets\[6\]\.value/);
    // a failed load stops before touching the store (the storage suite checks nothing is written)
    const l = capture(work, env);
    expect(await main(['plan', 'load', 'broken'], l.io)).toBe(1);
    expect(l.err()).toMatch(/E_PLAN_INVALID/);
  });

  it('plan load stores the bundled plan; plan show then reads the store', async () => {
    const a = capture(work, env);
    expect(await main(['plan', 'load'], a.io)).toBe(0);
    expect(a.out()).toMatch(/version 1/);
    const s = capture(work, env);
    expect(await main(['plan', 'show', '--json'], s.io)).toBe(0);
    expect(s.err()).toBe('');
    expect(JSON.parse(s.out())).toMatchObject({ code: 'tianjin-2021-2025', origin: { source: 'store', version: 1 } });
  });

  it('rejects wrong usage with E_USAGE', async () => {
    const c = capture(work, env);
    expect(await main(['plan', 'validate'], c.io)).toBe(2);
    expect(c.err()).toMatch(/E_USAGE/);
  });
});
