/** Building the credit bank's dependencies from the configuration values (the CLI and the server alike). */
import type { Store } from '../../store/store.ts';
import type { ServiceLog } from '../deps.ts';
import { CREDIT_BANK_NAME, type CreditDeps } from './bank.ts';
import { signerFromPem } from './signing.ts';

export interface CreditSettings {
  /** The signing key, PEM (config.ts `credentialKeyPem`). */
  readonly keyPem: string;
  /** The portal's public URL (config.ts EDUPLAN_PUBLIC_URL): the issuer id. */
  readonly publicUrl: string;
  readonly pseudonymKey: string;
}

export function creditDeps(store: Store, clock: () => Date, settings: CreditSettings, log?: ServiceLog): CreditDeps {
  return {
    store, clock, ...(log ? { log } : {}),
    credit: { signer: signerFromPem(settings.keyPem), issuer: { id: settings.publicUrl, name: CREDIT_BANK_NAME }, pseudonymKey: settings.pseudonymKey },
  };
}
