/** Building the credit bank's dependencies from the configuration values (the CLI and the server alike). */
import type { Store } from '../../store/store.ts';
import type { ServiceLog } from '../deps.ts';
import { CREDIT_BANK_NAME, type CreditDeps } from './bank.ts';
import { signerFromPem, type CredentialSigner, type PublicJwk } from './signing.ts';

export interface CreditSettings {
  /** The signing key, PEM (config.ts `credentialKeyPem`). */
  readonly keyPem: string;
  /** The portal's public URL (config.ts EDUPLAN_PUBLIC_URL): the issuer id. */
  readonly publicUrl: string;
  readonly pseudonymKey: string;
  /** Retired keys' public halves (keys.ts `readRetiredKeys`): published and accepted for verification, never used to sign. */
  readonly retiredKeys?: readonly PublicJwk[];
}

/** The keys published and accepted: the current key first (a JWKS reader that takes the first key gets the one signing now), then the retired ones. */
export function verificationKeysOf(signer: CredentialSigner, retired: readonly PublicJwk[] = []): PublicJwk[] {
  return [signer.publicJwk, ...retired.filter((k) => k.kid !== signer.kid)];
}

export function creditDeps(store: Store, clock: () => Date, settings: CreditSettings, log?: ServiceLog): CreditDeps {
  const signer = signerFromPem(settings.keyPem);
  return {
    store, clock, ...(log ? { log } : {}),
    credit: {
      signer, issuer: { id: settings.publicUrl, name: CREDIT_BANK_NAME }, pseudonymKey: settings.pseudonymKey,
      verificationKeys: verificationKeysOf(signer, settings.retiredKeys),
    },
  };
}
