import { describe, expect, it } from 'vitest';
import { baselineLabel, categoryLabel, categoryRank, formatShare, formatTarget, formatValue, newestRelease, releaseDate, releaseText, statusLabel, statusSymbol, unitLabel, updatedText } from './format.ts';
import { parseLang, pick } from './i18n.ts';
import { parseRoute, routePath } from './routes.ts';
import { progressStatuses } from '../core/progress/progress.ts';

describe('values and disclosure control', () => {
  it('formats a percentage, persons and years in both languages', () => {
    expect(formatValue({ value: 92.3 }, '%', 'zh')).toBe('92.3%');
    expect(formatValue({ value: 4500 }, '人', 'zh')).toBe('4,500人');
    expect(formatValue({ value: 4500 }, '人', 'en')).toBe('4,500 persons');
    expect(formatValue({ value: 12.034 }, '年', 'en')).toBe('12.03 years');
  });

  it('a suppressed cell shows the disclosure text, never the number it may carry', () => {
    expect(formatValue({ value: 87.5, suppressed: true }, '%', 'zh')).toBe('—（数据不足，不予公布）');
    expect(formatValue({ value: 87.5, suppressed: true }, '%', 'en')).toBe('— (too few to publish)');
    expect(formatValue({ value: 87.5, suppressed: true }, '%', 'zh')).not.toContain('87');
  });

  it('a missing value says so instead of showing 0', () => {
    expect(formatValue({ value: null }, '%', 'zh')).toBe('暂无数据');
    expect(formatValue({ value: Number.NaN }, '%', 'en')).toBe('No data');
  });

  it('writes targets as the plan does', () => {
    expect(formatTarget({ comparator: '>', value: 99 }, '%', 'zh')).toBe('＞99%');
    expect(formatTarget({ comparator: '<=', value: 48.5 }, '%', 'zh')).toBe('≤48.5%');
    expect(formatTarget({ comparator: '=', value: 0 }, '%', 'en')).toBe('0%');
    expect(formatTarget({ comparator: 'maintain', value: 4500 }, '人', 'zh')).toBe('保持4,500人');
    expect(formatTarget({ comparator: 'maintain', value: 4500 }, '人', 'en')).toBe('maintain 4,500 persons');
    expect(formatTarget(null, '%', 'en')).toBe('No data');
  });

  it('shares read as percentages', () => {
    expect(formatShare(0.6, 'zh')).toBe('60%');
    expect(formatShare(0.1234, 'en')).toBe('12.3%');
    expect(formatShare(null, 'zh')).toBe('暂无数据');
  });
});

