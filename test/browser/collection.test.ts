/**
 * The data-collection cycle in headless Chromium against a real server with demo data and
 * the demo accounts: the school fills its form (a value breaking a soft rule, explained),
 * signs and submits; the district approves; the city locks; the approved value is the
 * school's stored data. Plus the scope check in the UI: a school cannot open another school.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { FIXED_NOW, startPortalServer, type PortalServer } from '../helpers/portal-server.ts';
import { formByCode, formFields } from '../../src/core/forms/index.ts';
import { base32Decode, totp } from '../../src/core/auth/totp.ts';
import { hmacSha1 } from '../../src/services/auth.ts';
import { createAccount, insertAccount } from '../../src/services/accounts.ts';
import { grantsOf } from '../../src/services/auth.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');
const PASSWORD = 'eduplan-demo-2024';
const YEAR = 2024;
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let server: PortalServer;
let page: Page;
let profile: string;
let browser: BrowserSession | undefined;
let school: { code: string; type: string; district: string };
let otherSchool: string;
let stored: Record<string, number>;
let submissionId = 0;

/** Sign in from the workspace's sign-in form, by keyboard only. */
async function signIn(username: string): Promise<void> {
  await page.goto(`${server.url}/workspace?year=${YEAR}`);
  const form = page.getByTestId('sign-in-form');
  await form.waitFor();
  await form.locator('input[name="username"]').focus();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByTestId('ws-user').waitFor();
  expect(await page.getByTestId('ws-user').innerText()).toBe(username);
}

async function signOut(): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('signed-out').waitFor();
}

