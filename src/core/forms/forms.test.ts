import { describe, expect, it } from 'vitest';
import { reportedCodes } from '../elements/catalogue.ts';
import { schoolTypes } from '../org/types.ts';
import { parseExpr, referencedCodes } from '../validation/expr.ts';
import { crossFormCodes, formByCode, formFields, forms, type FormDef } from './index.ts';

function form(code: string): FormDef {
  const f = formByCode(code);
  if (!f) throw new Error(`no form ${code}`);
  return f;
}

describe('forms as data', () => {
  it('has one annual form per school type with exactly the codes that type reports', () => {
    expect(forms.map((f) => f.code)).toEqual(schoolTypes.map((t) => `annual.${t}`));
    for (const f of forms) {
      expect(formFields(f).map((x) => x.code).sort()).toEqual(reportedCodes(f.schoolType).sort());
    }
  });

  it('groups a primary school form into 基础基 sections with labels in both languages', () => {
    const f = formByCode('annual.primary');
    expect(f?.sections.map((s) => s.code)).toEqual(['school', 'classes', 'students', 'staff', 'conditions']);
    const g7 = formFields(form('annual.junior')).find((x) => x.code === 'enrol.g7.f');
    expect(g7).toMatchObject({ label_zh: '在校（园）学生数：初一女', label_en: 'Students enrolled: Grade 7, girls', integer: true, min: 0, unit_zh: '人' });
    const flag = formFields(form('annual.primary')).find((x) => x.code === 'wireless.covered');
    expect(flag).toMatchObject({ kind: 'flag', min: 0, max: 1, integer: true });
  });

  it('gives every form only rules whose expressions parse and read its own fields or cross-form codes', () => {
    for (const f of forms) {
      const fields = new Set(formFields(f).map((x) => x.code));
      const cross = new Set(crossFormCodes(f.schoolType));
      const ids = f.rules.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const r of f.rules) {
        const refs = referencedCodes(parseExpr(r.kind === 'check' ? r.expr : r.target));
        for (const c of refs.codes) expect(fields.has(c) || cross.has(c), `${f.code} ${r.id} reads ${c}`).toBe(true);
        expect(r.message_zh.length).toBeGreaterThan(0);
        expect(r.fix_en.length).toBeGreaterThan(0);
      }
    }
  });

  it('applies class-size rules only where there are compulsory classes, per-grade rules per grade', () => {
    const ids = (code: string) => formByCode(code)?.rules.map((r) => r.id) ?? [];
    expect(ids('annual.primary')).toContain('no_large_class_capacity');
    expect(ids('annual.kindergarten')).not.toContain('no_large_class_capacity');
    expect(ids('annual.senior')).not.toContain('pupils_need_classes');
    expect(ids('annual.junior').filter((i) => i.startsWith('girls_share_plausible.'))).toEqual(['girls_share_plausible.g7', 'girls_share_plausible.g8', 'girls_share_plausible.g9']);
    expect(ids('annual.higher_ed')).toEqual(expect.arrayContaining(['prof_pg_le_pg', 'prof_pg_dual_le_prof_pg']));
  });

  it('returns undefined for an unknown form code', () => {
    expect(formByCode('annual.university')).toBeUndefined();
  });
});
