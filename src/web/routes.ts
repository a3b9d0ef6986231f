/** The portal's pages and their paths (history API; the server falls back to index.html). */
export type Route =
  /** `year`: an earlier academic year (?year=2023); absent: the latest with data. */
  | { page: 'overview'; year?: number }
  /** `org`: a district's own series and status (?org=120116); absent: the city. */
  | { page: 'indicator'; code: string; org?: string }
  | { page: 'districts' }
  | { page: 'district'; code: string }
  | { page: 'open-data' }
  /** 发布动态: release notes and announcements. */
  | { page: 'news' }
  /** Site search (?q=). */
  | { page: 'search'; q: string }
  /** 意见建议审核 (city administrators). */
  | { page: 'feedback-moderation' }
  /** 督导评估工作台 (signed in): the 16 districts; `year` absent = the newest year with data. */
  | { page: 'assessments'; year?: number }
  /** One district's 优质均衡 scorecard (?year=2024&level=junior). */
  | { page: 'assessment'; district: string; year?: number; level?: 'primary' | 'junior' }
  /** 数据填报工作台 (signed in): what the role does for an academic year (?year=2024). */
  | { page: 'workspace'; year?: number }
  /** A school's form for a year (school reporter). */
  | { page: 'school-form'; org: string; form: string; year: number }
  /** One submission (district review, city lock/reopen). */
  | { page: 'submission'; id: number }
  /** Upload of student fitness / vision record files (district reviewer, city admin). */
  | { page: 'student-upload' }
  /** 数据发布 (city and district users): completeness, provisional figures, releases of a year (?year=2024). */
  | { page: 'releases'; year?: number }
  /** 规划实施 (public): the 11 task areas and 19 专栏 (?year=2024). */
  | { page: 'plan'; year?: number }
  /** One 专栏 by number or code (?year=2024). */
  | { page: 'plan-project'; id: string; year?: number }
  /** 规划实施 workspace (signed in): reports due, review, owners. */
  | { page: 'plan-workspace' }
  /** Registries (signed in): the list, and one registry's entries. */
  | { page: 'registries' }
  | { page: 'registry'; id: string }
  /** 评估报告 (public): every published report. */
  | { page: 'reports' }
  /** 评估报告工作台 (signed in, city): narratives, preview, publish. */
  | { page: 'reports-workspace' }
  /** 学分银行凭证验证 (public): check a credential's signature, issuer and revocation status. */
  | { page: 'credential-verify' }
  /** 学分银行 (public): the released credit statistics, links to verification and the learner's record. */
  | { page: 'credits' }
  /** 我的学习档案 (public, with a one-time code): a learner's own record. */
  | { page: 'learner-record' }
  /** 学分银行工作台 (signed in): outcomes, learner codes, recognitions. */
  | { page: 'credit-workspace' }
  /** 学习型城市建设监测 (public): released learning-city figures (?year=2024). */
  | { page: 'learning-city'; year?: number }
  | { page: 'not-found'; path: string };

const segment = /^[A-Za-z0-9_.\-]+$/;

