/**
 * `eduplan assess …` — supervision assessments (督导评估):
 *   assess balanced  --district <code> --year <Y> [--json]   优质均衡 from stored data
 *   assess balanced  --input <file.json|-> [--json]          优质均衡 for a district given directly
 *   assess preschool --district <code> --year <Y> [--json]   普及普惠
 *   assess enter     --kind balanced|preschool --district --year --file items.json [--actor]
 *   assess workflow  --kind … --district … --year … --action self_evaluate|city_assess|submit|certify|return --date YYYY-MM-DD [--comments file.json]
 *   assess schedule  --kind … [--as-of Y] [--json]           the plan's schedule against what happened
 *   assess export    --kind … --district … --year … --out file.xlsx|file.pdf
 * Each command parses its options, calls the use case in src/services/assessments/ as the
 * system (`cli`) and prints. The exit code is 0 whatever the verdict (the verdict is in the
 * output); errors exit 1, usage 2.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { EduplanError, type Problem } from '../../core/errors.ts';
import { assessmentCriteria, type BalancedIndicatorKey } from '../../core/standards/balanced/criteria.ts';
import { workflowActions } from '../../core/standards/balanced/workflow.ts';
import { exportFormat, type LevelWithWhatIf } from '../../contract/assessments.ts';
import { balancedAssessment, evaluateBalanced } from '../../services/assessments/balanced.ts';
import { exportAssessment } from '../../services/assessments/export.ts';
import { preschoolAssessment } from '../../services/assessments/preschool.ts';
import { enterAssessmentItems, recordAssessmentStep, scheduleProgress } from '../../services/assessments/workflow.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import { printJson, readJsonFile, type CliIO } from '../io.ts';
import { defineCommand, type CommandContext } from '../spec.ts';
import { withStore } from '../with-store.ts';

/** The operator's commands act as the system (`cli`): they run on the server's machine, with the database at hand anyway. */
const system = { system: 'cli' } as const;

/** The services' dependencies for one command: a failed recompute is reported on stderr. */
function depsOf(store: ServiceDeps['store'], io: CliIO): ServiceDeps {
  return { store, clock: () => new Date(), log: { error: (_fields, message) => { io.stderr.write(`${message}\n`); } } };
}

/** The options most assessment commands share: which district and year (and which kind of assessment). */
const district = { type: 'string', required: true, placeholder: '<code>', zh: '区代码（6 位）', en: 'district code (6 digits)' } as const;
const year = { type: 'string', required: true, placeholder: '<Y>', zh: '学年，如 2023', en: 'academic year, e.g. 2023' } as const;
const kind = { type: 'string', required: true, choices: ['balanced', 'preschool'], zh: '评估类型：优质均衡或普及普惠', en: 'which assessment: balanced or preschool' } as const;
const json = { type: 'boolean', zh: '输出 JSON', en: 'print JSON' } as const;

function yearOf(ctx: CommandContext, text: string): number {
  if (!/^\d{4}$/.test(text)) throw ctx.usageError('--year', text, '--year 应为四位学年，如 2023', '--year must be an academic year such as 2023');
  return Number(text);
}

// ---------------------------------------------------------------- text output

const f = (x: number | null, d = 2): string => (x === null ? '—' : Number(x.toFixed(d)).toString());

function printLevel(io: CliIO, r: LevelWithWhatIf): void {
  const levelZh = r.level === 'primary' ? '小学' : '初中';
  io.stdout.write(`\n【${levelZh} / ${r.level}】学校 ${r.schools.length} 所（不纳入 ${r.excluded.length}）；学校达标 ${r.schools_pass ? '是' : '否'}，差异系数达标 ${r.cv_pass ? '是' : '否'} → ${r.pass ? '达标 PASS' : '不达标 FAIL'}\n`);
  io.stdout.write(`  ${'指标 indicator'.padEnd(36)} 标准   均值     差异系数 限值  达标校数\n`);
  for (const [key, ind] of Object.entries(r.indicators) as Array<[BalancedIndicatorKey, LevelWithWhatIf['indicators'][BalancedIndicatorKey]]>) {
    io.stdout.write(`  ${ind.name_zh.padEnd(24, '　').slice(0, 24)} ${String(ind.threshold).padStart(6)} ${f(ind.mean).padStart(8)} ${f(ind.cv, 4).padStart(8)}${ind.cv_pass ? ' ' : '✗'} ${ind.cv_limit.toFixed(2)} ${String(ind.schools_met).padStart(4)}/${r.schools.length}  ${key}\n`);
  }
  const w = r.what_if;
  if (w) {
    io.stdout.write(`  整改测算 what-if（${w.pass_after ? '完成后达标' : '完成后仍不达标'}）：\n`);
    for (const c of w.changes) io.stdout.write(`    ${c.name_zh ? `${c.name_zh}（${c.code}）` : c.code} 增加 ${f(c.add)} ${c.resource_zh}：${f(c.value_before, 3)} → ${f(c.value_after, 3)}（${c.reasons.join('+')}）\n`);
    for (const [k, cv] of Object.entries(w.cv)) if (cv.before !== cv.after) io.stdout.write(`    CV ${k}: ${f(cv.before, 4)} → ${f(cv.after, 4)} (≤ ${cv.limit})\n`);
  }
}

