/**
 * Sign-in (身份鉴别): first-start setup, the password and TOTP steps, the signed-in account,
 * password change. The session token travels only in the HttpOnly cookie, never in a body.
 */
import { z } from 'zod';
import { roles } from '../core/auth/roles.ts';

export const loginRequest = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1024) });
export const totpRequest = z.object({ code: z.string().regex(/^\s*\d{6}\s*$/, '6 digits') });
export const setupRequest = z.object({ token: z.string().min(8).max(200), username: z.string().min(3).max(64), password: z.string().min(1).max(1024), displayName: z.string().max(100).optional() });
export type SetupRequest = z.infer<typeof setupRequest>;
/** POST /api/auth/activate: a new account's one-time activation token and the password its user chooses. */
export const activateRequest = z.object({ token: z.string().min(16).max(200), password: z.string().min(1).max(1024) });
export type ActivateRequest = z.infer<typeof activateRequest>;
export const activateResponse = z.object({ username: z.string() });
export const passwordRequest = z.object({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) });
export type PasswordRequest = z.infer<typeof passwordRequest>;

/** `ok`: signed in. `totp_required`: send a code. `totp_enrol`: add `otpauth` to an authenticator app, then send a code. */
export const loginState = z.enum(['ok', 'totp_required', 'totp_enrol']);
export const loginResponse = z.object({ state: loginState, otpauth: z.string().optional(), mustChangePassword: z.boolean() });
export type LoginResponse = z.infer<typeof loginResponse>;
export const totpResponse = z.object({ state: z.literal('ok') });
export const okResponse = z.object({ ok: z.literal(true) });
export const setupResponse = z.object({ id: z.number().int(), username: z.string() });

/** GET /api/auth/me: the signed-in account and its roles, named in both languages. */
export const me = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  mustChangePassword: z.boolean(),
  grants: z.array(z.object({ role: z.enum(roles), orgCode: z.string(), name_zh: z.string(), name_en: z.string() })),
});
export type Me = z.infer<typeof me>;
