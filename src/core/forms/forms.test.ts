import { describe, expect, it } from 'vitest';
import { reportedCodes } from '../elements/catalogue.ts';
import { schoolTypes } from '../org/types.ts';
import { parseExpr, referencedCodes } from '../validation/expr.ts';
import { indicatorDefinitionsFor } from '../indicators/definitions.ts';
import { termCodes } from '../indicators/engine.ts';
import type { OrgFilter } from '../indicators/types.ts';
import { validateValues } from '../validation/engine.ts';
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

  it('flags a school-level rate above 100 % (巩固率 soft: explain it to submit; 双师型 and teacher shares hard)', () => {
    // Every % indicator whose operands are form fields, under the widest scope (高职 colleges report 双师型 too).
    const typeOf = (filters: readonly OrgFilter[], type: string): boolean => filters.length === 0 || filters.some((x) => !x.types || x.types.some((t) => t === type));
    let checked = 0;
    for (const def of indicatorDefinitionsFor({ dual_teachers: 'secondary_and_higher' })) {
      if (def.kind !== 'ratio' || def.unit !== '%' || def.numerator.kind !== 'sum' || def.denominator.kind !== 'sum') continue;
      const { numerator, denominator } = def;
      for (const f of forms) {
        if (!typeOf(numerator.schools, f.schoolType) || !typeOf(denominator.schools, f.schoolType)) continue;
        const fields = formFields(f);
        const onForm = new Set(fields.map((x) => x.code));
        const num = numerator.terms.flatMap((t) => termCodes(t)).filter((c) => onForm.has(c));
        const den = denominator.terms.flatMap((t) => termCodes(t)).filter((c) => onForm.has(c));
        // Derived (体测/视力) counts are not on the form; a numerator inside its denominator (大班额) cannot pass 100 %.
        if (num.length === 0 || den.length === 0 || num.some((c) => den.includes(c))) continue;
        const filled = (excess: number): Record<string, number> => {
          const v: Record<string, number> = Object.fromEntries(fields.map((x) => [x.code, 100]));
          for (const c of num) v[c] = 0;
          v[num[0] as string] = den.length * 100 + excess;
          return v;
        };
        const ids = (r: ReturnType<typeof validateValues>) => new Set([...r.hard, ...r.soft].map((p) => p.rule));
        const at100 = ids(validateValues(f, filled(0)));
        const above = validateValues(f, filled(1));
        const fresh = [...above.hard, ...above.soft].filter((p) => !at100.has(p.rule));
        expect(fresh.length, `${def.code} on ${f.code}`).toBeGreaterThan(0);
        checked += 1;
        if (def.code === 'compulsory_retention_rate') {
          expect(fresh.map((p) => p.rule)).toEqual(['retention_at_most_100']);
          expect(above.soft.some((p) => p.rule === 'retention_at_most_100')).toBe(true);
          expect(above.unexplained.some((p) => p.rule === 'retention_at_most_100')).toBe(true);
          // An explanation in the cell's comment lets it through.
          const explained = validateValues(f, filled(1), { comments: { 'cohort.g9_base': '本届有12名学生从外区转入' } });
          expect(explained.unexplained.some((p) => p.rule === 'retention_at_most_100')).toBe(false);
        }
      }
    }
    // 巩固率 on 4 forms, 双师型 on 2, 农村本科 on 6, 硕士 on 1, 双导师 on 1.
    expect(checked).toBe(14);
  });
});
