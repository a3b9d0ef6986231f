/**
 * The portal's breakdowns, open data, news and feedback in headless Chromium against a
 * real server with demo data (issue 16), in Chinese and English: the breakdown filter shows
 * the API's group figures (withheld ones without numbers), the open-data page lists every
 * dataset with working downloads and the licence, the news page lists release notes, and a
 * message left on an indicator page is public only after the city approves it in the
 * workspace — masked, with the reply. Every page is checked with axe-core (WCAG 2.1 AA
 * tags) at 1280 and 390 px.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import type { Series } from '../../src/web/api.ts';
import type { DatasetList } from '../../src/contract/open-data.ts';
import { formatValue } from '../../src/web/format.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const PASSWORD = 'eduplan-demo-2024';
// Evaluated as a string (DevTools protocol), not added as a <script>: the server's CSP allows only its own scripts.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: PortalServer;
let page: Page;
let browser: BrowserSession | undefined;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is: the violations' ids and targets. */
async function axeViolations(): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
  });
  return result;
}

async function atWidths(path: string, ready: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${server.url}${path}`);
    await page.locator(ready).first().waitFor();
    expect(await axeViolations(), `${path} at ${width}px`).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe.skipIf(!haveChromium)('breakdowns, open data, news and feedback in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer({ demoAccounts: true });
    browser = await openBrowser(shotDir);
    ({ page } = browser);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const lang of ['zh', 'en'] as const) {
    // The demo data hold no per-student files (fitness, vision), so the urban/rural breakdown of a form indicator is the one with figures.
    it(`breakdown filter (${lang}): choosing urban/rural shows one row per group and year with the API's values`, async () => {
      const s = await api<Series>('/api/indicators/compulsory_retention_rate/series?disaggregation=area');
      expect(s.disaggregation.flatMap((d) => d.points).length).toBeGreaterThan(0);
      await page.goto(`${server.url}/indicators/compulsory_retention_rate${lang === 'en' ? '?lang=en' : ''}`);
      await page.getByTestId('breakdown-select').waitFor();
      await page.getByTestId('breakdown-select').selectOption('area');
      await page.getByTestId('breakdown-table').waitFor();
      const rows = await page.locator('[data-testid="breakdown-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('th,td'), (c) => c.textContent ?? '')));
      for (const part of s.disaggregation) {
        const name = lang === 'zh' ? part.name_zh : part.name_en;
        for (const p of part.points) {
          const row = rows.find((r) => r[0] === String(p.year) && r[1] === name);
          expect(row, `${name} ${p.year}`).toBeDefined();
          expect(row?.[2]).toBe(formatValue(p, s.unit, lang));
          // A withheld group shows no number at all.
          if (p.suppressed) expect(row?.slice(2, 5).join(' ')).not.toMatch(/\d/);
        }
      }
      // The chart's accessible name carries the figures in the page's language, not ECharts' generated text.
      const label = await page.getByTestId('breakdown-chart').getAttribute('aria-label');
      expect(label).toContain(lang === 'zh' ? s.disaggregation[0]?.name_zh : s.disaggregation[0]?.name_en);
      expect(label).not.toContain('系列');
      expect(await page.title()).toContain(lang === 'zh' ? s.name_zh : s.name_en);
      // With the breakdown's chart and table shown, still no WCAG 2.1 AA violation.
      expect(await axeViolations()).toEqual([]);
    });
  }

  it('open data (zh, en): every dataset listed with working downloads, the licence and how to cite', async () => {
    const list = await api<DatasetList>('/api/open-data');
    for (const lang of ['zh', 'en'] as const) {
      await page.goto(`${server.url}/open-data${lang === 'en' ? '?lang=en' : ''}`);
      await page.getByTestId('datasets-table').waitFor();
      expect(await page.locator('[data-testid="datasets-table"] tbody tr').count()).toBe(list.datasets.length);
      expect(await page.getByTestId('licence-line').innerText()).toContain('CC BY 4.0');
      expect(await page.getByTestId('citation-line').innerText()).toContain(lang === 'zh' ? '天津市教育委员会' : 'Tianjin Municipal Education Commission');
    }
    const csvHref = await page.locator('[data-dataset="indicators"] a[data-format="CSV"]').getAttribute('href');
    const res = await fetch(`${server.url}${csvHref ?? ''}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const withSdmx = list.datasets.find((d) => d.formats.some((f) => f.format === 'SDMX-CSV'));
    expect(withSdmx, JSON.stringify(list.datasets.map((d) => d.id))).toBeDefined();
    const sdmxHref = await page.locator(`[data-dataset="${withSdmx?.id ?? ''}"] a[data-format="SDMX-CSV"]`).getAttribute('href');
    expect((await (await fetch(`${server.url}${sdmxHref ?? ''}`)).text()).startsWith('STRUCTURE,STRUCTURE_ID')).toBe(true);
  });

  it('news (zh, en): release notes listed, with the Atom feed', async () => {
    for (const lang of ['zh', 'en'] as const) {
      await page.goto(`${server.url}/news${lang === 'en' ? '?lang=en' : ''}`);
      await page.getByTestId('news-list').waitFor();
      expect(await page.locator('[data-testid="news-list"] > li[data-kind="release"]').count()).toBeGreaterThan(0);
      const feed = await page.getByTestId('atom-link').getAttribute('href');
      const res = await fetch(`${server.url}${feed ?? ''}`);
      expect(res.headers.get('content-type')).toContain('application/atom+xml');
    }
  });

  it('feedback: a message is not public until the city approves it; then it shows masked, with the reply (zh, then en)', async () => {
    const text = `学生体质数据的测试时间是什么时候？联系我 13912345678（${Date.now()}）`;
    await page.goto(`${server.url}/indicators/myopia_rate`);
    await page.getByTestId('feedback-form').waitFor();
    await page.getByTestId('feedback-message').fill(text);
    await page.getByTestId('feedback-submit').click();
    await expect.poll(() => page.getByTestId('feedback-status').innerText()).toBe('已收到，审核后公开。');
    await page.reload();
    await page.getByTestId('feedback-form').waitFor();
    expect(await page.getByTestId('feedback').innerText()).not.toContain('学生体质数据的测试时间');

    // The city moderates in the workspace.
    await page.goto(`${server.url}/workspace/feedback`);
    const form = page.getByTestId('sign-in-form');
    await form.waitFor();
    await form.locator('input[name="username"]').fill('demo-city');
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.locator('input[name="password"]').press('Enter');
    await page.getByTestId('moderation-list').waitFor();
    const item = page.locator('[data-testid="moderation-list"] > li').filter({ hasText: '学生体质数据的测试时间' });
    await item.waitFor();
    expect(await item.getByTestId('moderation-published').innerText()).toContain('【电话已隐去】');
    expect(await axeViolations()).toEqual([]);
    await item.getByTestId('moderation-reply').fill('每学年秋季学期测试。');
    await item.getByTestId('moderation-approve').click();
    await expect.poll(() => page.getByTestId('moderation-status').innerText()).toContain('已处理');

    for (const lang of ['zh', 'en'] as const) {
      await page.goto(`${server.url}/indicators/myopia_rate${lang === 'en' ? '?lang=en' : ''}`);
      await page.getByTestId('feedback-list').waitFor();
      const shown = await page.getByTestId('feedback-list').innerText();
      expect(shown).toContain('学生体质数据的测试时间');
      expect(shown).toContain('每学年秋季学期测试。');
      expect(shown).not.toContain('13912345678');
      expect(shown).toContain(lang === 'zh' ? '答复' : 'Reply');
    }
  });

  it('search (zh, en): the header form finds an indicator by its pinyin initials (ywjyggl: 义务教育巩固率) and by English, and opens it', async () => {
    await page.goto(`${server.url}/`);
    await page.getByTestId('search-input').fill('ywjyggl');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('search-results').waitFor();
    const first = page.locator('[data-testid="search-results"] > li').first();
    expect(await first.getAttribute('data-id')).toBe('compulsory_retention_rate');
    expect(await first.innerText()).toContain('义务教育巩固率');
    await page.goto(`${server.url}/search?q=myopia&lang=en`);
    await page.getByTestId('search-results').waitFor();
    const hit = page.locator('[data-testid="search-results"] > li[data-id="myopia_rate"] a');
    expect(await hit.innerText()).toContain('myopia');
    await hit.click();
    await page.getByTestId('indicator-title').filter({ hasText: 'myopia' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/indicators/myopia_rate');
  });

  it('axe-core (WCAG 2.1 AA): 0 violations on the indicator page with a breakdown, open data and news, at 1280 and 390 px', async () => {
    await atWidths('/indicators/compulsory_retention_rate', '[data-testid="breakdown-select"]');
    await atWidths('/indicators/compulsory_retention_rate?lang=en', '[data-testid="breakdown-select"]');
    await atWidths('/open-data', '[data-testid="datasets-table"]');
    await atWidths('/news?lang=en', '[data-testid="news-list"]');
    await atWidths('/', '[data-testid="indicator-card"]');
    await atWidths('/districts', 'main h1');
    await atWidths('/search?q=%E5%92%8C%E5%B9%B3', '[data-testid="search-results"]');
  });
});
