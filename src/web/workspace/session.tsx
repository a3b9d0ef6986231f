/**
 * Signing in to the workspace: password, then the one-time code when the API asks for it
 * (enrolment shows the otpauth link), then a forced password change when the account
 * still has a temporary password or one past its maximum age. A new account is activated
 * first: its user redeems the activation token and chooses the password. A 401 on a signed-in page (idle timeout, 30 min)
 * brings the sign-in form back with a message saying why.
 */
import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useLang } from '../nav.tsx';
import { errorText } from '../components.tsx';
import { onSessionEnded, wsApi, type Me } from './api.ts';
import { ws, type WsKey } from './strings.ts';

interface Session { me: Me; signOut: () => Promise<void>; refresh: () => Promise<void> }
const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionGate>');
  return s;
}

type GateState =
  | { step: 'checking' }
  | { step: 'password'; notice?: 'idle' | 'signedOut' | 'activated' }
  | { step: 'activate' }
  | { step: 'totp'; otpauth?: string }
  | { step: 'change-password' }
  | { step: 'in'; me: Me };

/** Renders its children only once signed in; otherwise the step the sign-in is at. */
export function SessionGate(props: { children: ReactNode }) {
  const lang = useLang();
  const [state, setState] = useState<GateState>({ step: 'checking' });

  const load = useCallback(async () => {
    try {
      const me = await wsApi.me();
      setState(me.mustChangePassword ? { step: 'change-password' } : { step: 'in', me });
    } catch {
      setState({ step: 'password' });
    }
  }, []);

  useEffect(() => {
    void load();
    onSessionEnded(() => setState({ step: 'password', notice: 'idle' }));
    return () => onSessionEnded(null);
  }, [load]);

  const signOut = useCallback(async () => {
    await wsApi.logout().catch(() => undefined);
    setState({ step: 'password', notice: 'signedOut' });
  }, []);

  if (state.step === 'checking') return <p role="status" className="muted">{ws(lang, 'working')}</p>;
  if (state.step === 'password') return <SignInForm notice={state.notice} onActivate={() => setState({ step: 'activate' })} onDone={(a) => (a.state === 'ok' ? void load() : setState({ step: 'totp', ...(a.otpauth ? { otpauth: a.otpauth } : {}) }))} />;
  if (state.step === 'activate') return <ActivateForm onDone={() => setState({ step: 'password', notice: 'activated' })} />;
  if (state.step === 'totp') return <TotpForm otpauth={state.otpauth} onDone={() => void load()} />;
  if (state.step === 'change-password') return <ChangePasswordForm onDone={() => void load()} />;
  return (
    <SessionContext.Provider value={{ me: state.me, signOut, refresh: load }}>
      <div className="ws-bar" data-testid="ws-bar">
        <span>{ws(lang, 'signedInAs')}: <strong data-testid="ws-user">{state.me.username}</strong>
          {' '}{lang === 'zh' ? `（${state.me.grants.map((g) => g.name_zh).join('、')}）` : `(${state.me.grants.map((g) => g.name_en).join(', ')})`}</span>
        <button type="button" className="btn btn-secondary" data-testid="sign-out" onClick={() => void signOut()}>{ws(lang, 'signOut')}</button>
      </div>
      {props.children}
    </SessionContext.Provider>
  );
}

function ErrorBox(props: { error: unknown }) {
  const lang = useLang();
  if (props.error === null || props.error === undefined) return null;
  return <div role="alert" className="error-box" data-testid="ws-error">{errorText(props.error, lang)}</div>;
}

