/**
 * The one recompute policy (重算策略). Every use case that changes data the indicators
 * read — a folder import, student records from the CLI or the web, a district's approval,
 * an assessment step — does two things:
 *
 * 1. inside its own transaction, `markStale(tx.db, …)` records the academic years it
 *    touched, so a change can never commit without the figures being known to be out of
 *    date (a crash before step 2 leaves the mark behind);
 * 2. after committing, `afterDataChanged(deps)` recomputes every stale year and clears the
 *    marks it has seen. A mark that names org units (an approved submission's school) lets
 *    it re-read only those units' rows for a year this process holds (incremental; see
 *    services/indicators.ts `caches`). It never throws: a failure is logged and returned to the caller,
 *    who reports it (the data were saved; the figures were not brought up to date).
 *
 * Readers of provisional figures (the CLI's `progress`, releases) call `ensureFresh` first,
 * which recomputes whatever a failed or interrupted run left stale. The public portal reads
 * released figures only (src/services/releases.ts), which a recompute never changes.
 */
import { EduplanError } from '../core/errors.ts';
import type { ServiceDeps } from './deps.ts';
import { recomputeIndicators, type RecomputeResult } from './indicators.ts';
import { staleYears } from './stale.ts';

export { markStale, staleYears, type StaleYear } from './stale.ts';

/** What the policy needs: the store and clock, and `log` for a failed recompute (the server's logger, the CLI's stderr). */
export type RecomputeDeps = ServiceDeps;

export type RecomputeOutcome =
  | { readonly status: 'recomputed'; readonly years: readonly number[]; readonly run_id: number; readonly cells: number }
  | { readonly status: 'unchanged'; readonly years: readonly [] }
  | { readonly status: 'failed'; readonly years: readonly number[]; readonly error: { readonly code: string; readonly message: string } };

/**
 * Bring the provisional figures up to date after a change: recompute every stale year.
 * Never throws; a failure is logged and returned (`status: 'failed'`), the marks stay, and
 * the next call retries.
 */
export async function afterDataChanged(deps: RecomputeDeps): Promise<RecomputeOutcome> {
  let years: number[] = [];
  try {
    years = (await staleYears(deps.store)).map((s) => s.year);
    if (years.length === 0) return { status: 'unchanged', years: [] };
    // Incremental: the years this process holds re-read only the org units their marks name.
    const r: RecomputeResult = await recomputeIndicators(deps.store, { years, clock: deps.clock, incremental: true });
    return { status: 'recomputed', years: r.years, run_id: r.run_id, cells: r.cells };
  } catch (err) {
    const error = err instanceof EduplanError ? { code: err.code, message: err.message } : { code: 'E_RECOMPUTE_FAILED', message: err instanceof Error ? err.message : String(err) };
    deps.log?.error({ years, error }, 'indicator recompute failed; the years stay marked stale');
    return { status: 'failed', years, error };
  }
}

/**
 * Before reading provisional figures: recompute what is stale, and say so when that fails
 * (E_RECOMPUTE_FAILED) rather than serve figures known to be out of date.
 */
export async function ensureFresh(deps: RecomputeDeps): Promise<RecomputeOutcome> {
  const outcome = await afterDataChanged(deps);
  if (outcome.status === 'failed') throw new EduplanError('E_RECOMPUTE_FAILED', { detail: `years ${outcome.years.join(', ')}: ${outcome.error.message}` });
  return outcome;
}
