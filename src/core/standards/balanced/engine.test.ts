import { describe, expect, it } from 'vitest';
import { EduplanError } from '../../errors.ts';
import { assessmentCriteria as criteria, parseCriteria } from './criteria.ts';
import { evaluateLevel } from './engine.ts';
import { readBalancedInput, splitDistrictSchools, type StoredSchool } from './input.ts';
import { whatIf } from './what-if.ts';

/** A primary school of 1000 pupils exactly at every threshold (4.2, 1, 0.9, 4.5, 7.5, 2000, 2.3). */
const atThreshold = {
  code: 'AT', enrolment: 1000, teachers_above_required: 42, backbone_teachers: 10, pe_arts_teachers: 9,
  teaching_aux_area_m2: 4500, sports_area_m2: 7500, equipment_value_yuan: 2_000_000, multimedia_classrooms: 23,
};
const run = (doc: unknown) => {
  const r = readBalancedInput(doc, criteria);
  return evaluateLevel(r.level, r.schools, criteria, r.excluded);
};

describe('优质均衡 resource indicators — school rule (教督〔2017〕6号 第六条)', () => {
  it('a school exactly at every threshold meets all 7 (exact arithmetic: 9 teachers / 1000 pupils × 100 is 0.9, not 0.8999…)', () => {
    expect((9 / 1000) * 100).toBeLessThan(0.9); // the float trap this engine avoids
    const r = run({ level: 'primary', schools: [atThreshold] });
    const s = r.schools[0];
    expect(s?.met).toBe(7);
    expect(s?.met_by_indicator.pe_arts_teachers_per_100).toBe(true);
    expect(s?.values.pe_arts_teachers_per_100).toBeCloseTo(0.9, 12);
    expect(s?.pass).toBe(true);
  });

  it('one indicator at exactly 85 % of its threshold, the rest met: passes with 6 of 7', () => {
    // 7.5 m² × 0.85 = 6.375 m² per pupil → 6375 m² for 1000 pupils.
    const r = run({ level: 'primary', schools: [{ ...atThreshold, sports_area_m2: 6375 }] });
    const s = r.schools[0];
    expect(s?.met).toBe(6);
    expect(s?.shortfalls).toEqual([{ indicator: 'sports_area_per_student', value: 6.375, threshold: 7.5, fraction: 0.85, below_floor: false }]);
    expect(s?.pass).toBe(true);
  });

  it('one indicator a square metre below 85 % fails the school, and the explanation says by how much', () => {
    const r = run({ level: 'primary', schools: [{ ...atThreshold, sports_area_m2: 6374 }] });
    expect(r.schools[0]?.met).toBe(6);
    expect(r.schools[0]?.pass).toBe(false);
    expect(r.schools_pass).toBe(false);
    expect(r.pass).toBe(false);
    expect(r.explanation_zh.join('\n')).toMatch(/生均体育运动场馆面积 6\.374平方米，标准 7\.5，为标准的 85\.0%（低于85%）/);
    expect(r.explanation_en.join('\n')).toMatch(/AT fails: 6\/7 met/);
  });

  it('two indicators short (even at 90 %) fail the school: only 5 of 7 met', () => {
    const r = run({ level: 'primary', schools: [{ ...atThreshold, sports_area_m2: 6750, equipment_value_yuan: 1_800_000 }] });
    expect(r.schools[0]?.met).toBe(5);
    expect(r.schools[0]?.pass).toBe(false);
  });

  it('uses the junior thresholds for a junior level (5.3 above-required teachers per 100)', () => {
    const junior = { ...atThreshold, code: 'J', teachers_above_required: 52, backbone_teachers: 10, pe_arts_teachers: 9, teaching_aux_area_m2: 5800, sports_area_m2: 10200, equipment_value_yuan: 2_500_000, multimedia_classrooms: 24 };
    const r = run({ level: 'junior', schools: [junior] });
    expect(r.indicators.teachers_above_required_per_100.threshold).toBe(5.3);
    expect(r.schools[0]?.met_by_indicator.teachers_above_required_per_100).toBe(false);
    expect(r.schools[0]?.met).toBe(6);
    expect(r.schools[0]?.pass).toBe(true); // 5.2 ≥ 85 % of 5.3
    expect(r.indicators.sports_area_per_student.cv_limit).toBe(0.45);
  });
});

