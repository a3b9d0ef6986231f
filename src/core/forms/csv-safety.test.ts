import { describe, expect, it } from 'vitest';
import { csvField, csvLine, csvQuote, neutraliseCell } from './csv-safety.ts';

describe('formula-injection defence for exports', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+cmd|\' /C calc\'!A0', `'+cmd|' /C calc'!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['和平区第一小学', '和平区第一小学'],
    ['a=b', 'a=b'],
  ])('neutralises %j', (input, out) => {
    expect(neutraliseCell(input)).toBe(out);
  });

  it('leaves numbers alone: -3 as a number is data', () => {
    expect(neutraliseCell(-3)).toBe(-3);
    expect(csvField(-3)).toBe('-3');
  });

  it('quotes per RFC 4180 after neutralising', () => {
    expect(csvField('=1+2,3')).toBe(`"'=1+2,3"`);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvLine(['a', null, 2, '@x'])).toBe("a,,2,'@x\r\n");
  });

  it('csvQuote quotes a quote, comma or line break and leaves everything else as it is, formulas too', () => {
    expect(csvQuote('和平区')).toBe('和平区');
    expect(csvQuote('a,b')).toBe('"a,b"');
    expect(csvQuote('line\nbreak')).toBe('"line\nbreak"');
    expect(csvQuote('cr\r')).toBe('"cr\r"');
    expect(csvQuote('say "hi"')).toBe('"say ""hi"""');
    expect(csvQuote('-1')).toBe('-1');
    expect(csvQuote('')).toBe('');
  });
});
