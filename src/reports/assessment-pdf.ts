/**
 * PDF of an assessment page, printed by the process's warm Chromium (src/reports/pdf-pool.ts).
 * Fails with E_CONFIG when Chromium is not installed (`apt-get install -y chromium fonts-wqy-zenhei`).
 */
import { PdfPool, pdfPool } from './pdf-pool.ts';

export async function htmlToPdf(html: string, executablePath?: string): Promise<Buffer> {
  // A caller naming another Chromium gets a browser of its own for this page.
  if (executablePath !== undefined && executablePath !== '/usr/bin/chromium') {
    const own = new PdfPool(executablePath, 1);
    try { return await own.print(html, { landscape: true }); } finally { await own.close(); }
  }
  return pdfPool().print(html, { landscape: true });
}
