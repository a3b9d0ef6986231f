/**
 * 学分银行 on the public portal: the released credit statistics (credits accumulated and
 * converted per year, source kind and district; cells under 10 learners withheld), each year
 * with the release it came from, and the ways in for the public — verifying a credential and
 * a learner's own record.
 */
import { LoadState, useData } from '../components.tsx';
import { formatNumber, releaseDate } from '../format.ts';
import { Link, useLang } from '../nav.tsx';
import type { Lang } from '../i18n.ts';
import { useSite } from '../site.tsx';
import { creditApi } from './api.ts';
import { cr, kindName } from './strings.ts';

type Region = NonNullable<NonNullable<ReturnType<typeof useSite>>['region']>;

/** A unit's name from /api/site's region (the root and the units under it); its code until that answers. */
const unitName = (lang: Lang, region: Region | null | undefined, code: string): string => {
  const pick = (u: { name_zh: string; name_en: string }): string => (lang === 'zh' ? u.name_zh : u.name_en);
  if (region && code === region.root.code) return `${pick(region.root)} · ${cr(lang, 'cityLevel')}`;
  const d = region?.units.find((x) => x.code === code);
  return d ? pick(d) : code;
};

export function CreditStatisticsPage() {
  const lang = useLang();
  const region = useSite()?.region;
  const districtName = (l: Lang, code: string): string => unitName(l, region, code);
  const stats = useData('credit-statistics', () => creditApi.publishedStatistics());
  const num = (v: number | null): string => (v === null ? '' : formatNumber(v, lang));
  return (
    <>
      <h1 tabIndex={-1}>{cr(lang, 'statsTitle')}</h1>
      <p className="lead">{cr(lang, 'statsIntro')}</p>
      <section aria-labelledby="credit-services">
        <h2 id="credit-services">{cr(lang, 'servicesTitle')}</h2>
        <ul>
          <li><Link to="/credentials/verify" testId="to-verify">{cr(lang, 'toVerify')}</Link></li>
          <li><Link to="/credits/learner" testId="to-learner">{cr(lang, 'toLearner')}</Link></li>
        </ul>
      </section>
      {stats.state !== 'ok' ? <LoadState loaded={stats} /> : stats.data.years.length === 0 ? <p data-testid="credit-stats-none">{cr(lang, 'statsNone')}</p> : (
        stats.data.years.slice().reverse().map((y) => (
          <section key={y.year} data-testid="credit-stats-year" data-year={y.year}>
            <h2>{y.year}</h2>
            <p className="muted small">{cr(lang, 'releasedAt', { date: releaseDate(y.release.released_at), year: y.release.year, version: y.release.version })}</p>
            <div className="table-scroll">
              <table className="data-table" data-testid="credit-stats">
                <thead><tr>
                  <th scope="col">{cr(lang, 'district')}</th><th scope="col">{cr(lang, 'kind')}</th><th scope="col">{cr(lang, 'learners')}</th>
                  <th scope="col">{cr(lang, 'creditsAccumulated')}</th><th scope="col">{cr(lang, 'creditsConverted')}</th>
                </tr></thead>
                <tbody>
                  {y.rows.map((r) => (
                    <tr key={`${r.district_code}-${r.source_kind}`} data-suppressed={r.suppressed ? 'yes' : 'no'}>
                      <td>{districtName(lang, r.district_code)}</td><td>{kindName(lang, r.source_kind)}</td>
                      {r.suppressed ? <td colSpan={3} className="muted">{cr(lang, 'suppressed')}</td> : <><td>{num(r.learners)}</td><td>{num(r.credits_accumulated)}</td><td>{num(r.credits_recognised)}</td></>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </>
  );
}
