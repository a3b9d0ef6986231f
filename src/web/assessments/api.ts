/**
 * The signed-in assessment API (/api/assessments). The session is the HttpOnly cookie the
 * workspace sign-in sets (src/web/workspace/session.tsx); state-changing requests carry `X-Requested-With: eduplan`
 * (the server's CSRF check).
 */
import { ApiError, getJson } from '../api.ts';
import type { AssessmentKind, BalancedDistrictResult, PreschoolDistrictResult, ScheduleResult, VerdictsResponse, WorkflowAction, WorkflowStepResult } from './model.ts';

async function send<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-requested-with': 'eduplan' },
    body: JSON.stringify(body),
  });
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message_zh?: string; message_en?: string } } | null)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message_zh ?? `请求失败：${path}`, e?.message_en ?? `request failed: ${path}`);
  }
  return data as T;
}

const dy = (district: string, year: number) => `district=${encodeURIComponent(district)}&year=${year}`;

export const assessmentApi = {
  verdicts: (year: number, signal?: AbortSignal) => getJson<VerdictsResponse>(`/api/assessments/verdicts?year=${year}`, signal),
  schedule: (kind: AssessmentKind, asOf: number, signal?: AbortSignal) => getJson<ScheduleResult>(`/api/assessments/schedule?kind=${kind}&as_of=${asOf}`, signal),
  balanced: (district: string, year: number, signal?: AbortSignal) => getJson<BalancedDistrictResult>(`/api/assessments/balanced?${dy(district, year)}`, signal),
  /** null when the district has no preschool data that year (E_ASSESSMENT_NO_DATA). */
  preschool: async (district: string, year: number, signal?: AbortSignal): Promise<PreschoolDistrictResult | null> => {
    try {
      return await getJson<PreschoolDistrictResult>(`/api/assessments/preschool?${dy(district, year)}`, signal);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'E_ASSESSMENT_NO_DATA') return null;
      throw e;
    }
  },
  workflow: (kind: AssessmentKind, district: string, year: number, body: { action: WorkflowAction; on_date: string; comment?: string }) =>
    send<WorkflowStepResult>('POST', `/api/assessments/${kind}/${district}/${year}/workflow`, body),
  exportUrl: (kind: AssessmentKind, district: string, year: number, format: 'xlsx' | 'pdf') =>
    `/api/assessments/${kind}/${district}/${year}/export?format=${format}`,
};
