/**
 * An indicator's breakdowns (分组) and the public feedback form (意见建议), on the indicator
 * page. Breakdowns: a choice of dimension (those the indicator has, GET …/series lists
 * them), then a chart with one line per group and the total, and a table of every group's
 * value, numerator and denominator per year — withheld groups show 保密 and no number, as
 * the API sends them. The chart's accessible name carries its figures (series, year,
 * value in the page's language), not ECharts' generated text.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { api, type Series } from '../api.ts';
import { EChart, palette, type ChartOption } from '../charts.tsx';
import { DataTable, LoadState, ValueText, errorText, exportValue, useData, type Column } from '../components.tsx';
import { formatNumber, formatValue, releaseText, unitLabel } from '../format.ts';
import { pick, t, type Lang } from '../i18n.ts';
import { useLang } from '../nav.tsx';

const lineColors = ['#1f5fa8', '#b3541e', '#2e7d32', '#6a3d9a', '#00838f', '#8d6e63'];

interface Line { readonly name: string; readonly points: Series['points'] }

/** What a screen reader hears for a line chart: each series, then year and value. */
export function chartText(lines: readonly Line[], unit: string, lang: Lang): string {
  const sep = lang === 'zh' ? '；' : '; ';
  return lines.map((l) => `${l.name}${lang === 'zh' ? '：' : ': '}${l.points.map((p) => `${p.year} ${p.suppressed ? t(lang, 'suppressed') : formatValue({ value: p.value }, unit, lang)}`).join(lang === 'zh' ? '，' : ', ')}`).join(sep);
}

function linesOption(lines: readonly Line[], unit: string, lang: Lang): ChartOption {
  const years = [...new Set(lines.flatMap((l) => l.points.map((p) => p.year)))].sort((a, b) => a - b);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: palette.text } },
    grid: { left: 56, right: 24, top: 48, bottom: 32 },
    xAxis: { type: 'category', data: years.map(String), axisLabel: { color: palette.text } },
    yAxis: { type: 'value', scale: true, name: unit === '%' ? '%' : unitLabel(unit, lang), axisLabel: { color: palette.text }, nameTextStyle: { color: palette.text } },
    series: lines.map((l, i) => {
      const byYear = new Map(l.points.map((p) => [p.year, p]));
      const color = i === 0 ? palette.observed : (lineColors[i % lineColors.length] ?? palette.observed);
      return {
        name: l.name, type: 'line', symbolSize: 7, lineStyle: { width: i === 0 ? 3 : 2, color, type: i === 0 ? 'solid' : 'dashed' }, itemStyle: { color },
        data: years.map((y) => { const p = byYear.get(y); return p && !p.suppressed ? p.value : null; }),
      };
    }),
  };
}

export function BreakdownSection({ code, org, series, name, place }: { code: string; org: string | undefined; series: Series; name: string; place: string }) {
  const lang = useLang();
  const [dim, setDim] = useState<string>('');
  const loaded = useData(`breakdown:${code}:${org ?? ''}:${dim}`, (signal) => (dim === '' ? Promise.resolve(null) : api.series(code, org, signal, dim)));
  const data = loaded.state === 'ok' ? loaded.data : null;
  const info = series.breakdowns.find((b) => b.dimension === dim);
  const lines: Line[] = useMemo(() => (data ? [{ name: t(lang, 'total'), points: data.points }, ...data.disaggregation.map((d) => ({ name: pick(lang, d.name_zh, d.name_en), points: d.points }))] : []), [data, lang]);
  const option = useMemo(() => linesOption(lines, series.unit, lang), [lines, series.unit, lang]);
  if (series.breakdowns.length === 0) return null;
  const unit = unitLabel(series.unit, lang);
  type Row = { year: number; part: string; point: Series['points'][number] };
  const rows: Row[] = lines.flatMap((l) => l.points.map((p) => ({ year: p.year, part: l.name, point: p }))).sort((a, b) => a.year - b.year);
  const columns: Column<Row>[] = [
    { key: 'year', header: t(lang, 'year'), rowHeader: true, render: (r) => r.year, exportValue: (r) => r.year },
    { key: 'part', header: t(lang, 'part'), render: (r) => r.part, exportValue: (r) => r.part },
    { key: 'value', header: name, unit, numeric: true, render: (r) => <ValueText value={r.point.value} suppressed={r.point.suppressed} unit={series.unit} />, exportValue: (r) => exportValue(r.point.value, r.point.suppressed, lang) },
    { key: 'numerator', header: t(lang, 'numerator'), numeric: true, render: (r) => (r.point.suppressed ? t(lang, 'suppressed') : r.point.numerator === null ? '' : formatNumber(r.point.numerator, lang)), exportValue: (r) => exportValue(r.point.numerator, r.point.suppressed, lang) },
    { key: 'denominator', header: t(lang, 'denominator'), numeric: true, render: (r) => (r.point.suppressed ? t(lang, 'suppressed') : r.point.denominator === null ? '' : formatNumber(r.point.denominator, lang)), exportValue: (r) => exportValue(r.point.denominator, r.point.suppressed, lang) },
    { key: 'release', header: t(lang, 'release'), render: (r) => releaseText(r.point.release, lang), exportValue: (r) => releaseText(r.point.release, lang) },
  ];
  return (
    <section aria-labelledby="breakdown-h" data-testid="breakdowns">
      <h2 id="breakdown-h">{t(lang, 'breakdownTitle')}</h2>
      <div className="breakdown-choice">
        <label htmlFor="breakdown-select">{t(lang, 'breakdownLabel')}</label>{' '}
        <select id="breakdown-select" data-testid="breakdown-select" value={dim} onChange={(e) => setDim(e.target.value)}>
          <option value="">{t(lang, 'breakdownNone')}</option>
          {series.breakdowns.map((b) => <option key={b.dimension} value={b.dimension}>{pick(lang, b.name_zh, b.name_en)}</option>)}
        </select>
      </div>
      {dim !== '' ? <LoadState loaded={loaded} /> : null}
      {data && info ? (
        <>
          <p className="muted small" data-testid="breakdown-additive">{t(lang, info.additive ? 'breakdownAdditive' : 'breakdownNotAdditive')}</p>
          <EChart option={option} height={300} testId="breakdown-chart"
            label={`${name} — ${place} — ${t(lang, 'breakdownChart')}（${pick(lang, info.name_zh, info.name_en)}）. ${t(lang, 'chartPointsIntro')}: ${chartText(lines, series.unit, lang)}`} />
          <DataTable testId="breakdown-table" title={`${name} — ${place} — ${pick(lang, info.name_zh, info.name_en)}`} columns={columns} rows={rows} />
        </>
      ) : null}
    </section>
  );
}

