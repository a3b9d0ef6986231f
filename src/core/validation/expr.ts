/**
 * A tiny, safe expression language for validation rules (校验规则表达式). Rules are data,
 * so their expressions are parsed here — never `eval`/`new Function` — and can only read
 * element values, do arithmetic, compare and combine.
 *
 * Grammar (lowest precedence first):
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | cmp
 *   cmp     := sum (('<=' | '<' | '>=' | '>' | '==' | '!=') sum)?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := '-' unary | primary
 *   primary := number | ref | call | '(' expr ')'
 *   call    := name '(' (expr (',' expr)*)? ')'      name ∈ sum min max abs if isnull
 *   ref     := element code, e.g. `enrol.g7.f`; `*` matches any run of characters and
 *              `?` exactly one, inside sum/min/max only: `sum(enrol.g?.*)` = grades 1–9.
 *              (`*` is a wildcard only next to a dot; `a*b` and `a * b` multiply.)
 *
 * Missing values follow DHIS2's default strategy (SKIP_IF_ANY_VALUE_MISSING): a blank
 * element makes the whole rule "not evaluated" rather than false, so a half-filled form
 * gets completeness problems, not a cascade of misleading cross-field ones. Inside
 * sum/min/max over a pattern, blanks are left out; the result is missing only when every
 * matched element is blank. Division by zero is missing too (a ratio of an empty school).
 */

export type Expr =
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'ref'; readonly code: string }
  | { readonly t: 'pattern'; readonly glob: string }
  | { readonly t: 'neg'; readonly e: Expr }
  | { readonly t: 'not'; readonly e: Expr }
  | { readonly t: 'bin'; readonly op: BinOp; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'call'; readonly fn: FnName; readonly args: readonly Expr[] };

export type BinOp = '+' | '-' | '*' | '/' | '<=' | '<' | '>=' | '>' | '==' | '!=' | 'and' | 'or';
export const functionNames = ['sum', 'min', 'max', 'abs', 'if', 'isnull'] as const;
export type FnName = (typeof functionNames)[number];

export class ExprSyntaxError extends Error {
  constructor(readonly source: string, readonly at: number, what: string) {
    super(`${what} at position ${at} in: ${source}`);
    this.name = 'ExprSyntaxError';
  }
}

type Token =
  | { k: 'num'; v: number; at: number }
  | { k: 'id'; v: string; at: number }
  | { k: 'op'; v: string; at: number }
  | { k: 'end'; at: number };

const idStart = /[A-Za-z_]/;
const idPart = /[A-Za-z0-9_.?]/;
/** `*` is a wildcard only as (part of) a dotted segment (`enrol.*.f`, `enrol.g1*`… needs a dot next to it); elsewhere it multiplies. */
const starInIdent = (src: string, i: number): boolean => src[i] === '*' && (src[i - 1] === '.' || src[i + 1] === '.');

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? '';
    if (/\s/.test(ch)) { i++; continue; }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i));
      const text = m?.[0] ?? ch;
      out.push({ k: 'num', v: Number(text), at: i });
      i += text.length;
      continue;
    }
    if (idStart.test(ch)) {
      let j = i + 1;
      while (j < src.length && (idPart.test(src[j] ?? '') || starInIdent(src, j))) j++;
      out.push({ k: 'id', v: src.slice(i, j), at: i });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['<=', '>=', '==', '!=', '&&', '||'].includes(two)) {
      out.push({ k: 'op', v: two === '&&' ? 'and' : two === '||' ? 'or' : two, at: i });
      i += 2;
      continue;
    }
    if ('+-*/<>(),!'.includes(ch)) {
      out.push({ k: 'op', v: ch === '!' ? 'not' : ch, at: i });
      i++;
      continue;
    }
    throw new ExprSyntaxError(src, i, `unexpected character ${JSON.stringify(ch)}`);
  }
  out.push({ k: 'end', at: src.length });
  return out;
}

