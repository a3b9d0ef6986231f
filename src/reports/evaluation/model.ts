/**
 * A report as a format-free document (报告文档模型): headings, paragraphs, tables and charts
 * in order. Composed once from the released figures (compose.ts), then written as HTML
 * (html.ts, also what Chromium prints to PDF) and as DOCX (docx.ts) — so the three formats
 * carry the same words, numbers and charts.
 */

export type Lang = 'zh' | 'en';

export interface Column {
  readonly title: string;
  readonly align?: 'left' | 'right' | 'center';
  /** Relative width (the renderers share the page width in proportion). */
  readonly width?: number;
}

/** A chart: an ECharts option rendered on the server to SVG (charts.ts), the same picture in every format. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** What the chart shows, for readers who cannot see it (the same figures are in the table beside it). */
  readonly alt: string;
  readonly width: number;
  readonly height: number;
  /** ECharts option (plain JSON). `map: true` registers the district map first. */
  readonly option: Readonly<Record<string, unknown>>;
  readonly map?: boolean;
}

export type Block =
  | { readonly type: 'heading'; readonly level: 1 | 2 | 3; readonly text: string; readonly id: string }
  /** `narrative`: the planning office's words (placeholders filled); `generated`: a sentence made from the figures; `note`: small print. */
  | { readonly type: 'paragraph'; readonly text: string; readonly role: 'narrative' | 'generated' | 'note' | 'quote' }
  | { readonly type: 'table'; readonly caption: string; readonly columns: readonly Column[]; readonly rows: ReadonlyArray<readonly string[]>; readonly note?: string }
  | { readonly type: 'chart'; readonly chart: ChartSpec }
  | { readonly type: 'toc' }
  | { readonly type: 'pagebreak' };

export interface ReportDocument {
  readonly lang: Lang;
  readonly title: string;
  /** Lines under the title: as-of, the data it uses, when it was generated. */
  readonly subtitle: readonly string[];
  /** A line on every page's footer besides the page number (demo marking). */
  readonly footer: string;
  readonly blocks: readonly Block[];
}
