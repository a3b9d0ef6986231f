/**
 * The submission workflow API. Writes accept an `Idempotency-Key` header: district systems
 * that push data retry with the same key and get the first answer back
 * (`Idempotent-Replayed: true`), never a second write.
 */
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { submissionStates } from '../../core/workflow/submission.ts';
import {
  approve, getSubmission, history, listSubmissions, lock, progress, reopen, requestHash, returnSubmission, saveDraft, setDeadline, submit,
  type Idempotency, type Outcome,
} from '../../services/submissions.ts';
import { actorOf, authenticate } from '../auth.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const keyParams = z.object({ orgCode: z.string().regex(/^\d{10}$/), formCode: z.string().min(1).max(64), year: z.coerce.number().int().min(2000).max(2100) });
const saveBody = z.object({
  values: z.record(z.string(), z.number().nullable()).describe('{element code: number | null}'),
  comments: z.record(z.string(), z.string().max(2000)).optional().describe('{element code: explanation} (说明)'),
});
const signoffs = z.object({ preparer: z.string().min(1).max(100).describe('填报人'), reviewer: z.string().min(1).max(100).describe('审核人'), head: z.string().min(1).max(100).describe('单位负责人') });
const submitBody = z.object({ signoffs });
const reasonBody = z.object({ reason: z.string().min(1).max(2000) });
const listQuery = z.object({
  year: z.coerce.number().int().optional(), formCode: z.string().max(64).optional(), state: z.enum(submissionStates).optional(),
  districtCode: z.string().regex(/^\d{6}$/).optional(), limit: z.coerce.number().int().min(1).max(5000).optional(), offset: z.coerce.number().int().min(0).optional(),
});
const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const deadlineParams = z.object({ formCode: z.string().min(1).max(64), year: z.coerce.number().int().min(2000).max(2100) });
const deadlineBody = z.object({ dueAt: z.string().min(10).max(40).describe('ISO 8601, e.g. 2024-10-15T17:00:00+08:00') });

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

  app.get('/api/submissions', openapi({ summary: '范围内的填报列表 / Submissions within your scope', tags: ['submissions'], query: listQuery, auth: true }), async (req) => {
    await authenticate(req, deps);
    const q = parseInput(listQuery, req.query, 'query');
    return { submissions: await listSubmissions(sdeps, actorOf(req), q) };
  });

  app.get('/api/submissions/progress', openapi({ summary: '各区各表的完整性与及时性 / Completeness and timeliness per district and form', tags: ['submissions'], query: yearQuery, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { year } = parseInput(yearQuery, req.query, 'query');
    return { year, cells: await progress(sdeps, actorOf(req), year) };
  });

  app.put('/api/submissions/:orgCode/:formCode/:year', openapi({ summary: '保存草稿（学校或区系统推送）/ Save a draft (school, or a district system pushing)', description: idemDoc, tags: ['submissions'], params: keyParams, body: saveBody, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const p = parseInput(keyParams, req.params, 'params');
    const b = parseInput(saveBody, req.body, 'body');
    return send(reply, await saveDraft(sdeps, actorOf(req), { ...p, values: b.values, comments: b.comments }, idempotency(req)));
  });

  app.get('/api/submissions/:id', openapi({ summary: '一份填报及其校验结果 / One submission with its validation', tags: ['submissions'], params: idParams, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    return getSubmission(sdeps, actorOf(req), id);
  });

  app.get('/api/submissions/:id/history', openapi({ summary: '填报的修改与审核历史 / A submission\'s change and review history', tags: ['submissions'], params: idParams, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    return { history: await history(sdeps, actorOf(req), id) };
  });

  app.post('/api/submissions/:id/submit', openapi({ summary: '上报（须签署填报人、审核人、单位负责人）/ Submit, signed by preparer, reviewer and head', description: idemDoc, tags: ['submissions'], params: idParams, body: submitBody, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    const b = parseInput(submitBody, req.body, 'body');
    return send(reply, await submit(sdeps, actorOf(req), id, b, idempotency(req)));
  });

  app.post('/api/submissions/:id/approve', openapi({ summary: '区审核通过 / District approves', description: idemDoc, tags: ['submissions'], params: idParams, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    const r = await approve(sdeps, actorOf(req), id, idempotency(req));
    reply.header('x-indicators', r.indicators);
    return send(reply, r);
  });

  app.post('/api/submissions/:id/return', openapi({ summary: '退回（须写原因）/ Return with a reason', description: idemDoc, tags: ['submissions'], params: idParams, body: reasonBody, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    const b = parseInput(reasonBody, req.body, 'body');
    return send(reply, await returnSubmission(sdeps, actorOf(req), id, b.reason, idempotency(req)));
  });

  app.post('/api/submissions/:id/lock', openapi({ summary: '市级锁定 / City locks', description: idemDoc, tags: ['submissions'], params: idParams, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    return send(reply, await lock(sdeps, actorOf(req), id, idempotency(req)));
  });

  app.post('/api/submissions/:id/reopen', openapi({ summary: '重新打开已锁定的填报（须写原因）/ Reopen a locked submission with a reason', description: idemDoc, tags: ['submissions'], params: idParams, body: reasonBody, auth: true }), async (req, reply) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    const b = parseInput(reasonBody, req.body, 'body');
    return send(reply, await reopen(sdeps, actorOf(req), id, b.reason, idempotency(req)));
  });

  app.put('/api/deadlines/:formCode/:year', openapi({ summary: '设置报表截止时间 / Set a form\'s deadline for a year', tags: ['submissions'], params: deadlineParams, body: deadlineBody, auth: true }), async (req) => {
    await authenticate(req, deps);
    const p = parseInput(deadlineParams, req.params, 'params');
    const b = parseInput(deadlineBody, req.body, 'body');
    return setDeadline(sdeps, actorOf(req), p.formCode, p.year, b.dueAt);
  });
};

export default routes;
