/** The audit log: read and verify, for the audit administrator only; reading is itself audited (AUD-07). */
import { z } from 'zod';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { appendAudit, listAudit, verifyAudit } from '../../services/audit.ts';
import { requireAction } from '../../services/accounts.ts';
import { actorOf, authenticate } from '../auth.ts';

const auditQuery = z.object({
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  objectType: z.string().max(50).optional(),
  objectId: z.string().max(100).optional(),
  orgCode: z.string().max(20).optional(),
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock };
  app.get('/api/audit', openapi({ summary: '查询审计日志 / Read the audit log', tags: ['audit'], query: auditQuery, auth: true }), async (req) => {
    await authenticate(req, deps);
    const actor = actorOf(req);
    await requireAction(sdeps, actor, 'audit.read');
    const q = parseInput(auditQuery, req.query, 'query');
    await deps.store.transaction((tx) => appendAudit(tx.db, deps.clock(), { actorId: actor.account.id, actor: actor.account.username, action: 'audit.read', outcome: 'success', ip: actor.ip, after: { ...q } }));
    return { events: await listAudit(deps.store.db, q) };
  });
  app.get('/api/audit/verify', openapi({ summary: '校验审计日志哈希链 / Verify the audit hash chain', tags: ['audit'], auth: true }), async (req) => {
    await authenticate(req, deps);
    const actor = actorOf(req);
    await requireAction(sdeps, actor, 'audit.verify');
    const r = await verifyAudit(deps.store.db);
    await deps.store.transaction((tx) => appendAudit(tx.db, deps.clock(), { actorId: actor.account.id, actor: actor.account.username, action: 'audit.verify', outcome: r.ok ? 'success' : 'failure', ip: actor.ip, after: { events: r.events, first_break: r.firstBreak ? r.firstBreak.seq : null } }));
    return r;
  });
};

export default routes;
