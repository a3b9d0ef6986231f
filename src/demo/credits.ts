/**
 * Demo data for the credit bank (学分银行演示数据): institutions, a conversion rule with an
 * annual cap, learners with synthetic ID numbers (valid check characters, random birth dates;
 * no real person), their outcomes, applications and decisions, and one revoked credential.
 * Its own forked generator: the demo's data files stay byte-identical.
 */
import { idCheckChar } from '../core/standards/id-number.ts';
import { CITY_CODE, districts } from '../core/org/districts.ts';
import type { OutcomeInput, RuleInput, InstitutionInput } from '../contract/credits.ts';
import { createRng } from './random.ts';

export interface CreditDemo {
  readonly institutions: readonly InstitutionInput[];
  readonly rules: readonly RuleInput[];
  readonly outcomes: readonly OutcomeInput[];
  /** Applications under a rule: the outcome (index into `outcomes`), the date, and the receiving institution's decision. */
  readonly applications: ReadonlyArray<{ readonly outcome: number; readonly rule: string; readonly on: string; readonly decide: 'recognise' | 'refuse' }>;
  /** Outcomes whose credential is revoked (indices into `outcomes`). */
  readonly revoked: readonly number[];
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export function demoCredits(seed: number): CreditDemo {
  const rng = createRng(seed).fork('credit-bank');
  const heping = districts[0]?.code ?? '120101';
  const institutions: InstitutionInput[] = [
    { code: 'TJOU000001', name_zh: '天津开放大学（演示）', name_en: 'Tianjin Open University (demo)', kind: 'open_university', org_code: CITY_CODE },
    { code: 'TJVC000001', name_zh: '天津某职业技术学院（演示）', name_en: 'A Tianjin vocational college (demo)', kind: 'vocational_college', org_code: CITY_CODE },
    { code: 'HPLU000001', name_zh: '和平区老年大学（演示）', name_en: 'Heping elderly university (demo)', kind: 'elderly_school', org_code: heping },
  ];
  const rules: RuleInput[] = [{
    code: 'TJOU-1X-WEB', source_kind: 'vocational_certificate', achievement_code: '1X-WEB-FRONTEND-M', receiving_code: 'TJOU000001',
    target_programme: '计算机应用技术（专科）', target_course: '网页设计与制作', credits: 4, annual_cap: 6, source_cap: 20, valid_from: '2021-01-01',
    source: '演示规则：职业技能等级证书（Web前端开发·中级）认定4学分，每年最多6学分（仿国家开放大学学分认定办法）',
  }];
  const outcomes: OutcomeInput[] = [];
  const applications: Array<{ outcome: number; rule: string; on: string; decide: 'recognise' | 'refuse' }> = [];
  for (let i = 0; i < 24; i++) {
    const d = districts[rng.int(0, districts.length - 1)] ?? districts[0];
    const year = rng.int(1950, 2002);
    const first17 = `${d?.code ?? heping}${year}${pad(rng.int(1, 12), 2)}${pad(rng.int(1, 28), 2)}${pad(rng.int(0, 999), 3)}`;
    const id = `${first17}${idCheckChar(first17)}`;
    const elderly = year <= 1964;
    const issuedYear = rng.int(2022, 2024);
    if (elderly) {
      outcomes.push({ learner_id_number: id, learner_name: '演示学员', issuer_org_code: 'HPLU000001', issued_on: `${issuedYear}-06-${pad(rng.int(1, 28), 2)}`,
        achievement: { code: 'HPLU-PHONE-16', name: '老年智能手机应用', description: '社区老年教育课程，16学时', kind: 'non_formal', credits: 1, level: 1, hours: 16 } });
      continue;
    }
    const cert = outcomes.push({ learner_id_number: id, learner_name: '演示学员', issuer_org_code: 'TJVC000001', issued_on: `${issuedYear}-01-${pad(rng.int(10, 28), 2)}`,
      achievement: { code: '1X-WEB-FRONTEND-M', name: 'Web前端开发职业技能等级证书（中级）', description: '1+X 证书', kind: 'vocational_certificate', credits: 4, level: 4, hours: 120 } }) - 1;
    applications.push({ outcome: cert, rule: 'TJOU-1X-WEB', on: `${issuedYear}-03-01`, decide: 'recognise' });
    if (rng.next() < 0.3) {
      // A second certificate the same year: the annual cap (6) refuses it (the demo shows the refusal).
      const again = outcomes.push({ learner_id_number: id, learner_name: '演示学员', issuer_org_code: 'TJVC000001', issued_on: `${issuedYear}-02-${pad(rng.int(1, 28), 2)}`,
        achievement: { code: '1X-WEB-FRONTEND-M', name: 'Web前端开发职业技能等级证书（中级）', description: '1+X 证书（补考）', kind: 'vocational_certificate', credits: 4, level: 4, hours: 120 } }) - 1;
      applications.push({ outcome: again, rule: 'TJOU-1X-WEB', on: `${issuedYear}-04-01`, decide: 'recognise' });
    }
  }
  return { institutions, rules, outcomes, applications, revoked: outcomes.length > 0 ? [0] : [] };
}
