/**
 * The public portal in headless Chromium (Debian `chromium`, driven by playwright-core)
 * against a real server with demo data: the numbers on screen must be the API's numbers,
 * in both languages; suppressed cells never show a number; downloads carry BOM and units.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import type { DistrictAssessments } from '../../src/contract/portal.ts';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';
import { baselineLabel, formatTarget, formatValue, releaseDate, releaseText, unitLabel, updatedText } from '../../src/web/format.ts';
import type { DistrictValue, Progress, ReleaseSummary, Series } from '../../src/web/api.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');

let server: PortalServer;
let page: Page;
let browser: BrowserSession | undefined;

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** Cell texts of a table's body rows, by data-col. */
async function tableColumn(testId: string, col: string): Promise<string[]> {
  return page.locator(`[data-testid="${testId}"] tbody td[data-col="${col}"]`).allInnerTexts();
}

describe.skipIf(!haveChromium)('public portal in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer();
    browser = await openBrowser(shotDir);
    ({ page } = browser);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('overview (zh-CN): every indicator card shows the API value, target and status, grouped as in the plan', async () => {
    const progress = await api<Progress[]>('/api/progress');
    expect(progress).toHaveLength(20);
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="indicator-card"]').nth(19).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.locator('[data-testid="category"] h2').allInnerTexts()).toEqual(['普及程度', '结构优化', '发展质量']);
    for (const p of progress) {
      const card = page.locator(`[data-testid="indicator-card"][data-code="${p.code}"]`);
      expect(await card.locator('h3').innerText()).toBe(p.name_zh);
      expect(await card.locator('[data-testid="card-value"] > span').first().innerText()).toBe(formatValue(p, p.unit, 'zh'));
      expect(await card.locator('[data-testid="card-target"]').innerText()).toBe(formatTarget(p.target, p.unit, 'zh'));
      expect(await card.locator('[data-testid="status"]').getAttribute('data-status')).toBe(p.status);
      expect(await card.locator('.tag-binding').count()).toBe(p.nature === 'binding' ? 1 : 0);
    }
    // The status summary counts the API's statuses.
    const counts = new Map<string, number>();
    for (const p of progress) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
    const shownCounts = await page.locator('[data-testid="status-summary"] li').evaluateAll((lis) =>
      lis.map((li) => [li.getAttribute('data-status') ?? '', Number(li.getAttribute('data-count'))] as const));
    expect(new Map(shownCounts)).toEqual(counts);
    // Sparklines render as SVG with a text alternative.
    expect(await page.locator('.sparkline svg').count()).toBeGreaterThan(0);
    expect(await page.locator('.sparkline').first().getAttribute('aria-label')).toMatch(/^历年走势: \d{4}/);
    await page.screenshot({ path: join(shotDir, 'overview-zh.png'), fullPage: false });
  });

  it('year selector: choosing an earlier academic year shows /api/progress?year= for that year', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="indicator-card"]').first().waitFor();
    const options = await page.locator('[data-testid="year-select"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const year = options.filter(Boolean).map(Number).sort((a, b) => a - b)[0];
    if (year === undefined) throw new Error('no year to choose');
    const progress = await api<Progress[]>(`/api/progress?year=${year}`);
    await page.getByTestId('year-select').selectOption(String(year));
    await page.waitForURL(`**/?year=${year}`);
    await page.locator('[data-testid="indicator-card"]').first().waitFor();
    for (const p of progress) {
      const card = page.locator(`[data-testid="indicator-card"][data-code="${p.code}"]`);
      expect(await card.locator('[data-testid="card-value"] > span').first().innerText(), p.code).toBe(formatValue(p, p.unit, 'zh'));
    }
    expect(progress.some((p) => p.year === year)).toBe(true);
  });

  it('language toggle switches <html lang>, headings and names to English and back', async () => {
    const progress = await api<Progress[]>('/api/progress');
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="indicator-card"]').first().waitFor();
    await page.getByTestId('lang-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('main h1').innerText()).toBe('Progress on the main indicators');
    const first = progress[0];
    if (!first) throw new Error('no progress');
    const card = page.locator(`[data-testid="indicator-card"][data-code="${first.code}"]`);
    expect(await card.locator('h3').innerText()).toBe(first.name_en);
    expect(await card.locator('[data-testid="card-value"] > span').first().innerText()).toBe(formatValue(first, first.unit, 'en'));
    // The choice survives a reload.
    await page.reload();
    await page.locator('[data-testid="indicator-card"]').first().waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.screenshot({ path: join(shotDir, 'overview-en.png') });
    // An indicator page in English: name and explanation from the API's _en fields.
    await card.locator('h3 a').click();
    await page.getByTestId('summary-value').waitFor();
    expect(await page.getByTestId('indicator-title').innerText()).toBe(first.name_en);
    expect(await page.getByTestId('summary-value').innerText()).toBe(formatValue(first, first.unit, 'en'));
    const textEn = first.explanation?.text_en;
    if (textEn) expect(await page.getByTestId('explanation-text').innerText()).toBe(textEn);
    await page.screenshot({ path: join(shotDir, 'indicator-en.png'), fullPage: true });
    await page.getByTestId('lang-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  });

  it('indicator page (opened by keyboard): summary, series table and district table equal the API', async () => {
    const progress = await api<Progress[]>('/api/progress');
    const p = progress.find((x) => x.code === 'preschool_gross_enrolment_rate') ?? progress[0];
    if (!p) throw new Error('no progress');
    await page.goto(`${server.url}/`);
    const link = page.locator(`[data-testid="indicator-card"][data-code="${p.code}"] h3 a`);
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('summary-value').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/indicators/${p.code}`);
    expect(await page.getByTestId('indicator-title').innerText()).toBe(p.name_zh);
    // Focus moved to the new page's heading (and stayed there while the data loaded).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('indicator-title');
    expect(await page.getByTestId('summary-value').innerText()).toBe(formatValue(p, p.unit, 'zh'));
    expect(await page.getByTestId('summary-target').innerText()).toBe(formatTarget(p.target, p.unit, 'zh'));

    const series = await api<Series>(`/api/indicators/${p.code}/series`);
    const years = [...new Set([...series.points.map((x) => x.year), ...series.trajectory.map((x) => x.year)])].sort((a, b) => a - b);
    const byYear = new Map(series.points.map((x) => [x.year, x]));
    expect(await tableColumn('series-table', 'observed')).toEqual(
      years.map((y) => { const pt = byYear.get(y); return formatValue({ value: pt?.value, suppressed: pt?.suppressed }, p.unit, 'zh'); }),
    );

    const districts = await api<DistrictValue[]>(`/api/indicators/${p.code}/districts?year=${p.year}`);
    expect(districts).toHaveLength(16);
    const sorted = [...districts].sort((a, b) => a.org_code.localeCompare(b.org_code));
    expect(await page.locator('[data-testid="district-table"] tbody th').allInnerTexts()).toEqual(sorted.map((d) => d.name_zh));
    expect(await tableColumn('district-table', 'value')).toEqual(sorted.map((d) => formatValue(d, p.unit, 'zh')));

    // Charts render (SVG): the choropleth draws the 16 districts; each chart has a label.
    await page.locator('[data-testid="district-map"] svg path').nth(15).waitFor();
    expect(await page.getByTestId('district-map').getAttribute('role')).toBe('img');
    await page.screenshot({ path: join(shotDir, 'indicator-zh.png'), fullPage: true });
  });

  it('indicator page metadata panel: definition, official sources, unit, scope, disclosure rule; the baseline with its origin', async () => {
    const progress = await api<Progress[]>('/api/progress');
    const p = progress.find((x) => x.code === 'compulsory_retention_rate') ?? progress[0];
    if (!p) throw new Error('no progress');
    await page.goto(`${server.url}/indicators/${p.code}`);
    await page.getByTestId('metadata').waitFor();
    const e = p.explanation;
    expect(await page.getByTestId('metadata-definition').innerText()).toBe(e?.definition_zh);
    const sources = await page.locator('[data-testid="metadata-sources"] li').allInnerTexts();
    expect(sources).toEqual((e?.sources ?? []).map((x) => (typeof x === 'string' ? x : x.zh)));
    // Only published documents are cited: no internal note.
    expect(sources.join('\n')).not.toMatch(/\.md|§/);
    expect(await page.getByTestId('metadata-unit').innerText()).toBe(unitLabel(p.unit, 'zh'));
    expect(await page.locator('[data-testid="metadata-scope"] li').allInnerTexts()).toEqual((e?.scope ?? []).map((x) => x.zh));
    expect(await page.getByTestId('metadata-disclosure').innerText()).toBe(e?.disclosure_zh);
    // The test portal's years are released at its first start (as the demo's are): the release line; none would mean no line, not an empty one.
    expect(p.release).not.toBeNull();
    expect(await page.getByTestId('metadata-release').count()).toBe(p.release ? 1 : 0);
    if (p.release) expect(await page.getByTestId('metadata-release').innerText()).toBe(releaseText(p.release, 'zh'));
    expect(await page.locator('[data-testid="indicator-summary"] dt', { hasText: '基期值' }).innerText()).toBe(`基期值 (${baselineLabel(p.baseline, 'zh')})`);
  });

  it('a release on the progress item shows as the last release, dated in Tianjin time; a revised figure is marked 修订', async () => {
    const progress = await api<Progress[]>('/api/progress');
    // 20:30 UTC on 1 March is 04:30 on 2 March in Tianjin.
    const released: Progress[] = progress.map((x) => ({ ...x, release: { id: 99, version: 4, released_at: '2026-03-01T20:30:00Z', revised: true } }));
    const p = released[0];
    if (!p) throw new Error('no progress');
    const series = await api<Series>(`/api/indicators/${p.code}/series`);
    const last = series.points.at(-1);
    if (!last) throw new Error('no series point');
    const revisedSeries: Series = { ...series, points: series.points.map((x) => (x.year === last.year ? { ...x, release: { id: 99, version: 4, released_at: '2026-03-01T20:30:00Z', revised: true } } : x)) };
    await page.route('**/api/progress**', (route) => route.fulfill({ json: released }));
    await page.route(`**/api/indicators/${p.code}/series**`, (route) => route.fulfill({ json: revisedSeries }));
    try {
      await page.goto(`${server.url}/indicators/${p.code}`);
      await page.getByTestId('metadata-release').waitFor();
      expect(await page.getByTestId('metadata-release').innerText()).toBe('第4版，2026-03-02');
      expect(await page.locator('[data-testid="metadata"] [data-testid="revised"]').innerText()).toBe('修订');
      // The series table marks the revised year, with the legend under the table; the other years are not marked.
      const rows = await page.locator('[data-testid="series-table"] tbody tr').evaluateAll((trs) =>
        trs.map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('td[data-col="release"] [data-testid="revised"]') !== null]));
      expect(rows.filter(([, marked]) => marked)).toEqual([[String(last.year), true]]);
      expect(await page.getByTestId('revised-legend').innerText()).toContain('该数值与本学年上一发布版本不同');
      expect(await page.locator('[data-testid="series-table"] [data-testid="revised"]').first().getAttribute('title')).toContain('上一发布版本');
    } finally {
      await page.unroute('**/api/progress**');
      await page.unroute(`**/api/indicators/${p.code}/series**`);
    }
  });

  it('overview: 数据更新于 with the date and version of the figures shown; nothing released says so instead of empty cards', async () => {
    const progress = await api<Progress[]>('/api/progress');
    const site = await api<{ latest_release: { year: number; version: number; released_at: string } | null }>('/api/site');
    await page.goto(`${server.url}/`);
    await page.getByTestId('data-updated').waitFor();
    const newest = progress.filter((x) => x.release).sort((a, b) => (b.release?.id ?? 0) - (a.release?.id ?? 0))[0];
    expect(newest?.year).toBe(site.latest_release?.year);
    expect(await page.getByTestId('data-updated').innerText()).toContain(updatedText({ year: newest?.year ?? 0, version: newest?.release?.version ?? 0, released_at: newest?.release?.released_at ?? '' }, 'zh'));
    await page.route('**/api/progress**', (route) => route.fulfill({ json: progress.map((x) => ({ ...x, value: null, year: null, release: null })) }));
    try {
      await page.goto(`${server.url}/`);
      await page.getByTestId('not-released').waitFor();
      expect(await page.getByTestId('not-released').innerText()).toContain('尚未发布');
      expect(await page.locator('[data-testid="indicator-card"]').count()).toBe(0);
      expect(await page.getByTestId('data-updated').count()).toBe(0);
    } finally {
      await page.unroute('**/api/progress**');
    }
  });

  it('open data: every release version with its date, note and state, and its figures downloadable', async () => {
    const { releases } = await api<{ releases: ReleaseSummary[] }>('/api/releases');
    expect(releases.length).toBeGreaterThan(0);
    await page.goto(`${server.url}/open-data`);
    await page.getByTestId('release-table').first().waitFor();
    const shown = await page.locator('[data-testid="release-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [
      tr.closest('table')?.getAttribute('data-year') ?? '', tr.getAttribute('data-version') ?? '', tr.getAttribute('data-current') ?? '',
      tr.querySelector('[data-col="released_at"]')?.textContent ?? '', tr.querySelector('[data-col="note"]')?.textContent ?? '',
    ]));
    expect(shown).toEqual([...releases].sort((a, b) => b.year - a.year || b.version - a.version)
      .map((r) => [String(r.year), String(r.version), String(r.current), releaseDate(r.released_at), r.note]));
    const first = releases[0];
    if (!first) throw new Error('no release');
    const href = await page.locator(`[data-testid="release-table"][data-year="${first.year}"] tr[data-version="${first.version}"] [data-testid="release-csv"]`).getAttribute('href');
    const csv = await fetch(`${server.url}${href}`);
    expect(csv.status).toBe(200);
    expect((await csv.text()).replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^indicator,org_code,/);
  });

  it('a cell the API marks suppressed shows "数据不足，不予公布", never its number', async () => {
    const progress = await api<Progress[]>('/api/progress');
    const p = progress[0];
    if (!p) throw new Error('no progress');
    const districts = await api<DistrictValue[]>(`/api/indicators/${p.code}/districts?year=${p.year}`);
    // Force a suppressed cell that still carries a tell-tale number, to prove the UI ignores it.
    const tampered = districts.map((d) => (d.org_code === '120101' ? { ...d, value: 98765.4321, suppressed: true } : d));
    await page.route(`**/api/indicators/${p.code}/districts**`, (route) => route.fulfill({ json: tampered }));
    try {
      await page.goto(`${server.url}/indicators/${p.code}`);
      await page.getByTestId('district-table').waitFor();
      const row = page.locator('[data-testid="district-table"] tbody tr', { hasText: '和平区' });
      expect(await row.locator('td[data-col="value"]').innerText()).toBe('—（数据不足，不予公布）');
      const body = await page.locator('body').innerText();
      expect(body).not.toMatch(/98[,.]?765/);
      const svg = await page.getByTestId('district-bar').innerHTML();
      expect(svg).not.toMatch(/98[,.]?765/);
      // The CSV download of that table carries the text too, with a BOM and units.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-testid="district-table"] [data-testid="download-csv"]').click(),
      ]);
      const file = await download.path();
      const csv = readFileSync(file, 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv).toContain('和平区');
      expect(csv).toContain('—（数据不足，不予公布）');
      expect(csv).not.toMatch(/98765/);
      expect(csv.split('\r\n')[0]).toContain(`(${p.unit === '%' ? '%' : p.unit})`);
    } finally {
      await page.unroute(`**/api/indicators/${p.code}/districts**`);
    }
  });

  it('district page: the district’s indicators equal /api/progress?org=', async () => {
    await page.goto(`${server.url}/districts`);
    await page.getByTestId('district-list').waitFor();
    expect(await page.locator('[data-testid="district-list"] a').count()).toBe(16);
    await page.locator('[data-testid="district-list"] a', { hasText: '滨海新区' }).click();
    await page.getByTestId('district-progress-table').waitFor();
    expect(new URL(page.url()).pathname).toBe('/districts/120116');
    expect(await page.getByTestId('district-title').innerText()).toBe('滨海新区');
    const progress = await api<Progress[]>('/api/progress?org=120116');
    const shown = await page.locator('[data-testid="district-progress-table"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('td[data-col="code"]')?.textContent ?? '', r.querySelector('td[data-col="value"]')?.textContent ?? '']));
    expect(shown).toHaveLength(progress.length);
    const expected = new Map(progress.map((p) => [p.code, formatValue(p, p.unit, 'zh')]));
    for (const [code, text] of shown) expect(text, code).toBe(expected.get(code ?? ''));
    await page.screenshot({ path: join(shotDir, 'district-zh.png') });

    // From the district's table to that district's own indicator page (?org=).
    const q = progress.find((x) => x.year !== null) ?? progress[0];
    if (!q) throw new Error('no progress');
    await page.locator('[data-testid="district-progress-table"] tbody tr', { has: page.locator(`td[data-col="code"]:text-is("${q.code}")`) })
      .locator('th a').click();
    await page.getByTestId('summary-value').waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/indicators/${q.code}?org=120116`);
    expect(await page.getByTestId('indicator-place').innerText()).toContain('滨海新区');
    expect(await page.getByTestId('summary-value').innerText()).toBe(formatValue(q, q.unit, 'zh'));
    const series = await api<Series>(`/api/indicators/${q.code}/series?org=120116`);
    const last = [...series.points].sort((a, b) => b.year - a.year).find((x) => x.year === q.year);
    const rows = await page.locator('[data-testid="series-table"] tbody tr').evaluateAll((trs) =>
      trs.map((r) => [r.querySelector('th')?.textContent ?? '', r.querySelector('td[data-col="observed"]')?.textContent ?? '']));
    if (last) expect(rows).toContainEqual([String(last.year), formatValue(last, q.unit, 'zh')]);
  });

  it('keyboard: the first Tab reaches a visible skip link; focus is outlined', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="indicator-card"]').first().waitFor();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return null;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return { cls: el.className, tag: el.tagName, text: el.textContent?.slice(0, 40), top: r.top, outline: s.outlineStyle, width: s.outlineWidth };
    });
    expect(focused?.cls, JSON.stringify(focused)).toBe('skip-link');
    expect(focused?.top).toBeGreaterThanOrEqual(0);
    expect(focused?.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('reflows on a 390 px phone screen without sideways scrolling (WCAG 1.4.10)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ['/', '/indicators/myopia_rate', '/districts/120101', '/open-data']) {
        await page.goto(`${server.url}${path}`);
        await page.locator('table').first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await page.goto(`${server.url}/`);
      await page.locator('[data-testid="indicator-card"]').first().waitFor();
      await page.screenshot({ path: join(shotDir, 'overview-phone.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('server: deep links get the app, unknown /api paths a JSON error', async () => {
    const pageRes = await fetch(`${server.url}/indicators/preschool_gross_enrolment_rate`);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-type')).toMatch(/text\/html/);
    expect(await pageRes.text()).toContain('<div id="root">');
    const apiRes = await fetch(`${server.url}/api/no-such-thing`);
    expect(apiRes.status).toBe(404);
    const body = (await apiRes.json()) as { error: { code: string; message_zh: string; message_en: string } };
    expect(body.error.code).toBe('E_NOT_FOUND');
    expect(body.error.message_zh).not.toBe('');
  });

  it('district page: a certified 优质均衡 assessment is shown in zh and en; one not yet certified is not', async () => {
    // The event log as the workflow leaves it (the workflow and its refusals: test/storage/assessments.test.ts).
    const step = (kind: 'balanced' | 'preschool', year: number, action: 'self_evaluate' | 'city_assess' | 'submit' | 'certify', on_date: string) => ({
      kind, district_code: '120116', year, action, on_date, state_after: action, actor: 'browser-test', comment: '',
      item_comments: '{}', verdict: JSON.stringify({ verdict: 'pass' }), recorded_at: '2025-01-15T08:00:00Z',
    });
    await server.store.db.insertInto('assessment_event').values([
      step('balanced', 2023, 'self_evaluate', '2024-03-01'), step('balanced', 2023, 'city_assess', '2024-05-10'),
      step('balanced', 2023, 'submit', '2024-06-01'), step('balanced', 2023, 'certify', '2025-03-28'),
      step('preschool', 2024, 'self_evaluate', '2025-03-01'), step('preschool', 2024, 'city_assess', '2025-04-01'), step('preschool', 2024, 'submit', '2025-05-01'),
    ]).execute();
    const answer = await api<DistrictAssessments>('/api/districts/120116/assessments');
    expect(answer.items.map((i) => [i.kind, i.year, i.certified_on])).toEqual([['balanced', 2023, '2025-03-28']]);

    await page.goto(`${server.url}/districts/120116`);
    const table = page.getByTestId('district-assessments-table');
    await table.waitFor();
    const rows = async () => table.locator('tbody tr').evaluateAll((trs) => trs.map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.textContent ?? '')));
    expect(await rows()).toEqual([['义务教育优质均衡发展', '2023', '2024-03-01 / 2024-05-10 / 2024-06-01', '2025-03-28', '达标']]);
    expect(await page.locator('#assess-h').innerText()).toBe('督导评估结果');
    await page.getByTestId('lang-toggle').click();
    expect(await page.locator('#assess-h').innerText()).toBe('Supervision assessments');
    expect(await rows()).toEqual([['High-quality balanced compulsory education', '2023', '2024-03-01 / 2024-05-10 / 2024-06-01', '2025-03-28', 'Passes']]);
    await page.getByTestId('lang-toggle').click();
    // A district with nothing certified says so.
    await page.goto(`${server.url}/districts/120101`);
    expect(await page.getByTestId('district-assessments-none').innerText()).toBe('本区尚无通过国家认定的督导评估。');
    expect(await page.getByTestId('district-assessments-table').count()).toBe(0);
  });

  it('the overview, indicator and district pages do not download the plan file (/api/plan)', async () => {
    const requested: string[] = [];
    const onRequest = (r: Request) => { requested.push(new URL(r.url()).pathname); };
    page.on('request', onRequest);
    try {
      await page.goto(`${server.url}/`);
      await page.locator('[data-testid="indicator-card"]').nth(19).waitFor();
      await page.goto(`${server.url}/indicators/preschool_gross_enrolment_rate`);
      await page.getByTestId('summary-value').waitFor();
      await page.getByTestId('metadata-definition').waitFor();
      await page.goto(`${server.url}/districts/120116`);
      await page.getByTestId('district-progress-table').waitFor();
    } finally {
      page.off('request', onRequest);
    }
    // The pages did load their data (so the listener saw them), and none of it was the plan.
    expect(requested).toContain('/api/progress');
    expect(requested).toContain('/api/districts/120116/assessments');
    expect(requested.filter((p) => p === '/api/plan')).toEqual([]);
    // Still grouped as in the plan: the overview's categories in the plan's order.
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="indicator-card"]').nth(19).waitFor();
    expect(await page.locator('[data-testid="category"] h2').allInnerTexts()).toEqual(['普及程度', '结构优化', '发展质量']);
  });

  it('?lang=en stays in the links: nav, cards, district and indicator links carry lang=en, and a followed or copied link is English', async () => {
    const units = await api<{ org_units?: Array<{ code: string; name_en: string }> } | Array<{ code: string; name_en: string }>>('/api/org-units?level=district');
    const binhai = (Array.isArray(units) ? units : units.org_units ?? []).find((u) => u.code === '120116');
    if (!binhai) throw new Error('no 120116 in /api/org-units');
    const progress = await api<Progress[]>('/api/progress?org=120116');
    await page.goto(`${server.url}/?lang=en`);
    await page.locator('[data-testid="indicator-card"]').first().waitFor();
    const hrefs = async (selector: string) => page.locator(selector).evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    const navHrefs = await hrefs('header nav a');
    expect(navHrefs.length).toBeGreaterThan(5);
    for (const h of navHrefs) expect(new URL(h, server.url).searchParams.get('lang'), h).toBe('en');
    for (const h of await hrefs('[data-testid="indicator-card"] h3 a')) expect(new URL(h, server.url).searchParams.get('lang'), h).toBe('en');
    // Follow the nav to the districts, then a district, then one of its indicators: English all the way, lang=en in the address.
    await page.locator('header nav a', { hasText: 'Districts' }).click();
    await page.getByTestId('district-list').waitFor();
    expect(new URL(page.url()).searchParams.get('lang')).toBe('en');
    await page.locator('[data-testid="district-list"] a', { hasText: binhai.name_en }).click();
    await page.getByTestId('district-progress-table').waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/districts/120116?lang=en');
    expect(await page.getByTestId('district-title').innerText()).toBe(binhai.name_en);
    const q = progress.find((x) => x.year !== null) ?? progress[0];
    if (!q) throw new Error('no progress');
    const link = page.locator('[data-testid="district-progress-table"] tbody tr', { has: page.locator(`td[data-col="code"]:text-is("${q.code}")`) }).locator('th a');
    const copied = await link.getAttribute('href');
    expect(copied).toBe(`/indicators/${q.code}?org=120116&lang=en`);
    await link.click();
    await page.getByTestId('summary-value').waitFor();
    expect(await page.getByTestId('indicator-title').innerText()).toBe(q.name_en);
    // The copied link opened afresh (nothing remembered in this browser) is English too.
    await page.evaluate(() => window.localStorage.clear());
    await page.goto(`${server.url}${copied ?? ''}`);
    await page.getByTestId('summary-value').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByTestId('indicator-title').innerText()).toBe(q.name_en);
    // Back in Chinese, links carry no language.
    await page.getByTestId('lang-toggle').click();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    for (const h of await hrefs('header nav a')) expect(new URL(h, server.url).searchParams.has('lang'), h).toBe(false);
  });

  it('runs under the server\'s Content-Security-Policy: the page carries it, and nothing on any page above was blocked', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Hover a chart so ECharts draws its HTML tooltip (inline styles) under the policy too.
    await page.goto(`${server.url}/indicators/preschool_gross_enrolment_rate`);
    const chart = page.locator('svg').first();
    await chart.waitFor();
    const box = await chart.boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    expect(browser?.cspViolations ?? ['no browser']).toEqual([]);
  });
});
