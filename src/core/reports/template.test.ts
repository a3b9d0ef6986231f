import { describe, expect, it } from 'vitest';
import { parseTemplate, placeholdersOf, renderTemplate, type Placeholder, type Vocabulary } from './template.ts';

const vocab: Vocabulary = { codes: new Set(['fitness_good_rate', 'luban_workshops_africa']), registries: new Set(['luban_workshops']), years: { min: 2020, max: 2025 } };

const fill = (p: Placeholder): string => {
  switch (p.kind) {
    case 'value': return p.year === 2023 ? '41.2%' : '43.9%';
    case 'baseline': return '19.9%';
    case 'target': return '50%';
    case 'status': return '未达成';
    case 'value_year': return '2025';
    case 'registry_count': return '21个';
    case 'as_of': return '2025';
  }
};

describe('narrative placeholders', () => {
  it('fills every placeholder and keeps the text around it', () => {
    const { segments, problems } = parseTemplate('学生体质优良率由{{baseline fitness_good_rate}}提高到{{ value  fitness_good_rate }}（{{value_year fitness_good_rate}}年），{{status fitness_good_rate}}{{target fitness_good_rate}}的目标；2023年为{{value fitness_good_rate 2023}}。鲁班工坊{{registry_count luban_workshops}}，截至{{as_of}}年。', vocab);
    expect(problems).toEqual([]);
    expect(renderTemplate(segments, fill)).toBe('学生体质优良率由19.9%提高到43.9%（2025年），未达成50%的目标；2023年为41.2%。鲁班工坊21个，截至2025年。');
    expect(placeholdersOf(segments)).toContainEqual({ kind: 'value', code: 'fitness_good_rate', year: 2023 });
  });

  it('a text without placeholders is one text segment', () => {
    expect(parseTemplate('整体推进顺利。', vocab)).toEqual({ segments: [{ text: '整体推进顺利。' }], problems: [] });
  });

  it('locates an unknown placeholder, an unknown code, a bad year and a wrong arity by line and column', () => {
    const text = '第一行\n指标{{valu fitness_good_rate}}与{{value no_such_code}}\n{{value fitness_good_rate 2026}}{{target}}{{registry_count pupils}}';
    const { problems } = parseTemplate(text, vocab);
    expect(problems.map((p) => [p.rule, p.line, p.column])).toEqual([
      ['placeholder_unknown', 2, 3],
      ['placeholder_code', 2, 30],
      ['placeholder_year', 3, 1],
      ['placeholder_arity', 3, 33],
      ['placeholder_registry', 3, 43],
    ]);
    expect(problems[0]?.message_en).toContain('unknown placeholder "valu"');
    expect(problems[2]?.message_zh).toContain('2020—2025');
  });

  it('refuses an unclosed placeholder and goes on checking after it', () => {
    const { problems } = parseTemplate('甲{{value fitness_good_rate 乙{{value nope}}', vocab);
    expect(problems.map((p) => p.rule)).toEqual(['placeholder_unclosed', 'placeholder_code']);
    expect(problems[0]?.column).toBe(2);
  });

  it('refuses a typed percentage, which would not follow the data', () => {
    const { problems } = parseTemplate('优良率达到43.9%，近视率48.5 ％。2025年建成20个。', vocab);
    expect(problems.map((p) => p.token)).toEqual(['43.9%', '48.5 ％']);
    expect(problems.every((p) => p.rule === 'typed_percentage')).toBe(true);
  });
});
