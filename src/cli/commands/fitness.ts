/**
 * `eduplan fitness score [--in <file>] [--out <file>] [--format jsonl|csv]`
 *   JSON Lines (default; stdin → stdout) or CSV in, one result per input line out.
 * `eduplan fitness import <file> [--kind fitness|vision] [--year <学年>]`
 *   Student records (CSV/XLSX, docs/student-records.md) into the store; key from
 *   EDUPLAN_PSEUDONYM_KEY; DATABASE_URL / EDUPLAN_DATA_DIR choose the store.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { EduplanError, formatProblems } from '../../core/errors.ts';
import { csvCellsOf, csvOutputColumns, recordFromCsv, scoreRecord } from '../../services/fitness.ts';
import { countCsvDataLines } from '../../ingest/csv-shards.ts';
import { importStudentRecords } from '../../services/student-records.ts';
import { withStore } from '../with-store.ts';
import { printJson, progressBar, readStdinLine, type Command } from '../io.ts';

const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export const score: Command = async (args, io) => {
  const { values } = parseArgs({ args: [...args], options: { in: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } } });
  const inPath = values.in === undefined ? undefined : resolve(io.cwd, values.in);
  if (inPath !== undefined && !existsSync(inPath)) throw new EduplanError('E_FILE_NOT_FOUND', { detail: inPath });
  const format = values.format ?? (inPath?.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
  if (format !== 'csv' && format !== 'jsonl') throw new EduplanError('E_USAGE', { detail: '--format must be jsonl or csv / --format 应为 jsonl 或 csv' });
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
      await write(`${csvCellsOf(row, r).map(csvCell).join(',')}\n`);
    }
  }
  if (output !== io.stdout) await new Promise<void>((r) => output.end(() => r()));
  io.stderr.write(`已评分 ${n - bad} 条，${bad} 条有误 / scored ${n - bad}, ${bad} with errors\n`);
  return bad > 0 ? 2 : 0;
};

export const importCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { kind: { type: 'string' }, year: { type: 'string' }, json: { type: 'boolean', default: false }, replace: { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new EduplanError('E_USAGE', { detail: 'usage: eduplan fitness import <file.csv|file.xlsx> [--kind fitness|vision] [--year 2023] [--replace] [--json]' });
  const path = resolve(io.cwd, file);
  const kind = values.kind ?? (basename(path).toLowerCase().startsWith('vision') ? 'vision' : 'fitness');
  if (kind !== 'fitness' && kind !== 'vision') throw new EduplanError('E_USAGE', { detail: '--kind must be fitness or vision / --kind 应为 fitness 或 vision' });
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && !Number.isInteger(year)) throw new EduplanError('E_USAGE', { detail: '--year must be a year such as 2023 / --year 应为学年，如 2023' });
  const key = io.env.EDUPLAN_PSEUDONYM_KEY ?? '';
  if (key.length < 16) throw new EduplanError('E_CONFIG', { detail: 'set EDUPLAN_PSEUDONYM_KEY (at least 16 characters) / 请设置 EDUPLAN_PSEUDONYM_KEY（至少16个字符）' });
  return withStore(io, async (store) => {
    // A CSV's line count gives the bar its total; an XLSX shows rows done instead.
    const total = path.toLowerCase().endsWith('.csv') ? await countCsvDataLines(path) : 0;
    const bar = total > 0 ? progressBar(io, `导入 / importing ${basename(path)}`, total) : undefined;
    let last = 0;
    const run = (replace: boolean): ReturnType<typeof importStudentRecords> => importStudentRecords({ store, clock: () => new Date(), logError: (_f, m) => io.stderr.write(`${m}\n`) }, path, {
      kind, ...(year !== undefined ? { year } : {}), pseudonymKey: key, replace,
      onProgress: (rows) => {
        if (bar) bar.tick(rows);
        else if (rows - last >= 100_000) { last = rows; io.stderr.write(`${rows} 行 / rows\n`); }
      },
    });
    let result: Awaited<ReturnType<typeof importStudentRecords>>;
    try {
      result = await run(values.replace === true);
    } catch (err) {
      // At a terminal the CLI asks, as the web page does; in a script it needs --replace.
      if (!(err instanceof EduplanError) || err.code !== 'E_REPLACE_UNCONFIRMED' || (io.stdin as NodeJS.ReadStream).isTTY !== true) throw err;
      bar?.end();
      io.stderr.write(`${err.detail ?? ''}\n${formatProblems(err.problems, 50)}\n替换这些记录？输入 y 确认 / Replace these records? Type y to confirm: `);
      if ((await readStdinLine(io)).trim().toLowerCase() !== 'y') throw err;
      result = await run(true);
    }
    bar?.end();
    if (values.json === true) printJson(io, result);
    else if (result.skipped) io.stdout.write(`文件已导入过，未做改动（批次 ${result.batchId}）/ already imported, nothing changed (batch ${result.batchId})\n`);
    else io.stdout.write(`已导入 ${result.rows} 行（批次 ${result.batchId}）；指标${result.indicators === 'failed' ? '重算失败，见上方错误' : '已更新（暂定，待发布）'} / imported ${result.rows} rows (batch ${result.batchId}); indicators ${result.indicators === 'failed' ? 'NOT recomputed: see the error above' : 'updated (provisional until released)'}\n`);
    return 0;
  });
};

export default score;
