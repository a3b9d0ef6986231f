import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckChar, idNumberBirthOfBytes } from './id-number.ts';

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

describe('idNumberBirthOfBytes (byte path) agrees with checkIdNumber', () => {
  it('on valid numbers, each single-character change, x/X, bad dates and random texts', () => {
    const first17 = ['11010519491231002', '12010420100101001', '44030420000229123', '12010119000101001'];
    const texts: string[] = [];
    for (const f of first17) {
      const good = f + idCheckChar(f);
      texts.push(good, good.toLowerCase(), good.slice(0, 17) + 'x');
      for (let i = 0; i < 18; i++) for (const ch of ['0', '5', '9', 'X', 'a', ' ', '-']) texts.push(good.slice(0, i) + ch + good.slice(i + 1));
    }
    texts.push('120104190002290011', '120104201302290011', '120104201304310011', '120104189912310011', '12010420100101001', '1201042010010100111');
    let seed = 7;
    const next = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (let k = 0; k < 1000; k++) {
      // Valid numbers over many dates (leap days included), then the same with one digit changed.
      const date = `${1990 + next(30)}${String(1 + next(12)).padStart(2, '0')}${String(1 + next(29)).padStart(2, '0')}`;
      const f = `120${String(next(1000)).padStart(3, '0')}${date}${String(next(1000)).padStart(3, '0')}`;
      const good = f + idCheckChar(f);
      const i = next(18);
      texts.push(good, good.slice(0, i) + String(next(10)) + good.slice(i + 1));
    }
    for (let k = 0; k < 5000; k++) {
      let s = '';
      for (let i = 0; i < 18; i++) s += '0123456789X'[next(11)];
      texts.push(s);
    }
    let valid = 0;
    for (const t of texts) {
      const c = checkIdNumber(t);
      const buf = Buffer.from(`,${t},`, 'latin1');
      const birth = t.length === 18 ? idNumberBirthOfBytes(buf, 1) : -1;
      if (c.ok) {
        valid += 1;
        expect(birth, t).toBe(Number(c.birthDate.replaceAll('-', '')));
      } else expect(birth, t).toBe(-1);
    }
    expect(valid).toBeGreaterThan(1000);
  });
});
