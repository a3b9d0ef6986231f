import { describe, expect, it } from 'vitest';
import { maskPersonalData, messageProblem } from './mask.ts';

describe('personal data in public messages', () => {
  it('masks a resident ID number, a mobile and a landline number, and an e-mail address', () => {
    const m = maskPersonalData('我是家长，身份证120101198805061234，电话 138-1234-5678 或 022-23456789，邮箱 li.wei@example.com，请联系。', 'zh');
    expect(m).toBe('我是家长，身份证【身份证号已隐去】，电话 【电话已隐去】 或 【电话已隐去】，邮箱 【邮箱已隐去】，请联系。');
    expect(m).not.toMatch(/\d{6,}/);
  });

  it('masks an ID number ending in X and a +86 mobile, in English', () => {
    expect(maskPersonalData('ID 12010119900101123X, call +86 13912345678', 'en')).toBe('ID [ID number removed], call [phone removed]');
  });

  it('masks long digit runs (bank card, student number) but keeps years, percentages and short numbers', () => {
    expect(maskPersonalData('卡号6222020200112233445', 'zh')).toBe('卡号【号码已隐去】');
    const plain = '2023学年近视率52.3%，比2020年下降1.2个百分点，全区16所学校。';
    expect(maskPersonalData(plain, 'zh')).toBe(plain);
  });
});

describe('what a message may not hold', () => {
  it('refuses markup, control characters and an empty message; accepts plain text with line breaks and a < b', () => {
    expect(messageProblem('<script>alert(1)</script>')).toBe('html');
    expect(messageProblem('看这里 <a href="x">链接</a>')).toBe('html');
    expect(messageProblem('bell\u0007')).toBe('control_character');
    expect(messageProblem('   ')).toBe('empty');
    expect(messageProblem('第一行\n第二行：达标率 < 90% 时应说明原因')).toBeNull();
  });
});
