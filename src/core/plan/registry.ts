/**
 * Registries (名录) as data: the designated things a plan counts — 鲁班工坊, 校园足球特色学校,
 * 劳动教育基地, 骨干教师 … Each registry is declared in the plan files (registries.yaml) with
 * its fields, their types and validation, who keeps it and which year fields say when an
 * entry counts. Entries are stored generically (one table, a JSON payload) and validated by
 * the zod schema built here from the field list, so a new registry is a plan edit, not code.
 *
 * Pure: no I/O. The org-unit check of `org` fields needs the org units, which the caller
 * passes in (`OrgLookup`).
 */
import { z } from 'zod';
import type { TreePlace } from '../org/levels.ts';
import { schoolTypes } from '../org/types.ts';

const text = z.string().trim().min(1, { message: 'must not be empty' });
const code = z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'must be lower_snake_case (a–z, 0–9, _), starting with a letter' });

const fieldCommon = {
  key: code,
  label_zh: text,
  label_en: text,
  required: z.boolean().optional(),
  note_zh: text.optional(),
  note_en: text.optional(),
};

export const choiceSchema = z.strictObject({ value: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'lower-case letters, digits, _ and -' }), label_zh: text, label_en: text });

export const registryFieldSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...fieldCommon, type: z.literal('text'), max_length: z.number().int().min(1).max(2000).optional() }),
  z.strictObject({ ...fieldCommon, type: z.literal('integer'), min: z.number().int().optional(), max: z.number().int().optional() }),
  z.strictObject({ ...fieldCommon, type: z.literal('number'), min: z.number().finite().optional(), max: z.number().finite().optional() }),
  z.strictObject({ ...fieldCommon, type: z.literal('year') }),
  z.strictObject({ ...fieldCommon, type: z.literal('date') }),
  z.strictObject({ ...fieldCommon, type: z.literal('boolean') }),
  z.strictObject({ ...fieldCommon, type: z.literal('choice'), choices: z.array(choiceSchema).min(1) }),
  /** An org unit's code: a district (6 digits) or a school (10 digits), optionally of some school types. */
  z.strictObject({ ...fieldCommon, type: z.literal('org'), level: z.enum(['district', 'school']), types: z.array(z.enum(schoolTypes)).min(1).optional() }),
]);
export type RegistryField = z.infer<typeof registryFieldSchema>;

export const registrySchema = z.strictObject({
  /** lower_snake_case; the import file is `registry-<id with dashes>.csv`. */
  id: code,
  name_zh: text,
  name_en: text,
  description_zh: text.optional(),
  description_en: text.optional(),
  /**
   * Who keeps the entries (维护): `city` — the city's administrators; `district` — each
   * district's reviewers keep the entries of their district (`scope_field`), the city approves.
   */
  maintainer: z.enum(['city', 'district']),
  /** An `org` field that places an entry in a district (required when districts keep the registry). */
  scope_field: code.optional(),
  /** The year fields that say when an entry counts: from `from` (designated, opened) until before `until` (closed, withdrawn). */
  in_effect: z.strictObject({ from: code, until: code.optional() }),
  /** Whether each entry must carry its designation document (认定文件). */
  document: z.enum(['required', 'optional']),
  fields: z.array(registryFieldSchema).min(1),
});
export type Registry = z.infer<typeof registrySchema>;

export interface RegistryIssue {
  readonly path: (string | number)[];
  readonly message_en: string;
  readonly message_zh: string;
}

/** Cross-field rules of one registry definition (the plan schema reports them at `registries[i]…`). */
export function registryDefinitionIssues(r: Registry): RegistryIssue[] {
  const issues: RegistryIssue[] = [];
  const byKey = new Map<string, RegistryField>();
  r.fields.forEach((f, i) => {
    if (byKey.has(f.key)) issues.push({ path: ['fields', i, 'key'], message_en: `duplicate field key "${f.key}"`, message_zh: `字段键 "${f.key}" 重复` });
    else byKey.set(f.key, f);
    if ((f.type === 'integer' || f.type === 'number') && f.min !== undefined && f.max !== undefined && f.min > f.max) {
      issues.push({ path: ['fields', i, 'max'], message_en: `max ${f.max} is below min ${f.min}`, message_zh: `上限 ${f.max} 小于下限 ${f.min}` });
    }
    if (f.type === 'choice') {
      const seen = new Set<string>();
      f.choices.forEach((c, j) => {
        if (seen.has(c.value)) issues.push({ path: ['fields', i, 'choices', j, 'value'], message_en: `duplicate choice "${c.value}"`, message_zh: `选项 "${c.value}" 重复` });
        seen.add(c.value);
      });
    }
  });
  const yearField = (key: string | undefined, path: (string | number)[], what: string, whatZh: string): void => {
    if (key === undefined) return;
    const f = byKey.get(key);
    if (!f) issues.push({ path, message_en: `${what} "${key}" is not one of the fields`, message_zh: `${whatZh} "${key}" 不是本名录的字段` });
    else if (f.type !== 'year') issues.push({ path, message_en: `${what} "${key}" must be a year field, it is ${f.type}`, message_zh: `${whatZh} "${key}" 须为年份字段，实际为 ${f.type}` });
  };
  yearField(r.in_effect.from, ['in_effect', 'from'], 'in_effect.from', '生效年份字段');
  if (r.in_effect.from !== undefined && byKey.get(r.in_effect.from)?.required !== true) {
    issues.push({ path: ['in_effect', 'from'], message_en: `the field "${r.in_effect.from}" that says when an entry counts must be required`, message_zh: `决定条目何时计入的字段 "${r.in_effect.from}" 须为必填` });
  }
  yearField(r.in_effect.until, ['in_effect', 'until'], 'in_effect.until', '失效年份字段');
  if (r.maintainer === 'district' && r.scope_field === undefined) {
    issues.push({ path: ['scope_field'], message_en: 'a registry kept by the districts needs scope_field (an org field placing each entry in a district)', message_zh: '由各区维护的名录须指定 scope_field（确定条目所属区的机构字段）' });
  }
  if (r.scope_field !== undefined) {
    const f = byKey.get(r.scope_field);
    if (!f || f.type !== 'org') issues.push({ path: ['scope_field'], message_en: `scope_field "${r.scope_field}" must be an org field`, message_zh: `scope_field "${r.scope_field}" 须为机构字段` });
    else if (f.required !== true) issues.push({ path: ['scope_field'], message_en: `scope_field "${r.scope_field}" must be required`, message_zh: `scope_field "${r.scope_field}" 须为必填` });
  }
  return issues;
}

