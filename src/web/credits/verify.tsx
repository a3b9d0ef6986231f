/**
 * The public credential verification page (凭证验证): paste a credential (compact JWS) or open
 * its file; the server checks the signature against the published keys, the issuer, the dates
 * and the revocation status list (POST /api/credits/verify) and the page says valid, revoked
 * or why it is invalid. Anyone can also check the signature themselves against
 * /.well-known/jwks.json with any JOSE library.
 */
import { useState } from 'react';
import type { VerifyResult } from '../../contract/credits.ts';
import type { Lang } from '../i18n.ts';
import { useLang } from '../nav.tsx';
import { call } from '../workspace/api.ts';

const strings = {
  title: { zh: '学分银行凭证验证', en: 'Verify a credit-bank credential' },
  intro: {
    zh: '粘贴天津市终身教育学分银行签发的凭证（以点分隔的三段文本，JWS），或选择凭证文件。验证签名、签发者、有效期与撤销状态。也可用任何 JOSE 工具按 /.well-known/jwks.json 公布的公钥自行验证签名。',
    en: 'Paste a credential issued by the Tianjin Lifelong Learning Credit Bank (three dot-separated parts, a JWS) or open its file. The signature, issuer, dates and revocation status are checked. Anyone may also check the signature with any JOSE tool against the keys at /.well-known/jwks.json.',
  },
  label: { zh: '凭证（JWS）', en: 'Credential (JWS)' },
  file: { zh: '或选择文件', en: 'or open a file' },
  verify: { zh: '验证', en: 'Verify' },
  valid: { zh: '有效：签名正确、由本学分银行签发、未被撤销', en: 'Valid: the signature is correct, issued by this credit bank, not revoked' },
  revoked: { zh: '已撤销：该凭证已被签发机构撤销', en: 'Revoked: the issuer has revoked this credential' },
  invalid: { zh: '无效', en: 'Not valid' },
  achievement: { zh: '学习成果', en: 'Achievement' },
  credits: { zh: '学分', en: 'Credits' },
  id: { zh: '凭证编号', en: 'Credential id' },
  failed: { zh: '验证请求失败', en: 'The verification request failed' },
} as const;
const s = (lang: Lang, k: keyof typeof strings): string => strings[k][lang];

export function VerifyCredentialPage() {
  const lang = useLang();
  const [text, setText] = useState('');
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await call<VerifyResult>('POST', '/api/credits/verify', { credential: text.trim() }));
    } catch (e) {
      setError(e instanceof Error ? e.message : s(lang, 'failed'));
    } finally {
      setBusy(false);
    }
  };
  const verdict = result === null ? null : result.result === 'valid' ? s(lang, 'valid') : result.result === 'revoked' ? s(lang, 'revoked')
    : `${s(lang, 'invalid')}：${lang === 'zh' ? result.reason_zh ?? '' : result.reason_en ?? ''}`;
  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{s(lang, 'title')}</h1>
      <p>{s(lang, 'intro')}</p>
      <form onSubmit={(e) => { e.preventDefault(); void verify(); }}>
        <p className="credential-field">
          <label htmlFor="credential-text">{s(lang, 'label')}</label>
          <textarea id="credential-text" className="credential-input" rows={6} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        </p>
        <p>
          <label htmlFor="credential-file">{s(lang, 'file')}</label>{' '}
          <input id="credential-file" type="file" accept=".jwt,.txt,application/vc+jwt" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((t) => setText(t.trim())); }} />
        </p>
        <p><button type="submit" disabled={busy || text.trim() === ''}>{s(lang, 'verify')}</button></p>
      </form>
      {error !== null && <p role="alert">{error}</p>}
      {result !== null && (
        <div role="status" data-testid="verify-result" data-result={result.result}>
          <p><strong>{verdict}</strong></p>
          {result.result !== 'invalid' && (
            <dl>
              {result.achievement !== undefined && <><dt>{s(lang, 'achievement')}</dt><dd>{result.achievement}</dd></>}
              {result.credits !== undefined && <><dt>{s(lang, 'credits')}</dt><dd>{result.credits}</dd></>}
              {result.credential_id !== undefined && <><dt>{s(lang, 'id')}</dt><dd><code>{result.credential_id}</code></dd></>}
            </dl>
          )}
        </div>
      )}
    </section>
  );
}
