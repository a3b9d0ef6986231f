/**
 * Formula-injection defence for exports (CSV/XLSX 公式注入防护). A spreadsheet treats a
 * cell starting with `=`, `+`, `-` or `@` (and, in some programs, a tab, carriage return
 * or NUL) as a formula, so `=HYPERLINK("http://x","y")` in a school name would run when a
 * district officer opens the export. OWASP and ASVS 1.2.10 (reliability-security.md
 * FILE-06): prefix such text with an apostrophe, which makes it literal text.
 *
 * Numbers are written as numbers and never prefixed: `-3` as a number is data, not a formula.
 */
const dangerousStart = /^[=+\-@\t\r\0]/;

/** Text made safe to put in a spreadsheet cell; non-strings pass through unchanged. */
export function neutraliseCell<T>(value: T): T | string {
  if (typeof value !== 'string') return value;
  return dangerousStart.test(value) ? `'${value}` : value;
}

/**
 * RFC 4180 quoting alone: quoted when the text holds a quote, comma or line break, quotes
 * doubled. For files read back as data (demo inputs, a scored copy of the user's own file);
 * anything exported for people to open in a spreadsheet goes through `csvField`.
 */
export function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV field per RFC 4180 (quoted when needed), neutralised against formula injection. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return csvQuote(neutraliseCell(value));
}

/** One CSV line (CRLF-terminated, as RFC 4180 specifies). */
export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
