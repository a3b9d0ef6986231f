import { describe, expect, it } from 'vitest';
// Tests supply the HMAC the services would (core itself imports no crypto module).
// eslint-disable-next-line no-restricted-imports
import { createHmac } from 'node:crypto';
import { base32Decode, base32Encode, hotp, otpauthUri, totp, totpStep, verifyTotp, type HmacSha1 } from './totp.ts';

const hmac: HmacSha1 = (k, m) => new Uint8Array(createHmac('sha1', k).update(m).digest());
const rfcKey = new TextEncoder().encode('12345678901234567890');

describe('HOTP (RFC 4226 appendix D)', () => {
  it('matches the ten published values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, c) => hotp(hmac, rfcKey, c))).toEqual(expected);
  });
});

describe('TOTP (RFC 6238 appendix B, SHA-1)', () => {
  const vectors: Array<[number, string]> = [
    [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'], [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
  ];
  it.each(vectors)('at %i s gives %s (8 digits)', (t, code) => {
    expect(totp(hmac, rfcKey, new Date(t * 1000), 8)).toBe(code);
  });

  it('accepts the current and adjacent steps, and a code only once', () => {
    const at = new Date(1111111111 * 1000);
    const code = totp(hmac, rfcKey, at);
    const step = verifyTotp(hmac, rfcKey, code, at, null);
    expect(step).toBe(totpStep(at));
    expect(verifyTotp(hmac, rfcKey, code, at, step)).toBeNull();
    // 30 s late still passes (clock drift), 90 s late does not.
    expect(verifyTotp(hmac, rfcKey, code, new Date(at.getTime() + 30_000), null)).toBe(step);
    expect(verifyTotp(hmac, rfcKey, code, new Date(at.getTime() + 90_000), null)).toBeNull();
    expect(verifyTotp(hmac, rfcKey, '12345', at, null)).toBeNull();
    expect(verifyTotp(hmac, rfcKey, 'abcdef', at, null)).toBeNull();
  });
});

describe('base32 (RFC 4648 §10)', () => {
  it.each([['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']])('%s ↔ %s', (plain, enc) => {
    const bytes = new TextEncoder().encode(plain);
    expect(base32Encode(bytes)).toBe(enc);
    expect(new TextDecoder().decode(base32Decode(enc))).toBe(plain);
  });
  it('rejects characters outside the alphabet', () => {
    expect(() => base32Decode('MZ1W')).toThrow(/base32/);
  });
  it('builds the otpauth URI authenticator apps read', () => {
    expect(otpauthUri('JBSWY3DP', '王芳')).toBe('otpauth://totp/eduplan%3A%E7%8E%8B%E8%8A%B3?secret=JBSWY3DP&issuer=eduplan&algorithm=SHA1&digits=6&period=30');
  });
});
