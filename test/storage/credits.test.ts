/**
 * The credit bank on every backend: the recognition workflow under versioned conversion
 * rules with caps (issue 18: a rule's annual cap refuses the recognition that would exceed
 * it, with a clear reason), scope (an institution's officer acts only at its own institution),
 * the status list over HTTP read with a plain JOSE library, and the learner's one-time code.
 */
import { generateKeyPairSync } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import type { Actor } from '../../src/services/deps.ts';
import {
  applyRecognition, decideRecognition, defineRule, issueLearnerCode, learnerSignIn, listRecognitions, readLearnerRecord, registerInstitution, registerOutcome, revokeCredential, type CreditDeps,
} from '../../src/services/credits/bank.ts';
import { creditDeps } from '../../src/services/credits/deps.ts';
import creditRoutes from '../../src/server/routes/credits.ts';
import type { ServerDeps } from '../../src/server/deps.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

const system = { system: 'cli' } as const;
const idOf = (first17: string): string => `${first17}${idCheckChar(first17)}`;
const learnerA = idOf('12010219700101002');
const learnerB = idOf('12010319650202003');
const keyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicUrl = 'https://credits.example.cn';

/** An officer of one institution, as the session layer hands it to services. */
function officerAt(orgCode: string, id: number): Actor {
  return { account: { id, username: `officer${id}`, displayName: 'o', grants: [{ role: 'credit_officer', orgCode }], mfaDone: true, mustChangePassword: false, sessionHash: '' }, ip: '127.0.0.1' };
}

const outcome = (id: string, code: string, kind: string, credits: number, issuedOn: string) => ({
  learner_id_number: id, learner_name: '王建国', issuer_org_code: 'VC0001',
  achievement: { code, name: `证书 ${code}`, kind, credits, level: 3 }, issued_on: issuedOn,
});

