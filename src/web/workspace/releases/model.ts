/**
 * What the release page computes in the browser, apart from React: whose figures a user
 * sees, the provisional and released figures side by side, and what a release still needs.
 */
import type { ProgressItem } from '../../../contract/progress.ts';
import type { FormCompleteness, ReleaseRef } from '../../../contract/releases.ts';

interface Grant { role: string; orgCode: string }

/**
 * The org unit whose provisional figures the page shows: the city for a city administrator,
 * the district for a district reviewer (the API refuses anything outside a grant's scope),
 * otherwise the first grant's unit.
 */
export function figuresOrg(grants: readonly Grant[]): string | null {
  return grants.find((g) => g.role === 'city_admin')?.orgCode ?? grants.find((g) => g.role === 'district_reviewer')?.orgCode ?? grants[0]?.orgCode ?? null;
}

export interface Figure { value: number | null; year: number | null; suppressed: boolean }
export interface FigureRow {
  code: string;
  name_zh: string;
  name_en: string;
  unit: string;
  provisional: Figure | null;
  released: (Figure & { release: ReleaseRef | null }) | null;
  /** Releasing the year would change what the public sees for this indicator. */
  changes: boolean;
}

const same = (a: Figure | null, b: Figure | null): boolean =>
  (a?.value ?? null) === (b?.value ?? null) && (a?.year ?? null) === (b?.year ?? null) && (a?.suppressed ?? false) === (b?.suppressed ?? false);

/**
 * One row per indicator, in the provisional list's (the plan's) order: the provisional figure
 * beside the released one. Indicators only one side has are kept.
 */
export function figureRows(provisional: readonly ProgressItem[], released: readonly ProgressItem[]): FigureRow[] {
  const pub = new Map(released.map((p) => [p.code, p]));
  const rows: FigureRow[] = provisional.map((p) => {
    const r = pub.get(p.code);
    const prov: Figure = { value: p.value, year: p.year, suppressed: p.suppressed };
    const rel = r ? { value: r.value, year: r.year, suppressed: r.suppressed, release: r.release } : null;
    return { code: p.code, name_zh: p.name_zh, name_en: p.name_en, unit: p.unit, provisional: prov, released: rel, changes: !same(prov, rel) };
  });
  const seen = new Set(provisional.map((p) => p.code));
  for (const r of released) {
    if (seen.has(r.code)) continue;
    rows.push({ code: r.code, name_zh: r.name_zh, name_en: r.name_en, unit: r.unit, provisional: null, released: { value: r.value, year: r.year, suppressed: r.suppressed, release: r.release }, changes: true });
  }
  return rows;
}

/** The forms below their completeness threshold (a release then needs a reason). */
export function formsBelow(forms: readonly FormCompleteness[]): FormCompleteness[] {
  return forms.filter((f) => !f.met);
}

/** A 0..1 share as a percentage with one decimal ("33.3%"), as the API's messages print it; a dash when there is none. */
export function sharePct(share: number | null | undefined): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(1)}%`;
}
