/**
 * The narrative template language (叙述占位符), pure. The planning office writes the report's
 * narrative paragraphs; every number in them is a placeholder filled from the released figures
 * when the report is generated, so an edited paragraph survives a data change and its numbers
 * follow the data. The language is deliberately small — no expressions, no loops, nothing that
 * runs — so a saved narrative can do nothing but name a figure:
 *
 *   {{value fitness_good_rate}}          the value as of the report's year (43.9%)
 *   {{value fitness_good_rate 2023}}     the value of a given year (latest at or before it)
 *   {{value_year fitness_good_rate}}     the year that value is from (2025)
 *   {{baseline fitness_good_rate}}       the baseline (19.9%)
 *   {{target fitness_good_rate}}         the target value (50%)
 *   {{status fitness_good_rate}}         the verdict or progress status (未达成 / not achieved)
 *   {{registry_count luban_workshops}}   the released count of a registry (its plain count target)
 *   {{as_of}}                            the report's year
 *
 * A code is any plan target's code (the 20 main indicators' codes are target codes too). A
 * narrative with an unknown placeholder, code or year is refused when saved, each problem
 * located by line and column; a typed percentage ("43.9%") is refused too, because a typed
 * number does not follow the data.
 */

export type Placeholder =
  | { readonly kind: 'value'; readonly code: string; readonly year: number | null }
  | { readonly kind: 'value_year'; readonly code: string }
  | { readonly kind: 'baseline'; readonly code: string }
  | { readonly kind: 'target'; readonly code: string }
  | { readonly kind: 'status'; readonly code: string }
  | { readonly kind: 'registry_count'; readonly registry: string; readonly year: number | null }
  | { readonly kind: 'as_of' };

export type Segment =
  | { readonly text: string }
  | { readonly placeholder: Placeholder; readonly source: string };

/** What a narrative may name: the plan's target codes, the registries with a released count, the years. */
export interface Vocabulary {
  readonly codes: ReadonlySet<string>;
  readonly registries: ReadonlySet<string>;
  /** Years a placeholder may ask for (the plan's baseline year to the report's year). */
  readonly years: { readonly min: number; readonly max: number };
}

export interface TemplateProblem {
  /** 1-based line and column of the problem's start. */
  readonly line: number;
  readonly column: number;
  readonly token: string;
  readonly rule: 'placeholder_unclosed' | 'placeholder_unknown' | 'placeholder_arity' | 'placeholder_code' | 'placeholder_registry' | 'placeholder_year' | 'typed_percentage';
  readonly message_zh: string;
  readonly message_en: string;
}

export const placeholderNames = ['value', 'value_year', 'baseline', 'target', 'status', 'registry_count', 'as_of'] as const;

/** Line and column (1-based) of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: offset - last };
}

const codePattern = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Parse a narrative into text and placeholders, checking every placeholder against the
 * vocabulary. Problems are all reported at once; an invalid placeholder stays in `segments` as
 * its own text (a save is refused on any problem; generation shows it as written).
 */
export function parseTemplate(text: string, vocab: Vocabulary): { segments: Segment[]; problems: TemplateProblem[] } {
  const segments: Segment[] = [];
  const problems: TemplateProblem[] = [];
  const problem = (offset: number, token: string, rule: TemplateProblem['rule'], zh: string, en: string): void => {
    problems.push({ ...position(text, offset), token, rule, message_zh: zh, message_en: en });
  };
  const plainText = (start: number, end: number): void => {
    const chunk = text.slice(start, end);
    if (chunk === '') return;
    // A typed percentage does not follow the data: the figure must be a placeholder.
    for (const m of chunk.matchAll(/\d+(?:\.\d+)?\s*[%％]/g)) {
      problem(start + (m.index ?? 0), m[0], 'typed_percentage',
        `数字不能直接输入：请用占位符（如 {{value 指标代码}} 或 {{target 指标代码}}）代替“${m[0]}”`,
        `numbers are not typed: use a placeholder (such as {{value code}} or {{target code}}) instead of "${m[0]}"`);
    }
    segments.push({ text: chunk });
  };
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) { plainText(i, text.length); break; }
    plainText(i, open);
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      problem(open, text.slice(open, Math.min(text.length, open + 30)), 'placeholder_unclosed', '占位符缺少结尾的 }}', 'a placeholder lacks its closing }}');
      i = close < 0 ? text.length : nextOpen;
      continue;
    }
    const source = text.slice(open, close + 2);
    const parsed = parsePlaceholder(text.slice(open + 2, close), vocab);
    if ('rule' in parsed) {
      problem(open, source, parsed.rule, parsed.zh, parsed.en);
      // Kept as written, so a narrative saved under an earlier plan still shows where it broke.
      segments.push({ text: source });
    } else segments.push({ placeholder: parsed, source });
    i = close + 2;
  }
  return { segments, problems };
}

