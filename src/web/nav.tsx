/** Language and navigation shared by every page (kept apart from app.tsx to avoid import cycles). */
import { createContext, useContext, type MouseEvent, type ReactNode } from 'react';
import type { Lang } from './i18n.ts';
import { withLang } from './routes.ts';

export interface Nav {
  lang: Lang;
  setLang: (lang: Lang) => void;
  navigate: (path: string) => void;
}

export const NavContext = createContext<Nav>({ lang: 'zh', setLang: () => undefined, navigate: () => undefined });

export function useNav(): Nav {
  return useContext(NavContext);
}

export function useLang(): Lang {
  return useContext(NavContext).lang;
}

/**
 * An in-app link: a real <a href> (keyboard, middle-click, copy link all work), routed without reload.
 * In English the href carries ?lang=en (withLang), so a copied or new-tab link stays in English.
 */
export function Link(props: { to: string; children: ReactNode; className?: string; testId?: string; ariaCurrent?: boolean }) {
  const { navigate, lang } = useNav();
  const href = withLang(props.to, lang);
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} className={props.className} data-testid={props.testId}
      aria-current={props.ariaCurrent ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

