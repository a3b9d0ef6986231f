/**
 * 意见建议审核 (city administrators): the public's messages waiting for moderation, each with
 * the text as written, as it would be published (personal data masked) and the sender's
 * contact; approve with a reply (both published) or reject. Audited on the server.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ModerationItem } from '../../contract/portal.ts';
import { errorText } from '../components.tsx';
import { useLang } from '../nav.tsx';
import { call } from './api.ts';
import { SessionGate } from './session.tsx';

const s = {
  title: { zh: '意见建议审核', en: 'Feedback moderation' },
  intro: { zh: '公众留言在审核通过前不公开。公开的是隐去个人信息后的文字，答复一并公开；联系方式不公开。', en: 'Messages are not public until approved. What is published is the text with personal data masked, with your reply; the contact is never published.' },
  none: { zh: '没有待审核的留言。', en: 'No messages waiting.' },
  written: { zh: '原文', en: 'As written' },
  published: { zh: '公开文本', en: 'As published' },
  contact: { zh: '联系方式', en: 'Contact' },
  subject: { zh: '对象', en: 'Subject' },
  reply: { zh: '答复（选填，公开）', en: 'Reply (optional, published)' },
  approve: { zh: '公开', en: 'Approve' },
  reject: { zh: '不予公开', en: 'Reject' },
  done: { zh: '已处理', en: 'Done' },
} as const;
const tt = (lang: 'zh' | 'en', k: keyof typeof s): string => s[k][lang];

export function FeedbackModerationPage() {
  return <SessionGate><Moderation /></SessionGate>;
}

function Moderation() {
  const lang = useLang();
  const [items, setItems] = useState<ModerationItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [replies, setReplies] = useState<Record<number, string>>({});
  const [status, setStatus] = useState('');
  const load = useCallback(() => {
    call<{ items: ModerationItem[] }>('GET', '/api/workspace/feedback?state=pending').then((r) => setItems(r.items), (e: unknown) => setError(errorText(e, lang)));
  }, [lang]);
  useEffect(load, [load]);
  const decide = (id: number, decision: 'approve' | 'reject') => {
    const reply = replies[id]?.trim();
    call('POST', `/api/workspace/feedback/${id}/moderate`, { decision, ...(reply ? { reply } : {}) }).then(
      () => { setStatus(`${tt(lang, 'done')}: #${id}`); load(); },
      (e: unknown) => setError(errorText(e, lang)),
    );
  };
  return (
    <>
      <h1 tabIndex={-1}>{tt(lang, 'title')}</h1>
      <p className="lead">{tt(lang, 'intro')}</p>
      {error ? <p role="alert" className="error-box">{error}</p> : null}
      <p role="status" data-testid="moderation-status">{status}</p>
      {items && items.length === 0 ? <p data-testid="moderation-empty">{tt(lang, 'none')}</p> : null}
      <ul className="moderation-list" data-testid="moderation-list">
        {(items ?? []).map((f) => (
          <li key={f.id} data-feedback={f.id}>
            <h2>#{f.id} · {tt(lang, 'subject')}: {f.subject_type}:{f.subject_code} · {f.received_at.slice(0, 10)}</h2>
            <dl>
              <dt>{tt(lang, 'written')}</dt><dd className="ws-wrap">{f.message}</dd>
              <dt>{tt(lang, 'published')}</dt><dd className="ws-wrap" data-testid="moderation-published">{f.published_message}</dd>
              {f.contact ? <><dt>{tt(lang, 'contact')}</dt><dd>{f.contact}</dd></> : null}
            </dl>
            <p>
              <label htmlFor={`reply-${f.id}`}>{tt(lang, 'reply')}</label><br />
              <textarea id={`reply-${f.id}`} data-testid="moderation-reply" rows={3} cols={60} maxLength={2000} value={replies[f.id] ?? ''} onChange={(e) => setReplies({ ...replies, [f.id]: e.target.value })} />
            </p>
            <button type="button" className="btn" data-testid="moderation-approve" onClick={() => decide(f.id, 'approve')}>{tt(lang, 'approve')}</button>{' '}
            <button type="button" className="btn btn-secondary" data-testid="moderation-reject" onClick={() => decide(f.id, 'reject')}>{tt(lang, 'reject')}</button>
          </li>
        ))}
      </ul>
    </>
  );
}
