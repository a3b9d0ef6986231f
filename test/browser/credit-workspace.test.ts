/**
 * The credit bank's workspace pages in headless Chromium against a real server: an
 * institution's officer registers a learner's outcome (the ID number typed once, not shown
 * back) and applies for its recognition; the receiving institution's reviewer recognises it,
 * and on a second application the rule's annual cap refuses it — the page shows the cap's
 * reason and the reviewer refuses with it; the officer hands the learner a one-time code;
 * the learner opens their record, downloads the recognition's credential, and the public
 * verification page says it is valid. The public credit-bank page shows the released
 * statistics only (a cell under 10 learners withheld) and links the verification page.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { insertAccount } from '../../src/services/accounts.ts';
import { applyRecognition, defineRule, registerInstitution, registerOutcome } from '../../src/services/credits/bank.ts';
import { creditDeps } from '../../src/services/credits/deps.ts';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import type { Store } from '../../src/store/store.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import { buildPortal } from '../helpers/portal-server.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';
import { createRelease } from '../../src/services/releases.ts';
import { recomputeIndicators } from '../../src/services/indicators.ts';
import { loadFixture, loadFixturePlan } from '../storage/indicators.fixture.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const PASSWORD = 'Credit-Passw0rd-x1';
const first17 = '12010119850315123';
const ID_NUMBER = `${first17}${idCheckChar(first17)}`;

describe.skipIf(!haveChromium)('credit bank workspace in Chromium', () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: BrowserSession;
  let url = '';
  let webDir = '';
  const clock = () => new Date('2025-01-01T00:00:00Z');
  const keyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const ISSUER = 'http://127.0.0.1';
  const deps = () => creditDeps(store, clock, { keyPem, publicUrl: ISSUER, pseudonymKey: 'browser-credit-key' });

  beforeAll(async () => {
    webDir = await buildPortal(mkdtempSync(join(tmpdir(), 'eduplan-credit-web-')));
    store = await openPgliteFromTemplate();
    // The indicator fixture's city, districts and schools, with its data: the public page needs a release.
    await loadFixture(store);
    await loadFixturePlan(store);
    await recomputeIndicators(store, { balancedVerdicts: async () => null });
    app = await buildApp({ store, clock, config: { demo: true, pseudonymKey: 'browser-credit-key', maxUploadBytes: 1 << 20, webDir, credential: { keyPem, publicUrl: ISSUER } } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const system = { system: 'cli' } as const;
    await registerInstitution(deps(), system, { code: 'HPVC000001', name_zh: '和平职业培训学校', kind: 'training_body', org_code: '120101' });
    await registerInstitution(deps(), system, { code: 'TJOU000001', name_zh: '天津开放大学', kind: 'open_university', org_code: '120000' });
    await defineRule(deps(), system, {
      code: 'OU-1X-WEB', source_kind: 'vocational_certificate', achievement_code: 'X-WEB-3', receiving_code: 'TJOU000001', target_programme: '计算机应用技术（专科）',
      target_course: '网页设计与制作', credits: 4, annual_cap: 6, source_cap: null, valid_from: '2020-01-01', source: '测试规则',
    });
    const fast = { N: 2 ** 10, r: 8, p: 1 };
    await insertAccount(store.db, clock(), { username: 'officer-heping', password: PASSWORD, grants: [{ role: 'credit_officer', orgCode: '120101' }], totpExempt: true, scrypt: fast });
    await insertAccount(store.db, clock(), { username: 'reviewer-ou', password: PASSWORD, grants: [{ role: 'credit_officer', orgCode: '120000' }], totpExempt: true, scrypt: fast });
    browser = await openBrowser(shotDir);
    const a = app.server.address();
    url = typeof a === 'object' && a ? `http://127.0.0.1:${a.port}` : '';
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  async function signIn(username: string): Promise<void> {
    const page = browser.page;
    await page.goto(`${url}/workspace/credits`);
    const form = page.getByTestId('sign-in-form');
    await form.waitFor();
    await form.locator('input[name="username"]').fill(username);
    await form.locator('input[name="password"]').fill(PASSWORD);
    await form.locator('input[name="password"]').press('Enter');
    await page.getByTestId('ws-user').waitFor();
  }

  it('institution registers and applies, reviewer recognises (and refuses over the cap), learner downloads a credential that verifies', async () => {
    const page = browser.page;
    // 1. The learner's institution registers the outcome.
    await signIn('officer-heping');
    const reg = page.getByTestId('register-outcome');
    await reg.waitFor();
    // One institution in scope: the open university at the city level is not offered.
    expect(await page.getByTestId('register-institution').locator('option').allTextContents()).toEqual(['和平职业培训学校 (HPVC000001)']);
    // A mistyped ID number is refused on the page, naming the GB 11643 rule.
    await reg.locator('input[name="learner_id_number"]').fill(`${first17}${idCheckChar(first17) === '0' ? '1' : '0'}`);
    await reg.locator('input[name="learner_name"]').fill('李明');
    await reg.locator('input[name="achievement_name"]').fill('Web前端开发职业技能等级证书（中级）');
    await reg.locator('input[name="achievement_code"]').fill('X-WEB-3');
    await reg.locator('select[name="kind"]').selectOption('vocational_certificate');
    await reg.locator('input[name="credits"]').fill('4');
    await reg.locator('input[name="issued_on"]').fill('2024-05-01');
    await reg.getByRole('button').click();
    await expect.poll(() => reg.getByTestId('ws-error').textContent()).toContain('GB 11643');
    await reg.locator('input[name="learner_id_number"]').fill(ID_NUMBER);
    await reg.getByRole('button').click();
    await page.getByTestId('registered').waitFor();
    // The ID number and name are gone from the page once sent.
    expect(await reg.locator('input[name="learner_id_number"]').inputValue()).toBe('');
    expect(await page.locator('main').textContent()).not.toContain(ID_NUMBER);
    expect(await page.locator('main').textContent()).not.toContain('李明');
    const row = page.getByTestId('outcomes').locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('Web前端开发职业技能等级证书');
    const apply = row.getByTestId('apply-form');
    await apply.locator('input[name="applied_on"]').fill('2024-07-01');
    await apply.getByRole('button').click();
    await apply.getByRole('status').waitFor();

    // A second certificate of the same learner, applied for in the same year: 4 + 4 > the annual cap of 6.
    const second = await registerOutcome(deps(), { system: 'cli' }, { learner_id_number: ID_NUMBER, learner_name: '李明', issuer_org_code: 'HPVC000001', issued_on: '2024-06-01', achievement: { code: 'X-WEB-3', name: 'Web前端开发职业技能等级证书（中级，补考）', kind: 'vocational_certificate', credits: 4, level: 4 } });
    const secondApp = await applyRecognition(deps(), { system: 'cli' }, { outcome_id: second.outcome_id, rule_code: 'OU-1X-WEB', applied_on: '2024-08-01' });
    await page.screenshot({ path: join(shotDir, 'credit-workspace-institution.png'), fullPage: true });

    // 2. The receiving institution's reviewer recognises the first and meets the cap on the second.
    await page.getByTestId('sign-out').click();
    await signIn('reviewer-ou');
    const queue = page.getByTestId('recognitions');
    await queue.waitFor();
    const firstRow = queue.locator('tr[data-state="applied"]').filter({ hasNotText: '补考' }).first();
    expect(await queue.locator('tr[data-state="applied"]').count()).toBe(2);
    await firstRow.getByTestId('recognise').click();
    await expect.poll(() => queue.locator('tr[data-state="applied"]').count()).toBe(1);
    const capRow = queue.locator(`tr[data-recognition="${secondApp.id}"]`);
    await capRow.getByTestId('recognise').click();
    const cap = capRow.getByTestId('cap-refusal');
    await cap.waitFor();
    expect(await cap.textContent()).toContain('6');
    const reason = await capRow.locator('textarea[name="reason"]').inputValue();
    expect(reason.length).toBeGreaterThan(10);
    await page.screenshot({ path: join(shotDir, 'credit-workspace-cap.png'), fullPage: true });
    await capRow.getByTestId('refuse-form').getByRole('button').click();
    await page.getByTestId('recognition-state-filter').selectOption('');
    await expect.poll(() => queue.locator(`tr[data-recognition="${secondApp.id}"]`).getAttribute('data-state')).toBe('refused');
    expect(await queue.locator(`tr[data-recognition="${secondApp.id}"]`).textContent()).toContain(reason);

    // 3. The learner's institution hands the learner a one-time code.
    await page.getByTestId('sign-out').click();
    await signIn('officer-heping');
    const codeForm = page.getByTestId('learner-code-form');
    await codeForm.locator('input[name="learner_id_number"]').fill(ID_NUMBER);
    await codeForm.getByRole('button').click();
    const code = (await page.getByTestId('learner-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z2-9]{10}$/);
    await page.getByTestId('sign-out').click();

    // 4. The learner opens their record, sees the recognition and downloads its credential.
    await page.goto(`${url}/credits/learner`);
    const signInForm = page.getByTestId('learner-sign-in');
    await signInForm.locator('input[name="code"]').fill(code);
    await signInForm.getByRole('button').click();
    await page.getByTestId('learner-record').waitFor();
    expect(await page.getByTestId('credits-recognised').textContent()).toBe('4');
    expect(await page.getByTestId('consent').textContent()).not.toBe('');
    expect(await page.getByTestId('learner-recognitions').locator('tr[data-state="refused"]').textContent()).toContain(reason);
    // Two outcome credentials and one recognition credential.
    expect(await page.getByTestId('learner-credentials').locator('tbody tr').count()).toBe(3);
    await page.screenshot({ path: join(shotDir, 'credit-learner-record.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('tr[data-recognition="yes"]').getByTestId('download-credential').click()]);
    const jws = readFileSync(await download.path(), 'utf8').trim();
    expect(jws.split('.')).toHaveLength(3);
    const [clr] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-clr').click()]);
    expect(clr.suggestedFilename()).toBe('clr-transcript.jwt');

    // 5. Anyone verifies it on the public page.
    await page.goto(`${url}/credentials/verify`);
    await page.locator('#credential-text').fill(jws);
    await page.getByRole('button', { name: /验证|Verify/ }).click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-result')).toBe('valid');
    expect(await result.textContent()).toContain('4');
    expect(browser.cspViolations).toEqual([]);
  }, 180_000);

  it('the public page shows released statistics only, a small cell withheld, and the navigation links verification', async () => {
    const page = browser.page;
    await page.goto(`${url}/credits`);
    await page.getByTestId('credit-stats-none').waitFor();
    // Ten more learners at the 和平区 institution in 2023, then the city releases 2023.
    for (let n = 0; n < 10; n++) {
      const f17 = `120101199001${String(n + 1).padStart(2, '0')}${200 + n}`;
      await registerOutcome(deps(), { system: 'cli' }, { learner_id_number: `${f17}${idCheckChar(f17)}`, learner_name: '学员', issuer_org_code: 'HPVC000001', issued_on: '2023-03-01', achievement: { name: '家政服务培训', credits: 2, kind: 'non_formal' } });
    }
    const f17 = '12011619900101777';
    await registerOutcome(deps(), { system: 'cli' }, { learner_id_number: `${f17}${idCheckChar(f17)}`, learner_name: '学员', issuer_org_code: 'TJOU000001', issued_on: '2023-03-01', achievement: { name: '慕课', credits: 1, kind: 'mooc' } });
    await page.reload();
    await page.getByTestId('credit-stats-none').waitFor();
    await createRelease({ store, clock }, { system: 'cli' }, { year: 2023, note: 'test', override_reason: 'test fixture: no submissions' });
    await page.reload();
    const year = page.locator('[data-testid="credit-stats-year"][data-year="2023"]');
    await year.waitFor();
    const shown = year.locator('tr[data-suppressed="no"]');
    expect(await shown.count()).toBe(1);
    expect(await shown.textContent()).toContain('和平区');
    expect(await shown.textContent()).toContain('10');
    expect(await shown.textContent()).toContain('20');
    expect(await year.locator('tr[data-suppressed="yes"]').first().textContent()).toContain('不足10人');
    await page.screenshot({ path: join(shotDir, 'credit-statistics.png'), fullPage: true });
    expect(await page.title()).toContain('终身教育学分银行');
    // In English too.
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('The lifelong-learning credit bank');
    expect(await year.locator('tr[data-suppressed="yes"]').first().textContent()).toContain('fewer than 10, withheld');
    expect(await shown.textContent()).toContain('Heping');
    await page.getByTestId('lang-toggle').click();
    // The main navigation links the verification page.
    await page.locator('nav').getByRole('link', { name: '凭证验证' }).click();
    await page.locator('#credential-text').waitFor();
    expect(new URL(page.url()).pathname).toBe('/credentials/verify');
    expect(browser.cspViolations).toEqual([]);
  }, 120_000);
});
