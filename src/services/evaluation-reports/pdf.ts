/** The process's warm Chromium, closed by whoever owns the process (the CLI after a command, the server on close). */
export async function closeReportPdf(): Promise<void> {
  const { closePdfPool } = await import('../../reports/pdf-pool.ts');
  await closePdfPool();
}
