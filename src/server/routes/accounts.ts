/** Account administration: the security administrator only (三权分立). */
import { z } from 'zod';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { roles } from '../../core/auth/roles.ts';
import { createAccount, listAccounts, setDisabled, setGrants, unlockAccount } from '../../services/accounts.ts';
import { actorOf, authenticate } from '../auth.ts';

const grant = z.object({ role: z.enum(roles), orgCode: z.string().regex(/^(\d{6}|\d{10})$/) });
const createBody = z.object({ username: z.string().min(3).max(64), displayName: z.string().max(100).optional(), grants: z.array(grant).max(50).optional() });
const grantsBody = z.object({ grants: z.array(grant).max(50) });
const disabledBody = z.object({ disabled: z.boolean() });
const idParams = z.object({ id: z.coerce.number().int().positive() });

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock };
  app.get('/api/accounts', openapi({ summary: '账号列表 / List accounts', tags: ['accounts'], auth: true }), async (req) => {
    await authenticate(req, deps);
    return { accounts: await listAccounts(sdeps, actorOf(req)) };
  });
  app.post('/api/accounts', openapi({ summary: '创建账号（返回一次性临时口令）/ Create an account (returns a one-time temporary password)', tags: ['accounts'], body: createBody, auth: true }), async (req) => {
    await authenticate(req, deps);
    const b = parseInput(createBody, req.body, 'body');
    return createAccount(sdeps, actorOf(req), b);
  });
  app.put('/api/accounts/:id/grants', openapi({ summary: '设置账号角色与范围 / Set an account\'s roles and scopes', tags: ['accounts'], params: idParams, body: grantsBody, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    const b = parseInput(grantsBody, req.body, 'body');
    return { account: await setGrants(sdeps, actorOf(req), id, b.grants) };
  });
  app.put('/api/accounts/:id/disabled', openapi({ summary: '停用或启用账号 / Disable or enable an account', tags: ['accounts'], params: idParams, body: disabledBody, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    const b = parseInput(disabledBody, req.body, 'body');
    return { account: await setDisabled(sdeps, actorOf(req), id, b.disabled) };
  });
  app.post('/api/accounts/:id/unlock', openapi({ summary: '解除锁定 / Unlock an account', tags: ['accounts'], params: idParams, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(idParams, req.params, 'params');
    return { account: await unlockAccount(sdeps, actorOf(req), id) };
  });
};

export default routes;
