/**
 * Headless Debian Chromium for the browser tests, driven by playwright-core (never a
 * downloaded browser). In CI a missing browser is a broken install step, not a skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

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
