/** District pages (各区): the list of the 16 districts, and one district's indicators and status. */
import { api, type OrgUnit } from '../api.ts';
import { DataTable, LoadState, StatusSummary, useData } from '../components.tsx';
import { pick, t } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';
import { DataUpdated, NotReleased, groupByCategory, progressColumns } from './overview.tsx';

function sortDistricts(units: OrgUnit[]): OrgUnit[] {
  return [...units].sort((a, b) => a.code.localeCompare(b.code));
}

function DistrictNav({ units, current }: { units: OrgUnit[]; current?: string }) {
  const lang = useLang();
  return (
    <nav aria-label={t(lang, 'navDistricts')}>
      <ul className="district-list" data-testid="district-list">
        {sortDistricts(units).map((u) => (
          <li key={u.code}>
            <Link to={`/districts/${u.code}`} ariaCurrent={u.code === current}>{pick(lang, u.name_zh, u.name_en)}</Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function DistrictsPage() {
  const lang = useLang();
  const loaded = useData('org-units', (signal) => api.orgUnits(signal));
  return (
    <>
      <h1 tabIndex={-1}>{t(lang, 'districtsTitle')}</h1>
      <p className="lead">{t(lang, 'districtsIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? <DistrictNav units={loaded.data} /> : null}
    </>
  );
}

export function DistrictPage({ code }: { code: string }) {
  const lang = useLang();
  const loaded = useData(`district:${code}`, async (signal) => {
    const [units, plan, progress] = await Promise.all([api.orgUnits(signal), api.plan(signal), api.progress({ org: code }, signal)]);
    return { units, plan, progress };
  });
  const unit = loaded.state === 'ok' ? loaded.data.units.find((u) => u.code === code) : undefined;
  const name = unit ? pick(lang, unit.name_zh, unit.name_en) : code;
  return (
    <>
      <p className="breadcrumb"><Link to="/districts">{t(lang, 'navDistricts')}</Link></p>
      <h1 tabIndex={-1} data-testid="district-title">{name}</h1>
      <p className="lead">{t(lang, 'districtPageIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.state === 'ok' ? (
        <>
          {loaded.data.progress.some((p) => p.release !== null) ? (
            <>
              <DataUpdated items={loaded.data.progress} />
              <StatusSummary statuses={loaded.data.progress.map((p) => p.status)} />
              <DataTable
                testId="district-progress-table"
                title={`${name} — ${t(lang, 'allIndicators')}`}
                columns={progressColumns(lang, { link: (c) => `/indicators/${encodeURIComponent(c)}?org=${code}` })}
                rows={groupByCategory(loaded.data.plan, loaded.data.progress).flatMap((g) => g.rows)}
              />
            </>
          ) : <NotReleased />}
          <h2>{t(lang, 'navDistricts')}</h2>
          <DistrictNav units={loaded.data.units} current={code} />
        </>
      ) : null}
    </>
  );
}