function printExplanation(io: CliIO, zh: readonly string[], en: readonly string[]): void {
  io.stdout.write('\n');
  zh.forEach((line, i) => io.stdout.write(`  ${line}\n  ${en[i] ?? ''}\n`));
}

// ---------------------------------------------------------------- commands

export const balanced = defineCommand({
  options: {
    district: { ...district, required: false }, year: { ...year, required: false },
    input: { type: 'string', placeholder: '<file.json|->', zh: '直接给出一个区的学校数据（JSON 文件，- 为标准输入）', en: "a district's schools given directly (JSON file, - for stdin)" },
    json,
    'no-what-if': { type: 'boolean', zh: '不做整改测算', en: 'skip the what-if (what would make it pass)' },
  },
  notes: [{ zh: '用 --district 与 --year（库中数据），或用 --input（不读数据库），二者选一。', en: 'Either --district and --year (stored data) or --input (no database), not both.' }],
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const wantWhatIf = !values['no-what-if'];
  if (values.input !== undefined) {
    if (values.district !== undefined || values.year !== undefined) throw ctx.usageError('--input', values.input, '--input 不能与 --district/--year 同时使用', '--input cannot be combined with --district/--year');
    const { doc, path } = await readJsonFile(io, values.input, { stdin: true });
    const r = evaluateBalanced({ doc, file: path === '-' ? 'stdin' : path, what_if: wantWhatIf });
    if (values.json) { printJson(io, r); return 0; }
    io.stdout.write(`${assessmentCriteria.balanced.document} 资源配置 / resource allocation\n`);
    printLevel(io, r);
    printExplanation(io, r.explanation_zh, r.explanation_en);
    return 0;
  }
  if (values.district === undefined || values.year === undefined) {
    throw ctx.usageError(values.district === undefined ? '--district' : '--year', undefined, '需要 --district 与 --year，或 --input', '--district and --year are required, or --input');
  }
  const q = { district: values.district, year: yearOf(ctx, values.year) };
  const r = await withStore(ctx, (store) => balancedAssessment(depsOf(store, io), system, { ...q, what_if: wantWhatIf }));
  if (values.json) { printJson(io, r); return 0; }
  io.stdout.write(`${r.district_name_zh}（${r.district}）${r.year}学年 义务教育优质均衡 / ${r.district_name_en} ${r.year}: ${r.verdict.toUpperCase()}\n流程 workflow: ${r.workflow.state_zh} / ${r.workflow.state_en}\n`);
  printLevel(io, r.levels.primary);
  printLevel(io, r.levels.junior);
  io.stdout.write('\n');
  for (const p of r.parts) io.stdout.write(`  ${p.name_zh} / ${p.name_en}: ${p.status}${p.failing.length ? ` 未达标 ${p.failing.join(', ')}` : ''}${p.pending.length ? ` 待录入/缺佐证 ${p.pending.length} 项` : ''}\n`);
  printExplanation(io, r.explanation_zh, r.explanation_en);
  for (const d of r.data_problems) io.stderr.write(`数据问题 / data: ${d.message_zh} / ${d.message_en}\n`);
  return 0;
});

