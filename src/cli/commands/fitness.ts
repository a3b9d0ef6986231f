/**
 * `eduplan fitness score [--in <file>] [--out <file>] [--format jsonl|csv]`
 *   JSON Lines (default; stdin → stdout) or CSV in, one result per input line out.
 * `eduplan fitness import <file> [--kind fitness|vision] [--year <学年>]`
 *   Student records (CSV/XLSX, docs/student-records.md) into the store, pseudonymised with
 *   the configured key (config.ts `pseudonymKey`: the same key the server's upload uses).
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pseudonymKey } from '../../config.ts';
import { EduplanError, formatProblems } from '../../core/errors.ts';
import { scoreFormats } from '../../contract/fitness.ts';
import { studentRecordKinds, type StudentImportOutcome } from '../../contract/student-records.ts';
import { scoreStream } from '../../services/fitness.ts';
import type { SystemCaller } from '../../services/deps.ts';
import { importStudentRecords, type ImportWatch } from '../../services/student-records.ts';
import { withStore } from '../with-store.ts';
import { EXIT_ERROR, printJson, progressBar, readStdinLine } from '../io.ts';
import { defineCommand } from '../spec.ts';

/** The operator's command on the server's machine. */
const CLI: SystemCaller = { system: 'cli' };

export const score = defineCommand({
  options: {
    in: { type: 'string', placeholder: '<file>', zh: '输入文件（默认标准输入）', en: 'input file (default: stdin)' },
    out: { type: 'string', placeholder: '<file>', zh: '输出文件（默认标准输出）', en: 'output file (default: stdout)' },
    format: { type: 'string', choices: scoreFormats, zh: '输入输出格式（默认按 --in 的扩展名，否则 jsonl）', en: "input and output format (default: from --in's extension, else jsonl)" },
  },
  notes: [{ zh: '有误的记录在输出中原位给出错误，其余照常评分；有误记录时退出码为 1。', en: 'A bad record gets its error in place in the output and the others are still scored; exit code 1 when any record is bad.' }],
}, async ({ values }, { io }) => {
  const inPath = values.in === undefined ? undefined : resolve(io.cwd, values.in);
  if (inPath !== undefined && !existsSync(inPath)) throw new EduplanError('E_FILE_NOT_FOUND', { detail: inPath });
  const format = values.format ?? (inPath?.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  const input: NodeJS.ReadableStream = inPath === undefined ? io.stdin : createReadStream(inPath);
  const output: NodeJS.WritableStream = values.out === undefined ? io.stdout : createWriteStream(resolve(io.cwd, values.out));
  let bad = 0;
  let n = 0;
  for await (const line of scoreStream(input, format)) {
    if (line.record > 0) n += 1;
    if (!line.ok) bad += 1;
    if (!output.write(line.text)) await new Promise<void>((r) => output.once('drain', () => r()));
  }
  if (output !== io.stdout) await new Promise<void>((r) => output.end(() => r()));
  io.stderr.write(`已评分 ${n - bad} 条，${bad} 条有误 / scored ${n - bad}, ${bad} with errors\n`);
  return bad > 0 ? EXIT_ERROR : 0;
});

export const importCommand = defineCommand({
  positionals: [{ name: 'file', required: true, zh: '学生记录文件（.csv 或 .xlsx）', en: 'the record file (.csv or .xlsx)' }],
  options: {
    kind: { type: 'string', choices: studentRecordKinds, zh: '记录类型（默认按文件名：vision… 为视力）', en: 'record type (default: from the file name, vision… for vision)' },
    year: { type: 'string', placeholder: '<Y>', zh: '学年（默认取自文件名 fitness-2023.csv）', en: 'academic year (default: from the file name fitness-2023.csv)' },
    replace: { type: 'boolean', zh: '确认替换这些学校该学年已存储的记录（终端中未加此项时会询问）', en: 'confirm replacing records already stored for these schools’ year (at a terminal you are asked instead)' },
    json: { type: 'boolean', zh: '输出 JSON', en: 'print JSON' },
  },
  notes: [{
    zh: '导入后自动重算指标（暂定数据，待市级发布）。若文件将替换已有记录，未经确认则不做任何改动，并列出每所学校的已有与新记录数。',
    en: 'The indicators are recomputed afterwards (provisional until the city releases them). A file that would replace stored records changes nothing until confirmed, and lists each school with its stored and new counts.',
  }, {
    zh: '学籍号用 EDUPLAN_PSEUDONYM_KEY 生成假名；演示模式下未设置时用服务器所用的密钥文件（数据目录旁的 .eduplan/pseudonym.key）。',
    en: 'Student numbers are pseudonymised with EDUPLAN_PSEUDONYM_KEY; in demo mode without it, with the key file the server uses (.eduplan/pseudonym.key beside the data directory).',
  }],
}, async ({ positionals: { file }, values }, ctx) => {
  const { io } = ctx;
  const path = resolve(io.cwd, file);
  const kind = values.kind ?? (basename(path).toLowerCase().startsWith('vision') ? 'vision' : 'fitness');
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && !Number.isInteger(year)) throw ctx.usageError('--year', values.year, '--year 应为学年，如 2023', '--year must be a year such as 2023');
  const key = pseudonymKey(ctx.config);
  return withStore(ctx, async (store) => {
    const deps = { store, clock: () => new Date(), pseudonymKey: key, log: { error: (_f: Record<string, unknown>, m: string) => { io.stderr.write(`${m}\n`); } } };
    // A CSV's line count gives the bar its total; an XLSX shows rows done instead.
    let bar: ReturnType<typeof progressBar> | undefined;
    let last = 0;
    const watch: ImportWatch = {
      onRowsTotal: (total) => { if (bar === undefined && total > 0) bar = progressBar(io, `导入 / importing ${basename(path)}`, total); },
      onRowsDone: (rows) => {
        if (bar) bar.tick(rows);
        else if (rows - last >= 100_000) { last = rows; io.stderr.write(`${rows} 行 / rows\n`); }
      },
    };
    const run = (replace: boolean): Promise<StudentImportOutcome> => importStudentRecords(deps, CLI, { path, kind, ...(year !== undefined ? { year } : {}), replace }, watch);
    let result: StudentImportOutcome;
    try {
      result = await run(values.replace);
    } catch (err) {
      // At a terminal the CLI asks, as the web page does; in a script it needs --replace.
      if (!(err instanceof EduplanError) || err.code !== 'E_REPLACE_UNCONFIRMED' || (io.stdin as NodeJS.ReadStream).isTTY !== true) throw err;
      bar?.end();
      io.stderr.write(`${err.detail ?? ''}\n${formatProblems(err.problems, 50)}\n替换这些记录？输入 y 确认 / Replace these records? Type y to confirm: `);
      if ((await readStdinLine(io)).trim().toLowerCase() !== 'y') throw err;
      result = await run(true);
    }
    bar?.end();
    if (values.json) printJson(io, result);
    else if (result.skipped) io.stdout.write(`文件已导入过，未做改动（批次 ${result.batchId}）/ already imported, nothing changed (batch ${result.batchId})\n`);
    else io.stdout.write(`已导入 ${result.rows} 行（批次 ${result.batchId}）；指标${result.indicators === 'failed' ? '重算失败，见上方错误' : '已更新（暂定，待发布）'} / imported ${result.rows} rows (batch ${result.batchId}); indicators ${result.indicators === 'failed' ? 'NOT recomputed: see the error above' : 'updated (provisional until released)'}\n`);
    return 0;
  });
});
