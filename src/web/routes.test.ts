import { describe, expect, it } from 'vitest';
import { parseRoute, withLang } from './routes.ts';

describe('withLang: in-app links keep English', () => {
  it('adds lang=en to a path, beside its own query and before its fragment', () => {
    expect(withLang('/districts/120101', 'en')).toBe('/districts/120101?lang=en');
    expect(withLang('/indicators/preschool_gross_enrolment?org=120116', 'en')).toBe('/indicators/preschool_gross_enrolment?org=120116&lang=en');
    expect(withLang('/open-data#releases', 'en')).toBe('/open-data?lang=en#releases');
  });

  it('does not add it twice, and leaves Chinese links and other addresses as they are', () => {
    expect(withLang('/news?lang=en', 'en')).toBe('/news?lang=en');
    expect(withLang('/districts/120101', 'zh')).toBe('/districts/120101');
    expect(withLang('https://creativecommons.org/licenses/by/4.0/', 'en')).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(withLang('//example.org/x', 'en')).toBe('//example.org/x');
  });

  it('the page a link opens is the same with or without the language', () => {
    const link = withLang('/indicators/preschool_gross_enrolment?org=120116', 'en');
    const url = new URL(link, 'http://portal.invalid');
    expect(parseRoute(url.pathname, url.search)).toEqual(parseRoute('/indicators/preschool_gross_enrolment', '?org=120116'));
  });
});

describe('credit-bank pages', () => {
  it('parses and prints the public statistics, the learner record and the workspace', async () => {
    const { routePath } = await import('./routes.ts');
    for (const [path, page] of [['/credits', 'credits'], ['/credits/learner', 'learner-record'], ['/workspace/credits', 'credit-workspace'], ['/credentials/verify', 'credential-verify']] as const) {
      const route = parseRoute(path);
      expect(route.page).toBe(page);
      expect(routePath(route)).toBe(path);
    }
    expect(parseRoute('/credits/learner/x').page).toBe('not-found');
    expect(parseRoute('/workspace/credits/1').page).toBe('not-found');
  });
});
