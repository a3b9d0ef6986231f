import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckChar } from './id-number.ts';

describe('GB 11643 identity numbers', () => {
  it('computes the check character by ISO 7064 MOD 11-2', () => {
    // The standard's own example (GB 11643—1999 附录A): 11010519491231002 → X.
    expect(idCheckChar('11010519491231002')).toBe('X');
    // Worked by hand: 12010420150901001 → Σ ai·Wi = 1·7+2·9+0+1·5+0+4·4+2·2+0+1·6+5·3+0+9·9+0+1·5+0+0+1·2 = 159; 159 mod 11 = 5 → '7'.
    expect(idCheckChar('12010420150901001')).toBe('7');
  });

  it('accepts a valid number and reads birth date and sex from it', () => {
    expect(checkIdNumber('11010519491231002x')).toEqual({ ok: true, birthDate: '1949-12-31', sex: 'female', region: '110105' });
    expect(checkIdNumber('120104201509010017')).toMatchObject({ ok: true, birthDate: '2015-09-01', sex: 'male' });
  });

  it('rejects a wrong check character, an impossible date and a bad format', () => {
    expect(checkIdNumber('120104201509010018')).toMatchObject({ ok: false, rule: 'id_checksum' });
    expect(checkIdNumber('120104201502300017')).toMatchObject({ ok: false, rule: 'id_birth_date' });
    expect(checkIdNumber('12010420150901001')).toMatchObject({ ok: false, rule: 'id_format' });
    expect(checkIdNumber('1201042015090100A7')).toMatchObject({ ok: false, rule: 'id_format' });
  });
});