/** Parse a rule expression; throws ExprSyntaxError saying where. */
export function parseExpr(src: string): Expr {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Token => toks[p] ?? { k: 'end', at: src.length };
  const isOp = (v: string): boolean => {
    const t = peek();
    return (t.k === 'op' && t.v === v) || (t.k === 'id' && (v === 'and' || v === 'or' || v === 'not') && t.v === v);
  };
  const expectOp = (v: string): void => {
    if (!isOp(v)) throw new ExprSyntaxError(src, peek().at, `expected "${v}"`);
    p++;
  };

  const parseOr = (): Expr => {
    let l = parseAnd();
    while (isOp('or')) { p++; l = { t: 'bin', op: 'or', l, r: parseAnd() }; }
    return l;
  };
  const parseAnd = (): Expr => {
    let l = parseNot();
    while (isOp('and')) { p++; l = { t: 'bin', op: 'and', l, r: parseNot() }; }
    return l;
  };
  const parseNot = (): Expr => {
    if (isOp('not')) { p++; return { t: 'not', e: parseNot() }; }
    return parseCmp();
  };
  const parseCmp = (): Expr => {
    const l = parseSum();
    for (const op of ['<=', '<', '>=', '>', '==', '!='] as const) {
      if (isOp(op)) { p++; return { t: 'bin', op, l, r: parseSum() }; }
    }
    return l;
  };
  const parseSum = (): Expr => {
    let l = parseProduct();
    for (;;) {
      if (isOp('+')) { p++; l = { t: 'bin', op: '+', l, r: parseProduct() }; } else if (isOp('-')) { p++; l = { t: 'bin', op: '-', l, r: parseProduct() }; } else return l;
    }
  };
  const parseProduct = (): Expr => {
    let l = parseUnary();
    for (;;) {
      if (isOp('*')) { p++; l = { t: 'bin', op: '*', l, r: parseUnary() }; } else if (isOp('/')) { p++; l = { t: 'bin', op: '/', l, r: parseUnary() }; } else return l;
    }
  };
  const parseUnary = (): Expr => {
    if (isOp('-')) { p++; return { t: 'neg', e: parseUnary() }; }
    return parsePrimary();
  };
  const parsePrimary = (): Expr => {
    const t = peek();
    if (t.k === 'num') { p++; return { t: 'num', v: t.v }; }
    if (t.k === 'op' && t.v === '(') { p++; const e = parseOr(); expectOp(')'); return e; }
    if (t.k === 'id') {
      p++;
      if (isOp('(')) {
        if (!(functionNames as readonly string[]).includes(t.v)) throw new ExprSyntaxError(src, t.at, `unknown function "${t.v}"`);
        const fn = t.v as FnName;
        p++;
        const args: Expr[] = [];
        if (!isOp(')')) {
          args.push(parseArg(fn));
          while (isOp(',')) { p++; args.push(parseArg(fn)); }
        }
        expectOp(')');
        const arity: Record<FnName, [number, number]> = { sum: [1, Infinity], min: [1, Infinity], max: [1, Infinity], abs: [1, 1], if: [3, 3], isnull: [1, 1] };
        const [lo, hi] = arity[fn];
        if (args.length < lo || args.length > hi) throw new ExprSyntaxError(src, t.at, `${fn}() takes ${lo === hi ? lo : `${lo} or more`} argument(s), got ${args.length}`);
        return { t: 'call', fn, args };
      }
      if (/[*?]/.test(t.v)) throw new ExprSyntaxError(src, t.at, `pattern "${t.v}" is only allowed inside sum(), min() or max()`);
      if (['and', 'or', 'not'].includes(t.v)) throw new ExprSyntaxError(src, t.at, `unexpected "${t.v}"`);
      return { t: 'ref', code: t.v };
    }
    throw new ExprSyntaxError(src, t.at, t.k === 'end' ? 'unexpected end of expression' : `unexpected "${t.v}"`);
  };
  const parseArg = (fn: FnName): Expr => {
    const t = peek();
    const next = toks[p + 1];
    if ((fn === 'sum' || fn === 'min' || fn === 'max') && t.k === 'id' && /[*?]/.test(t.v) && next && (next.k === 'op' && (next.v === ',' || next.v === ')'))) {
      p++;
      return { t: 'pattern', glob: t.v };
    }
    return parseOr();
  };

  const e = parseOr();
  const end = peek();
  if (end.k !== 'end') throw new ExprSyntaxError(src, end.at, `unexpected "${end.k === 'num' ? end.v : end.v}"`);
  return e;
}

/** A value: a number, a truth value, or missing (`null`). */
export type Val = number | boolean | null;

