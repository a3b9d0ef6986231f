/**
 * 学习型城市建设监测 (public): the released learning-city figures — KPI 8 (服务市民终身学习人次),
 * 老年教育活动参与率 per district against 50 %, the network's coverage (街镇老年教育学校, 示范性老年大学),
 * and the framework's items (UNESCO areas) with the city's value. Released figures only
 * (GET /api/learning-city); a withheld or missing value says so, never 0.
 */
import type { PublicLearningCity } from '../../contract/learning.ts';
import { getJson } from '../api.ts';
import { LoadState, useData } from '../components.tsx';
import { formatNumber } from '../format.ts';
import { pick, type Lang } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';
import { useSite } from '../site.tsx';

const s = {
  title: { zh: '学习型城市建设监测', en: 'Learning-city monitoring' },
  intro: { zh: '依据规划三、(七)与专栏12，展示已发布的学习型城市监测数据。未发布的数据不在此显示。', en: 'Released learning-city figures under 三、(七) and 专栏12 of the plan. Figures not yet released are not shown.' },
  none: { zh: '尚无已发布的学习型城市监测数据。', en: 'No learning-city figures have been released yet.' },
  kpi8: { zh: '服务市民终身学习人次（全市）', en: 'Lifelong-learning participations served (city)' },
  kpi8Target: { zh: '目标：2025年不少于500万人次', en: 'Target: at least 5 million by 2025' },
  elderly: { zh: '各区老年教育活动参与率（目标50%）', en: 'Elderly participation in education per district (target 50 %)' },
  network: { zh: '服务网络覆盖', en: 'Service network coverage' },
  framework: { zh: '监测指标框架（联合国教科文组织学习型城市关键特征）', en: 'Monitoring framework (UNESCO Key Features of Learning Cities)' },
  district: { zh: '区', en: 'District' },
  participants: { zh: '参与的老年人', en: 'Older participants' },
  population: { zh: '60岁及以上人口', en: 'Population 60+' },
  rate: { zh: '参与率', en: 'Rate' },
  vsTarget: { zh: '对照目标', en: 'Against target' },
  met: { zh: '达到', en: 'met' },
  notMet: { zh: '未达到', en: 'not met' },
  withheld: { zh: '不足10人，不公布', en: 'withheld (under 10 persons)' },
  missing: { zh: '缺数据', en: 'missing' },
  coverage: { zh: '街镇老年教育学校覆盖率', en: 'Sub-districts with an elderly-education school' },
  universities: { zh: '示范性老年大学', en: 'Model universities for the elderly' },
  item: { zh: '监测项', en: 'Item' },
  areas: { zh: '领域', en: 'Areas' },
  source: { zh: '规划依据', en: 'Plan source' },
  value: { zh: '全市数值', en: 'City value' },
  target: { zh: '目标', en: 'Target' },
  released: { zh: '发布版本', en: 'Release' },
} as const;
const l = (lang: Lang, k: keyof typeof s): string => s[k][lang];

type Figure = PublicLearningCity['figures'][number];
const num = (v: number | null, lang: Lang, digits = 1): string => (v === null ? '—' : Number.isInteger(v) ? formatNumber(v, lang) : v.toFixed(digits));

function FigureValue({ f, unit }: { f: Figure | undefined; unit: string }) {
  const lang = useLang();
  if (!f || (f.value === null && !f.suppressed)) return <span className="muted" data-missing="true">{l(lang, 'missing')}</span>;
  if (f.suppressed) return <span className="suppressed" data-suppressed="true">{l(lang, 'withheld')}</span>;
  return <span>{num(f.value, lang)}{unit}</span>;
}

