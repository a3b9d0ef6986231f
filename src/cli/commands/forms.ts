/**
 * `eduplan forms list [--json]`                 — the forms (one per school type), their sections and rule counts.
 * `eduplan forms show --form <code> [--json]`   — one form's fields and rules (the rules are data).
 * `eduplan forms template --form <code> --org <school code> --year <Y> --out <file.xlsx>`
 *                                               — the school's xlsx template, identity pre-filled from the store.
 * `eduplan forms bench [--runs N]`              — timings for the template, the reader and zip-bomb refusal.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formFields } from '../../core/forms/index.ts';
import { formDefinition, formTemplate, listForms } from '../../services/forms.ts';
import { withStore } from '../with-store.ts';
import { printJson } from '../io.ts';
import { defineCommand } from '../spec.ts';

export const list = defineCommand({
  options: { json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } },
}, async ({ values }, { io }) => {
  const all = listForms();
  if (values.json) { printJson(io, all); return 0; }
  for (const f of all) {
    io.stdout.write(`${f.code.padEnd(28)} ${f.name_zh} / ${f.name_en}\n`);
    io.stdout.write(`${''.padEnd(28)} ${f.fields} 项 items; 规则 rules: ${f.rules.hard} 逻辑 hard, ${f.rules.soft} 经验 soft; ${f.sections.map((s) => `${s.name_zh}(${s.fields})`).join(' ')}\n`);
  }
  return 0;
});

export const show = defineCommand({
  options: {
    form: { type: 'string', required: true, placeholder: '<code>', zh: '报表代码（eduplan forms list）', en: 'form code (eduplan forms list)' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
}, async ({ values }, { io }) => {
  const code = values.form;
  const form = formDefinition({ code });
  if (values.json) { printJson(io, form); return 0; }
  io.stdout.write(`${form.code}  ${form.name_zh} / ${form.name_en}\n`);
  for (const s of form.sections) {
    io.stdout.write(`\n[${s.code}] ${s.name_zh} / ${s.name_en} (${s.source})\n`);
    for (const f of s.fields) io.stdout.write(`  ${f.code.padEnd(28)} ${f.label_zh} (${f.unit_zh})\n`);
  }
  io.stdout.write(`\n规则 rules (${form.rules.length}):\n`);
  for (const r of form.rules) {
    const what = r.kind === 'check' ? r.expr : r.kind === 'change' ? `|Δ ${r.target}| ≤ ${r.maxPct}% vs last year` : `|M(${r.target})| ≤ ${r.threshold} among ≥${r.minPeers} peers`;
    io.stdout.write(`  ${r.severity === 'hard' ? '逻辑 hard' : '经验 soft'}  ${r.id.padEnd(36)} ${what}\n`);
  }
  io.stdout.write(`\n${formFields(form).length} items\n`);
  return 0;
});

export const template = defineCommand({
  options: {
    form: { type: 'string', required: true, placeholder: '<code>', zh: '报表代码', en: 'form code' },
    org: { type: 'string', required: true, placeholder: '<school code>', zh: '学校代码（10 位）', en: 'school code (10 digits)' },
    year: { type: 'string', required: true, placeholder: '<Y>', zh: '学年，如 2023', en: 'academic year, e.g. 2023' },
    out: { type: 'string', placeholder: '<file.xlsx>', zh: '写入的文件（默认按学校与学年命名）', en: 'file to write (default: named after the school and year)' },
  },
}, async ({ values }, ctx) => {
  const { form, org } = values;
  const year = Number(values.year);
  if (!Number.isInteger(year)) throw ctx.usageError('--year', values.year, '--year 应为整数学年，如 2023', '--year must be an integer academic year such as 2023');
  return withStore(ctx, async (store) => {
    const t = await formTemplate({ store, clock: () => new Date() }, { system: 'cli' }, { formCode: form, orgCode: org, year });
    const out = resolve(ctx.io.cwd, values.out ?? t.fileName);
    await writeFile(out, t.file);
    ctx.io.stdout.write(`已生成模板 template written: ${out} (${t.file.length} bytes)\n`);
    return 0;
  });
});

/**
 * `eduplan forms bench [--runs N]` — figures for the spreadsheet way in: template build,
 * reading a filled workbook, and how fast (and with how much memory) zip bombs are refused.
 * Needs no store.
 */
export const bench = defineCommand({
  options: { runs: { type: 'string', default: '20', placeholder: '<n>', zh: '每项测量的次数', en: 'runs per measurement' } },
}, async ({ values }, { io }) => {
  const runs = Math.max(1, Number(values.runs) || 20);
  const { measureWorkbookPath } = await import('../../services/forms-bench.ts');
  printJson(io, await measureWorkbookPath({ runs }));
  return 0;
});
