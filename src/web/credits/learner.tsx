/**
 * A learner's own record (我的学习档案): opened with the one-time code an institution hands
 * them in person (docs/credit-bank.md "Learner sign-in"), the only learner access there is.
 * The record lives in this page's memory only: it is not stored in the browser, and a reload
 * needs a new code. Each credential and the CLR 2.0 transcript download as compact JWS files
 * anyone can check on /credentials/verify or with a JOSE library against the JWKS.
 */
import { useState, type FormEvent } from 'react';
import { Link, useLang } from '../nav.tsx';
import { ErrorBox } from '../workspace/session.tsx';
import { creditApi, downloadText, type LearnerTranscript } from './api.ts';
import { cr, kindName, stateName } from './strings.ts';

/** A file name from a credential id (urn:uuid:…): the uuid. */
const fileOf = (id: string): string => `credential-${id.replace(/^urn:uuid:/, '').replace(/[^A-Za-z0-9-]/g, '')}.jwt`;

export function LearnerRecordPage() {
  const lang = useLang();
  const [code, setCode] = useState('');
  const [data, setData] = useState<LearnerTranscript | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      setData(await creditApi.learnerSignIn(code.trim()));
      setCode('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const when = (iso: string): string => new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
  return (
    <section aria-labelledby="learner-title">
      <h1 id="learner-title" tabIndex={-1}>{cr(lang, 'learnerTitle')}</h1>
      <p>{cr(lang, 'learnerIntro')}</p>
      {data === null && (
        <form className="ws-form ws-narrow" onSubmit={(e) => void submit(e)} data-testid="learner-sign-in">
          <label>{cr(lang, 'code')}<input name="code" autoComplete="one-time-code" spellCheck={false} required minLength={6} maxLength={32} value={code} onChange={(e) => setCode(e.target.value)} /></label>
          <ErrorBox error={error} />
          <button type="submit" className="btn" disabled={busy}>{cr(lang, 'open')}</button>
        </form>
      )}
      {data !== null && (
        <div data-testid="learner-record">
          <dl className="facts">
            <dt>{cr(lang, 'consentAt')}</dt><dd data-testid="consent">{data.record.consent_at ? when(data.record.consent_at) : cr(lang, 'noConsent')}</dd>
            <dt>{cr(lang, 'accumulated')}</dt><dd>{data.record.credits_accumulated}</dd>
            <dt>{cr(lang, 'recognisedCredits')}</dt><dd data-testid="credits-recognised">{data.record.credits_recognised}</dd>
          </dl>
          <p><button type="button" className="btn" data-testid="download-clr" onClick={() => downloadText(data.clr_jws, 'clr-transcript.jwt')}>{cr(lang, 'downloadClr')}</button></p>
          <h2>{cr(lang, 'yourOutcomes')}</h2>
          <div className="table-scroll">
            <table className="data-table">
              <thead><tr><th scope="col">{cr(lang, 'outcome')}</th><th scope="col">{cr(lang, 'institution')}</th><th scope="col">{cr(lang, 'kind')}</th><th scope="col">{cr(lang, 'credits')}</th><th scope="col">{cr(lang, 'date')}</th></tr></thead>
              <tbody>{data.record.outcomes.map((o) => <tr key={o.id}><td>{o.name}</td><td>{o.institution_name}</td><td>{kindName(lang, o.kind)}</td><td>{o.credits}</td><td>{o.issued_on}</td></tr>)}</tbody>
            </table>
          </div>
          <h2>{cr(lang, 'yourRecognitions')}</h2>
          {data.record.recognitions.length === 0 ? <p>{cr(lang, 'none')}</p> : (
            <div className="table-scroll">
              <table className="data-table" data-testid="learner-recognitions">
                <thead><tr><th scope="col">{cr(lang, 'target')}</th><th scope="col">{cr(lang, 'credits')}</th><th scope="col">{cr(lang, 'year')}</th><th scope="col">{cr(lang, 'state')}</th><th scope="col">{cr(lang, 'reason')}</th></tr></thead>
                <tbody>{data.record.recognitions.map((r) => <tr key={r.id} data-state={r.state}><td>{r.target_programme} · {r.target_course}</td><td>{r.credits}</td><td>{r.year}</td><td>{stateName(lang, r.state)}</td><td>{r.state === 'refused' ? r.reason ?? '' : ''}</td></tr>)}</tbody>
              </table>
            </div>
          )}
          <h2>{cr(lang, 'yourCredentials')}</h2>
          <p>{cr(lang, 'verifyHere')} <Link to="/credentials/verify">{cr(lang, 'navVerify')}</Link></p>
          <div className="table-scroll">
            <table className="data-table" data-testid="learner-credentials">
              <thead><tr><th scope="col">{cr(lang, 'credential')}</th><th scope="col">{cr(lang, 'issuedAt')}</th><th scope="col">{cr(lang, 'state')}</th><th scope="col">{cr(lang, 'download')}</th></tr></thead>
              <tbody>
                {data.record.credentials.map((c) => (
                  <tr key={c.id} data-credential={c.id} data-recognition={data.record.recognitions.some((r) => r.credential_id === c.id) ? 'yes' : 'no'}>
                    <td className="small"><code>{c.id}</code></td><td>{when(c.issued_at)}</td><td>{c.revoked ? cr(lang, 'revoked') : cr(lang, 'valid')}</td>
                    <td><button type="button" className="btn btn-small btn-secondary" data-testid="download-credential" onClick={() => downloadText(c.jws, fileOf(c.id))}>{cr(lang, 'download')}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
