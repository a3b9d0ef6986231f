/** Building blocks shared by the pages: data loading, status badge, tables with downloads, sparklines. */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from './api.ts';
import { EChart, palette, type ChartOption } from './charts.tsx';
import { downloadFile, exportFileName, toCsv, toJsonExport, type ExportCell, type ExportColumn } from './export.ts';
import { statusLabel, statusSymbol, formatValue } from './format.ts';
import { t, type Lang } from './i18n.ts';
import { useLang } from './nav.tsx';

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; error: unknown };

/** Load once per `key`; a newer key aborts the older request. */
export function useData<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> }>({ key, loaded: { state: 'loading' } });
  useEffect(() => {
    const ctrl = new AbortController();
    setResult({ key, loaded: { state: 'loading' } });
    load(ctrl.signal).then(
      (data) => { if (!ctrl.signal.aborted) setResult({ key, loaded: { state: 'ok', data } }); },
      (error: unknown) => { if (!ctrl.signal.aborted) setResult({ key, loaded: { state: 'error', error } }); },
    );
    return () => ctrl.abort();
    // `load` is recreated each render; `key` alone says when the request really changes.
  }, [key]);
  return result.key === key ? result.loaded : { state: 'loading' };
}

export function errorText(error: unknown, lang: Lang): string {
  if (error instanceof ApiError) return error.text(lang);
  return error instanceof Error ? error.message : String(error);
}

export function LoadState(props: { loaded: Loaded<unknown> }) {
  const lang = useLang();
  if (props.loaded.state === 'loading') return <p role="status" className="muted">{t(lang, 'loading')}</p>;
  if (props.loaded.state === 'error') {
    return (
      <div role="alert" className="error-box">
        <strong>{t(lang, 'loadFailed')}</strong>: {errorText(props.loaded.error, lang)}
      </div>
    );
  }
  return null;
}

export function StatusBadge(props: { status: string | null | undefined }) {
  const lang = useLang();
  const s = props.status ?? 'insufficient_data';
  return (
    <span className={`badge badge-${s}`} data-status={s} data-testid="status">
      <span aria-hidden="true">{statusSymbol(s)}</span> {statusLabel(s, lang)}
    </span>
  );
}

/** How many indicators are in each status, in the order of the status scale. */
export function StatusSummary(props: { statuses: readonly string[]; testId?: string }) {
  const lang = useLang();
  const order = ['achieved', 'on_track', 'needs_acceleration', 'limited', 'deteriorating', 'off_track', 'not_achieved', 'insufficient_data'];
  const counts = new Map<string, number>();
  for (const s of props.statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  const rank = (s: string) => (order.indexOf(s) < 0 ? order.length : order.indexOf(s));
  return (
    <ul className="status-summary" aria-label={t(lang, 'status')} data-testid={props.testId}>
      {[...counts.entries()].sort((a, b) => rank(a[0]) - rank(b[0])).map(([status, n]) => (
        <li key={status} data-status={status} data-count={n}><StatusBadge status={status} /> × {n}</li>
      ))}
    </ul>
  );
}

export function BindingTag() {
  const lang = useLang();
  return <span className="tag-binding" title={t(lang, 'bindingNote')}>{t(lang, 'binding')}</span>;
}

/**
 * 修订: a published figure that differs from the previous version of its year's release. The
 * word is the mark (never colour alone); the title repeats the legend printed under the table.
 */
export function RevisedMark() {
  const lang = useLang();
  return <span className="revised-mark" data-testid="revised" title={t(lang, 'revisedNote')}>{t(lang, 'revised')}</span>;
}

/** A value cell: suppressed cells show the disclosure text, never a number. */
export function ValueText(props: { value: number | null | undefined; suppressed?: boolean | undefined; unit?: string | undefined }) {
  const lang = useLang();
  return (
    <span className={props.suppressed ? 'suppressed' : undefined} data-suppressed={props.suppressed ? 'true' : undefined}>
      {formatValue({ value: props.value, suppressed: props.suppressed }, props.unit, lang)}
    </span>
  );
}

/** What a value cell exports: the number, or the disclosure text when suppressed. */
export function exportValue(value: number | null | undefined, suppressed: boolean | undefined, lang: Lang): ExportCell {
  if (suppressed) return t(lang, 'suppressed');
  return value ?? null;
}

export interface Column<R> {
  key: string;
  header: string;
  unit?: string;
  numeric?: boolean;
  /** The row header (first column usually). */
  rowHeader?: boolean;
  render: (row: R) => ReactNode;
  exportValue: (row: R) => ExportCell;
}

/**
 * A table with a caption and CSV/JSON downloads. Every chart on the portal has one of
 * these beside it as its text alternative (WCAG 1.1.1).
 */
export function DataTable<R>(props: { title: string; columns: Column<R>[]; rows: R[]; testId?: string; note?: ReactNode }) {
  const lang = useLang();
  const exportCols: ExportColumn[] = props.columns.map((c) => ({ key: c.key, header: c.header, ...(c.unit ? { unit: c.unit } : {}) }));
  const exportRows = () => props.rows.map((r) => Object.fromEntries(props.columns.map((c) => [c.key, c.exportValue(r)])));
  return (
    <div className="table-block" data-testid={props.testId}>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={props.title}>
        <table>
          <caption>{props.title}</caption>
          <thead>
            <tr>{props.columns.map((c) => <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>{c.header}{c.unit ? ` (${c.unit})` : ''}</th>)}</tr>
          </thead>
          <tbody>
            {props.rows.map((r, i) => (
              <tr key={i}>
                {props.columns.map((c) => c.rowHeader
                  ? <th key={c.key} scope="row">{c.render(r)}</th>
                  : <td key={c.key} className={c.numeric ? 'num' : undefined} data-col={c.key}>{c.render(r)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.note ? <p className="muted small">{props.note}</p> : null}
      <div className="downloads" role="group" aria-label={`${t(lang, 'download')}: ${props.title}`}>
        <button type="button" data-testid="download-csv"
          onClick={() => downloadFile(exportFileName(props.title, 'csv'), toCsv(exportCols, exportRows()), 'text/csv')}>
          {t(lang, 'downloadCsv')}
        </button>
        <button type="button" data-testid="download-json"
          onClick={() => downloadFile(exportFileName(props.title, 'json'), toJsonExport(props.title, exportCols, exportRows()), 'application/json')}>
          {t(lang, 'downloadJson')}
        </button>
      </div>
    </div>
  );
}

/** A small trend line; its figures are read out through the label (and listed on the indicator page). */
export function Sparkline(props: { points: ReadonlyArray<{ year: number; value: number | null; suppressed?: boolean | undefined }>; unit: string }) {
  const lang = useLang();
  const option = useMemo<ChartOption>(() => ({
    animation: false,
    grid: { left: 2, right: 2, top: 4, bottom: 4 },
    xAxis: { type: 'category', show: false, data: props.points.map((p) => String(p.year)) },
    yAxis: { type: 'value', show: false, scale: true },
    series: [{
      type: 'line', symbol: 'circle', symbolSize: 4, lineStyle: { width: 2, color: palette.observed },
      itemStyle: { color: palette.observed }, connectNulls: false,
      data: props.points.map((p) => (p.suppressed ? null : p.value)),
    }],
  }), [props.points]);
  const label = `${t(lang, 'sparklineLabel')}: ` + props.points
    .map((p) => `${p.year} ${formatValue({ value: p.value, suppressed: p.suppressed }, props.unit, lang)}`).join('；');
  if (props.points.length === 0) return null;
  return <EChart option={option} height={40} label={label} className="sparkline" />;
}
