/**
 * The public side of the supervision assessments (督导评估公开): a district's results once
 * nationally certified (认定). Before that a result is a self-evaluation or a city opinion,
 * internal to the workspace (assessmentRoles.read), so nothing else leaves this function.
 *
 * The verdict published is the one recorded with the certification (assessment_event.verdict),
 * not a fresh computation: what was certified does not move when school data changes later.
 */
import { workflowStatus, type WorkflowEvent } from '../../core/standards/balanced/workflow.ts';
import type { AssessmentKind, VerdictStatus as VerdictStatusShape } from '../../contract/assessments.ts';
import type { DistrictAssessments, PublicAssessment } from '../../contract/portal.ts';
import type { Store } from '../../store/store.ts';
import { checkDistrict, toEvent } from './stored.ts';

const verdicts: readonly VerdictStatusShape[] = ['pass', 'fail', 'incomplete'];

function recordedVerdict(raw: unknown): VerdictStatusShape {
  const v = (typeof raw === 'string' ? JSON.parse(raw) as unknown : raw) as { verdict?: unknown } | null;
  // A certification is only recorded on a passing verdict (recordWorkflow), so that is the fallback.
  return verdicts.find((x) => x === v?.verdict) ?? 'pass';
}

/** The certified assessments of one district, newest academic year first (优质均衡 before 普及普惠 within a year). */
export async function certifiedAssessments(store: Store, district: string): Promise<DistrictAssessments> {
  await checkDistrict(store, district);
  const rows = await store.db.selectFrom('assessment_event')
    .select(['kind', 'year', 'action', 'on_date', 'actor', 'comment', 'item_comments', 'verdict'])
    .where('district_code', '=', district).orderBy('id').execute();
  const byKey = new Map<string, { kind: AssessmentKind; year: number; events: WorkflowEvent[]; verdict: unknown }>();
  for (const r of rows) {
    const key = `${r.kind}:${r.year}`;
    const entry = byKey.get(key) ?? { kind: r.kind, year: Number(r.year), events: [], verdict: null };
    entry.events.push(toEvent(r));
    if (r.action === 'certify') entry.verdict = r.verdict;
    byKey.set(key, entry);
  }
  const items: PublicAssessment[] = [];
  for (const e of byKey.values()) {
    const st = workflowStatus(e.events);
    // 认定 ends the workflow (no step leaves it), so the state is the test.
    if (st.state !== 'certified' || st.certified_on === null) continue;
    items.push({
      kind: e.kind, year: e.year,
      self_evaluated_on: st.self_evaluated_on, city_assessed_on: st.city_assessed_on, submitted_on: st.submitted_on,
      certified_on: st.certified_on, verdict: recordedVerdict(e.verdict),
    });
  }
  items.sort((a, b) => b.year - a.year || (a.kind === b.kind ? 0 : a.kind === 'balanced' ? -1 : 1));
  return { district, items };
}
