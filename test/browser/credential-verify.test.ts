/**
 * The public credential verification page in headless Chromium against a real server: a
 * credential pasted in says valid; after revocation the same credential says revoked; a
 * tampered one says invalid with the reason. No sign-in.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { registerInstitution, registerOutcome, revokeCredential } from '../../src/services/credits/bank.ts';
import { creditDeps } from '../../src/services/credits/deps.ts';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import type { Store } from '../../src/store/store.ts';
import { haveChromium, openBrowser, type BrowserSession } from '../helpers/chromium.ts';
import { buildPortal } from '../helpers/portal-server.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';

const shotDir = join(process.cwd(), 'dist', 'screenshots');

describe.skipIf(!haveChromium)('credential verification page in Chromium', () => {
  let store: Store;
  let app: FastifyInstance;
  let browser: BrowserSession;
  let url = '';
  let webDir = '';
  let jws = '';
  let credentialId = '';
  const clock = () => new Date('2025-01-01T00:00:00Z');
  const keyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  /** The issuer id the server signs and verifies as (its EDUPLAN_PUBLIC_URL); the services used to issue here share it. */
  const ISSUER = 'http://127.0.0.1';
  const deps = () => creditDeps(store, clock, { keyPem, publicUrl: ISSUER, pseudonymKey: 'browser-test-pseudonym-key' });

  beforeAll(async () => {
    webDir = await buildPortal(mkdtempSync(join(tmpdir(), 'eduplan-verify-web-')));
    store = await openPgliteFromTemplate();
    await store.db.insertInto('org_unit').values({ code: '120000', name_zh: '天津市', name_en: 'Tianjin', level: 'city', parent_code: null, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null }).execute();
    app = await buildApp({ store, clock, config: { demo: true, pseudonymKey: 'browser-test-pseudonym-key', maxUploadBytes: 1 << 20, webDir, credential: { keyPem, publicUrl: ISSUER } } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    await registerInstitution(deps(), { system: 'cli' }, { code: 'TJOU000001', name_zh: '天津开放大学', kind: 'open_university', org_code: '120000' });
    const first17 = '12010119800101123';
    const issued = await registerOutcome(deps(), { system: 'cli' }, { learner_id_number: `${first17}${idCheckChar(first17)}`, learner_name: '测试', issuer_org_code: 'TJOU000001', issued_on: '2024-05-01', achievement: { name: '家庭教育指导', credits: 2, level: 3 } });
    jws = issued.jws;
    credentialId = issued.credential_id;
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

  async function verify(text: string): Promise<string | null> {
    const page = browser.page;
    await page.goto(`${url}/credentials/verify`);
    await page.locator('#credential-text').fill(text);
    await page.getByRole('button', { name: /验证|Verify/ }).click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    return result.getAttribute('data-result');
  }

  it('says valid, then revoked after revocation, and invalid for a tampered credential', async () => {
    expect(await verify(jws)).toBe('valid');
    expect(await browser.page.getByTestId('verify-result').textContent()).toContain('家庭教育指导');
    await browser.page.screenshot({ path: join(shotDir, 'credential-verify-valid.png'), fullPage: true });
    await revokeCredential(deps(), { system: 'cli' }, { credential_id: credentialId, reason: 'test' });
    expect(await verify(jws)).toBe('revoked');
    const [h, p, s] = jws.split('.') as [string, string, string];
    expect(await verify(`${h}.${p.slice(0, -4)}AAAA.${s}`)).toBe('invalid');
    expect(browser.cspViolations).toEqual([]);
  }, 120_000);
});
