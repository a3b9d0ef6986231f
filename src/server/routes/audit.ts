/** The audit log: read and verify, for the audit administrator only; reading is itself audited (AUD-07). */
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { auditList, auditQuery, verifyResult } from '../../contract/audit.ts';
import { readLog, verifyLog } from '../../services/audit.ts';
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
};

export default routes;
