/**
 * Signing and checking compact JWS with node:crypto (VC-JOSE-COSE §3.1.1: the credential is
 * the payload, `typ` vc+jwt, `cty` vc). Ed25519 (`alg` EdDSA, RFC 8037) or P-256 (`alg` ES256,
 * RFC 7518 §3.4: the signature is R‖S, 64 bytes, not DER). Keys are identified by their
 * RFC 7638 JWK thumbprint, the `kid` in the header and in the published JWKS.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { EduplanError } from '../../core/errors.ts';

export interface PublicJwk {
  readonly kty: 'OKP' | 'EC';
  readonly crv: 'Ed25519' | 'P-256';
  readonly x: string;
  readonly y?: string;
  readonly kid: string;
  readonly alg: 'EdDSA' | 'ES256';
  readonly use: 'sig';
}

export interface CredentialSigner {
  readonly kid: string;
  readonly alg: 'EdDSA' | 'ES256';
  readonly publicJwk: PublicJwk;
  sign(data: Buffer): Buffer;
}

const b64u = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
function thumbprint(jwk: { kty: string; crv?: string; x?: string; y?: string }): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return b64u(createHash('sha256').update(JSON.stringify(members)).digest());
}

function publicJwkOf(key: KeyObject): PublicJwk {
  const jwk = key.export({ format: 'jwk' }) as { kty: string; crv?: string; x?: string; y?: string };
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && jwk.x) {
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: thumbprint(jwk), alg: 'EdDSA', use: 'sig' };
  }
  if (jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.x && jwk.y) {
    return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: thumbprint(jwk), alg: 'ES256', use: 'sig' };
  }
  throw new EduplanError('E_CREDENTIAL_KEY', { detail: `key type ${jwk.kty}/${jwk.crv ?? '?'} is neither Ed25519 nor P-256` });
}

/** A signer from a PEM private key (PKCS#8). */
export function signerFromPem(pem: string): CredentialSigner {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new EduplanError('E_CREDENTIAL_KEY', { detail: err instanceof Error ? err.message : String(err) });
  }
  const publicJwk = publicJwkOf(createPublicKey(key));
  const es = publicJwk.alg === 'ES256';
  return {
    kid: publicJwk.kid,
    alg: publicJwk.alg,
    publicJwk,
    sign: (data) => (es ? sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }) : sign(null, data, key)),
  };
}

/** Sign `payload` (a credential) as a compact JWS with the VC-JOSE header. */
export function signCompact(signer: CredentialSigner, payload: unknown): string {
  const header = { alg: signer.alg, kid: signer.kid, typ: 'vc+jwt', cty: 'vc' };
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(signer.sign(Buffer.from(input, 'ascii')))}`;
}

export type CompactCheck =
  | { readonly ok: true; readonly header: Record<string, unknown>; readonly payload: Record<string, unknown> }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown_key' | 'bad_signature'; readonly zh: string; readonly en: string };

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Check a compact JWS against a key set: format, a known `kid` with a matching `alg`, and the signature. */
export function verifyCompact(jws: string, keys: readonly PublicJwk[]): CompactCheck {
  const parts = jws.trim().split('.');
  const b64 = /^[A-Za-z0-9_-]+$/;
  if (parts.length !== 3 || !parts.every((p) => b64.test(p))) {
    return { ok: false, reason: 'malformed', zh: '不是完整的紧凑 JWS（应为以点分隔的三段 base64url）', en: 'not a complete compact JWS (three dot-separated base64url parts)' };
  }
  const [h, p, s] = parts as [string, string, string];
  const header = parseJson(h);
  const payload = parseJson(p);
  if (!header || !payload) return { ok: false, reason: 'malformed', zh: 'JWS 头或内容不是 JSON 对象', en: 'the JWS header or payload is not a JSON object' };
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return { ok: false, reason: 'unknown_key', zh: `签名密钥 ${String(header.kid)} 不在本学分银行公布的密钥集中`, en: `signing key ${String(header.kid)} is not in this credit bank's published key set` };
  if (header.alg !== jwk.alg) return { ok: false, reason: 'bad_signature', zh: `算法 ${String(header.alg)} 与密钥不符`, en: `algorithm ${String(header.alg)} does not match the key` };
  const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
  const data = Buffer.from(`${h}.${p}`, 'ascii');
  const sig = Buffer.from(s, 'base64url');
  const good = jwk.alg === 'ES256' ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig) : verify(null, data, key, sig);
  if (!good) return { ok: false, reason: 'bad_signature', zh: '签名不正确（内容被改动或非本学分银行签发）', en: 'the signature does not match (altered, or not signed by this credit bank)' };
  return { ok: true, header, payload };
}
