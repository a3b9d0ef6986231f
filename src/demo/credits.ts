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
  /**
   * Applications under a rule: the outcome (index into `outcomes`), the date, and the
   * receiving institution's decision; `reason` for a refusal (a cap's refusal gets the cap's own).
   */
  readonly applications: ReadonlyArray<{ readonly outcome: number; readonly rule: string; readonly on: string; readonly decide: 'recognise' | 'refuse'; readonly reason?: string }>;
  /** Outcomes whose credential is revoked (indices into `outcomes`). */
  readonly revoked: readonly number[];
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Learners in the demo: enough that some statistics cells reach 10 learners and are published, few enough to load in a few seconds. */
export const DEMO_LEARNERS = 48;

/** Why a reviewer refuses a MOOC certificate now and then (the demo's non-cap refusal). */
export const DEMO_REFUSAL = '学习成果证明材料不全（缺少课程考核成绩），请补充后重新申请 / evidence incomplete (no course assessment result): apply again with it';

export function demoCredits(seed: number): CreditDemo {
  const rng = createRng(seed).fork('credit-bank');
  const heping = districts[0]?.code ?? '120101';
  const binhai = districts.find((d) => d.name_en === 'Binhai')?.code ?? '120116';
  const institutions: InstitutionInput[] = [
    { code: 'TJOU000001', name_zh: '天津开放大学（演示）', name_en: 'Tianjin Open University (demo)', kind: 'open_university', org_code: CITY_CODE },
    { code: 'TJVC000001', name_zh: '天津某职业技术学院（演示）', name_en: 'A Tianjin vocational college (demo)', kind: 'vocational_college', org_code: CITY_CODE },
    { code: 'HPLU000001', name_zh: '和平区老年大学（演示）', name_en: 'Heping elderly university (demo)', kind: 'elderly_school', org_code: heping },
    { code: 'BHCS000001', name_zh: '滨海新区社区学院（演示）', name_en: 'Binhai community college (demo)', kind: 'community_school', org_code: binhai },
  ];
  const rules: RuleInput[] = [{
    code: 'TJOU-1X-WEB', source_kind: 'vocational_certificate', achievement_code: '1X-WEB-FRONTEND-M', receiving_code: 'TJOU000001',
    target_programme: '计算机应用技术（专科）', target_course: '网页设计与制作', credits: 4, annual_cap: 6, source_cap: 20, valid_from: '2021-01-01',
    source: '演示规则：职业技能等级证书（Web前端开发·中级）认定4学分，每年最多6学分（仿国家开放大学学分认定办法）',
  }, {
    code: 'TJOU-MOOC-PY', source_kind: 'mooc', achievement_code: 'MOOC-PYTHON-32', receiving_code: 'TJOU000001',
    target_programme: '计算机应用技术（专科）', target_course: '程序设计基础', credits: 2, annual_cap: null, source_cap: 8, valid_from: '2021-01-01',
    source: '演示规则：在线开放课程《Python语言程序设计》（32学时，考核合格）认定2学分，累计最多8学分',
  }];
  const outcomes: OutcomeInput[] = [];
  const applications: Array<{ outcome: number; rule: string; on: string; decide: 'recognise' | 'refuse'; reason?: string }> = [];
  let moocs = 0;
  for (let i = 0; i < DEMO_LEARNERS; i++) {
    const d = districts[rng.int(0, districts.length - 1)] ?? districts[0];
    const year = rng.int(1950, 2002);
    const first17 = `${d?.code ?? heping}${year}${pad(rng.int(1, 12), 2)}${pad(rng.int(1, 28), 2)}${pad(rng.int(0, 999), 3)}`;
    const id = `${first17}${idCheckChar(first17)}`;
    const elderly = year <= 1964;
    // Certificates cluster in 2023–2024 (so those years' cells reach 10 learners), elderly courses spread over 2022–2024.
    const issuedYear = elderly ? rng.int(2022, 2024) : rng.int(2023, 2024);
    if (elderly) {
      // Older learners: courses at an elderly university or a community college (non-formal, not converted).
      const binhaiSchool = rng.next() < 0.3;
      outcomes.push({ learner_id_number: id, learner_name: '演示学员', issuer_org_code: binhaiSchool ? 'BHCS000001' : 'HPLU000001', issued_on: `${issuedYear}-06-${pad(rng.int(1, 28), 2)}`,
        achievement: binhaiSchool
          ? { code: 'BHCS-HEALTH-24', name: '社区健康养生', description: '社区教育课程，24学时', kind: 'non_formal', credits: 1.5, level: 1, hours: 24 }
          : { code: 'HPLU-PHONE-16', name: '老年智能手机应用', description: '老年教育课程，16学时', kind: 'non_formal', credits: 1, level: 1, hours: 16 } });
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
    if (rng.next() < 0.4) {
      // A MOOC certificate from the open university; every fourth one's evidence is incomplete and the reviewer refuses it.
      const mooc = outcomes.push({ learner_id_number: id, learner_name: '演示学员', issuer_org_code: 'TJOU000001', issued_on: `${issuedYear}-09-${pad(rng.int(1, 28), 2)}`,
        achievement: { code: 'MOOC-PYTHON-32', name: 'Python语言程序设计（在线开放课程）', description: 'MOOC，32学时，考核合格', kind: 'mooc', credits: 2, level: 3, hours: 32 } }) - 1;
      moocs += 1;
      const refuse = moocs % 4 === 1;
      applications.push({ outcome: mooc, rule: 'TJOU-MOOC-PY', on: `${issuedYear}-10-15`, decide: refuse ? 'refuse' : 'recognise', ...(refuse ? { reason: DEMO_REFUSAL } : {}) });
    }
  }
  return { institutions, rules, outcomes, applications, revoked: outcomes.length > 0 ? [0] : [] };
}
