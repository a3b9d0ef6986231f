/**
 * What a CLI command may touch: its streams and environment, passed in so tests can capture
 * them. Only config.ts reads `env` (cli/main.ts hands it over once, at start).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { EduplanError, formatProblems } from '../core/errors.ts';
import { isDatabaseError } from '../store/database-error.ts';
import { UsageError } from './spec.ts';

export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Exit codes: 0 done, 1 an error the user can act on (bad input, a refused action), 2 wrong usage, 70 a defect (sysexits' EX_SOFTWARE). */
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/**
 * Report an error in Chinese and English, with every located problem (and, for a usage
 * error, the command's usage). Returns the exit code. An error from outside the catalogue
 * is a database failure (E_DB) when the database raised it, otherwise a defect
 * (E_INTERNAL) — with one log line naming where it happened, for the bug report.
 */
export function reportError(io: CliIO, err: unknown): number {
  const known = err instanceof EduplanError ? err
    : isDatabaseError(err) ? new EduplanError('E_DB', { detail: err instanceof Error ? err.message : String(err), cause: err })
      : new EduplanError('E_INTERNAL', { cause: err });
  const body = known.toJSON().error;
  io.stderr.write(`错误 ${body.code}：${body.message_zh}${body.detail ? `（${body.detail}）` : ''}\n`);
  io.stderr.write(`Error ${body.code}: ${body.message_en}${body.detail ? ` (${body.detail})` : ''}\n`);
  if (known.problems.length > 0) io.stderr.write(`${formatProblems(known.problems)}\n`);
  if (known instanceof UsageError) io.stderr.write(`用法 / usage: ${known.usage}\n`);
  io.stderr.write(`修改方法：${body.fix_zh}\nHow to fix: ${body.fix_en}\n`);
  if (known.code === 'E_INTERNAL') io.stderr.write(`${internalLogLine(err)}\n`);
  return known.code === 'E_USAGE' ? EXIT_USAGE : known.code === 'E_INTERNAL' ? EXIT_INTERNAL : EXIT_ERROR;
}

/** One line for the maintainers: the error's name and message, and the first frame of its stack. */
function internalLogLine(err: unknown): string {
  if (!(err instanceof Error)) return `log: ${String(err)}`;
  const frame = err.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();
  return `log: ${err.name}: ${err.message.replace(/\s+/g, ' ')}${frame ? ` (${frame})` : ''}`;
}

/** A one-line progress bar on stderr (only when it is a terminal, or when forced). */
export function progressBar(io: CliIO, label: string, total: number): { tick(done: number): void; end(): void } {
  const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
  let last = -1;
  return {
    tick(done) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      if (pct === last) return;
      last = pct;
      if (tty) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        io.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%`);
      } else if (pct % 25 === 0) {
        io.stderr.write(`${label} ${pct}%\n`);
      }
    },
    end() {
      if (tty) io.stderr.write('\n');
    },
  };
}

/** The first line of standard input (a password piped in: never taken as an argument, so it stays out of `ps` and shell history). */
export async function readStdinLine(io: CliIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin) {
    chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}


/** Everything on standard input, as UTF-8. */
export async function readStdin(io: CliIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A JSON document named on the command line (relative to the working directory; `-` is standard
 * input where the command allows it), checked against a contract schema when one is given. A
 * file that cannot be read is E_FILE_NOT_FOUND; anything wrong with its content is one
 * E_INPUT_INVALID whose problems name the file and say what is wrong, in Chinese and English:
 * the parser's message for bad JSON, the field path and the schema's message for a refused field.
 */
export async function readJsonFile<S extends z.ZodType = z.ZodType<unknown>>(io: CliIO, file: string, opts: { schema?: S; stdin?: boolean } = {}): Promise<{ doc: z.infer<S>; path: string }> {
  const fromStdin = opts.stdin === true && file === '-';
  const path = fromStdin ? '-' : resolve(io.cwd, file);
  const shown = fromStdin ? 'stdin' : path;
  let text: string;
  if (fromStdin) text = await readStdin(io);
  else {
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? { zh: '找不到该文件', en: 'file not found' } : { zh: `无法读取：${(err as Error).message}`, en: `cannot be read: ${(err as Error).message}` };
      throw new EduplanError('E_FILE_NOT_FOUND', { detail: path, problems: [{ file: shown, rule: 'exists', message_zh: why.zh, message_en: why.en }] });
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new EduplanError('E_INPUT_INVALID', { detail: shown, problems: [{ file: shown, rule: 'json', message_zh: `不是有效的 JSON：${(err as Error).message}`, message_en: `not valid JSON: ${(err as Error).message}`, fix_zh: '检查括号、逗号与引号', fix_en: 'check brackets, commas and quotes' }] });
  }
  if (opts.schema === undefined) return { doc: doc as z.infer<S>, path };
  const parsed = opts.schema.safeParse(doc);
  if (!parsed.success) {
    throw new EduplanError('E_INPUT_INVALID', {
      detail: shown,
      problems: parsed.error.issues.map((i) => ({ file: shown, path: i.path.join('.'), rule: 'json_schema', message_zh: `字段不符合要求：${i.message}`, message_en: `field does not fit: ${i.message}` })),
    });
  }
  return { doc: parsed.data as z.infer<S>, path };
}
