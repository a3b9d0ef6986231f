/**
 * The submission workflow API over src/services/submissions.ts, shapes from
 * src/contract/submissions.ts. Writes accept an `Idempotency-Key` header: district systems
 * that push data retry with the same key and get the first answer back
 * (`Idempotent-Replayed: true`), never a second write.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import {
  completenessResponse, deadlineParams, deadlineRequest, deadlineResponse, draftKeyParams, historyResponse, listSubmissionsQuery, reasonRequest,
  saveDraftRequest, submission, submissionIdParams, submissionList, submissionWithValidation, submitRequest, yearQuery,
} from '../../contract/submissions.ts';
import {
  approve, completeness, getSubmission, history, listSubmissions, lock, reopen, requestHash, returnSubmission, saveDraft, setDeadline, submit,
  type Idempotency, type Outcome,
} from '../../services/submissions.ts';
import { actorOf, authenticate } from '../auth.ts';

function idempotency(req: FastifyRequest): Idempotency | undefined {
  const h = req.headers['idempotency-key'];
  const key = Array.isArray(h) ? h[0] : h;
  if (key === undefined) return undefined;
  return { key, requestHash: requestHash(req.method, req.url.split('?')[0] ?? req.url, req.body) };
}

function send<T>(reply: FastifyReply, o: Outcome<T>): T {
  if (o.replayed) reply.header('idempotent-replayed', 'true');
  reply.status(o.status);
  return o.body;
}

const idemDoc = 'Send an Idempotency-Key header (e.g. a UUID) to make retries safe / 可带 Idempotency-Key 标头，重试不会重复写入';

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock };

  app.get('/api/submissions', openapi({ summary: '范围内的填报列表 / Submissions within your scope', tags: ['submissions'], query: listSubmissionsQuery, response: submissionList, auth: true }), async (req) => {
    await authenticate(req, deps);
    const q = parseInput(listSubmissionsQuery, req.query, 'query');
    return { submissions: await listSubmissions(sdeps, actorOf(req), q) };
  });

  app.get('/api/submissions/progress', openapi({ summary: '各区各表的完整性与及时性 / Completeness and timeliness per district and form', tags: ['submissions'], query: yearQuery, response: completenessResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const q = parseInput(yearQuery, req.query, 'query');
    return completeness(sdeps, actorOf(req), q);
  });

  app.put('/api/submissions/:orgCode/:formCode/:year', openapi({ summary: '保存草稿（学校或区系统推送）/ Save a draft (school, or a district system pushing)', description: idemDoc, tags: ['submissions'], params: draftKeyParams, body: saveDraftRequest, response: submissionWithValidation, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const p = parseInput(draftKeyParams, req.params, 'params');
    const b = parseInput(saveDraftRequest, req.body, 'body');
    return send(reply, await saveDraft(sdeps, actorOf(req), { ...p, values: b.values, comments: b.comments, idempotency: idempotency(req) }));
  });

  app.get('/api/submissions/:id', openapi({ summary: '一份填报及其校验结果 / One submission with its validation', tags: ['submissions'], params: submissionIdParams, response: submissionWithValidation, auth: true }), async (req) => {
    await authenticate(req, deps);
    return getSubmission(sdeps, actorOf(req), parseInput(submissionIdParams, req.params, 'params'));
  });

  app.get('/api/submissions/:id/history', openapi({ summary: '填报的修改与审核历史 / A submission\'s change and review history', tags: ['submissions'], params: submissionIdParams, response: historyResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    return { history: await history(sdeps, actorOf(req), parseInput(submissionIdParams, req.params, 'params')) };
  });

  app.post('/api/submissions/:id/submit', openapi({ summary: '上报（须签署填报人、审核人、单位负责人）/ Submit, signed by preparer, reviewer and head', description: idemDoc, tags: ['submissions'], params: submissionIdParams, body: submitRequest, response: submission, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(submissionIdParams, req.params, 'params');
    const b = parseInput(submitRequest, req.body, 'body');
    return send(reply, await submit(sdeps, actorOf(req), { id, signoffs: b.signoffs, idempotency: idempotency(req) }));
  });

  app.post('/api/submissions/:id/approve', openapi({ summary: '区审核通过 / District approves', description: `${idemDoc}. The X-Indicators header says whether the indicators were recomputed.`, tags: ['submissions'], params: submissionIdParams, response: submission, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(submissionIdParams, req.params, 'params');
    const r = await approve(sdeps, actorOf(req), { id, idempotency: idempotency(req) });
    reply.header('x-indicators', r.indicators);
    return send(reply, r);
  });

  app.post('/api/submissions/:id/return', openapi({ summary: '退回（须写原因）/ Return with a reason', description: idemDoc, tags: ['submissions'], params: submissionIdParams, body: reasonRequest, response: submission, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(submissionIdParams, req.params, 'params');
    const b = parseInput(reasonRequest, req.body, 'body');
    return send(reply, await returnSubmission(sdeps, actorOf(req), { id, reason: b.reason, idempotency: idempotency(req) }));
  });

  app.post('/api/submissions/:id/lock', openapi({ summary: '市级锁定 / City locks', description: idemDoc, tags: ['submissions'], params: submissionIdParams, response: submission, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(submissionIdParams, req.params, 'params');
    return send(reply, await lock(sdeps, actorOf(req), { id, idempotency: idempotency(req) }));
  });

  app.post('/api/submissions/:id/reopen', openapi({ summary: '重新打开已锁定的填报（须写原因）/ Reopen a locked submission with a reason', description: idemDoc, tags: ['submissions'], params: submissionIdParams, body: reasonRequest, response: submission, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(submissionIdParams, req.params, 'params');
    const b = parseInput(reasonRequest, req.body, 'body');
    return send(reply, await reopen(sdeps, actorOf(req), { id, reason: b.reason, idempotency: idempotency(req) }));
  });

  app.put('/api/deadlines/:formCode/:year', openapi({ summary: '设置报表截止时间 / Set a form\'s deadline for a year', tags: ['submissions'], params: deadlineParams, body: deadlineRequest, response: deadlineResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const p = parseInput(deadlineParams, req.params, 'params');
    const b = parseInput(deadlineRequest, req.body, 'body');
    return setDeadline(sdeps, actorOf(req), { ...p, dueAt: b.dueAt });
  });
};

export default routes;
