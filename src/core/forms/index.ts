/**
 * The annual school statistics forms (学校年度基础数据表), one per school type, built from
 * the data-element catalogue: the elements each type reports, grouped into sections that
 * follow the 基础基 numbering (1xx school, 2xx classes, 3xx students, 4xx staff,
 * 5xx facilities — ../shared/reference/statistics-forms.md §1.1), plus the rules of
 * ./rules.ts that apply to it.
 */
import { derivedElements, elements, expandElement, gradeNames, gradesByType, type ElementDef, type Grade } from '../elements/catalogue.ts';
import { schoolTypeNames, schoolTypes, type SchoolType } from '../org/types.ts';
import { globToRegExp, parseExpr, referencedCodes } from '../validation/expr.ts';
import { ruleTemplates, type RuleTemplate } from './rules.ts';
import type { FieldDef, FormDef, RuleDef, SectionDef } from './types.ts';

export type { FieldDef, FormDef, RuleDef, SectionDef, Severity, CheckRule, ChangeRule, OutlierRule } from './types.ts';

const gradeNamesEn: Readonly<Record<Grade, string>> = {
  k1: 'Kindergarten year 1', k2: 'Kindergarten year 2', k3: 'Kindergarten year 3',
  g1: 'Grade 1', g2: 'Grade 2', g3: 'Grade 3', g4: 'Grade 4', g5: 'Grade 5', g6: 'Grade 6',
  g7: 'Grade 7', g8: 'Grade 8', g9: 'Grade 9', g10: 'Grade 10', g11: 'Grade 11', g12: 'Grade 12',
  v1: 'Vocational year 1', v2: 'Vocational year 2', v3: 'Vocational year 3',
};
const sexNames = { m: { zh: '男', en: 'boys' }, f: { zh: '女', en: 'girls' } } as const;

const sectionDefs: ReadonlyArray<{ code: string; name_zh: string; name_en: string; source: string; match: (e: ElementDef) => boolean }> = [
  { code: 'school', name_zh: '学校基本情况', name_en: 'School', source: '基础基111/112', match: (e) => e.code.startsWith('school_district.') },
  { code: 'classes', name_zh: '班数与班额', name_en: 'Classes and class sizes', source: '基础基211/212/213', match: (e) => e.code.startsWith('classes.') },
  { code: 'students', name_zh: '学生', name_en: 'Students', source: '基础基311—315', match: (e) => /^(enrol|entrants|graduates|cohort|he)\b/.test(e.code) },
  { code: 'staff', name_zh: '教职工与专任教师', name_en: 'Staff and full-time teachers', source: '基础基411—425', match: (e) => e.code.startsWith('teachers.') },
  { code: 'conditions', name_zh: '办学条件与信息化', name_en: 'Facilities and ICT', source: '基础基511—531', match: (e) => /^(area|equipment|rooms|wireless)\./.test(e.code) },
];

function unitOf(e: ElementDef): { zh: string; en: string } {
  switch (e.kind) {
    case 'area_m2': return { zh: '平方米', en: 'm²' };
    case 'money_yuan': return { zh: '元', en: 'yuan' };
    case 'flag': return { zh: '是=1，否=0', en: '1 yes, 0 no' };
    case 'count':
      if (e.code.startsWith('classes.')) return { zh: '个', en: 'classes' };
      if (e.code.startsWith('rooms.')) return { zh: '间', en: 'rooms' };
      return { zh: '人', en: 'persons' };
  }
}

/**
 * Hard limits per kind: values beyond them are typing errors, not plausible schools
 * (the largest Tianjin schools have a few thousand pupils; 1e6 leaves room for universities).
 */
const maxByKind: Readonly<Record<ElementDef['kind'], number>> = { count: 1_000_000, area_m2: 10_000_000, money_yuan: 100_000_000_000, flag: 1 };

function fieldsOf(e: ElementDef, type: SchoolType): FieldDef[] {
  const unit = unitOf(e);
  const base = { kind: e.kind, unit_zh: unit.zh, unit_en: unit.en, required: true, integer: e.kind === 'count' || e.kind === 'flag', min: 0, max: maxByKind[e.kind] };
  if (e.dims !== 'grade_sex') return [{ ...base, code: e.code, label_zh: e.name_zh, label_en: e.name_en }];
  return expandElement(e, type).map((code) => {
    const [, g, s] = code.slice(e.code.length).split('.') as [string, Grade, 'm' | 'f'];
    return { ...base, code, label_zh: `${e.name_zh}：${gradeNames[g]}${sexNames[s].zh}`, label_en: `${e.name_en}: ${gradeNamesEn[g]}, ${sexNames[s].en}` };
  });
}

