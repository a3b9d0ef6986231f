/**
 * The public 规划实施 section in headless Chromium against a real server with demo data
 * (registries, owners, milestones, reports and entered values imported, the demo's years
 * released): 专栏19 in Chinese and English shows exactly the API's targets, statuses and
 * milestones; the overview's counts are the API's; every chart has a text alternative and a
 * table beside it.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail, TargetsResponse, TaskRow } from '../../src/contract/plan-execution.ts';
import type { Lang } from '../../src/web/i18n.ts';
import { targetStatusLabel, targetText, valueText } from '../../src/web/plan/model.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
let server: PortalServer;
let page: Page;
let browser: BrowserSession | undefined;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** The cell texts of a table's body, per row: the row header, then the data-col cells asked for. */
async function tableRows(testId: string, cols: readonly string[]): Promise<string[][]> {
  return page.locator(`[data-testid="${testId}"] tbody tr`).evaluateAll((trs, c) => trs.map((tr) => [
    (tr.querySelector('th')?.textContent ?? '').trim(),
    ...c.map((k) => (tr.querySelector(`td[data-col="${k}"]`)?.textContent ?? '').trim()),
  ]), cols);
}

/** Every chart is an image with a name, and a table of its figures follows it. */
async function chartsHaveTables(): Promise<void> {
  const charts = await page.locator('[role="img"]').evaluateAll((els) => els.map((el) => ({
    label: el.getAttribute('aria-label') ?? '',
    tableAfter: (() => { let n: Element | null = el.nextElementSibling; while (n) { if (n.querySelector('table') || n.tagName === 'TABLE') return true; n = n.nextElementSibling; } return false; })(),
  })));
  expect(charts.length).toBeGreaterThan(0);
  for (const c of charts) {
    expect(c.label.length).toBeGreaterThan(4);
    expect(c.tableAfter, c.label).toBe(true);
  }
}

async function checkProject(lang: Lang, p: ProjectDetail): Promise<void> {
  await page.locator('[data-testid="project-targets"] tbody tr').first().waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe(lang === 'zh' ? 'zh-CN' : 'en');
  expect(await page.getByTestId('project-title').innerText()).toBe(`专栏19 ${lang === 'zh' ? p.project.title_zh : p.project.title_en}`);
  // Targets: text, target as the plan words it, value (or why not), and status — all the API's.
  const rows = (await tableRows('project-targets', ['source', 'goal', 'value', 'status'])).map((r) => r.map((s) => s.replace(/^[✔▲◆✖○]\s*/, '')));
  expect(rows).toEqual(p.targets.map((t) => [lang === 'zh' ? t.text_zh : t.text_en, t.source, targetText(t, lang), valueText(t, lang), targetStatusLabel(t.status, lang)]));
  const statuses = await page.locator('[data-testid="project-targets"] [data-testid="target-status"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  expect(statuses).toEqual(p.targets.map((t) => t.status));
  // Milestones: every one, with its due date and completion.
  const ms = await tableRows('project-milestones', ['year', 'due', 'done']);
  expect(ms.map((m) => [m[0], m[1], m[2]])).toEqual(p.milestones.map((m) => [lang === 'zh' ? m.text_zh : m.text_en, String(m.year), m.due]));
  expect(ms.map((m) => m[3])).toEqual(p.milestones.map((m) => m.done_on ?? (m.overdue ? (lang === 'zh' ? '已逾期' : 'Overdue') : (lang === 'zh' ? '未完成' : 'Not done'))));
  // Accepted reports only, each unit's latest.
  const reports = await page.locator('[data-testid="project-reports"] > li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-unit'), li.getAttribute('data-period')]));
  expect(reports).toEqual(p.reports.map((r) => [r.unit.code, r.period]));
  await chartsHaveTables();
}

describe.skipIf(!haveChromium)('规划实施 in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer();
    browser = await openBrowser(shotDir);
    ({ page } = browser);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('专栏19 in Chinese, then English: its targets, status and milestones equal to the API’s', async () => {
    const zh = await api<ProjectDetail>('/api/projects/19');
    expect(zh.targets.map((t) => t.id)).toEqual(['luban_workshops', 'luban_workshops_africa']);
    expect(zh.milestones.length).toBe(5);
    await page.goto(`${server.url}/plan/projects/19`);
    await checkProject('zh', zh);
    // The luban rows are released registry counts, with the release they come from.
    for (const t of zh.targets) expect(t).toMatchObject({ data_path: 'registry', provisional: false, release: { version: 1 } });
    await page.screenshot({ path: join(shotDir, 'plan-project19-zh.png'), fullPage: true });
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await checkProject('en', zh);
    await page.screenshot({ path: join(shotDir, 'plan-project19-en.png'), fullPage: true });
    await page.getByTestId('lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  });

  it('the overview: the 11 task areas with their 专栏, status counts as the API gives them, a chart with its table', async () => {
    const tasks = await api<{ tasks: TaskRow[] }>('/api/tasks');
    const targets = await api<TargetsResponse>('/api/targets');
    await page.goto(`${server.url}/plan`);
    await page.locator('[data-testid="plan-area"]').nth(10).waitFor();
    expect(await page.locator('[data-testid="plan-area"]').count()).toBe(11);
    expect(await page.locator('[data-testid="plan-project-link"]').count()).toBe(19);
    const shown = await page.locator('[data-testid="plan-summary"] li').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-status'), Number(li.getAttribute('data-count'))]));
    expect(Object.fromEntries(shown)).toEqual(targets.summary);
    const areaRows = await tableRows('plan-area-table', ['achieved', 'not_achieved', 'total']);
    expect(areaRows).toEqual(tasks.tasks.filter((t) => t.kind === 'area').map((a) => [a.title_zh, String(a.targets.achieved), String(a.targets.not_achieved), String(a.targets.total)]));
    expect(await page.locator('[data-testid="plan-targets"] tbody tr').count()).toBe(96);
    await chartsHaveTables();
    // Following a 专栏 link lands on its page, focus on its heading.
    await page.locator('[data-testid="plan-project-link"][data-code="p19_luban_workshops"] a').click();
    await page.getByTestId('project-title').waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.screenshot({ path: join(shotDir, 'plan-overview-zh.png'), fullPage: false });
  });
});
