/**
 * Plan execution (规划实施) over HTTP: thin routes over src/services/plan-execution, shapes from
 * src/contract/plan-execution.ts.
 *
 * Public (released figures only; accepted reports only):
 *   GET  /api/targets?year=                 every target: value, status, data path, reason
 *   GET  /api/tasks?year=&kind=             task areas, sub-tasks, 专栏: owners, status, reporting, targets
 *   GET  /api/projects?year=                the 19 专栏
 *   GET  /api/projects/:id?year=            one 专栏: targets, milestones, accepted reports
 *   GET  /api/registries                    the registries, their targets and entry counts
 *   GET  /api/target-releases?year=         every release of registry counts and entered values
 * Workspace (signed in; provisional figures; every change audited):
 *   GET  /api/workspace/targets|tasks|projects/:id   the same, provisional, with every report
 *   GET  /api/workspace/plan/due            what the caller's units owe; GET …/plan/late: who is late (city)
 *   GET|PUT /api/workspace/plan/units[/:code], PUT …/plan/owners/:item, PUT …/plan/milestones/:item/:code
 *   GET|POST /api/workspace/plan/reports, POST …/plan/reports/:id/review
 *   GET|PUT /api/workspace/targets/:target/values[/:year]   entered values, with evidence
 *   POST /api/workspace/plan-files (raw body), GET …/plan-files/:sha256
 *   registries: GET …/registries/:id/entries, PUT|DELETE …/entries/:code, POST …/entries/:code/review,
 *               GET …/registries/:id/template.xlsx, POST …/registries/:id/upload (raw .xlsx)
 *   GET|POST /api/workspace/target-releases
 */
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  assignOwnersRequest, createTargetReleaseRequest, dueResponse, enterValueParams, enterValueRequest, enteredValue, entriesQuery, entryParams, entryRow, fileRef, itemParams, lateResponse,
  milestoneParams, milestoneRow, projectDetail, projectParams, registryInfo, registryParams, reportParams, reportRow, reviewEntryRequest, reviewReportRequest, saveEntryRequest,
  saveMilestoneRequest, saveReportRequest, saveUnitRequest, targetRelease, targetsQuery, targetsResponse, tasksResponse, unitParams, unitRef,
} from '../../contract/plan-execution.ts';
import { EduplanError } from '../../core/errors.ts';
import { ensureFresh } from '../../services/recompute.ts';
import { actorRef, requireAt } from '../../services/plan-execution/access.ts';
import { readPlanFile, storePlanFile, MAX_PLAN_FILE_BYTES } from '../../services/plan-execution/files.ts';
import { deleteEntry, listEntries, registryInfos, reviewEntry, saveEntry } from '../../services/plan-execution/registries.ts';
import { registryTemplate, uploadRegistryWorkbook } from '../../services/plan-execution/registry-workbook.ts';
import { assignOwners, dueForCaller, lateUnits, listReports, listUnits, projectDetailOf, reviewReport, saveMilestone, saveReport, saveUnit, taskRowsOf } from '../../services/plan-execution/tasks.ts';
import { listTargetReleaseRecords, listTargetReleases, releaseTargetValues, targetRows } from '../../services/plan-execution/targets.ts';
import { enteredValues, enterTargetValue } from '../../services/plan-execution/values.ts';
import { measureOf } from '../../core/plan/data-path.ts';
import { planContext, targetOrThrow } from '../../services/plan-execution/context.ts';
import type { RouteModule } from '../deps.ts';
import { actorOf, authenticate } from '../auth.ts';
import { openapi, parseInput } from '../openapi.ts';
import { XLSX_MIME } from './forms.ts';

const tasksQuery = z.strictObject({ year: targetsQuery.shape.year, kind: z.enum(['area', 'subtask', 'project']).optional() });
const yearOnly = z.strictObject({ year: targetsQuery.shape.year });
const reportsQuery = z.strictObject({ item: z.string().max(80).optional(), unit: z.string().max(48).optional() });
const shaParams = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const targetParams = z.strictObject({ target: enterValueParams.shape.target });
const releasesQuery = z.strictObject({ year: targetsQuery.shape.year });

