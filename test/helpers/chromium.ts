/**
 * Headless Debian Chromium for the browser tests, driven by playwright-core (never a
 * downloaded browser). In CI a missing browser is a broken install step, not a skip.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(chromiumPath);
if (process.env.CI && !haveChromium) throw new Error(`CI: Chromium not found at ${chromiumPath} (apt-get install chromium)`);

/** A fresh profile, zh-CN, Shanghai time; background networking off (this machine has no network). */
export function launchBrowser(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath, headless: true, acceptDownloads: true, viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** The browser's own temporary profile folder (removed by `close`); tests may keep files there. */
  readonly profile: string;
  /** Console reports of anything the server's Content-Security-Policy blocked, on any page so far. */
  readonly cspViolations: string[];
  close(): Promise<void>;
}

/** What every browser test starts with: a fresh profile, the browser, its first page, the screenshot folder. */
export async function openBrowser(shotDir: string): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'eduplan-chromium-'));
  const context = await launchBrowser(join(profile, 'chromium'));
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(shotDir, { recursive: true });
  const cspViolations: string[] = [];
  const watch = (p: Page): void => { p.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); }); };
  for (const p of context.pages()) watch(p);
  context.on('page', watch);
  return {
    context, page, profile, cspViolations,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
