/**
 * One warm Chromium for every PDF (PDF 打印池): launching a browser takes about a second and
 * ~100 MB, so the server keeps one, started on first use, prints at most `concurrency` pages
 * at a time (the rest wait their turn), and closes it when the server closes. The system's
 * Debian Chromium through playwright-core (no browser download); fails with E_CONFIG when it
 * is not installed (`apt-get install -y chromium fonts-wqy-zenhei`).
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { EduplanError } from '../core/errors.ts';

export interface PdfOptions {
  readonly landscape?: boolean;
  /** Footer under every page; the page number is filled by Chromium (`pageNumber`). */
  readonly footerHtml?: string;
}

export class PdfPool {
  private browser: Promise<Browser> | null = null;
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly executablePath = '/usr/bin/chromium', private readonly concurrency = 2) {}

  private launch(): Promise<Browser> {
    if (!existsSync(this.executablePath)) {
      throw new EduplanError('E_CONFIG', { detail: `Chromium not found at ${this.executablePath}; install it: apt-get install -y chromium fonts-wqy-zenhei` });
    }
    this.browser ??= import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath: this.executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] }))
      .then((b) => {
        // A crashed browser is launched again on the next print.
        b.on('disconnected', () => { this.browser = null; });
        return b;
      }, (e: unknown) => { this.browser = null; throw e; });
    return this.browser;
  }

  private async slot(): Promise<() => void> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }

  async print(html: string, opts: PdfOptions = {}): Promise<Buffer> {
    const release = await this.slot();
    try {
      const browser = await this.launch();
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        // No network: the page is self-contained, so block everything it might try to fetch.
        await page.route('**/*', (route) => route.abort());
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf({
          format: 'A4', landscape: opts.landscape ?? false, printBackground: true, preferCSSPageSize: true,
          ...(opts.footerHtml !== undefined ? { displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: opts.footerHtml } : {}),
        });
      } finally {
        await context.close();
      }
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close();
  }
}

/** The process's pool (the server closes it on shutdown, the CLI after its command). */
let shared: PdfPool | null = null;
export const pdfPool = (): PdfPool => (shared ??= new PdfPool());
export async function closePdfPool(): Promise<void> {
  const p = shared;
  shared = null;
  await p?.close();
}
