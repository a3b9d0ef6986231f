/**
 * The student-record upload page in headless Chromium against a real server (demo data and
 * demo accounts): the district reviewer opens it from the workspace, uploads a small fitness
 * CSV of its own schools, watches the upload bar reach 100 % and the import finish with the
 * row count (rows in the database); a file with a bad cell shows the located problems and
 * writes nothing; a correction for schools that already have records lists each with both
 * counts and replaces them only once confirmed; the school reporter cannot use the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import { writeStudentRecordFiles, type DemoSchool } from '../../src/demo/students.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const PASSWORD = 'eduplan-demo-2024';
const YEAR = 2024;

let server: PortalServer;
let page: Page;
let profile: string;
let browser: BrowserSession | undefined;
let goodFile = '';
let badFile = '';
let rows = 0;

async function signIn(username: string): Promise<void> {
  await page.goto(`${server.url}/workspace`);
  const form = page.getByTestId('sign-in-form');
  await form.waitFor();
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(PASSWORD);
  await form.locator('input[name="password"]').press('Enter');
  await page.getByTestId('ws-user').waitFor();
}

const fitnessRows = async (year: number): Promise<number> =>
  Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM student_fitness WHERE year = ${year}`.execute(server.store.db)).rows[0]?.n ?? 0);

describe.skipIf(!haveChromium)('student record upload in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer({ demoAccounts: true });
    const db = server.store.db;
    const grant = await db.selectFrom('account_grant as r').innerJoin('account as a', 'a.id', 'r.account_id').select('r.org_code').where('a.username', '=', 'demo-district').executeTakeFirstOrThrow();
    const primaries = await db.selectFrom('org_unit').select('code').where('parent_code', '=', grant.org_code).where('school_type', '=', 'primary').orderBy('code').limit(2).execute();
    const schools: DemoSchool[] = primaries.map((s, i) => ({ code: s.code, type: 'primary', district: grant.org_code, enrolment: i === 0 ? { g1: { m: 8, f: 8 }, g5: { m: 6, f: 6 } } : { g3: { m: 7, f: 7 } } }));
    profile = mkdtempSync(join(tmpdir(), 'eduplan-chromium-upload-'));
    const gen = await writeStudentRecordFiles({ schools, years: [YEAR], seed: 5, outDir: profile, kinds: ['fitness'] });
    rows = gen.rows;
    goodFile = join(profile, `fitness-${YEAR}.csv`);
    // The same file with one impossible height, under another year: must write nothing.
    const lines = readFileSync(goodFile, 'utf8').split('\n');
    const height = (lines[0] as string).split(',').indexOf('身高');
    const cells = (lines[5] as string).split(',');
    cells[height] = '999';
    lines[5] = cells.join(',');
    mkdirSync(join(profile, 'bad'));
    badFile = join(profile, 'bad', `fitness-${YEAR - 1}.csv`);
    writeFileSync(badFile, lines.join('\n'));
    browser = await openBrowser(shotDir);
    ({ page } = browser);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('district reviewer: uploads a fitness CSV, the bars reach done and the rows are stored', async () => {
    await signIn('demo-district');
    await page.getByTestId('open-student-upload').click();
    await page.getByTestId('student-upload-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/workspace/student-records');
    expect(await page.getByTestId('kind-fitness').isChecked()).toBe(true);
    await page.getByTestId('student-file').setInputFiles(goodFile);
    await page.getByTestId('student-upload-start').click();
    const phase = page.getByTestId('upload-phase');
    await page.locator('[data-testid="upload-phase"][data-phase="done"]').waitFor({ timeout: 60_000 });
    expect(await phase.getAttribute('role')).toBe('status');
    expect(await page.getByTestId('upload-progress').getAttribute('data-percent')).toBe('100');
    expect(await page.getByTestId('import-rows').innerText()).toBe(rows.toLocaleString('zh-CN'));
    const bar = page.getByTestId('import-progress');
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    expect(await fitnessRows(YEAR)).toBe(rows);
    await page.screenshot({ path: join(shotDir, 'workspace-student-upload.png'), fullPage: true });
  });

  it('a bad file: the located problems are listed, nothing is written; in English too', async () => {
    await page.getByRole('button', { name: '导入另一个文件' }).click();
    await page.getByTestId('student-file').setInputFiles(badFile);
    await page.getByTestId('student-upload-start').click();
    await page.locator('[data-testid="upload-phase"][data-phase="failed"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-error').getAttribute('data-code')).toBe('E_IMPORT_INVALID');
    const row = page.locator('[data-testid="import-problems"] tbody tr').first();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 4)).toEqual([`fitness-${YEAR - 1}.csv`, '6', '身高', '999']);
    expect(await fitnessRows(YEAR - 1)).toBe(0);
    await page.screenshot({ path: join(shotDir, 'workspace-student-upload-problems.png'), fullPage: true });
    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: 'Import student fitness and vision screening records' }).waitFor();
    expect(await page.locator('[data-testid="import-problems"] thead th').first().innerText()).toBe('File');
    await page.getByTestId('lang-toggle').click();
  });

  it('a correction for schools that already have records lists them with both counts and writes nothing until confirmed', async () => {
    await page.getByRole('button', { name: '导入另一个文件' }).click();
    // The first file less its last three rows: the same schools, fewer records (a different file, not a re-import).
    const text = readFileSync(goodFile, 'utf8');
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const [header = '', ...data] = text.split(eol).filter((l) => l !== '');
    const correction = (drop: number, dir: string): { path: string; rows: string[] } => {
      mkdirSync(join(profile, dir));
      const rowsKept = data.slice(0, -drop);
      const path = join(profile, dir, `fitness-${YEAR}.csv`);
      writeFileSync(path, [header, ...rowsKept].join(eol) + eol);
      return { path, rows: rowsKept };
    };
    const fix = correction(3, 'fix');
    const schoolCol = header.replace(/^\uFEFF/, '').split(',').indexOf('学校代码');
    expect(schoolCol).toBeGreaterThanOrEqual(0);
    const incoming = new Map<string, number>();
    for (const l of fix.rows) { const c = l.split(',')[schoolCol] ?? ''; incoming.set(c, (incoming.get(c) ?? 0) + 1); }
    const stored = new Map((await sql<{ org_code: string; n: number }>`SELECT org_code, count(*)::int AS n FROM student_fitness WHERE year = ${YEAR} GROUP BY org_code`.execute(server.store.db)).rows.map((r) => [r.org_code, Number(r.n)]));
    expect([...incoming.keys()].every((c) => (stored.get(c) ?? 0) > 0)).toBe(true);

    await page.getByTestId('student-file').setInputFiles(fix.path);
    await page.getByTestId('student-upload-start').click();
    await page.locator('[data-testid="upload-phase"][data-phase="failed"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-error').getAttribute('data-code')).toBe('E_REPLACE_UNCONFIRMED');
    const listed = page.locator('[data-testid="replace-schools"] tbody tr');
    expect(await listed.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-school')))).toEqual([...incoming.keys()].sort());
    for (const [code, n] of incoming) {
      expect(await page.locator(`[data-testid="replace-schools"] tr[data-school="${code}"] [data-col="message"]`).innerText())
        .toContain(`已有 ${stored.get(code)} 条体测记录，将被本文件的 ${n} 条替换`);
    }
    // Nothing written yet.
    expect(await fitnessRows(YEAR)).toBe(rows);
    await page.screenshot({ path: join(shotDir, 'workspace-student-upload-replace.png'), fullPage: true });

    // 确认替换: the same file again, replacing.
    await page.getByTestId('confirm-replace').click();
    await page.locator('[data-testid="upload-phase"][data-phase="done"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('upload-phase').getAttribute('data-replace')).toBe('true');
    expect(await page.getByTestId('import-rows').innerText()).toBe(fix.rows.length.toLocaleString('zh-CN'));
    expect(await fitnessRows(YEAR)).toBe(fix.rows.length);

    // An uploader who knows the file corrects earlier data ticks the box up front: no stop.
    await page.getByRole('button', { name: '导入另一个文件' }).click();
    const fix2 = correction(5, 'fix2');
    await page.getByTestId('student-replace').check();
    await page.getByTestId('student-file').setInputFiles(fix2.path);
    await page.getByTestId('student-upload-start').click();
    await page.locator('[data-testid="upload-phase"][data-phase="done"]').waitFor({ timeout: 60_000 });
    expect(await fitnessRows(YEAR)).toBe(fix2.rows.length);
  });

  it('a school reporter is told the page is not for its role', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signed-out').waitFor();
    await signIn('demo-school');
    expect(await page.getByTestId('open-student-upload').count()).toBe(0);
    await page.goto(`${server.url}/workspace/student-records`);
    await page.getByTestId('student-upload-not-allowed').waitFor();
  });
});