type Parsed = Placeholder | { rule: TemplateProblem['rule']; zh: string; en: string };

function parsePlaceholder(inner: string, vocab: Vocabulary): Parsed {
  const words = inner.trim().split(/\s+/).filter(Boolean);
  const [name, ...args] = words;
  const names = placeholderNames.join('、');
  if (name === undefined || !(placeholderNames as readonly string[]).includes(name)) {
    return { rule: 'placeholder_unknown', zh: `未知的占位符“${name ?? ''}”（可用：${names}）`, en: `unknown placeholder "${name ?? ''}" (known: ${placeholderNames.join(', ')})` };
  }
  const arity = (min: number, max: number, usage: string): Parsed | null => (args.length < min || args.length > max
    ? { rule: 'placeholder_arity', zh: `占位符写法应为 {{${usage}}}`, en: `the placeholder is written {{${usage}}}` }
    : null);
  const code = (c: string): Parsed | null => (codePattern.test(c) && vocab.codes.has(c)
    ? null
    : { rule: 'placeholder_code', zh: `“${c}”不是规划目标或指标的代码（运行 eduplan targets 查看代码）`, en: `"${c}" is not a plan target or indicator code (eduplan targets lists them)` });
  const year = (y: string | undefined): number | null | Parsed => {
    if (y === undefined) return null;
    const n = Number(y);
    if (!/^\d{4}$/.test(y) || n < vocab.years.min || n > vocab.years.max) {
      return { rule: 'placeholder_year', zh: `年份“${y}”应在 ${vocab.years.min}—${vocab.years.max} 之间（不能晚于报告年份）`, en: `the year "${y}" must be within ${vocab.years.min}–${vocab.years.max} (not after the report's year)` };
    }
    return n;
  };
  switch (name) {
    case 'as_of': return arity(0, 0, 'as_of') ?? { kind: 'as_of' };
    case 'value': {
      const bad = arity(1, 2, 'value 代码 [年份] / value code [year]') ?? code(args[0] as string);
      if (bad) return bad;
      const y = year(args[1]);
      return typeof y === 'object' && y !== null ? y : { kind: 'value', code: args[0] as string, year: y };
    }
    case 'registry_count': {
      const bad = arity(1, 2, 'registry_count 名录 [年份] / registry_count registry [year]');
      if (bad) return bad;
      const reg = args[0] as string;
      if (!vocab.registries.has(reg)) {
        return { rule: 'placeholder_registry', zh: `“${reg}”不是有计数目标的名录（可用：${[...vocab.registries].join('、')}）`, en: `"${reg}" is not a registry with a count target (known: ${[...vocab.registries].join(', ')})` };
      }
      const y = year(args[1]);
      return typeof y === 'object' && y !== null ? y : { kind: 'registry_count', registry: reg, year: y };
    }
    default: {
      const kind = name as 'value_year' | 'baseline' | 'target' | 'status';
      return arity(1, 1, `${kind} 代码 / ${kind} code`) ?? code(args[0] as string) ?? { kind, code: args[0] as string };
    }
  }
}

/** Fill a parsed narrative: every placeholder replaced by what `resolve` says it prints. */
export function renderTemplate(segments: readonly Segment[], resolve: (p: Placeholder) => string): string {
  return segments.map((s) => ('text' in s ? s.text : resolve(s.placeholder))).join('');
}

/** The placeholders a narrative uses (to record which figures a paragraph depends on). */
export function placeholdersOf(segments: readonly Segment[]): Placeholder[] {
  return segments.flatMap((s) => ('placeholder' in s ? [s.placeholder] : []));
}
