/**
 * The validation engine (校验引擎): one pure function that the web form (in the browser)
 * and the server both run, so a school sees the same verdict before and after upload —
 * DHIS2's validator and a re-implementation disagreed on missing values (anchors.md §6),
 * which is what one shared engine avoids.
 *
 * Order: type and range, completeness, then the form's rules (cross-field, cross-form,
 * against last year, outliers among peers). Hard problems must be fixed; soft ones must be
 * fixed or explained in the comment of one of the cells they are reported on.
 */
import type { Problem } from '../errors.ts';
import type { FieldDef, FormDef, RuleDef } from '../forms/types.ts';
import { evaluate, globToRegExp, parseExpr, referencedCodes, type Env, type Expr, type Val } from './expr.ts';

export interface ValidationContext {
  /** The same school's values for the previous academic year (与上年比较). */
  readonly lastYear?: Record<string, number>;
  /** Values of similar schools (same type and district) this year, excluding this school. */
  readonly peers?: ReadonlyArray<Record<string, number>>;
  /** This school's values from other sources this year (cross-form: 体测、视力 counts). */
  readonly related?: Record<string, number>;
  /** Explanations per element code (说明栏); a soft problem on a commented cell counts as explained. */
  readonly comments?: Record<string, string>;
}

export interface ValidationResult {
  readonly hard: Problem[];
  readonly soft: Problem[];
  /** Soft problems without an explanation on any of their cells: these still block submission. */
  readonly unexplained: Problem[];
}

const parsed = new Map<string, Expr>();
function compiled(src: string): Expr {
  let e = parsed.get(src);
  if (!e) { e = parseExpr(src); parsed.set(src, e); }
  return e;
}

/** Own numeric properties only: a rule naming `__proto__` or `constructor` reads a blank, not Object.prototype. */
function own(rec: Record<string, number | null | undefined> | undefined, code: string): number | null {
  if (!rec || !Object.hasOwn(rec, code)) return null;
  const v = rec[code];
  return typeof v === 'number' ? v : null;
}

