/**
 * Sign-in routes: first-start setup, password step, TOTP step, sign-out, who am I,
 * password change; shapes from src/contract/auth.ts. The session token travels only in
 * the HttpOnly cookie.
 */
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { activateRequest, activateResponse, loginRequest, loginResponse, me, okResponse, passwordRequest, setupRequest, setupResponse, totpRequest, totpResponse } from '../../contract/auth.ts';
import { activateAccount, changePassword, completeTotp, createFirstAdmin, login, logout, whoAmI } from '../../services/auth.ts';
import { actorOf, authDeps, authenticate, checkCsrf, clientIp, readCookie, SESSION_COOKIE, setSessionCookie } from '../auth.ts';
import { EduplanError } from '../../core/errors.ts';

const routes: RouteModule = async (app, deps) => {
  app.post('/api/setup', openapi({ summary: '用一次性初始化令牌创建首个安全管理员 / Create the first security admin with the one-time setup token', tags: ['auth'], body: setupRequest, response: setupResponse }), async (req) => {
    checkCsrf(req);
    const b = parseInput(setupRequest, req.body, 'body');
    const r = await createFirstAdmin(authDeps(deps), { ...b, ip: clientIp(req) });
    return { id: r.id, username: b.username };
  });

  app.post('/api/auth/activate', openapi({ summary: '用激活码激活新账号并设置口令 / Activate a new account with its one-time token and set its password', tags: ['auth'], body: activateRequest, response: activateResponse }), async (req) => {
    checkCsrf(req);
    const b = parseInput(activateRequest, req.body, 'body');
    return activateAccount(authDeps(deps), { ...b, ip: clientIp(req) });
  });

  app.post('/api/auth/login', openapi({ summary: '登录（口令步骤）/ Sign in (password step)', tags: ['auth'], body: loginRequest, response: loginResponse }), async (req, reply) => {
    checkCsrf(req);
    const b = parseInput(loginRequest, req.body, 'body');
    const r = await login(authDeps(deps), { ...b, ip: clientIp(req) });
    setSessionCookie(reply, deps, r.token);
    return { state: r.state, ...(r.otpauth ? { otpauth: r.otpauth } : {}), mustChangePassword: r.mustChangePassword };
  });

  app.post('/api/auth/totp', openapi({ summary: '提交动态口令（第二因素）/ Send the one-time code (second factor)', tags: ['auth'], body: totpRequest, response: totpResponse }), async (req, reply) => {
    checkCsrf(req);
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) throw new EduplanError('E_AUTH_REQUIRED');
    const b = parseInput(totpRequest, req.body, 'body');
    const r = await completeTotp(authDeps(deps), { token, code: b.code, ip: clientIp(req) });
    setSessionCookie(reply, deps, r.token);
    return { state: 'ok' };
  });

  app.post('/api/auth/logout', openapi({ summary: '退出登录 / Sign out', tags: ['auth'], response: okResponse, auth: true }), async (req, reply) => {
    await authenticate(req, deps, { allowPartial: true, allowPasswordChange: true });
    await logout(authDeps(deps), actorOf(req));
    setSessionCookie(reply, deps, null);
    return { ok: true };
  });

  app.get('/api/auth/me', openapi({ summary: '当前账号与角色 / The signed-in account and its roles', tags: ['auth'], response: me, auth: true }), async (req) => {
    await authenticate(req, deps, { allowPasswordChange: true });
    return whoAmI(actorOf(req));
  });

  app.post('/api/auth/password', openapi({ summary: '修改口令 / Change password', tags: ['auth'], body: passwordRequest, response: okResponse, auth: true }), async (req) => {
    await authenticate(req, deps, { allowPasswordChange: true });
    const b = parseInput(passwordRequest, req.body, 'body');
    await changePassword(authDeps(deps), actorOf(req), b);
    return { ok: true };
  });
};

export default routes;
