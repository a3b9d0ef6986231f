/**
 * Sign-in routes: first-start setup, password step, TOTP step, sign-out, who am I,
 * password change. The session token travels only in the HttpOnly cookie.
 */
import { z } from 'zod';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';
import { roleNames } from '../../core/auth/roles.ts';
import { changePassword, completeTotp, createFirstAdmin, login, logout } from '../../services/auth.ts';
import { authDeps, authenticate, checkCsrf, clientIp, readCookie, SESSION_COOKIE, setSessionCookie } from '../auth.ts';
import { EduplanError } from '../../core/errors.ts';

const loginBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1024) });
const totpBody = z.object({ code: z.string().regex(/^\s*\d{6}\s*$/, '6 digits') });
const setupBody = z.object({ token: z.string().min(8).max(200), username: z.string().min(3).max(64), password: z.string().min(1).max(1024), displayName: z.string().max(100).optional() });
const passwordBody = z.object({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) });
const loginResponse = z.object({ state: z.enum(['ok', 'totp_required', 'totp_enrol']), otpauth: z.string().optional(), mustChangePassword: z.boolean() });

const routes: RouteModule = async (app, deps) => {
  app.post('/api/setup', openapi({ summary: '用一次性初始化令牌创建首个安全管理员 / Create the first security admin with the one-time setup token', tags: ['auth'], body: setupBody }), async (req) => {
    checkCsrf(req);
    const b = parseInput(setupBody, req.body, 'body');
    const r = await createFirstAdmin(authDeps(deps), { ...b, ip: clientIp(req) });
    return { id: r.id, username: b.username };
  });

  app.post('/api/auth/login', openapi({ summary: '登录（口令步骤）/ Sign in (password step)', tags: ['auth'], body: loginBody, response: loginResponse }), async (req, reply) => {
    checkCsrf(req);
    const b = parseInput(loginBody, req.body, 'body');
    const r = await login(authDeps(deps), { ...b, ip: clientIp(req) });
    setSessionCookie(reply, deps, r.token);
    return { state: r.state, ...(r.otpauth ? { otpauth: r.otpauth } : {}), mustChangePassword: r.mustChangePassword };
  });

  app.post('/api/auth/totp', openapi({ summary: '提交动态口令（第二因素）/ Send the one-time code (second factor)', tags: ['auth'], body: totpBody }), async (req, reply) => {
    checkCsrf(req);
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) throw new EduplanError('E_AUTH_REQUIRED');
    const b = parseInput(totpBody, req.body, 'body');
    const r = await completeTotp(authDeps(deps), { token, code: b.code, ip: clientIp(req) });
    setSessionCookie(reply, deps, r.token);
    return { state: 'ok' };
  });

  app.post('/api/auth/logout', openapi({ summary: '退出登录 / Sign out', tags: ['auth'], auth: true }), async (req, reply) => {
    const account = await authenticate(req, deps, { allowPartial: true, allowPasswordChange: true });
    await logout(authDeps(deps), account, clientIp(req));
    setSessionCookie(reply, deps, null);
    return { ok: true };
  });

  app.get('/api/auth/me', openapi({ summary: '当前账号与角色 / The signed-in account and its roles', tags: ['auth'], auth: true }), async (req) => {
    const a = await authenticate(req, deps, { allowPasswordChange: true });
    return {
      id: a.id, username: a.username, displayName: a.displayName, mustChangePassword: a.mustChangePassword,
      grants: a.grants.map((g) => ({ role: g.role, orgCode: g.orgCode, name_zh: roleNames[g.role].zh, name_en: roleNames[g.role].en })),
    };
  });

  app.post('/api/auth/password', openapi({ summary: '修改口令 / Change password', tags: ['auth'], body: passwordBody, auth: true }), async (req) => {
    const account = await authenticate(req, deps, { allowPasswordChange: true });
    const b = parseInput(passwordBody, req.body, 'body');
    await changePassword(authDeps(deps), account, { ...b, ip: clientIp(req) });
    return { ok: true };
  });
};

export default routes;