export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return '\u0000';
    }
  });
  if (parts.length === 0) {
    const year = new URLSearchParams(search).get('year');
    return year && /^20\d\d$/.test(year) ? { page: 'overview', year: Number(year) } : { page: 'overview' };
  }
  const [head, code, ...rest] = parts;
  if (head === 'plan') {
    const y = new URLSearchParams(search).get('year');
    const year = y && /^20\d\d$/.test(y) ? { year: Number(y) } : {};
    if (code === undefined) return { page: 'plan', ...year };
    const [id] = rest;
    if (code === 'projects' && id && /^[a-z0-9_]{1,64}$/.test(id) && rest.length === 1) return { page: 'plan-project', id, ...year };
  }
  if (head === 'workspace' && code === 'assessments' && rest.length <= 1) {
    const sp = new URLSearchParams(search);
    const y = sp.get('year');
    const year = y && /^20\d\d$/.test(y) ? { year: Number(y) } : {};
    const [district] = rest;
    if (district === undefined) return { page: 'assessments', ...year };
    if (/^\d{6}$/.test(district)) {
      const l = sp.get('level');
      return { page: 'assessment', district, ...year, ...(l === 'primary' || l === 'junior' ? { level: l } : {}) };
    }
  }
  if (head === 'workspace') {
    const y = new URLSearchParams(search).get('year');
    if (code === undefined) return y && /^20\d\d$/.test(y) ? { page: 'workspace', year: Number(y) } : { page: 'workspace' };
    const [a, b, c] = rest;
    if (code === 'schools' && a && /^\d{10}$/.test(a) && b && segment.test(b) && c && /^20\d\d$/.test(c) && rest.length === 3) return { page: 'school-form', org: a, form: b, year: Number(c) };
    if (code === 'submissions' && a && /^[1-9]\d{0,9}$/.test(a) && rest.length === 1) return { page: 'submission', id: Number(a) };
    if (code === 'student-records' && rest.length === 0) return { page: 'student-upload' };
    if (code === 'releases' && rest.length === 0) return y && /^20\d\d$/.test(y) ? { page: 'releases', year: Number(y) } : { page: 'releases' };
    if (code === 'plan' && rest.length === 0) return { page: 'plan-workspace' };
    if (code === 'reports' && rest.length === 0) return { page: 'reports-workspace' };
    if (code === 'registries' && rest.length === 0) return { page: 'registries' };
    if (code === 'feedback' && rest.length === 0) return { page: 'feedback-moderation' };
    if (code === 'credits' && rest.length === 0) return { page: 'credit-workspace' };
    if (code === 'registries' && a && /^[a-z][a-z0-9_]{0,63}$/.test(a) && rest.length === 1) return { page: 'registry', id: a };
  }
  if (rest.length === 0) {
    if (head === 'indicators' && code && segment.test(code)) {
      const org = new URLSearchParams(search).get('org');
      // `org` naming the root is the region-wide page; IndicatorPage knows the root from /api/site.
      return org && /^\d{6}$/.test(org) ? { page: 'indicator', code, org } : { page: 'indicator', code };
    }
    if (head === 'districts' && code && /^\d{6}$/.test(code)) return { page: 'district', code };
    if (head === 'districts' && !code) return { page: 'districts' };
    if (head === 'open-data' && !code) return { page: 'open-data' };
    if (head === 'reports' && !code) return { page: 'reports' };
    if (head === 'news' && !code) return { page: 'news' };
    if (head === 'learning-city' && !code) {
      const year = new URLSearchParams(search).get('year');
      return year && /^20\d\d$/.test(year) ? { page: 'learning-city', year: Number(year) } : { page: 'learning-city' };
    }
    if (head === 'search' && !code) return { page: 'search', q: (new URLSearchParams(search).get('q') ?? '').slice(0, 100) };
    if (head === 'credentials' && code === 'verify') return { page: 'credential-verify' };
    if (head === 'credits' && !code) return { page: 'credits' };
    if (head === 'credits' && code === 'learner') return { page: 'learner-record' };
  }
  return { page: 'not-found', path: pathname };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'overview': return route.year ? `/?year=${route.year}` : '/';
    case 'indicator': return `/indicators/${encodeURIComponent(route.code)}${route.org ? `?org=${route.org}` : ''}`;
    case 'districts': return '/districts';
    case 'district': return `/districts/${route.code}`;
    case 'open-data': return '/open-data';
    case 'news': return '/news';
    case 'learning-city': return `/learning-city${route.year ? `?year=${route.year}` : ''}`;
    case 'search': return `/search${route.q ? `?q=${encodeURIComponent(route.q)}` : ''}`;
    case 'feedback-moderation': return '/workspace/feedback';
    case 'assessments': return `/workspace/assessments${route.year ? `?year=${route.year}` : ''}`;
    case 'assessment': {
      const sp = new URLSearchParams();
      if (route.year) sp.set('year', String(route.year));
      if (route.level) sp.set('level', route.level);
      const qs = sp.toString();
      return `/workspace/assessments/${route.district}${qs ? `?${qs}` : ''}`;
    }
    case 'workspace': return `/workspace${route.year ? `?year=${route.year}` : ''}`;
    case 'school-form': return `/workspace/schools/${route.org}/${encodeURIComponent(route.form)}/${route.year}`;
    case 'submission': return `/workspace/submissions/${route.id}`;
    case 'student-upload': return '/workspace/student-records';
    case 'releases': return `/workspace/releases${route.year ? `?year=${route.year}` : ''}`;
    case 'plan': return `/plan${route.year ? `?year=${route.year}` : ''}`;
    case 'plan-project': return `/plan/projects/${encodeURIComponent(route.id)}${route.year ? `?year=${route.year}` : ''}`;
    case 'plan-workspace': return '/workspace/plan';
    case 'registries': return '/workspace/registries';
    case 'registry': return `/workspace/registries/${encodeURIComponent(route.id)}`;
    case 'reports': return '/reports';
    case 'reports-workspace': return '/workspace/reports';
    case 'credential-verify': return '/credentials/verify';
    case 'credits': return '/credits';
    case 'learner-record': return '/credits/learner';
    case 'credit-workspace': return '/workspace/credits';
    case 'not-found': return route.path;
  }
}

/**
 * An in-app path as a link in `lang`: English links carry `?lang=en`, so a link copied,
 * opened in a new tab or followed keeps the reader's language (Chinese, the default, adds
 * nothing). Only site paths change; other addresses are returned as given.
 */
export function withLang(path: string, lang: 'zh' | 'en'): string {
  if (lang !== 'en' || !path.startsWith('/') || path.startsWith('//')) return path;
  const url = new URL(path, 'http://portal.invalid');
  url.searchParams.set('lang', 'en');
  return `${url.pathname}${url.search}${url.hash}`;
}
