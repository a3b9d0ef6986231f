/**
 * The plan-execution workspace (signed in): an owner's reports due and open milestones, the
 * report form with evidence upload; for the city, who is late, the reports to review and the
 * assignment of owners; and the registry editors (entries, approval, xlsx template and upload).
 * The API checks role and scope on every call; the page only hides what a role cannot do.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { pick } from '../i18n.ts';
import { Link, useLang } from '../nav.tsx';
import { ErrorBox, SessionGate, useSession } from '../workspace/session.tsx';
import { planWsApi, type DueRow, type EntryRow, type FileRefOut, type RegistryInfo, type ReportRow, type TaskRow, type UnitRef } from './api.ts';
import { taskStatusLabel } from './model.ts';
import { pt } from './strings.ts';
import './plan.css';

const hasRole = (me: { grants: Array<{ role: string }> }, role: string): boolean => me.grants.some((g) => g.role === role);
const pctText = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function PlanWorkspacePage() {
  return <SessionGate><PlanWorkspace /></SessionGate>;
}

interface Draft { item: string; unit: string; period: string }

function PlanWorkspace() {
  const lang = useLang();
  const { me } = useSession();
  const city = hasRole(me, 'city_admin');
  const [due, setDue] = useState<DueRow[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => { planWsApi.due().then((d) => setDue(d.due), setError); }, []);
  useEffect(reload, [reload]);
  return (
    <>
      <h1 tabIndex={-1}>{pt(lang, 'wsTitle')}</h1>
      <p className="lead">{pt(lang, 'wsIntro')}</p>
      <p><Link to="/workspace/registries" testId="open-registries">{pt(lang, 'registriesLink')}</Link> · <Link to="/plan">{pt(lang, 'planTitle')}</Link></p>
      <ErrorBox error={error} />
      <section aria-labelledby="ws-due">
        <h2 id="ws-due">{pt(lang, 'dueTitle')}</h2>
        {due === null ? <p role="status" className="muted">{pt(lang, 'working')}</p> : due.length === 0 ? <p>{pt(lang, 'nothingDue')}</p> : (
          <div className="table-scroll">
            <table data-testid="plan-due">
              <thead><tr><th scope="col">{pt(lang, 'item')}</th><th scope="col">{pt(lang, 'unit')}</th><th scope="col">{pt(lang, 'period')}</th><th scope="col">{pt(lang, 'due')}</th><th scope="col">{pt(lang, 'state')}</th><th scope="col"><span className="sr-only">{pt(lang, 'write')}</span></th></tr></thead>
              <tbody>
                {due.map((d) => (
                  <tr key={`${d.item}/${d.unit.code}/${d.period}`} data-item={d.item} data-unit={d.unit.code} data-period={d.period}>
                    <th scope="row">{pick(lang, d.title_zh, d.title_en)}</th>
                    <td>{pick(lang, d.unit.name_zh, d.unit.name_en)}</td><td>{d.period}</td><td>{d.due}</td>
                    <td>{d.state === 'not_due' ? '—' : d.days_late !== null ? `${d.state} (${d.days_late})` : d.state}</td>
                    <td><button type="button" className="btn btn-secondary" onClick={() => setDraft({ item: d.item, unit: d.unit.code, period: d.period })}>{pt(lang, 'write')}<span className="sr-only"> {d.item} {d.period}</span></button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {draft ? <ReportForm key={`${draft.item}/${draft.unit}/${draft.period}`} draft={draft} onDone={() => { setDraft(null); reload(); }} /> : null}
      {city ? <><LateUnits /><ReviewQueue /><AssignOwners /></> : null}
    </>
  );
}

function EvidencePicker({ files, onChange }: { files: FileRefOut[]; onChange: (f: FileRefOut[]) => void }) {
  const lang = useLang();
  const [error, setError] = useState<unknown>(null);
  return (
    <div>
      <label>{pt(lang, 'attach')}<input type="file" data-testid="evidence-input" onChange={(e) => {
        const f = e.target.files?.[0];
        if (!f) return;
        setError(null);
        planWsApi.uploadFile(f).then((ref) => onChange([...files.filter((x) => x.sha256 !== ref.sha256), ref]), setError);
      }} /></label>
      <ErrorBox error={error} />
      {files.length > 0 ? <ul className="evidence" data-testid="evidence-list">{files.map((f) => <li key={f.sha256}>{pt(lang, 'attached')}：{f.name} <code className="sha">{f.sha256.slice(0, 12)}…</code></li>)}</ul> : null}
    </div>
  );
}

function ReportForm({ draft, onDone }: { draft: Draft; onDone: () => void }) {
  const lang = useLang();
  const [status, setStatus] = useState('on_track');
  const [reason, setReason] = useState('');
  const [narrativeZh, setNarrativeZh] = useState('');
  const [narrativeEn, setNarrativeEn] = useState('');
  const [files, setFiles] = useState<FileRefOut[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<ReportRow | null>(null);
  const send = async (submit: boolean) => {
    setError(null);
    try {
      const r = await planWsApi.saveReport({ ...draft, status, reason, narrative_zh: narrativeZh, narrative_en: narrativeEn, evidence: files.map((f) => f.sha256), submit });
      setSaved(r);
      if (submit) onDone();
    } catch (err) { setError(err); }
  };
  return (
    <section aria-labelledby="ws-report">
      <h2 id="ws-report">{pt(lang, 'reportForm')}：{draft.item} · {draft.period}</h2>
      <form className="plan-form" data-testid="report-form" onSubmit={(e: FormEvent) => { e.preventDefault(); void send(true); }}>
        <label>{pt(lang, 'status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)} name="status">
            {(['on_track', 'at_risk', 'delayed', 'done'] as const).map((s) => <option key={s} value={s}>{taskStatusLabel(s, lang)}</option>)}
          </select>
        </label>
        <label>{pt(lang, 'reason')}<input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        <label>{pt(lang, 'narrative')}（中文）<textarea name="narrative_zh" required value={narrativeZh} onChange={(e) => setNarrativeZh(e.target.value)} /></label>
        <label>{pt(lang, 'narrative')}（English）<textarea name="narrative_en" value={narrativeEn} onChange={(e) => setNarrativeEn(e.target.value)} /></label>
        <EvidencePicker files={files} onChange={setFiles} />
        <ErrorBox error={error} />
        {saved ? <p role="status" className="notice">{pt(lang, 'saved')}（{saved.state}）</p> : null}
        <div><button type="button" className="btn btn-secondary" onClick={() => void send(false)}>{pt(lang, 'saveDraft')}</button> <button type="submit" className="btn">{pt(lang, 'submit')}</button></div>
      </form>
    </section>
  );
}

function LateUnits() {
  const lang = useLang();
  const [rows, setRows] = useState<Awaited<ReturnType<typeof planWsApi.late>> | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { planWsApi.late().then(setRows, setError); }, []);
  return (
    <section aria-labelledby="ws-late">
      <h2 id="ws-late">{pt(lang, 'lateTitle')}</h2>
      <ErrorBox error={error} />
      {rows === null ? null : (
        <div className="table-scroll">
          <table data-testid="plan-late">
            <caption className="small muted">{rows.today}</caption>
            <thead><tr><th scope="col">{pt(lang, 'unit')}</th><th scope="col" className="num">{pt(lang, 'rate')}</th><th scope="col" className="num">{pt(lang, 'onTimeRate')}</th><th scope="col" className="num">{pt(lang, 'overdueReports')}</th><th scope="col" className="num">{pt(lang, 'overdueMilestones')}</th></tr></thead>
            <tbody>{rows.units.map((u) => (
              <tr key={u.unit.code} data-unit={u.unit.code}>
                <th scope="row">{pick(lang, u.unit.name_zh, u.unit.name_en)}</th>
                <td className="num">{pctText(u.reporting.rate)}</td><td className="num">{pctText(u.reporting.on_time_rate)}</td><td className="num">{u.overdue.length}</td><td className="num">{u.overdue_milestones}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ReviewQueue() {
  const lang = useLang();
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [note, setNote] = useState<Record<number, string>>({});
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => { planWsApi.reports().then((r) => setRows(r.filter((x) => x.state === 'submitted')), setError); }, []);
  useEffect(reload, [reload]);
  const review = async (id: number, decision: 'accept' | 'return') => {
    setError(null);
    try { await planWsApi.review(id, decision, note[id] ?? ''); reload(); } catch (err) { setError(err); }
  };
  return (
    <section aria-labelledby="ws-review">
      <h2 id="ws-review">{pt(lang, 'reviewTitle')}</h2>
      <ErrorBox error={error} />
      {rows === null ? null : (
        <ul className="reports" data-testid="plan-review">
          {rows.slice(0, 50).map((r) => (
            <li key={r.id} data-id={r.id}>
              <p><strong>{r.item}</strong> · {pick(lang, r.unit.name_zh, r.unit.name_en)} · {r.period} · {taskStatusLabel(r.status, lang)}</p>
              <p>{pick(lang, r.narrative_zh, r.narrative_en)}</p>
              <label>{pt(lang, 'returnNote')}<input value={note[r.id] ?? ''} onChange={(e) => setNote({ ...note, [r.id]: e.target.value })} /></label>
              <div><button type="button" className="btn" onClick={() => void review(r.id, 'accept')}>{pt(lang, 'accept')}<span className="sr-only"> {r.item} {r.unit.code} {r.period}</span></button> <button type="button" className="btn btn-secondary" onClick={() => void review(r.id, 'return')}>{pt(lang, 'returnIt')}<span className="sr-only"> {r.item} {r.unit.code} {r.period}</span></button></div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AssignOwners() {
  const lang = useLang();
  const [tasks, setTasks] = useState<TaskRow[]>([]);
  const [units, setUnits] = useState<UnitRef[]>([]);
  const [item, setItem] = useState('');
  const [lead, setLead] = useState('');
  const [co, setCo] = useState<string[]>([]);
  const [frequency, setFrequency] = useState('semiannual');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => { planWsApi.tasks().then(setTasks, setError); planWsApi.units().then(setUnits, setError); }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try { await planWsApi.assign(item, lead, co, frequency); setDone(item); } catch (err) { setError(err); }
  };
  return (
    <section aria-labelledby="ws-assign">
      <h2 id="ws-assign">{pt(lang, 'assignTitle')}</h2>
      <form className="plan-form" onSubmit={(e) => void submit(e)} data-testid="assign-form">
        <label>{pt(lang, 'item')}<select required value={item} onChange={(e) => setItem(e.target.value)}><option value="" />{tasks.map((t) => <option key={t.code} value={t.code}>{t.source} {pick(lang, t.title_zh, t.title_en)}</option>)}</select></label>
        <label>{pt(lang, 'leadUnit')}<select required value={lead} onChange={(e) => setLead(e.target.value)}><option value="" />{units.map((u) => <option key={u.code} value={u.code}>{pick(lang, u.name_zh, u.name_en)}</option>)}</select></label>
        <label>{pt(lang, 'coUnits')}<select multiple value={co} onChange={(e) => setCo(Array.from(e.target.selectedOptions, (o) => o.value))}>{units.map((u) => <option key={u.code} value={u.code}>{pick(lang, u.name_zh, u.name_en)}</option>)}</select></label>
        <label>{pt(lang, 'frequency')}<select value={frequency} onChange={(e) => setFrequency(e.target.value)}>{['semiannual', 'quarterly', 'annual'].map((f) => <option key={f} value={f}>{f}</option>)}</select></label>
        <ErrorBox error={error} />
        {done ? <p role="status" className="notice">{pt(lang, 'done')}{done}</p> : null}
        <div><button type="submit" className="btn">{pt(lang, 'assign')}</button></div>
      </form>
    </section>
  );
}

// ---- registries

export function RegistriesPage() {
  return <SessionGate><RegistriesList /></SessionGate>;
}

function RegistriesList() {
  const lang = useLang();
  const [rows, setRows] = useState<RegistryInfo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { planWsApi.registries().then(setRows, setError); }, []);
  return (
    <>
      <h1 tabIndex={-1}>{pt(lang, 'registriesTitle')}</h1>
      <p className="lead">{pt(lang, 'registriesIntro')}</p>
      <ErrorBox error={error} />
      {rows === null ? <p role="status" className="muted">{pt(lang, 'working')}</p> : (
        <div className="table-scroll">
          <table data-testid="registries">
            <thead><tr><th scope="col">{pt(lang, 'registry')}</th><th scope="col" className="num">{pt(lang, 'approved')}</th><th scope="col" className="num">{pt(lang, 'submitted')}</th><th scope="col">{pt(lang, 'countsFor')}</th></tr></thead>
            <tbody>{rows.map((r) => (
              <tr key={r.id} data-id={r.id}>
                <th scope="row"><Link to={`/workspace/registries/${r.id}`}>{pick(lang, r.name_zh, r.name_en)}</Link></th>
                <td className="num">{r.entries.approved}</td><td className="num">{r.entries.submitted}</td><td className="small">{r.targets.join(', ')}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function RegistryPage({ id }: { id: string }) {
  return <SessionGate><RegistryEditor id={id} /></SessionGate>;
}

function RegistryEditor({ id }: { id: string }) {
  const lang = useLang();
  const { me } = useSession();
  const city = hasRole(me, 'city_admin');
  const [info, setInfo] = useState<RegistryInfo | null>(null);
  const [entries, setEntries] = useState<EntryRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [doc, setDoc] = useState<FileRefOut[]>([]);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const reload = useCallback(() => { planWsApi.entries(id).then(setEntries, setError); }, [id]);
  useEffect(() => { planWsApi.registries().then((rs) => setInfo(rs.find((r) => r.id === id) ?? null), setError); reload(); }, [id, reload]);
  const edit = (e: EntryRow) => {
    setCode(e.entry_code);
    setFields(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, String(v)])));
    setDoc(e.document ? [e.document] : []);
    setVersion(e.version);
  };
  const save = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      const saved = await planWsApi.saveEntry(id, code, fields, doc.at(-1)?.sha256 ?? null, version);
      setNotice(`${saved.entry_code}（${saved.state}）`);
      setCode(''); setFields({}); setDoc([]); setVersion(undefined);
      reload();
    } catch (err) { setError(err); }
  };
  const act = async (f: () => Promise<unknown>, what: string) => {
    setError(null);
    try { await f(); setNotice(what); reload(); } catch (err) { setError(err); }
  };
  if (!info) return <><h1 tabIndex={-1}>{pt(lang, 'registry')} {id}</h1><ErrorBox error={error} /></>;
  const shown = info.fields.slice(0, 4);
  return (
    <>
      <p className="breadcrumb"><Link to="/workspace/registries">{pt(lang, 'registriesTitle')}</Link></p>
      <h1 tabIndex={-1}>{pick(lang, info.name_zh, info.name_en)}</h1>
      <p className="lead">{pick(lang, info.description_zh, info.description_en)}</p>
      <p><a href={planWsApi.templateUrl(id)} data-testid="registry-template">{pt(lang, 'template')}</a></p>
      <label>{pt(lang, 'upload')}<input type="file" accept=".xlsx" data-testid="registry-upload" onChange={(e) => {
        const f = e.target.files?.[0];
        if (f) void act(() => planWsApi.uploadWorkbook(id, f), `${pt(lang, 'uploaded')} ${f.name}`);
      }} /></label>
      <ErrorBox error={error} />
      {notice ? <p role="status" className="notice" data-testid="registry-notice">{pt(lang, 'done')}{notice}</p> : null}
      <h2>{pt(lang, 'entries')}</h2>
      {entries === null ? <p role="status" className="muted">{pt(lang, 'working')}</p> : (
        <div className="table-scroll">
          <table data-testid="registry-entries">
            <thead><tr><th scope="col">{pt(lang, 'entryCode')}</th>{shown.map((f) => <th key={f.key} scope="col">{pick(lang, f.label_zh, f.label_en)}</th>)}<th scope="col">{pt(lang, 'state')}</th><th scope="col">{pt(lang, 'document')}</th><th scope="col"><span className="sr-only">{pt(lang, 'edit')}</span></th></tr></thead>
            <tbody>{entries.map((e) => (
              <tr key={e.entry_code} data-code={e.entry_code} data-state={e.state}>
                <th scope="row">{e.entry_code}</th>
                {shown.map((f) => <td key={f.key}>{String(e.fields[f.key] ?? '')}</td>)}
                <td>{pt(lang, e.state)}{e.reason ? `：${e.reason}` : ''}</td>
                <td className="small">{e.document?.name ?? '—'}</td>
                <td>
                  <button type="button" className="btn btn-secondary" onClick={() => edit(e)}>{pt(lang, 'edit')}<span className="sr-only"> {e.entry_code}</span></button>
                  {' '}<button type="button" className="btn btn-secondary" onClick={() => void act(() => planWsApi.deleteEntry(id, e.entry_code), `${pt(lang, 'delete')} ${e.entry_code}`)}>{pt(lang, 'delete')}<span className="sr-only"> {e.entry_code}</span></button>
                  {city && e.state === 'submitted' ? <> <button type="button" className="btn" onClick={() => void act(() => planWsApi.reviewEntry(id, e.entry_code, 'approve'), `${pt(lang, 'approved')} ${e.entry_code}`)}>{pt(lang, 'accept')}<span className="sr-only"> {e.entry_code}</span></button></> : null}
                </td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      <h2>{pt(lang, 'newEntry')}</h2>
      <form className="plan-form" onSubmit={(e) => void save(e)} data-testid="entry-form">
        <label>{pt(lang, 'entryCode')}<input name="entry_code" required value={code} onChange={(e) => setCode(e.target.value)} /></label>
        {info.fields.map((f) => (
          <label key={f.key}>{pick(lang, f.label_zh, f.label_en)}{f.required ? ' *' : ''}
            {f.choices ? (
              <select name={f.key} value={fields[f.key] ?? ''} onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })}>
                <option value="" />
                {f.choices.map((c) => <option key={c.value} value={c.value}>{pick(lang, c.label_zh, c.label_en)}</option>)}
              </select>
            ) : <input name={f.key} value={fields[f.key] ?? ''} onChange={(e) => setFields({ ...fields, [f.key]: e.target.value })} />}
          </label>
        ))}
        <EvidencePicker files={doc} onChange={setDoc} />
        <div><button type="submit" className="btn">{pt(lang, 'save')}</button></div>
      </form>
    </>
  );
}
