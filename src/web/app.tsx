/**
 * The portal shell: language (zh-CN default, English toggle; <html lang> follows),
 * a small history-API router, skip link and focus moved to each page's heading.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, NavContext, useLang } from './nav.tsx';
import { htmlLang, parseLang, t, type Lang } from './i18n.ts';
import { parseRoute, withLang, type Route } from './routes.ts';
import { api } from './api.ts';
import { useData } from './components.tsx';
import { DemoBanner, SiteContext } from './site.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { IndicatorPage } from './pages/indicator.tsx';
import { DistrictPage, DistrictsPage } from './pages/district.tsx';
import { OpenDataPage } from './pages/open-data.tsx';
import { NewsPage } from './pages/news.tsx';
import { SearchForm, SearchPage } from './pages/search.tsx';
const FeedbackModerationPage = lazy(() => import('./workspace/feedback.tsx').then((m) => ({ default: m.FeedbackModerationPage })));
// The assessment workspace (signed-in only) loads in its own chunk, not with the public portal.
const AssessmentsCityPage = lazy(() => import('./assessments/pages.tsx').then((m) => ({ default: m.AssessmentsCityPage })));
const AssessmentScorecardPage = lazy(() => import('./assessments/pages.tsx').then((m) => ({ default: m.AssessmentScorecardPage })));
import { at } from './assessments/strings.ts';
import { WorkspacePage } from './workspace/home.tsx';
import { SchoolFormPage } from './workspace/school-form.tsx';
import { SubmissionPage } from './workspace/submission-review.tsx';
// The student-record upload page (signed-in only) loads in its own chunk too.
const LearningCityPage = lazy(() => import('./pages/learning-city.tsx').then((m) => ({ default: m.LearningCityPage })));
const VerifyCredentialPage = lazy(() => import('./credits/verify.tsx').then((m) => ({ default: m.VerifyCredentialPage })));
// 学分银行: the public statistics, the learner's record and the workspace, each in its own chunk.
const CreditStatisticsPage = lazy(() => import('./credits/statistics.tsx').then((m) => ({ default: m.CreditStatisticsPage })));
const LearnerRecordPage = lazy(() => import('./credits/learner.tsx').then((m) => ({ default: m.LearnerRecordPage })));
const CreditWorkspacePage = lazy(() => import('./credits/workspace.tsx').then((m) => ({ default: m.CreditWorkspacePage })));
import { cr } from './credits/strings.ts';
const StudentUploadPage = lazy(() => import('./workspace/student-upload/page.tsx').then((m) => ({ default: m.StudentUploadPage })));
// The release page (数据发布, signed-in only) likewise.
const ReleasesPage = lazy(() => import('./workspace/releases/page.tsx').then((m) => ({ default: m.ReleasesPage })));
import { ws } from './workspace/strings.ts';
import { pt } from './plan/strings.ts';
// 规划实施: the public section and its workspace, each in its own chunk.
const PlanSection = lazy(() => import('./plan/pages.tsx').then((m) => ({ default: m.PlanSection })));
const PlanWorkspacePage = lazy(() => import('./plan/workspace.tsx').then((m) => ({ default: m.PlanWorkspacePage })));
const RegistriesPage = lazy(() => import('./plan/workspace.tsx').then((m) => ({ default: m.RegistriesPage })));
// 评估报告: the public page and its workspace, in their own chunk.
const ReportsPage = lazy(() => import('./evaluation/pages.tsx').then((m) => ({ default: m.ReportsPage })));
const ReportsWorkspacePage = lazy(() => import('./evaluation/pages.tsx').then((m) => ({ default: m.ReportsWorkspacePage })));
import { rt } from './evaluation/strings.ts';
const RegistryPage = lazy(() => import('./plan/workspace.tsx').then((m) => ({ default: m.RegistryPage })));

const LANG_KEY = 'eduplan.lang';

function initialLang(): Lang {
  const fromUrl = parseLang(new URLSearchParams(window.location.search).get('lang'));
  if (fromUrl) return fromUrl;
  try {
    return parseLang(window.localStorage.getItem(LANG_KEY)) ?? 'zh';
  } catch {
    return 'zh';
  }
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview': return <OverviewPage year={route.year} />;
    case 'indicator': return <IndicatorPage code={route.code} org={route.org} />;
    case 'districts': return <DistrictsPage />;
    case 'district': return <DistrictPage code={route.code} />;
    case 'open-data': return <OpenDataPage />;
    case 'news': return <NewsPage />;
    case 'learning-city': return <Suspense fallback={<p role="status" className="muted">…</p>}><LearningCityPage year={route.year} /></Suspense>;
    case 'search': return <SearchPage q={route.q} />;
    case 'feedback-moderation': return <Suspense fallback={<p role="status" className="muted">…</p>}><FeedbackModerationPage /></Suspense>;
    case 'assessments': return <Suspense fallback={<p role="status" className="muted">…</p>}><AssessmentsCityPage year={route.year} /></Suspense>;
    case 'assessment': return <Suspense fallback={<p role="status" className="muted">…</p>}><AssessmentScorecardPage district={route.district} year={route.year} level={route.level ?? 'primary'} /></Suspense>;
    case 'workspace': return <WorkspacePage year={route.year} />;
    case 'school-form': return <SchoolFormPage org={route.org} form={route.form} year={route.year} />;
    case 'submission': return <SubmissionPage id={route.id} />;
    case 'student-upload': return <Suspense fallback={<p role="status" className="muted">…</p>}><StudentUploadPage /></Suspense>;
    case 'releases': return <Suspense fallback={<p role="status" className="muted">…</p>}><ReleasesPage year={route.year} /></Suspense>;
    case 'plan': return <Suspense fallback={<p role="status" className="muted">…</p>}><PlanSection year={route.year} /></Suspense>;
    case 'plan-project': return <Suspense fallback={<p role="status" className="muted">…</p>}><PlanSection project={route.id} year={route.year} /></Suspense>;
    case 'plan-workspace': return <Suspense fallback={<p role="status" className="muted">…</p>}><PlanWorkspacePage /></Suspense>;
    case 'registries': return <Suspense fallback={<p role="status" className="muted">…</p>}><RegistriesPage /></Suspense>;
    case 'registry': return <Suspense fallback={<p role="status" className="muted">…</p>}><RegistryPage id={route.id} /></Suspense>;
    case 'reports': return <Suspense fallback={<p role="status" className="muted">…</p>}><ReportsPage /></Suspense>;
    case 'reports-workspace': return <Suspense fallback={<p role="status" className="muted">…</p>}><ReportsWorkspacePage /></Suspense>;
    case 'credential-verify': return <Suspense fallback={<p role="status" className="muted">…</p>}><VerifyCredentialPage /></Suspense>;
    case 'credits': return <Suspense fallback={<p role="status" className="muted">…</p>}><CreditStatisticsPage /></Suspense>;
    case 'learner-record': return <Suspense fallback={<p role="status" className="muted">…</p>}><LearnerRecordPage /></Suspense>;
    case 'credit-workspace': return <Suspense fallback={<p role="status" className="muted">…</p>}><CreditWorkspacePage /></Suspense>;
    case 'not-found': return <NotFound />;
  }
}

function NotFound() {
  const lang = useLang();
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'notFound')}</h1>
      <p><Link to="/">{t(lang, 'backToOverview')}</Link></p>
    </>
  );
}

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.pathname, window.location.search));
  const site = useData('site', (signal) => api.site(signal));

  useEffect(() => {
    document.documentElement.lang = htmlLang[lang];
    // Every page its own <title>; the indicator page names its indicator once loaded.
    const page: Partial<Record<Route['page'], string>> = {
      overview: t(lang, 'navOverview'), districts: t(lang, 'navDistricts'), district: t(lang, 'navDistricts'), 'open-data': t(lang, 'navOpenData'),
      news: t(lang, 'newsTitle'), search: t(lang, 'searchTitle'), 'feedback-moderation': t(lang, 'feedbackTitle'), 'not-found': t(lang, 'notFound'),
      credits: cr(lang, 'statsTitle'), 'learner-record': cr(lang, 'learnerTitle'), 'credit-workspace': cr(lang, 'wsTitle'), 'credential-verify': cr(lang, 'navVerify'),
      'learning-city': lang === 'zh' ? '学习型城市建设监测' : 'Learning-city monitoring',
    };
    if (route.page === 'indicator') return;
    const name = page[route.page];
    document.title = name ? `${name} — ${t(lang, 'siteTitle')}` : t(lang, 'siteTitle');
  }, [lang, route]);

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(window.location.pathname, window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    // The language in the URL (?lang=en), so that a copied link opens in it.
    const url = new URL(window.location.href);
    if (next === 'en') url.searchParams.set('lang', 'en'); else url.searchParams.delete('lang');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    try {
      window.localStorage.setItem(LANG_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);

  // The language for navigate(), read when it runs: navigate stays one function across a language switch.
  const langRef = useRef<Lang>(lang);
  langRef.current = lang;
  const navigate = useCallback((to: string) => {
    // Pages navigate too (year selector, search): the address keeps ?lang=en like a Link's.
    const path = withLang(to, langRef.current);
    window.history.pushState(null, '', path);
    const url = new URL(path, window.location.origin);
    setRoute(parseRoute(url.pathname, url.search));
    window.scrollTo(0, 0);
  }, []);

  // After an in-app navigation, move focus to the new page's heading so keyboard and
  // screen-reader users land on it (not on first load: the page starts at the top as usual).
  // Compared by identity, so StrictMode's repeated effects in development do not count as navigation.
  const focusedRoute = useRef<Route>(route);
  useEffect(() => {
    if (focusedRoute.current === route) return;
    focusedRoute.current = route;
    const h = document.querySelector<HTMLElement>('main h1');
    h?.focus({ preventScroll: true });
  }, [route]);

  const isActive = (p: Route['page']) => route.page === p || (p === 'districts' && route.page === 'district');

  return (
    <NavContext.Provider value={{ lang, setLang, navigate }}>
      <SiteContext.Provider value={site.state === 'ok' ? site.data : null}>
        <a className="skip-link" href="#main">{t(lang, 'skipToContent')}</a>
        <header className="site-header">
          <DemoBanner />
          <div className="wrap header-row">
            <Link to="/" className="brand">{t(lang, 'siteTitle')}</Link>
            <nav aria-label={lang === 'zh' ? '主导航' : 'Main'}>
              <ul className="nav">
                <li><Link to="/" ariaCurrent={isActive('overview')}>{t(lang, 'navOverview')}</Link></li>
                <li><Link to="/districts" ariaCurrent={isActive('districts')}>{t(lang, 'navDistricts')}</Link></li>
                <li><Link to="/plan" ariaCurrent={route.page === 'plan' || route.page === 'plan-project'}>{pt(lang, 'navPlan')}</Link></li>
                <li><Link to="/reports" ariaCurrent={isActive('reports')}>{rt(lang, 'navReports')}</Link></li>
                <li><Link to="/open-data" ariaCurrent={isActive('open-data')}>{t(lang, 'navOpenData')}</Link></li>
                <li><Link to="/news" ariaCurrent={isActive('news')}>{t(lang, 'navNews')}</Link></li>
                <li><Link to="/credits" ariaCurrent={route.page === 'credits' || route.page === 'learner-record'}>{cr(lang, 'navCredits')}</Link></li>
                <li><Link to="/credentials/verify" ariaCurrent={isActive('credential-verify')}>{cr(lang, 'navVerify')}</Link></li>
                <li><Link to="/learning-city" ariaCurrent={isActive('learning-city')}>{lang === 'zh' ? '学习型城市' : 'Learning city'}</Link></li>
                <li><Link to="/workspace/assessments" ariaCurrent={route.page === 'assessments' || route.page === 'assessment'}>{at(lang, 'navAssessments')}</Link></li>
                <li><Link to="/workspace" ariaCurrent={route.page === 'workspace' || route.page === 'school-form' || route.page === 'submission' || route.page === 'student-upload' || route.page === 'releases' || route.page === 'plan-workspace' || route.page === 'registries' || route.page === 'registry' || route.page === 'reports-workspace' || route.page === 'feedback-moderation' || route.page === 'credit-workspace'}>{ws(lang, 'navWorkspace')}</Link></li>
              </ul>
            </nav>
            <SearchForm initial={route.page === 'search' ? route.q : ''} />
            <button type="button" className="lang-toggle" data-testid="lang-toggle"
              lang={lang === 'zh' ? 'en' : 'zh-CN'} aria-label={t(lang, 'switchLanguageLabel')}
              onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
              {t(lang, 'switchLanguage')}
            </button>
          </div>
        </header>
        <main id="main" className="wrap" tabIndex={-1}>
          <Page route={route} />
        </main>
        <footer className="site-footer">
          <div className="wrap">
            {/* The sources line waits for /api/site: a demo must never show, even briefly, the official sources. */}
            {site.state === 'ok' ? <p data-testid="footer-sources">{t(lang, site.data.demo ? 'footerDemo' : 'footer')}</p> : null}
            <p>{t(lang, 'suppressedNote')}</p>
          </div>
        </footer>
      </SiteContext.Provider>
    </NavContext.Provider>
  );
}
