/**
 * Rotating the credential signing key (docs/credit-bank.md "Key rotation"). The new private
 * key replaces the old one in the key file; the old key's public half moves to the retired
 * key set beside it, which the JWKS keeps publishing, so credentials signed before the
 * rotation still verify (a verifier picks the key by the JWS `kid`). The retired private key
 * is not kept: nothing is signed with it again, and a key that no longer exists cannot leak.
 * The rotation is audited in the same transaction; the files are replaced atomically
 * (written under another name, then renamed) before it commits.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EduplanError } from '../../core/errors.ts';
import { appendAudit } from '../audit.ts';
import { callerId, callerIp, callerName, type Caller, type ServiceDeps } from '../deps.ts';
import { requireAction } from '../authorize.ts';
import { signerFromPem, type PublicJwk } from './signing.ts';

function isPublicJwk(v: unknown): v is PublicJwk {
  if (v === null || typeof v !== 'object') return false;
  const k = v as Record<string, unknown>;
  const ed = k.kty === 'OKP' && k.crv === 'Ed25519' && k.alg === 'EdDSA';
  const ec = k.kty === 'EC' && k.crv === 'P-256' && k.alg === 'ES256' && typeof k.y === 'string';
  return (ed || ec) && typeof k.x === 'string' && typeof k.kid === 'string' && k.use === 'sig' && !('d' in k);
}

/** The retired public keys in `path` (none when the file does not exist); E_CONFIG naming the file when it is not a JWKS of public signing keys. */
export function readRetiredKeys(path: string): PublicJwk[] {
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new EduplanError('E_CONFIG', { detail: `${path}: not JSON (${(err as Error).message}) / 已停用密钥文件不是 JSON` });
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || !keys.every(isPublicJwk)) {
    throw new EduplanError('E_CONFIG', { detail: `${path}: expected {"keys": [public Ed25519 or P-256 JWKs with kid, alg, use "sig"]} / 已停用密钥文件应为公钥 JWKS` });
  }
  return keys;
}

function replaceFile(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, content, { mode });
  chmodSync(draft, mode);
  renameSync(draft, path);
}

export interface RotateResult {
  readonly retired_kid: string;
  readonly kid: string;
  readonly alg: 'EdDSA' | 'ES256';
  readonly published: number;
}

/**
 * Replace the signing key in `keyFile` with a new one of `alg`, adding the old public key to
 * `retiredFile`. Only the city (credit.rules) or the operator's console may do it.
 */
export async function rotateCredentialKey(deps: ServiceDeps, caller: Caller, files: { keyFile: string; retiredFile: string }, alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<RotateResult> {
  await requireAction(deps, caller, 'credit.rules');
  const old = signerFromPem(readFileSync(files.keyFile, 'utf8'));
  const retired = readRetiredKeys(files.retiredFile).filter((k) => k.kid !== old.kid);
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const next = signerFromPem(pem);
  const published = [old.publicJwk, ...retired];
  return deps.store.transaction(async (tx) => {
    await appendAudit(tx.db, deps.clock(), {
      actorId: callerId(caller), actor: callerName(caller), action: 'credit.key.rotate', outcome: 'success', objectType: 'credential_key', objectId: next.kid, orgCode: null,
      ip: callerIp(caller), after: { retired_kid: old.kid, kid: next.kid, alg: next.alg, retired_keys: published.map((k) => k.kid) },
    });
    // The retired set first: should the second write fail, the old key still signs and is published twice, harmlessly.
    replaceFile(files.retiredFile, `${JSON.stringify({ keys: published }, null, 2)}\n`, 0o644);
    replaceFile(files.keyFile, pem, 0o600);
    return { retired_kid: old.kid, kid: next.kid, alg: next.alg, published: published.length + 1 };
  });
}
