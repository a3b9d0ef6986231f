/**
 * A report as one self-contained HTML page (报告网页版): the portal's reports page serves it,
 * and Chromium prints the same page to PDF (its print stylesheet sets A4, page numbers in the
 * footer and repeated table headers). Accessible: one h1, headings in order, tables with
 * captions and header cells, charts as inline SVG with a text alternative.
 */
import type { Block, ReportDocument } from './model.ts';
import { chartSvg } from './charts.ts';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** 仿宋 for the body and 黑体 for headings as government documents set them, with a CJK fallback present on Linux. */
const css = `
@page { size: A4; margin: 25mm 22mm 25mm 22mm; }
:root { color: #1b1b1b; }
body { font-family: 'FangSong', '仿宋', 'STFangsong', 'Noto Serif CJK SC', 'WenQuanYi Zen Hei', serif; font-size: 12pt; line-height: 1.8; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, .title, caption { font-family: 'SimHei', '黑体', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; }
.title { font-size: 20pt; text-align: center; margin: 1.5rem 0 .5rem; }
.subtitle { text-align: center; color: #444; margin: 0; font-size: 11pt; }
h1 { font-size: 16pt; margin: 1.6rem 0 .6rem; }
h2 { font-size: 14pt; margin: 1.2rem 0 .5rem; }
h3 { font-size: 12pt; }
p { text-indent: 2em; margin: .4rem 0; }
p.quote { color: #333; border-left: 3px solid #1f5fa8; padding-left: .8rem; text-indent: 0; }
p.note { font-size: 10.5pt; color: #444; text-indent: 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: 10.5pt; line-height: 1.4; }
caption { font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #666; padding: .2rem .35rem; vertical-align: top; }
th { background: #eef2f7; }
td.r { text-align: right; white-space: nowrap; } td.c { text-align: center; }
.tnote { font-size: 9.5pt; color: #444; text-indent: 0; }
figure { margin: 1rem 0; text-align: center; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-family: 'SimHei', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif; font-size: 10.5pt; }
nav.toc ol { list-style: none; padding-left: 0; } nav.toc li.l2 { padding-left: 2em; }
nav.toc a { color: inherit; }
.demo { text-align: center; color: #b3261e; font-weight: bold; }
.pagebreak { break-after: page; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h1, h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

function tocOf(doc: ReportDocument): string {
  const items = doc.blocks.flatMap((b) => (b.type === 'heading' && b.level <= 2 ? [b] : []));
  const label = doc.lang === 'zh' ? '目录' : 'Contents';
  return `<nav class="toc" aria-label="${label}"><h2>${label}</h2><ol>${items.map((h) => `<li class="l${h.level}"><a href="#${esc(h.id)}">${esc(h.text)}</a></li>`).join('')}</ol></nav>`;
}

function block(b: Block, doc: ReportDocument): string {
  switch (b.type) {
    case 'heading': {
      // The document title is the page's h1: report sections start at h2.
      const tag = `h${b.level + 1}`;
      return `<${tag} id="${esc(b.id)}">${esc(b.text)}</${tag}>`;
    }
    case 'paragraph': return `<p class="${b.role}">${esc(b.text)}</p>`;
    case 'table': {
      const cls = (a: string | undefined): string => (a === 'right' ? ' class="r"' : a === 'center' ? ' class="c"' : '');
      const total = b.columns.reduce((s, c) => s + (c.width ?? 1), 0);
      return `<table><caption>${esc(b.caption)}</caption><colgroup>${b.columns.map((c) => `<col style="width:${(((c.width ?? 1) / total) * 100).toFixed(1)}%">`).join('')}</colgroup>`
        + `<thead><tr>${b.columns.map((c) => `<th scope="col">${esc(c.title)}</th>`).join('')}</tr></thead>`
        + `<tbody>${b.rows.map((r) => `<tr>${r.map((v, i) => `<td${cls(b.columns[i]?.align)}>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
        + (b.note ? `<p class="tnote">${esc(b.note)}</p>` : '');
    }
    case 'chart': {
      const svg = chartSvg(b.chart).replace('<svg ', `<svg role="img" aria-label="${esc(`${b.chart.title}：${b.chart.alt}`)}" `);
      return `<figure>${svg}<figcaption>${esc(b.chart.title)}</figcaption></figure>`;
    }
    case 'toc': return tocOf(doc);
    case 'pagebreak': return '<div class="pagebreak"></div>';
  }
}

export function reportHtml(doc: ReportDocument): string {
  return `<!doctype html><html lang="${doc.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${esc(doc.title)}</title><style>${css}</style></head><body><main>`
    + `<h1 class="title">${esc(doc.title)}</h1>${doc.subtitle.map((s) => `<p class="subtitle">${esc(s)}</p>`).join('')}`
    + (doc.footer ? `<p class="demo">${esc(doc.footer)}</p>` : '')
    + doc.blocks.map((b) => block(b, doc)).join('\n')
    + '</main></body></html>';
}
