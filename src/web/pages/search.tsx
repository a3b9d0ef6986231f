/** 站内搜索: the header's search form and the results page (/search?q=). */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { LoadState, useData } from '../components.tsx';
import { pick, t, tf, type StringKey } from '../i18n.ts';
import { Link, useLang, useNav } from '../nav.tsx';

export function SearchForm({ initial }: { initial?: string }) {
  const lang = useLang();
  const { navigate } = useNav();
  const [q, setQ] = useState(initial ?? '');
  useEffect(() => setQ(initial ?? ''), [initial]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim() !== '') navigate(`/search?q=${encodeURIComponent(q.trim())}`);
  };
  return (
    <form role="search" className="site-search" onSubmit={submit} data-testid="search-form">
      <label htmlFor="site-search" className="sr-only">{t(lang, 'searchLabel')}</label>
      <input id="site-search" type="search" data-testid="search-input" maxLength={100} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t(lang, 'searchLabel')} />
      <button type="submit">{t(lang, 'searchButton')}</button>
    </form>
  );
}

export function SearchPage({ q }: { q: string }) {
  const lang = useLang();
  const loaded = useData(`search:${q}`, (signal) => (q.trim() === '' ? Promise.resolve([]) : api.search(q, signal)));
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'searchTitle')}{q ? `：${q}` : ''}</h1>
      <p className="muted small">{t(lang, 'searchHint')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? (
        loaded.data.length === 0 ? <p data-testid="search-none">{t(lang, 'searchNone')}</p> : (
          <>
            <p role="status">{tf(lang, 'searchCount', { n: loaded.data.length })}</p>
            <ul className="search-results" data-testid="search-results">
              {loaded.data.map((h) => (
                <li key={`${h.kind}:${h.id}`} data-kind={h.kind} data-id={h.id}>
                  <span className="tag-expected">{t(lang, `kind_${h.kind}` as StringKey)}</span>{' '}
                  <Link to={h.link}>{pick(lang, h.title_zh, h.title_en)}</Link>
                  {pick(lang, h.detail_zh, h.detail_en) && h.kind !== 'indicator' ? <span className="muted small"> — {pick(lang, h.detail_zh, h.detail_en)}</span> : null}
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </>
  );
}
