/**
 * docs/indicators.md states, for each of the 20 indicators, the official definition with its
 * sources, the scope choices and the disclosure rule. This test fails when the document and
 * the definitions (src/core/indicators/definitions.ts) differ, so neither can change alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indicatorDefinitions } from '../../src/core/indicators/definitions.ts';
import { defaultIndicatorScope, scopeValues } from '../../src/core/indicators/scope.ts';
import type { IndicatorDef } from '../../src/core/indicators/types.ts';

const doc = readFileSync(new URL('../../docs/indicators.md', import.meta.url), 'utf8');

/** `### \`code\` 名称` sections of the document, in order, each with its text up to the next heading. */
function sections(): Array<{ code: string; name: string; body: string }> {
  const out: Array<{ code: string; name: string; body: string }> = [];
  const re = /^### `([a-z0-9_]+)` (.+)$/gm;
  const heads = [...doc.matchAll(re)];
  heads.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const next = heads[i + 1]?.index ?? doc.indexOf('\n## ', start);
    out.push({ code: m[1] ?? '', name: (m[2] ?? '').trim(), body: doc.slice(start, next === -1 ? undefined : next) });
  });
  return out;
}

/** The value of a `- **Label**: value` line of a section. */
function field(body: string, label: string): string | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`- **${label}**: `));
  return line?.slice(`- **${label}**: `.length);
}

/** The rows of the section's scope table: [tag, units, why, source]. */
function scopeRows(body: string): string[][] {
  return body.split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| scope |'))
    .map((l) => l.slice(2, -2).split(' | ').map((c) => c.trim()));
}

const disclosureOf = (d: IndicatorDef): string => (d.disclosure.unit === 'none' ? 'none (published statistic)' : `${d.disclosure.unit} (${d.disclosure.operand}) < 10 withheld`);

describe('docs/indicators.md', () => {
  const docs = sections();

  it('has one section per indicator, in the definitions’ order, under its code and Chinese name', () => {
    expect(docs.map((s) => s.code)).toEqual(indicatorDefinitions.map((d) => d.code));
    for (const d of indicatorDefinitions) expect(docs.find((s) => s.code === d.code)?.name, d.code).toBe(d.name_zh);
  });

  it.each(indicatorDefinitions.map((d) => [d.code, d] as const))('%s: official definition, sources, disclosure rule and scope match the code', (code, d) => {
    const s = docs.find((x) => x.code === code);
    if (!s) throw new Error(`no section for ${code} in docs/indicators.md`);
    expect(field(s.body, 'Official definition 官方定义')).toBe(d.definition_zh);
    expect(field(s.body, 'Sources 依据')?.split('；')).toEqual(d.sources.map((x) => x.zh));
    expect(field(s.body, 'Disclosure 披露')).toBe(disclosureOf(d));
    expect(field(s.body, 'Formula 公式')?.startsWith(`${d.formula_en} — `)).toBe(true);
    expect(scopeRows(s.body)).toEqual(d.scope.map((x) => [
      x.option ? `${x.included ? 'in' : 'out'} — option \`${x.option.key}\` = \`${x.option.value}\` (default)` : x.included ? 'in' : 'out',
      x.units_zh, x.why_zh, x.source ? x.source.zh : 'platform rule 平台规则',
    ]));
  });

  it('lists every scope option with its values, the default first', () => {
    for (const [key, values] of Object.entries(scopeValues)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
      expect(row, key).toBeDefined();
      const cited = [...(row ?? '').split(' | ')[1]?.matchAll(/`([a-z_]+)`/g) ?? []].map((m) => m[1]);
      expect(cited, key).toEqual([...values]);
      expect(values[0], key).toBe(defaultIndicatorScope[key as keyof typeof defaultIndicatorScope]);
    }
  });

  it('cites no internal note as a source', () => {
    for (const s of docs) expect(field(s.body, 'Sources 依据') ?? '', s.code).not.toMatch(/\.md|§/);
  });
});
