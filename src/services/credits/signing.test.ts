import { generateKeyPairSync } from 'node:crypto';
import { compactVerify, createLocalJWKSet } from 'jose';
import { describe, expect, it } from 'vitest';
import { signCompact, signerFromPem, verifyCompact } from './signing.ts';

const pem = (kind: 'ed25519' | 'ec') => (kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe.each([['ed25519', 'EdDSA'], ['ec', 'ES256']] as const)('compact JWS with %s keys', (kind, alg) => {
  const signer = signerFromPem(pem(kind));
  const jws = signCompact(signer, { type: ['VerifiableCredential'], n: 1 });

  it(`signs as ${alg} with the VC-JOSE header, verifiable by jose and by eduplan`, async () => {
    const { protectedHeader } = await compactVerify(jws, createLocalJWKSet({ keys: [{ ...signer.publicJwk }] }));
    expect(protectedHeader).toEqual({ alg, kid: signer.kid, typ: 'vc+jwt', cty: 'vc' });
    expect(verifyCompact(jws, [signer.publicJwk])).toMatchObject({ ok: true, payload: { n: 1 } });
  });

  it('refuses another key, a changed payload and a key not in the set', () => {
    const other = signerFromPem(pem(kind));
    const [h, , s] = jws.split('.');
    const changed = `${h}.${Buffer.from(JSON.stringify({ type: ['VerifiableCredential'], n: 2 })).toString('base64url')}.${s}`;
    expect(verifyCompact(changed, [signer.publicJwk])).toMatchObject({ ok: false, reason: 'bad_signature' });
    expect(verifyCompact(jws, [other.publicJwk])).toMatchObject({ ok: false, reason: 'unknown_key' });
    expect(verifyCompact(jws, [{ ...other.publicJwk, kid: signer.kid }])).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

it('refuses a key that is neither Ed25519 nor P-256', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  expect(() => signerFromPem(rsa)).toThrow(/neither Ed25519 nor P-256/);
  expect(() => signerFromPem('not a key')).toThrow();
});
