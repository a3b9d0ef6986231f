/**
 * `eduplan <command>`: a thin dispatcher. Each command lives in commands/ and calls
 * services; commands parse arguments (node:util parseArgs), print, and set the exit code.
 */
import { EduplanError } from '../core/errors.ts';
import { processIO, reportError, type CliIO, type Command } from './io.ts';

type Loader = () => Promise<Command>;

/** Command name → lazy loader (keeps `eduplan fitness score` from loading the web server). */
export const commands: Record<string, { summary_zh: string; summary_en: string; load: Loader }> = {
  'plan validate': { summary_zh: '检查规划目录，列出全部问题', summary_en: 'Check a plan directory, listing every problem', load: async () => (await import('./commands/plan.ts')).validate },
  'plan load': { summary_zh: '加载规划（内容变化时新建版本）', summary_en: 'Load a plan (a new version when its content changed)', load: async () => (await import('./commands/plan.ts')).load },
  'plan show': { summary_zh: '显示当前规划（--json 输出 JSON）', summary_en: 'Show the current plan (--json for JSON)', load: async () => (await import('./commands/plan.ts')).show },
};

function help(io: CliIO): number {
  io.stdout.write('eduplan — 天津市教育现代化“十四五”规划监测平台 / Tianjin education plan monitoring\n\n用法 / usage: eduplan <command> [options]\n\n');
  for (const [name, c] of Object.entries(commands)) io.stdout.write(`  ${name.padEnd(22)} ${c.summary_zh} / ${c.summary_en}\n`);
  return 0;
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return help(io);
  // Two-word commands first (`plan validate`), then one-word (`import`).
  const two = second !== undefined ? commands[`${first} ${second}`] : undefined;
  const entry = two ?? commands[first];
  const args = two ? rest : argv.slice(1);
  if (!entry) return reportError(io, new EduplanError('E_USAGE', { detail: `unknown command: ${argv.join(' ')}` }));
  try {
    const cmd = await entry.load();
    return await cmd(args, io);
  } catch (err) {
    return reportError(io, err);
  }
}
