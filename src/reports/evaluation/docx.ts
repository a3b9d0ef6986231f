/**
 * A report as a Word document (DOCX), written with the `docx` library: A4 portrait, real
 * Heading 1–3 styles (Word's and WPS's navigation pane and the table of contents read them),
 * real tables with a repeated header row, the page number as a PAGE field in every footer,
 * charts as SVG with a PNG fallback (Word 2016+ draws the SVG; older Word and WPS the PNG).
 *
 * Fonts follow the government-document convention (GB/T 9704 党政机关公文格式): 仿宋 for the
 * body, 黑体 for headings, 三号/四号 sizes; Latin text in Times New Roman. A machine without
 * 仿宋 or 黑体 substitutes its own Song/Hei face (Word's and WPS's font fallback).
 */
import {
  AlignmentType, BorderStyle, Document, Footer, HeadingLevel, ImageRun, Packer, PageBreak, PageNumber, Paragraph,
  Table, TableCell, TableOfContents, TableRow, TextRun, WidthType, ShadingType,
} from 'docx';
import type { Block, ReportDocument } from './model.ts';
import { chartSvg, svgToPng } from './charts.ts';

/** A4 in twentieths of a point, and the text width inside 2.2 cm side margins. */
export const A4 = { width: 11906, height: 16838 } as const;
const margin = { top: 1418, bottom: 1418, left: 1247, right: 1247 } as const;
const textWidth = A4.width - margin.left - margin.right;

const body = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋', cs: 'Times New Roman' };
const hei = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体', cs: 'Times New Roman' };

const border = { style: BorderStyle.SINGLE, size: 4, color: '666666' } as const;
const borders = { top: border, bottom: border, left: border, right: border };

function table(b: Extract<Block, { type: 'table' }>): (Paragraph | Table)[] {
  const total = b.columns.reduce((s, c) => s + (c.width ?? 1), 0);
  const widths = b.columns.map((c) => Math.floor(((c.width ?? 1) / total) * textWidth));
  const align = (a: string | undefined): (typeof AlignmentType)[keyof typeof AlignmentType] => (a === 'right' ? AlignmentType.RIGHT : a === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT);
  const cell = (text: string, i: number, header: boolean): TableCell => new TableCell({
    borders,
    width: { size: widths[i] ?? 1000, type: WidthType.DXA },
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEF2F7' } } : {}),
    // One run per cell: a figure is never split across runs, so the document's text carries it whole.
    children: [new Paragraph({ alignment: header ? AlignmentType.CENTER : align(b.columns[i]?.align), spacing: { line: 300, lineRule: 'auto' }, children: [new TextRun({ text, size: 21, bold: header, font: header ? hei : body })] })],
  });
  const out: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, spacing: { before: 120, after: 60 }, children: [new TextRun({ text: b.caption, font: hei, size: 24 })] }),
    new Table({
      width: { size: textWidth, type: WidthType.DXA },
      columnWidths: widths,
      rows: [
        new TableRow({ tableHeader: true, cantSplit: true, children: b.columns.map((c, i) => cell(c.title, i, true)) }),
        ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, i, false)) })),
      ],
    }),
  ];
  if (b.note) out.push(new Paragraph({ spacing: { before: 60, after: 120 }, children: [new TextRun({ text: b.note, size: 18, font: body })] }));
  return out;
}

const headingLevel = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;

function blockParts(b: Block, doc: ReportDocument): (Paragraph | Table | TableOfContents)[] {
  switch (b.type) {
    case 'heading': return [new Paragraph({ heading: headingLevel[b.level], children: [new TextRun({ text: b.text })] })];
    case 'paragraph': {
      if (b.role === 'note') return [new Paragraph({ children: [new TextRun({ text: b.text, size: 21 })] })];
      if (b.role === 'quote') return [new Paragraph({ indent: { left: 480 }, children: [new TextRun({ text: b.text, font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '楷体', cs: 'Times New Roman' } })] })];
      // 首行缩进两字: the Chinese paragraph convention.
      return [new Paragraph({ indent: { firstLine: 640 }, children: [new TextRun({ text: b.text })] })];
    }
    case 'table': return table(b);
    case 'chart': {
      const svg = chartSvg(b.chart);
      // 15 cm wide at most: the text width of an A4 page with these margins.
      const maxPx = 560;
      const scale = Math.min(1, maxPx / b.chart.width);
      const width = Math.round(b.chart.width * scale);
      const height = Math.round(b.chart.height * scale);
      return [
        new Paragraph({ alignment: AlignmentType.CENTER, keepNext: true, children: [new ImageRun({
          type: 'svg', data: Buffer.from(svg, 'utf8'), fallback: { type: 'png', data: svgToPng(svg, b.chart.width) },
          transformation: { width, height },
          altText: { name: b.chart.id, title: b.chart.title, description: b.chart.alt },
        })] }),
        new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: b.chart.title, font: hei, size: 21 })] }),
      ];
    }
    case 'toc': return [
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: doc.lang === 'zh' ? '目　录' : 'Contents', font: hei, size: 32 })] }),
      new TableOfContents(doc.lang === 'zh' ? '目录' : 'Contents', { hyperlink: true, headingStyleRange: '1-2' }),
      new Paragraph({ children: [new PageBreak()] }),
    ];
    case 'pagebreak': return [new Paragraph({ children: [new PageBreak()] })];
  }
}

export async function reportDocx(doc: ReportDocument): Promise<Buffer> {
  const titleParts = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 2400, after: 480 }, children: [new TextRun({ text: doc.title, font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体', cs: 'Times New Roman' }, size: 44 })] }),
    ...doc.subtitle.map((s) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: s, size: 28 })] })),
    ...(doc.footer ? [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240 }, children: [new TextRun({ text: doc.footer, color: 'B3261E', bold: true })] })] : []),
    new Paragraph({ children: [new PageBreak()] }),
  ];
  const footerText = doc.footer ? `${doc.footer}　` : '';
  const d = new Document({
    title: doc.title,
    creator: 'eduplan',
    features: { updateFields: true },
    styles: {
      default: {
        document: { run: { font: body, size: 32 }, paragraph: { spacing: { line: 560, lineRule: 'exact' } } },
        heading1: { run: { font: hei, size: 32, bold: false, color: '000000' }, paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
        heading2: { run: { font: { ...body, eastAsia: '楷体' }, size: 32, bold: true, color: '000000' }, paragraph: { spacing: { before: 120, after: 60 }, keepNext: true } },
        heading3: { run: { font: body, size: 32, bold: true, color: '000000' }, paragraph: { keepNext: true } },
      },
    },
    sections: [{
      properties: { page: { size: A4, margin } },
      footers: {
        default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ size: 28, children: [footerText, '— ', PageNumber.CURRENT, ' —'] })] })] }),
      },
      children: [...titleParts, ...doc.blocks.flatMap((b) => blockParts(b, doc))],
    }],
  });
  return Packer.toBuffer(d);
}
