/**
 * Supervision assessments API (督导评估: 优质均衡 / 普及普惠): thin routes over
 * src/services/assessments/, shapes from src/contract/assessments.ts. Everything a
 * scorecard, CV chart and what-if panel needs comes back in one answer per district and year.
 *
 * Every route but the criteria needs a signed-in account; who may read, enter items and take
 * which workflow step is decided by the services (`assessmentRoles`, core/standards/balanced/workflow.ts), and a refusal
 * is audited there.
 */
import {
  assessmentParams, balancedDistrictResult, balancedQuery, districtYearQuery, evaluateBody, exportQuery, itemsEntryBody, itemsEntryResult, levelWithWhatIf,
  preschoolDistrictResult, scheduleQuery, scheduleResult, verdictsQuery, verdictsResponse, workflowStepBody, workflowStepResult,
} from '../../contract/assessments.ts';
import { assessmentCriteria, criteriaSchema } from '../../core/standards/balanced/criteria.ts';
import { balancedAssessment, districtVerdicts, evaluateBalanced } from '../../services/assessments/balanced.ts';
import { exportAssessment } from '../../services/assessments/export.ts';
import { preschoolAssessment } from '../../services/assessments/preschool.ts';
import { enterAssessmentItems, recordAssessmentStep, scheduleProgress } from '../../services/assessments/workflow.ts';
import type { ServiceDeps } from '../../services/deps.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { actorOf, authenticate } from '../auth.ts';

const routes: RouteModule = async (app, deps) => {
  const sdeps: ServiceDeps = { store: deps.store, clock: deps.clock, log: { error: (fields, message) => app.log.error(fields, message) } };

  app.get('/api/assessments/criteria', openapi({ summary: '评估标准（阈值、权重、排除规则，含来源与可信度）/ Assessment criteria with sources and confidence', tags: ['assessments'], response: criteriaSchema }), async () => assessmentCriteria);

  app.get('/api/assessments/balanced', openapi({
    summary: '义务教育优质均衡评估（小学、初中两个学段）/ Balanced compulsory education assessment, both levels',
    description: '`levels.primary` and `levels.junior` each have exactly the shape of `eduplan assess balanced --input … --json`, plus `what_if` for a failing level; then items, parts, workflow and the verdict.',
    tags: ['assessments'], query: balancedQuery, response: balancedDistrictResult, auth: true,
  }), async (req) => {
    const q = parseInput(balancedQuery, req.query, 'query');
    await authenticate(req, deps);
    return balancedAssessment(sdeps, actorOf(req), { district: q.district, year: q.year, what_if: q.what_if !== 'false' });
  });

  app.post('/api/assessments/balanced/evaluate', openapi({ summary: '对给定数据评估（整改模拟）/ Evaluate a district given directly (what-if panel)', tags: ['assessments'], body: evaluateBody, response: levelWithWhatIf, auth: true }), async (req) => {
    await authenticate(req, deps);
    return evaluateBalanced({ doc: req.body, file: 'body' });
  });

  app.get('/api/assessments/preschool', openapi({ summary: '学前教育普及普惠评估 / Universal inclusive preschool assessment', tags: ['assessments'], query: districtYearQuery, response: preschoolDistrictResult, auth: true }), async (req) => {
    const q = parseInput(districtYearQuery, req.query, 'query');
    await authenticate(req, deps);
    return preschoolAssessment(sdeps, actorOf(req), q);
  });

  app.get('/api/assessments/verdicts', openapi({ summary: '16个区的优质均衡结论（义务教育优质均衡区比例的依据）/ Per-district balanced verdicts', tags: ['assessments'], query: verdictsQuery, response: verdictsResponse, auth: true }), async (req) => {
    const q = parseInput(verdictsQuery, req.query, 'query');
    await authenticate(req, deps);
    return districtVerdicts(sdeps, actorOf(req), q);
  });

  app.get('/api/assessments/schedule', openapi({ summary: '评估认定进度与规划安排（专栏6、专栏7）/ Progress against the plan schedule', tags: ['assessments'], query: scheduleQuery, response: scheduleResult, auth: true }), async (req) => {
    const q = parseInput(scheduleQuery, req.query, 'query');
    await authenticate(req, deps);
    return scheduleProgress(sdeps, actorOf(req), q);
  });

  // The browser workspace's downloads, under the same grant as the JSON. They leave out the
  // what-if (整改测算) that `eduplan assess export` includes.
  app.get('/api/assessments/:kind/:district/:year/export', openapi({ summary: '下载评估结果表（xlsx / PDF / HTML）/ Download the assessment (xlsx, PDF or HTML)', tags: ['assessments'], params: assessmentParams, query: exportQuery, auth: true }), async (req, reply) => {
    const p = parseInput(assessmentParams, req.params, 'params');
    const { format } = parseInput(exportQuery, req.query, 'query');
    await authenticate(req, deps);
    const file = await exportAssessment(sdeps, actorOf(req), { ...p, format, what_if: false });
    reply.header('content-type', file.content_type);
    // ASCII fallback name plus the Chinese name (RFC 6266 / 5987) for browsers that read filename*.
    reply.header('content-disposition', `attachment; filename="${file.file_name}"; filename*=UTF-8''${encodeURIComponent(file.title)}`);
    return reply.send(file.bytes);
  });

  app.put('/api/assessments/:kind/:district/:year/items', openapi({ summary: '录入评估项及佐证 / Enter assessment items with evidence', tags: ['assessments'], params: assessmentParams, body: itemsEntryBody, response: itemsEntryResult, auth: true }), async (req) => {
    const p = parseInput(assessmentParams, req.params, 'params');
    await authenticate(req, deps);
    return enterAssessmentItems(sdeps, actorOf(req), { ...p, doc: req.body, file: 'body' });
  });

  app.post('/api/assessments/:kind/:district/:year/workflow', openapi({ summary: '记录流程环节 / Record a workflow step', tags: ['assessments'], params: assessmentParams, body: workflowStepBody, response: workflowStepResult, auth: true }), async (req) => {
    const p = parseInput(assessmentParams, req.params, 'params');
    const b = parseInput(workflowStepBody, req.body, 'body');
    await authenticate(req, deps);
    return recordAssessmentStep(sdeps, actorOf(req), { ...p, ...b });
  });
};

export default routes;
