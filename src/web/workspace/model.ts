/**
 * What the workspace computes in the browser, kept apart from React so it is tested on its
 * own: turning typed text into values, validation as you type with the server's own rule
 * engine (src/core/validation), and merging in the problems only the server can find.
 */
import type { Problem } from '../../core/errors.ts';
import type { FieldDef, FormDef } from '../../core/forms/index.ts';
import { ruleCells, validateValues, type ValidationResult } from '../../core/validation/engine.ts';
import type { Comments, Values } from './api.ts';

/** Text typed in a cell → the value sent: blank → null, otherwise a number (NaN when it is not one; the engine's type rule reports it). */
export function parseCell(text: string): number | null {
  const s = text.trim().replace(/[,，\s]/g, '');
  if (s === '') return null;
  // Full-width digits (全角数字) are common in Chinese input methods.
  const half = s.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return /^-?\d+(\.\d+)?$/.test(half) ? Number(half) : Number.NaN;
}

export function cellText(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

export function formValues(form: FormDef, texts: Readonly<Record<string, string>>): Values {
  const out: Values = {};
  for (const s of form.sections) for (const f of s.fields) out[f.code] = parseCell(texts[f.code] ?? '');
  return out;
}

/** Values that are not numbers cannot be sent: the cells with what was typed. */
export function notNumbers(form: FormDef, texts: Readonly<Record<string, string>>): Problem[] {
  const out: Problem[] = [];
  for (const s of form.sections) {
    for (const f of s.fields) {
      const v = parseCell(texts[f.code] ?? '');
      if (v !== null && Number.isNaN(v)) {
        out.push({ path: f.code, rule: 'number', value: texts[f.code], message_zh: `「${f.label_zh}」须为数字`, message_en: `"${f.label_en}" must be a number`, fix_zh: '只填写数字，如 120', fix_en: 'Type digits only, e.g. 120' });
      }
    }
  }
  return out;
}

/** Rules only the server can evaluate: they need last year's values or similar schools'. */
export function serverOnlyRuleIds(form: FormDef): Set<string> {
  return new Set(form.rules.filter((r) => r.kind !== 'check').map((r) => r.id));
}

/** A soft problem is explained when a comment sits on any cell the rule concerns (as the server decides). */
export function isExplained(form: FormDef, p: Problem, comments: Readonly<Comments>): boolean {
  const has = (c: string): boolean => (comments[c] ?? '').trim() !== '';
  if (p.path && has(p.path)) return true;
  const rule = form.rules.find((r) => r.id === p.rule);
  return rule ? ruleCells(rule).some(has) : false;
}

/**
 * Validation as you type: the same engine and rules as the server on the values in the
 * browser, plus the last server answer's last-year and peer (outlier) problems, which the
 * browser cannot compute without the stored data.
 */
export function liveValidation(form: FormDef, texts: Readonly<Record<string, string>>, comments: Readonly<Comments>, server: ValidationResult | null): ValidationResult {
  const numeric: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(formValues(form, texts))) numeric[k] = v !== null && Number.isNaN(v) ? null : v;
  const local = validateValues(form, numeric, { comments: { ...comments } });
  const typed = notNumbers(form, texts);
  const typedCells = new Set(typed.map((p) => p.path));
  const serverOnly = serverOnlyRuleIds(form);
  const fromServer = (server?.soft ?? []).filter((p) => serverOnly.has(p.rule));
  const soft = [...local.soft, ...fromServer];
  return { hard: [...typed, ...local.hard.filter((p) => !typedCells.has(p.path))], soft, unexplained: soft.filter((p) => !isExplained(form, p, comments)) };
}

/** The field a problem is on (its first cell), for labels and focus. */
export function fieldOf(form: FormDef, code: string | undefined): FieldDef | undefined {
  if (!code) return undefined;
  for (const s of form.sections) for (const f of s.fields) if (f.code === code) return f;
  return undefined;
}

/** The academic year a date falls in: statistics are taken on 1 September (学年 2024 = 2024-09-01..2025-08-31). */
export function academicYearOf(d: Date): number {
  return d.getMonth() >= 8 ? d.getFullYear() : d.getFullYear() - 1;
}

/** A ratio as a whole percentage, or a dash. */
export function percent(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`;
}

/** Where a problem is, as the user reads it: sheet, row, column for a workbook; the item otherwise. */
export function locationText(form: FormDef | null, p: Problem, lang: 'zh' | 'en'): string {
  const parts: string[] = [];
  if (p.sheet) parts.push(lang === 'zh' ? `工作表「${p.sheet}」` : `sheet "${p.sheet}"`);
  if (p.row !== undefined) parts.push(lang === 'zh' ? `第 ${p.row} 行` : `row ${p.row}`);
  if (p.column) parts.push(lang === 'zh' ? `${p.column} 列` : `column ${p.column}`);
  const f = form ? fieldOf(form, p.path) : undefined;
  if (f) parts.push(lang === 'zh' ? f.label_zh : f.label_en);
  else if (p.path && parts.length === 0) parts.push(p.path);
  return parts.join(lang === 'zh' ? '，' : ', ');
}
