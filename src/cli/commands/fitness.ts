/**
 * `eduplan fitness score [--in <file>] [--out <file>] [--format jsonl|csv]`
 *   JSON Lines (default; stdin → stdout) or CSV in, one result per input line out.
 * `eduplan fitness import <file> [--kind fitness|vision] [--year <学年>]`
 *   Student records (CSV/XLSX, docs/student-records.md) into the store, pseudonymised with
 *   the configured key (config.ts `pseudonymKey`: the same key the server's upload uses).
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { pseudonymKey } from '../../config.ts';
import { EduplanError, formatProblems } from '../../core/errors.ts';
import { csvQuote } from '../../core/forms/csv-safety.ts';
import { csvCellsOf, csvOutputColumns, recordFromCsv, scoreRecord } from '../../services/fitness.ts';
import { countCsvDataLines } from '../../ingest/csv-shards.ts';
import { importStudentRecords } from '../../services/student-records.ts';
import { withStore } from '../with-store.ts';
import { EXIT_ERROR, printJson, progressBar, readStdinLine } from '../io.ts';
import { defineCommand } from '../spec.ts';


export const score = defineCommand({
  options: {
    in: { type: 'string', placeholder: '<file>', zh: '输入文件（默认标准输入）', en: 'input file (default: stdin)' },
    out: { type: 'string', placeholder: '<file>', zh: '输出文件（默认标准输出）', en: 'output file (default: stdout)' },
    format: { type: 'string', choices: ['jsonl', 'csv'], zh: '输入输出格式（默认按 --in 的扩展名，否则 jsonl）', en: "input and output format (default: from --in's extension, else jsonl)" },
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
  const write = async (s: string): Promise<void> => {
    if (!output.write(s)) await new Promise<void>((r) => output.once('drain', () => r()));
  };
  if (format === 'jsonl') {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      n += 1;
      let parsed: unknown;
      try { parsed = JSON.parse(line); } catch (e) {
        bad += 1;
        await write(`${JSON.stringify({ error: { code: 'E_INPUT_INVALID', message_zh: '该行不是有效的 JSON', message_en: 'the line is not valid JSON', record: n, problems: [{ row: n, rule: 'json', message_zh: '该行不是有效的 JSON', message_en: (e as Error).message }] } })}\n`);
        continue;
      }
      const r = scoreRecord(parsed, n);
      if ('error' in r) bad += 1;
      await write(`${JSON.stringify(r)}\n`);
    }
  } else {
    await write(`${csvOutputColumns.join(',')}\n`);
    for await (const row of input.pipe(parse({ bom: true, columns: true, skip_empty_lines: true, trim: true })) as AsyncIterable<Record<string, string>>) {
      n += 1;
      const r = scoreRecord(recordFromCsv(row), n);
      if ('error' in r) bad += 1;
      await write(`${csvCellsOf(row, r).map(csvQuote).join(',')}\n`);
    }
  }
  if (output !== io.stdout) await new Promise<void>((r) => output.end(() => r()));
  io.stderr.write(`已评分 ${n - bad} 条，${bad} 条有误 / scored ${n - bad}, ${bad} with errors\n`);
  return bad > 0 ? EXIT_ERROR : 0;
});

export const importCommand = defineCommand({
  positionals: [{ name: 'file', required: true, zh: '学生记录文件（.csv 或 .xlsx）', en: 'the record file (.csv or .xlsx)' }],
  options: {
    kind: { type: 'string', choices: ['fitness', 'vision'], zh: '记录类型（默认按文件名：vision… 为视力）', en: 'record type (default: from the file name, vision… for vision)' },
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
    // A CSV's line count gives the bar its total; an XLSX shows rows done instead.
    const total = path.toLowerCase().endsWith('.csv') ? await countCsvDataLines(path) : 0;
    const bar = total > 0 ? progressBar(io, `导入 / importing ${basename(path)}`, total) : undefined;
    let last = 0;
    const run = (replace: boolean): ReturnType<typeof importStudentRecords> => importStudentRecords({ store, clock: () => new Date(), log: { error: (_f, m) => { io.stderr.write(`${m}\n`); } } }, path, {
      kind, ...(year !== undefined ? { year } : {}), pseudonymKey: key, replace,
      onProgress: (rows) => {
        if (bar) bar.tick(rows);
        else if (rows - last >= 100_000) { last = rows; io.stderr.write(`${rows} 行 / rows\n`); }
      },
    });
    let result: Awaited<ReturnType<typeof importStudentRecords>>;
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
