/**
 * zod schemas for every input of the import folder (one per input, shared with
 * docs/data-files.md): a row of org-units.csv, a row of reference.csv, and one cell of
 * school-stats-<year>.csv per element kind. CSV cells are strings; the preprocessors
 * turn them into the typed values the schemas check, keeping anything unreadable as
 * is so that the schema reports it.
 */
import { z } from 'zod';
import type { ElementKind } from '../core/elements/catalogue.ts';
import { referenceCodes } from '../core/elements/catalogue.ts';
import { orgLevelSchema } from '../core/org/levels.ts';
import { orgUnitSchema } from '../core/org/types.ts';
import type { ImportRule } from './rules.ts';

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** '' → undefined (so `required` fires), a number-looking string → number, anything else unchanged. */
export function cellToNumber(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (s === '') return undefined;
  return NUMBER_RE.test(s) ? Number(s) : s;
}

const blankToNull = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim() : v);

function cellToBoolean(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (s === '') return null;
  if (s === 'true' || s === '1' || s === '是' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === '否' || s === 'no') return false;
  return v;
}

/** org-levels.csv row: the CSV form of `orgLevelSchema` (blank parent_level = the root level). */
export const orgLevelCsvRowSchema = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null) return raw;
  const r = raw as Record<string, unknown>;
  const get = (k: string): unknown => blankToNull(r[k] ?? '');
  return {
    code: get('code') ?? '',
    rank: cellToNumber(r.rank ?? ''),
    name_zh: get('name_zh') ?? '',
    name_en: get('name_en') ?? '',
    parent_level: get('parent_level'),
    reporting_unit: cellToBoolean(r.reporting_unit ?? ''),
  };
}, orgLevelSchema);

/** org-units.csv row: the CSV form of `orgUnitSchema` (blank = null; booleans true/false, 1/0, 是/否). */
export const orgUnitCsvRowSchema = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null) return raw;
  const r = raw as Record<string, unknown>;
  const get = (k: string): unknown => blankToNull(r[k] ?? '');
  return {
    code: get('code') ?? '',
    name_zh: get('name_zh') ?? '',
    name_en: get('name_en') ?? '',
    level: get('level'),
    parent_code: get('parent_code'),
    school_type: get('school_type'),
    ownership: get('ownership'),
    inclusive: cellToBoolean(r.inclusive ?? ''),
    urban_rural: get('urban_rural'),
    opened: get('opened'),
    closed: get('closed'),
    contact_name: get('contact_name'),
    contact_phone: get('contact_phone'),
  };
}, orgUnitSchema);

export const referenceCodeList = Object.keys(referenceCodes) as [keyof typeof referenceCodes, ...(keyof typeof referenceCodes)[]];

/** reference.csv row. Populations and counts are whole numbers ≥ 0; years of schooling may have decimals. */
export const referenceRowSchema = z.object({
  // 10-digit codes pass the format so the clearer reference_org_level rule can name a school code.
  org_code: z.string().trim().regex(/^(\d{6}|\d{10})$/, 'format'),
  year: z.preprocess(cellToNumber, z.number().int().min(1949).max(2100)),
  code: z.enum(referenceCodeList),
  value: z.preprocess(cellToNumber, z.number().min(0).max(1e10)),
  source: z.string().trim().min(1),
});
export type ReferenceRow = z.infer<typeof referenceRowSchema>;

/** Plausible upper bounds per element kind (a typo of a few extra digits is caught). */
export const statsCellMax: Readonly<Record<ElementKind, number>> = { count: 1_000_000, area_m2: 10_000_000, money_yuan: 100_000_000_000, flag: 1 };

/** One cell of school-stats-<year>.csv, by element kind. */
export const statsCellSchemas: Readonly<Record<ElementKind, z.ZodType<number>>> = {
  count: z.preprocess(cellToNumber, z.number().int().min(0).max(statsCellMax.count)) as z.ZodType<number>,
  area_m2: z.preprocess(cellToNumber, z.number().min(0).max(statsCellMax.area_m2)) as z.ZodType<number>,
  money_yuan: z.preprocess(cellToNumber, z.number().min(0).max(statsCellMax.money_yuan)) as z.ZodType<number>,
  flag: z.preprocess(cellToNumber, z.number().refine((n) => n === 0 || n === 1, { message: 'flag' })) as z.ZodType<number>,
};

/**
 * Part ≤ total checks within one school's row (部分不大于总数), e.g. teachers with a
 * degree cannot outnumber full-time teachers.
 */
export const statsSubsetRules: ReadonlyArray<{ part: string; total: string }> = [
  { part: 'teachers.bachelor_plus', total: 'teachers.fulltime' },
  { part: 'teachers.above_required', total: 'teachers.fulltime' },
  { part: 'teachers.backbone', total: 'teachers.fulltime' },
  { part: 'teachers.pe_arts', total: 'teachers.fulltime' },
  { part: 'teachers.specialty', total: 'teachers.fulltime' },
  { part: 'teachers.master_plus', total: 'teachers.fulltime' },
  { part: 'teachers.dual_qualified', total: 'teachers.specialty' },
  { part: 'he.prof_postgrads', total: 'he.postgrads' },
  { part: 'he.prof_postgrads_dual', total: 'he.prof_postgrads' },
];

/** Which import rule a zod issue breaks. */
export function ruleOfIssue(issue: z.core.$ZodIssue, input: unknown): ImportRule {
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined || input === null || input === '') return 'required';
      if (issue.expected === 'int') return 'integer';
      if (issue.expected === 'number') return 'number';
      return 'enum';
    case 'too_small':
      if (issue.origin === 'string') return 'required';
      return Number(issue.minimum) === 0 ? 'non_negative' : 'range';
    case 'too_big':
      return issue.origin === 'number' && Number(issue.maximum) >= 1_000_000 ? 'max' : 'range';
    case 'invalid_format':
      return 'format';
    case 'invalid_value':
      return 'enum';
    case 'custom':
      if (issue.message === 'flag') return 'flag';
      return 'required';
    default:
      return 'format';
  }
}
