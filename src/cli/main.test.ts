/**
 * Every command `eduplan help` lists answers `--help` with its usage (exit 0) and an
 * unknown option with E_USAGE (exit 2) — without opening a database or reading a file.
 * Walks the `commands` table, so a command added later is checked too.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from './io.ts';
import { commands, main } from './main.ts';

function capture(cwd: string): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => { o += c.toString('utf8'); });
  stderr.on('data', (c: Buffer) => { e += c.toString('utf8'); });
  return { io: { stdout, stderr, stdin: new PassThrough(), env: { EDUPLAN_DATA_DIR: join(cwd, 'data') }, cwd }, out: () => o, err: () => e };
}

const names = Object.keys(commands);

describe('eduplan help', () => {
  it('lists every command with its Chinese and English summary', async () => {
    const c = capture(process.cwd());
    expect(await main(['help'], c.io)).toBe(0);
    for (const [name, entry] of Object.entries(commands)) {
      expect(c.out()).toContain(`  ${name.padEnd(22)} ${entry.summary_zh} / ${entry.summary_en}`);
    }
  });

  it('answers an unknown command with E_USAGE and exit 2', async () => {
    const c = capture(process.cwd());
    expect(await main(['no-such-command'], c.io)).toBe(2);
    expect(c.err()).toContain('E_USAGE');
    expect(c.err()).toContain('unknown command no-such-command');
  });
});

describe.each(names)('eduplan %s', (name) => {
  const words = name.split(' ');

  it('--help prints its usage and summary and exits 0', async () => {
    const c = capture(mkdtempSync(join(tmpdir(), 'eduplan-help-')));
    expect(await main([...words, '--help'], c.io)).toBe(0);
    const entry = commands[name];
    expect(c.out()).toMatch(new RegExp(`^用法 / usage: eduplan ${name}( |$)`, 'm'));
    expect(c.out()).toContain(entry?.summary_zh);
    expect(c.out()).toContain(entry?.summary_en);
    expect(c.out()).toContain('-h, --help');
    expect(c.err()).toBe('');
    // The same text through `eduplan help <command>`.
    const h = capture(process.cwd());
    expect(await main(['help', ...words], h.io)).toBe(0);
    expect(h.out()).toBe(c.out());
  });

  it('--no-such-option is E_USAGE, exit 2, naming the option, and touches nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'eduplan-usage-'));
    const c = capture(cwd);
    expect(await main([...words, '--no-such-option'], c.io)).toBe(2);
    expect(c.err()).toContain('E_USAGE');
    expect(c.err()).toContain('未知选项 --no-such-option');
    expect(c.err()).toContain('unknown option --no-such-option');
    expect(c.err()).toContain(`用法 / usage: eduplan ${name}`);
    expect(c.err()).not.toContain('internal error');
    expect(readdirSync(cwd)).toEqual([]); // no data directory, no key file
  });
});
