/**
 * The tidy table of released figures (开放数据长表): one row per indicator × org unit × year ×
 * breakdown part, with a column per breakdown dimension (empty = all), the value, its
 * numerator and denominator, unit, status, the suppression flag and the release. A withheld
 * cell keeps its row (so its absence is not a silent gap) and carries no numbers.
 * Pure: the service (services/open-data.ts) reads the released cells.
 */
import { breakdownDimensions, dimensionOf, type BreakdownDimension } from '../indicators/breakdowns.ts';
import type { IndicatorDef } from '../indicators/types.ts';

export interface ReleasedCellInput {
  readonly indicator: string;
  readonly org_code: string;
  readonly level: string;
  readonly year: number;
  readonly disaggregation: string;
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly suppressed: boolean;
  readonly release: { readonly id: number; readonly version: number; readonly released_at: string; readonly revised: boolean };
}

/** `normal`: published as first released; `revised`: changed by a later version of the year's release; `suppressed`: withheld (统计披露控制). */
export type RowStatus = 'normal' | 'revised' | 'suppressed';

export type OpenDataRow = {
  readonly indicator: string;
  readonly indicator_name_zh: string;
  readonly indicator_name_en: string;
  readonly org_code: string;
  readonly org_name_zh: string;
  readonly org_name_en: string;
  readonly level: string;
  readonly year: number;
  readonly value: number | null;
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly unit: string;
  readonly status: RowStatus;
  readonly suppressed: boolean;
  /** `<year>-v<version>`: the release the figure comes from. */
  readonly release: string;
  readonly released_at: string;
  readonly licence: string;
} & { readonly [D in BreakdownDimension]?: string };

/** The breakdown dimensions that occur among these definitions, in the portal's order: the CSV's breakdown columns. */
export function breakdownColumns(defs: readonly IndicatorDef[]): BreakdownDimension[] {
  const used = new Set(defs.flatMap((d) => (d.kind === 'ratio' ? (d.disaggregations ?? []).map((p) => dimensionOf(p.key)) : [])));
  return breakdownDimensions.filter((d) => used.has(d));
}

const round = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1e6) / 1e6);

export function openDataRows(cells: readonly ReleasedCellInput[], input: {
  readonly defs: ReadonlyMap<string, IndicatorDef>;
  readonly orgs: ReadonlyMap<string, { readonly name_zh: string; readonly name_en: string }>;
  readonly columns: readonly BreakdownDimension[];
  readonly licence: string;
}): OpenDataRow[] {
  return cells.map((c) => {
    const def = input.defs.get(c.indicator);
    const org = input.orgs.get(c.org_code);
    const dim = dimensionOf(c.disaggregation);
    const part = dim === null ? '' : c.disaggregation.slice(dim.length + 1);
    const breakdown: Partial<Record<BreakdownDimension, string>> = {};
    for (const d of input.columns) breakdown[d] = d === dim ? part : '';
    return {
      indicator: c.indicator, indicator_name_zh: def?.name_zh ?? c.indicator, indicator_name_en: def?.name_en ?? c.indicator,
      org_code: c.org_code, org_name_zh: org?.name_zh ?? '', org_name_en: org?.name_en ?? '', level: c.level, year: c.year,
      ...breakdown,
      value: c.suppressed ? null : round(c.value), numerator: c.suppressed ? null : round(c.numerator), denominator: c.suppressed ? null : round(c.denominator),
      unit: def?.unit ?? '', status: c.suppressed ? 'suppressed' : c.release.revised ? 'revised' : 'normal', suppressed: c.suppressed,
      release: `${c.year}-v${c.release.version}`, released_at: c.release.released_at, licence: input.licence,
    };
  });
}

/** The CSV's columns, in order. */
export function openDataColumns(columns: readonly BreakdownDimension[]): string[] {
  return ['indicator', 'indicator_name_zh', 'indicator_name_en', 'org_code', 'org_name_zh', 'org_name_en', 'level', 'year', ...columns,
    'value', 'numerator', 'denominator', 'unit', 'status', 'suppressed', 'release', 'released_at', 'licence'];
}
