/**
 * Issue 15's acceptance, through the command line on an on-disk store with the demo data
 * imported and every year released:
 * - `eduplan report final --as-of 2025 --out f.docx` and `--out f.pdf` exit 0; the DOCX's
 *   word/document.xml and the PDF's text (pdftotext) hold each of the 20 indicators' Chinese
 *   names and its 2025 value as `eduplan progress --json --year 2025` gives it, rounded as the
 *   report prints it; 学生体质优良率 is reported as not achieved;
 * - the DOCX is a real Word document: Heading styles, tables, a PAGE field in the footer, A4;
 * - `eduplan report midterm --as-of 2023 --out m.docx` carries no value from after 2023;
 * - an edited narrative paragraph survives a re-import that changes a number, and the number in
 *   it follows the data; a narrative with an unknown placeholder is refused, located.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatValue, missingText } from '../../src/core/reports/format.ts';
import { runCli } from '../helpers/cli.ts';

// Each report is a few seconds alone, much longer on a loaded machine.
vi.setConfig({ testTimeout: 300_000 });

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = mkdtempSync(join(tmpdir(), 'eduplan-reports-acceptance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(argv, { EDUPLAN_DATA_DIR: join(root, 'data'), EDUPLAN_PSEUDONYM_KEY: 'acceptance-test-pseudonym-key', CHROMIUM_PATH: chromium }, root);

async function ok(argv: string[]): Promise<string> {
  const r = await run(argv);
  expect(r.code, `${argv.join(' ')}\n${r.err}`).toBe(0);
  return r.out;
}

interface Item { code: string; name_zh: string; unit: string; value: number | null; year: number | null; status: string; suppressed: boolean; baseline: { value: number } | null; target: { value: number } }

async function progress(year: number): Promise<Item[]> {
  return JSON.parse(await ok(['progress', '--json', '--released', '--year', String(year)])) as Item[];
}

async function releaseAll(years: readonly number[]): Promise<void> {
  for (const y of years) {
    await ok(['release', 'create', '--year', String(y), '--note', 'acceptance', '--override', 'demo data']);
    await ok(['targets', 'release', '--year', String(y), '--note', 'acceptance']);
  }
}

/** The text of a DOCX's body: word/document.xml with the markup between runs removed. */
function docxXml(file: string, part = 'word/document.xml'): string {
  return execFileSync('unzip', ['-p', file, part], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
}
const xmlText = (xml: string): string => xml.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
/** Table rows of a DOCX as arrays of cell texts. */
function docxRows(xml: string): string[][] {
  return [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) => [...m[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => xmlText(c[0])));
}
/** pdftotext wraps table cells across lines: compare without white space. */
const squeeze = (s: string): string => s.replace(/\s+/g, '');

const years = [2020, 2021, 2022, 2023, 2024, 2025];
let items2025: Item[];

beforeAll(async () => {
  await ok(['demo', 'generate', '--scale', '0.01', '--seed', '15', '--student-years', '2023,2025', '--student-sample', '0.05', '--out', 'demo']);
  const i = await run(['import', 'demo']);
  expect(i.err).not.toContain('E_');
  expect(i.code).toBe(0);
  await releaseAll(years);
  items2025 = await progress(2025);
}, 900_000);

describe('eduplan report final --as-of 2025', () => {
  it('writes a DOCX whose document.xml names each of the 20 indicators with its 2025 value as printed; 学生体质优良率 not achieved', async () => {
    const out = await ok(['report', 'final', '--as-of', '2025', '--out', 'f.docx']);
    expect(out).toContain('f.docx');
    const xml = docxXml(join(root, 'f.docx'));
    const rows = docxRows(xml);
    expect(items2025).toHaveLength(20);
    for (const item of items2025) {
      expect(xml, item.name_zh).toContain(item.name_zh);
      const row = rows.find((r) => r[1] === item.name_zh);
      expect(row, item.name_zh).toBeDefined();
      const printed = item.value === null ? (item.suppressed ? missingText.suppressed.zh : missingText.no_data.zh) : formatValue(item.value, item.unit, 'zh');
      expect(row?.[5], item.name_zh).toBe(printed);
      expect(xml, item.name_zh).toContain(printed);
    }
    const fitness = items2025.find((i) => i.code === 'fitness_good_rate');
    expect(fitness?.value).not.toBeNull();
    expect(fitness?.status).toBe('not_achieved');
    const fitnessRow = rows.find((r) => r[1] === '学生体质优良率');
    expect(fitnessRow?.[6]).toBe('未达成');
    // And the generated sentence states it with its numbers.
    expect(xmlText(xml)).toContain(`学生体质优良率由2020年的${formatValue(fitness?.baseline?.value ?? 0, '%', 'zh')}提高到2025年的${formatValue(fitness?.value ?? 0, '%', 'zh')}，未达到${formatValue(fitness?.target.value ?? 0, '%', 'zh')}的目标`);
  });

  it('writes a real Word document: Heading styles, tables with a header row, a PAGE field in the footer, A4 portrait', () => {
    const file = join(root, 'f.docx');
    const xml = docxXml(file);
    expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>/);
    expect(xml).toMatch(/<w:pStyle w:val="Heading2"\/>/);
    const headings = [...xml.matchAll(/<w:p>(?:(?!<\/w:p>)[\s\S])*?<w:pStyle w:val="Heading1"\/>[\s\S]*?<\/w:p>/g)].map((m) => xmlText(m[0]));
    expect(headings).toEqual(['一、总体情况', '二、主要目标完成情况', '三、主要任务实施情况', '四、保障措施与监测评估', '附件1 各区主要指标']);
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBeGreaterThanOrEqual(10);
    expect(xml).toContain('<w:tblHeader/>');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"(?: w:orient="portrait")?\/>/);
    const rels = docxXml(file, 'word/_rels/document.xml.rels');
    const footer = /Target="(footer\d*\.xml)"/.exec(rels)?.[1];
    expect(footer).toBeDefined();
    expect(docxXml(file, `word/${footer}`)).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    // Charts: an SVG with its PNG fallback.
    const media = execFileSync('unzip', ['-l', file]).toString();
    expect(media).toMatch(/word\/media\/[^\s]+\.svg/);
    expect(media).toMatch(/word\/media\/[^\s]+\.png/);
    // The table of contents and the navigation pane read the headings: a TOC field.
    expect(xml).toMatch(/<w:instrText[^>]*>TOC [^<]*\\o &quot;1-2&quot;/);
  });

  it.skipIf(!existsSync(chromium))('writes a PDF whose text (pdftotext) holds each indicator name and its 2025 value as printed', async () => {
    await ok(['report', 'final', '--as-of', '2025', '--out', 'f.pdf']);
    const pdf = join(root, 'f.pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = squeeze(execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8'));
    for (const item of items2025) {
      expect(text, item.name_zh).toContain(squeeze(item.name_zh));
      const printed = item.value === null ? missingText.suppressed.zh : formatValue(item.value, item.unit, 'zh');
      expect(text, item.name_zh).toContain(squeeze(printed));
    }
    expect(text).toContain('学生体质优良率');
    expect(text).toMatch(/学生体质优良率.{0,40}未达到/);
    const info = execFileSync('pdfinfo', [pdf]).toString();
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
  });

  it('writes HTML with the same figures, and an English edition', async () => {
    await ok(['report', 'final', '--as-of', '2025', '--out', 'f.html']);
    const html = readFileSync(join(root, 'f.html'), 'utf8');
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<svg');
    for (const item of items2025.filter((i) => i.value !== null)) expect(html, item.code).toContain(formatValue(item.value as number, item.unit, 'zh'));
    await ok(['report', 'final', '--as-of', '2025', '--out', 'f-en.docx', '--lang', 'en']);
    const en = xmlText(docxXml(join(root, 'f-en.docx')));
    expect(en).toContain('excellent or good in physical fitness');
    expect(en).toContain('not achieved');
    expect(en).not.toMatch(/达成|未达到/);
  });
});

