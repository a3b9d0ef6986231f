/**
 * The credit bank's workspace (学分银行工作台, docs/credit-bank.md): an institution's officer
 * registers learners' outcomes (a credential is issued), hands a learner a one-time code and
 * applies for recognitions; the receiving institution reviews its queue — recognise, or
 * refuse with a reason; a refusal by a rule's cap shows the cap's reason and offers it as the
 * refusal's. District reviewers and the city read the same lists in their scope. The API
 * checks role and scope on every request; the page only hides what the role cannot do.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { checkIdNumber } from '../../core/standards/id-number.ts';
import { sourceKinds, type SourceKind } from '../../core/credits/rules.ts';
import { pick } from '../i18n.ts';
import { useLang } from '../nav.tsx';
import { hasRole } from '../workspace/parts.tsx';
import { ErrorBox, SessionGate, useSession } from '../workspace/session.tsx';
import { WsApiError } from '../workspace/api.ts';
import { creditApi, type InstitutionOutcomeView, type InstitutionView, type RecognitionView, type RuleView } from './api.ts';
import { cr, kindName, stateName } from './strings.ts';

const today = (): string => new Date().toISOString().slice(0, 10);

export function CreditWorkspacePage() {
  return <SessionGate><CreditWorkspace /></SessionGate>;
}

function CreditWorkspace() {
  const lang = useLang();
  const { me } = useSession();
  const [institutions, setInstitutions] = useState<InstitutionView[] | null>(null);
  const [outcomes, setOutcomes] = useState<InstitutionOutcomeView[] | null>(null);
  const [recognitions, setRecognitions] = useState<RecognitionView[] | null>(null);
  const [rules, setRules] = useState<RuleView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const reads = ['credit_officer', 'district_reviewer', 'city_admin', 'analyst'].some((r) => hasRole(me, r));

  const reload = useCallback(async () => {
    try {
      const [i, o, r, u] = await Promise.all([creditApi.institutions(), creditApi.outcomes(), creditApi.recognitions(), creditApi.rules()]);
      setInstitutions(i);
      setOutcomes(o);
      setRecognitions(r);
      setRules(u);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => { if (reads) void reload(); }, [reads, reload]);

  if (!reads) return <><h1 tabIndex={-1}>{cr(lang, 'wsTitle')}</h1><p>{cr(lang, 'notForRole')}</p></>;
  const registering = (institutions ?? []).filter((i) => i.may_register);
  const reviewing = new Set((institutions ?? []).filter((i) => i.may_review).map((i) => i.code));
  return (
    <>
      <h1 tabIndex={-1}>{cr(lang, 'wsTitle')}</h1>
      <p className="lead">{cr(lang, 'wsIntro')}</p>
      <ErrorBox error={error} />
      {institutions !== null && institutions.length === 0 && <p data-testid="no-institution">{cr(lang, 'noInstitution')}</p>}
      {registering.length > 0 && <RegisterOutcome institutions={registering} onDone={reload} />}
      {registering.length > 0 && <LearnerCode institutions={registering} />}
      {outcomes !== null && <OutcomeList outcomes={outcomes} rules={rules} mayApply={new Set(registering.map((i) => i.code))} onDone={reload} />}
      {recognitions !== null && <RecognitionQueue recognitions={recognitions} outcomes={outcomes ?? []} institutions={institutions ?? []} reviewing={reviewing} onDone={reload} />}
    </>
  );
}

function InstitutionSelect(props: { institutions: InstitutionView[]; value: string; onChange: (code: string) => void; testId: string }) {
  const lang = useLang();
  return (
    <label>{cr(lang, 'institution')}
      <select className="ws-select" value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.institutions.map((i) => <option key={i.code} value={i.code}>{pick(lang, i.name_zh, i.name_en)} ({i.code})</option>)}
      </select>
    </label>
  );
}

/** The ID number checked here first (GB 11643, the same check the server makes): a typing error is caught before the request. */
function idProblem(lang: 'zh' | 'en', idNumber: string): Error | null {
  const c = checkIdNumber(idNumber.trim());
  return c.ok ? null : new Error(`${cr(lang, 'idInvalid')}${lang === 'zh' ? c.message_zh : c.message_en}`);
}

