/**
 * The assessment use cases that change what the indicators read (督导评估录入与流程): entering
 * a district's items and recording a workflow step. Each runs the assessment service's step
 * (which marks the year stale in its own transaction) and then the one recompute policy
 * (services/recompute.ts), so 义务教育优质均衡区比例 follows a certification without a manual
 * recompute. Routes, the CLI and the demo call these, never the steps directly.
 */
import { assessmentCriteria, type AssessmentCriteria } from '../core/standards/balanced/criteria.ts';
import { enterItems, recordWorkflow, type WorkflowStep } from './assessments.ts';
import { afterDataChanged, type RecomputeOutcome } from './recompute.ts';
import type { ServiceLog } from './deps.ts';

type EnterQuery = Parameters<typeof enterItems>[1];

export async function enterAssessmentItems(store: Parameters<typeof enterItems>[0], q: EnterQuery & { readonly log?: ServiceLog }, criteria: AssessmentCriteria = assessmentCriteria): Promise<Awaited<ReturnType<typeof enterItems>> & { indicators: RecomputeOutcome['status'] }> {
  const r = await enterItems(store, q, criteria);
  const indicators = r.changed > 0 ? (await afterDataChanged({ store, clock: q.clock, ...(q.log ? { log: q.log } : {}) })).status : 'unchanged';
  return { ...r, indicators };
}

export async function recordAssessmentStep(store: Parameters<typeof recordWorkflow>[0], s: WorkflowStep & { readonly log?: ServiceLog }, criteria: AssessmentCriteria = assessmentCriteria): Promise<Awaited<ReturnType<typeof recordWorkflow>> & { indicators: RecomputeOutcome['status'] }> {
  const r = await recordWorkflow(store, s, criteria);
  const indicators = (await afterDataChanged({ store, clock: s.clock, ...(s.log ? { log: s.log } : {}) })).status;
  return { ...r, indicators };
}