export const preschool = defineCommand({
  options: { district, year, json },
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const q = { district: values.district, year: yearOf(ctx, values.year) };
  const r = await withStore(ctx, (store) => preschoolAssessment(depsOf(store, io), system, q));
  if (values.json) { printJson(io, r); return 0; }
  io.stdout.write(`${r.district_name_zh}（${r.district}）${r.year}学年 学前教育普及普惠 / ${r.district_name_en} ${r.year}: ${r.verdict.toUpperCase()}\n流程 workflow: ${r.workflow.state_zh}\n\n`);
  for (const c of r.computed) {
    const v = c.value === null ? '—' : c.key === 'teacher_child_ratio' ? `1:${(1 / c.value).toFixed(1)}` : `${(c.value * 100).toFixed(1)}%`;
    io.stdout.write(`  ${c.status === 'met' ? '✓' : c.status === 'missing' ? '?' : '✗'} ${c.name_zh}: ${v}（标准 ${c.comparator} ${c.threshold_label}；${c.numerator}/${c.denominator ?? '—'}）\n`);
  }
  printExplanation(io, r.explanation_zh, r.explanation_en);
  r.data_problems_zh.forEach((p, i) => io.stderr.write(`数据问题 / data: ${p} / ${r.data_problems_en[i] ?? ''}\n`));
  return 0;
});

/** Evidence given as `{"file": "relative/path.pdf"}` is checked to exist and fingerprinted (sha256). */
function resolveEvidence(doc: unknown, baseDir: string, file: string): unknown {
  if (doc === null || typeof doc !== 'object' || !Array.isArray((doc as { entries?: unknown }).entries)) return doc;
  const problems: Problem[] = [];
  const entries = ((doc as { entries: unknown[] }).entries).map((e, i) => {
    if (e === null || typeof e !== 'object' || !Array.isArray((e as { evidence?: unknown }).evidence)) return e;
    const evidence = ((e as { evidence: unknown[] }).evidence).map((ev, j) => {
      if (ev === null || typeof ev !== 'object' || typeof (ev as { file?: unknown }).file !== 'string') return ev;
      const rel = (ev as { file: string }).file;
      const p = resolve(baseDir, rel);
      if (!existsSync(p) || !statSync(p).isFile()) {
        problems.push({ file, path: `entries[${i}].evidence[${j}].file`, value: rel, rule: 'evidence_exists', message_zh: `佐证材料 ${rel} 不存在`, message_en: `evidence file ${rel} not found`, fix_zh: '路径相对于评估项 JSON 文件所在目录', fix_en: 'paths are relative to the items JSON file' });
        return ev;
      }
      const bytes = readFileSync(p);
      const { file: _f, ...rest } = ev as Record<string, unknown>;
      return { name: basename(p), ...rest, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    });
    return { ...(e as object), evidence };
  });
  if (problems.length) throw new EduplanError('E_FILE_NOT_FOUND', { problems });
  return { ...(doc as object), entries };
}

export const enter = defineCommand({
  options: {
    kind, district, year,
    file: { type: 'string', required: true, placeholder: '<items.json|->', zh: '评估项及佐证材料（JSON，docs/assessments.md）', en: 'the items with their evidence (JSON, docs/assessments.md)' },
    actor: { type: 'string', placeholder: '<name>', zh: '录入人（默认为当前系统用户）', en: 'who enters them (default: the operating-system user)' },
    json,
  },
  notes: [{ zh: '佐证材料路径相对于 JSON 文件所在目录。', en: 'Evidence paths are relative to the JSON file.' }],
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const q = { district: values.district, year: yearOf(ctx, values.year) };
  const { doc, path } = await readJsonFile(io, values.file, { stdin: true });
  const resolved = resolveEvidence(doc, path === '-' ? io.cwd : dirname(path), path);
  const actor = values.actor ?? ctx.config.operator;
  const r = await withStore(ctx, (store) => enterAssessmentItems(depsOf(store, io), system, { kind: values.kind, ...q, doc: resolved, file: path, actor_name: actor }));
  if (values.json) printJson(io, r);
  else io.stdout.write(`已录入 ${r.entries} 项，其中变化 ${r.changed} 项 / ${r.entries} items entered, ${r.changed} changed\n`);
  return 0;
});

export const workflow = defineCommand({
  options: {
    kind, district, year,
    action: { type: 'string', required: true, choices: workflowActions, zh: '流程环节', en: 'the workflow step' },
    date: { type: 'string', required: true, placeholder: '<YYYY-MM-DD>', zh: '办理日期', en: 'date of the step' },
    actor: { type: 'string', placeholder: '<name>', zh: '办理人（默认为当前系统用户）', en: 'who takes the step (default: the operating-system user)' },
    comment: { type: 'string', placeholder: '<text>', zh: '意见', en: 'comment' },
    comments: { type: 'string', placeholder: '<file.json>', zh: '逐项专家意见 {"评估项编号": "意见"}', en: 'per-item comments {"item code": "comment"}' },
    json,
  },
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const q = { district: values.district, year: yearOf(ctx, values.year) };
  let itemComments: Record<string, string> = {};
  if (values.comments !== undefined) {
    const { doc, path } = await readJsonFile(io, values.comments, { stdin: true });
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc) || Object.values(doc).some((v) => typeof v !== 'string')) {
      throw new EduplanError('E_INPUT_INVALID', { problems: [{ file: path, rule: 'comments_object', message_zh: '专家意见文件应为 {"评估项编号": "意见"} 对象', message_en: 'the comments file must be an object {"item code": "comment"}' }] });
    }
    itemComments = doc as Record<string, string>;
  }
  const r = await withStore(ctx, (store) => recordAssessmentStep(depsOf(store, io), system, {
    kind: values.kind, ...q, action: values.action, on_date: values.date,
    actor_name: values.actor ?? ctx.config.operator,
    comment: values.comment ?? '', item_comments: itemComments,
  }));
  if (values.json) printJson(io, r);
  else io.stdout.write(`状态 / state: ${r.state_zh} / ${r.state_en}（评估结论 verdict: ${r.verdict}）\n`);
  return 0;
});

