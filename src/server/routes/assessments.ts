/**
 * Supervision assessments API (督导评估: 优质均衡 / 普及普惠). Everything a scorecard,
 * CV chart and what-if panel needs comes back in one answer per district and year.
 *
 * Reading needs a signed-in account whose grant covers the district (district reviewers,
 * city administrators, supervisors, analysts): a self-evaluation is internal until it is
 * certified. Entering items: the district's reviewer, or supervisors / city administrators.
 * Workflow: self_evaluate by the district; city_assess, submit, certify, return by the
 * city (supervisor / city_admin). Every write is audited.
 */
import { z } from 'zod';
import type { Role } from '../../core/auth/roles.ts';
import { assessmentCriteria } from '../../core/standards/balanced/criteria.ts';
import { auditAlone } from '../../services/audit.ts';
import { assessBalanced, assessBalancedInput, assessmentSchedule, assessPreschool, balancedVerdicts,  workflowActions } from '../../services/assessments.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { actorOf, authenticate, requireScope } from '../auth.ts';
import { enterAssessmentItems, recordAssessmentStep } from '../../services/assessment-workflow.ts';

const READERS: readonly Role[] = ['district_reviewer', 'city_admin', 'supervisor', 'analyst'];
const DISTRICT_WRITERS: readonly Role[] = ['district_reviewer', 'city_admin', 'supervisor'];
const CITY: readonly Role[] = ['city_admin', 'supervisor'];

const district = z.string().regex(/^\d{6}$/).describe('GB/T 2260 区代码, e.g. 120101');
const year = z.coerce.number().int().min(2000).max(2100).describe('学年 academic year, e.g. 2023 = 2023/24');
const districtYear = z.object({ district, year });
const balancedQuery = z.object({ district, year, what_if: z.enum(['true', 'false']).optional().describe('include what-if for failing levels (default true)') });
const kindParams = z.object({ kind: z.enum(['balanced', 'preschool']), district, year });
const itemsBody = z.object({ entries: z.array(z.object({ code: z.string(), value: z.number().nullable().optional(), met: z.boolean().nullable().optional(), evidence: z.array(z.object({ name: z.string(), url: z.string().optional(), sha256: z.string().optional(), bytes: z.number().optional() })).optional(), comment: z.string().optional() })) });
const workflowBody = z.object({
  action: z.enum(workflowActions),
  on_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('the date it happened, e.g. the certification date'),
  comment: z.string().max(4000).optional(),
  item_comments: z.record(z.string(), z.string().max(4000)).optional().describe('市级评估专家逐项意见 {item code: comment}'),
});
const scheduleQuery = z.object({ kind: z.enum(['balanced', 'preschool']), as_of: z.coerce.number().int().min(2000).max(2100).optional() });
const yearQuery = z.object({ year });
const exportQuery = z.object({ format: z.enum(['xlsx', 'pdf', 'html']).describe('xlsx: official-style workbook; pdf: printed by the system Chromium; html: the printable page') });
const exportMime = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', pdf: 'application/pdf', html: 'text/html; charset=utf-8' } as const;
const evaluateBody = z.object({ level: z.enum(['primary', 'junior']), schools: z.array(z.record(z.string(), z.unknown())) }).describe('Same document as `eduplan assess balanced --input`');

