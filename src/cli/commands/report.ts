/**
 * `eduplan report …` — the plan's evaluation reports from the released figures (docs/reports.md):
 *
 *   eduplan report final   --as-of 2025 --out f.docx|f.pdf|f.html [--lang en]   总结评估
 *   eduplan report midterm --as-of 2023 --out m.pdf [--lang en]               中期评估
 *   eduplan report annual  --year Y --out a.docx [--lang en]                  年度监测报告
 *   eduplan report luban   --year Y --out l.docx [--lang en]                  鲁班工坊建设年度报告
 *   eduplan report learning-city --year Y --out c.pdf [--lang en]             学习型城市建设监测年度报告
 *   eduplan report publish --kind final --year 2025 [--note TEXT]             发布（冻结）
 *
 * The format follows the extension of --out. Progress goes to stderr, one bar per stage.
 */
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { reportKinds, type ReportFormat, type ReportKind } from '../../contract/reports.ts';
import { generateReport, publishReport, saveNarrative, type ReportProgress } from '../../services/evaluation-reports/index.ts';
import { closeReportPdf } from '../../services/evaluation-reports/pdf.ts';
import type { CliIO } from '../io.ts';
import { withStore } from '../with-store.ts';
import { defineCommand, type CommandContext } from '../spec.ts';

const system = { system: 'cli' } as const;

function yearOf(ctx: CommandContext, flag: string, v: string): number {
  const y = Number(v);
  if (!/^\d{4}$/.test(v) || y < 2000 || y > 2100) throw ctx.usageError(flag, v, `${flag} 应为四位年份，如 2025`, `${flag} must be a 4-digit year such as 2025`);
  return y;
}

function formatOf(ctx: CommandContext, out: string): ReportFormat {
  const ext = extname(out).toLowerCase().slice(1);
  if (ext === 'docx' || ext === 'pdf' || ext === 'html') return ext;
  throw ctx.usageError('--out', out, '--out 的扩展名决定格式：.docx、.pdf 或 .html', 'the extension of --out gives the format: .docx, .pdf or .html');
}