describe('优质均衡 — district CVs, one per indicator, never a composite', () => {
  it('a district where every school passes can still fail on one CV', () => {
    const rich = { ...atThreshold, code: 'RICH', equipment_value_yuan: 10_000_000 }; // 10 000 yuan per pupil
    const r = run({ level: 'primary', schools: [atThreshold, rich] });
    expect(r.schools.every((s) => s.pass)).toBe(true);
    expect(r.schools_pass).toBe(true);
    // Equal enrolments at 2000 and 10000: mean 6000, S 4000, CV 0.6667 > 0.50.
    expect(r.indicators.equipment_value_per_student.cv).toBeCloseTo(2 / 3, 10);
    expect(r.indicators.equipment_value_per_student.cv_pass).toBe(false);
    expect(r.indicators.sports_area_per_student.cv).toBe(0);
    expect(r.cv_pass).toBe(false);
    expect(r.pass).toBe(false);
    expect(r.explanation_en.join('\n')).toMatch(/Teaching equipment value per student: CV 0\.6667 exceeds 0\.50 by 0\.1667/);
  });

  it('weights the CV by enrolment (published example: CV 0.5153 over 5 schools)', () => {
    const enrol = [45, 37, 89, 76, 55];
    const books = [279, 137, 935, 160, 402];
    // Any indicator computes the same way; use equipment value = "books" with per = 1, and keep every school ≥ 50 pupils out of the small-point rule by tightening it away.
    const tight = parseCriteria({ ...structuredClone(rawCriteria()), balanced: { ...rawCriteria().balanced, scope: { ...rawCriteria().balanced.scope, min_enrolment: 0 } } });
    const doc = { level: 'primary', schools: enrol.map((p, i) => ({ ...atThreshold, code: `S${i}`, enrolment: p, equipment_value_yuan: books[i] })) };
    const rr = readBalancedInput(doc, tight);
    const r = evaluateLevel('primary', rr.schools, tight);
    expect(r.indicators.equipment_value_per_student.cv).toBeCloseTo(0.5153, 4);
  });
});

