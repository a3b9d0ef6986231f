/**
 * The plan-execution workspace in headless Chromium with the demo accounts: the district sees
 * the report its unit owes for 专栏7, writes it with an evidence file and submits; the city sees
 * who is late, accepts the report from its review queue, and it appears on the public 专栏 page;
 * the registry pages list the plan's registries and their entries.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail } from '../../src/contract/plan-execution.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import { startPortalServer, type PortalServer } from '../helpers/portal-server.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const PASSWORD = 'eduplan-demo-2024';
const ITEM = 'p07_compulsory_balanced_action';
const UNIT = 'district-120101';
let server: PortalServer;
let page: Page;
let browser: BrowserSession | undefined;

async function signIn(path: string, username: string): Promise<void> {
  await page.goto(`${server.url}${path}`);
  const form = page.getByTestId('sign-in-form');
  await form.waitFor();
  await form.locator('input[name="username"]').fill(username);
  await form.locator('input[name="password"]').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByTestId('ws-user').waitFor();
}

describe.skipIf(!haveChromium)('规划实施 workspace in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer({ demoAccounts: true });
    // The demo's 2024H2 report of 和平区 on 专栏7, taken out so that it is owed.
    await server.store.db.deleteFrom('plan_report').where('item', '=', ITEM).where('unit', '=', UNIT).where('period', '=', '2024H2').execute();
    browser = await openBrowser(shotDir);
    ({ page } = browser);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the district writes the report its unit owes, with evidence, and submits it', async () => {
    await signIn('/workspace/plan', 'demo-district');
    const row = page.locator(`[data-testid="plan-due"] tr[data-item="${ITEM}"][data-period="2024H2"]`);
    await row.waitFor();
    // Only its own unit's reports are listed.
    const units = await page.locator('[data-testid="plan-due"] tbody tr').evaluateAll((trs) => [...new Set(trs.map((tr) => tr.getAttribute('data-unit')))]);
    expect(units).toEqual([UNIT]);
    await row.getByRole('button').click();
    const form = page.getByTestId('report-form');
    await form.waitFor();
    await form.locator('select[name="status"]').selectOption('at_risk');
    await form.locator('input[name="reason"]').fill('体育场馆改造工期延后');
    await form.locator('textarea[name="narrative_zh"]').fill('本区完成3所学校体育场馆改造，2所延至2025年。');
    await form.getByTestId('evidence-input').setInputFiles({ name: '场馆改造清单.txt', mimeType: 'text/plain', buffer: Buffer.from('改造清单（测试）') });
    await form.getByTestId('evidence-list').waitFor();
    await form.getByRole('button', { name: /报送|Submit/ }).click();
    await row.waitFor({ state: 'detached' });
    const stored = await server.store.db.selectFrom('plan_report').select(['state', 'status', 'reason', 'evidence']).where('item', '=', ITEM).where('unit', '=', UNIT).where('period', '=', '2024H2').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ state: 'submitted', status: 'at_risk', reason: '体育场馆改造工期延后' });
    expect(stored.evidence).toEqual([expect.objectContaining({ name: '场馆改造清单.txt' })]);
    await page.screenshot({ path: join(shotDir, 'plan-workspace-district.png'), fullPage: false });
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signed-out').waitFor();
  });

  it('the city sees who is late, accepts the report, and the public 专栏 page shows it', async () => {
    await signIn('/workspace/plan', 'demo-city');
    await page.locator('[data-testid="plan-late"] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid="plan-late"] tbody tr').count()).toBeGreaterThan(10);
    const { id } = await server.store.db.selectFrom('plan_report').select('id').where('item', '=', ITEM).where('unit', '=', UNIT).where('period', '=', '2024H2').executeTakeFirstOrThrow();
    const entry = page.locator(`[data-testid="plan-review"] li[data-id="${id}"]`);
    await entry.waitFor();
    await entry.getByRole('button', { name: /通过|Accept/ }).click();
    await entry.waitFor({ state: 'detached' });
    await page.screenshot({ path: join(shotDir, 'plan-workspace-city.png'), fullPage: false });
    const p = (await (await fetch(`${server.url}/api/projects/7`)).json()) as ProjectDetail;
    expect(p.reports.find((r) => r.unit.code === UNIT)).toMatchObject({ period: '2024H2', state: 'accepted', status: 'at_risk' });
    await page.goto(`${server.url}/plan/projects/7`);
    await page.locator(`[data-testid="project-reports"] li[data-unit="${UNIT}"][data-period="2024H2"]`).waitFor();
  });

  it('the registries: the plan’s 20, and one registry’s entries with their state', async () => {
    await page.goto(`${server.url}/workspace/registries`);
    await page.locator('[data-testid="registries"] tbody tr').nth(19).waitFor();
    expect(await page.locator('[data-testid="registries"] tbody tr').count()).toBe(20);
    await page.locator('[data-testid="registries"] tr[data-id="luban_workshops"] a').click();
    await page.locator('[data-testid="registry-entries"] tbody tr').first().waitFor();
    const codes = await page.locator('[data-testid="registry-entries"] tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-code'), tr.getAttribute('data-state')]));
    const stored = await server.store.db.selectFrom('registry_entry').select(['entry_code', 'state']).where('registry', '=', 'luban_workshops').orderBy('entry_code').execute();
    expect(codes).toEqual(stored.map((s) => [s.entry_code, s.state]));
    expect(await page.getByTestId('registry-template').getAttribute('href')).toBe('/api/workspace/registries/luban_workshops/template.xlsx');
    await page.screenshot({ path: join(shotDir, 'plan-registry.png'), fullPage: false });
  });
});
