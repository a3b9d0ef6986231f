/**
 * The credit bank's workspace lists and its public statistics, on every backend:
 * - an officer sees only its own institution's outcomes (and no learner identity), a
 *   district reviewer reads the institutions under its district without acting for them;
 * - the public statistics are released figures: nothing before a release, the release's
 *   copy (withheld cells without numbers) after it, unchanged by later data until the next
 *   release of the year.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import type { Actor } from '../../src/services/deps.ts';
import { applyRecognition, decideRecognition, defineRule, listInstitutions, listOutcomes, registerInstitution, registerOutcome, type CreditDeps } from '../../src/services/credits/bank.ts';
import { creditDeps } from '../../src/services/credits/deps.ts';
import { publishedCreditStatistics } from '../../src/services/credits/statistics.ts';
import { createRelease } from '../../src/services/releases.ts';
import { recomputeIndicators } from '../../src/services/indicators.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';
import { A, CITY, loadFixture, loadFixturePlan } from './indicators.fixture.ts';

const system = { system: 'cli' } as const;
const keyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A distinct valid ID number per learner (birth dates 1980-01-01 on). */
const learnerId = (n: number): string => {
  const first17 = `120101198001${String((n % 28) + 1).padStart(2, '0')}${String(100 + n).padStart(3, '0')}`;
  return `${first17}${idCheckChar(first17)}`;
};
function actor(role: 'credit_officer' | 'district_reviewer', orgCode: string, id: number): Actor {
  return { account: { id, username: `${role}${id}`, displayName: 'x', grants: [{ role, orgCode }], mfaDone: true, mustChangePassword: false, sessionHash: '' }, ip: '127.0.0.1' };
}
const outcome = (n: number, inst: string, kind: string, issuedOn: string) => ({
  learner_id_number: learnerId(n), learner_name: `学员${n}`, issuer_org_code: inst, issued_on: issuedOn,
  achievement: { code: 'CERT-1', name: '社区课程结业', kind, credits: 2, level: 2 },
});

describe.each(backends)('credit bank workspace lists and released statistics on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let deps: CreditDeps;
  const clock = () => new Date('2024-09-01T08:00:00Z');
  beforeAll(async () => {
    store = await backend.open();
    await loadFixture(store);
    await loadFixturePlan(store);
    await recomputeIndicators(store, { balancedVerdicts: async () => null });
    deps = creditDeps(store, clock, { keyPem, publicUrl: 'https://credits.example.cn', pseudonymKey: 'released-test-key' });
    await registerInstitution(deps, system, { code: 'HPCS000001', name_zh: '和平区社区学院', kind: 'community_school', org_code: A });
    await registerInstitution(deps, system, { code: 'TJOU000001', name_zh: '天津开放大学', kind: 'open_university', org_code: CITY });
  }, 300_000);
  afterAll(async () => store?.dispose());

  it('an officer lists its own institution and outcomes only, without learner identity; a district reviewer reads but does not act', async () => {
    await registerOutcome(deps, system, outcome(500, 'HPCS000001', 'non_formal', '2022-05-01'));
    await registerOutcome(deps, system, outcome(501, 'TJOU000001', 'mooc', '2022-05-01'));
    const district = actor('credit_officer', A, 11);
    const insts = await listInstitutions(deps, district);
    expect(insts.map((i) => i.code)).toEqual(['HPCS000001']);
    expect(insts[0]).toMatchObject({ may_register: true, may_review: true });
    const mine = await listOutcomes(deps, district);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((o) => o.institution_code))).toEqual(new Set(['HPCS000001']));
    expect(mine[0]?.credential_id).toMatch(/^urn:uuid:/);
    // Nothing about the learner: not the ID number, not the name, not the pseudonym or subject id.
    const text = JSON.stringify(mine);
    expect(text).not.toContain(learnerId(500));
    expect(text).not.toContain('学员500');
    expect(Object.keys(mine[0] ?? {}).sort()).toEqual(['achievement_code', 'credential_id', 'credits', 'id', 'institution_code', 'issued_on', 'kind', 'level', 'name', 'revoked']);
    const reviewer = actor('district_reviewer', A, 12);
    expect(await listInstitutions(deps, reviewer)).toEqual([expect.objectContaining({ code: 'HPCS000001', may_register: false, may_review: false })]);
    const city = actor('credit_officer', CITY, 13);
    expect((await listInstitutions(deps, city)).map((i) => i.code).sort()).toEqual(['HPCS000001', 'TJOU000001']);
    expect(new Set((await listOutcomes(deps, city)).map((o) => o.institution_code))).toEqual(new Set(['HPCS000001', 'TJOU000001']));
  });

  it('publishes only what a release copied: withheld cells without numbers, later data only with the next release', async () => {
    // 2023: 12 learners at the district's community school (published), 3 MOOC learners at the open university (withheld).
    for (let n = 0; n < 12; n++) await registerOutcome(deps, system, outcome(n, 'HPCS000001', 'non_formal', '2023-04-01'));
    for (let n = 20; n < 23; n++) await registerOutcome(deps, system, outcome(n, 'TJOU000001', 'mooc', '2023-04-01'));
    await defineRule(deps, system, { code: 'OU-CS', source_kind: 'non_formal', achievement_code: 'CERT-1', receiving_code: 'TJOU000001', target_programme: '社区管理（专科）', target_course: '社区教育概论', credits: 1, annual_cap: null, source_cap: null, valid_from: '2020-01-01', source: '测试规则' });
    const o = await listOutcomes(deps, system);
    const first = o.find((x) => x.institution_code === 'HPCS000001' && x.issued_on.startsWith('2023'));
    const app = await applyRecognition(deps, system, { outcome_id: first?.id ?? 0, rule_code: 'OU-CS', applied_on: '2023-06-01' });
    await decideRecognition(deps, system, { recognition_id: app.id, decision: 'recognise' });

    expect((await publishedCreditStatistics(store)).years).toEqual([]);
    await createRelease({ store, clock }, system, { year: 2023, note: 'test', override_reason: 'test fixture: no submissions' });
    const after = await publishedCreditStatistics(store);
    expect(after.years.map((y) => y.year)).toEqual([2023]);
    const y2023 = after.years[0];
    expect(y2023?.release).toMatchObject({ year: 2023, version: 1 });
    expect(y2023?.rows.find((r) => r.district_code === A && r.source_kind === 'non_formal')).toMatchObject({ suppressed: false, learners: 12, credits_accumulated: 24, credits_recognised: 0 });
    expect(y2023?.rows.find((r) => r.district_code === CITY && r.source_kind === 'mooc')).toEqual({ year: 2023, district_code: CITY, source_kind: 'mooc', suppressed: true, learners: null, credits_accumulated: null, credits_recognised: null });
    // The one recognition (at the city-level open university) is a cell of one learner: withheld.
    expect(y2023?.rows.find((r) => r.district_code === CITY && r.source_kind === 'non_formal')).toMatchObject({ suppressed: true, credits_recognised: null });

    // New data changes nothing public until the year is released again.
    await registerOutcome(deps, system, outcome(12, 'HPCS000001', 'non_formal', '2023-10-01'));
    expect(await publishedCreditStatistics(store)).toEqual(after);
    await createRelease({ store, clock }, system, { year: 2023, note: 'test v2', override_reason: 'test fixture: no submissions' });
    const again = await publishedCreditStatistics(store);
    expect(again.years[0]?.release.version).toBe(2);
    expect(again.years[0]?.rows.find((r) => r.district_code === A && r.source_kind === 'non_formal')).toMatchObject({ learners: 13, credits_accumulated: 26 });
  });
});