function SignInForm(props: { notice?: 'idle' | 'signedOut' | 'activated' | undefined; onActivate: () => void; onDone: (a: { state: string; otpauth?: string }) => void }) {
  const lang = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onDone(await wsApi.login(username.trim(), password));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="ws-narrow">
      <h1 tabIndex={-1}>{ws(lang, 'signInTitle')}</h1>
      {props.notice === 'idle' && <div role="status" className="notice" data-testid="idle-message">{ws(lang, 'idleTimeout')}</div>}
      {props.notice === 'signedOut' && <div role="status" className="notice" data-testid="signed-out">{ws(lang, 'signedOut')}</div>}
      {props.notice === 'activated' && <div role="status" className="notice" data-testid="activated">{ws(lang, 'activated')}</div>}
      <p className="lead">{ws(lang, 'signInIntro')}</p>
      <form onSubmit={(e) => void submit(e)} data-testid="sign-in-form" className="ws-form">
        <label>{ws(lang, 'username')}<input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} /></label>
        <label>{ws(lang, 'password')}<input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        <ErrorBox error={error} />
        <button type="submit" className="btn" disabled={busy}>{ws(lang, 'signIn')}</button>
      </form>
      <p><button type="button" className="btn btn-secondary btn-small" data-testid="activate-link" onClick={props.onActivate}>{ws(lang, 'activateLink')}</button></p>
    </section>
  );
}

/**
 * Setting a new password, typed twice: the activation (token first) and the password change
 * (current password first) differ only in their first field and in what saves the password.
 */
function NewPasswordForm(props: {
  title: WsKey; intro: WsKey; button: WsKey; testId: string; first: ReactNode;
  save: (next: string) => Promise<unknown>; onDone: () => void;
}) {
  const lang = useLang();
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) { setError(new Error(ws(lang, 'passwordsDiffer'))); return; }
    setError(null);
    try {
      await props.save(next);
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="ws-narrow">
      <h1 tabIndex={-1}>{ws(lang, props.title)}</h1>
      <p>{ws(lang, props.intro)}</p>
      <form onSubmit={(e) => void submit(e)} className="ws-form" data-testid={props.testId}>
        {props.first}
        <label>{ws(lang, 'newPassword')}<input type="password" autoComplete="new-password" required minLength={10} value={next} onChange={(e) => setNext(e.target.value)} /></label>
        <label>{ws(lang, 'repeatPassword')}<input type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} /></label>
        <ErrorBox error={error} />
        <button type="submit" className="btn">{ws(lang, props.button)}</button>
      </form>
    </section>
  );
}

function ActivateForm(props: { onDone: () => void }) {
  const lang = useLang();
  const [token, setToken] = useState('');
  return (
    <NewPasswordForm title="activateTitle" intro="activateIntro" button="activate" testId="activate-form" onDone={props.onDone}
      first={<label>{ws(lang, 'activationToken')}<input name="token" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} /></label>}
      save={(next) => wsApi.activate(token.trim(), next)} />
  );
}

function TotpForm(props: { otpauth?: string | undefined; onDone: () => void }) {
  const lang = useLang();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await wsApi.totp(code.trim());
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="ws-narrow">
      <h1 tabIndex={-1}>{ws(lang, 'totpTitle')}</h1>
      {props.otpauth ? <><p>{ws(lang, 'totpEnrol')}</p><p><a href={props.otpauth} data-testid="otpauth">{props.otpauth}</a></p></> : <p>{ws(lang, 'totpIntro')}</p>}
      <form onSubmit={(e) => void submit(e)} className="ws-form" data-testid="totp-form">
        <label>{ws(lang, 'totpCode')}<input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="\s*\d{6}\s*" required value={code} onChange={(e) => setCode(e.target.value)} /></label>
        <ErrorBox error={error} />
        <button type="submit" className="btn">{ws(lang, 'confirm')}</button>
      </form>
    </section>
  );
}

function ChangePasswordForm(props: { onDone: () => void }) {
  const lang = useLang();
  const [current, setCurrent] = useState('');
  return (
    <NewPasswordForm title="changePasswordTitle" intro="changePasswordIntro" button="changePassword" testId="password-form" onDone={props.onDone}
      first={<label>{ws(lang, 'currentPassword')}<input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} /></label>}
      save={(next) => wsApi.changePassword(current, next)} />
  );
}

export { ErrorBox };
