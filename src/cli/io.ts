/** What a CLI command may touch: its streams and environment, passed in so tests can capture them. */
import { EduplanError, formatProblems } from '../core/errors.ts';

export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const processIO = (): CliIO => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });

export type Command = (args: readonly string[], io: CliIO) => Promise<number>;

export function printJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Report an error in Chinese and English, with every located problem. Returns the exit code. */
export function reportError(io: CliIO, err: unknown): number {
  if (err instanceof EduplanError) {
    const body = err.toJSON().error;
    io.stderr.write(`错误 ${body.code}：${body.message_zh}${body.detail ? `（${body.detail}）` : ''}\n`);
    io.stderr.write(`Error ${body.code}: ${body.message_en}${body.detail ? ` (${body.detail})` : ''}\n`);
    if (err.problems.length > 0) io.stderr.write(`${formatProblems(err.problems)}\n`);
    io.stderr.write(`修改方法：${body.fix_zh}\nHow to fix: ${body.fix_en}\n`);
    return err.code === 'E_USAGE' ? 64 : 1;
  }
  io.stderr.write(`内部错误 / internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 70;
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

