import { describe, expect, it } from 'vitest';
import { assessmentCriteria as criteria } from '../balanced/criteria.ts';
import { computePreschool, explainComputed, type Kindergarten } from './engine.ts';

const kg = (code: string, ownership: Kindergarten['ownership'], inclusive: boolean | null, enrolment: number, teachers: number | null): Kindergarten =>
  ({ code, name_zh: `幼儿园${code}`, ownership, inclusive, enrolment, teachers });

describe('普及普惠 computed criteria (教督〔2020〕1号)', () => {
  it('computes the three rates and the teacher ratio, exactly at the thresholds', () => {
    // 1700 children: 850 public (exactly 50 %), 510 inclusive private (coverage exactly 80 %), 340 other private;
    // 1700 children / 2000 aged 3–5 = exactly 85 %.
    const r = computePreschool({
      kindergartens: [kg('A', 'public', null, 850, 60), kg('B', 'private', true, 510, 30), kg('C', 'private', false, 340, 20)],
      population3to5: 2000,
    }, criteria);
    const by = Object.fromEntries(r.computed.map((c) => [c.key, c]));
    expect(by.public_share?.value).toBe(0.5);
    expect(by.public_share?.status).toBe('met');
    expect(by.inclusive_coverage?.value).toBe(0.8);
    expect(by.inclusive_coverage?.status).toBe('met');
    expect(by.gross_enrolment_rate?.value).toBe(0.85);
    expect(by.gross_enrolment_rate?.status).toBe('met');
    // 110 teachers for 1700 children = 1:15.5 — fewer than 1 per 15.
    expect(by.teacher_child_ratio?.status).toBe('not_met');
    expect(explainComputed(r.computed).zh).toEqual(['专任教师总数与在园幼儿总数之比（不低于1:15） 1:15.5，未达到 1:15']);
    expect(by.gross_enrolment_rate?.plan_target).toEqual({ 2025: 0.93 });
  });

  it('one teacher per 15 children exactly meets 1:15 (exact fraction, not 0.0666…7)', () => {
    const r = computePreschool({ kindergartens: [kg('A', 'public', null, 150, 10)], population3to5: 150 }, criteria);
    expect(r.computed.find((c) => c.key === 'teacher_child_ratio')?.status).toBe('met');
    const r2 = computePreschool({ kindergartens: [kg('A', 'public', null, 151, 10)], population3to5: 151 }, criteria);
    expect(r2.computed.find((c) => c.key === 'teacher_child_ratio')?.status).toBe('not_met');
  });

  it('fails 毛入园率 just below 85 % and reports missing population and ownership', () => {
    const r = computePreschool({ kindergartens: [kg('A', 'public', null, 849, 60)], population3to5: 1000 }, criteria);
    expect(r.computed.find((c) => c.key === 'gross_enrolment_rate')?.status).toBe('not_met');
    const r2 = computePreschool({ kindergartens: [kg('A', null, null, 100, 7)], population3to5: null }, criteria);
    expect(r2.computed.find((c) => c.key === 'gross_enrolment_rate')?.status).toBe('missing');
    expect(r2.computed.find((c) => c.key === 'public_share')?.value).toBe(0);
    expect(r2.data_problems_en.join(' ')).toMatch(/ownership unknown.*pop\.age3_5|pop\.age3_5.*ownership unknown/s);
  });
});