describe('eduplan report midterm --as-of 2023', () => {
  it('carries no value from after 2023: the table and sentences show the 2023 figures, the sources no later release', async () => {
    await ok(['report', 'midterm', '--as-of', '2023', '--out', 'm.docx']);
    const xml = docxXml(join(root, 'm.docx'));
    const text = xmlText(xml);
    const items2023 = await progress(2023);
    const rows = docxRows(xml);
    for (const item of items2023) {
      const row = rows.find((r) => r[1] === item.name_zh);
      expect(row, item.name_zh).toBeDefined();
      // 序号 指标 属性 2020年 目标值 2023年应达 2023年 进展
      const printed = item.value === null ? (item.suppressed ? missingText.suppressed.zh : missingText.no_data.zh) : formatValue(item.value, item.unit, 'zh') + (item.year !== null && item.year !== 2023 ? `（${item.year}年）` : '');
      expect(row?.[6], item.name_zh).toBe(printed);
      const later = items2025.find((i) => i.code === item.code);
      if (later?.value !== null && later?.value !== undefined && (item.value === null || formatValue(later.value, later.unit, 'zh') !== formatValue(item.value, item.unit, 'zh'))) {
        const laterText = formatValue(later.value, later.unit, 'zh');
        // A later value may coincide with the baseline, target or expected value; it is never the row's value.
        expect(row?.[6], item.name_zh).not.toBe(laterText);
      }
    }
    // No sentence about 2024 or 2025 figures, no 2024/2025 release among the sources.
    expect(text).not.toMatch(/(?:到|为)?20(?:24|25)年的\d/);
    expect(text).not.toMatch(/20(?:24|25)年为\d/);
    const sources = rows.filter((r) => r.length === 4 && /^\d{4}$/.test(r[1] ?? ''));
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.every((r) => Number(r[1]) <= 2023)).toBe(true);
    expect(text).toContain('中期评估');
    expect(text).toContain('2023年应达');
  });
});