export const schedule = defineCommand({
  options: {
    kind,
    'as-of': { type: 'string', placeholder: '<Y>', zh: '截至年份（默认为今年）', en: 'as of this year (default: this year)' },
    json,
  },
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const asOf = values['as-of'] === undefined ? undefined : Number(values['as-of']);
  if (asOf !== undefined && !Number.isInteger(asOf)) throw ctx.usageError('--as-of', values['as-of'], '--as-of 应为年份', '--as-of must be a year');
  const r = await withStore(ctx, (store) => scheduleProgress(depsOf(store, io), system, { kind: values.kind, ...(asOf === undefined ? {} : { as_of: asOf }) }));
  if (values.json) { printJson(io, r); return 0; }
  io.stdout.write(`${r.source}\n\n  年份  计划申报 实际申报 计划认定 实际认定 状态\n`);
  for (const y of r.by_year) io.stdout.write(`  ${y.year}  ${String(y.planned_submitted ?? '—').padStart(6)} ${String(y.submitted).padStart(8)} ${String(y.planned_certified ?? '—').padStart(8)} ${String(y.certified).padStart(8)} ${y.status}\n`);
  io.stdout.write('\n');
  for (const d of r.districts) io.stdout.write(`  ${d.district} ${d.name_zh.padEnd(5, '　')} ${d.state_zh.padEnd(10, '　')} 自评 ${d.self_evaluated_on ?? '—'} 申报 ${d.submitted_on ?? '—'} 认定 ${d.certified_on ?? '—'}\n`);
  io.stdout.write(`\n${r.kpi.name_zh}: ${r.kpi.certified}/${r.kpi.total} = ${(r.kpi.value * 100).toFixed(1)}%（2025年目标 100%）\n`);
  return 0;
});

export const exportCommand = defineCommand({
  options: {
    kind, district, year,
    out: { type: 'string', required: true, placeholder: '<file.xlsx|file.pdf|file.html>', zh: '写入的文件（按扩展名决定格式）', en: 'file to write (its extension chooses the format)' },
  },
}, async ({ values }, ctx) => {
  const { io } = ctx;
  const q = { district: values.district, year: yearOf(ctx, values.year) };
  const out = values.out;
  const ext = /\.(xlsx|pdf|html)$/i.exec(out)?.[1];
  if (ext === undefined) throw ctx.usageError('--out', out, '--out 的扩展名应为 .xlsx、.pdf 或 .html', '--out must end in .xlsx, .pdf or .html');
  const path = resolve(io.cwd, out);
  const format = exportFormat.parse(ext.toLowerCase());
  const file = await withStore(ctx, (store) => exportAssessment(depsOf(store, io), system, { kind: values.kind, ...q, format }))
    // The PDF is printed by the process's warm Chromium: closed here, or the command would not exit.
    .finally(async () => { if (format === 'pdf') await (await import('../../services/evaluation-reports/pdf.ts')).closeReportPdf(); });
  writeFileSync(path, file.bytes);
  io.stdout.write(`已写入 / written: ${path} (${file.bytes.length} bytes)\n`);
  return 0;
});
