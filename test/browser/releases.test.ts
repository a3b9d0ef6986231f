/**
 * Release control (数据发布) in headless Chromium against a real server with demo data and
 * the demo accounts. The demo says it is a demo on every page. A school's form for a new
 * academic year (2026) approved by its district changes nothing the public sees; the city
 * releases 2026 from the workspace release page (with a reason: one school of 64 is far
 * below 95 %), and only then the overview shows 2026 with 数据更新于 and the release date.
 * The district reviewer's release page lists its schools not reported, with their contacts,
 * in Chinese and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import { formByCode, formFields } from '../../src/core/forms/index.ts';
import type { ProgressItem } from '../../src/contract/progress.ts';
import type { ReleaseReadiness, ReleaseRecord } from '../../src/contract/releases.ts';
import { formatValue, releaseDate, updatedText } from '../../src/web/format.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const PASSWORD = 'eduplan-demo-2024';
const NEW_YEAR = 2026;
const BANNER_ZH = '演示系统：数据为模拟生成，不代表官方统计';

let server: PortalServer;
let context: BrowserContext;
let page: Page;
let browser: BrowserSession | undefined;
let school: { code: string; form: string; district: string };

/** Sign in as a user through the API, for the steps the browser does not drive (a school's form). */
async function apiLogin(username: string): Promise<string> {
  const r = await server.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'eduplan' }, payload: { username, password: PASSWORD } });
  expect(r.statusCode, `login ${username}`).toBe(200);
  const set = r.headers['set-cookie'];
  return (Array.isArray(set) ? set : [String(set)]).map((c) => c.split(';')[0]).join('; ');
}
async function apiCall(cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await server.app.inject({ method, url, headers: { cookie, 'x-requested-with': 'eduplan' }, ...(payload ? { payload } : {}) });
  return { status: r.statusCode, body: r.json() };
}
/** The API as the signed-in browser sees it (its cookies). */
async function browserApi<T>(path: string): Promise<T> {
  const res = await context.request.get(`${server.url}${path}`);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

async function signIn(username: string, path: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  const form = page.getByTestId('sign-in-form');
  await form.waitFor();
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(PASSWORD);
  await form.locator('input[name="password"]').press('Enter');
  await page.getByTestId('ws-user').waitFor();
}

/** What the public overview shows: the 数据更新于 line and every card's value text. */
async function overview(): Promise<{ updated: string; year: string | null; cards: Record<string, string> }> {
  await page.goto(`${server.url}/`);
  await page.locator('[data-testid="indicator-card"]').nth(19).waitFor();
  const cards = await page.locator('[data-testid="indicator-card"]').evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-code') ?? '', e.querySelector('[data-testid="card-value"]')?.textContent ?? '']));
  return { updated: await page.getByTestId('data-updated').innerText(), year: await page.getByTestId('data-updated').getAttribute('data-year'), cards: Object.fromEntries(cards) };
}

describe.skipIf(!haveChromium)('release control in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer({ demoAccounts: true });
    const db = server.store.db;
    const grant = await db.selectFrom('account_grant as r').innerJoin('account as a', 'a.id', 'r.account_id').select('r.org_code').where('a.username', '=', 'demo-school').executeTakeFirstOrThrow();
    const org = await db.selectFrom('org_unit').select(['code', 'school_type', 'parent_code']).where('code', '=', grant.org_code).executeTakeFirstOrThrow();
    school = { code: org.code, form: `annual.${org.school_type ?? ''}`, district: org.parent_code ?? '' };
    browser = await openBrowser(shotDir);
    ({ context, page } = browser);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the demo says so on every page: a banner on the public overview and in the workspace; demo sources are not official', async () => {
    await page.goto(`${server.url}/`);
    const banner = page.getByTestId('demo-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain(BANNER_ZH);
    expect(await banner.getAttribute('role')).toBe('note');
    expect(await banner.isVisible()).toBe(true);
    // Not dismissable: nothing in it to press.
    expect(await banner.locator('button, a').count()).toBe(0);
    const footer = await page.getByTestId('footer-sources').innerText();
    expect(footer).toContain('模拟生成');
    expect(footer).not.toContain('天津市教育统计');
    await page.getByTestId('lang-toggle').click();
    expect(await banner.innerText()).toContain('Demo system: simulated data, not official statistics');
    await page.getByTestId('lang-toggle').click();
    // A workspace page (its sign-in form) carries it too; the skip link is still the first Tab stop.
    await page.goto(`${server.url}/workspace/releases?year=${NEW_YEAR}`);
    await page.getByTestId('sign-in-form').waitFor();
    expect(await page.getByTestId('demo-banner').innerText()).toContain(BANNER_ZH);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
  });

  it('acceptance: an approved form for a new year stays off the public overview until the city releases the year', async () => {
    const before = await overview();
    expect(before.year).toBe('2025');
    expect(before.updated).toMatch(/^数据更新于 \d{4}-\d{2}-\d{2}（2025学年第1版）/);
    expect(Object.values(before.cards).join('')).not.toContain(String(NEW_YEAR));

    // The school reports its 2026 form (last year's figures) and its district approves it.
    const form = formByCode(school.form);
    if (!form) throw new Error(`no form ${school.form}`);
    const last: Record<string, number> = {};
    for (const r of await server.store.db.selectFrom('data_value').select(['element', 'value']).where('org_code', '=', school.code).where('year', '=', NEW_YEAR - 1).execute()) last[r.element] = r.value;
    const values = Object.fromEntries(formFields(form).map((f) => [f.code, last[f.code] ?? 0]));
    const sc = await apiLogin('demo-school');
    const saved = await apiCall(sc, 'PUT', `/api/submissions/${school.code}/${school.form}/${NEW_YEAR}`, { values });
    expect(saved.status).toBe(200);
    const id = (saved.body.submission as { id: number }).id;
    expect((await apiCall(sc, 'POST', `/api/submissions/${id}/submit`, { signoffs: { preparer: '张填报', reviewer: '李审核', head: '王校长' } })).status).toBe(200);
    expect((await apiCall(await apiLogin('demo-district'), 'POST', `/api/submissions/${id}/approve`)).status).toBe(200);

    // The public overview is unchanged: same year, same release, same values.
    expect(await overview()).toEqual(before);

    // The city opens the release page for 2026: the provisional figures are there, labelled, beside the released ones.
    await signIn('demo-city', `/workspace/releases?year=${NEW_YEAR}`);
    await page.getByTestId('form-completeness').waitFor();
    const ready = await browserApi<ReleaseReadiness>(`/api/workspace/releases/${NEW_YEAR}/readiness`);
    expect(ready.complete).toBe(false);
    expect(await page.getByTestId('current-release').innerText()).toBe('本学年尚未发布');
    const primary = page.locator(`[data-testid="form-completeness"] tr[data-form="${school.form}"]`);
    const f = ready.forms.find((x) => x.form_code === school.form);
    expect([await primary.locator('[data-col="reported"]').innerText(), await primary.locator('[data-col="expected"]').innerText()]).toEqual([String(f?.reported), String(f?.expected)]);
    expect(f?.reported).toBe(1);
    expect(await primary.getAttribute('data-met')).toBe('false');
    const provisional = await browserApi<ProgressItem[]>(`/api/workspace/progress?year=${NEW_YEAR}&org=120000`);
    const large = provisional.find((p) => p.code === 'large_class_share');
    expect(large?.year).toBe(NEW_YEAR);
    const row = page.locator('[data-testid="provisional-figures"] tr[data-code="large_class_share"]');
    expect(await row.locator('[data-col="provisional"]').innerText()).toContain(formatValue(large ?? { value: null }, '%', 'zh'));
    expect(await row.locator('[data-col="provisional"]').innerText()).toContain('暂定');
    expect(await row.getAttribute('data-changes')).toBe('true');
    expect(await page.locator('[data-testid="provisional-figures"] thead').innerText()).toContain('暂定数据（未发布）');
    expect(await page.getByTestId('unreleased-changes').innerText()).toBe(String(ready.unreleased_changes));
    await page.screenshot({ path: join(shotDir, 'workspace-releases-city.png'), fullPage: true });

    // Without a reason the server refuses, naming each form below its threshold.
    await page.getByTestId('release-note').fill('2026学年统计数据（初步）');
    await page.getByTestId('release-submit').click();
    await page.locator('[data-testid="release-error"][data-code="E_RELEASE_INCOMPLETE"]').waitFor();
    const below = ready.forms.filter((x) => !x.met).map((x) => `forms.${x.form_code}`);
    expect(await page.locator('[data-testid="release-problems"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-path')))).toEqual(below);
    expect(await page.locator(`[data-testid="release-problems"] tr[data-path="forms.${school.form}"]`).innerText()).toContain(`已报送 1/${f?.expected} 所`);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('release-override');
    await page.screenshot({ path: join(shotDir, 'workspace-releases-refused.png') });
    expect(await overview().then(() => page.getByTestId('data-updated').getAttribute('data-year'))).toBe('2025');

    // With a reason it is released: version 1, shown on the page.
    await page.goto(`${server.url}/workspace/releases?year=${NEW_YEAR}`);
    await page.getByTestId('release-form').waitFor();
    await page.getByTestId('release-note').fill('2026学年统计数据（初步）');
    await page.getByTestId('release-override').fill('仅一所学校报送，演示发布流程');
    await page.getByTestId('release-submit').click();
    await page.locator('[data-testid="release-done"][data-version="1"]').waitFor();
    await page.locator('[data-testid="current-release"][data-version="1"]').waitFor();
    const [record] = (await browserApi<{ releases: ReleaseRecord[] }>(`/api/workspace/releases?year=${NEW_YEAR}`)).releases;
    if (!record) throw new Error('no release recorded');
    expect(record).toMatchObject({ year: NEW_YEAR, version: 1, current: true, released_by: 'demo-city', override_reason: '仅一所学校报送，演示发布流程' });
    const history = page.locator('[data-testid="release-history"] tr[data-version="1"]');
    expect(await history.getAttribute('data-current')).toBe('true');
    expect(await history.locator('[data-col="extra"]').innerText()).toBe('demo-city');
    expect(await history.locator('[data-col="override"]').innerText()).toBe(record.override_reason);
    expect(await page.getByTestId('current-release').innerText()).toContain(releaseDate(record.released_at));

    // The public overview now shows 2026, with its release date.
    const after = await overview();
    expect(after.year).toBe(String(NEW_YEAR));
    expect(after.updated).toContain(updatedText({ year: NEW_YEAR, version: 1, released_at: record.released_at }, 'zh'));
    expect(after.updated).toContain(`数据更新于 ${releaseDate(record.released_at)}（2026学年第1版）`);
    const published = await browserApi<ProgressItem[]>('/api/progress');
    const largePublished = published.find((p) => p.code === 'large_class_share');
    expect(largePublished?.release?.id).toBe(record.id);
    expect(after.cards.large_class_share).toBe(`${formatValue(largePublished ?? { value: null }, '%', 'zh')}（${NEW_YEAR}）`);
    await page.screenshot({ path: join(shotDir, 'overview-after-release.png') });
  }, 240_000);

  it('district reviewer: the release page lists its schools not reported, with contacts, in Chinese and English', async () => {
    await page.goto(`${server.url}/workspace?year=${NEW_YEAR}`);
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signed-out').waitFor();
    await signIn('demo-district', `/workspace?year=${NEW_YEAR}`);
    await page.getByTestId('open-releases').click();
    await page.getByTestId('form-completeness').waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/workspace/releases?year=${NEW_YEAR}`);
    const ready = await browserApi<ReleaseReadiness>(`/api/workspace/releases/${NEW_YEAR}/readiness`);
    expect(ready.districts.map((d) => d.district_code)).toEqual([school.district]);
    const missing = ready.districts[0]?.missing ?? [];
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.map((m) => m.code)).not.toContain(school.code);
    const shown = page.locator('[data-testid="district-missing"]');
    expect(await shown.count()).toBe(1);
    expect(await shown.getAttribute('open')).not.toBeNull();
    const first = missing[0];
    if (!first) throw new Error('no missing school');
    const row = shown.locator(`[data-testid="missing-schools"] tr[data-school="${first.code}"]`);
    const cells = async () => [await row.locator('[data-col="name"]').innerText(), await row.locator('[data-col="contact"]').innerText(), await row.locator('[data-col="phone"]').innerText(), await row.locator('[data-col="state"]').innerText()];
    expect(await cells()).toEqual([first.name_zh, first.contact_name, first.contact_phone, '未填报']);
    expect(await shown.locator('[data-testid="missing-schools"] tbody tr').count()).toBe(missing.length);
    // The city releases; a district reviewer only reads.
    expect(await page.getByTestId('release-form').count()).toBe(0);
    await page.screenshot({ path: join(shotDir, 'workspace-releases-district-zh.png'), fullPage: true });

    await page.getByTestId('lang-toggle').click();
    await page.getByRole('heading', { name: `Release · academic year ${NEW_YEAR}` }).waitFor();
    expect(await shown.locator('[data-testid="missing-schools"] thead').innerText()).toMatch(/Contact[\s\S]*Phone/);
    // In English the school's English name (its Chinese one when it has none).
    expect(await cells()).toEqual([first.name_en || first.name_zh, first.contact_name, first.contact_phone, 'Not started']);
    expect(await shown.locator('summary').innerText()).toContain(`${missing.length} missing`);
    await page.screenshot({ path: join(shotDir, 'workspace-releases-district-en.png'), fullPage: true });
    // Reflow (WCAG 1.4.10): the page on a 390 px phone, in the longer language, never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.getByTestId('lang-toggle').click();
  }, 120_000);

  it('open data: a second release of the year is the current version, the first is marked replaced and still downloadable', async () => {
    const city = await apiLogin('demo-city');
    const v2 = await apiCall(city, 'POST', '/api/workspace/releases', { year: NEW_YEAR, note: '2026学年统计数据（第二次发布）', override_reason: '仍仅一所学校报送，演示修订流程' });
    expect(v2.status).toBe(201);
    await page.goto(`${server.url}/open-data?lang=zh`);
    const table = page.locator(`[data-testid="release-table"][data-year="${NEW_YEAR}"]`);
    await table.waitFor();
    expect(await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-version'), tr.getAttribute('data-current')]))).toEqual([['2', 'true'], ['1', 'false']]);
    const v1 = table.locator('tr[data-version="1"]');
    expect(await v1.locator('[data-col="state"]').innerText()).toBe('已被替换（仍可下载）');
    expect(await v1.locator('[data-col="override"]').innerText()).toBe('仅一所学校报送，演示发布流程');
    expect(await table.locator('tr[data-version="2"] [data-col="changes"]').innerText()).toMatch(/^修订 \d+，新增 \d+，删除 \d+$/);
    const href = await v1.getByTestId('release-json').getAttribute('href');
    const body = (await (await fetch(`${server.url}${href}`)).json()) as { release: { version: number; current: boolean }; rows: unknown[] };
    expect(body.release).toMatchObject({ version: 1, current: false });
    expect(body.rows.length).toBeGreaterThan(0);
    await page.screenshot({ path: join(shotDir, 'open-data-releases.png') });
  });
});