const routes: RouteModule = async (app, deps) => {
  app.get('/api/assessments/criteria', openapi({ summary: '评估标准（阈值、权重、排除规则，含来源与可信度）/ Assessment criteria with sources and confidence', tags: ['assessments'] }), async () => assessmentCriteria);

  app.get('/api/assessments/balanced', openapi({
    summary: '义务教育优质均衡评估（小学、初中两个学段）/ Balanced compulsory education assessment, both levels',
    description: '`levels.primary` and `levels.junior` each have exactly the shape of `eduplan assess balanced --input … --json`, plus `what_if` for a failing level; then items, parts, workflow and the verdict.',
    tags: ['assessments'], query: balancedQuery, auth: true,
  }), async (req) => {
    const q = parseInput(balancedQuery, req.query, 'query');
    await requireScope(req, deps, q.district, { roles: READERS });
    return assessBalanced(deps.store, { district: q.district, year: q.year, whatIf: q.what_if !== 'false' });
  });

  app.post('/api/assessments/balanced/evaluate', openapi({ summary: '对给定数据评估（整改模拟）/ Evaluate a district given directly (what-if panel)', tags: ['assessments'], body: evaluateBody, auth: true }), async (req) => {
    await authenticate(req, deps);
    return assessBalancedInput(req.body, 'body');
  });

  app.get('/api/assessments/preschool', openapi({ summary: '学前教育普及普惠评估 / Universal inclusive preschool assessment', tags: ['assessments'], query: districtYear, auth: true }), async (req) => {
    const q = parseInput(districtYear, req.query, 'query');
    await requireScope(req, deps, q.district, { roles: READERS });
    return assessPreschool(deps.store, q);
  });

  app.get('/api/assessments/verdicts', openapi({ summary: '16个区的优质均衡结论（义务教育优质均衡区比例的依据）/ Per-district balanced verdicts', tags: ['assessments'], query: yearQuery, auth: true }), async (req) => {
    const { year: y } = parseInput(yearQuery, req.query, 'query');
    await requireScope(req, deps, '120000', { roles: READERS });
    return { year: y, kpi_basis: assessmentCriteria.schedule.balanced.kpi_basis, districts: await balancedVerdicts(deps.store, y) };
  });

  app.get('/api/assessments/schedule', openapi({ summary: '评估认定进度与规划安排（专栏6、专栏7）/ Progress against the plan schedule', tags: ['assessments'], query: scheduleQuery, auth: true }), async (req) => {
    const q = parseInput(scheduleQuery, req.query, 'query');
    await requireScope(req, deps, '120000', { roles: READERS });
    return assessmentSchedule(deps.store, q.kind, q.as_of ?? deps.clock().getFullYear());
  });

  // Downloads for the browser workspace: the same files as `eduplan assess export`, read under the same grant as the JSON.
  app.get('/api/assessments/:kind/:district/:year/export', openapi({ summary: '下载评估结果表（xlsx / PDF / HTML）/ Download the assessment (xlsx, PDF or HTML)', tags: ['assessments'], params: kindParams, query: exportQuery, auth: true }), async (req, reply) => {
    const p = parseInput(kindParams, req.params, 'params');
    const { format } = parseInput(exportQuery, req.query, 'query');
    await requireScope(req, deps, p.district, { roles: READERS });
    const r = p.kind === 'balanced' ? await assessBalanced(deps.store, { district: p.district, year: p.year, whatIf: false }) : await assessPreschool(deps.store, p);
    let bytes: Buffer;
    if (format === 'xlsx') {
      const x = await import('../../reports/assessment-xlsx.ts');
      bytes = r.kind === 'balanced' ? await x.balancedWorkbook(r) : await x.preschoolWorkbook(r);
    } else {
      const h = await import('../../reports/assessment-html.ts');
      const html = r.kind === 'balanced' ? h.balancedHtml(r) : h.preschoolHtml(r);
      bytes = format === 'html' ? Buffer.from(html, 'utf8') : await (await import('../../reports/assessment-pdf.ts')).htmlToPdf(html);
    }
    const title = `${r.district_name_zh}${r.year}学年${p.kind === 'balanced' ? '优质均衡' : '普及普惠'}督导评估.${format}`;
    reply.header('content-type', exportMime[format]);
    // ASCII fallback name plus the Chinese name (RFC 6266 / 5987) for browsers that read filename*.
    reply.header('content-disposition', `attachment; filename="assessment_${p.kind}_${p.district}_${p.year}.${format}"; filename*=UTF-8''${encodeURIComponent(title)}`);
    return reply.send(bytes);
  });

  app.put('/api/assessments/:kind/:district/:year/items', openapi({ summary: '录入评估项及佐证 / Enter assessment items with evidence', tags: ['assessments'], params: kindParams, body: itemsBody, auth: true }), async (req) => {
    const p = parseInput(kindParams, req.params, 'params');
    await requireScope(req, deps, p.district, { roles: DISTRICT_WRITERS });
    const actor = actorOf(req);
    const r = await enterAssessmentItems(deps.store, { kind: p.kind, district: p.district, year: p.year, doc: req.body, file: 'body', actor: actor.account.username, clock: deps.clock });
    await auditAlone(deps.store, deps.clock(), { actorId: actor.account.id, actor: actor.account.username, action: 'assessment.items', outcome: 'success', objectType: `assessment_${p.kind}`, objectId: `${p.district}/${p.year}`, orgCode: p.district, ip: actor.ip, after: { entries: r.entries, changed: r.changed } });
    return r;
  });

  app.post('/api/assessments/:kind/:district/:year/workflow', openapi({ summary: '记录流程环节 / Record a workflow step', tags: ['assessments'], params: kindParams, body: workflowBody, auth: true }), async (req) => {
    const p = parseInput(kindParams, req.params, 'params');
    const b = parseInput(workflowBody, req.body, 'body');
    await requireScope(req, deps, p.district, { roles: b.action === 'self_evaluate' ? DISTRICT_WRITERS : CITY });
    const actor = actorOf(req);
    const r = await recordAssessmentStep(deps.store, { kind: p.kind, district: p.district, year: p.year, action: b.action, on_date: b.on_date, actor: actor.account.username, comment: b.comment ?? '', item_comments: b.item_comments ?? {}, clock: deps.clock });
    await auditAlone(deps.store, deps.clock(), { actorId: actor.account.id, actor: actor.account.username, action: `assessment.${b.action}`, outcome: 'success', objectType: `assessment_${p.kind}`, objectId: `${p.district}/${p.year}`, orgCode: p.district, ip: actor.ip, after: { state: r.state, on_date: b.on_date, verdict: r.verdict } });
    return r;
  });
};

export default routes;
