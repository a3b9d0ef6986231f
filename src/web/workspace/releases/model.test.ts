/** The release page's browser-side logic: whose figures, provisional beside released, forms below threshold. */
import { describe, expect, it } from 'vitest';
import type { ProgressItem } from '../../../contract/progress.ts';
import type { FormCompleteness } from '../../../contract/releases.ts';
import { figureRows, figuresOrg, formsBelow, sharePct } from './model.ts';

/** A progress item as the API answers, with the fields the page reads set and the rest plausible. */
function item(code: string, value: number | null, year: number | null, extra: Partial<ProgressItem> = {}): ProgressItem {
  return {
    code, name_zh: `指标${code}`, name_en: `Indicator ${code}`, unit: '%', category: 'access', nature: 'expected', direction: 'up', org_code: '120000',
    baseline: { year: 2020, value: 80, origin: 'plan' }, target: { year: 2025, comparator: '>=', value: 90 }, value, year,
    status: 'on_track', ratio: null, method: null, distance_share: null, time_share: null, projection: null, met: null, suppressed: false,
    explanation: { formula_zh: '', formula_en: '', definition_zh: '', definition_en: '', inputs: [], sources: [], scope: [], disclosure_zh: '', disclosure_en: '', method_zh: '', method_en: '', text_zh: '', text_en: '' },
    release: null, provisional: false, ...extra,
  };
}
const release = { id: 6, version: 1, released_at: '2025-06-30T04:00:00.000Z', revised: false };

describe('figuresOrg', () => {
  it('the city for a city administrator, the district for a reviewer, else the first grant', () => {
    expect(figuresOrg([{ role: 'district_reviewer', orgCode: '120101' }, { role: 'city_admin', orgCode: '120000' }])).toBe('120000');
    expect(figuresOrg([{ role: 'district_reviewer', orgCode: '120101' }])).toBe('120101');
    expect(figuresOrg([{ role: 'analyst', orgCode: '120000' }])).toBe('120000');
    expect(figuresOrg([])).toBeNull();
  });
});

describe('figureRows', () => {
  it('puts each provisional figure beside the released one and says which a release would change', () => {
    const provisional = [item('a', 25, 2026, { provisional: true }), item('b', 93.9, 2025, { provisional: true }), item('c', null, 2026, { suppressed: true, provisional: true })];
    const released = [item('a', 12.5, 2025, { release }), item('b', 93.9, 2025, { release }), item('c', 40, 2025, { release })];
    const rows = figureRows(provisional, released);
    expect(rows.map((r) => [r.code, r.provisional?.value, r.released?.value, r.changes])).toEqual([
      ['a', 25, 12.5, true],
      ['b', 93.9, 93.9, false],
      // Suppressed provisionally: the public figure would be withdrawn, a change.
      ['c', null, 40, true],
    ]);
    expect(rows[0]?.released?.release).toEqual(release);
  });

  it('the same value for another year is a change (a newer year would be published)', () => {
    const [row] = figureRows([item('a', 50, 2026)], [item('a', 50, 2025, { release })]);
    expect(row?.changes).toBe(true);
  });

  it('keeps an indicator that only one side has', () => {
    const rows = figureRows([item('a', 1, 2026)], [item('z', 2, 2025, { release })]);
    expect(rows.map((r) => [r.code, r.provisional === null, r.released === null])).toEqual([['a', false, true], ['z', true, false]]);
    expect(rows.every((r) => r.changes)).toBe(true);
  });
});

describe('completeness', () => {
  const form = (code: string, met: boolean, share: number | null): FormCompleteness => ({ form_code: code, name_zh: code, name_en: code, expected: 64, reported: 1, share, threshold: 0.95, met });

  it('lists the forms below their threshold', () => {
    expect(formsBelow([form('annual.primary', false, 1 / 64), form('annual.junior', true, 1)]).map((f) => f.form_code)).toEqual(['annual.primary']);
  });

  it('prints shares as the API messages do, one decimal; none is a dash', () => {
    expect(sharePct(1 / 3)).toBe('33.3%');
    expect(sharePct(0.95)).toBe('95.0%');
    expect(sharePct(null)).toBe('—');
  });
});
