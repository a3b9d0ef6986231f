/**
 * `eduplan forms list [--json]`                 — the forms (one per school type), their sections and rule counts.
 * `eduplan forms show --form <code> [--json]`   — one form's fields and rules (the rules are data).
 * `eduplan forms template --form <code> --org <school code> --year <Y> --out <file.xlsx>`
 *                                               — the school's xlsx template, identity pre-filled from the store.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EduplanError } from '../../core/errors.ts';
import { formFields } from '../../core/forms/index.ts';
import { formTemplate, listForms, requireForm } from '../../services/forms.ts';
import { openStore, storeOptionsFromEnv } from '../../store/store.ts';
import { printJson, type CliIO, type Command } from '../io.ts';

function parse(args: readonly string[], options: ParseArgsConfig['options'], usage: string): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  } catch (err) {
    throw new EduplanError('E_USAGE', { detail: `${(err as Error).message}; usage: ${usage}` });
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const list: Command = async (args, io) => {
  const { values } = parse(args, { json: { type: 'boolean' } }, 'eduplan forms list [--json]');
  const all = listForms();
  if (values.json) { printJson(io, all); return 0; }
  for (const f of all) {
    io.stdout.write(`${f.code.padEnd(28)} ${f.name_zh} / ${f.name_en}\n`);
    io.stdout.write(`${''.padEnd(28)} ${f.fields} 项 items; 规则 rules: ${f.rules.hard} 逻辑 hard, ${f.rules.soft} 经验 soft; ${f.sections.map((s) => `${s.name_zh}(${s.fields})`).join(' ')}\n`);
  }
  return 0;
};

export const show: Command = async (args, io) => {
  const usage = 'eduplan forms show --form <code> [--json]';
  const { values } = parse(args, { form: { type: 'string' }, json: { type: 'boolean' } }, usage);
  const code = str(values.form);
  if (!code) throw new EduplanError('E_USAGE', { detail: `--form is required; usage: ${usage}` });
  const form = requireForm(code);
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
};

export const template: Command = async (args, io: CliIO) => {
  const usage = 'eduplan forms template --form <code> --org <school code> --year <Y> --out <file.xlsx>';
  const { values } = parse(args, { form: { type: 'string' }, org: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' } }, usage);
  const form = str(values.form);
  const org = str(values.org);
  const yearText = str(values.year);
  const year = Number(yearText);
  if (!form || !org || !yearText || !Number.isInteger(year)) throw new EduplanError('E_USAGE', { detail: `--form, --org and an integer --year are required; usage: ${usage}` });
  const store = await openStore(storeOptionsFromEnv(io.env));
  try {
    const t = await formTemplate(store, { formCode: form, orgCode: org, year });
    const out = resolve(io.cwd, str(values.out) ?? t.fileName);
    await writeFile(out, t.file);
    io.stdout.write(`已生成模板 template written: ${out} (${t.file.length} bytes)\n`);
    return 0;
  } finally {
    await store.close();
  }
};
