/**
 * The plan-execution API the portal and workspace call (src/server/routes/plan-execution.ts),
 * typed by the contract (src/contract/plan-execution.ts). Signed-in calls carry the CSRF header
 * and the session cookie, as the workspace's other calls do.
 */
import { getJson } from '../api.ts';
import { WsApiError } from '../workspace/api.ts';
import type { Problem } from '../../core/errors.ts';
import type { DueRow, EntryRow, FileRefOut, MilestoneRow, ProjectDetail, RegistryInfo, ReportRow, TargetsResponse, TaskRow, UnitRef } from '../../contract/plan-execution.ts';

export type { DueRow, EntryRow, FileRefOut, MilestoneRow, ProjectDetail, RegistryInfo, ReportRow, TargetsResponse, TaskRow, UnitRef };

const qs = (p: Record<string, string | number | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : '';
};

export const planApi = {
  targets: (year: number | undefined, signal?: AbortSignal) => getJson<TargetsResponse>(`/api/targets${qs({ year })}`, signal),
  tasks: (year: number | undefined, signal?: AbortSignal) => getJson<{ year: number; provisional: boolean; tasks: TaskRow[] }>(`/api/tasks${qs({ year })}`, signal),
  project: (id: string, year: number | undefined, signal?: AbortSignal) => getJson<ProjectDetail>(`/api/projects/${encodeURIComponent(id)}${qs({ year })}`, signal),
};

interface ErrorBody { error?: { code?: string; message_zh?: string; message_en?: string; problems?: Problem[] } }

async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, raw?: { bytes: Blob; name: string; type: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-with': 'eduplan' };
  let payload: BodyInit | undefined;
  if (raw) {
    headers['content-type'] = raw.type;
    headers['x-file-name'] = encodeURIComponent(raw.name);
    payload = raw.bytes;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(payload !== undefined ? { body: payload } : {}) });
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (parsed as ErrorBody | null)?.error;
    throw new WsApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message_zh ?? `请求失败：${path}`, e?.message_en ?? `request failed: ${path}`, e?.problems ?? []);
  }
  return parsed as T;
}

export const planWsApi = {
  tasks: async () => (await call<{ tasks: TaskRow[] }>('GET', '/api/workspace/tasks')).tasks,
  due: () => call<{ today: string; due: DueRow[]; milestones: Array<MilestoneRow & { unit: UnitRef | null }> }>('GET', '/api/workspace/plan/due'),
  late: () => call<{ today: string; units: Array<{ unit: UnitRef; reporting: TaskRow['reporting']; overdue: Array<{ item: string; period: string; due: string; days_late: number }>; overdue_milestones: number }> }>('GET', '/api/workspace/plan/late'),
  units: async () => (await call<{ units: UnitRef[] }>('GET', '/api/workspace/plan/units')).units,
  reports: async (q: { item?: string; unit?: string } = {}) => (await call<{ reports: ReportRow[] }>('GET', `/api/workspace/plan/reports${qs(q)}`)).reports,
  saveReport: (r: { item: string; unit: string; period: string; status: string; reason: string; narrative_zh: string; narrative_en: string; evidence: string[]; submit: boolean }) => call<ReportRow>('POST', '/api/workspace/plan/reports', r),
  review: (id: number, decision: 'accept' | 'return', note: string) => call<ReportRow>('POST', `/api/workspace/plan/reports/${id}/review`, { decision, note }),
  assign: (item: string, lead_unit: string, co_units: string[], frequency: string) => call<unknown>('PUT', `/api/workspace/plan/owners/${encodeURIComponent(item)}`, { lead_unit, co_units, frequency }),
  uploadFile: (file: File) => call<FileRefOut>('POST', '/api/workspace/plan-files', undefined, { bytes: file, name: file.name, type: 'application/octet-stream' }),
  registries: async () => (await getJson<{ registries: RegistryInfo[] }>('/api/registries')).registries,
  entries: async (id: string) => (await call<{ entries: EntryRow[] }>('GET', `/api/workspace/registries/${encodeURIComponent(id)}/entries`)).entries,
  saveEntry: (id: string, code: string, fields: Record<string, string>, document_sha256: string | null, version?: number) =>
    call<EntryRow>('PUT', `/api/workspace/registries/${encodeURIComponent(id)}/entries/${encodeURIComponent(code)}`, { fields, document_sha256, ...(version !== undefined ? { version } : {}) }),
  deleteEntry: (id: string, code: string) => call<unknown>('DELETE', `/api/workspace/registries/${encodeURIComponent(id)}/entries/${encodeURIComponent(code)}`),
  reviewEntry: (id: string, code: string, decision: 'approve' | 'return', reason?: string) => call<EntryRow>('POST', `/api/workspace/registries/${encodeURIComponent(id)}/entries/${encodeURIComponent(code)}/review`, { decision, ...(reason ? { reason } : {}) }),
  templateUrl: (id: string) => `/api/workspace/registries/${encodeURIComponent(id)}/template.xlsx`,
  uploadWorkbook: (id: string, file: File) => call<{ added: string[]; updated: string[]; removed: string[]; unchanged: number; entries: number; state: string }>('POST', `/api/workspace/registries/${encodeURIComponent(id)}/upload`, undefined, { bytes: file, name: file.name, type: 'application/octet-stream' }),
};
