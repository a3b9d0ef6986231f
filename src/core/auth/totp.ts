/**
 * TOTP second factor (动态口令): RFC 6238 over RFC 4226 HOTP with HMAC-SHA1, 30-second
 * steps, 6 digits — what authenticator apps expect from an `otpauth://` URI. The HMAC is
 * passed in (core does no I/O and imports no crypto module); services give node:crypto's.
 */

export type HmacSha1 = (key: Uint8Array, message: Uint8Array) => Uint8Array;

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

/** RFC 4226 §5.3: HOTP = Truncate(HMAC-SHA-1(K, C)) mod 10^digits. */
export function hotp(hmac: HmacSha1, key: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const msg = new Uint8Array(8);
  let c = counter;
  for (let i = 7; i >= 0; i--) {
    msg[i] = c % 256;
    c = Math.floor(c / 256);
  }
  const h = hmac(key, msg);
  const offset = (h[h.length - 1] ?? 0) & 0x0f;
  const bin = (((h[offset] ?? 0) & 0x7f) << 24) | ((h[offset + 1] ?? 0) << 16) | ((h[offset + 2] ?? 0) << 8) | (h[offset + 3] ?? 0);
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4: T = floor(unix seconds / X). */
export function totpStep(at: Date, stepSeconds = TOTP_STEP_SECONDS): number {
  return Math.floor(at.getTime() / 1000 / stepSeconds);
}

export function totp(hmac: HmacSha1, key: Uint8Array, at: Date, digits = TOTP_DIGITS): string {
  return hotp(hmac, key, totpStep(at), digits);
}

/**
 * Check a code against the steps around `at` (±`window` steps for clock drift, RFC 6238 §5.2),
 * refusing any step at or before `lastUsedStep` so that a code works once (ASVS 6.5.1).
 * Returns the matched step (to store as the new last-used step) or null.
 */
export function verifyTotp(
  hmac: HmacSha1, key: Uint8Array, code: string, at: Date, lastUsedStep: number | null, window = 1,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = totpStep(at);
  for (let s = now - window; s <= now + window; s++) {
    if (lastUsedStep !== null && s <= lastUsedStep) continue;
    if (constantTimeEqual(hotp(hmac, key, s), code)) return s;
  }
  return null;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (the `secret=` of an otpauth URI). */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new RangeError(`not a base32 character: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** The URI an authenticator app scans (Key Uri Format). */
export function otpauthUri(secretBase32: string, accountName: string, issuer = 'eduplan'): string {
  const label = encodeURIComponent(`${issuer}:${accountName}`);
  return `otpauth://totp/${label}?secret=${secretBase32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_STEP_SECONDS}`;
}