/** A registry's import file name: `registry-<id with dashes>.csv` (`registry-luban-workshops.csv`). */
export const registryFileName = (id: string): string => `registry-${id.replace(/_/g, '-')}.csv`;
/** The registry id a file name names, or null. */
export function registryIdOfFile(name: string): string | null {
  const m = /^registry-([a-z][a-z0-9-]*)\.csv$/.exec(name);
  return m ? (m[1] ?? '').replace(/-/g, '_') : null;
}

/** A stable entry code (条目编号): letters, digits, `.`, `_`, `-`; it keys updates and the audit record. */
export const entryCodeSchema = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'entry code: 1–64 letters, digits, . _ -, starting with a letter or digit' });

export type EntryValue = string | number | boolean;
export type EntryPayload = Readonly<Record<string, EntryValue>>;

/**
 * What a validator needs to know about org units (from the store, or the folder being imported):
 * besides the level code, the unit's place in the region's tree (core/org/levels.ts) and the unit
 * directly under the root it lies in (`top`: a Tianjin district, a province's prefecture city).
 * An org field's `level` names a place — `district` a top unit, `school` a reporting unit — so a
 * registry works in any region's hierarchy.
 */
export type OrgLookup = (code: string) => { readonly level: string; readonly place: TreePlace; readonly top: string | null; readonly school_type: string | null; readonly parent_code: string | null } | undefined;

/** The place an org field's `level` names. */
const fieldPlace = { district: 'top', school: 'reporting' } as const satisfies Record<'district' | 'school', TreePlace>;
const placeNames: Readonly<Record<TreePlace, { zh: string; en: string }>> = {
  root: { zh: '市（根机构）', en: 'the root unit' }, top: { zh: '区', en: 'district' }, reporting: { zh: '学校', en: 'school' }, below_top: { zh: '区以下机构', en: 'unit below a district' },
};

export type EntryIssueRule = 'required' | 'number' | 'integer' | 'range' | 'enum' | 'format' | 'unknown_org' | 'org_level' | 'unknown_field';

/** One bad cell of an entry, with the field it is in. */
export interface EntryIssue {
  readonly field: string;
  readonly rule: EntryIssueRule;
  readonly value?: string;
  readonly message_zh: string;
  readonly message_en: string;
}

const YEAR_MIN = 1949;
const YEAR_MAX = 2100;

/**
 * Validate one entry given as text cells (a CSV row, an xlsx row, a web form), field by field:
 * every bad cell is reported, never only the first. Blank optional cells are left out of the
 * payload. `payload` is null when there is any issue.
 */
