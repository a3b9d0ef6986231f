/** Language and navigation shared by every page (kept apart from app.tsx to avoid import cycles). */
import { createContext, useContext, type MouseEvent, type ReactNode } from 'react';
import type { Lang } from './i18n.ts';

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

/** An in-app link: a real <a href> (keyboard, middle-click, copy link all work), routed without reload. */
export function Link(props: { to: string; children: ReactNode; className?: string; testId?: string; ariaCurrent?: boolean }) {
  const { navigate } = useNav();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} onClick={onClick} className={props.className} data-testid={props.testId}
      aria-current={props.ariaCurrent ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

