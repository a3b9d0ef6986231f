/**
 * Personal data in a public message (个人信息), masked before it is published: the plan asks
 * for social supervision, not for citizens' phone numbers on a government site (《个人信息
 * 保护法》第二十八条: 身份证件号码, 行踪 etc. are sensitive; 第六条: no more than needed).
 * Masked: 18-digit resident ID numbers (GB 11643, with an X check digit), mainland mobile
 * numbers (11 digits from 1[3-9]), landline numbers with an area code, e-mail addresses,
 * and long digit runs (bank cards, student numbers). What is masked keeps its kind, so a
 * reader sees that something was there: 【身份证号已隐去】, 【电话已隐去】, 【邮箱已隐去】, 【号码已隐去】.
 * Pure.
 */

const rules: ReadonlyArray<{ readonly pattern: RegExp; readonly zh: string; readonly en: string }> = [
  { pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, zh: '【邮箱已隐去】', en: '[e-mail removed]' },
  { pattern: /(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])/g, zh: '【身份证号已隐去】', en: '[ID number removed]' },
  { pattern: /(?<![0-9])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])/g, zh: '【电话已隐去】', en: '[phone removed]' },
  { pattern: /(?<![0-9])(?:\(?0\d{2,3}\)?[ -]?)\d{7,8}(?![0-9])/g, zh: '【电话已隐去】', en: '[phone removed]' },
  { pattern: /(?<![0-9])\d{8,}(?![0-9])/g, zh: '【号码已隐去】', en: '[number removed]' },
];

/** The message with personal data replaced, in the message's language. */
export function maskPersonalData(text: string, lang: 'zh' | 'en'): string {
  let out = text;
  for (const r of rules) out = out.replace(r.pattern, lang === 'zh' ? r.zh : r.en);
  return out;
}

/**
 * What a message may not hold: markup (stored and shown as text anyway; a message of tags
 * is not feedback) and control characters other than line breaks and tabs. Returns the
 * rule broken, or null.
 */
export function messageProblem(text: string): 'html' | 'control_character' | 'empty' | null {
  if (text.trim() === '') return 'empty';
  if (/<\s*\/?\s*[A-Za-z!][^>]*>/.test(text)) return 'html';
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return 'control_character';
  return null;
}
