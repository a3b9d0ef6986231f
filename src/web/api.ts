/**
 * The public API the portal reads (src/server/routes). The shapes of progress, series,
 * district values, releases, the site, the plan and org units come from the contract
 * (src/contract), the same zod schemas the server answers with. Errors come back as
 * `{error: {code, message_zh, message_en}}` and are raised as `ApiError`.
 */
import type { DistrictValue, ProgressItem, SeriesPoint, SeriesResponse } from '../contract/progress.ts';
import type { ReleaseRef, ReleaseSummary } from '../contract/releases.ts';
import type { SiteInfo } from '../contract/site.ts';
import type { OrgUnit as OrgUnitShape } from '../contract/org-units.ts';
import type { PlanView } from '../contract/plan.ts';
import type { DatasetList } from '../contract/open-data.ts';
import type { DistrictAssessments, NewsItem, PublicAssessment, PublicFeedback, SearchHitShape } from '../contract/portal.ts';
import type { PlanIndicator as PlanIndicatorShape } from '../core/plan/schema.ts';
import type { Lang } from './i18n.ts';

export type { DistrictValue, SeriesPoint, SiteInfo, DatasetList, NewsItem, PublicFeedback, PublicAssessment };
/** One indicator's progress (GET /api/progress). */
export type Progress = ProgressItem;
/** One indicator's series for an org unit (GET /api/indicators/:code/series). */
export type Series = SeriesResponse;
/** How a figure was computed (src/core/progress/explain.ts): every number auditable. */
export type Explanation = ProgressItem['explanation'];
export type ExplanationInput = Explanation['inputs'][number];
/** The release a published figure belongs to (数据发布); null when not released. */
export type Release = ReleaseRef;
export type { ReleaseSummary };

/** A target as the plan states it (`/api/plan`). */
export interface Target { year: number; comparator: string; value: number | null }

/** The plan and its indicators as GET /api/plan answers them (src/contract/plan.ts). */
export type Plan = PlanView;
export type PlanIndicator = PlanIndicatorShape;

/** An org unit as GET /api/org-units lists it (src/contract/org-units.ts). */
export type OrgUnit = OrgUnitShape;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message_zh: string,
    readonly message_en: string,
  ) {
    super(message_en || message_zh || code);
  }
  text(lang: Lang): string {
    return `${lang === 'en' ? this.message_en || this.message_zh : this.message_zh || this.message_en} (${this.code})`;
  }
}

interface ErrorBody { error?: { code?: string; message_zh?: string; message_en?: string } }

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (body as ErrorBody | null)?.error;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message_zh ?? `请求失败：${path}`, e?.message_en ?? `request failed: ${path}`);
  }
  return body as T;
}

/** Some list routes wrap their array (`{items: [...]}`); accept both shapes. */
export function asList<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    for (const k of [...keys, 'items', 'data', 'rows']) {
      const v = (body as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

const q = (params: Record<string, string | number | undefined | null>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

export const api = {
  plan: (signal?: AbortSignal) => getJson<Plan>('/api/plan', signal),
  progress: async (params: { year?: number; org?: string }, signal?: AbortSignal) =>
    asList<Progress>(await getJson<unknown>(`/api/progress${q(params)}`, signal), 'indicators', 'progress'),
  series: (code: string, org: string | undefined, signal?: AbortSignal, disaggregation?: string) =>
    getJson<Series>(`/api/indicators/${encodeURIComponent(code)}/series${q({ org, disaggregation })}`, signal),
  /** Every open dataset, with formats, last update and the licence (GET /api/open-data). */
  datasets: (signal?: AbortSignal) => getJson<DatasetList>('/api/open-data', signal),
  search: async (text: string, signal?: AbortSignal) => (await getJson<{ hits: SearchHitShape[] }>(`/api/search${q({ q: text })}`, signal)).hits,
  news: async (signal?: AbortSignal) => (await getJson<{ items: NewsItem[] }>('/api/news', signal)).items,
  feedback: async (subjectType: 'indicator' | 'column' | 'site', code: string, signal?: AbortSignal) =>
    (await getJson<{ items: PublicFeedback[] }>(`/api/feedback${q({ subject_type: subjectType, subject_code: code })}`, signal)).items,
  /** Leave a message (public; throttled per address). */
  sendFeedback: async (body: { subject_type: 'indicator' | 'column' | 'site'; subject_code: string; message: string; contact?: string; lang: Lang }): Promise<{ id: number }> => {
    const res = await fetch('/api/feedback', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    const parsed: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const e = (parsed as ErrorBody | null)?.error;
      throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message_zh ?? '提交失败', e?.message_en ?? 'could not send');
    }
    return parsed as { id: number };
  },
  districts: async (code: string, year: number | undefined, signal?: AbortSignal) =>
    asList<DistrictValue>(await getJson<unknown>(`/api/indicators/${encodeURIComponent(code)}/districts${q({ year })}`, signal), 'districts'),
  orgUnits: async (signal?: AbortSignal) =>
    asList<OrgUnit>(await getJson<unknown>('/api/org-units?level=district', signal), 'org_units', 'units'),
  /** A district's certified 优质均衡 / 普及普惠 assessments (only certified ones are public). */
  districtAssessments: async (code: string, signal?: AbortSignal) =>
    (await getJson<DistrictAssessments>(`/api/districts/${encodeURIComponent(code)}/assessments`, signal)).items,
  /** The demo flag and the newest release (every page's banner and 数据更新于). */
  site: (signal?: AbortSignal) => getJson<SiteInfo>('/api/site', signal),
  /** Every release version, newest first (`year`: one academic year's). */
  releases: async (year: number | undefined, signal?: AbortSignal) =>
    (await getJson<{ releases: ReleaseSummary[] }>(`/api/releases${q({ year })}`, signal)).releases,
};

/** Where a release's published cells are downloaded (any version, current or replaced). */
export const releaseDownloadUrl = (id: number, format: 'csv' | 'json'): string => `/api/releases/${id}/values.${format}`;

