/**
 * The credit bank through the whole server (headers, rate limits, the SPA fallback): the JWKS
 * is served at /.well-known/jwks.json, verification is public, registering an outcome needs a
 * session, and a server without a signing key says so (E_CONFIG) rather than failing.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { openPgliteFromTemplate } from '../helpers/stores.ts';

describe('credit bank over HTTP', () => {
  let store: Store;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    store = await openPgliteFromTemplate();
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
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

  it('without a signing key answers E_CONFIG naming the variable', async () => {
    const r = await bare.inject({ url: '/.well-known/jwks.json' });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toMatchObject({ error: { code: 'E_CONFIG', detail: expect.stringContaining('EDUPLAN_CREDENTIAL_KEY_FILE') } });
  });
});
