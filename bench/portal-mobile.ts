/**
 * The portal on a simulated mid-range phone (issue 16 «Speed»): Chromium with the DevTools
 * protocol's Fast 3G profile (562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up — the
 * Lighthouse/WebPageTest "Fast 3G" figures) and a 4× CPU slowdown, a 390 × 844 screen, an
 * empty cache for every load. For each public page: the largest contentful paint (LCP, from
 * the browser's PerformanceObserver) and when the page's content (its first figure or table)
 * is visible. Goal: both within 2.5 s (Core Web Vitals «good» LCP). Against the demo data at
 * the browser tests' scale, served by the real server with the production build.
 */
import type { CDPSession, Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPortalServer } from '../test/helpers/portal-server.ts';
import { haveChromium, launchBrowser } from '../test/helpers/chromium.ts';
import { goal, type Bench } from './types.ts';

const pages: ReadonlyArray<{ path: string; content: string }> = [
  { path: '/', content: '[data-testid="indicator-card"]' },
  { path: '/indicators/myopia_rate', content: '[data-testid="summary-value"]' },
  { path: '/districts/120101', content: '[data-testid="district-progress-table"]' },
  { path: '/open-data', content: '[data-testid="datasets-table"]' },
];
const LIMIT_MS = 2500;

async function throttle(cdp: CDPSession): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 562.5, downloadThroughput: (1.44 * 1024 * 1024) / 8, uploadThroughput: (675 * 1024) / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

async function measure(page: Page, url: string, content: string): Promise<{ lcp: number; visible: number }> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(content).first().waitFor({ state: 'visible', timeout: 60_000 });
  const visible = await page.evaluate(() => performance.now());
  // LCP entries are buffered; the last one before input is the page's LCP.
  const lcp = await page.evaluate(() => new Promise<number>((resolve) => {
    new PerformanceObserver((list) => { const e = list.getEntries().at(-1); resolve(e ? e.startTime : NaN); }).observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(() => resolve(NaN), 5000);
  }));
  return { lcp, visible };
}

const bench: Bench = async (opts) => {
  if (!haveChromium) {
    opts.log('[portal-mobile] skipped: no Chromium (CHROMIUM_PATH)');
    return [];
  }
  const server = await startPortalServer();
  const profile = mkdtempSync(join(tmpdir(), 'eduplan-bench-chromium-'));
  const context = await launchBrowser(profile);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 390, height: 844 });
    const cdp = await context.newCDPSession(page);
    await throttle(cdp);
    const figures: Record<string, number> = {};
    const goals = [];
    for (const p of pages) {
      const m = await measure(page, `${server.url}${p.path}`, p.content);
      opts.log(`[portal-mobile] ${p.path}: LCP ${m.lcp.toFixed(0)} ms, content visible ${m.visible.toFixed(0)} ms`);
      figures[`${p.path} LCP ms`] = Math.round(m.lcp);
      figures[`${p.path} content visible ms`] = Math.round(m.visible);
      goals.push(goal(`${p.path}: largest contentful paint within 2.5 s (Fast 3G, 4× CPU)`, m.lcp / LIMIT_MS, 'max', 1));
      goals.push(goal(`${p.path}: content visible within 2.5 s (Fast 3G, 4× CPU)`, m.visible / LIMIT_MS, 'max', 1));
    }
    return [{ name: 'portal-mobile', figures, goals }];
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await server.close();
  }
};

export default bench;
