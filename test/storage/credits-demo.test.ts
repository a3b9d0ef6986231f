/**
 * The credit bank's demo data loads through the ordinary use cases: every outcome gets a
 * credential, the capped rule recognises the first certificate of a year and refuses a second
 * one, one credential is revoked — and the same seed gives the same demo.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CODE, districts } from '../../src/core/org/districts.ts';
import { DEMO_REFUSAL, demoCredits } from '../../src/demo/credits.ts';
import { computeCreditStats } from '../../src/services/credits/statistics.ts';
import { creditDeps } from '../../src/services/credits/deps.ts';
import { loadCreditDemo } from '../../src/services/credits/demo.ts';
import { verifyCredential } from '../../src/services/credits/bank.ts';
import type { Store } from '../../src/store/store.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';

describe('credit bank demo', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openPgliteFromTemplate();
    const unit = (code: string, level: 'city' | 'district', parent: string | null) => ({ code, name_zh: code, name_en: '', level, parent_code: parent, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null });
    await store.db.insertInto('org_unit').values([unit(CITY_CODE, 'city', null), ...districts.map((d) => unit(d.code, 'district', CITY_CODE))]).execute();
  });
  afterAll(async () => store?.close());

  it('is the same for the same seed', () => {
    expect(JSON.stringify(demoCredits(2021))).toBe(JSON.stringify(demoCredits(2021)));
    expect(JSON.stringify(demoCredits(2021))).not.toBe(JSON.stringify(demoCredits(7)));
  });

  it('loads outcomes, recognitions, refusals under the cap and a revocation', async () => {
    const demo = demoCredits(2021);
    const deps = creditDeps(store, () => new Date('2025-01-01T00:00:00Z'), { keyPem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicUrl: 'http://localhost:3000', pseudonymKey: 'demo-test-pseudonym-key' });
    const s = await loadCreditDemo(deps, { system: 'demo' }, demo);
    expect(s.outcomes).toBe(demo.outcomes.length);
    expect(s.recognised + s.refused).toBe(demo.applications.length);
    const seconds = demo.applications.filter((a) => demo.outcomes[a.outcome]?.achievement.description === '1+X 证书（补考）').length;
    expect(seconds).toBeGreaterThan(0);
    // Every second certificate of a year meets the annual cap; reviewers refuse some MOOC certificates with a reason of their own.
    expect(s.refusedByCap).toBe(seconds);
    const byReviewer = demo.applications.filter((a) => a.decide === 'refuse');
    expect(byReviewer.length).toBeGreaterThan(0);
    expect(s.refused).toBe(seconds + byReviewer.length);
    const reasons = await store.db.selectFrom('credit_recognition').select('reason').where('state', '=', 'refused').execute();
    expect(reasons.filter((r) => r.reason === DEMO_REFUSAL)).toHaveLength(byReviewer.length);
    expect(reasons.filter((r) => r.reason?.includes('每年最多 6'))).toHaveLength(seconds);
    // Some statistics cells reach 10 learners and carry numbers; the others are withheld.
    const stats = await computeCreditStats(store.db);
    expect(stats.rows.some((r) => !r.suppressed && (r.learners ?? 0) >= 10)).toBe(true);
    expect(stats.rows.some((r) => r.suppressed)).toBe(true);
    const creds = await store.db.selectFrom('credit_credential').select(['jws', 'revoked_at']).execute();
    expect(creds.length).toBe(demo.outcomes.length + s.recognised);
    const results = await Promise.all(creds.map((c) => verifyCredential(deps, c.jws)));
    expect(results.filter((r) => r.result === 'revoked').length).toBe(1);
    expect(results.filter((r) => r.result === 'valid').length).toBe(creds.length - 1);
  });
});
