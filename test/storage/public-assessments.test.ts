/**
 * The public side of the assessments (督导评估公开): a district shows only what was nationally
 * certified. The workflow that produces these events (and refuses to certify a failing
 * district) is tested in assessments.test.ts; here the event log is written as it leaves it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { certifiedAssessments } from '../../src/services/assessments/public.ts';
import type { AssessmentEventTable } from '../../src/store/schema.ts';
import { orgUnit as org } from '../helpers/assessments.ts';
import { backends } from '../helpers/stores.ts';

const HEPING = '120101';
const HEDONG = '120102';
const HEXI = '120103';

type Step = [kind: AssessmentEventTable['kind'], district: string, year: number, action: AssessmentEventTable['action'], onDate: string];
const event = ([kind, district, year, action, on_date]: Step) => ({
  kind, district_code: district, year, action, on_date, state_after: action, actor: 'test', comment: '内部意见',
  item_comments: JSON.stringify({ 'gov.05': '专家内部意见' }), verdict: JSON.stringify({ verdict: 'pass', explanation_zh: ['评估结论：达标'] }),
  recorded_at: '2025-01-15T08:00:00Z',
});

describe.each(backends)('public assessments on $name', (backend) => {
  let store: Awaited<ReturnType<typeof backend.open>>;
  beforeAll(async () => {
    store = await backend.open();
    await store.db.insertInto('org_unit').values([
      org('120000', 'city', null, null), org(HEPING, 'district', '120000', null), org(HEDONG, 'district', '120000', null), org(HEXI, 'district', '120000', null),
    ]).execute();
    const steps: Step[] = [
      // 和平区: 优质均衡 2022 certified; 普及普惠 2023 submitted, not yet certified.
      ['balanced', HEPING, 2022, 'self_evaluate', '2023-03-01'], ['balanced', HEPING, 2022, 'city_assess', '2023-05-10'],
      ['balanced', HEPING, 2022, 'submit', '2023-06-01'], ['balanced', HEPING, 2022, 'certify', '2024-03-28'],
      ['preschool', HEPING, 2023, 'self_evaluate', '2024-03-01'], ['preschool', HEPING, 2023, 'city_assess', '2024-04-01'],
      ['preschool', HEPING, 2023, 'submit', '2024-05-01'],
      // 河东区: returned after its self-evaluation.
      ['balanced', HEDONG, 2023, 'self_evaluate', '2024-03-01'], ['balanced', HEDONG, 2023, 'return', '2024-04-01'],
      // 河西区: both certified, in different years.
      ['preschool', HEXI, 2022, 'self_evaluate', '2023-02-01'], ['preschool', HEXI, 2022, 'city_assess', '2023-03-01'],
      ['preschool', HEXI, 2022, 'submit', '2023-04-01'], ['preschool', HEXI, 2022, 'certify', '2023-12-20'],
      ['balanced', HEXI, 2023, 'self_evaluate', '2024-02-01'], ['balanced', HEXI, 2023, 'city_assess', '2024-03-01'],
      ['balanced', HEXI, 2023, 'submit', '2024-04-01'], ['balanced', HEXI, 2023, 'certify', '2024-12-01'],
    ];
    await store.db.insertInto('assessment_event').values(steps.map(event)).execute();
  });
  afterAll(async () => store?.dispose());

  it('a certified assessment is public with its dates and the verdict recorded when certified', async () => {
    const r = await certifiedAssessments(store, HEPING);
    expect(r).toEqual({
      district: HEPING,
      items: [{ kind: 'balanced', year: 2022, self_evaluated_on: '2023-03-01', city_assessed_on: '2023-05-10', submitted_on: '2023-06-01', certified_on: '2024-03-28', verdict: 'pass' }],
    });
  });

  it('nothing before certification is public: a submitted or returned assessment, expert comments and actors stay out', async () => {
    expect((await certifiedAssessments(store, HEPING)).items.map((i) => i.kind)).not.toContain('preschool');
    expect(await certifiedAssessments(store, HEDONG)).toEqual({ district: HEDONG, items: [] });
    expect(JSON.stringify(await certifiedAssessments(store, HEPING))).not.toMatch(/专家内部意见|内部意见|test/);
  });

  it('lists the newest academic year first', async () => {
    expect((await certifiedAssessments(store, HEXI)).items.map((i) => [i.kind, i.year])).toEqual([['balanced', 2023], ['preschool', 2022]]);
  });

  it('refuses a code that is not a Tianjin district with E_ORG_UNKNOWN', async () => {
    const e = await certifiedAssessments(store, '129999').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(EduplanError);
    expect((e as EduplanError).code).toBe('E_ORG_UNKNOWN');
  });
});
