/**
 * Forms service (报表服务): listing forms, building a school's xlsx template from the
 * store, validating a draft against last year's and similar schools' stored values, and
 * checking an uploaded workbook end to end (hostile-file gate → cells → rules).
 *
 * Storing a draft or submission is part A's workflow (./submissions.ts, with roles and
 * audit); this service only reads.
 */
import type { Kysely } from 'kysely';
import { EduplanError, type Problem } from '../core/errors.ts';
import { crossFormCodes, formByCode, formFields, forms, type FormDef } from '../core/forms/index.ts';
import { schoolTypes, type SchoolType } from '../core/org/types.ts';
import { validateValues, type ValidationContext, type ValidationResult } from '../core/validation/engine.ts';
import { locateInWorkbook, readSubmissionWorkbook, type SubmissionLimits, type SubmissionWorkbook } from '../ingest/submission-workbook.ts';
import { buildErrorWorkbook } from '../reports/error-workbook.ts';
import { buildFormTemplate } from '../reports/form-template.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

export interface FormSummary {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly schoolType: SchoolType;
  readonly fields: number;
  readonly rules: { readonly hard: number; readonly soft: number };
  readonly sections: ReadonlyArray<{ code: string; name_zh: string; name_en: string; source: string; fields: number }>;
}

export function listForms(): FormSummary[] {
  return forms.map((f) => ({
    code: f.code, name_zh: f.name_zh, name_en: f.name_en, schoolType: f.schoolType,
    fields: formFields(f).length,
    rules: { hard: f.rules.filter((r) => r.severity === 'hard').length, soft: f.rules.filter((r) => r.severity === 'soft').length },
    sections: f.sections.map((s) => ({ code: s.code, name_zh: s.name_zh, name_en: s.name_en, source: s.source, fields: s.fields.length })),
  }));
}

export function requireForm(code: string): FormDef {
  const f = formByCode(code);
  if (!f) {
    throw new EduplanError('E_FORM_UNKNOWN', { detail: code, problems: [{ path: 'form', value: code, rule: 'form_exists', message_zh: `没有代码为「${code}」的报表`, message_en: `No form with code "${code}"`, fix_zh: `可用报表：${forms.map((x) => x.code).join('、')}`, fix_en: `Forms: ${forms.map((x) => x.code).join(', ')}` }] });
  }
  return f;
}

interface SchoolRow { code: string; name_zh: string; parent_code: string | null; school_type: SchoolType }

/** The school, which must exist, be a school, and be of the form's type. */
export async function requireSchoolFor(db: Kysely<Database>, form: FormDef, orgCode: string): Promise<SchoolRow> {
  const o = await db.selectFrom('org_unit').select(['code', 'name_zh', 'parent_code', 'level', 'school_type']).where('code', '=', orgCode).executeTakeFirst();
  if (!o) throw new EduplanError('E_ORG_UNKNOWN', { detail: orgCode, problems: [{ path: 'org', value: orgCode, rule: 'org_exists', message_zh: `机构代码「${orgCode}」不存在`, message_en: `Org unit "${orgCode}" does not exist`, fix_zh: '核对学校代码', fix_en: 'Check the school code' }] });
  const type = o.school_type as SchoolType | null;
  if (o.level !== 'school' || type === null || !(schoolTypes as readonly string[]).includes(type) || type !== form.schoolType) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: 'form', value: form.code, rule: 'form_school_type', message_zh: `报表「${form.code}」不适用于「${o.name_zh}」（${o.school_type ?? o.level}）`, message_en: `Form "${form.code}" does not apply to "${o.name_zh}" (${o.school_type ?? o.level})`, fix_zh: type ? `使用报表 annual.${type}` : '报表只适用于学校', fix_en: type ? `Use form annual.${type}` : 'Forms apply to schools only' }] });
  }
  return { code: o.code, name_zh: o.name_zh, parent_code: o.parent_code, school_type: type };
}

export async function formTemplate(store: Store, args: { formCode: string; orgCode: string; year: number; now?: Date }): Promise<{ file: Buffer; fileName: string }> {
  const form = requireForm(args.formCode);
  const org = await requireSchoolFor(store.db, form, args.orgCode);
  const file = await buildFormTemplate({ form, org, year: args.year, ...(args.now ? { now: args.now } : {}) });
  return { file, fileName: `${form.code}_${org.code}_${args.year}.xlsx` };
}