function RegisterOutcome(props: { institutions: InstitutionView[]; onDone: () => Promise<void> }) {
  const lang = useLang();
  const [inst, setInst] = useState(props.institutions[0]?.code ?? '');
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [achievement, setAchievement] = useState({ name: '', code: '', description: '', kind: 'non_formal' as SourceKind, credits: '1', level: '', hours: '' });
  const [issuedOn, setIssuedOn] = useState(today());
  const [consent, setConsent] = useState(true);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const bad = idProblem(lang, idNumber);
    if (bad) { setError(bad); return; }
    setError(null);
    setBusy(true);
    try {
      const r = await creditApi.register({
        learner_id_number: idNumber.trim(), learner_name: name.trim(), issuer_org_code: inst, issued_on: issuedOn, consent,
        achievement: {
          name: achievement.name.trim(), description: achievement.description.trim(), kind: achievement.kind, credits: Number(achievement.credits),
          ...(achievement.code.trim() ? { code: achievement.code.trim() } : {}),
          ...(achievement.level ? { level: Number(achievement.level) } : {}),
          ...(achievement.hours ? { hours: Number(achievement.hours) } : {}),
        },
      });
      // The ID number and name leave the page with the request: the form forgets them.
      setIdNumber('');
      setName('');
      setDone(r.credential_id);
      await props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof typeof achievement) => (e: { target: { value: string } }) => setAchievement({ ...achievement, [k]: e.target.value });
  return (
    <section>
      <h2>{cr(lang, 'registerTitle')}</h2>
      <p>{cr(lang, 'registerIntro')}</p>
      <form className="ws-form" onSubmit={(e) => void submit(e)} data-testid="register-outcome">
        <InstitutionSelect institutions={props.institutions} value={inst} onChange={setInst} testId="register-institution" />
        <label>{cr(lang, 'idNumber')}<input name="learner_id_number" autoComplete="off" spellCheck={false} required maxLength={18} value={idNumber} onChange={(e) => setIdNumber(e.target.value)} /></label>
        <label>{cr(lang, 'learnerName')}<input name="learner_name" autoComplete="off" required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label>{cr(lang, 'achievementName')}<input name="achievement_name" required value={achievement.name} onChange={set('name')} /></label>
        <label>{cr(lang, 'achievementCode')}<input name="achievement_code" value={achievement.code} onChange={set('code')} /></label>
        <label>{cr(lang, 'description')}<input name="description" value={achievement.description} onChange={set('description')} /></label>
        <label>{cr(lang, 'kind')}
          <select className="ws-select" name="kind" value={achievement.kind} onChange={(e) => setAchievement({ ...achievement, kind: e.target.value as SourceKind })}>
            {sourceKinds.map((k) => <option key={k} value={k}>{kindName(lang, k)}</option>)}
          </select>
        </label>
        <label>{cr(lang, 'credits')}<input name="credits" type="number" min={0} max={200} step="0.5" required value={achievement.credits} onChange={set('credits')} /></label>
        <label>{cr(lang, 'level')}<input name="level" type="number" min={1} max={7} value={achievement.level} onChange={set('level')} /></label>
        <label>{cr(lang, 'hours')}<input name="hours" type="number" min={0} max={10000} value={achievement.hours} onChange={set('hours')} /></label>
        <label>{cr(lang, 'issuedOn')}<input name="issued_on" type="date" required value={issuedOn} onChange={(e) => setIssuedOn(e.target.value)} /></label>
        <label className="checkbox"><input type="checkbox" name="consent" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {cr(lang, 'consent')}</label>
        <ErrorBox error={error} />
        {done !== null && <p role="status" className="notice" data-testid="registered" data-credential={done}>{cr(lang, 'registered', { id: done })}</p>}
        <button type="submit" className="btn" disabled={busy}>{busy ? cr(lang, 'working') : cr(lang, 'register')}</button>
      </form>
    </section>
  );
}

