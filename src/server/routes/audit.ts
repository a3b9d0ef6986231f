/**
 * The audit log: read, verify (against a checkpoint too) and take a signed checkpoint, for
 * the audit administrator only; reading is itself audited (AUD-07).
 */
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { auditList, auditQuery, checkpoint, verifyRequest, verifyResult } from '../../contract/audit.ts';
import { checkpointLog, readLog, verifyLog } from '../../services/audit.ts';
import { actorOf, authenticate } from '../auth.ts';

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock };
  app.get('/api/audit', openapi({ summary: '查询审计日志 / Read the audit log', tags: ['audit'], query: auditQuery, response: auditList, auth: true }), async (req) => {
    await authenticate(req, deps);
    const q = parseInput(auditQuery, req.query, 'query');
    return { events: await readLog(sdeps, actorOf(req), q) };
  });
  app.get('/api/audit/verify', openapi({ summary: '校验审计日志哈希链 / Verify the audit hash chain', tags: ['audit'], response: verifyResult, auth: true }), async (req) => {
    await authenticate(req, deps);
    return verifyLog(sdeps, actorOf(req));
  });
  app.post('/api/audit/verify', openapi({ summary: '校验审计日志哈希链，并核对锚点 / Verify the audit hash chain against a checkpoint', tags: ['audit'], body: verifyRequest, response: verifyResult, auth: true }), async (req) => {
    await authenticate(req, deps);
    return verifyLog(sdeps, actorOf(req), parseInput(verifyRequest, req.body, 'body'));
  });
  app.post('/api/audit/checkpoint', openapi({ summary: '生成签名的审计日志锚点（保存到本机以外）/ A signed checkpoint of the audit log (keep it off this machine)', tags: ['audit'], response: checkpoint, auth: true }), async (req) => {
    await authenticate(req, deps);
    return checkpointLog(sdeps, actorOf(req));
  });
};

export default routes;