describe('优质均衡 — scope and 一贯制 split', () => {
  it('excludes teaching points under 50 pupils (configurable) and keeps 50', () => {
    const r = run({ level: 'primary', schools: [{ ...atThreshold, code: 'TINY', enrolment: 49 }, { ...atThreshold, code: 'FIFTY', enrolment: 50 }] });
    expect(r.schools.map((s) => s.code)).toEqual(['FIFTY']);
    expect(r.excluded).toEqual([expect.objectContaining({ code: 'TINY', reason: 'small_teaching_point' })]);
  });

  it('splits a nine-year school 1 : 1.1 by weighted enrolment and leaves special schools out', () => {
    const nine: StoredSchool = {
      code: '1201010001', name_zh: '九年一贯制', school_type: 'nine_year', enrolment: { primary: 600, junior: 400, senior: 0 },
      // weighted enrolment 600 + 1.1 × 400 = 1040 → primary share 600/1040, junior 440/1040
      resources: { teachers_above_required: 52, backbone_teachers: 10.4, pe_arts_teachers: 10.4, teaching_aux_area_m2: 6240, sports_area_m2: 10400, equipment_value_yuan: 2_600_000, multimedia_classrooms: 26 },
    };
    const special: StoredSchool = { ...nine, code: '1201010002', school_type: 'special', resources: {} };
    const d = splitDistrictSchools([nine, special], criteria);
    const p = d.levels.primary.schools[0];
    expect(p?.share).toBeCloseTo(600 / 1040, 12);
    const rp = evaluateLevel('primary', d.levels.primary.schools, criteria);
    const rj = evaluateLevel('junior', d.levels.junior.schools, criteria);
    expect(rp.schools[0]?.values.sports_area_per_student).toBe(10); // 6000 m² / 600
    expect(rj.schools[0]?.values.sports_area_per_student).toBe(11); // 4400 m² / 400
    expect(rj.schools[0]?.values.teachers_above_required_per_100).toBe(5.5); // 22 / 400 × 100
    expect(d.levels.primary.excluded).toEqual([expect.objectContaining({ code: '1201010002', reason: 'type_out_of_scope' })]);
    expect(d.missing).toEqual([]);
  });

  it('a complete secondary school gives its junior part 1 : 1.2 against senior', () => {
    const cs: StoredSchool = { code: 'CS', name_zh: '完中', school_type: 'complete_secondary', enrolment: { primary: 0, junior: 500, senior: 500 }, resources: { sports_area_m2: 11000, teachers_above_required: 0, backbone_teachers: 0, pe_arts_teachers: 0, teaching_aux_area_m2: 0, equipment_value_yuan: 0 } };
    const d = splitDistrictSchools([cs], criteria);
    // junior share 500 / (500 + 600) → 5000 m² for 500 pupils.
    expect(evaluateLevel('junior', d.levels.junior.schools, criteria).schools[0]?.values.sports_area_per_student).toBe(10);
    expect(d.levels.primary.schools).toEqual([]);
    expect(d.missing).toEqual([{ code: 'CS', name_zh: '完中', field: 'multimedia_classrooms' }]);
  });
});

describe('优质均衡 — twelve-year school', () => {
  it('splits 1 : 1.1 : 1.32 across primary, junior and senior, assessing only the compulsory parts', () => {
    const twelve: StoredSchool = {
      code: 'T12', name_zh: '十二年一贯制', school_type: 'twelve_year', enrolment: { primary: 600, junior: 300, senior: 250 },
      // weighted enrolment 600 + 330 + 330 = 1260 → 600/1260, 330/1260, 330/1260
      resources: { teachers_above_required: 63, backbone_teachers: 12.6, pe_arts_teachers: 12.6, teaching_aux_area_m2: 6300, sports_area_m2: 12600, equipment_value_yuan: 3_150_000, multimedia_classrooms: 31.5 },
    };
    const d = splitDistrictSchools([twelve], criteria);
    const p = evaluateLevel('primary', d.levels.primary.schools, criteria).schools[0];
    const j = evaluateLevel('junior', d.levels.junior.schools, criteria).schools[0];
    expect(p?.values.sports_area_per_student).toBe(10); // 12600 × 600/1260 ÷ 600
    expect(j?.values.sports_area_per_student).toBe(11); // 12600 × 330/1260 ÷ 300
    expect(j?.values.teachers_above_required_per_100).toBe(5.5); // 63 × 330/1260 ÷ 300 × 100
    expect(p?.share).toBeCloseTo(600 / 1260, 12);
  });
});

