/**
 * GET /api/plan — the current plan (same JSON as `eduplan plan show --json`): metadata,
 * `indicators` (code, category, name_zh, name_en, unit, nature, direction, baseline,
 * target, …), `task_areas`, `projects`, `text_targets`, and `origin` (store version or
 * the bundled plan when none is loaded yet).
 * GET /api/plan/versions — every stored version with its number of changes.
 * Thin routes over src/services/plan.ts, shapes from src/contract/plan.ts.
 */
import { planQuery, planResponse, planVersions as versionsResponse } from '../../contract/plan.ts';
import { currentPlan, planVersions } from '../../services/plan.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

const planRoutes: RouteModule = async (app, deps) => {
  app.get('/api/plan', openapi({
    summary: '当前规划（指标、任务、专栏、正文量化目标）/ The current plan (indicators, tasks, projects, text targets)',
    tags: ['plan'],
    query: planQuery,
    response: planResponse,
  }), async (req) => currentPlan(deps, parseInput(planQuery, req.query, 'query')));

  app.get('/api/plan/versions', openapi({
    summary: '规划的全部版本 / Every stored version of the plan',
    tags: ['plan'],
    response: versionsResponse,
  }), async () => planVersions(deps));
};

export default planRoutes;
