/**
 * The public learning-city page in headless Chromium against a real server: before a release
 * it shows no figures; after the city releases the year it shows KPI 8, the elderly
 * participation rate per district against 50 % (a district under 10 persons withheld), the
 * network coverage and the framework's items, in Chinese and, with ?lang=en, in English; the
 * portal's navigation links to it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { buildApp } from '../../src/server/app.ts';
import { importLearningEvents } from '../../src/services/learning-city.ts';
import { createRelease } from '../../src/services/releases.ts';
import type { Store } from '../../src/store/store.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import { buildPortal } from '../helpers/portal-server.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const idOf = (first17: string): string => `${first17}${idCheckChar(first17)}`;

describe.skipIf(!haveChromium)('learning-city page in Chromium', () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: BrowserSession;
  let url = '';
  let webDir = '';
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-lc-browser-'));
  const clock = () => new Date('2025-01-10T00:00:00Z');
  const system = { system: 'cli' } as const;

  beforeAll(async () => {
    webDir = await buildPortal(mkdtempSync(join(tmpdir(), 'eduplan-lc-web-')));
    store = await openPgliteFromTemplate();
    await sql`INSERT INTO org_unit (code, name_zh, name_en, level, parent_code, unit_type, service_line) VALUES
      ('120000', '天津市', 'Tianjin', 'city', NULL, NULL, NULL), ('120101', '和平区', 'Heping', 'district', '120000', NULL, NULL), ('120102', '河东区', 'Hedong', 'district', '120000', NULL, NULL),
      ('120101001', '劝业场街', 'Quanyechang', 'street', '120101', 'elderly_school', 'elderly'), ('120102001', '大王庄街', 'Dawangzhuang', 'street', '120102', 'learning_centre', 'community')`.execute(store.db);
    await store.db.insertInto('reference_value').values([
      { org_code: '120101', year: 2024, code: 'pop.age60_plus', value: 40, source: '测试' }, { org_code: '120102', year: 2024, code: 'pop.age60_plus', value: 100, source: '测试' },
      { org_code: '120000', year: 2024, code: 'pop.age60_plus', value: 140, source: '测试' },
    ]).execute();
    // 和平区: 20 elderly learners (50 %); 河东区: 3 (withheld).
    const lines = ['event_id,centre_code,date,channel,activity,learner_id_number'];
    for (let i = 0; i < 20; i++) lines.push(`H${i},120101001,2024-03-01,course,太极拳,${idOf(`12010119500101${100 + i}`)}`);
    for (let i = 0; i < 3; i++) lines.push(`D${i},120102001,2024-03-02,course,书法,${idOf(`12010219510201${200 + i}`)}`);
    const file = join(dir, 'events.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await importLearningEvents({ store, clock, pseudonymKey: 'browser-lc-key' }, system, { path: file });
    app = await buildApp({ store, clock, config: { demo: false, pseudonymKey: 'browser-lc-key', maxUploadBytes: 1 << 20, webDir } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await openBrowser(shotDir);
    const a = app.server.address();
    url = typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : '';
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows nothing before the release, then the released figures in zh and, with ?lang=en, in English', async () => {
    const page = browser.page;
    await page.goto(`${url}/`);
    await page.getByRole('link', { name: '学习型城市' }).click();
    await page.getByTestId('learning-none').waitFor();
    expect(page.url()).toContain('/learning-city');
    await createRelease({ store, clock }, system, { year: 2024, note: '2024年数据', override_reason: 'browser test world without schools' });
    await page.goto(`${url}/learning-city?year=2024`);
    await page.getByTestId('learning-elderly').waitFor();
    expect(await page.getByTestId('learning-kpi8').textContent()).toBe('23');
    const heping = page.locator('[data-testid="learning-elderly"] tr[data-org="120101"]');
    expect(await heping.textContent()).toContain('50%');
    expect(await heping.textContent()).toContain('达到');
    expect(await page.locator('[data-testid="learning-elderly"] tr[data-org="120102"]').textContent()).toContain('不足10人');
    expect(await page.getByTestId('learning-network').textContent()).toContain('50%');
    expect(await page.locator('[data-testid="learning-framework"] tr[data-item="elderly_participation_rate"]').textContent()).toContain('专栏12');
    await page.screenshot({ path: join(shotDir, 'learning-city-zh.png'), fullPage: true });
    await page.goto(`${url}/learning-city?year=2024&lang=en`);
    await page.getByTestId('learning-elderly').waitFor();
    expect(await page.locator('h1').textContent()).toContain('Learning-city monitoring');
    expect(await page.locator('[data-testid="learning-elderly"] tr[data-org="120102"]').textContent()).toContain('withheld');
    await page.getByRole('link', { name: 'Heping' }).click();
    await page.waitForURL(/\/districts\/120101/);
    expect(page.url()).toContain('lang=en');
    expect(browser.cspViolations).toEqual([]);
  }, 120_000);
});
