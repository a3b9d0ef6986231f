/** Account administration: the security administrator only (三权分立); shapes from src/contract/accounts.ts. */
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import {
  accountIdParams, accountList, accountResponse, createAccountRequest, createAccountResponse, setDisabledRequest, setGrantsRequest,
} from '../../contract/accounts.ts';
import { createAccount, listAccounts, reissueActivation, resetSecondFactor, setDisabled, setGrants, unlockAccount } from '../../services/accounts.ts';
import { actorOf, authenticate } from '../auth.ts';

const routes: RouteModule = async (app, deps) => {
  const sdeps = { store: deps.store, clock: deps.clock };
  app.get('/api/accounts', openapi({ summary: '账号列表 / List accounts', tags: ['accounts'], response: accountList, auth: true }), async (req) => {
    await authenticate(req, deps);
    return { accounts: await listAccounts(sdeps, actorOf(req)) };
  });
  app.post('/api/accounts', openapi({ summary: '创建账号（返回一次性激活码，由用户本人设置口令）/ Create an account (returns a one-time activation token; the user sets their own password)', tags: ['accounts'], body: createAccountRequest, response: createAccountResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const b = parseInput(createAccountRequest, req.body, 'body');
    return createAccount(sdeps, actorOf(req), b);
  });
  app.post('/api/accounts/:id/activation', openapi({ summary: '重新发放激活码（仅限尚未激活的账号；旧激活码随即失效）/ Issue a new activation token (accounts not yet activated only; the earlier token stops working)', tags: ['accounts'], params: accountIdParams, response: createAccountResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(accountIdParams, req.params, 'params');
    return reissueActivation(sdeps, actorOf(req), { id });
  });
  app.post('/api/accounts/:id/totp/reset', openapi({ summary: '重置第二因素（TOTP）：该账号下次登录时重新绑定，现有会话结束 / Reset the second factor (TOTP): the account enrols again at its next sign-in; its sessions end', tags: ['accounts'], params: accountIdParams, response: accountResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(accountIdParams, req.params, 'params');
    const [account] = await resetSecondFactor(sdeps, actorOf(req), { id });
    return { account };
  });
  app.put('/api/accounts/:id/grants', openapi({ summary: '设置账号角色与范围 / Set an account\'s roles and scopes', tags: ['accounts'], params: accountIdParams, body: setGrantsRequest, response: accountResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(accountIdParams, req.params, 'params');
    const b = parseInput(setGrantsRequest, req.body, 'body');
    return { account: await setGrants(sdeps, actorOf(req), { id, grants: b.grants }) };
  });
  app.put('/api/accounts/:id/disabled', openapi({ summary: '停用或启用账号 / Disable or enable an account', tags: ['accounts'], params: accountIdParams, body: setDisabledRequest, response: accountResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(accountIdParams, req.params, 'params');
    const b = parseInput(setDisabledRequest, req.body, 'body');
    return { account: await setDisabled(sdeps, actorOf(req), { id, disabled: b.disabled }) };
  });
  app.post('/api/accounts/:id/unlock', openapi({ summary: '解除锁定 / Unlock an account', tags: ['accounts'], params: accountIdParams, response: accountResponse, auth: true }), async (req) => {
    await authenticate(req, deps);
    const { id } = parseInput(accountIdParams, req.params, 'params');
    return { account: await unlockAccount(sdeps, actorOf(req), { id }) };
  });
};

export default routes;
