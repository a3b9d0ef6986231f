/**
 * The argument spec parses and explains: typed values and defaults, and every way the
 * arguments can disagree with the spec as a bilingual E_USAGE problem naming the argument.
 */
import { describe, expect, it } from 'vitest';
import { helpText, parseWithSpec, usageLine, wantsHelp, UsageError, type ArgsSpec } from './spec.ts';

const spec = {
  positionals: [
    { name: 'file', required: true, zh: '文件', en: 'the file' },
    { name: 'dir', zh: '目录', en: 'the folder' },
  ],
  options: {
    kind: { type: 'string', choices: ['fitness', 'vision'], zh: '类型', en: 'kind' },
    year: { type: 'string', multiple: true, placeholder: '<Y>', zh: '学年', en: 'year' },
    out: { type: 'string', required: true, short: 'o', placeholder: '<file>', zh: '输出', en: 'output' },
    limit: { type: 'string', default: '50', zh: '条数', en: 'how many' },
    json: { type: 'boolean', zh: 'JSON', en: 'JSON' },
  },
  notes: [{ zh: '说明一', en: 'note one' }],
} as const satisfies ArgsSpec;

function problemsOf(args: string[]): Array<{ rule: string; path?: string; message_zh: string; message_en: string }> {
  try {
    parseWithSpec(spec, args, 'demo cmd');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const e = err as UsageError;
    expect(e.code).toBe('E_USAGE');
    expect(e.usage).toBe(usageLine('demo cmd', spec));
    return e.problems.map((p) => ({ rule: p.rule, ...(p.path !== undefined ? { path: p.path } : {}), message_zh: p.message_zh, message_en: p.message_en }));
  }
  throw new Error(`expected a usage error for ${args.join(' ')}`);
}

describe('parseWithSpec', () => {
  it('gives booleans as true/false, string defaults, repeated options as arrays and positionals by name', () => {
    const r = parseWithSpec(spec, ['a.csv', '-o', 'x.json', '--year', '2022', '--year=2023', '--kind', 'vision'], 'demo cmd');
    expect(r.values).toEqual({ kind: 'vision', year: ['2022', '2023'], out: 'x.json', limit: '50', json: false });
    expect(r.positionals).toEqual({ file: 'a.csv', dir: undefined });
    const r2 = parseWithSpec(spec, ['a.csv', 'd', '--out', 'o', '--json', '--limit', '5'], 'demo cmd');
    expect(r2.values).toMatchObject({ year: [], json: true, limit: '5', kind: undefined });
    expect(r2.positionals).toEqual({ file: 'a.csv', dir: 'd' });
  });

  it('names an unknown option in Chinese and English', () => {
    expect(problemsOf(['a.csv', '--out', 'o', '--no-such-option'])).toEqual([
      { rule: 'unknown_option', path: '--no-such-option', message_zh: '未知选项 --no-such-option', message_en: 'unknown option --no-such-option' },
    ]);
  });

  it('reports a missing value, a value given to a boolean, and a value that looks like an option', () => {
    expect(problemsOf(['a.csv', '--out'])).toMatchObject([{ rule: 'missing_value', path: '--out' }]);
    expect(problemsOf(['a.csv', '--out', 'o', '--json=yes'])).toMatchObject([{ rule: 'no_value', path: '--json' }]);
    const ambiguous = problemsOf(['a.csv', '--out', '--json']);
    expect(ambiguous).toMatchObject([{ rule: 'ambiguous_value', path: '--out' }]);
    expect(ambiguous[0]?.message_en).toContain('--out=--json');
  });

  it('reports a missing required option and argument together, and extra arguments', () => {
    expect(problemsOf([])).toEqual([
      expect.objectContaining({ rule: 'required_option', path: '--out' }),
      expect.objectContaining({ rule: 'required_argument', path: '<file>' }),
    ]);
    expect(problemsOf(['a', 'b', 'c', '--out', 'o'])).toMatchObject([{ rule: 'extra_argument', path: 'c' }]);
  });

  it('refuses a value outside the choices, saying which are allowed', () => {
    const p = problemsOf(['a.csv', '--out', 'o', '--kind', 'height']);
    expect(p).toMatchObject([{ rule: 'choice', path: '--kind' }]);
    expect(p[0]?.message_en).toBe('--kind must be one of fitness, vision');
    expect(p[0]?.message_zh).toContain('fitness、vision');
  });

  it('refuses any argument for a command that takes none', () => {
    try {
      parseWithSpec({ options: {} }, ['stray'], 'audit verify');
      expect.unreachable();
    } catch (err) {
      expect((err as UsageError).problems).toMatchObject([{ rule: 'extra_argument', path: 'stray' }]);
    }
  });
});

describe('usage and help', () => {
  it('writes the usage line from the spec: required bare, optional in brackets, repeatable marked', () => {
    expect(usageLine('demo cmd', spec)).toBe('eduplan demo cmd <file> [<dir>] [--kind fitness|vision] [--year <Y>]... --out <file> [--limit <value>] [--json]');
  });

  it('prints every argument and option with both languages, the defaults and the notes', () => {
    const text = helpText('demo cmd', { zh: '示例命令', en: 'An example' }, spec);
    expect(text.split('\n')[0]).toBe(`用法 / usage: ${usageLine('demo cmd', spec)}`);
    for (const line of ['示例命令', 'An example', '<file>', '文件 / the file', '-o, --out <file>', '输出 / output', '默认 / default 50', '-h, --help', '说明一', 'note one']) {
      expect(text).toContain(line);
    }
  });

  it('sees -h/--help as an option only, not after --', () => {
    expect(wantsHelp(['a', '--help'])).toBe(true);
    expect(wantsHelp(['-h'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['--helpful'])).toBe(false);
  });
});
