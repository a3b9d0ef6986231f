/**
 * The supervision-assessment workspace (督导评估) in headless Chromium against a real server
 * with demo data and demo accounts: sign in as the city administrator, the city view shows
 * the API's verdict for each district, a failing district's scorecard shows the API's school
 * values, CVs and verdict, the what-if panel shows the API's CVs after the changes, and the
 * xlsx download is a real workbook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';
import { balancedStatus, cellStatus, formatCv, formatNum, latestYear, levels, type BalancedDistrictResult, type BalancedIndicatorKey, type BalancedVerdict, type Level } from '../../src/web/assessments/model.ts';
import { statusLabel } from '../../src/web/assessments/strings.ts';
import type { Progress } from '../../src/web/api.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');

let server: PortalServer;
let context: BrowserContext;
let page: Page;
let browser: BrowserSession | undefined;
let year: number;

/** The API as the signed-in browser sees it (the context's cookies). */
async function api<T>(path: string): Promise<T> {
  const res = await context.request.get(`${server.url}${path}`);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

describe.skipIf(!haveChromium)('assessment workspace in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer({ demoAccounts: true });
    browser = await openBrowser(shotDir);
    ({ context, page } = browser);
    const progress = (await (await fetch(`${server.url}/api/progress`)).json()) as Progress[];
    year = latestYear(progress) ?? 0;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for sign-in first, refuses a wrong password with a clear message, then signs in as demo-city', async () => {
    await page.goto(`${server.url}/workspace/assessments`);
    // The workspace's shared sign-in (src/web/workspace/session.tsx) guards the assessment pages.
    await page.getByTestId('sign-in-form').waitFor();
    expect(await page.getByTestId('balanced-table').count()).toBe(0);
    await page.getByLabel('用户名').fill('demo-city');
    await page.getByLabel('口令').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('ws-error').waitFor();
    expect(await page.getByTestId('ws-error').innerText()).toMatch(/E_AUTH/);
    // Keyboard only: type the password and press Enter.
    await page.getByLabel('口令').fill('eduplan-demo-2024');
    await page.getByLabel('口令').press('Enter');
    await page.getByTestId('balanced-table').waitFor();
    expect(await page.locator('main h1').innerText()).toBe('督导评估：全市各区');
    expect(await page.getByTestId('ws-user').innerText()).toBe('demo-city');
  });

  it('city view: each district shows the API verdict on the table and the map, and the schedule figures', async () => {
    const v = await api<{ districts: BalancedVerdict[] }>(`/api/assessments/verdicts?year=${year}`);
    expect(v.districts).toHaveLength(16);
    const shown = await page.locator('[data-testid="balanced-table"] tbody td[data-col="status"] [data-testid="a-status"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(shown).toEqual(v.districts.map((d) => balancedStatus(d)));
    expect(await page.locator('[data-testid="balanced-table"] tbody th').allInnerTexts()).toEqual(v.districts.map((d) => d.name_zh));
    await page.locator('[data-testid="balanced-map"] svg path').nth(15).waitFor();
    expect(await page.getByTestId('balanced-map').getAttribute('role')).toBe('img');
    expect(await page.locator('[data-testid="preschool-table"] tbody tr').count()).toBe(16);
    const sched = await api<{ kpi: { certified: number; total: number }; by_year: Array<{ year: number; submitted: number }> }>(`/api/assessments/schedule?kind=balanced&as_of=${year + 1}`);
    expect(await page.getByTestId('schedule-balanced-kpi').innerText()).toBe(`${sched.kpi.certified} / ${sched.kpi.total}`);
    expect(await page.locator('[data-testid="schedule-balanced"] tbody th').allInnerTexts()).toEqual(sched.by_year.map((r) => String(r.year)));
    await page.screenshot({ path: join(shotDir, 'assessments-city-zh.png'), fullPage: true });
  });

  it('a failing district’s scorecard shows the API’s school values, CVs and verdict; the what-if panel the CVs after', async () => {
    const v = await api<{ districts: BalancedVerdict[] }>(`/api/assessments/verdicts?year=${year}`);
    const failing = v.districts.find((d) => d.verdict === 'fail' && !d.certified);
    if (!failing) throw new Error('the demo data has no failing district');
    await page.locator('[data-testid="balanced-table"] tbody tr', { hasText: failing.name_zh }).getByTestId('district-link').click();
    await page.getByTestId('school-table').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/workspace/assessments/${failing.district}`);
    const r = await api<BalancedDistrictResult>(`/api/assessments/balanced?district=${failing.district}&year=${year}`);
    expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe(r.verdict);
    expect(await page.locator('[data-testid="verdict"] [data-testid="a-status"]').innerText()).toContain(statusLabel('fail', 'zh'));
    expect(await page.locator('[data-testid="explanation"] li').first().innerText()).toBe(r.explanation_zh[0]);

    // Open the level that fails (by keyboard), so the what-if panel has something to show.
    const level: Level = levels.find((l) => !r.levels[l].pass) ?? 'primary';
    if (level !== 'primary') {
      await page.getByTestId(`level-${level}`).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`**level=${level}`);
      await page.locator(`[data-testid="level"][data-level="${level}"]`).waitFor();
    }
    const l = r.levels[level];
    const keys = Object.keys(l.indicators) as BalancedIndicatorKey[];
    // Every school's value and pass / near / fail mark, for every indicator.
    const rows = page.locator('[data-testid="school-table"] tbody tr');
    expect(await rows.count()).toBe(l.schools.length);
    for (const [i, s] of l.schools.entries()) {
      for (const k of keys) {
        const cell = rows.nth(i).locator(`td[data-col="${k}"] > span`);
        expect(await cell.locator('.v').innerText(), `${s.code} ${k}`).toBe(formatNum(s.values[k], 'zh'));
        expect(await cell.getAttribute('data-status'), `${s.code} ${k}`).toBe(cellStatus(s, k));
      }
      expect(await rows.nth(i).locator('td[data-col="met"]').innerText()).toBe(`${s.met} / ${keys.length}`);
    }
    // The CV table (the chart's text alternative) and the chart itself.
    expect(await page.locator('[data-testid="cv-table"] tbody td[data-col="cv"]').allInnerTexts()).toEqual(keys.map((k) => formatCv(l.indicators[k].cv, 'zh')));
    expect(await page.locator('[data-testid="cv-table"] tbody td[data-col="cv_limit"]').allInnerTexts()).toEqual(keys.map((k) => `≤ ${formatCv(l.indicators[k].cv_limit, 'zh')}`));
    await page.locator('[data-testid="cv-chart"] svg').waitFor();

    // What-if: collapsed until asked for, then the API's CVs before → after.
    expect(await page.getByTestId('whatif-panel').count()).toBe(0);
    const toggle = page.getByTestId('whatif-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('whatif-panel').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const w = l.what_if;
    if (!w) throw new Error('a failing level has a what-if');
    expect(await page.locator('[data-testid="whatif-cv"] tbody td[data-col="before"]').allInnerTexts()).toEqual(keys.map((k) => formatCv(w.cv[k].before, 'zh')));
    expect(await page.locator('[data-testid="whatif-cv"] tbody td[data-col="after"]').allInnerTexts()).toEqual(keys.map((k) => formatCv(w.cv[k].after, 'zh')));
    expect(await page.locator('[data-testid="whatif-changes"] tbody tr').count()).toBe(w.changes.length);
    const first = w.changes[0];
    if (first) expect(await page.locator('[data-testid="whatif-changes"] tbody td[data-col="add"]').first().innerText()).toBe(`+${formatNum(first.add, 'zh')}`);
    expect(await page.locator('[data-testid="whatif-after"] [data-testid="a-status"]').getAttribute('data-status')).toBe(w.pass_after ? 'pass' : 'fail');
    await page.screenshot({ path: join(shotDir, 'assessments-scorecard-zh.png'), fullPage: true });

    // The xlsx download is a real workbook with the district's sheets.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(4);
    const text = wb.worksheets.map((ws) => ws.getSheetValues().flat().join(' ')).join(' ');
    expect(text).toContain(r.district_name_zh);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    // The PDF link serves a real PDF to the signed-in account, and nothing to a stranger.
    const pdfHref = await page.getByTestId('download-pdf').getAttribute('href');
    const pdf = await context.request.get(`${server.url}${pdfHref ?? ''}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await fetch(`${server.url}${pdfHref ?? ''}`)).status).toBe(401);
  });

  it('English toggle: headings, level names and verdict in English; the scorecard items table is there', async () => {
    await page.getByTestId('lang-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('main h1').innerText()).toContain('Balanced education assessment');
    expect(await page.locator('#items-title').innerText()).toBe('Government guarantees, education quality, social recognition');
    expect(await page.locator('[data-testid="items-table"] tbody tr').count()).toBeGreaterThan(10);
    await page.screenshot({ path: join(shotDir, 'assessments-scorecard-en.png'), fullPage: false });
    await page.getByTestId('lang-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  });

  it('workflow: the city admin records the self-evaluation; the state and history follow; submitting is refused while failing', async () => {
    const before = await page.getByTestId('workflow-state').getAttribute('data-state');
    expect(before).toBe('not_started');
    await page.getByLabel('发生日期').fill('2025-03-01');
    await page.getByTestId('action-self_evaluate').click();
    await page.locator('[data-testid="workflow-state"][data-state="self_evaluated"]').waitFor();
    expect(await page.locator('.a-history li[data-step="self_evaluated"]').innerText()).toContain('2025-03-01');
    // Next step for the city: the city assessment (submission comes after it, only when passing).
    expect(await page.getByTestId('action-city_assess').isEnabled()).toBe(true);
    await page.getByTestId('action-city_assess').click();
    await page.locator('[data-testid="workflow-state"][data-state="city_assessed"]').waitFor();
    expect(await page.getByTestId('action-submit').isDisabled()).toBe(true);
    expect(await page.locator('#why-submit').innerText()).toContain('达标');
  });

  it('a district reviewer (demo-district) is offered their own district, sees its scorecard, and may only self-evaluate', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    await page.goto(`${server.url}/workspace/assessments`);
    await page.getByLabel('用户名').fill('demo-district');
    await page.getByLabel('口令').fill('eduplan-demo-2024');
    await page.getByLabel('口令').press('Enter');
    await page.getByTestId('own-districts').waitFor();
    expect(await page.getByTestId('balanced-table').count()).toBe(0);
    await page.locator('[data-testid="own-districts"] a').click();
    await page.getByTestId('school-table').waitFor();
    const r = await api<BalancedDistrictResult>(`/api/assessments/balanced?district=120101&year=${year}`);
    expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe(r.verdict);
    expect(await page.locator('[data-testid="workflow"] button[data-testid^="action-"]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid')))).toEqual(
      r.workflow.state === 'not_started' || r.workflow.state === 'self_evaluated' || r.workflow.state === 'returned' ? ['action-self_evaluate'] : [],
    );
  });
});
