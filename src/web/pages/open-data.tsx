/** Open data (开放数据): how to download, the API endpoints, and the city-wide table. */
import { api } from '../api.ts';
import { DataTable, LoadState, useData } from '../components.tsx';
import { t } from '../i18n.ts';
import { useLang } from '../nav.tsx';
import { groupByCategory, progressColumns } from './overview.tsx';

const endpoints = [
  '/api/plan',
  '/api/progress',
  '/api/org-units?level=district',
  '/api/openapi.json',
];

export function OpenDataPage() {
  const lang = useLang();
  const loaded = useData('open-data', async (signal) => {
    const [plan, progress] = await Promise.all([api.plan(signal), api.progress({}, signal)]);
    return { plan, progress };
  });
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'openDataTitle')}</h1>
      <p className="lead">{t(lang, 'openDataIntro')}</p>
      <h2>{t(lang, 'apiNote')}</h2>
      <ul>
        {endpoints.map((e) => <li key={e}><a href={e}><code>{e}</code></a></li>)}
      </ul>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? (
        <DataTable
          title={`${t(lang, 'allIndicators')} — ${t(lang, 'cityWide')}`}
          columns={progressColumns(lang, { link: (c) => `/indicators/${encodeURIComponent(c)}` })}
          rows={groupByCategory(loaded.data.plan, loaded.data.progress).flatMap((g) => g.rows)}
        />
      ) : null}
    </>
  );
}
