/**
 * The signed-in API the workspace calls (src/server/routes/{auth,submissions,forms}.ts),
 * with the request and response types of src/contract. Every state-changing request carries `X-Requested-With: eduplan` (the server's CSRF
 * check); the session travels only in its HttpOnly cookie. A 401 on a signed-in page means
 * the session ended (idle timeout, 30 min): `onSessionEnded` lets the shell say so.
 */
import { ApiError } from '../api.ts';
import type { Problem } from '../../core/errors.ts';
import type { FormDef } from '../../core/forms/index.ts';
import type { ValidationResult } from '../../core/validation/engine.ts';
import type { SignOffs } from '../../core/workflow/submission.ts';
import type { LoginResponse, Me } from '../../contract/auth.ts';
import type { FormSummary, UploadResponse } from '../../contract/forms.ts';
import type { OrgUnit, OrgUnitsQuery } from '../../contract/org-units.ts';
import type { CompletenessCell, HistoryEntry, ListSubmissionsQuery, Submission, SubmissionListItem, SubmissionWithValidation } from '../../contract/submissions.ts';

export type { HistoryEntry, Me, Submission, SubmissionWithValidation, OrgUnit };
export type ListItem = SubmissionListItem;
export type UploadAnswer = UploadResponse;
export type Values = Submission['values'];
export type Comments = Submission['comments'];

/** An API refusal with the problems the server listed (file, sheet, row, column, rule…). */
export class WsApiError extends ApiError {
  constructor(status: number, code: string, zh: string, en: string, readonly problems: Problem[]) {
    super(status, code, zh, en);
  }
}

let sessionEnded: (() => void) | null = null;
/** The shell registers what to do when a signed-in request comes back 401. */
export function onSessionEnded(fn: (() => void) | null): void {
  sessionEnded = fn;
}

interface ErrorBody { error?: { code?: string; message_zh?: string; message_en?: string; problems?: Problem[] } }

/**
 * A fresh Idempotency-Key (128 random bits, hex). getRandomValues, not randomUUID: the
 * latter exists only in secure contexts, and a school's intranet may serve plain HTTP.
 */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, opts: { raw?: Blob; rawType?: string; fileName?: string; quiet401?: boolean; idempotencyKey?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'eduplan' };
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let payload: BodyInit | undefined;
  if (opts.raw) {
    headers['content-type'] = opts.rawType ?? 'application/octet-stream';
    if (opts.fileName) headers['x-file-name'] = encodeURIComponent(opts.fileName);
    payload = opts.raw;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(payload !== undefined ? { body: payload } : {}) });
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (parsed as ErrorBody | null)?.error;
    const code = e?.code ?? `HTTP_${res.status}`;
    if (res.status === 401 && !opts.quiet401 && code === 'E_AUTH_REQUIRED') sessionEnded?.();
    throw new WsApiError(res.status, code, e?.message_zh ?? `请求失败：${path}`, e?.message_en ?? `request failed: ${path}`, e?.problems ?? []);
  }
  return parsed as T;
}

/** A binary answer (the marked workbook) as a Blob. */
async function callBlob(path: string, file: Blob, fileName: string): Promise<Blob> {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'x-requested-with': 'eduplan', 'content-type': XLSX_MIME, 'x-file-name': encodeURIComponent(fileName) }, body: file });
  if (!res.ok) {
    const e = ((await res.json().catch(() => null)) as ErrorBody | null)?.error;
    throw new WsApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message_zh ?? '请求失败', e?.message_en ?? 'request failed', e?.problems ?? []);
  }
  return res.blob();
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const qs = (p: Record<string, string | number | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : '';
};

export const wsApi = {
  me: () => call<Me>('GET', '/api/auth/me', undefined, { quiet401: true }),
  login: (username: string, password: string) => call<LoginResponse>('POST', '/api/auth/login', { username, password }, { quiet401: true }),
  totp: (code: string) => call<{ state: 'ok' }>('POST', '/api/auth/totp', { code }, { quiet401: true }),
  logout: () => call<{ ok: true }>('POST', '/api/auth/logout', undefined, { quiet401: true }),
  activate: (token: string, password: string) => call<{ username: string }>('POST', '/api/auth/activate', { token, password }, { quiet401: true }),
  changePassword: (current: string, next: string) => call<{ ok: true }>('POST', '/api/auth/password', { current, next }),
  forms: async () => (await call<{ forms: FormSummary[] }>('GET', '/api/forms')).forms,
  form: async (code: string) => (await call<{ form: FormDef }>('GET', `/api/forms/${encodeURIComponent(code)}`)).form,
  validate: (code: string, orgCode: string, year: number, values: Values, comments: Comments) =>
    call<ValidationResult>('POST', `/api/forms/${encodeURIComponent(code)}/validate`, { orgCode, year, values, comments }),
  list: async (q: Pick<ListSubmissionsQuery, 'year' | 'formCode' | 'state' | 'districtCode'>) =>
    (await call<{ submissions: ListItem[] }>('GET', `/api/submissions${qs(q)}`)).submissions,
  get: (id: number) => call<SubmissionWithValidation>('GET', `/api/submissions/${id}`),
  history: async (id: number) => (await call<{ history: HistoryEntry[] }>('GET', `/api/submissions/${id}/history`)).history,
  /** `idempotencyKey`: the same for a repeat of the same save (a double click), so the server writes once. */
  save: (orgCode: string, formCode: string, year: number, values: Values, comments: Comments, idempotencyKey: string) =>
    call<SubmissionWithValidation>('PUT', `/api/submissions/${orgCode}/${encodeURIComponent(formCode)}/${year}`, { values, comments }, { idempotencyKey }),
  submit: (id: number, signoffs: SignOffs) => call<Submission>('POST', `/api/submissions/${id}/submit`, { signoffs }),
  approve: (id: number) => call<Submission>('POST', `/api/submissions/${id}/approve`, {}),
  returnIt: (id: number, reason: string) => call<Submission>('POST', `/api/submissions/${id}/return`, { reason }),
  lock: (id: number) => call<Submission>('POST', `/api/submissions/${id}/lock`, {}),
  reopen: (id: number, reason: string) => call<Submission>('POST', `/api/submissions/${id}/reopen`, { reason }),
  progress: async (year: number) => (await call<{ year: number; cells: CompletenessCell[] }>('GET', `/api/submissions/progress${qs({ year })}`)).cells,
  orgUnits: (q: OrgUnitsQuery) => call<OrgUnit[]>('GET', `/api/org-units${qs(q)}`),
  templateUrl: (formCode: string, org: string, year: number) => `/api/forms/${encodeURIComponent(formCode)}/template${qs({ org, year })}`,
  upload: (file: Blob, fileName: string) => call<UploadAnswer>('POST', '/api/forms/upload', undefined, { raw: file, rawType: XLSX_MIME, fileName }),
  markedWorkbook: (file: Blob, fileName: string) => callBlob('/api/forms/upload/errors', file, fileName),
};
