/**
 * PDF of an assessment page, printed by the system's Debian Chromium through playwright-core
 * (no browser download). Fails with E_CONFIG when Chromium is not installed
 * (`apt-get install -y chromium fonts-wqy-zenhei`).
 */
import { existsSync } from 'node:fs';
import { EduplanError } from '../core/errors.ts';

export async function htmlToPdf(html: string, executablePath = '/usr/bin/chromium'): Promise<Buffer> {
  if (!existsSync(executablePath)) {
    throw new EduplanError('E_CONFIG', { detail: `Chromium not found at ${executablePath}; install it: apt-get install -y chromium fonts-wqy-zenhei` });
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    // No network: the page is self-contained, so block everything it might try to fetch.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
