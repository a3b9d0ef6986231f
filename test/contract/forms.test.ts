import { describe, expect, it } from 'vitest';
import { forms } from '../../src/core/forms/index.ts';
import { listForms } from '../../src/services/forms.ts';
import { formDefinition, formSummary } from '../../src/contract/forms.ts';

describe('the forms contract describes what the API serves', () => {
  it.each(forms.map((f) => [f.code, f] as const))('%s is a formDefinition, nothing left out', (_code, form) => {
    const parsed = formDefinition.parse(form);
    // zod drops keys the schema does not name: equality means the contract names every field and rule property.
    expect(parsed).toEqual(JSON.parse(JSON.stringify(form)));
  });

  it('every listed form is a formSummary', () => {
    for (const f of listForms()) expect(formSummary.parse(f)).toEqual(f);
  });

  it('refuses a rule of an unknown kind', () => {
    const form = forms[0];
    if (!form) throw new Error('no forms');
    const bad = { ...form, rules: [{ ...form.rules[0], kind: 'guess' }] };
    expect(formDefinition.safeParse(bad).success).toBe(false);
  });
});