describe.skipIf(!haveChromium)('data collection in Chromium', () => {
  beforeAll(async () => {
    server = await startPortalServer({ demoAccounts: true });
    const db = server.store.db;
    const grant = await db.selectFrom('account_grant as r').innerJoin('account as a', 'a.id', 'r.account_id').select('r.org_code').where('a.username', '=', 'demo-school').executeTakeFirstOrThrow();
    const org = await db.selectFrom('org_unit').select(['code', 'school_type', 'parent_code']).where('code', '=', grant.org_code).executeTakeFirstOrThrow();
    school = { code: org.code, type: org.school_type ?? '', district: org.parent_code ?? '' };
    otherSchool = (await db.selectFrom('org_unit').select('code').where('level', '=', 'school').where('parent_code', '<>', org.parent_code ?? '').orderBy('code').executeTakeFirstOrThrow()).code;
    stored = {};
    for (const r of await db.selectFrom('data_value').select(['element', 'value']).where('org_code', '=', school.code).where('year', '=', YEAR).execute()) stored[r.element] = r.value;
    // A new district reviewer: second factor on file, temporary password to change.
    await insertAccount(db, FIXED_NOW, { username: 'new-reviewer', password: 'Temp-Passw0rd-x1', grants: [{ role: 'district_reviewer', orgCode: school.district }], totpSecret: TOTP_SECRET, mustChangePassword: true, scrypt: { N: 2 ** 10, r: 8, p: 1 } });
    browser = await openBrowser(shotDir);
    ({ page, profile } = browser);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('school: fills the form, a soft problem blocks submit until explained, signs and submits', async () => {
    await page.goto(`${server.url}/workspace?year=${YEAR}`);
    await page.getByTestId('sign-in-form').waitFor();
    await page.screenshot({ path: join(shotDir, 'workspace-sign-in.png') });
    await signIn('demo-school');
    await page.getByTestId('open-school-form').first().click();
    await page.getByTestId('school-form').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/workspace/schools/${school.code}/annual.${school.type}/${YEAR}`);

    const form = formByCode(`annual.${school.type}`);
    if (!form) throw new Error(`no form for ${school.type}`);

    // Excel route first: the template as downloaded, uploaded unfilled, is checked whole and
    // every problem is located on the sheet (row, column); the marked workbook comes back.
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-template').click()]);
    const templatePath = join(profile, 'template.xlsx');
    await template.saveAs(templatePath);
    expect(readFileSync(templatePath).subarray(0, 2).toString()).toBe('PK');
    await page.getByTestId('upload-file').setInputFiles(templatePath);
    await page.locator('[data-testid="upload-form"] button[type="submit"]').click();
    const located = page.locator('[data-testid="upload-problems"] tbody tr');
    await located.first().waitFor();
    const first = await located.first().locator('td').allInnerTexts();
    expect(first[1]).toMatch(/^\d+$/);
    expect(first[2]).toMatch(/^[A-Z]+$/);
    const [marked] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-marked').click()]);
    const markedPath = join(profile, 'marked.xlsx');
    await marked.saveAs(markedPath);
    expect(readFileSync(markedPath).subarray(0, 2).toString()).toBe('PK');
    await page.screenshot({ path: join(shotDir, 'workspace-upload.png'), fullPage: true });
    // The school's own figures (as the demo import stored them), except grade-1 entrants:
    // more entrants than grade-1 pupils breaks the soft rule entrants_le_g1.
    const g1 = (stored['enrol.g1.m'] ?? 0) + (stored['enrol.g1.f'] ?? 0);
    const entrants = g1 + 7;
    for (const f of formFields(form)) {
      const v = f.code === 'entrants.g1' ? entrants : stored[f.code] ?? 0;
      await page.locator(`input[data-code="${f.code}"]`).fill(String(v));
    }
    const problem = page.locator('[data-testid="soft-problems"] li[data-rule="entrants_le_g1"]');
    await problem.waitFor();
    expect(await problem.getAttribute('data-cell')).toBe('entrants.g1');
    expect(await problem.getByTestId('explained').getAttribute('data-explained')).toBe('false');
    expect(await page.getByTestId('submit').isDisabled()).toBe(true);

    // Typing text into a number cell is a hard problem on that cell, shown at once.
    const teachers = page.locator('input[data-code="teachers.fulltime"]');
    const before = await teachers.inputValue();
    await teachers.fill('三十');
    await page.locator('[data-testid="hard-problems"] li[data-cell="teachers.fulltime"]').waitFor();
    expect(await teachers.getAttribute('aria-invalid')).toBe('true');
    await teachers.fill(before);
    await page.locator('[data-testid="hard-problems"]').waitFor({ state: 'detached' });

    await page.locator('textarea[data-comment="entrants.g1"]').fill('开学后 7 名学生转出，招生数按入学时统计');
    expect(await problem.getByTestId('explained').getAttribute('data-explained')).toBe('true');

    await page.getByTestId('save-draft').click();
    await page.getByTestId('ws-message').waitFor();
    expect(await page.getByTestId('submission-state').getAttribute('data-state')).toBe('draft');
    // The server's own comparisons (last year, similar schools) may add soft problems: explain any it found.
    for (const box of await page.locator('textarea[data-comment]').all()) {
      if ((await box.inputValue()) === '') await box.fill('已核实，数据属实');
    }
    await page.locator('[data-signoff="preparer"]').fill('张填报');
    await page.locator('[data-signoff="reviewer"]').fill('李审核');
    await page.locator('[data-signoff="head"]').fill('王校长');
    await page.screenshot({ path: join(shotDir, 'workspace-school-form.png'), fullPage: true });
    expect(await page.getByTestId('submit').isDisabled()).toBe(false);
    await page.getByTestId('submit').click();
    await page.locator('[data-testid="submission-state"][data-state="submitted"]').waitFor();
    await page.locator('[data-testid="history"] tr[data-action="submission.submit"]').waitFor();

    const row = await server.store.db.selectFrom('submission').selectAll().where('org_code', '=', school.code).where('year', '=', YEAR).executeTakeFirstOrThrow();
    submissionId = row.id;
    expect(row.state).toBe('submitted');
    expect((row.entries as Record<string, number>)['entrants.g1']).toBe(entrants);
    expect((row.comments as Record<string, string>)['entrants.g1']).toMatch(/转出/);
    expect(row.signoffs).toEqual({ preparer: '张填报', reviewer: '李审核', head: '王校长' });

    // English toggle: the same page, the form's English names.
    await page.getByTestId('lang-toggle').click();
    expect(await page.locator('main h1').innerText()).toContain(form.name_en);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    // Reflow (WCAG 1.4.10): the form on a 390 px phone, in the longer language, never scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(shotDir, 'workspace-school-phone-en.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.getByTestId('lang-toggle').click();
  }, 240_000);

  it('school: another school\'s form does not open (the API refuses, the UI says so)', async () => {
    await page.goto(`${server.url}/workspace/schools/${otherSchool}/annual.primary/${YEAR}`);
    const denied = page.getByTestId('ws-denied');
    await denied.waitFor();
    expect(await denied.innerText()).toMatch(/不在您的管理范围内.*E_(FORBIDDEN|NOT_FOUND)/s);
    expect(await page.getByTestId('school-form').count()).toBe(0);
    await page.screenshot({ path: join(shotDir, 'workspace-denied.png') });
    await page.goto(`${server.url}/workspace?year=${YEAR}`);
    await page.getByTestId('ws-user').waitFor();
    await signOut();
  }, 120_000);

  it('district: sees its school\'s submission with the explanation, approves; the value becomes the school\'s data', async () => {
    await signIn('demo-district');
    const row = page.locator(`[data-testid="review-list"] tr[data-org="${school.code}"]`);
    await row.waitFor();
    expect(await row.getByTestId('submission-state').getAttribute('data-state')).toBe('submitted');
    await row.getByTestId('open-submission').click();
    await page.getByTestId('review-actions').waitFor();
    const cell = page.locator('[data-testid="values"] tr[data-code="entrants.g1"]');
    const g1 = (stored['enrol.g1.m'] ?? 0) + (stored['enrol.g1.f'] ?? 0);
    expect(await cell.locator('[data-col="value"]').innerText()).toBe(String(g1 + 7));
    expect(await cell.locator('[data-col="comment"]').innerText()).toMatch(/转出/);
    expect(await page.locator('[data-testid="soft-problems"] li[data-rule="entrants_le_g1"] [data-testid="explained"]').getAttribute('data-explained')).toBe('true');
    await page.screenshot({ path: join(shotDir, 'workspace-district-review.png') });
    // Returning needs a reason: the UI says so and sends nothing.
    await page.getByTestId('return').click();
    await page.getByTestId('ws-error').waitFor();
    await page.getByTestId('approve').click();
    await page.locator('[data-testid="submission-state"][data-state="approved"]').waitFor();
    const dv = await server.store.db.selectFrom('data_value').select(['value', 'source']).where('org_code', '=', school.code).where('year', '=', YEAR).where('element', '=', 'entrants.g1').executeTakeFirstOrThrow();
    expect(dv).toEqual({ value: g1 + 7, source: `submission:${submissionId}` });
    await signOut();
  }, 120_000);

  it('city: completeness counts the approval, locks the submission from the list', async () => {
    await signIn('demo-city');
    const progressRow = page.locator(`[data-testid="city-progress"] tr[data-district="${school.district}"][data-form="annual.${school.type}"]`);
    await progressRow.waitFor();
    expect(Number(await progressRow.locator('[data-col="approved"]').innerText())).toBe(1);
    const row = page.locator(`[data-testid="to-lock"] tr[data-org="${school.code}"]`);
    await row.waitFor();
    await page.screenshot({ path: join(shotDir, 'workspace-city.png'), fullPage: true });
    await row.getByTestId('lock').click();
    await page.getByTestId('ws-done').waitFor();
    await page.locator(`[data-testid="city-progress"] tr[data-district="${school.district}"][data-form="annual.${school.type}"] [data-col="locked"]`).filter({ hasText: '1' }).waitFor();
    const sub = await server.store.db.selectFrom('submission').select('state').where('id', '=', submissionId).executeTakeFirstOrThrow();
    expect(sub.state).toBe('locked');
    // The locked submission shows as such, with reopen (needs a reason) offered to the city.
    await page.goto(`${server.url}/workspace/submissions/${submissionId}`);
    await page.locator('[data-testid="submission-state"][data-state="locked"]').waitFor();
    expect(await page.getByTestId('reopen').count()).toBe(1);

    // Idle timeout: a session unused for more than 30 minutes ends; the next action brings
    // the sign-in form back with the message, and nothing was changed.
    await server.store.db.updateTable('auth_session').set({ last_seen_at: new Date(FIXED_NOW.getTime() - 31 * 60_000) }).execute();
    await page.getByTestId('reason').fill('核查数据');
    await page.getByTestId('reopen').click();
    await page.getByTestId('idle-message').waitFor();
    await page.getByTestId('sign-in-form').waitFor();
    expect((await server.store.db.selectFrom('submission').select('state').where('id', '=', submissionId).executeTakeFirstOrThrow()).state).toBe('locked');
    const dv = await server.store.db.selectFrom('data_value').select('source').where('org_code', '=', school.code).where('year', '=', YEAR).where('element', '=', 'entrants.g1').executeTakeFirstOrThrow();
    expect(dv.source).toBe(`submission:${submissionId}`);
  }, 120_000);

  it('a new reviewer: password, then the one-time code, then the forced password change, then the workspace', async () => {
    await page.goto(`${server.url}/workspace?year=${YEAR}`);
    await page.getByTestId('sign-in-form').waitFor();
    await page.locator('input[name="username"]').fill('new-reviewer');
    await page.locator('input[name="password"]').fill('Temp-Passw0rd-x1');
    await page.locator('[data-testid="sign-in-form"] button[type="submit"]').click();
    await page.getByTestId('totp-form').waitFor();
    // A wrong code is refused with the API's message; the right one (server clock) goes through.
    await page.locator('input[name="code"]').fill('000000');
    await page.locator('[data-testid="totp-form"] button[type="submit"]').click();
    await page.locator('[data-testid="totp-form"] [data-testid="ws-error"]').waitFor();
    await page.locator('input[name="code"]').fill(totp(hmacSha1, base32Decode(TOTP_SECRET), FIXED_NOW));
    await page.locator('[data-testid="totp-form"] button[type="submit"]').click();
    const form = page.getByTestId('password-form');
    await form.waitFor();
    const inputs = form.locator('input');
    await inputs.nth(0).fill('Temp-Passw0rd-x1');
    await inputs.nth(1).fill('Quartz-Lamp-8841');
    await inputs.nth(2).fill('Quartz-Lamp-8841');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('ws-user').waitFor();
    expect(await page.getByTestId('ws-user').innerText()).toBe('new-reviewer');
    await page.locator('[data-testid="review-list"], [data-testid="review-list-empty"]').first().waitFor();
    const acct = await server.store.db.selectFrom('account').select('must_change_password').where('username', '=', 'new-reviewer').executeTakeFirstOrThrow();
    expect(acct.must_change_password).toBe(false);
  }, 120_000);

  it('a new account: its user activates it from the sign-in page with the token and signs in with their own password', async () => {
    const db = server.store.db;
    const sec = await insertAccount(db, FIXED_NOW, { username: 'sec-browser', password: 'Sec-Passw0rd-x1', grants: [{ role: 'security_admin', orgCode: '120000' }], scrypt: { N: 2 ** 10, r: 8, p: 1 } });
    const actor = { account: { id: sec, username: 'sec-browser', displayName: 'sec-browser', grants: await grantsOf(db, sec), mfaDone: true, mustChangePassword: false, sessionHash: 'x' }, ip: '127.0.0.1' };
    const created = await createAccount({ store: server.store, clock: () => new Date(FIXED_NOW) }, actor, { username: 'new-teacher', grants: [{ role: 'school_reporter', orgCode: school.code }] });
    await page.goto(`${server.url}/workspace?year=${YEAR}`);
    // Decide only once the page knows whether the session of the test before is still open:
    // counting the sign-out button before the first render found none, and the page then came
    // up signed in, without the activation link.
    await page.locator('[data-testid="sign-out"], [data-testid="sign-in-form"]').first().waitFor();
    const signedIn = page.getByTestId('sign-out');
    if (await signedIn.count() > 0) await signOut();
    await page.getByTestId('activate-link').click();
    const form = page.getByTestId('activate-form');
    await form.waitFor();
    const inputs = form.locator('input');
    await inputs.nth(0).fill(created.activation.token);
    await inputs.nth(1).fill('Willow-Creek-5521');
    await inputs.nth(2).fill('Willow-Creek-5521');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('activated').waitFor();
    await page.locator('input[name="username"]').fill('new-teacher');
    await page.locator('input[name="password"]').fill('Willow-Creek-5521');
    await page.locator('[data-testid="sign-in-form"] button[type="submit"]').click();
    await page.getByTestId('ws-user').waitFor();
    expect(await page.getByTestId('ws-user').innerText()).toBe('new-teacher');
  }, 120_000);
});