export function parseEntry(registry: Registry, cells: Readonly<Record<string, string | undefined>>, orgs: OrgLookup): { payload: EntryPayload | null; issues: EntryIssue[] } {
  const issues: EntryIssue[] = [];
  const out: Record<string, EntryValue> = {};
  const known = new Set(registry.fields.map((f) => f.key));
  for (const key of Object.keys(cells)) {
    if (!known.has(key) && (cells[key] ?? '').trim() !== '') {
      issues.push({ field: key, rule: 'unknown_field', value: cells[key] ?? '', message_zh: `名录“${registry.name_zh}”没有字段 ${key}`, message_en: `registry ${registry.id} has no field ${key}` });
    }
  }
  for (const f of registry.fields) {
    const raw = (cells[f.key] ?? '').trim();
    const bad = (rule: EntryIssueRule, zh: string, en: string): void => { issues.push({ field: f.key, rule, value: raw, message_zh: `${f.label_zh}：${zh}`, message_en: `${f.label_en}: ${en}` }); };
    if (raw === '') {
      if (f.required === true) issues.push({ field: f.key, rule: 'required', message_zh: `${f.label_zh}：必填`, message_en: `${f.label_en}: required` });
      continue;
    }
    switch (f.type) {
      case 'text':
        if (raw.length > (f.max_length ?? 500)) bad('range', `不超过 ${f.max_length ?? 500} 个字符`, `at most ${f.max_length ?? 500} characters`);
        else out[f.key] = raw;
        break;
      case 'integer':
      case 'number': {
        const n = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
        if (!Number.isFinite(n)) { bad('number', '不是数字', 'not a number'); break; }
        if (f.type === 'integer' && !Number.isInteger(n)) { bad('integer', '须为整数', 'must be a whole number'); break; }
        if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) { bad('range', `须在 ${f.min ?? '−∞'}—${f.max ?? '∞'} 之间`, `must be within ${f.min ?? '−∞'}–${f.max ?? '∞'}`); break; }
        out[f.key] = n;
        break;
      }
      case 'year': {
        const n = /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
        if (!Number.isInteger(n) || n < YEAR_MIN || n > YEAR_MAX) { bad('format', `须为四位年份（${YEAR_MIN}—${YEAR_MAX}）`, `must be a 4-digit year (${YEAR_MIN}–${YEAR_MAX})`); break; }
        out[f.key] = n;
        break;
      }
      case 'date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) || new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw) bad('format', '须为 YYYY-MM-DD 日期', 'must be a date YYYY-MM-DD');
        else out[f.key] = raw;
        break;
      case 'boolean':
        if (raw === 'true' || raw === '1' || raw === '是') out[f.key] = true;
        else if (raw === 'false' || raw === '0' || raw === '否') out[f.key] = false;
        else bad('enum', '填 true/false（或 1/0、是/否）', 'true/false (or 1/0)');
        break;
      case 'choice': {
        const c = f.choices.find((x) => x.value === raw || x.label_zh === raw);
        if (!c) bad('enum', `须为 ${f.choices.map((x) => `${x.value}（${x.label_zh}）`).join('、')} 之一`, `must be one of ${f.choices.map((x) => x.value).join(', ')}`);
        else out[f.key] = c.value;
        break;
      }
      case 'org': {
        if (!/^(\d{6}|\d{10})$/.test(raw)) { bad('format', '须为 6 位区代码或 10 位学校代码', 'must be a 6-digit district or 10-digit school code'); break; }
        const o = orgs(raw);
        if (!o) { issues.push({ field: f.key, rule: 'unknown_org', value: raw, message_zh: `${f.label_zh}：机构代码 ${raw} 不存在`, message_en: `${f.label_en}: org unit ${raw} does not exist` }); break; }
        if (o.place !== fieldPlace[f.level]) { bad('org_level', `须为${placeNames[fieldPlace[f.level]].zh}代码，${raw} 是${placeNames[o.place].zh}`, `must be a ${placeNames[fieldPlace[f.level]].en}, ${raw} is a ${placeNames[o.place].en}`); break; }
        if (f.types && !(o.school_type !== null && (f.types as readonly string[]).includes(o.school_type))) {
          bad('org_level', `须为以下类型的学校：${f.types.join('、')}（${raw} 是 ${o.school_type ?? '—'}）`, `must be a school of type ${f.types.join(', ')} (${raw} is ${o.school_type ?? '—'})`);
          break;
        }
        out[f.key] = raw;
        break;
      }
    }
  }
  // The years an entry counts must not run backwards.
  const from = out[registry.in_effect.from];
  const until = registry.in_effect.until === undefined ? undefined : out[registry.in_effect.until];
  if (typeof from === 'number' && typeof until === 'number' && until < from) {
    const f = registry.fields.find((x) => x.key === registry.in_effect.until);
    issues.push({ field: registry.in_effect.until ?? '', rule: 'range', value: String(until), message_zh: `${f?.label_zh ?? ''}：${until} 早于 ${from}`, message_en: `${f?.label_en ?? ''}: ${until} is before ${from}` });
  }
  return { payload: issues.length === 0 ? out : null, issues };
}

/** The district an entry belongs to (for who may edit it), from its scope field; null for a city-kept registry. */
export function entryDistrict(registry: Registry, payload: EntryPayload, orgs: OrgLookup): string | null {
  if (registry.scope_field === undefined) return null;
  const v = payload[registry.scope_field];
  if (typeof v !== 'string') return null;
  const o = orgs(v);
  if (!o || o.place === 'root' || o.place === 'below_top') return null;
  // The top unit the entry's org lies in (a school two levels below a province's prefecture city
  // belongs to that city); a school run by the root itself (市属学校) is kept at the root.
  return o.top ?? o.parent_code;
}

/** The years an entry counts: [from, until) — `until` absent means it still counts. */
export function entryYears(registry: Registry, payload: EntryPayload): { from: number | null; until: number | null } {
  const from = payload[registry.in_effect.from];
  const until = registry.in_effect.until === undefined ? undefined : payload[registry.in_effect.until];
  return { from: typeof from === 'number' ? from : null, until: typeof until === 'number' ? until : null };
}

