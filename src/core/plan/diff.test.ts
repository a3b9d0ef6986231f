import { describe, expect, it } from 'vitest';
import { canonicalJson, diffPlans } from './diff.ts';

describe('diffPlans', () => {
  const v1 = {
    code: 'p',
    indicators: [
      { code: 'a', target: { comparator: '>=', value: 50 } },
      { code: 'b', target: { comparator: '<=', value: 48.5 } },
    ],
    tags: ['x', 'y'],
  };

  it('is empty for equal documents', () => {
    expect(diffPlans(v1, structuredClone(v1))).toEqual([]);
  });

  it('matches list items by code: a revised target is one change, not a shifted list', () => {
    const v2 = structuredClone(v1);
    v2.indicators.reverse();
    v2.indicators[1]!.target.value = 55; // 'a' now second
    expect(diffPlans(v1, v2)).toEqual([{ path: 'indicators[a].target.value', before: 50, after: 55 }]);
  });

  it('reports additions and removals with null on the missing side', () => {
    const v2 = { ...structuredClone(v1), indicators: [v1.indicators[0]!, { code: 'c', target: { comparator: '>', value: 1 } }] };
    expect(diffPlans(v1, v2)).toEqual([
      { path: 'indicators[b]', before: v1.indicators[1], after: null },
      { path: 'indicators[c]', before: null, after: { code: 'c', target: { comparator: '>', value: 1 } } },
    ]);
  });

  it('compares lists without codes by position', () => {
    const v2 = { ...structuredClone(v1), tags: ['x', 'z', 'w'] };
    expect(diffPlans(v1, v2)).toEqual([
      { path: 'tags[1]', before: 'y', after: 'z' },
      { path: 'tags[2]', before: null, after: 'w' },
    ]);
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});