describe('优质均衡 --input validation', () => {
  it('lists every bad field with its path and value', () => {
    try {
      readBalancedInput({ level: 'middle', schools: [{ ...atThreshold, enrolment: -3 }, { ...atThreshold, sports_area_m2: 'lots' }] }, criteria, 'd.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EduplanError);
      const p = (e as EduplanError).problems;
      expect(p.map((x) => x.path)).toEqual(expect.arrayContaining(['level', 'schools[0].enrolment', 'schools[1].sports_area_m2']));
      expect(p.find((x) => x.path === 'schools[0].enrolment')?.value).toBe(-3);
      expect(p[0]?.file).toBe('d.json');
    }
  });

  it('rejects a repeated school code', () => {
    expect(() => readBalancedInput({ level: 'primary', schools: [atThreshold, atThreshold] }, criteria)).toThrow(EduplanError);
  });
});

describe('优质均衡 what-if', () => {
  it('brings a failing school up with the fewest whole units: weakest indicator to 85 %, the other to 100 %', () => {
    const weak = { ...atThreshold, code: 'WEAK', sports_area_m2: 6000, multimedia_classrooms: 20 }; // 80 % and 87 %
    const rr = readBalancedInput({ level: 'primary', schools: [weak] }, criteria);
    const w = whatIf('primary', rr.schools, criteria);
    expect(w.pass_before).toBe(false);
    expect(w.pass_after).toBe(true);
    // Sports (80 %, the weakest) only to 85 %: 6375 − 6000 = 375 m²; rooms to 2.3 per 100: 3 more rooms.
    expect(w.changes).toEqual([
      expect.objectContaining({ code: 'WEAK', indicator: 'sports_area_per_student', add: 375, reasons: ['school_rule'], value_after: 6.375 }),
      expect.objectContaining({ code: 'WEAK', indicator: 'multimedia_classrooms_per_100', add: 3, reasons: ['school_rule'], value_after: 2.3 }),
    ]);
  });

  it('fixes a CV failure by raising the lowest school only, and reports every CV before and after', () => {
    const rich = { ...atThreshold, code: 'RICH', equipment_value_yuan: 10_000_000 };
    const rr = readBalancedInput({ level: 'primary', schools: [atThreshold, rich] }, criteria);
    const w = whatIf('primary', rr.schools, criteria);
    expect(w.pass_after).toBe(true);
    expect(w.changes.map((c) => [c.code, c.indicator, c.reasons])).toEqual([['AT', 'equipment_value_per_student', ['cv']]]);
    // Minimal level L with CV(L) = 0.5 for two equal schools at L and 10000: (10000 − L)/(10000 + L) = 0.5 → L = 3333.33.
    expect(w.changes[0]?.value_after).toBeGreaterThanOrEqual(3333.33);
    expect(w.changes[0]?.value_after).toBeLessThan(3334);
    expect(w.cv.equipment_value_per_student.before).toBeCloseTo(2 / 3, 8);
    expect(w.cv.equipment_value_per_student.after).toBeLessThanOrEqual(0.5 * (1 + 1e-9));
    expect(w.cv.sports_area_per_student).toEqual({ before: 0, after: 0, limit: 0.5, pass_before: true, pass_after: true });
  });

  it('changes nothing for a passing district', () => {
    const rr = readBalancedInput({ level: 'primary', schools: [atThreshold] }, criteria);
    const w = whatIf('primary', rr.schools, criteria);
    expect(w.changes).toEqual([]);
    expect(w.pass_after).toBe(true);
  });
});

describe('criteria configuration', () => {
  it('carries source and confidence for every number, and refuses a broken file', () => {
    for (const i of criteria.balanced.indicators) expect(i.confidence).toBe('yes');
    expect(criteria.balanced.scope.confidence).toBe('partly');
    expect(criteria.balanced.split_weights.confidence).toBe('no');
    const broken = structuredClone(rawCriteria());
    broken.balanced.indicators = broken.balanced.indicators.slice(0, 6);
    expect(() => parseCriteria(broken)).toThrow(EduplanError);
  });

  it('a corrected threshold is a data edit: tightening sports area to 8 m² fails the at-threshold school', () => {
    const edited = structuredClone(rawCriteria());
    const sports = edited.balanced.indicators.find((i) => i.key === 'sports_area_per_student');
    if (sports) sports.threshold.primary = 8;
    const c2 = parseCriteria(edited);
    const rr = readBalancedInput({ level: 'primary', schools: [atThreshold] }, c2);
    expect(evaluateLevel('primary', rr.schools, c2).schools[0]?.met).toBe(6);
  });
});

function rawCriteria() {
  return structuredClone(criteria);
}