describe('eduplan report annual and luban', () => {
  it('the annual report of 2024 gives the 2024 figures with the expected-by-now line; the 鲁班工坊 report the released registry counts and the workshops in effect', async () => {
    await ok(['report', 'annual', '--year', '2024', '--out', 'a.docx']);
    const rows = docxRows(docxXml(join(root, 'a.docx')));
    for (const item of await progress(2024)) {
      const row = rows.find((r) => r[1] === item.name_zh);
      const printed = item.value === null ? (item.suppressed ? missingText.suppressed.zh : missingText.no_data.zh) : formatValue(item.value, item.unit, 'zh') + (item.year !== null && item.year !== 2024 ? `（${item.year}年）` : '');
      expect(row?.[6], item.name_zh).toBe(printed);
    }
    expect(xmlText(docxXml(join(root, 'a.docx')))).toContain('年度实施监测报告');

    await ok(['report', 'luban', '--year', '2024', '--out', 'l.docx']);
    const text = xmlText(docxXml(join(root, 'l.docx')));
    const targets = JSON.parse(await ok(['targets', '--json', '--released', '--year', '2024'])) as Array<{ id: string; value: number | null }>;
    const total = targets.find((t) => t.id === 'luban_workshops')?.value;
    const africa = targets.find((t) => t.id === 'luban_workshops_africa')?.value;
    expect(total).not.toBeNull();
    expect(text).toContain(`截至2024年，天津市在海外建成鲁班工坊${total}个`);
    expect(text).toContain(`其中在非洲建成${africa}个`);
    // The list of workshops: none opened after 2024.
    const list = docxRows(docxXml(join(root, 'l.docx'))).filter((r) => r.length === 4 && /鲁班工坊/.test(r[0] ?? ''));
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((r) => Number(r[3]) <= 2024)).toBe(true);
  });
});

describe('narratives', () => {
  it('refuses an unknown placeholder or a typed percentage, with line and column', async () => {
    writeFileSync(join(root, 'bad.txt'), '第一行\n非洲鲁班工坊{{value no_such_code}}个，优良率43.9%');
    const r = await run(['report', 'narrative', '--kind', 'final', '--year', '2025', '--section', 'summary', '--zh', 'bad.txt']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('E_REPORT_NARRATIVE');
    expect(r.err).toContain('第2行第7列');
    expect(r.err).toContain('no_such_code');
    expect(r.err).toContain('43.9%');
  });

  it('an edited paragraph survives a re-import that changes a number, and its number follows the data', async () => {
    writeFileSync(join(root, 'summary.txt'), '规划实施以来，我市在非洲建成鲁班工坊{{value luban_workshops_africa}}，目标为{{target luban_workshops_africa}}。');
    await ok(['report', 'narrative', '--kind', 'final', '--year', '2025', '--section', 'summary', '--zh', 'summary.txt']);
    const targets = async (): Promise<number> => (JSON.parse(await ok(['targets', '--json', '--released', '--year', '2025'])) as Array<{ id: string; value: number }>).find((t) => t.id === 'luban_workshops_africa')?.value ?? NaN;
    const before = await targets();
    await ok(['report', 'final', '--as-of', '2025', '--out', 'n1.docx']);
    expect(xmlText(docxXml(join(root, 'n1.docx')))).toContain(`规划实施以来，我市在非洲建成鲁班工坊${before}个，目标为10个。`);

    // One African workshop less in the registry file, imported again and released.
    const file = join(root, 'demo', 'registry-luban-workshops.csv');
    const lines = readFileSync(file, 'utf8').split('\n');
    const idx = lines.findIndex((l, n) => n > 0 && l.includes(',africa,') && !/,\d{4},(closed|withdrawn)/.test(l) && !/,\d{4},\d{4},/.test(l));
    expect(idx).toBeGreaterThan(0);
    writeFileSync(file, lines.filter((_, n) => n !== idx).join('\n'));
    const i = await run(['import', 'demo']);
    expect(i.code, i.err).toBe(0);
    await ok(['targets', 'release', '--year', '2025', '--note', 'acceptance: one workshop less']);
    const after = await targets();
    expect(after).toBe(before - 1);

    await ok(['report', 'final', '--as-of', '2025', '--out', 'n2.docx']);
    const text = xmlText(docxXml(join(root, 'n2.docx')));
    expect(text).toContain(`规划实施以来，我市在非洲建成鲁班工坊${after}个，目标为10个。`);
    expect(text).not.toContain(`鲁班工坊${before}个，目标为`);
  }, 600_000);
});