export interface Env {
  /** The value of one element code (null/undefined = blank). */
  get(code: string): number | null | undefined;
  /** Every code a pattern can match (the form's fields plus context codes). */
  codes(): Iterable<string>;
}

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function num(v: Val): number | null {
  if (v === null) return null;
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** Evaluate; `null` means "not evaluated" (a referenced value is missing). */
export function evaluate(e: Expr, env: Env): Val {
  switch (e.t) {
    case 'num': return e.v;
    case 'ref': { const v = env.get(e.code); return v === undefined || v === null || Number.isNaN(v) ? null : v; }
    case 'pattern': return aggregate('sum', [e], env);
    case 'neg': { const v = num(evaluate(e.e, env)); return v === null ? null : -v; }
    case 'not': { const v = evaluate(e.e, env); return v === null ? null : !truthy(v); }
    case 'call': {
      if (e.fn === 'sum' || e.fn === 'min' || e.fn === 'max') return aggregate(e.fn, e.args, env);
      if (e.fn === 'abs') { const v = num(evaluate(e.args[0] as Expr, env)); return v === null ? null : Math.abs(v); }
      if (e.fn === 'isnull') return evaluate(e.args[0] as Expr, env) === null;
      // if(cond, a, b): only the chosen branch must have its values.
      const c = evaluate(e.args[0] as Expr, env);
      if (c === null) return null;
      return evaluate((truthy(c) ? e.args[1] : e.args[2]) as Expr, env);
    }
    case 'bin': {
      if (e.op === 'and' || e.op === 'or') {
        const l = evaluate(e.l, env);
        // Short-circuit so `x == 0 or y <= z` holds without y and z when x is 0.
        if (l !== null && e.op === 'and' && !truthy(l)) return false;
        if (l !== null && e.op === 'or' && truthy(l)) return true;
        const r = evaluate(e.r, env);
        if (r !== null && e.op === 'and' && !truthy(r)) return false;
        if (r !== null && e.op === 'or' && truthy(r)) return true;
        if (l === null || r === null) return null;
        return e.op === 'and';
      }
      const l = num(evaluate(e.l, env));
      const r = num(evaluate(e.r, env));
      if (l === null || r === null) return null;
      switch (e.op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return r === 0 ? null : l / r;
        // Compare with a tolerance so 0.1 + 0.2 <= 0.3 holds for areas in m².
        case '<=': return l <= r + 1e-9;
        case '<': return l < r - 1e-9;
        case '>=': return l >= r - 1e-9;
        case '>': return l > r + 1e-9;
        case '==': return Math.abs(l - r) <= 1e-9;
        case '!=': return Math.abs(l - r) > 1e-9;
      }
    }
  }
}

function truthy(v: number | boolean): boolean {
  return typeof v === 'boolean' ? v : v !== 0;
}

function aggregate(fn: 'sum' | 'min' | 'max', args: readonly Expr[], env: Env): Val {
  const vals: number[] = [];
  for (const a of args) {
    if (a.t === 'pattern') {
      const re = globToRegExp(a.glob);
      for (const code of env.codes()) {
        if (!re.test(code)) continue;
        const v = env.get(code);
        if (v !== null && v !== undefined && !Number.isNaN(v)) vals.push(v);
      }
    } else {
      const v = num(evaluate(a, env));
      // A plain argument that is missing makes the aggregate missing (skip-if-any).
      if (v === null) return null;
      vals.push(v);
    }
  }
  if (vals.length === 0) return null;
  if (fn === 'sum') return vals.reduce((s, x) => s + x, 0);
  return fn === 'min' ? Math.min(...vals) : Math.max(...vals);
}

/** The element codes and patterns an expression reads (to mark cells and check rules). */
export function referencedCodes(e: Expr): { codes: string[]; patterns: string[] } {
  const codes = new Set<string>();
  const patterns = new Set<string>();
  const walk = (x: Expr): void => {
    switch (x.t) {
      case 'ref': codes.add(x.code); break;
      case 'pattern': patterns.add(x.glob); break;
      case 'neg': case 'not': walk(x.e); break;
      case 'bin': walk(x.l); walk(x.r); break;
      case 'call': x.args.forEach(walk); break;
      case 'num': break;
    }
  };
  walk(e);
  return { codes: [...codes], patterns: [...patterns] };
}