describe.each(backends)('credit bank on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let deps: CreditDeps;
  beforeAll(async () => {
    store = await backend.open();
    deps = creditDeps(store, () => new Date('2024-09-01T08:00:00Z'), { keyPem, publicUrl, pseudonymKey: 'storage-test-pseudonym-key' });
    const unit = (code: string, level: 'city' | 'district' | 'school', parent: string | null) => ({ code, name_zh: code, name_en: '', level, parent_code: parent, school_type: level === 'school' ? 'higher_ed' : null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null });
    await store.db.insertInto('org_unit').values([unit('120000', 'city', null), unit('120101', 'district', '120000'), unit('120102', 'district', '120000'), unit('1201010001', 'school', '120101')]).execute();
    await registerInstitution(deps, system, { code: 'VC0001', name_zh: '天津某职业技术学院', kind: 'vocational_college', org_code: '1201010001' });
    await registerInstitution(deps, system, { code: 'OU0001', name_zh: '天津开放大学', kind: 'open_university', org_code: '120102' });
  });
  afterAll(async () => store?.dispose());

  it('recognises within the annual cap and refuses, with the cap named, the one that would exceed it', async () => {
    const rule = await defineRule(deps, system, {
      code: 'OU-1X-WEB', source_kind: 'vocational_certificate', achievement_code: 'X-WEB-3', receiving_code: 'OU0001', target_programme: '计算机应用技术（专科）',
      target_course: '网页设计', credits: 4, annual_cap: 6, source_cap: null, valid_from: '2024-01-01', source: '天津开放大学学分认定办法（演示）',
    });
    expect(rule.version).toBe(1);
    const o1 = await registerOutcome(deps, system, outcome(learnerA, 'X-WEB-3', 'vocational_certificate', 4, '2024-05-01'));
    const o2 = await registerOutcome(deps, system, outcome(learnerA, 'X-WEB-3', 'vocational_certificate', 4, '2024-06-01'));
    const receiving = officerAt('120102', 2);
    const a1 = await applyRecognition(deps, system, { outcome_id: o1.outcome_id, rule_code: 'OU-1X-WEB', applied_on: '2024-07-01' });
    expect(a1).toMatchObject({ state: 'applied', rule_version: 1, credits: 4, year: 2024 });
    const d1 = await decideRecognition(deps, receiving, { recognition_id: a1.id, decision: 'recognise' });
    expect(d1.state).toBe('recognised');
    expect(d1.credential_id).toMatch(/^urn:uuid:/);

    const a2 = await applyRecognition(deps, system, { outcome_id: o2.outcome_id, rule_code: 'OU-1X-WEB', applied_on: '2024-08-01' });
    const refused = await decideRecognition(deps, receiving, { recognition_id: a2.id, decision: 'recognise' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EduplanError);
    const err = refused as EduplanError;
    expect(err.code).toBe('E_CREDIT_REFUSED');
    expect(err.problems[0]).toMatchObject({ rule: 'annual_cap' });
    expect(err.problems[0]?.message_en).toContain('4 credits from Vocational skills certificate outcomes already recognised at this institution in 2024, this one adds 4');
    expect(err.problems[0]?.message_en).toContain('at most 6 a year');
    expect(err.problems[0]?.message_zh).toContain('每年最多 6');
    // The reviewer records the refusal with that reason; the learner may apply again next year.
    const r2 = await decideRecognition(deps, receiving, { recognition_id: a2.id, decision: 'refuse', reason: err.problems[0]?.message_zh ?? '' });
    expect(r2).toMatchObject({ state: 'refused', credential_id: null });
    const a3 = await applyRecognition(deps, system, { outcome_id: o2.outcome_id, rule_code: 'OU-1X-WEB', applied_on: '2025-02-01' });
    expect((await decideRecognition(deps, receiving, { recognition_id: a3.id, decision: 'recognise' })).state).toBe('recognised');
  });

  it('a new rule version applies to new applications and never rewrites a past recognition', async () => {
    const v2 = await defineRule(deps, system, {
      code: 'OU-1X-WEB', source_kind: 'vocational_certificate', achievement_code: 'X-WEB-3', receiving_code: 'OU0001', target_programme: '计算机应用技术（专科）',
      target_course: '网页设计', credits: 3, annual_cap: 6, source_cap: null, valid_from: '2026-01-01', source: '天津开放大学学分认定办法（修订，演示）',
    });
    expect(v2.version).toBe(2);
    const past = (await listRecognitions(deps, system)).filter((r) => r.rule_code === 'OU-1X-WEB' && r.state === 'recognised');
    expect(past.map((r) => [r.rule_version, r.credits])).toEqual([[1, 4], [1, 4]]);
    const o = await registerOutcome(deps, system, outcome(learnerB, 'X-WEB-3', 'vocational_certificate', 4, '2026-01-10'));
    const a = await applyRecognition(deps, system, { outcome_id: o.outcome_id, rule_code: 'OU-1X-WEB', applied_on: '2026-02-01' });
    expect(a).toMatchObject({ rule_version: 2, credits: 3 });
  });

  it('an officer acts only at their own institution, and reads only its part of a record (audited)', async () => {
    const other = officerAt('120102', 3);
    const refused = await registerOutcome(deps, other, outcome(learnerA, 'C-1', 'academic_course', 2, '2024-03-01')).catch((e: unknown) => e);
    expect((refused as EduplanError).code).toBe('E_FORBIDDEN');
    const own = officerAt('1201010001', 4);
    const issued = await registerOutcome(deps, own, outcome(learnerA, 'C-1', 'academic_course', 2, '2024-03-01'));
    expect(issued.jws.split('.')).toHaveLength(3);
    const rec = await readLearnerRecord(deps, own, { learner_id_number: learnerA, institution_code: 'VC0001' });
    expect(rec.outcomes.every((o) => o.institution_code === 'VC0001')).toBe(true);
    expect(rec.recognitions).toEqual([]);
    const reads = await store.db.selectFrom('audit_event').select(['actor', 'action']).where('action', '=', 'credit.learner_record.read').execute();
    expect(reads).toContainEqual({ actor: 'officer4', action: 'credit.learner_record.read' });
  });

  it('a learner opens their whole record once with a one-time code, with a signed CLR transcript', async () => {
    const { code } = await issueLearnerCode(deps, officerAt('1201010001', 4), { learner_id_number: learnerA, institution_code: 'VC0001' });
    const t = await learnerSignIn(deps, { code, ip: null });
    expect(t.record.outcomes.length).toBe(3);
    expect(t.record.credits_recognised).toBe(8);
    const clr = JSON.parse(Buffer.from(t.clr_jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { type: string[]; credentialSubject: { id: string; verifiableCredential: unknown[] } };
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(clr.credentialSubject.id).toBe(t.record.subject_id);
    expect(clr.credentialSubject.verifiableCredential.length).toBe(t.record.credentials.length);
    await expect(learnerSignIn(deps, { code, ip: null })).rejects.toMatchObject({ code: 'E_AUTH_FAILED' });
  });

  it('serves the JWKS and a status list credential that jose verifies, with the revoked bit set', async () => {
    const app = Fastify();
    app.setErrorHandler((err, _req, reply) => (err instanceof EduplanError ? reply.status(err.status).send(err.toJSON()) : reply.status(500).send(err)));
    await creditRoutes(app, { store, clock: deps.clock, config: { demo: true, pseudonymKey: 'storage-test-pseudonym-key', maxUploadBytes: 1, credential: { keyPem, publicUrl } } } as ServerDeps);
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json() as JSONWebKeySet;
    const issued = await registerOutcome(deps, system, outcome(learnerB, 'M-9', 'mooc', 1, '2024-04-01'));
    const verifyBefore = (await app.inject({ method: 'POST', url: '/api/credits/verify', payload: { credential: issued.jws } })).json() as { result: string };
    expect(verifyBefore.result).toBe('valid');
    await revokeCredential(deps, system, { credential_id: issued.credential_id, reason: 'test' });
    const res = await app.inject({ method: 'GET', url: `/api/credits/status/${issued.status_list}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/vc+jwt');
    const { payload } = await jwtVerify(res.body, createLocalJWKSet(jwks));
    expect(payload.type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    const encoded = (payload.credentialSubject as { encodedList: string }).encodedList;
    expect(encoded.startsWith('u')).toBe(true);
    const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bits.length).toBe(16384);
    const bit = (i: number) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0;
    expect(bit(issued.status_index)).toBe(true);
    const set = [...Array(bits.length * 8).keys()].filter(bit);
    expect(set).toEqual([issued.status_index]);
    const verifyAfter = (await app.inject({ method: 'POST', url: '/api/credits/verify', payload: { credential: issued.jws } })).json() as { result: string };
    expect(verifyAfter.result).toBe('revoked');
    await app.close();
  });
});
