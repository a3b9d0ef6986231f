/**
 * A registry target's value for a year (名录计数), pure: the approved entries that match the
 * target's filter and count in the year (in effect, designated that year, or in a window of
 * years), then counted, summed, or turned into the share of org units they cover.
 */
import type { RegistryDataPath } from '../plan/data-path.ts';
import { entryYears, type EntryPayload, type Registry } from '../plan/registry.ts';

export interface CountedEntry {
  readonly code: string;
  readonly payload: EntryPayload;
}

/** An org unit that a coverage rule may count (schools or districts), with when it was open. */
export interface CoverageUnit {
  readonly code: string;
  readonly level: string;
  readonly school_type: string | null;
  /** YYYY-MM-DD or null. */
  readonly opened: string | null;
  readonly closed: string | null;
}

export interface RegistryValue {
  /** null: the registry holds no approved entry at all (nobody has kept it), never a made-up 0. */
  readonly value: number | null;
  /** The entries that made the value. */
  readonly entries: readonly string[];
  /** Coverage rules: units with an entry, of units expected. */
  readonly coverage: { readonly covered: number; readonly total: number } | null;
}

export function matchesFilter(path: RegistryDataPath, payload: EntryPayload): boolean {
  for (const [key, values] of Object.entries(path.filter ?? {})) {
    const v = payload[key];
    if (v === undefined || !values.includes(v)) return false;
  }
  return true;
}

/** Does an entry count in `year` under the target's year rule? */
export function countsInYear(registry: Registry, path: RegistryDataPath, payload: EntryPayload, year: number): boolean {
  const { from, until } = entryYears(registry, payload);
  if (from === null) return false;
  switch (path.years ?? 'in_effect') {
    case 'in_effect': return from <= year && (until === null || until > year);
    case 'that_year': return from === year;
    case 'window': return from <= year && from > year - (path.window ?? 1);
  }
}

/** Open on the statistics day (1 September) of the academic year, as completeness counts schools. */
function openIn(u: CoverageUnit, year: number): boolean {
  const day = `${year}-09-01`;
  return (u.opened === null || u.opened <= day) && (u.closed === null || u.closed > day);
}

export function registryValue(registry: Registry, path: RegistryDataPath, entries: readonly CountedEntry[], year: number, units: readonly CoverageUnit[] = []): RegistryValue {
  if (entries.length === 0) return { value: null, entries: [], coverage: null };
  const counted = entries.filter((e) => matchesFilter(path, e.payload) && countsInYear(registry, path, e.payload, year));
  const codes = counted.map((e) => e.code);
  switch (path.rule ?? 'count') {
    case 'count': return { value: counted.length, entries: codes, coverage: null };
    case 'sum': {
      const field = path.field ?? '';
      return { value: counted.reduce((s, e) => s + (typeof e.payload[field] === 'number' ? (e.payload[field] as number) : 0), 0), entries: codes, coverage: null };
    }
    case 'coverage': {
      const cov = path.coverage;
      if (!cov) return { value: null, entries: codes, coverage: null };
      const expected = units.filter((u) => u.level === cov.level && (cov.types === undefined || (u.school_type !== null && cov.types.includes(u.school_type))) && openIn(u, year));
      const expectedCodes = new Set(expected.map((u) => u.code));
      const covered = new Set(counted.map((e) => e.payload[cov.field]).filter((c): c is string => typeof c === 'string' && expectedCodes.has(c)));
      const total = expected.length;
      return { value: total === 0 ? null : (covered.size / total) * 100, entries: codes, coverage: { covered: covered.size, total } };
    }
  }
}