/** Published messages with replies, and the form to leave one (POST /api/feedback; moderated before it is public). */
export function FeedbackSection({ subjectType, code }: { subjectType: 'indicator' | 'column' | 'site'; code: string }) {
  const lang = useLang();
  const published = useData(`feedback:${subjectType}:${code}`, (signal) => api.feedback(subjectType, code, signal));
  const [message, setMessage] = useState('');
  const [contact, setContact] = useState('');
  const [state, setState] = useState<{ kind: 'idle' | 'sending' | 'sent' } | { kind: 'error'; text: string }>({ kind: 'idle' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setState({ kind: 'sending' });
    api.sendFeedback({ subject_type: subjectType, subject_code: code, message, lang, ...(contact.trim() ? { contact: contact.trim() } : {}) }).then(
      () => { setState({ kind: 'sent' }); setMessage(''); setContact(''); },
      (err: unknown) => setState({ kind: 'error', text: errorText(err, lang) }),
    );
  };
  return (
    <section aria-labelledby="feedback-h" className="feedback no-print" data-testid="feedback">
      <h2 id="feedback-h">{t(lang, 'feedbackTitle')}</h2>
      <p className="muted small">{t(lang, 'feedbackIntro')}</p>
      <h3>{t(lang, 'feedbackPublished')}</h3>
      <LoadState loaded={published} />
      {published.state === 'ok' && published.data.length === 0 ? <p data-testid="feedback-none">{t(lang, 'feedbackNone')}</p> : null}
      {published.state === 'ok' && published.data.length > 0 ? (
        <ul className="feedback-list" data-testid="feedback-list">
          {published.data.map((f) => (
            <li key={f.id}>
              <p className="muted small">{f.received_on}</p>
              <p className="ws-wrap">{f.message}</p>
              {f.reply ? <p className="ws-wrap feedback-reply"><strong>{t(lang, 'feedbackReply')}</strong>{f.replied_on ? ` (${f.replied_on})` : ''}: {f.reply}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={submit} data-testid="feedback-form">
        <p>
          <label htmlFor="feedback-message">{t(lang, 'feedbackMessage')}</label><br />
          <textarea id="feedback-message" data-testid="feedback-message" required maxLength={2000} rows={4} cols={60} value={message} onChange={(e) => setMessage(e.target.value)} />
        </p>
        <p>
          <label htmlFor="feedback-contact">{t(lang, 'feedbackContact')}</label><br />
          <input id="feedback-contact" data-testid="feedback-contact" maxLength={200} value={contact} onChange={(e) => setContact(e.target.value)} />
        </p>
        <button type="submit" data-testid="feedback-submit" disabled={state.kind === 'sending' || message.trim() === ''}>{t(lang, 'feedbackSubmit')}</button>
        <p role="status" data-testid="feedback-status">{state.kind === 'sent' ? t(lang, 'feedbackSent') : ''}</p>
        {state.kind === 'error' ? <p role="alert" className="error-box" data-testid="feedback-error">{state.text}</p> : null}
      </form>
    </section>
  );
}