/** Codes a form's rules may read from other sources (student-record imports) for this type. */
export function crossFormCodes(type: SchoolType): string[] {
  return derivedElements.filter((e) => e.types.includes(type)).flatMap((e) => expandElement(e, type));
}

function expandTemplate(t: RuleTemplate, type: SchoolType): RuleDef[] {
  const { foreach, ...rule } = t;
  if (!foreach) return [rule];
  const out: RuleDef[] = [];
  for (const g of gradesByType[type]) {
    for (const s of foreach === 'grade_sex' ? (['m', 'f'] as const) : [null]) {
      const sub = (x: string): string => x
        .replaceAll('{g}', g).replaceAll('{s}', s ?? '')
        .replaceAll('{grade_zh}', gradeNames[g]).replaceAll('{grade_en}', gradeNamesEn[g])
        .replaceAll('{sex_zh}', s ? sexNames[s].zh + '生' : '').replaceAll('{sex_en}', s ? sexNames[s].en : '');
      const common = {
        id: `${rule.id}.${g}${s ? `.${s}` : ''}`, severity: rule.severity,
        message_zh: sub(rule.message_zh), message_en: sub(rule.message_en), fix_zh: sub(rule.fix_zh), fix_en: sub(rule.fix_en),
        ...(rule.at ? { at: rule.at.map(sub) } : {}),
      };
      if (rule.kind === 'check') out.push({ ...common, kind: 'check', expr: sub(rule.expr) });
      else if (rule.kind === 'change') out.push({ ...common, kind: 'change', target: sub(rule.target), maxPct: rule.maxPct, minBase: rule.minBase });
      else out.push({ ...common, kind: 'outlier', target: sub(rule.target), threshold: rule.threshold, minPeers: rule.minPeers });
    }
  }
  return out;
}

/** A rule applies when every element it names is on the form (or comes from another source) and every pattern matches a field. */
function applies(rule: RuleDef, fieldCodes: ReadonlySet<string>, crossCodes: ReadonlySet<string>): boolean {
  const refs = referencedCodes(parseExpr(rule.kind === 'check' ? rule.expr : rule.target));
  if (!refs.codes.every((c) => fieldCodes.has(c) || crossCodes.has(c))) return false;
  if (!refs.patterns.every((p) => { const re = globToRegExp(p); return [...fieldCodes].some((c) => re.test(c)); })) return false;
  return (rule.at ?? []).every((c) => fieldCodes.has(c));
}

export function buildForm(type: SchoolType): FormDef {
  const reported = elements.filter((e) => e.types.includes(type));
  const sections: SectionDef[] = sectionDefs
    .map((s) => ({ code: s.code, name_zh: s.name_zh, name_en: s.name_en, source: s.source, fields: reported.filter(s.match).flatMap((e) => fieldsOf(e, type)) }))
    .filter((s) => s.fields.length > 0);
  const fieldCodes = new Set(sections.flatMap((s) => s.fields.map((f) => f.code)));
  const crossCodes = new Set(crossFormCodes(type));
  const rules = ruleTemplates.flatMap((t) => expandTemplate(t, type)).filter((r) => applies(r, fieldCodes, crossCodes));
  const names = schoolTypeNames[type];
  return {
    code: `annual.${type}`,
    name_zh: `学校年度基础数据表（${names.zh}）`,
    name_en: `Annual school statistics form (${names.en})`,
    schoolType: type,
    sections,
    rules,
  };
}

/** Every form: one annual statistics form per school type. */
export const forms: readonly FormDef[] = schoolTypes.map(buildForm);

const byCode = new Map(forms.map((f) => [f.code, f]));
export function formByCode(code: string): FormDef | undefined {
  return byCode.get(code);
}

export function formForSchoolType(type: SchoolType): FormDef {
  return byCode.get(`annual.${type}`) ?? buildForm(type);
}

export function formFields(form: FormDef): FieldDef[] {
  return form.sections.flatMap((s) => s.fields);
}
