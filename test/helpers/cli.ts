/**
 * The eduplan CLI run in process (src/cli/main.ts), as a user's shell would run it, with its
 * output captured: for tests of commands end to end without spawning a process.
 */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Run `eduplan <argv>` in `cwd` with exactly the environment `env` (not the test process's), stdin empty. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  const io: CliIO = { stdout, stderr, stdin: new PassThrough(), env, cwd };
  const code = await main([...argv], io);
  return { code, out, err };
}
