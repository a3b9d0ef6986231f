/**
 * What a form's rules are checked against (校验依据): the form itself, the school it is
 * filled for, and the stored values the comparison rules read — this school's last year
 * (与上年比较), its other sources this year (体测/视力 counts) and similar schools (same
 * type, same district, same year) for the outlier rules. Shared by the forms service
 * (templates, drafts, uploaded workbooks) and the submission workflow.
 */
import type { Kysely } from 'kysely';
import { EduplanError } from '../core/errors.ts';
import { crossFormCodes, formByCode, formFields, forms, type FormDef } from '../core/forms/index.ts';
import { schoolTypes, type SchoolType } from '../core/org/types.ts';
import { validateValues, type ValidationContext, type ValidationResult } from '../core/validation/engine.ts';
import type { FormSchool } from '../contract/forms.ts';
import type { Database } from '../store/schema.ts';

/**
 * The form with this code, or E_FORM_UNKNOWN listing the forms there are. `where` names the
 * request field that carried the code (`form` on the forms API and CLI, `formCode` on the
 * submission API).
 */
export function formOrThrow(code: string, where: 'form' | 'formCode' = 'form'): FormDef {
  const f = formByCode(code);
  if (!f) {
    throw new EduplanError('E_FORM_UNKNOWN', { detail: code, problems: [{ path: where, value: code, rule: 'form_exists', message_zh: `没有代码为「${code}」的报表`, message_en: `No form with code "${code}"`, fix_zh: `可用报表：${forms.map((x) => x.code).join('、')}`, fix_en: `Forms: ${forms.map((x) => x.code).join(', ')}` }] });
  }
  return f;
}

/** The school, which must exist, be a school, and be of the form's type. */
export async function requireSchoolFor(db: Kysely<Database>, form: FormDef, orgCode: string, where: 'form' | 'formCode' = 'form'): Promise<FormSchool> {
  const o = await db.selectFrom('org_unit').select(['code', 'name_zh', 'parent_code', 'level', 'school_type']).where('code', '=', orgCode).executeTakeFirst();
  if (!o) throw new EduplanError('E_ORG_UNKNOWN', { detail: orgCode, problems: [{ path: 'org', value: orgCode, rule: 'org_exists', message_zh: `机构代码「${orgCode}」不存在`, message_en: `Org unit "${orgCode}" does not exist`, fix_zh: '核对学校代码', fix_en: 'Check the school code' }] });
  const type = o.school_type as SchoolType | null;
  if (o.level !== 'school' || type === null || !(schoolTypes as readonly string[]).includes(type) || type !== form.schoolType) {
    throw new EduplanError('E_INPUT_INVALID', { problems: [{ path: where, value: form.code, rule: 'form_school_type', message_zh: `报表「${form.code}」不适用于「${o.name_zh}」（${o.school_type ?? o.level}）`, message_en: `Form "${form.code}" does not apply to "${o.name_zh}" (${o.school_type ?? o.level})`, fix_zh: type ? `使用报表 annual.${type}` : '报表只适用于学校', fix_en: type ? `Use form annual.${type}` : 'Forms apply to schools only' }] });
  }
  return { code: o.code, name_zh: o.name_zh, parent_code: o.parent_code, school_type: type };
}

/**
 * The validation context from stored values. `school` is the school's district and type
 * when the caller has already looked it up; otherwise they are read here.
 */
export async function validationContext(
  db: Kysely<Database>, form: FormDef, orgCode: string, year: number, comments: Record<string, string> = {},
  school?: Pick<FormSchool, 'parent_code' | 'school_type'>,
): Promise<ValidationContext> {
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
  const peers: Array<Record<string, number>> = [];
  if (form.rules.some((r) => r.kind === 'outlier')) {
    const me = school ?? await db.selectFrom('org_unit').select(['parent_code', 'school_type']).where('code', '=', orgCode).executeTakeFirst();
    if (me?.parent_code && me.school_type) {
      // Every field of the form for each peer, so an outlier rule reading enrolment as well as
      // its marked cell (生师比 = sum(enrol.*) / teachers.fulltime) sees whole peers.
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
  }
  return { lastYear, related, peers, comments };
}

/** A form's values checked by its rules against the stored context; the same engine the browser runs. */
export async function validateStored(
  db: Kysely<Database>, form: FormDef, school: FormSchool | string, year: number,
  values: Record<string, number | null>, comments: Record<string, string> = {},
): Promise<ValidationResult> {
  const orgCode = typeof school === 'string' ? school : school.code;
  const ctx = await validationContext(db, form, orgCode, year, comments, typeof school === 'string' ? undefined : school);
  const r = validateValues(form, values, ctx);
  return { hard: r.hard, soft: r.soft, unexplained: r.unexplained };
}