export function LearningCityPage(props: { year?: number | undefined }) {
  const lang = useLang();
  const rootCode = useSite()?.region?.root.code ?? '';
  const q = props.year ? `?year=${props.year}` : '';
  const loaded = useData(`learning-city${q}`, (signal) => getJson<PublicLearningCity>(`/api/learning-city${q}`, signal));
  if (loaded.state !== 'ok') return <><h1 tabIndex={-1}>{l(lang, 'title')}</h1><LoadState loaded={loaded} /></>;
  const d = loaded.data;
  const fig = (figure: string, org: string): Figure | undefined => d.figures.find((f) => f.figure === figure && f.org_code === org);
  const city = d.figures.find((f) => f.level === 'city')?.org_code ?? rootCode;
  const districts = d.figures.filter((f) => f.figure === 'elderly_participation_rate' && f.level === 'district');
  const kpi8 = d.kpi8.find((k) => k.org_code === city);
  const itemValue = (it: PublicLearningCity['framework']['items'][number]): { f: Figure | undefined; kpi?: number | null } => {
    if (it.input.kind === 'indicator') return { f: undefined, kpi: kpi8?.value ?? null };
    return { f: fig(it.input.kind === 'figure' ? it.input.figure : it.code, city) };
  };
  return (
    <>
      <h1 tabIndex={-1}>{l(lang, 'title')}{d.year ? ` · ${d.year}` : ''}</h1>
      <p className="lead">{l(lang, 'intro')}</p>
      {d.years.length > 1 ? (
        <p className="muted small">{d.years.map((y) => <span key={y}><Link to={`/learning-city?year=${y}`}>{y}</Link> </span>)}</p>
      ) : null}
      {d.release === null ? <p data-testid="learning-none">{l(lang, 'none')}</p> : (
        <>
          <p className="muted small">{l(lang, 'released')} v{d.release.version} · <time dateTime={d.release.released_at}>{d.release.released_at.slice(0, 10)}</time></p>
          <section aria-labelledby="lc-kpi8">
            <h2 id="lc-kpi8">{l(lang, 'kpi8')}</h2>
            <p data-testid="learning-kpi8" className="big-number">{kpi8 && kpi8.value !== null ? formatNumber(kpi8.value, lang) : l(lang, 'missing')}</p>
            <p className="muted small">{l(lang, 'kpi8Target')}</p>
          </section>
          <section aria-labelledby="lc-elderly">
            <h2 id="lc-elderly">{l(lang, 'elderly')}</h2>
            <table data-testid="learning-elderly">
              <thead><tr><th scope="col">{l(lang, 'district')}</th><th scope="col">{l(lang, 'participants')}</th><th scope="col">{l(lang, 'population')}</th><th scope="col">{l(lang, 'rate')}</th><th scope="col">{l(lang, 'vsTarget')}</th></tr></thead>
              <tbody>
                {[...districts, ...(fig('elderly_participation_rate', city) ? [fig('elderly_participation_rate', city) as Figure] : [])].map((f) => (
                  <tr key={f.org_code} data-org={f.org_code}>
                    <th scope="row">{f.level === 'district' ? <Link to={`/districts/${f.org_code}`}>{pick(lang, f.name_zh, f.name_en)}</Link> : pick(lang, f.name_zh, f.name_en)}</th>
                    <td>{f.suppressed ? '—' : num(f.numerator, lang)}</td>
                    <td>{num(f.denominator, lang)}</td>
                    <td><FigureValue f={f} unit="%" /></td>
                    <td>{f.value === null || f.target === null ? '—' : f.value >= f.target ? l(lang, 'met') : l(lang, 'notMet')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="lc-network">
            <h2 id="lc-network">{l(lang, 'network')}</h2>
            <ul data-testid="learning-network">
              <li>{l(lang, 'coverage')}: <FigureValue f={fig('street_elderly_school_coverage', city)} unit="%" /></li>
              <li>{l(lang, 'universities')}: <FigureValue f={fig('model_elderly_universities', city)} unit="%" /></li>
            </ul>
          </section>
        </>
      )}
      <section aria-labelledby="lc-framework">
        <h2 id="lc-framework">{l(lang, 'framework')}</h2>
        <table data-testid="learning-framework">
          <thead><tr><th scope="col">{l(lang, 'item')}</th><th scope="col">{l(lang, 'areas')}</th><th scope="col">{l(lang, 'source')}</th><th scope="col">{l(lang, 'value')}</th><th scope="col">{l(lang, 'target')}</th></tr></thead>
          <tbody>
            {d.framework.items.map((it) => {
              const v = itemValue(it);
              return (
                <tr key={it.code} data-item={it.code}>
                  <th scope="row">{pick(lang, it.name_zh, it.name_en)}</th>
                  <td>{it.areas.map((a) => pick(lang, d.framework.areas.find((x) => x.code === a)?.name_zh, d.framework.areas.find((x) => x.code === a)?.name_en)).join('；')}</td>
                  <td>{it.section}</td>
                  <td>{v.kpi !== undefined ? (v.kpi === null ? <span className="muted">{l(lang, 'missing')}</span> : formatNumber(v.kpi, lang)) : <FigureValue f={v.f} unit={it.unit === "%" ? "%" : ""} />}</td>
                  <td>{it.target ? `${it.target.comparator} ${formatNumber(it.target.value, lang)}（${it.target.year}）` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
