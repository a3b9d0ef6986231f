/**
 * Accounts and roles (账号与角色): what the security administrator sends and gets back
 * (/api/accounts…), and the operator's console listing (`eduplan accounts list`).
 */
import { z } from 'zod';
import { roles } from '../core/auth/roles.ts';

/** One role held at one org unit (a grant at a district covers its schools). */
export const grant = z.object({ role: z.enum(roles), orgCode: z.string().regex(/^(\d{6}|\d{10})$/) });
export type GrantShape = z.infer<typeof grant>;

export const accountIdParams = z.object({ id: z.coerce.number().int().positive() });
export const createAccountRequest = z.object({ username: z.string().min(3).max(64), displayName: z.string().max(100).optional(), grants: z.array(grant).max(50).optional() });
export type CreateAccountRequest = z.infer<typeof createAccountRequest>;
export const setGrantsRequest = z.object({ grants: z.array(grant).max(50) });
export const setDisabledRequest = z.object({ disabled: z.boolean() });

export const accountView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  grants: z.array(grant),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  totpEnrolled: z.boolean(),
  mustChangePassword: z.boolean(),
});
export type AccountView = z.infer<typeof accountView>;
export const accountResponse = z.object({ account: accountView });
export const accountList = z.object({ accounts: z.array(accountView) });
export const createAccountResponse = z.object({
  account: accountView,
  activation: z.object({
    token: z.string().describe('Shown once: the user redeems it (POST /api/auth/activate) to set their own password; the security administrator never sees or sets it'),
    expiresAt: z.string(),
  }),
});
export type CreateAccountResponse = z.infer<typeof createAccountResponse>;

/** `eduplan accounts list --json`: the operator's view, with the second factor in words. */
export const accountSummary = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  totp: z.enum(['enrolled', 'exempt (demo)', 'not enrolled']),
  grants: z.array(grant),
});
export type AccountSummary = z.infer<typeof accountSummary>;

/** An account by its id (the API) or its user name (the operator's console). */
export type AccountRef = { id: number } | { username: string };

/** `eduplan setup demo --json` and the demo's first start: the documented demo accounts. */
export const demoAccount = z.object({ username: z.string(), role: z.string(), orgCode: z.string() });
export type DemoAccount = z.infer<typeof demoAccount>;
