/**
 * A command's arguments as data (命令参数说明): one spec per command both parses its
 * arguments and prints its `--help`, so the two never disagree. `defineCommand(spec, run)`
 * gives `run` typed values: a boolean option is a boolean, a string option a string (or
 * `undefined` unless required or defaulted), a `multiple` one an array, one with `choices`
 * the union of its choices; positionals by name.
 *
 * Anything the spec does not allow — an unknown option, a missing value, a value for a
 * boolean, a missing or extra positional, a value outside `choices` — is E_USAGE (exit 2),
 * naming the option in Chinese and English and showing the usage line.
 */
import { parseArgs } from 'node:util';
import { EduplanError, type Problem } from '../core/errors.ts';
import type { Config } from '../config.ts';
import type { CliIO } from './io.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** May be given more than once (`--year 2022 --year 2023`). */
  readonly multiple?: boolean;
  /** One-letter alias (`-o`). */
  readonly short?: string;
  /** What the value is, for the usage line: `<dir>`. Default: the choices, or `<value>`. */
  readonly placeholder?: string;
  readonly choices?: readonly string[];
  readonly required?: boolean;
  /** String options: the value when not given (shown in --help). */
  readonly default?: string;
  readonly zh: string;
  readonly en: string;
}

export interface PositionalSpec {
  readonly name: string;
  readonly required?: boolean;
  readonly zh: string;
  readonly en: string;
}

export type OptionsSpec = { readonly [name: string]: OptionSpec };

export interface ArgsSpec {
  readonly positionals?: readonly PositionalSpec[];
  readonly options?: OptionsSpec;
  /** Rules between options, defaults and examples: shown under --help. */
  readonly notes?: readonly { readonly zh: string; readonly en: string }[];
}

type StringValue<O extends OptionSpec> = O['choices'] extends readonly (infer C extends string)[] ? C : string;
type OptionValue<O extends OptionSpec> =
  O['type'] extends 'boolean' ? boolean
    : O['multiple'] extends true ? StringValue<O>[]
      : O['required'] extends true ? StringValue<O>
        : O['default'] extends string ? StringValue<O>
          : StringValue<O> | undefined;

export type OptionValues<O extends OptionsSpec> = { readonly [K in keyof O]: OptionValue<O[K]> };
export type PositionalValues<P extends readonly PositionalSpec[]> = {
  readonly [E in P[number] as E['name']]: E extends { readonly required: true } ? string : string | undefined
};

export interface Parsed<O extends OptionsSpec, P extends readonly PositionalSpec[]> {
  readonly values: OptionValues<O>;
  readonly positionals: PositionalValues<P>;
}

/** What a running command gets: its streams, the configuration read once at start, and its name. */
export interface CommandContext {
  readonly io: CliIO;
  readonly config: Config;
  /** `accounts list` */
  readonly name: string;
  /** E_USAGE for a bad value of an option or argument (`--year abc`), with this command's usage. */
  usageError(where: string, value: unknown, zh: string, en: string): UsageError;
}

export interface CliCommand {
  readonly spec: ArgsSpec;
  /** Parse `args` against the spec (UsageError on any mismatch), then run with the context `context` gives. */
  execute(args: readonly string[], name: string, context: () => Omit<CommandContext, 'usageError'>): Promise<number>;
}

/** E_USAGE carrying the command's usage line, which the CLI prints after the problems. */
export class UsageError extends EduplanError {
  readonly usage: string;
  constructor(usage: string, problems: readonly Problem[]) {
    super('E_USAGE', { problems });
    this.usage = usage;
  }
}

/** One command: its argument spec and what it does with the parsed arguments. */
export function defineCommand<const O extends OptionsSpec = Record<never, OptionSpec>, const P extends readonly PositionalSpec[] = readonly []>(
  spec: { readonly options?: O; readonly positionals?: P; readonly notes?: ArgsSpec['notes'] },
  run: (args: Parsed<O, P>, ctx: CommandContext) => Promise<number>,
): CliCommand {
  return {
    spec,
    async execute(args, name, context) {
      const parsed = parseWithSpec(spec, args, name) as unknown as Parsed<O, P>;
      const base = context();
      const usage = usageLine(name, spec);
      return run(parsed, {
        ...base,
        usageError: (where, value, zh, en) => new UsageError(usage, [{ path: where, value, rule: 'bad_value', message_zh: zh, message_en: en }]),
      });
    },
  };
}

