/**
 * `eduplan forms list [--json]`                 — the forms (one per school type), their sections and rule counts.
 * `eduplan forms show --form <code> [--json]`   — one form's fields and rules (the rules are data).
 * `eduplan forms template --form <code> --org <school code> --year <Y> --out <file.xlsx>`
 *                                               — the school's xlsx template, identity pre-filled from the store.
 * `eduplan forms bench [--runs N]`              — timings for the template, the reader and zip-bomb refusal.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EduplanError } from '../../core/errors.ts';
import { formFields } from '../../core/forms/index.ts';
import { formTemplate, listForms, requireForm } from '../../services/forms.ts';
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
    const t = await formTemplate(store, { formCode: form, orgCode: org, year });
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
  const { default: ExcelJS } = await import('exceljs');
  const { deflateRawSync } = await import('node:zlib');
  const { buildFormTemplate } = await import('../../reports/form-template.ts');
  const { readSubmissionWorkbook } = await import('../../ingest/submission-workbook.ts');
  const form = requireForm('annual.twelve_year');
  const org = { code: '1201010001', name_zh: '测试学校', parent_code: '120101', school_type: 'twelve_year' as const };
  const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
  let t0 = process.hrtime.bigint();
  let template: Buffer = Buffer.alloc(0);
  for (let i = 0; i < runs; i++) template = await buildFormTemplate({ form, org, year: 2023 });
  const buildMs = ms(t0) / runs;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('数据 Data');
  ws?.eachRow((row) => { if (typeof row.getCell(2).value === 'string' && String(row.getCell(2).value).includes('.')) row.getCell(6).value = 1; });
  const filled = Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer);
  t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await readSubmissionWorkbook(filled);
  const readMs = ms(t0) / runs;
  // Zip bomb: 200 MB of spaces in one sheet part (~200 KB compressed), and the same with a lying size.
  const bombPart = deflateRawSync(Buffer.alloc(200 * 1024 * 1024, 0x20));
  const mkZip = (declared: number): Buffer => {
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const ct = Buffer.from('[Content_Types].xml');
    const wbName = Buffer.from('xl/workbook.xml');
    const parts: Array<[Buffer, Buffer, number]> = [[ct, deflateRawSync(Buffer.from('<Types/>')), 8], [wbName, deflateRawSync(Buffer.from('<workbook/>')), 11], [name, bombPart, declared]];
    const chunks: Buffer[] = [];
    const central: Buffer[] = [];
    let off = 0;
    for (const [n, data, size] of parts) {
      const l = Buffer.alloc(30); l.writeUInt32LE(0x04034b50, 0); l.writeUInt16LE(8, 8); l.writeUInt32LE(data.length, 18); l.writeUInt32LE(size, 22); l.writeUInt16LE(n.length, 26);
      const c = Buffer.alloc(46); c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(8, 10); c.writeUInt32LE(data.length, 20); c.writeUInt32LE(size, 24); c.writeUInt16LE(n.length, 28); c.writeUInt32LE(off, 42);
      chunks.push(l, n, data); central.push(c, n); off += 30 + n.length + data.length;
    }
    const cd = Buffer.concat(central);
    const e = Buffer.alloc(22); e.writeUInt32LE(0x06054b50, 0); e.writeUInt16LE(3, 8); e.writeUInt16LE(3, 10); e.writeUInt32LE(cd.length, 12); e.writeUInt32LE(off, 16);
    return Buffer.concat([...chunks, cd, e]);
  };
  const refuse = async (file: Buffer): Promise<{ ms: number; rssMb: number; code: string }> => {
    const rss0 = process.memoryUsage().rss;
    const t = process.hrtime.bigint();
    const code = await readSubmissionWorkbook(file).then(() => 'accepted', (e: unknown) => (e instanceof EduplanError ? e.code : String(e)));
    return { ms: ms(t), rssMb: (process.memoryUsage().rss - rss0) / 1024 / 1024, code };
  };
  const honest = await refuse(mkZip(200 * 1024 * 1024));
  const lying = await refuse(mkZip(1000));
  const figures = {
    form: form.code, fields: formFields(form).length, runs,
    templateBytes: template.length, buildTemplateMs: Number(buildMs.toFixed(1)),
    filledBytes: filled.length, readFilledMs: Number(readMs.toFixed(1)),
    zipBomb: { fileBytes: mkZip(0).length, uncompressedBytes: 200 * 1024 * 1024, refusedInMs: Number(honest.ms.toFixed(1)), rssGrowthMb: Number(honest.rssMb.toFixed(1)), code: honest.code },
    lyingSizeBomb: { declaredBytes: 1000, refusedInMs: Number(lying.ms.toFixed(1)), rssGrowthMb: Number(lying.rssMb.toFixed(1)), code: lying.code },
  };
  printJson(io, figures);
  return 0;
});
