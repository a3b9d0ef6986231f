/**
 * The CLI over the forms service: `forms list --json`, `forms template`, `submit` with its
 * exit codes and the marked workbook. Uses an on-disk PGlite store in a temp directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';
import { openStore } from '../../src/store/store.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { filledGood } from '../ingest/fixtures.ts';

function capture(env: NodeJS.ProcessEnv, cwd: string): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => { o += c.toString('utf8'); });
  stderr.on('data', (c: Buffer) => { e += c.toString('utf8'); });
  return { io: { stdout, stderr, stdin: new PassThrough(), env, cwd }, out: () => o, err: () => e };
}

describe('forms CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eduplan-forms-cli-'));
    env = { EDUPLAN_DATA_DIR: join(dir, 'data') };
    const store = await openStore({ dataDir: join(dir, 'data') });
    const base = { name_en: '', ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null };
    await store.db.insertInto('org_unit').values([
      { ...base, code: '120000', name_zh: '天津市', level: 'city', parent_code: null, school_type: null },
      { ...base, code: '120101', name_zh: '和平区', level: 'district', parent_code: '120000', school_type: null },
      { ...base, code: '1201010001', name_zh: '和平区第一小学', level: 'school', parent_code: '120101', school_type: 'primary' },
      { ...base, code: '1201010002', name_zh: '和平区第二小学', level: 'school', parent_code: '120101', school_type: 'primary' },
    ]).execute();
    await store.close();
  }, 60_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('lists the forms as JSON', async () => {
    const c = capture(env, dir);
    expect(await main(['forms', 'list', '--json'], c.io)).toBe(0);
    const forms = JSON.parse(c.out()) as Array<{ code: string; fields: number; rules: { hard: number } }>;
    expect(forms.find((f) => f.code === 'annual.primary')).toMatchObject({ fields: 28, rules: { hard: 8 } });
  });

  it('writes a template, and submit reports it ready once filled (exit 0) or not (exit 1, marked workbook)', async () => {
    const t = capture(env, dir);
    expect(await main(['forms', 'template', '--form', 'annual.primary', '--org', '1201010001', '--year', '2023', '--out', 'a.xlsx'], t.io)).toBe(0);
    const template = readFileSync(join(dir, 'a.xlsx'));

    writeFileSync(join(dir, 'good.xlsx'), await filledGood(template));
    const good = capture(env, dir);
    expect(await main(['submit', 'good.xlsx', '--json'], good.io)).toBe(0);
    expect(JSON.parse(good.out())).toMatchObject({ orgCode: '1201010001', formCode: 'annual.primary', year: 2023, ready: true, hard: [] });

    writeFileSync(join(dir, 'bad.xlsx'), await filledGood(template, (ws, _wb, rowOf) => { ws.getCell(`F${rowOf('teachers.bachelor_plus')}`).value = 99; }));
    const bad = capture(env, dir);
    expect(await main(['submit', 'bad.xlsx', '--errors-out', 'bad-marked.xlsx'], bad.io)).toBe(1);
    expect(bad.out()).toContain('[bachelor_le_fulltime]');
    expect(bad.out()).toContain('本科及以上学历专任教师数不能多于专任教师数');
    expect(existsSync(join(dir, 'bad-marked.xlsx'))).toBe(true);
  }, 180_000);

  it('with --username stores the file as the school\'s draft through the workflow, and --submit submits it', async () => {
    const store = await openStore({ dataDir: join(dir, 'data') });
    try {
      await insertAccount(store.db, new Date(), { username: 'school-1', password: 'Pass-word-123', grants: [{ role: 'school_reporter', orgCode: '1201010001' }] });
      await insertAccount(store.db, new Date(), { username: 'other-school', password: 'Pass-word-123', grants: [{ role: 'school_reporter', orgCode: '1201010002' }] });
    } finally {
      await store.close();
    }
    const withStdin = (line: string): ReturnType<typeof capture> => {
      const c = capture(env, dir);
      (c.io.stdin as PassThrough).end(`${line}\n`);
      return c;
    };
    // Wrong password: refused, nothing stored.
    const wrong = withStdin('not-the-password');
    expect(await main(['submit', 'good.xlsx', '--username', 'school-1'], wrong.io)).toBe(1);
    // Another school's account may not store this school's form (scope is checked in the service).
    const other = withStdin('Pass-word-123');
    expect(await main(['submit', 'good.xlsx', '--username', 'other-school'], other.io)).toBe(1);
    // The school's own account: a draft, then submitted with the workbook's sign-offs.
    const draft = withStdin('Pass-word-123');
    expect(await main(['submit', 'good.xlsx', '--username', 'school-1', '--json'], draft.io)).toBe(0);
    expect(JSON.parse(draft.out())).toMatchObject({ ready: true, submission: { state: 'draft' } });
    const sub = withStdin('Pass-word-123');
    expect(await main(['submit', 'good.xlsx', '--username', 'school-1', '--submit', '--json'], sub.io)).toBe(0);
    const id = (JSON.parse(sub.out()) as { submission: { id: number; state: string } }).submission;
    expect(id.state).toBe('submitted');
    const check = await openStore({ dataDir: join(dir, 'data') });
    try {
      const rows = await check.db.selectFrom('submission').select(['id', 'state', 'org_code']).execute();
      expect(rows).toEqual([{ id: id.id, state: 'submitted', org_code: '1201010001' }]);
      const actions = (await check.db.selectFrom('audit_event').select('action').where('actor', '=', 'school-1').execute()).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['submission.create', 'submission.submit']));
    } finally {
      await check.close();
    }
  }, 240_000);

  it('exits non-zero with a bilingual error for a CSV renamed .xlsx and for usage errors', async () => {
    writeFileSync(join(dir, 'renamed.xlsx'), '学校代码,在校生\n1201010001,528\n');
    const c = capture(env, dir);
    expect(await main(['submit', 'renamed.xlsx'], c.io)).toBe(1);
    expect(c.err()).toContain('E_IMPORT_FILE_TYPE');
    expect(c.err()).toContain('CSV');
    const u = capture(env, dir);
    expect(await main(['forms', 'template', '--form', 'annual.primary'], u.io)).toBe(2);
  }, 60_000);
});