/** Whether the arguments ask for help (`-h`/`--help` as an option, not as another option's value). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

const placeholderOf = (o: OptionSpec): string => o.placeholder ?? (o.choices ? o.choices.join('|') : '<value>');

/** `eduplan fitness import <file> [--kind fitness|vision] [--year <Y>] [--json]` */
export function usageLine(name: string, spec: ArgsSpec): string {
  const parts = [`eduplan ${name}`];
  for (const p of spec.positionals ?? []) parts.push(p.required ? `<${p.name}>` : `[<${p.name}>]`);
  for (const [key, o] of Object.entries(spec.options ?? {})) {
    const flag = o.type === 'boolean' ? `--${key}` : `--${key} ${placeholderOf(o)}`;
    parts.push(o.required ? flag : `[${flag}]${o.multiple ? '...' : ''}`);
  }
  return parts.join(' ');
}

/** The whole `--help` text: usage, summary, every argument and option in Chinese and English, notes. */
export function helpText(name: string, summary: { zh: string; en: string }, spec: ArgsSpec): string {
  const rows = (items: Array<[string, string]>): string[] => {
    const width = Math.max(...items.map(([k]) => k.length)) + 2;
    return items.map(([k, v]) => `  ${k.padEnd(width)}${v}`);
  };
  const out = [`用法 / usage: ${usageLine(name, spec)}`, '', `  ${summary.zh}`, `  ${summary.en}`, ''];
  const positionals = spec.positionals ?? [];
  if (positionals.length > 0) {
    out.push('参数 / arguments:', ...rows(positionals.map((p) => [`<${p.name}>`, `${p.zh} / ${p.en}${p.required ? '' : '（可选 / optional）'}`])), '');
  }
  const options: Array<[string, string]> = Object.entries(spec.options ?? {}).map(([key, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${key}${o.type === 'string' ? ` ${placeholderOf(o)}` : ''}`;
    const marks = [o.required ? '必填 / required' : '', o.multiple ? '可重复 / repeatable' : '', o.default !== undefined ? `默认 / default ${o.default}` : ''].filter(Boolean);
    return [flag, `${o.zh} / ${o.en}${marks.length ? `（${marks.join('；')}）` : ''}`];
  });
  options.push(['-h, --help', '显示本帮助 / show this help']);
  out.push('选项 / options:', ...rows(options));
  if (spec.notes?.length) {
    out.push('', '说明 / notes:');
    for (const n of spec.notes) out.push(`  ${n.zh}`, `  ${n.en}`);
  }
  return `${out.join('\n')}\n`;
}

type RawValue = string | boolean | string[] | undefined;

/** Parse with node:util parseArgs in strict mode; its errors become bilingual E_USAGE problems. */
export function parseWithSpec(spec: ArgsSpec, args: readonly string[], name: string): { values: Record<string, RawValue>; positionals: Record<string, string | undefined> } {
  const options = spec.options ?? {};
  const positionalSpecs = spec.positionals ?? [];
  const usage = usageLine(name, spec);
  const fail = (problems: Problem[]): never => { throw new UsageError(usage, problems); };
  const parseOptions = Object.fromEntries(Object.entries(options).map(([key, o]) => [key, {
    type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}),
  }]));
  let parsed: { values: Record<string, RawValue>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: parseOptions, allowPositionals: positionalSpecs.length > 0, strict: true }) as typeof parsed;
  } catch (err) {
    return fail(explainParseError(err, args, options, positionalSpecs));
  }
  const problems: Problem[] = [];
  for (const [key, o] of Object.entries(options)) {
    const v = parsed.values[key];
    if (v === undefined) {
      if (o.required) problems.push({ path: `--${key}`, rule: 'required_option', message_zh: `缺少必填选项 --${key} ${placeholderOf(o)}`, message_en: `the option --${key} ${placeholderOf(o)} is required` });
      continue;
    }
    if (o.type === 'string' && o.choices) {
      for (const one of Array.isArray(v) ? v : [v]) {
        if (typeof one === 'string' && !o.choices.includes(one)) {
          problems.push({ path: `--${key}`, value: one, rule: 'choice', message_zh: `--${key} 应为 ${o.choices.join('、')} 之一`, message_en: `--${key} must be one of ${o.choices.join(', ')}` });
        }
      }
    }
  }
  const required = positionalSpecs.filter((p) => p.required).length;
  if (parsed.positionals.length < required) {
    for (const p of positionalSpecs.slice(parsed.positionals.length).filter((s) => s.required)) {
      problems.push({ path: `<${p.name}>`, rule: 'required_argument', message_zh: `缺少参数 <${p.name}>（${p.zh}）`, message_en: `the argument <${p.name}> (${p.en}) is missing` });
    }
  }
  for (const extra of parsed.positionals.slice(positionalSpecs.length)) {
    problems.push({ path: extra, value: extra, rule: 'extra_argument', message_zh: `多余的参数 ${extra}`, message_en: `unexpected argument ${extra}` });
  }
  if (problems.length > 0) fail(problems);
  const values: Record<string, RawValue> = {};
  for (const [key, o] of Object.entries(options)) {
    const v = parsed.values[key];
    values[key] = o.type === 'boolean' ? v === true : o.multiple ? (v ?? []) : (v ?? o.default);
  }
  const positionals = Object.fromEntries(positionalSpecs.map((p, i) => [p.name, parsed.positionals[i]]));
  return { values, positionals };
}

/**
 * parseArgs says what went wrong in English only: find the offending argument again (a
 * lenient pass over the same arguments) and say it in both languages.
 */
function explainParseError(err: unknown, args: readonly string[], options: OptionsSpec, positionals: readonly PositionalSpec[]): Problem[] {
  const code = (err as { code?: string }).code;
  const { tokens } = parseArgs({ args: [...args], options: Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}) }])), allowPositionals: true, strict: false, tokens: true });
  const shortToLong = new Map(Object.entries(options).filter(([, o]) => o.short).map(([k, o]) => [o.short as string, k]));
  const problems: Problem[] = [];
  for (const t of tokens) {
    if (t.kind === 'option') {
      const key = options[t.name] ? t.name : shortToLong.get(t.name);
      const o = key === undefined ? undefined : options[key];
      if (o === undefined) {
        problems.push({ path: t.rawName, rule: 'unknown_option', message_zh: `未知选项 ${t.rawName}`, message_en: `unknown option ${t.rawName}` });
      } else if (o.type === 'boolean' && t.value !== undefined) {
        problems.push({ path: t.rawName, value: t.value, rule: 'no_value', message_zh: `${t.rawName} 不带值`, message_en: `${t.rawName} takes no value` });
      } else if (o.type === 'string' && t.value === undefined) {
        problems.push({ path: t.rawName, rule: 'missing_value', message_zh: `${t.rawName} 缺少值 ${placeholderOf(o)}`, message_en: `${t.rawName} needs a value ${placeholderOf(o)}` });
      } else if (o.type === 'string' && !t.inlineValue && t.value !== undefined && t.value.length > 1 && t.value.startsWith('-')) {
        problems.push({ path: t.rawName, value: t.value, rule: 'ambiguous_value', message_zh: `${t.rawName} 缺少值（以 - 开头的值请写成 ${t.rawName}=${t.value}）`, message_en: `${t.rawName} needs a value (for a value starting with -, write ${t.rawName}=${t.value})` });
      }
    } else if (t.kind === 'positional' && positionals.length === 0) {
      problems.push({ path: t.value, value: t.value, rule: 'extra_argument', message_zh: `多余的参数 ${t.value}（本命令不带参数）`, message_en: `unexpected argument ${t.value} (this command takes none)` });
    }
  }
  if (problems.length > 0) return problems;
  const message = err instanceof Error ? err.message : String(err);
  return [{ rule: code ?? 'usage', message_zh: `参数有误：${message}`, message_en: message }];
}
