/**
 * The city's view of the year (市级): completeness and timeliness per district and form,
 * and the approved submissions waiting to be locked.
 */
import { useCallback, useEffect, useState } from 'react';
import { useLang } from '../nav.tsx';
import { pick } from '../i18n.ts';
import { useSite } from '../site.tsx';
import { wsApi, type ListItem } from './api.ts';
import { percent } from './model.ts';
import { SubmissionTable } from './parts.tsx';
import { ErrorBox } from './session.tsx';
import { ws } from './strings.ts';

export function CityProgress(props: { year: number }) {
  const lang = useLang();
  const [cells, setCells] = useState<Awaited<ReturnType<typeof wsApi.progress>> | null>(null);
  // The units directly under the root (a province's prefecture cities), and the root for the schools it runs itself.
  const region = useSite()?.region;
  const districts = new Map<string, { name_zh: string; name_en: string }>([...(region ? [region.root, ...region.units] : [])].map((u) => [u.code, u]));
  const [formNames, setFormNames] = useState<Map<string, { name_zh: string; name_en: string }>>(new Map());
  const [approved, setApproved] = useState<ListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const reload = useCallback(() => {
    wsApi.progress(props.year).then(setCells, setError);
    wsApi.list({ year: props.year, state: 'approved' }).then(setApproved, setError);
  }, [props.year]);
  useEffect(() => {
    reload();
    wsApi.forms().then((fs) => setFormNames(new Map(fs.map((f) => [f.code, f]))), () => undefined);
  }, [reload]);
  const lock = async (r: ListItem) => {
    setError(null);
    try {
      await wsApi.lock(r.id);
      setDone(`${ws(lang, 'lock')} ${r.orgName}`);
      reload();
    } catch (err) { setError(err); }
  };
  return (
    <section>
      <h2>{ws(lang, 'cityTitle')}</h2>
      <p className="lead">{ws(lang, 'cityIntro')}</p>
      <ErrorBox error={error} />
      {cells === null ? <p role="status" className="muted">{ws(lang, 'working')}</p> : (
        <div className="table-scroll">
          <table className="data-table" data-testid="city-progress">
            <thead><tr>
              <th scope="col">{ws(lang, 'district')}</th><th scope="col">{ws(lang, 'form')}</th><th scope="col" className="num">{ws(lang, 'expected')}</th>
              <th scope="col" className="num">{ws(lang, 'submittedCount')}</th><th scope="col" className="num">{ws(lang, 'approvedCount')}</th><th scope="col" className="num">{ws(lang, 'lockedCount')}</th>
              <th scope="col" className="num">{ws(lang, 'onTime')}</th><th scope="col" className="num">{ws(lang, 'completeness')}</th><th scope="col" className="num">{ws(lang, 'timeliness')}</th>
            </tr></thead>
            <tbody>
              {cells.map((c) => {
                const d = districts.get(c.district_code);
                return (
                  <tr key={`${c.district_code}/${c.form_code}`} data-district={c.district_code} data-form={c.form_code}>
                    <th scope="row">{d ? pick(lang, d.name_zh, d.name_en) : c.district_code}</th>
                    <td>{formNames.get(c.form_code) ? pick(lang, formNames.get(c.form_code)?.name_zh, formNames.get(c.form_code)?.name_en) : c.form_code}</td>
                    <td className="num">{c.expected}</td><td className="num" data-col="submitted">{c.submitted}</td><td className="num" data-col="approved">{c.approved}</td>
                    <td className="num" data-col="locked">{c.locked}</td><td className="num">{c.on_time}</td>
                    <td className="num" data-col="completeness">{percent(c.completeness)}</td><td className="num">{percent(c.timeliness)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h2>{ws(lang, 'toLock')}</h2>
      {done && <p role="status" className="notice" data-testid="ws-done">{ws(lang, 'done')}{done}</p>}
      <SubmissionTable rows={approved} testId="to-lock" extra={(r) => (
        <> <button type="button" className="btn btn-small" data-testid="lock" onClick={() => void lock(r)}>{ws(lang, 'lock')}<span className="sr-only"> {r.orgName}</span></button></>
      )} />
    </section>
  );
}
