/**
 * The credit bank through the whole server (headers, rate limits, the SPA fallback): the JWKS
 * is served at /.well-known/jwks.json, verification is public, registering an outcome needs a
 * session, and a server without a signing key says so (E_CONFIG) rather than failing.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { idCheckChar } from '../../src/core/standards/id-number.ts';
import { registerInstitution, registerOutcome } from '../../src/services/credits/bank.ts';
import { creditDeps } from '../../src/services/credits/deps.ts';
import { signerFromPem } from '../../src/services/credits/signing.ts';
import type { Store } from '../../src/store/store.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';

describe('credit bank over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let keyPem = '';
  beforeAll(async () => {
    store = await openPgliteFromTemplate();
    keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = { demo: false, pseudonymKey: 'test-key-0123456789', maxUploadBytes: 1 << 20 };
    app = await buildApp({ store, clock: () => new Date('2025-01-01T00:00:00Z'), config: { ...config, credential: { keyPem, publicUrl: 'https://edu.example.cn' } } });
    bare = await buildApp({ store, clock: () => new Date('2025-01-01T00:00:00Z'), config });
  });
  afterAll(async () => { await app?.close(); await bare?.close(); await store?.close(); });

  it('serves the JWKS (a P-256 key here: ES256) as JSON, not the portal page', async () => {
    const r = await app.inject({ url: '/.well-known/jwks.json' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/json');
    const { keys } = r.json() as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]?.d).toBeUndefined();
  });

  it('verifies publicly: a string that is no credential is invalid, with the reason', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/credits/verify', payload: { credential: 'a.b' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ result: 'invalid', reason_en: expect.stringContaining('compact JWS') });
  });

  it('asks for a session to register an outcome', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/credits/outcomes', headers: { 'x-requested-with': 'eduplan' }, payload: {} });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error: { code: 'E_AUTH_REQUIRED' } });
  });

  it('serves a status list credential as application/vc+jwt through the whole server', async () => {
    await store.db.insertInto('org_unit').values({ code: '120000', name_zh: '天津市', name_en: '', level: 'city', parent_code: null, school_type: null, ownership: null, inclusive: null, urban_rural: null, opened: null, closed: null, contact_name: null, contact_phone: null }).execute();
    const deps = creditDeps(store, () => new Date('2025-01-01T00:00:00Z'), { keyPem, publicUrl: 'https://edu.example.cn', pseudonymKey: 'test-key-0123456789' });
    await registerInstitution(deps, { system: 'cli' }, { code: 'TJOU000001', name_zh: '天津开放大学', kind: 'open_university', org_code: '120000' });
    const first17 = '12010119800101123';
    const issued = await registerOutcome(deps, { system: 'cli' }, { learner_id_number: `${first17}${idCheckChar(first17)}`, learner_name: '测试', issuer_org_code: 'TJOU000001', issued_on: '2024-05-01', achievement: { name: '书法', credits: 1 } });
    const r = await app.inject({ url: `/api/credits/status/${issued.status_list}` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/vc+jwt');
    expect(r.body.split('.')).toHaveLength(3);
    const missing = await app.inject({ url: '/api/credits/status/99' });
    expect(missing.statusCode).toBe(404);
    const verified = await app.inject({ method: 'POST', url: '/api/credits/verify', payload: { credential: issued.jws } });
    expect(verified.json()).toMatchObject({ result: 'valid', credits: 1 });
  });

  it('without a signing key answers E_CONFIG naming the variable', async () => {
    const r = await bare.inject({ url: '/.well-known/jwks.json' });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toMatchObject({ error: { code: 'E_CONFIG', detail: expect.stringContaining('EDUPLAN_CREDENTIAL_KEY_FILE') } });
  });

  it('the workspace lists need a session; the released statistics are public and empty before any release', async () => {
    for (const url of ['/api/credits/institutions', '/api/credits/outcomes', '/api/credits/recognitions', '/api/credits/statistics']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(401);
      expect(r.json()).toMatchObject({ error: { code: 'E_AUTH_REQUIRED' } });
    }
    const pub = await app.inject({ url: '/api/credits/statistics/released' });
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toContain('application/json');
    expect(pub.json()).toEqual({ years: [] });
  });

  it('publishes retired keys after the current one, so credentials signed before a rotation verify', async () => {
    const oldPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const old = signerFromPem(oldPem);
    const rotated = await buildApp({ store, clock: () => new Date('2025-01-01T00:00:00Z'), config: { demo: false, pseudonymKey: 'test-key-0123456789', maxUploadBytes: 1 << 20, credential: { keyPem, publicUrl: 'https://edu.example.cn', retiredKeys: [old.publicJwk] } } });
    try {
      const { keys } = (await rotated.inject({ url: '/.well-known/jwks.json' })).json() as { keys: Array<Record<string, string>> };
      expect(keys.map((k) => k.kid)).toEqual([signerFromPem(keyPem).kid, old.kid]);
      // A credential the retired key signed (same issuer, same institution and status lists).
      const oldDeps = creditDeps(store, () => new Date('2025-01-01T00:00:00Z'), { keyPem: oldPem, publicUrl: 'https://edu.example.cn', pseudonymKey: 'test-key-0123456789' });
      const first17 = '12010119800101123';
      const issued = await registerOutcome(oldDeps, { system: 'cli' }, { learner_id_number: `${first17}${idCheckChar(first17)}`, learner_name: '测试', issuer_org_code: 'TJOU000001', issued_on: '2024-05-02', achievement: { name: '篆刻', credits: 1 } });
      expect((await rotated.inject({ method: 'POST', url: '/api/credits/verify', payload: { credential: issued.jws } })).json()).toMatchObject({ result: 'valid' });
      // Without the retired key the same credential names the unknown key.
      expect((await app.inject({ method: 'POST', url: '/api/credits/verify', payload: { credential: issued.jws } })).json()).toMatchObject({ result: 'invalid', reason_en: expect.stringContaining(old.kid) });
    } finally {
      await rotated.close();
    }
  });
});
