/**
 * docs/data-files.md describes the same layouts, schemas and rules as the code:
 * every column, element, reference code and rule the importer knows is documented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { elements, referenceCodes } from '../core/elements/catalogue.ts';
import { orgUnitSchema } from '../core/org/types.ts';
import { orgLevelSchema } from '../core/org/levels.ts';
import { orgLevelColumns, orgUnitColumns, referenceColumns } from './layout.ts';
import { planMilestoneColumns, planOwnerColumns, planUnitColumns, registryFixedColumns, targetValueColumns, taskReportColumns } from './plan-execution-layout.ts';
import { importRules } from './rules.ts';
import { statsSubsetRules } from './schemas.ts';

const doc = readFileSync(new URL('../../docs/data-files.md', import.meta.url), 'utf8');

describe('docs/data-files.md', () => {
  it('documents every org-units column, and those are the fields of orgUnitSchema', () => {
    const shape = Object.keys(orgUnitSchema.shape);
    expect(orgUnitColumns.map((c) => c.name).sort()).toEqual(shape.sort());
    for (const c of orgUnitColumns) expect(doc).toContain(`| \`${c.name}\` | ${c.zh} |`);
  });

  it('documents every org-levels column, and those are the fields of orgLevelSchema', () => {
    expect(orgLevelColumns.map((c) => c.name).sort()).toEqual(Object.keys(orgLevelSchema.shape).sort());
    for (const c of orgLevelColumns) expect(doc).toContain(`| \`${c.name}\` | ${c.zh} | ${c.en} |`);
  });

  it('documents every element column, reference column and code', () => {
    for (const e of elements) expect(doc).toContain(e.dims === 'grade_sex' ? `\`${e.code}.<grade>.<m|f>\`` : `| \`${e.code}\` |`);
    for (const c of referenceColumns) expect(doc).toContain(`| \`${c.name}\` | ${c.zh} |`);
    for (const code of Object.keys(referenceCodes)) expect(doc).toContain(`| \`${code}\` |`);
  });

  it('documents every column of the plan-execution files', () => {
    for (const cols of [planUnitColumns, planOwnerColumns, registryFixedColumns, targetValueColumns, planMilestoneColumns, taskReportColumns]) {
      for (const c of cols) expect(doc).toContain(`| \`${c.name}\` | ${c.zh} | ${c.en}`);
    }
  });

  it('documents every rule with its Chinese and English text, and every part ≤ total pair', () => {
    for (const [rule, text] of Object.entries(importRules)) expect(doc).toContain(`| \`${rule}\` | ${text.zh} | ${text.en} |`);
    for (const r of statsSubsetRules) expect(doc).toContain(`| \`${r.part}\` | \`${r.total}\` |`);
  });
});