function envOf(values: Record<string, number | null | undefined>, extra?: Record<string, number>): Env {
  return {
    get: (code) => own(values, code) ?? own(extra, code),
    codes: () => (extra ? [...Object.keys(values), ...Object.keys(extra)] : Object.keys(values)),
  };
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Modified z-score (Iglewicz & Hoaglin 1993): M = 0.6745 · (x − median) / MAD, with
 * MAD = median |xᵢ − median| over the sample. 0.6745 makes M comparable to a z-score for
 * normal data; the median/MAD pair is not dragged by the outliers it is looking for.
 * When MAD = 0 (over half the sample identical) M is undefined; we then use the mean
 * absolute deviation, M = (x − median) / (1.253314 · MeanAD) (IBM SPSS Modeler's
 * convention), and when that is 0 too every value is the same and nothing is an outlier.
 */
export function modifiedZScore(x: number, sample: readonly number[]): { m: number; median: number; mad: number } | null {
  if (sample.length === 0) return null;
  const med = median(sample);
  const deviations = sample.map((v) => Math.abs(v - med));
  const mad = median(deviations);
  if (mad > 0) return { m: (0.6745 * (x - med)) / mad, median: med, mad };
  const meanAd = deviations.reduce((s, d) => s + d, 0) / deviations.length;
  if (meanAd === 0) return { m: 0, median: med, mad: 0 };
  return { m: (x - med) / (1.253314 * meanAd), median: med, mad: 0 };
}

function fieldProblems(fields: readonly FieldDef[], values: Record<string, number | null | undefined>): Problem[] {
  const out: Problem[] = [];
  for (const f of fields) {
    const v = values[f.code];
    if (v === null || v === undefined) {
      if (f.required) {
        out.push({
          path: f.code, rule: 'required', value: null,
          message_zh: `「${f.label_zh}」未填写`, message_en: `"${f.label_en}" is blank`,
          fix_zh: '填写数值；没有的填0', fix_en: 'Enter a number; enter 0 when there are none',
        });
      }
      continue;
    }
    if (!Number.isFinite(v)) {
      out.push({ path: f.code, rule: 'type', value: v, message_zh: `「${f.label_zh}」不是有效数字`, message_en: `"${f.label_en}" is not a valid number`, fix_zh: '填写数字', fix_en: 'Enter a number' });
    } else if (f.kind === 'flag' && v !== 0 && v !== 1) {
      out.push({ path: f.code, rule: 'flag', value: v, message_zh: `「${f.label_zh}」只能填1（是）或0（否）`, message_en: `"${f.label_en}" must be 1 (yes) or 0 (no)`, fix_zh: '填1或0', fix_en: 'Enter 1 or 0' });
    } else if (f.integer && !Number.isInteger(v)) {
      out.push({ path: f.code, rule: 'integer', value: v, message_zh: `「${f.label_zh}」应为整数`, message_en: `"${f.label_en}" must be a whole number`, fix_zh: '填写整数（人数、个数不能有小数）', fix_en: 'Enter a whole number (counts have no decimals)' });
    } else if (v < f.min || v > f.max) {
      out.push({
        path: f.code, rule: 'range', value: v,
        message_zh: `「${f.label_zh}」超出取值范围 ${f.min}—${f.max}`, message_en: `"${f.label_en}" is outside ${f.min}–${f.max}`,
        fix_zh: v < f.min ? '不能填负数' : '核对数值与单位（如把元误填为万元、把平方米误填为其他单位）', fix_en: v < f.min ? 'Negative numbers are not allowed' : 'Check the number and its unit',
      });
    }
  }
  return out;
}

function ruleProblem(rule: RuleDef, at: string, value: unknown, detailZh: string, detailEn: string): Problem {
  return {
    path: at, rule: rule.id, value,
    message_zh: `${rule.message_zh}（${detailZh}）`, message_en: `${rule.message_en} (${detailEn})`,
    fix_zh: rule.fix_zh, fix_en: rule.fix_en,
  };
}

/**
 * The cells a rule's problem sits on: its `at` list, else the plain codes it reads, else — for
 * a rule over patterns only (`sum(enrol.*)`: 在校生总数, `sum(classes.*)`) — the form's fields
 * the patterns match, in form order. Without that last step such a soft rule sat on no cell
 * and could never be explained, so a school with a real change over 30 % could not submit.
 */
function cellsOf(rule: RuleDef, expr: Expr, fields?: readonly string[]): string[] {
  if (rule.at && rule.at.length > 0) return [...rule.at];
  const refs = referencedCodes(expr);
  if (refs.codes.length > 0 || fields === undefined) return refs.codes;
  const res = refs.patterns.map(globToRegExp);
  return fields.filter((f) => res.some((re) => re.test(f)));
}

function evalNumber(expr: Expr, env: Env): number | null {
  const v: Val = evaluate(expr, env);
  if (v === null || typeof v === 'boolean') return null;
  return Number.isFinite(v) ? v : null;
}

function runRule(rule: RuleDef, values: Record<string, number | null | undefined>, ctx: ValidationContext, fields: readonly string[]): Problem | null {
  const env = envOf(values, ctx.related);
  if (rule.kind === 'check') {
    const expr = compiled(rule.expr);
    const v = evaluate(expr, env);
    // Not evaluated (a value is blank): completeness reports the blank instead.
    if (v === null || v === true || (typeof v === 'number' && v !== 0)) return null;
    const cells = cellsOf(rule, expr, fields);
    const shown = referencedCodes(expr).codes.filter((c) => env.get(c) !== null).slice(0, 6).map((c) => `${c}=${fmt(env.get(c) as number)}`).join(', ');
    return ruleProblem(rule, cells[0] ?? '', Object.fromEntries(referencedCodes(expr).codes.map((c) => [c, env.get(c) ?? null])), `规则：${rule.expr}；${shown}`, `rule: ${rule.expr}; ${shown}`);
  }
  const expr = compiled(rule.target);
  const cells = cellsOf(rule, expr, fields);
  const x = evalNumber(expr, env);
  if (x === null) return null;
  if (rule.kind === 'change') {
    if (!ctx.lastYear) return null;
    const last = evalNumber(expr, envOf(ctx.lastYear));
    if (last === null || last < rule.minBase || last === 0) return null;
    const pct = ((x - last) / last) * 100;
    if (Math.abs(pct) <= rule.maxPct + 1e-9) return null;
    return ruleProblem(rule, cells[0] ?? '', { value: x, lastYear: last, changePct: Number(pct.toFixed(1)) },
      `本年 ${fmt(x)}，上年 ${fmt(last)}，变化 ${pct.toFixed(1)}%`, `this year ${fmt(x)}, last year ${fmt(last)}, change ${pct.toFixed(1)}%`);
  }
  const sample: number[] = [];
  for (const p of ctx.peers ?? []) {
    const v = evalNumber(expr, envOf(p));
    if (v !== null) sample.push(v);
  }
  if (sample.length < rule.minPeers) return null;
  // The school is part of the group it is compared with, as in Iglewicz–Hoaglin's sample.
  const z = modifiedZScore(x, [...sample, x]);
  if (!z || Math.abs(z.m) <= rule.threshold) return null;
  return ruleProblem(rule, cells[0] ?? '', { value: x, median: z.median, mad: z.mad, modifiedZ: Number(z.m.toFixed(2)), peers: sample.length },
    `本校 ${fmt(x)}，同类学校中位数 ${fmt(z.median)}，修正Z分数 ${z.m.toFixed(2)}，比较学校 ${sample.length} 所`,
    `this school ${fmt(x)}, peer median ${fmt(z.median)}, modified z ${z.m.toFixed(2)}, ${sample.length} peers`);
}

/**
 * Every cell a rule's problem concerns (for explanations and marking the workbook); with the
 * form's field codes, a rule over patterns resolves to the fields they match. A problem's
 * `path` is the first of them, so a comment there always explains it.
 */
export function ruleCells(rule: RuleDef, fields?: readonly string[]): string[] {
  return cellsOf(rule, compiled(rule.kind === 'check' ? rule.expr : rule.target), fields);
}

/**
 * Validate one form's values. `values` holds the form's cells (null = blank); the context
 * brings last year's values, peers' values and other sources. Pure and deterministic.
 */
export function validateValues(form: FormDef, values: Record<string, number | null | undefined>, context: ValidationContext = {}): ValidationResult {
  const fields = form.sections.flatMap((s) => s.fields);
  const known = new Set(fields.map((f) => f.code));
  const hard: Problem[] = [];
  const soft: Problem[] = [];
  const unexplained: Problem[] = [];
  for (const code of Object.keys(values)) {
    if (!known.has(code)) {
      hard.push({ path: code, rule: 'unknown_element', value: values[code], message_zh: `「${code}」不是本表（${form.name_zh}）的数据项`, message_en: `"${code}" is not an item of ${form.name_en}`, fix_zh: '使用本表模板填报，不要增改代码列', fix_en: 'Use this form\'s template; do not add or change codes' });
    }
  }
  const typeProblems = fieldProblems(fields, values);
  hard.push(...typeProblems);
  // Rules only see values that passed type and range, so one typo is reported once.
  const bad = new Set(typeProblems.filter((p) => p.rule !== 'required').map((p) => p.path));
  const clean: Record<string, number | null> = {};
  for (const f of fields) {
    const v = values[f.code];
    clean[f.code] = v === undefined || v === null || bad.has(f.code) ? null : v;
  }
  const comments = context.comments ?? {};
  const codes = fields.map((f) => f.code);
  const commented = (c: string): boolean => (comments[c] ?? '').trim().length > 0;
  for (const rule of form.rules) {
    const p = runRule(rule, clean, context, codes);
    if (!p) continue;
    if (rule.severity === 'hard') { hard.push(p); continue; }
    soft.push(p);
    // Explained by a comment on the problem's own cell (what the web form and the workbook show) or any cell of the rule.
    if (!((p.path !== undefined && commented(p.path)) || ruleCells(rule, codes).some(commented))) unexplained.push(p);
  }
  return { hard, soft, unexplained };
}