describe('labels', () => {
  it('every status has a label and a non-colour symbol; unknown statuses read as insufficient data', () => {
    // The API's whole vocabulary (src/core/progress/progress.ts), each with its own label.
    for (const s of progressStatuses) {
      if (s !== 'insufficient_data') expect(statusLabel(s, 'en'), s).not.toBe('Insufficient data');
      expect(statusLabel(s, 'zh')).not.toBe('');
      expect(statusLabel(s, 'en')).not.toBe(statusLabel(s, 'zh'));
      expect(statusSymbol(s)).not.toBe('');
    }
    expect(statusLabel('achieved', 'zh')).toBe('已达成');
    expect(statusLabel('off_track', 'zh')).toBe('未保持目标');
    expect(statusLabel('not_achieved', 'zh')).toBe('未达成');
    expect(statusLabel('not_achieved', 'en')).toBe('Not achieved');
    expect(statusLabel('bogus', 'en')).toBe('Insufficient data');
  });

  it('a baseline says its year and origin; a release its version and date; nothing when absent', () => {
    expect(baselineLabel({ year: 2020, origin: 'plan' }, 'zh')).toBe('2020，规划基数');
    expect(baselineLabel({ year: 2021, origin: 'data' }, 'en')).toBe('2021, own value');
    expect(baselineLabel({ year: 2020 }, 'en')).toBe('2020');
    expect(baselineLabel(null, 'zh')).toBe('');
    expect(releaseText({ version: 3, released_at: '2026-01-15T08:00:00Z' }, 'zh')).toBe('第3版，2026-01-15');
    expect(releaseText({ version: 3, released_at: '2026-01-15T08:00:00Z' }, 'en')).toBe('version 3, 2026-01-15');
    expect(releaseText(undefined, 'en')).toBe('');
  });

  it('a release is dated in Tianjin time (UTC+8), whatever the reader’s time zone', () => {
    // 20:30 UTC on 15 January is 04:30 on the 16th in Tianjin.
    expect(releaseDate('2026-01-15T20:30:00Z')).toBe('2026-01-16');
    expect(releaseDate('2026-01-15T15:59:59.999Z')).toBe('2026-01-15');
    expect(releaseText({ version: 2, released_at: '2025-12-31T16:00:00Z' }, 'zh')).toBe('第2版，2026-01-01');
  });

  it('数据更新于: the date, academic year and version of the figures shown', () => {
    expect(updatedText({ year: 2024, version: 2, released_at: '2025-03-01T02:00:00Z' }, 'zh')).toBe('数据更新于 2025-03-01（2024学年第2版）');
    expect(updatedText({ year: 2024, version: 2, released_at: '2025-03-01T02:00:00Z' }, 'en')).toBe('Data updated 2025-03-01 (academic year 2024, version 2)');
  });

  it('the newest release among the items on a page, with the year of its figures; null when nothing is released', () => {
    const rel = (id: number, version: number, at: string) => ({ id, version, released_at: at, revised: false });
    const items = [
      { year: 2024, release: rel(5, 1, '2025-01-10T00:00:00.000Z') },
      { year: 2025, release: rel(9, 2, '2025-11-02T00:00:00.000Z') },
      { year: null, release: null },
      { year: 2023, release: rel(3, 1, '2024-01-10T00:00:00.000Z') },
    ];
    expect(newestRelease(items)).toEqual({ year: 2025, version: 2, released_at: '2025-11-02T00:00:00.000Z' });
    // Released the same instant (the demo's first start releases every year at once): the later release wins.
    expect(newestRelease([{ year: 2025, release: rel(6, 1, '2025-06-30T04:00:00.000Z') }, { year: 2026, release: rel(7, 1, '2025-06-30T04:00:00.000Z') }])?.year).toBe(2026);
    expect(newestRelease([{ year: 2025, release: null }, { year: null, release: null }])).toBeNull();
  });

  it('categories follow the plan order 普及程度 → 结构优化 → 发展质量', () => {
    expect(categoryLabel('access', 'zh')).toBe('普及程度');
    expect(categoryLabel('quality', 'en')).toBe('Quality');
    expect(categoryLabel('普及程度', 'en')).toBe('Access and participation');
    expect(['quality', 'access', 'other', 'structure'].sort((a, b) => categoryRank(a) - categoryRank(b)))
      .toEqual(['access', 'structure', 'quality', 'other']);
  });

  it('units translate, unknown units pass through', () => {
    expect(unitLabel('人次', 'en')).toBe('person-times');
    expect(unitLabel('%', 'en')).toBe('%');
    expect(unitLabel('所', 'en')).toBe('所');
  });

  it('language from ?lang= or storage; bilingual names fall back to Chinese', () => {
    expect(parseLang('en-GB')).toBe('en');
    expect(parseLang('zh-CN')).toBe('zh');
    expect(parseLang('fr')).toBeNull();
    expect(pick('en', '和平区', 'Heping')).toBe('Heping');
    expect(pick('en', '和平区', '')).toBe('和平区');
  });
});

describe('routes', () => {
  it('parses and prints every page path', () => {
    expect(parseRoute('/')).toEqual({ page: 'overview' });
    expect(parseRoute('/', '?year=2023')).toEqual({ page: 'overview', year: 2023 });
    expect(parseRoute('/', '?year=23')).toEqual({ page: 'overview' });
    expect(routePath({ page: 'overview', year: 2022 })).toBe('/?year=2022');
    expect(parseRoute('/indicators/preschool_gross_enrolment')).toEqual({ page: 'indicator', code: 'preschool_gross_enrolment' });
    expect(parseRoute('/districts')).toEqual({ page: 'districts' });
    expect(parseRoute('/districts/120101/')).toEqual({ page: 'district', code: '120101' });
    expect(parseRoute('/open-data')).toEqual({ page: 'open-data' });
    expect(parseRoute('/indicators/myopia_rate', '?org=120116')).toEqual({ page: 'indicator', code: 'myopia_rate', org: '120116' });
    expect(parseRoute('/indicators/myopia_rate', '?org=120000')).toEqual({ page: 'indicator', code: 'myopia_rate', org: '120000' });
    expect(parseRoute('/indicators/myopia_rate', '?org=x')).toEqual({ page: 'indicator', code: 'myopia_rate' });
    expect(routePath({ page: 'indicator', code: 'myopia_rate', org: '120116' })).toBe('/indicators/myopia_rate?org=120116');
    expect(parseRoute('/workspace/releases', '?year=2024')).toEqual({ page: 'releases', year: 2024 });
    expect(parseRoute('/workspace/releases')).toEqual({ page: 'releases' });
    expect(routePath({ page: 'releases', year: 2026 })).toBe('/workspace/releases?year=2026');
    for (const r of [{ page: 'overview' }, { page: 'indicator', code: 'a.b' }, { page: 'district', code: '120116' }] as const) {
      expect(parseRoute(routePath(r))).toEqual(r);
    }
  });

  it('unknown or malformed paths are not found', () => {
    expect(parseRoute('/districts/12x').page).toBe('not-found');
    expect(parseRoute('/indicators/%E0%A4%A').page).toBe('not-found');
    expect(parseRoute('/indicators/a/b').page).toBe('not-found');
    expect(parseRoute('/admin').page).toBe('not-found');
  });
});
