/**
 * GET /api/plan — the current plan (same JSON as `eduplan plan show --json`): metadata,
 * `indicators` (code, category, name_zh, name_en, unit, nature, direction, baseline,
 * target, …), `task_areas`, `projects`, `text_targets`, and `origin` (store version or
 * the bundled plan when none is loaded yet).
 * GET /api/plan/versions — every stored version with its number of changes.
 */
import { z } from 'zod';
import { EduplanError } from '../../core/errors.ts';
import { planSchema } from '../../core/plan/schema.ts';
import { readPlanDir } from '../../ingest/plan-files.ts';
import { bundledPlanDir, getCurrentPlanVersion, getPlanVersion, listPlanVersions, planView } from '../../services/plan.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

const planQuery = z.strictObject({
  version: z.coerce.number().int().min(1).optional().describe('A stored version number; default: the latest'),
});

const originSchema = z.object({
  source: z.enum(['store', 'bundled']),
  version: z.number().int().nullable(),
  loaded_at: z.string().nullable(),
});

const planResponse = planSchema.and(z.object({ origin: originSchema }));

const versionsResponse = z.object({
  plan_code: z.string(),
  versions: z.array(z.object({ version: z.number().int(), content_hash: z.string(), loaded_at: z.string(), changes: z.number().int() })),
});

const planRoutes: RouteModule = async (app, deps) => {
  app.get('/api/plan', openapi({
    summary: '当前规划（指标、任务、专栏、正文量化目标）/ The current plan (indicators, tasks, projects, text targets)',
    tags: ['plan'],
    query: planQuery,
    response: planResponse,
  }), async (req) => {
    const q = parseInput(planQuery, req.query, 'query');
    if (q.version !== undefined) {
      const current = await getCurrentPlanVersion(deps.store);
      const stored = current ? await getPlanVersion(deps.store, current.plan.code, q.version) : null;
      if (!stored) throw new EduplanError('E_NOT_FOUND', { detail: `plan version ${q.version} is not stored` });
      return planView(stored.plan, { source: 'store', version: stored.version, loaded_at: stored.loaded_at.toISOString() });
    }
    const stored = await getCurrentPlanVersion(deps.store);
    if (stored) return planView(stored.plan, { source: 'store', version: stored.version, loaded_at: stored.loaded_at.toISOString() });
    return planView(await readPlanDir(bundledPlanDir()), { source: 'bundled', version: null, loaded_at: null });
  });

  app.get('/api/plan/versions', openapi({
    summary: '规划的全部版本 / Every stored version of the plan',
    tags: ['plan'],
    response: versionsResponse,
  }), async () => {
    const current = await getCurrentPlanVersion(deps.store);
    if (!current) throw new EduplanError('E_PLAN_NOT_LOADED');
    const versions = await listPlanVersions(deps.store, current.plan.code);
    return { plan_code: current.plan.code, versions: versions.map((v) => ({ ...v, loaded_at: v.loaded_at.toISOString() })) };
  });
};

export default planRoutes;
