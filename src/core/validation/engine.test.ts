import { describe, expect, it } from 'vitest';
import { formByCode, formFields, forms, type FormDef } from '../forms/index.ts';
import { median, modifiedZScore, ruleCells, validateValues } from './engine.ts';

const primary = formByCode('annual.primary') as FormDef;

/** A plausible primary school: 2 classes of 44 per grade, 40 teachers. */
function goodPrimary(): Record<string, number | null> {
  const v: Record<string, number | null> = {
    'school_district.member': 1,
    'classes.cmp.lt46': 12, 'classes.cmp.46_55': 0, 'classes.cmp.56_65': 0, 'classes.cmp.66plus': 0,
    'entrants.g1': 88,
    'teachers.fulltime': 40, 'teachers.bachelor_plus': 38, 'teachers.above_required': 30, 'teachers.backbone': 8, 'teachers.pe_arts': 6,
    'area.teaching_aux_m2': 5000.5, 'area.sports_m2': 8000, 'equipment.value_yuan': 2_000_000, 'rooms.multimedia': 20, 'wireless.covered': 1,
  };
  for (const g of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6']) { v[`enrol.${g}.m`] = 45; v[`enrol.${g}.f`] = 43; }
  return v;
}
const rules = (ps: ReadonlyArray<{ rule: string }>) => ps.map((p) => p.rule);

describe('validateValues on the primary-school form', () => {
  it('passes a complete, plausible form with no context', () => {
    expect(validateValues(primary, goodPrimary())).toEqual({ hard: [], soft: [], unexplained: [] });
  });

  it('reports blanks (completeness) and skips the rules that need them', () => {
    const v = goodPrimary();
    v['teachers.fulltime'] = null;
    delete v['area.sports_m2'];
    const r = validateValues(primary, v);
    expect(r.hard.map((p) => [p.rule, p.path])).toEqual([['required', 'teachers.fulltime'], ['required', 'area.sports_m2']]);
    expect(r.soft).toEqual([]);
  });

  it('checks type and range per field: negative, decimal count, flag not 0/1, unknown code', () => {
    const v = { ...goodPrimary(), 'rooms.multimedia': -1, 'teachers.backbone': 2.5, 'wireless.covered': 2, 'enrol.g9.m': 3 };
    const r = validateValues(primary, v);
    expect(r.hard.map((p) => [p.rule, p.path, p.value])).toEqual([
      ['unknown_element', 'enrol.g9.m', 3],
      ['integer', 'teachers.backbone', 2.5],
      ['range', 'rooms.multimedia', -1],
      ['flag', 'wireless.covered', 2],
    ]);
  });

  it('cross-field: bachelor+ and backbone teachers cannot exceed full-time teachers', () => {
    const r = validateValues(primary, { ...goodPrimary(), 'teachers.bachelor_plus': 41, 'teachers.backbone': 41 });
    expect(rules(r.hard)).toEqual(['bachelor_le_fulltime', 'backbone_le_fulltime']);
    expect(r.hard[0]).toMatchObject({ path: 'teachers.bachelor_plus', value: { 'teachers.bachelor_plus': 41, 'teachers.fulltime': 40 } });
    expect(r.hard[0]?.message_zh).toContain('本科及以上学历专任教师数不能多于专任教师数');
  });

  it('class sizes: with no 56+ classes, pupils must fit in 55 per class', () => {
    // 528 pupils in 9 classes of ≤55 is at most 495: impossible.
    const r = validateValues(primary, { ...goodPrimary(), 'classes.cmp.lt46': 4, 'classes.cmp.46_55': 5 });
    expect(rules(r.hard)).toEqual(['no_large_class_capacity']);
    // Declaring one 56–65 class lifts the ceiling; the bands' minimum (4 + 5×46 + 56 = 290) still holds.
    const ok = validateValues(primary, { ...goodPrimary(), 'classes.cmp.lt46': 4, 'classes.cmp.46_55': 5, 'classes.cmp.56_65': 1 });
    expect(ok.hard).toEqual([]);
  });

  it('class sizes: the bands imply a minimum number of pupils', () => {
    // 12 classes reported as 46–55 need at least 552 pupils; there are 528.
    const r = validateValues(primary, { ...goodPrimary(), 'classes.cmp.lt46': 0, 'classes.cmp.46_55': 12 });
    expect(rules(r.hard)).toEqual(['class_band_minimum']);
  });

  it('soft rules must be explained: girls share per grade, explained by a comment on the cell', () => {
    const v = { ...goodPrimary(), 'enrol.g3.m': 80, 'enrol.g3.f': 8 };
    const r = validateValues(primary, v);
    expect(r.hard).toEqual([]);
    expect(rules(r.soft)).toEqual(['girls_share_plausible.g3']);
    expect(r.soft[0]?.message_zh).toContain('三年级女生占比');
    expect(rules(r.unexplained)).toEqual(['girls_share_plausible.g3']);
    const explained = validateValues(primary, v, { comments: { 'enrol.g3.f': '三年级为足球特色班，男生多' } });
    expect(explained.soft).toHaveLength(1);
    expect(explained.unexplained).toEqual([]);
  });

  it('cross-form: more pupils fitness-tested than enrolled (from the 体测 import)', () => {
    const r = validateValues(primary, goodPrimary(), { related: { 'fitness.tested.g2.f': 50, 'fitness.tested.g2.m': 45 } });
    expect(rules(r.soft)).toEqual(['fitness_tested_le_enrolled.g2.f']);
    expect(r.soft[0]).toMatchObject({ path: 'enrol.g2.f', value: { 'fitness.tested.g2.f': 50, 'enrol.g2.f': 43 } });
  });

  it('against last year: flags a change beyond the percentage, not one at it, and ignores small bases', () => {
    const last = { 'teachers.fulltime': 30 };
    // 30 → 40 is +33.3% > 30%.
    const r = validateValues(primary, goodPrimary(), { lastYear: last });
    expect(rules(r.soft)).toEqual(['change_teachers']);
    expect(r.soft[0]?.value).toEqual({ value: 40, lastYear: 30, changePct: 33.3 });
    // 40 → 52 is exactly +30%: allowed.
    expect(validateValues(primary, { ...goodPrimary(), 'teachers.fulltime': 52 }, { lastYear: { 'teachers.fulltime': 40 } }).soft).toEqual([]);
    // Last year 8 teachers is under the minimum base of 10: no verdict.
    expect(validateValues(primary, goodPrimary(), { lastYear: { 'teachers.fulltime': 8 } }).soft).toEqual([]);
    // Enrolment sums the grades: 528 against 400 is +32%.
    expect(rules(validateValues(primary, goodPrimary(), { lastYear: { 'enrol.g1.m': 200, 'enrol.g1.f': 200 } }).soft)).toEqual(['change_enrolment']);
  });
});

describe('every soft rule can be explained (经验校验: fix, or explain in the comment column)', () => {
  it('each soft rule of every form sits on at least one cell of that form', () => {
    const missing: string[] = [];
    for (const form of forms) {
      const codes = formFields(form).map((f) => f.code);
      for (const rule of form.rules.filter((r) => r.severity === 'soft')) {
        const cells = ruleCells(rule, codes);
        if (cells.length === 0 || !cells.every((c) => codes.includes(c))) missing.push(`${form.code} ${rule.id}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('a real enrolment and class change over 30 % sits on a form cell, and a comment there explains it', () => {
    const last: Record<string, number> = { 'classes.cmp.lt46': 6 };
    for (const g of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6']) { last[`enrol.${g}.m`] = 20; last[`enrol.${g}.f`] = 20; }
    const r = validateValues(primary, goodPrimary(), { lastYear: last });
    expect(rules(r.soft).sort()).toEqual(['change_classes', 'change_enrolment']);
    const codes = formFields(primary).map((f) => f.code);
    for (const p of r.soft) expect(codes).toContain(p.path);
    expect(rules(r.unexplained).sort()).toEqual(['change_classes', 'change_enrolment']);
    const comments = Object.fromEntries(r.soft.map((p) => [p.path as string, '2024年合并了邻校 / merged with a neighbouring school']));
    const explained = validateValues(primary, goodPrimary(), { lastYear: last, comments });
    expect(explained.soft).toHaveLength(2);
    expect(explained.unexplained).toEqual([]);
    // Any enrolment cell explains the enrolment change, as any cell of a rule does.
    const other = validateValues(primary, goodPrimary(), { lastYear: last, comments: { 'enrol.g6.f': '合并 / merger', 'classes.cmp.46_55': '合并 / merger' } });
    expect(other.unexplained).toEqual([]);
  });
});

describe('modified z-score (Iglewicz–Hoaglin)', () => {
  it('is 0.6745·(x − median)/MAD, worked by hand', () => {
    // Sample 10,11,12,12,13,14,18: median 12; |deviations| 2,1,0,0,1,2,6 → sorted 0,0,1,1,2,2,6 → MAD 1.
    const z = modifiedZScore(18, [10, 11, 12, 12, 13, 14, 18]);
    expect(z).toEqual({ m: 0.6745 * 6, median: 12, mad: 1 });
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    // 5,5,5,5,9: median 5, deviations 0,0,0,0,4 → MAD 0, MeanAD 0.8 → M = 4 / (1.253314 × 0.8) = 3.98942…
    expect(modifiedZScore(9, [5, 5, 5, 5, 9])?.m).toBeCloseTo(3.98942, 4);
    expect(modifiedZScore(5, [5, 5, 5])?.m).toBe(0);
  });

  it('flags a school whose student–teacher ratio is an outlier among its peers', () => {
    // Peers' ratios 10, 11, 12, 12, 13, 14 (pupils / 10 teachers); this school 720 / 40 = 18.
    const peers = [10, 11, 12, 12, 13, 14].map((r) => ({ 'enrol.g1.m': r * 10, 'teachers.fulltime': 10 }));
    const v = goodPrimary();
    for (const g of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6']) { v[`enrol.${g}.m`] = 60; v[`enrol.${g}.f`] = 60; }
    v['classes.cmp.lt46'] = 18; v['entrants.g1'] = 120;
    const r = validateValues(primary, v, { peers });
    expect(rules(r.soft)).toEqual(['outlier_pupil_teacher']);
    // Same numbers as the worked example above: M = 0.6745 × 6 / 1 = 4.05 > 3.5.
    expect(r.soft[0]?.value).toEqual({ value: 18, median: 12, mad: 1, modifiedZ: 4.05, peers: 6 });
    expect(r.soft[0]?.path).toBe('teachers.fulltime');
  });

  it('gives no verdict with a ratio inside the band or fewer than 5 peers', () => {
    // 528/40 = 13.2: sample median 12, MAD 1 → M = 0.6745 × 1.2 = 0.81.
    const peers = [10, 11, 12, 12, 13, 14].map((r) => ({ 'enrol.g1.m': r * 10, 'teachers.fulltime': 10 }));
    expect(validateValues(primary, goodPrimary(), { peers }).soft).toEqual([]);
    const few = [10, 10, 10, 10].map((r) => ({ 'enrol.g1.m': r * 10, 'teachers.fulltime': 10 }));
    const v = { ...goodPrimary(), 'teachers.fulltime': 18 };
    expect(rules(validateValues(primary, v, { peers: few }).soft)).not.toContain('outlier_pupil_teacher');
  });
});
