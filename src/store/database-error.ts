/**
 * What a failed database operation looks like, kept apart from raw.ts so that code
 * without a database client (the CLI's error report) can recognise one without loading pg.
 */

/** A query the database refused or could not run, on either backend (raw.ts wraps both). */
export class DatabaseError extends Error {
  readonly code: string | null;
  readonly detail: string | null;
  constructor(message: string, code: string | null, detail: string | null) {
    super(message);
    this.name = 'DatabaseError';
    this.code = code;
    this.detail = detail;
  }
}

/**
 * A database failure, as opposed to a defect in eduplan: our DatabaseError, or an error
 * straight from node-postgres outside a query (COPY streams), which carries the server's
 * `severity` and five-character SQLSTATE `code` (PostgreSQL manual, Appendix A).
 */
export function isDatabaseError(err: unknown): boolean {
  if (err instanceof DatabaseError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { severity?: unknown; code?: unknown };
  return typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
}
