/**
 * Evaluation reports in headless Chromium against a real server with demo data: the city
 * administrator writes the final evaluation's summary narrative in the workspace (a number as a
 * placeholder; a typed percentage refused), publishes the report, and a visitor opens the
 * published report from the portal's reports page — the page shows the narrative with the
 * released figure filled in, the main-indicator table, and the report's PDF and DOCX downloads.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import type { Publication } from '../../src/contract/reports.ts';
import type { TargetsResponse } from '../../src/contract/plan-execution.ts';
import { formatValue } from '../../src/core/reports/format.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const PASSWORD = 'eduplan-demo-2024';

let server: PortalServer;
let page: Page;
let browser: BrowserSession | undefined;

describe.skipIf(!haveChromium)('evaluation reports in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer({ demoAccounts: true });
    browser = await openBrowser(shotDir);
    ({ page } = browser);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the city writes a narrative, publishes the final evaluation, and the portal opens the published report', async () => {
    await page.goto(`${server.url}/workspace/reports`);
    const form = page.getByTestId('sign-in-form');
    await form.waitFor();
    await form.locator('input[name="username"]').fill('demo-city');
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.locator('input[name="password"]').press('Enter');
    await page.getByTestId('ws-user').waitFor();

    const summary = page.locator('[data-testid="narrative"][data-section="summary"]');
    await summary.waitFor();
    // A typed percentage is refused, with where it is.
    await summary.getByTestId('narrative-zh').fill('优良率为43.9%。');
    await summary.getByTestId('narrative-save').click();
    await summary.getByTestId('ws-error').waitFor();
    const problems = summary.getByTestId('narrative-problems');
    await problems.waitFor();
    expect(await problems.innerText()).toContain('第1行第5列');
    expect(await problems.innerText()).toContain('43.9%');

    await summary.getByTestId('narrative-zh').fill('五年来，我市在非洲建成鲁班工坊{{value luban_workshops_africa}}，规划目标为{{target luban_workshops_africa}}。');
    await summary.getByTestId('narrative-save').click();
    await summary.locator('details summary', { hasText: '(1)' }).waitFor();

    await page.getByTestId('report-publish-note').fill('浏览器测试');
    await page.getByTestId('report-publish').click();
    await page.getByTestId('report-published').waitFor({ timeout: 300_000 });

    const published = (await (await page.request.get(`${server.url}/api/reports`)).json()) as { reports: Publication[] };
    expect(published.reports).toHaveLength(1);
    const pub = published.reports[0] as Publication;
    expect(pub.files.map((f) => `${f.lang}.${f.format}`).sort()).toEqual(['en.docx', 'en.html', 'en.pdf', 'zh.docx', 'zh.html', 'zh.pdf']);
    expect(pub.snapshot.narratives).toEqual([{ section: 'summary', version: 1 }]);
    expect(pub.snapshot.indicator_releases.length).toBeGreaterThan(0);

    const targets = (await (await page.request.get(`${server.url}/api/targets?year=2025`)).json()) as TargetsResponse;
    const africa = targets.targets.find((t) => t.id === 'luban_workshops_africa');
    expect(africa?.value).not.toBeNull();

    // The public reports page lists it; reading it opens the published HTML.
    await page.goto(`${server.url}/reports`);
    const row = page.locator('[data-testid="report-row"][data-kind="final"][data-year="2025"]');
    await row.waitFor();
    expect(await row.getAttribute('data-current')).toBe('true');
    expect(await row.getByTestId('report-pdf-zh').getAttribute('href')).toBe(`/api/reports/${pub.id}/report.zh.pdf`);
    await page.screenshot({ path: join(shotDir, 'reports-page.png'), fullPage: true });
    await row.getByTestId('report-read-zh').click();
    await page.waitForURL(`**/api/reports/${pub.id}/report.zh.html`);
    const h1 = page.locator('h1');
    expect(await h1.innerText()).toContain('总结评估报告');
    // A demo's report says so (the page stands outside the portal's banner).
    expect(await page.locator('.demo').innerText()).toContain('演示数据');
    const body = await page.locator('main').innerText();
    expect(body).toContain(`五年来，我市在非洲建成鲁班工坊${formatValue(africa?.value ?? 0, '个', 'zh')}，规划目标为10个。`);
    expect(body).toContain('表1 主要指标完成情况');
    expect(await page.locator('table caption').count()).toBeGreaterThan(5);
    expect(await page.locator('figure svg[role="img"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shotDir, 'report-final-zh.png') });

    // The published PDF is served as published.
    const pdf = await page.request.get(`${server.url}/api/reports/${pub.id}/report.zh.pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  }, 600_000);
});