function LearnerCode(props: { institutions: InstitutionView[] }) {
  const lang = useLang();
  const [inst, setInst] = useState(props.institutions[0]?.code ?? '');
  const [idNumber, setIdNumber] = useState('');
  const [code, setCode] = useState<{ code: string; expires_at: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCode(null);
    const bad = idProblem(lang, idNumber);
    if (bad) { setError(bad); return; }
    setError(null);
    try {
      setCode(await creditApi.learnerCode(idNumber.trim(), inst));
      setIdNumber('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>{cr(lang, 'codeTitle')}</h2>
      <p>{cr(lang, 'codeIntro')}</p>
      <form className="ws-form" onSubmit={(e) => void submit(e)} data-testid="learner-code-form">
        <InstitutionSelect institutions={props.institutions} value={inst} onChange={setInst} testId="code-institution" />
        <label>{cr(lang, 'idNumber')}<input name="learner_id_number" autoComplete="off" spellCheck={false} required maxLength={18} value={idNumber} onChange={(e) => setIdNumber(e.target.value)} /></label>
        <ErrorBox error={error} />
        {code !== null && <p role="status" className="notice">{cr(lang, 'codeIs', { expires: new Date(code.expires_at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') })}<strong data-testid="learner-code">{code.code}</strong></p>}
        <button type="submit" className="btn">{cr(lang, 'makeCode')}</button>
      </form>
    </section>
  );
}

function OutcomeList(props: { outcomes: InstitutionOutcomeView[]; rules: RuleView[]; mayApply: Set<string>; onDone: () => Promise<void> }) {
  const lang = useLang();
  return (
    <section>
      <h2>{cr(lang, 'outcomesTitle')}</h2>
      {props.outcomes.length === 0 ? <p>{cr(lang, 'none')}</p> : (
        <div className="table-scroll">
          <table className="data-table" data-testid="outcomes">
            <thead><tr>
              <th scope="col">#</th><th scope="col">{cr(lang, 'institution')}</th><th scope="col">{cr(lang, 'outcome')}</th><th scope="col">{cr(lang, 'kind')}</th>
              <th scope="col">{cr(lang, 'credits')}</th><th scope="col">{cr(lang, 'date')}</th><th scope="col">{cr(lang, 'credential')}</th><th scope="col">{cr(lang, 'apply')}</th>
            </tr></thead>
            <tbody>
              {props.outcomes.map((o) => (
                <tr key={o.id} data-outcome={o.id}>
                  <td>{o.id}</td><td>{o.institution_code}</td><td>{o.name}</td><td>{kindName(lang, o.kind)}</td><td>{o.credits}</td><td>{o.issued_on}</td>
                  <td className="small">{o.credential_id ?? ''}{o.revoked ? ` (${cr(lang, 'revoked')})` : ''}</td>
                  <td>{props.mayApply.has(o.institution_code) && <ApplyForm outcome={o} rules={props.rules} onDone={props.onDone} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The rules an outcome can be filed under: the newest version of each rule code for its achievement and kind. */
function rulesFor(o: InstitutionOutcomeView, rules: RuleView[]): RuleView[] {
  const newest = new Map<string, RuleView>();
  for (const r of rules) {
    if (r.achievement_code !== o.achievement_code || r.source_kind !== o.kind) continue;
    const seen = newest.get(r.code);
    if (!seen || seen.version < r.version) newest.set(r.code, r);
  }
  return [...newest.values()];
}

function ApplyForm(props: { outcome: InstitutionOutcomeView; rules: RuleView[]; onDone: () => Promise<void> }) {
  const lang = useLang();
  const options = rulesFor(props.outcome, props.rules);
  const [rule, setRule] = useState(options[0]?.code ?? '');
  const [on, setOn] = useState(today());
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<number | null>(null);
  if (options.length === 0) return <span className="muted small">{cr(lang, 'noRule')}</span>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setDone((await creditApi.apply(props.outcome.id, rule || (options[0]?.code ?? ''), on)).id);
      await props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} data-testid="apply-form" className="ws-inline-form">
      <label>{cr(lang, 'rule')}{' '}
        <select className="ws-select" value={rule} onChange={(e) => setRule(e.target.value)} name="rule">
          {options.map((r) => <option key={r.code} value={r.code}>{r.code} → {r.target_course} ({r.credits})</option>)}
        </select>
      </label>{' '}
      <label>{cr(lang, 'appliedOn')}{' '}<input type="date" name="applied_on" required value={on} onChange={(e) => setOn(e.target.value)} /></label>{' '}
      <button type="submit" className="btn btn-small">{cr(lang, 'apply')}</button>
      {done !== null && <span role="status" className="small"> {cr(lang, 'applied', { id: done })}</span>}
      <ErrorBox error={error} />
    </form>
  );
}

function RecognitionQueue(props: { recognitions: RecognitionView[]; outcomes: InstitutionOutcomeView[]; institutions: InstitutionView[]; reviewing: Set<string>; onDone: () => Promise<void> }) {
  const lang = useLang();
  const [state, setState] = useState<'' | RecognitionView['state']>('applied');
  const names = new Map(props.institutions.map((i) => [i.code, pick(lang, i.name_zh, i.name_en)]));
  const outcomeNames = new Map(props.outcomes.map((o) => [o.id, o.name]));
  const rows = props.recognitions.filter((r) => state === '' || r.state === state);
  return (
    <section>
      <h2>{cr(lang, 'queueTitle')}</h2>
      <p className="lead">{cr(lang, 'queueIntro')}</p>
      <label>{cr(lang, 'filterState')}{' '}
        <select className="ws-select" value={state} onChange={(e) => setState(e.target.value as '' | RecognitionView['state'])} data-testid="recognition-state-filter">
          <option value="">{cr(lang, 'all')}</option>
          {(['applied', 'recognised', 'refused'] as const).map((s) => <option key={s} value={s}>{stateName(lang, s)}</option>)}
        </select>
      </label>
      {rows.length === 0 ? <p>{cr(lang, 'none')}</p> : (
        <div className="table-scroll">
          <table className="data-table" data-testid="recognitions">
            <thead><tr>
              <th scope="col">#</th><th scope="col">{cr(lang, 'outcome')}</th><th scope="col">{cr(lang, 'receiving')}</th><th scope="col">{cr(lang, 'target')}</th>
              <th scope="col">{cr(lang, 'credits')}</th><th scope="col">{cr(lang, 'year')}</th><th scope="col">{cr(lang, 'state')}</th><th scope="col">{cr(lang, 'reason')}</th>
            </tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-recognition={r.id} data-state={r.state}>
                  <td>{r.id}</td>
                  <td>{outcomeNames.get(r.outcome_id) ?? `#${r.outcome_id}`}</td>
                  <td>{names.get(r.receiving_code) ?? r.receiving_code}</td>
                  <td>{r.target_programme} · {r.target_course} <span className="muted small">({r.rule_code} v{r.rule_version})</span></td>
                  <td>{r.credits}</td><td>{r.year}</td><td>{stateName(lang, r.state)}</td>
                  <td className="ws-wrap">{r.state === 'applied' && props.reviewing.has(r.receiving_code) ? <Decide recognition={r} onDone={props.onDone} /> : r.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Decide(props: { recognition: RecognitionView; onDone: () => Promise<void> }) {
  const lang = useLang();
  const [reason, setReason] = useState('');
  const [refusing, setRefusing] = useState(false);
  const [cap, setCap] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const decide = async (decision: 'recognise' | 'refuse') => {
    setError(null);
    setBusy(true);
    try {
      await creditApi.decide(props.recognition.id, decision, decision === 'refuse' ? reason.trim() : undefined);
      await props.onDone();
    } catch (err) {
      // A cap refuses the recognition: its reason, in the reader's language, becomes the refusal's.
      if (err instanceof WsApiError && err.code === 'E_CREDIT_REFUSED') {
        const p = err.problems[0];
        const text = p ? (lang === 'zh' ? p.message_zh : p.message_en) : err.text(lang);
        setCap(text);
        setReason(text);
        setRefusing(true);
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="decide">
      {cap !== null && <p role="alert" className="error-box" data-testid="cap-refusal">{cr(lang, 'capRefused')}{cap} {cr(lang, 'useAsReason')}</p>}
      {!refusing && (
        <>
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void decide('recognise')} data-testid="recognise">{cr(lang, 'recognise')}</button>{' '}
          <button type="button" className="btn btn-small btn-secondary" disabled={busy} onClick={() => setRefusing(true)} data-testid="refuse">{cr(lang, 'refuse')}</button>
        </>
      )}
      {refusing && (
        <form onSubmit={(e) => { e.preventDefault(); void decide('refuse'); }} data-testid="refuse-form">
          <label>{cr(lang, 'refuseReason')}<textarea name="reason" required rows={3} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
          <button type="submit" className="btn btn-small" disabled={busy || reason.trim() === ''}>{cr(lang, 'refuse')}</button>
        </form>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
