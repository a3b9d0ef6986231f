/**
 * What every page shows around its content, from GET /api/site: the demo banner (a demo
 * instance says so on every page, portal and workspace) and the newest release.
 */
import { createContext, useContext } from 'react';
import type { SiteInfo } from './api.ts';
import { t } from './i18n.ts';
import { useLang } from './nav.tsx';

/** null until /api/site answers (or when it fails: then no banner, the pages still work). */
export const SiteContext = createContext<SiteInfo | null>(null);

export function useSite(): SiteInfo | null {
  return useContext(SiteContext);
}

/**
 * 演示系统 banner: visible and not dismissable, so a screenshot of any page carries it; a
 * note (role="note") inside the header landmark, read before the navigation.
 */
export function DemoBanner() {
  const lang = useLang();
  const site = useSite();
  if (!site?.demo) return null;
  return (
    <div className="demo-banner" role="note" data-testid="demo-banner">
      <div className="wrap"><span aria-hidden="true">⚠ </span>{t(lang, 'demoBanner')}</div>
    </div>
  );
}