function fileNameOf(req: FastifyRequest, fallback: string): string {
  const h = req.headers['x-file-name'];
  const raw = (Array.isArray(h) ? h[0] : h) ?? fallback;
  let name = raw;
  try { name = decodeURIComponent(raw); } catch { /* keep raw */ }
  return name.replace(/[\\/\r\n\0]/g, '_').slice(0, 200) || fallback;
}

function bodyBytes(req: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(req.body)) throw new EduplanError('E_IMPORT_FILE_TYPE', { detail: 'send the file as the raw request body (Content-Type application/octet-stream)' });
  return req.body;
}

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock, log: { error: (fields: Record<string, unknown>, message: string) => app.log.error(fields, message) } };
  const noStore = (reply: FastifyReply): void => { reply.header('cache-control', 'no-store'); };
  /** Signed in and allowed to read plan execution (any scope); provisional figures brought up to date. */
  const workspaceRead = async (req: FastifyRequest): Promise<void> => {
    await authenticate(req, deps);
    await requireAt(sdeps, actorOf(req), 'plan.read', null, { type: 'plan', id: 'read' });
    await ensureFresh(sdeps);
  };

  // ---- public
  app.get('/api/targets', openapi({ summary: '规划全部目标的进展（已发布数据）/ Every plan target: released value, status, data path', tags: ['plan-execution'], query: targetsQuery, response: targetsResponse }), async (req) => {
    const q = parseInput(targetsQuery, req.query, 'query');
    return targetRows(deps.store, { year: q.year, view: 'public' });
  });
  app.get('/api/tasks', openapi({ summary: '主要任务、子任务与专栏的实施情况 / Task areas, sub-tasks and 专栏: owners, status, reporting, targets', tags: ['plan-execution'], query: tasksQuery, response: tasksResponse }), async (req) => {
    const q = parseInput(tasksQuery, req.query, 'query');
    return taskRowsOf(deps.store, { year: q.year, view: 'public', now: deps.clock(), ...(q.kind ? { kinds: [q.kind] } : {}) });
  });
  app.get('/api/projects', openapi({ summary: '19个专栏的实施情况 / The 19 专栏 projects', tags: ['plan-execution'], query: yearOnly, response: z.object({ year: z.number(), provisional: z.boolean(), projects: tasksResponse.shape.tasks }) }), async (req) => {
    const q = parseInput(yearOnly, req.query, 'query');
    const r = await taskRowsOf(deps.store, { year: q.year, view: 'public', now: deps.clock(), kinds: ['project'] });
    return { year: r.year, provisional: r.provisional, projects: r.tasks };
  });
  app.get('/api/projects/:id', openapi({ summary: '一个专栏：目标、节点与已审核的进展报告 / One 专栏: targets, milestones, accepted reports', tags: ['plan-execution'], params: projectParams, query: yearOnly, response: projectDetail }), async (req) => {
    const { id } = parseInput(projectParams, req.params, 'params');
    const q = parseInput(yearOnly, req.query, 'query');
    return projectDetailOf(deps.store, id, { year: q.year, view: 'public', now: deps.clock() });
  });
  app.get('/api/registries', openapi({ summary: '名录：字段、计数目标与条目数 / Registries: fields, the targets counting them, entries', tags: ['registries'], response: z.object({ registries: z.array(registryInfo) }) }), async () => ({ registries: await registryInfos(deps.store) }));
  app.get('/api/target-releases', openapi({ summary: '名录计数与填报值的发布记录 / Releases of registry counts and entered values', tags: ['plan-execution'], query: releasesQuery, response: z.object({ releases: z.array(targetRelease) }) }), async (req) => {
    const q = parseInput(releasesQuery, req.query, 'query');
    return { releases: await listTargetReleases(deps.store, q) };
  });

  // ---- workspace: reading (provisional)
  app.get('/api/workspace/targets', openapi({ summary: '规划目标进展（暂定数据）/ Plan targets on the provisional figures', tags: ['plan-execution'], query: targetsQuery, response: targetsResponse, auth: true }), async (req, reply) => {
    await workspaceRead(req);
    noStore(reply);
    const q = parseInput(targetsQuery, req.query, 'query');
    return targetRows(deps.store, { year: q.year, view: 'provisional' });
  });
  app.get('/api/workspace/tasks', openapi({ summary: '任务与专栏（暂定数据，含全部报告）/ Tasks and 专栏 on the provisional figures', tags: ['plan-execution'], query: tasksQuery, response: tasksResponse, auth: true }), async (req, reply) => {
    await workspaceRead(req);
    noStore(reply);
    const q = parseInput(tasksQuery, req.query, 'query');
    return taskRowsOf(deps.store, { year: q.year, view: 'provisional', now: deps.clock(), ...(q.kind ? { kinds: [q.kind] } : {}) });
  });
  app.get('/api/workspace/projects/:id', openapi({ summary: '一个专栏（暂定数据，含全部报告）/ One 专栏, provisional, with every report', tags: ['plan-execution'], params: projectParams, query: yearOnly, response: projectDetail, auth: true }), async (req, reply) => {
    await workspaceRead(req);
    noStore(reply);
    const { id } = parseInput(projectParams, req.params, 'params');
    const q = parseInput(yearOnly, req.query, 'query');
    return projectDetailOf(deps.store, id, { year: q.year, view: 'provisional', now: deps.clock() });
  });
  app.get('/api/workspace/plan/due', openapi({ summary: '本单位应报的报告与未完成的节点 / What my units owe: reports and open milestones', tags: ['plan-execution'], response: dueResponse, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    noStore(reply);
    return dueForCaller(sdeps, actorOf(req));
  });
  app.get('/api/workspace/plan/late', openapi({ summary: '谁逾期：各单位报告率与逾期事项（市级）/ Who is late: reporting rates and overdue items per unit (city)', tags: ['plan-execution'], response: lateResponse, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    noStore(reply);
    return lateUnits(sdeps, actorOf(req));
  });
  app.get('/api/workspace/plan/reports', openapi({ summary: '进展报告 / Progress reports', tags: ['plan-execution'], query: reportsQuery, response: z.object({ reports: z.array(reportRow) }), auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    await requireAt(sdeps, actorOf(req), 'plan.read', null, { type: 'plan_report', id: 'list' });
    noStore(reply);
    const q = parseInput(reportsQuery, req.query, 'query');
    return { reports: await listReports(deps.store, { ...(q.item ? { item: q.item } : {}), ...(q.unit ? { unit: q.unit } : {}) }) };
  });
  app.get('/api/workspace/plan/units', openapi({ summary: '责任单位 / Units owning plan items', tags: ['plan-execution'], response: z.object({ units: z.array(unitRef) }), auth: true }), async (req) => {
    await authenticate(req, deps);
    await requireAt(sdeps, actorOf(req), 'plan.read', null, { type: 'plan_unit', id: 'list' });
    return { units: await listUnits(deps.store) };
  });

  // ---- workspace: changes (each audited by its service)
  app.put('/api/workspace/plan/units/:code', openapi({ summary: '登记责任单位（市级）/ Register a unit (city)', tags: ['plan-execution'], params: unitParams, body: saveUnitRequest, response: unitRef, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { code } = parseInput(unitParams, req.params, 'params');
    return saveUnit(sdeps, actorOf(req), code, parseInput(saveUnitRequest, req.body, 'body'));
  });
  app.put('/api/workspace/plan/owners/:item', openapi({ summary: '分配牵头单位与配合单位（市级）/ Assign an item’s lead and co-units (city)', tags: ['plan-execution'], params: itemParams, body: assignOwnersRequest, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { item } = parseInput(itemParams, req.params, 'params');
    return assignOwners(sdeps, actorOf(req), item, parseInput(assignOwnersRequest, req.body, 'body'));
  });
  app.put('/api/workspace/plan/milestones/:item/:code', openapi({ summary: '设置节点（市级），或由责任单位登记完成 / Set a milestone (city), or record it done (owner)', tags: ['plan-execution'], params: milestoneParams, body: saveMilestoneRequest, response: milestoneRow, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { item, code } = parseInput(milestoneParams, req.params, 'params');
    return saveMilestone(sdeps, actorOf(req), item, code, parseInput(saveMilestoneRequest, req.body, 'body'));
  });
  app.post('/api/workspace/plan/reports', openapi({
    summary: '保存或报送进展报告 / Save or submit a progress report',
    description: 'Only an owner of the item reports on it, through accounts acting for that unit: a district reviewer for its own district only (403 otherwise, audited).',
    tags: ['plan-execution'], body: saveReportRequest, response: reportRow, auth: true,
  }), async (req) => {
    await authenticate(req, deps);
    return saveReport(sdeps, actorOf(req), parseInput(saveReportRequest, req.body, 'body'));
  });
  app.post('/api/workspace/plan/reports/:id/review', openapi({ summary: '审核进展报告：通过或退回（规划处）/ Review a report: accept or return (planning office)', tags: ['plan-execution'], params: reportParams, body: reviewReportRequest, response: reportRow, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(reportParams, req.params, 'params');
    return reviewReport(sdeps, actorOf(req), id, parseInput(reviewReportRequest, req.body, 'body'));
  });
  app.get('/api/workspace/targets/:target/values', openapi({ summary: '目标的填报值 / A target’s entered values', tags: ['plan-execution'], params: targetParams, response: z.object({ values: z.array(enteredValue) }), auth: true }), async (req) => {
    await authenticate(req, deps);
    await requireAt(sdeps, actorOf(req), 'plan.read', null, { type: 'plan_target', id: 'values' });
    const { target } = parseInput(targetParams, req.params, 'params');
    const t = targetOrThrow(await planContext(deps.store), target);
    return { values: await enteredValues(deps.store, measureOf(t.id, t.data_path)) };
  });
  app.put('/api/workspace/targets/:target/values/:year', openapi({ summary: '填报目标数值（附佐证材料）/ Enter a target’s value for a year, with evidence', tags: ['plan-execution'], params: enterValueParams, body: enterValueRequest, response: enteredValue, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { target, year } = parseInput(enterValueParams, req.params, 'params');
    return enterTargetValue(sdeps, actorOf(req), target, year, parseInput(enterValueRequest, req.body, 'body'));
  });

  // ---- registries
  app.get('/api/workspace/registries/:id/entries', openapi({ summary: '名录条目（本区或全市）/ A registry’s entries (your district, or all)', tags: ['registries'], params: registryParams, query: entriesQuery, response: z.object({ entries: z.array(entryRow) }), auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    noStore(reply);
    const { id } = parseInput(registryParams, req.params, 'params');
    return { entries: await listEntries(sdeps, actorOf(req), id, parseInput(entriesQuery, req.query, 'query')) };
  });
  app.put('/api/workspace/registries/:id/entries/:code', openapi({ summary: '新增或修改名录条目 / Create or change an entry', description: 'A district’s entry awaits the city’s approval; the city’s is approved. Every field validated by the registry’s schema.', tags: ['registries'], params: entryParams, body: saveEntryRequest, response: entryRow, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id, code } = parseInput(entryParams, req.params, 'params');
    return saveEntry(sdeps, actorOf(req), id, code, parseInput(saveEntryRequest, req.body, 'body'));
  });
  app.delete('/api/workspace/registries/:id/entries/:code', openapi({ summary: '删除名录条目 / Delete an entry', tags: ['registries'], params: entryParams, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id, code } = parseInput(entryParams, req.params, 'params');
    return deleteEntry(sdeps, actorOf(req), id, code);
  });
  app.post('/api/workspace/registries/:id/entries/:code/review', openapi({ summary: '审核名录条目：通过或退回（市级）/ Approve or return an entry (city)', tags: ['registries'], params: entryParams, body: reviewEntryRequest, response: entryRow, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id, code } = parseInput(entryParams, req.params, 'params');
    return reviewEntry(sdeps, actorOf(req), id, code, parseInput(reviewEntryRequest, req.body, 'body'));
  });
  app.get('/api/workspace/registries/:id/template.xlsx', openapi({ summary: '名录的 xlsx 模板（含现有条目）/ The registry’s xlsx template with its entries', tags: ['registries'], params: registryParams, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(registryParams, req.params, 'params');
    const t = await registryTemplate(sdeps, actorOf(req), id);
    reply.header('content-type', XLSX_MIME);
    reply.header('content-disposition', `attachment; filename="${t.fileName}"`);
    return reply.send(t.bytes);
  });
  app.get('/api/workspace/target-releases', openapi({ summary: '目标数值发布记录（含发布人）/ Target-value releases, with who released', tags: ['plan-execution'], query: releasesQuery, response: z.object({ releases: z.array(targetRelease) }), auth: true }), async (req) => {
    await authenticate(req, deps);
    return { releases: await listTargetReleaseRecords(sdeps, actorOf(req), parseInput(releasesQuery, req.query, 'query')) };
  });
  app.post('/api/workspace/target-releases', openapi({ summary: '发布某年的名录计数与填报值（市级）/ Release a year’s registry counts and entered values (city)', tags: ['plan-execution'], body: createTargetReleaseRequest, response: targetRelease, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const r = await releaseTargetValues(sdeps, actorOf(req), parseInput(createTargetReleaseRequest, req.body, 'body'));
    reply.status(201);
    return r;
  });
  app.get('/api/workspace/plan-files/:sha256', openapi({ summary: '下载佐证材料 / Download an evidence or designation document', tags: ['plan-execution'], params: shaParams, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    await requireAt(sdeps, actorOf(req), 'plan.read', null, { type: 'plan_file', id: 'read' });
    const { sha256 } = parseInput(shaParams, req.params, 'params');
    const f = await readPlanFile(deps.store.db, sha256);
    if (!f) throw new EduplanError('E_NOT_FOUND', { detail: `file ${sha256}` });
    reply.header('content-type', f.mime);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`);
    return reply.send(Buffer.from(f.content));
  });

  // Raw uploads (a document, a filled registry workbook): their own context, the body read as bytes.
  await app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: Math.min(deps.config.maxUploadBytes, MAX_PLAN_FILE_BYTES) }, (_req, body, done) => done(null, body));
    child.post('/api/workspace/plan-files', openapi({
      summary: '上传佐证材料或认定文件 / Upload an evidence or designation document',
      description: 'Body: the raw file (PDF, OFD, image, Word, Excel or text; at most 20 MB); header X-File-Name: its name, percent-encoded. Answers {sha256, name, bytes}: cite the sha256 in reports, entered values and registry entries.',
      tags: ['plan-execution'], response: fileRef, auth: true,
    }), async (req, reply) => {
      await authenticate(req, deps);
      const caller = actorOf(req);
      await requireAt(sdeps, caller, 'plan.report', null, { type: 'plan_file', id: 'upload' });
      const name = fileNameOf(req, 'evidence.pdf');
      const content = bodyBytes(req);
      const ref = await deps.store.transaction((tx) => storePlanFile(tx.db, deps.clock(), actorRef(caller), { name, content: new Uint8Array(content) }));
      reply.status(201);
      return ref;
    });
    child.post('/api/workspace/registries/:id/upload', openapi({
      summary: '上传填好的名录工作簿 / Upload a filled registry workbook',
      description: 'Body: the .xlsx from the template (raw). The whole registry (a district: its district’s entries) is replaced, all-or-nothing, every bad cell listed.',
      tags: ['registries'], params: registryParams, auth: true,
    }), async (req) => {
      await authenticate(req, deps);
      const { id } = parseInput(registryParams, req.params, 'params');
      return uploadRegistryWorkbook(sdeps, actorOf(req), id, bodyBytes(req), fileNameOf(req, `registry-${id}.xlsx`));
    });
  });
};

export default routes;
