/**
 * The public API the portal reads (src/server/routes). The plan and org units are the
 * contract's types (src/contract); the others follow the routes' JSON, with fields the
 * portal does not use left out. Errors come back as `{error: {code, message_zh,
 * message_en}}` and are raised as `ApiError`.
 */
import type { Lang } from './i18n.ts';
import type { PlanIndicator as PlanIndicatorShape } from '../core/plan/schema.ts';
import type { OrgUnit as OrgUnitShape } from '../contract/org-units.ts';
import type { PlanView } from '../contract/plan.ts';

/** `origin`: the plan's figure (the city) or the org unit's own value (a district or school). Plan files give no origin. */
export interface Baseline { year: number; value: number | null; origin?: 'plan' | 'data' }

/** The release a published figure belongs to (release control); absent until figures are released. */
export interface Release { version: number; released_at: string }
export interface Target { year: number; comparator: string; value: number | null }

/** The plan and its indicators as GET /api/plan answers them (src/contract/plan.ts). */
export type Plan = PlanView;
export type PlanIndicator = PlanIndicatorShape;

export interface ExplanationInput {
  name_zh?: string;
  name_en?: string;
  value?: number | string | null;
  unit?: string;
  suppressed?: boolean;
  source_zh?: string;
  source_en?: string;
}

/** How a figure was computed (src/core/progress/explain.ts): every number auditable. */
export interface Explanation {
  formula_zh?: string;
  formula_en?: string;
  definition_zh?: string;
  definition_en?: string;
  method_zh?: string;
  method_en?: string;
  inputs?: ExplanationInput[];
  sources?: Array<string | { zh?: string; en?: string }>;
  /** Units in and out of scope, why and the source, one sentence each. */
  scope?: Array<{ zh?: string; en?: string }>;
  disclosure_zh?: string;
  disclosure_en?: string;
  text_zh?: string;
  text_en?: string;
}

export interface Progress {
  code: string;
  name_zh: string;
  name_en: string;
  unit: string;
  category: string;
  nature: 'binding' | 'expected';
  direction: 'up' | 'down';
  baseline: Baseline;
  target: Target;
  value: number | null;
  year: number | null;
  status: string;
  ratio?: number | null;
  distance_share?: number | null;
  time_share?: number | null;
  projection?: number | { year: number; value: number | null } | null;
  met?: boolean | null;
  explanation?: Explanation;
  suppressed?: boolean;
  release?: Release;
}

export interface SeriesPoint {
  year: number;
  value: number | null;
  numerator?: number | null;
  denominator?: number | null;
  suppressed?: boolean;
}

export interface Series {
  code: string;
  org: string;
  baseline?: Baseline | null;
  release?: Release;
  points: SeriesPoint[];
  trajectory: Array<{ year: number; value: number | null }>;
}

export interface DistrictValue {
  org_code: string;
  name_zh: string;
  name_en: string;
  value: number | null;
  suppressed?: boolean;
  year?: number;
  status?: string;
}

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
  series: (code: string, org: string | undefined, signal?: AbortSignal) =>
    getJson<Series>(`/api/indicators/${encodeURIComponent(code)}/series${q({ org })}`, signal),
  districts: async (code: string, year: number | undefined, signal?: AbortSignal) =>
    asList<DistrictValue>(await getJson<unknown>(`/api/indicators/${encodeURIComponent(code)}/districts${q({ year })}`, signal), 'districts'),
  orgUnits: async (signal?: AbortSignal) =>
    asList<OrgUnit>(await getJson<unknown>('/api/org-units?level=district', signal), 'org_units', 'units'),
};

/** The projection may come as a number or as {year, value}. */
export function projectionValue(p: Progress['projection']): number | null {
  if (p === null || p === undefined) return null;
  if (typeof p === 'number') return p;
  return p.value ?? null;
}