/** A bar per stage on stderr: `[####----] 2/4 编排章节`. */
function progressBar(io: CliIO): ReportProgress {
  return (done, total, stage) => {
    const width = 20;
    const filled = Math.round((done / total) * width);
    io.stderr.write(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${stage}\n`);
  };
}

const lang = { type: 'string', choices: ['zh', 'en'], default: 'zh', zh: '语言：zh 中文版，en 英文版', en: 'language: zh Chinese, en English edition' } as const;
const out = { type: 'string', required: true, placeholder: '<file.docx|.pdf|.html>', zh: '写入的文件，扩展名决定格式', en: 'file to write; its extension gives the format' } as const;

const notes = [{ zh: '全部数字来自已发布数据（eduplan release create / eduplan targets release）；未发布的年份不出现在报告中。', en: 'Every number comes from the released figures (eduplan release create / eduplan targets release); unreleased years do not appear.' }];
const asOfOptions = { 'as-of': { type: 'string', required: true, placeholder: '<YYYY>', zh: '评估截至的年份', en: 'the year the evaluation is as of' }, out, lang } as const;
const yearOptions = { year: { type: 'string', required: true, placeholder: '<YYYY>', zh: '报告年份', en: "the report's year" }, out, lang } as const;

async function writeReport(ctx: CommandContext, kind: ReportKind, flag: string, yearText: string, outText: string, language: 'zh' | 'en'): Promise<number> {
  const year = yearOf(ctx, flag, yearText);
  const file = resolve(ctx.io.cwd, outText);
  const format = formatOf(ctx, file);
  return withStore(ctx, async (store) => {
    try {
      const r = await generateReport({ store, clock: () => new Date() }, system, { kind, year, format, lang: language, demo: ctx.config.demo }, progressBar(ctx.io));
      await writeFile(file, r.bytes);
      ctx.io.stdout.write(`已写入 written: ${file}（${r.title}，${r.bytes.length} 字节 bytes）\n`);
      ctx.io.stdout.write(`数据版本 releases: ${r.snapshot.indicator_releases.map((x) => `${x.year} v${x.version}`).join(', ') || '—'}\n`);
      return 0;
    } finally {
      if (format === 'pdf') await closeReportPdf();
    }
  });
}

const asOfCommand = (kind: ReportKind) => defineCommand({ options: asOfOptions, notes }, async ({ values }, ctx) => writeReport(ctx, kind, '--as-of', values['as-of'], values.out, values.lang));
const yearCommand = (kind: ReportKind) => defineCommand({ options: yearOptions, notes }, async ({ values }, ctx) => writeReport(ctx, kind, '--year', values.year, values.out, values.lang));

export const final = asOfCommand('final');
export const midterm = asOfCommand('midterm');
export const annual = yearCommand('annual');
export const luban = yearCommand('luban');
export const learningCity = yearCommand('learning_city');

export const publish = defineCommand({
  options: {
    kind: { type: 'string', required: true, choices: reportKinds, zh: '报告类型', en: 'report kind' },
    year: { type: 'string', required: true, placeholder: '<YYYY>', zh: '截至年份（final、midterm）或报告年份（annual、luban）', en: 'as-of year (final, midterm) or report year (annual, luban)' },
    note: { type: 'string', default: '', zh: '发布说明', en: 'publication note' },
  },
}, async ({ values }, ctx) => {
  const year = yearOf(ctx, '--year', values.year);
  return withStore(ctx, async (store) => {
    try {
      const p = await publishReport({ store, clock: () => new Date() }, system, { kind: values.kind, year, demo: ctx.config.demo }, { note: values.note }, progressBar(ctx.io));
      ctx.io.stdout.write(`已发布 published: ${p.title_zh} 第${p.version}版 / version ${p.version} (id ${p.id})\n`);
      for (const f of p.files) ctx.io.stdout.write(`  ${f.url}  ${f.bytes} B  sha256 ${f.sha256}\n`);
      return 0;
    } finally {
      await closeReportPdf();
    }
  });
});

export const narrative = defineCommand({
  options: {
    kind: { type: 'string', required: true, choices: reportKinds, zh: '报告类型', en: 'report kind' },
    year: { type: 'string', required: true, placeholder: '<YYYY>', zh: '截至年份（final、midterm）或报告年份（annual、luban）', en: 'as-of year (final, midterm) or report year (annual, luban)' },
    section: { type: 'string', required: true, placeholder: '<key>', zh: '章节代码（如 summary、moral_education、luban_overview）', en: 'section key (such as summary, moral_education, luban_overview)' },
    zh: { type: 'string', required: true, placeholder: '<file.txt>', zh: '中文叙述文件（UTF-8；数字用占位符 {{value 代码}} 等）', en: 'Chinese narrative file (UTF-8; numbers as placeholders {{value code}} …)' },
    en: { type: 'string', placeholder: '<file.txt>', zh: '英文叙述文件（可选）', en: 'English narrative file (optional)' },
  },
  notes: [{ zh: '保存为该章节的新版本（留痕、审计）；有未知占位符或直接输入的百分数时拒绝保存并指出行列。', en: 'Saved as a new version of the section (kept, audited); refused, with line and column, when a placeholder is unknown or a percentage is typed.' }],
}, async ({ values }, ctx) => {
  const year = yearOf(ctx, '--year', values.year);
  const { readFile } = await import('node:fs/promises');
  const textZh = await readFile(resolve(ctx.io.cwd, values.zh), 'utf8');
  const textEn = values.en === undefined ? '' : await readFile(resolve(ctx.io.cwd, values.en), 'utf8');
  return withStore(ctx, async (store) => {
    const b = await saveNarrative({ store, clock: () => new Date() }, system, { kind: values.kind, year, section: values.section }, { text_zh: textZh, text_en: textEn });
    ctx.io.stdout.write(`已保存 saved: ${b.title_zh} / ${b.title_en} 第${b.current?.version ?? 0}版 version ${b.current?.version ?? 0}\n`);
    return 0;
  });
});
