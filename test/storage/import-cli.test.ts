/**
 * The CLI commands over the importer: exit codes and what they print.
 * 0 = done, 1 = bad input (every problem on stderr), 2 = usage.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'eduplan-import-cli-'));
const demo = join(root, 'demo');
const dataDir = join(root, 'data');

const run = (argv: string[]) => runCli(argv, { EDUPLAN_DATA_DIR: dataDir }, root);

beforeAll(async () => {
  const r = await run(['demo', 'generate', '--scale', '0.005', '--seed', '4', '--out', 'demo', '--no-students', '--no-plan-execution', '--json']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ schools: expect.any(Number), referenceRows: 432 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('eduplan demo / import / org', () => {
  it('usage errors exit 2', async () => {
    expect((await run(['demo', 'generate', '--scale', '0.1'])).code).toBe(2); // no --out
    expect((await run(['demo', 'generate', '--out', 'x', '--scale', '50'])).code).toBe(2);
    expect((await run(['import'])).code).toBe(2);
    // A malformed level code is a usage error; a well-formed one the region lacks lists nothing.
    expect((await run(['org', 'list', '--level', 'Province!'])).code).toBe(2);
  });

  it('a bad file exits 1 with every problem on stderr and nothing imported', async () => {
    const bad = join(root, 'bad');
    cpSync(join(demo, 'org-units.csv'), join(bad, 'org-units.csv'));
    const rows = readFileSync(join(demo, 'school-stats-2020.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    const col = (rows[0] ?? []).indexOf('teachers.fulltime');
    (rows[2] ?? [])[col] = 'many';
    (rows[3] ?? [])[col] = '-1';
    writeFileSync(join(bad, 'school-stats-2020.csv'), `${rows.map((r) => r.join(',')).join('\n')}\n`);
    const r = await run(['import', 'bad']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('E_IMPORT_INVALID');
    expect(r.err).toContain('school-stats-2020.csv, row 3, column teachers.fulltime');
    expect(r.err).toContain('school-stats-2020.csv 第4行 「teachers.fulltime」列');
    const list = await run(['org', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.out)).toEqual([]);
  }, 180_000); // each command opens the on-disk PGlite store (several seconds on a busy machine)

  it('imports a folder (exit 0), then reports it unchanged; org list shows the districts', async () => {
    const first = await run(['import', 'demo', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ imported: 8, unchanged: 0 });
    const again = await run(['import', 'demo']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('未变化 unchanged');
    const districts = await run(['org', 'list', '--level', 'district', '--json']);
    expect(districts.code).toBe(0);
    const rows = JSON.parse(districts.out) as Array<{ code: string; name_zh: string }>;
    expect(rows).toHaveLength(16);
    expect(rows[0]).toMatchObject({ code: '120101', name_zh: '和平区' });
  }, 180_000);
});
