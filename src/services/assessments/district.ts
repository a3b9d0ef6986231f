/** Either assessment of one district, chosen by kind: what the workflow and the export need. */
import { assessmentCriteria, type AssessmentCriteria } from '../../core/standards/balanced/criteria.ts';
import type { AssessmentKind, DistrictResult } from '../../contract/assessments.ts';
import type { Store } from '../../store/store.ts';
import { assessBalanced } from './balanced.ts';
import { assessPreschool } from './preschool.ts';

/** No authorisation: callers check first. `whatIf` (优质均衡 only, default true) adds 整改测算 to a failing level. */
export function assessDistrict(store: Store, q: { kind: AssessmentKind; district: string; year: number; whatIf?: boolean }, criteria: AssessmentCriteria = assessmentCriteria): Promise<DistrictResult> {
  return q.kind === 'balanced'
    ? assessBalanced(store, { district: q.district, year: q.year, ...(q.whatIf === undefined ? {} : { whatIf: q.whatIf }) }, criteria)
    : assessPreschool(store, { district: q.district, year: q.year }, criteria);
}
