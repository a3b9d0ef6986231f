/**
 * Issue 14's acceptance, through the command line on an on-disk store:
 * - after `eduplan demo generate` and `eduplan import` of that folder, `eduplan targets --json
 *   --year 2025` has a row for each of the plan's 96 targets (20 main indicators, 52 专栏 and 24
 *   running-text targets), each with a valid status and source; at least 85 % have a value and
 *   every row without one says why;
 * - removing one African row from registry-luban-workshops.csv and importing again lowers the
 *   非洲鲁班工坊 target by exactly 1;
 * - `eduplan audit verify` passes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetStatuses } from '../../src/core/plan-execution/judge.ts';
import { readPlanDir } from '../../src/ingest/plan-files.ts';
import { bundledPlanDir } from '../../src/services/plan.ts';
import { runCli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-targets-acceptance-'));
const demo = join(root, 'demo');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(argv, { EDUPLAN_DATA_DIR: join(root, 'data'), EDUPLAN_PSEUDONYM_KEY: 'acceptance-test-pseudonym-key' }, root);

interface Row { id: string; kind: string; source: string; text_zh: string; comparator: string; target: number; unit: string; year: number; value: number | null; status: string; data_path: string; reason?: string; reason_zh?: string }

async function targets(): Promise<Row[]> {
  const r = await run(['targets', '--json', '--year', '2025']);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Row[];
}

let first: Row[];

beforeAll(async () => {
  // Small, with a sample of students for the last year (the fitness and myopia targets read them).
  const g = await run(['demo', 'generate', '--scale', '0.01', '--seed', '14', '--student-years', '2025', '--student-sample', '0.05', '--out', 'demo']);
  expect(g.code).toBe(0);
  const i = await run(['import', 'demo']);
  expect(i.err).not.toContain('E_');
  expect(i.code).toBe(0);
  first = await targets();
}, 600_000);

describe('eduplan targets --json --year 2025 after the demo import', () => {
  it('has a row for each of the 96 targets, each with a valid status, source and data path', async () => {
    const plan = await readPlanDir(bundledPlanDir());
    const expected = [...plan.indicators.map((i) => i.code), ...plan.projects.flatMap((p) => p.targets.map((t) => t.code)), ...plan.text_targets.map((t) => t.code)];
    expect(expected).toHaveLength(96);
    expect(first.map((r) => r.id)).toEqual(expected);
    expect(first.filter((r) => r.kind === 'indicator')).toHaveLength(20);
    expect(first.filter((r) => r.kind === 'project')).toHaveLength(52);
    expect(first.filter((r) => r.kind === 'text')).toHaveLength(24);
    for (const r of first) {
      expect(targetStatuses, r.id).toContain(r.status);
      expect(r.source, r.id).toMatch(/^(专栏\d{1,2}|[一二三四五六七八九十]+\([一二三四五六七八九十]+\)\d*)$/);
      expect(['indicator', 'registry', 'entered'], r.id).toContain(r.data_path);
      expect(r.text_zh, r.id).not.toBe('');
      expect(typeof r.target, r.id).toBe('number');
      expect(r.year, r.id).toBeGreaterThanOrEqual(2021);
    }
    expect(first.find((r) => r.id === 'luban_workshops_africa')).toMatchObject({ source: '专栏19', comparator: '>=', target: 10, unit: '个', data_path: 'registry' });
    expect(first.find((r) => r.id === 'model_elderly_universities_per_district')?.source).toBe('三(七)3');
  });

  it('at least 85 % have a value; none is silently missing: every row without one gives its reason', () => {
    const withValue = first.filter((r) => r.value !== null);
    expect(withValue.length / first.length).toBeGreaterThanOrEqual(0.85);
    for (const r of first.filter((x) => x.value === null)) {
      expect(r.status, r.id).toBe('no_data');
      expect(r.reason, r.id).toBeTruthy();
      expect(r.reason_zh, r.id).toBeTruthy();
    }
    // The plan's final year: only final verdicts where there is a value.
    for (const r of withValue) expect(['achieved', 'not_achieved'], r.id).toContain(r.status);
  });

  it('removing one African row from registry-luban-workshops.csv lowers 非洲鲁班工坊 by exactly 1', async () => {
    const file = join(demo, 'registry-luban-workshops.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    const header = (lines[0] ?? '').split(',');
    const continent = header.indexOf('continent');
    const status = header.indexOf('status');
    const african = lines.findIndex((l, i) => i > 0 && l.split(',')[continent] === 'africa' && l.split(',')[status] === 'operating');
    expect(african).toBeGreaterThan(0);
    writeFileSync(file, lines.filter((_, i) => i !== african).join('\n'));
    const again = await run(['import', 'demo']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/已导入 imported\s+registry-luban-workshops\.csv/);
    const after = await targets();
    const before = first.find((r) => r.id === 'luban_workshops_africa')?.value;
    expect(typeof before).toBe('number');
    expect(after.find((r) => r.id === 'luban_workshops_africa')?.value).toBe((before as number) - 1);
    // Only the registry changed: every other target keeps its value.
    for (const r of after.filter((x) => x.id !== 'luban_workshops_africa' && x.id !== 'luban_workshops')) expect(r.value, r.id).toBe(first.find((x) => x.id === r.id)?.value);
  }, 300_000);

  it('eduplan tasks --json lists every task area, sub-task and 专栏 with owners and status; audit verify passes', async () => {
    const t = await run(['tasks', '--json']);
    expect(t.code).toBe(0);
    const tasks = JSON.parse(t.out) as Array<{ code: string; kind: string; owners: { lead: { code: string } | null }; status: string }>;
    expect(tasks.filter((x) => x.kind === 'area')).toHaveLength(11);
    expect(tasks.filter((x) => x.kind === 'subtask')).toHaveLength(45);
    expect(tasks.filter((x) => x.kind === 'project')).toHaveLength(19);
    for (const x of tasks) expect(x.owners.lead, x.code).not.toBeNull();
    expect(tasks.find((x) => x.code === 'p19_luban_workshops')?.status).not.toBe('not_reported');
    const v = await run(['audit', 'verify']);
    expect(v.code).toBe(0);
  }, 300_000);
});
