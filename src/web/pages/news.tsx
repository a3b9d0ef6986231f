/** 发布动态: release notes and the city's announcements, newest first, with the Atom feed link. */
import { api } from '../api.ts';
import { LoadState, useData } from '../components.tsx';
import { releaseDate } from '../format.ts';
import { pick, t } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';

export function NewsPage() {
  const lang = useLang();
  const loaded = useData('news', (signal) => api.news(signal));
  const feed = `/api/news.atom${lang === 'en' ? '?lang=en' : ''}`;
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'newsTitle')}</h1>
      <p className="lead">{t(lang, 'newsIntro')} <a href={feed} type="application/atom+xml" data-testid="atom-link">Atom</a></p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' && loaded.data.length === 0 ? <p>{t(lang, 'newsNone')}</p> : null}
      {loaded.state === 'ok' ? (
        <ol className="news-list" data-testid="news-list">
          {loaded.data.map((n) => (
            <li key={n.id} id={n.id} data-kind={n.kind}>
              <h2>{pick(lang, n.title_zh, n.title_en)}</h2>
              <p className="muted small"><time dateTime={n.published_at}>{releaseDate(n.published_at)}</time>{n.kind === 'release' ? <> · <Link to="/open-data">{t(lang, 'navOpenData')}</Link></> : null}</p>
              <p className="ws-wrap">{pick(lang, n.body_zh, n.body_en)}</p>
            </li>
          ))}
        </ol>
      ) : null}
    </>
  );
}