/**
 * The validation context from stored values: this school's last year (与上年比较), its other
 * sources this year (体测/视力 counts), and similar schools' values — same school type, same
 * district, same year, this school excluded — for the outlier rules.
 */
export async function validationContext(db: Kysely<Database>, form: FormDef, orgCode: string, year: number, comments: Record<string, string> = {}): Promise<ValidationContext> {
  const codes = formFields(form).map((f) => f.code);
  const cross = crossFormCodes(form.schoolType);
  const own = await db.selectFrom('data_value').select(['year', 'element', 'value'])
    .where('org_code', '=', orgCode).where('year', 'in', [year - 1, year]).execute();
  const lastYear: Record<string, number> = {};
  const related: Record<string, number> = {};
  const crossSet = new Set(cross);
  for (const r of own) {
    if (r.year === year - 1) lastYear[r.element] = r.value;
    else if (crossSet.has(r.element)) related[r.element] = r.value;
  }
  const me = await db.selectFrom('org_unit').select(['parent_code', 'school_type']).where('code', '=', orgCode).executeTakeFirst();
  const peers: Array<Record<string, number>> = [];
  if (me?.parent_code && me.school_type && form.rules.some((r) => r.kind === 'outlier')) {
    const rows = await db.selectFrom('data_value as d').innerJoin('org_unit as o', 'o.code', 'd.org_code')
      .select(['d.org_code', 'd.element', 'd.value'])
      .where('d.year', '=', year).where('o.parent_code', '=', me.parent_code).where('o.school_type', '=', me.school_type)
      .where('o.code', '<>', orgCode).where('d.element', 'in', codes)
      .orderBy('d.org_code').execute();
    const by = new Map<string, Record<string, number>>();
    for (const r of rows) {
      let m = by.get(r.org_code);
      if (!m) by.set(r.org_code, (m = {}));
      m[r.element] = r.value;
    }
    peers.push(...by.values());
  }
  return { lastYear, related, peers, comments };
}

/** Validate a draft's values with the stored context; the same engine the browser runs. */
export async function validateDraft(store: Store, orgCode: string, formCode: string, year: number, values: Record<string, number | null>, comments: Record<string, string> = {}): Promise<ValidationResult> {
  const form = requireForm(formCode);
  await requireSchoolFor(store.db, form, orgCode);
  return validateValues(form, values, await validationContext(store.db, form, orgCode, year, comments));
}

export interface CheckedUpload {
  readonly workbook: SubmissionWorkbook;
  /** Problems located on the workbook's cells. */
  readonly validation: ValidationResult;
  /** True when there is no hard problem and every soft one is explained. */
  readonly ready: boolean;
}

/**
 * Check an uploaded workbook: read it (all-or-nothing, throws on a bad file), then validate
 * its values against the stored context, with problems put back on their cells.
 */
export async function checkUpload(store: Store, input: string | Buffer, limits: SubmissionLimits = {}): Promise<CheckedUpload> {
  return validateWorkbook(store, await readSubmissionWorkbook(input, limits));
}

/** Validate an already-read workbook against the stored context. */
export async function validateWorkbook(store: Store, wb: SubmissionWorkbook): Promise<CheckedUpload> {
  const form = requireForm(wb.formCode);
  await requireSchoolFor(store.db, form, wb.orgCode);
  const r = validateValues(form, wb.values, await validationContext(store.db, form, wb.orgCode, wb.year, wb.comments));
  const validation: ValidationResult = { hard: locateInWorkbook(r.hard, wb), soft: locateInWorkbook(r.soft, wb), unexplained: locateInWorkbook(r.unexplained, wb) };
  return { workbook: wb, validation, ready: validation.hard.length === 0 && validation.unexplained.length === 0 };
}

/** The uploaded file with problem cells marked (for a file that got past the reader). */
export function errorWorkbook(original: Buffer, problems: { hard: readonly Problem[]; soft?: readonly Problem[] }): Promise<Buffer> {
  return buildErrorWorkbook(original, problems);
}
