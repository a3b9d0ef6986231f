/**
 * The indicator definitions' scope options (口径选项):
 *   GET /api/indicator-scope                          every option, its value, default and who set it (public: explanations cite it)
 *   PUT /api/workspace/indicator-scope/:name {value}  the city chooses (audited; the years are recomputed)
 */
import { scopeOptions, setScopeOptionParams, setScopeOptionRequest } from '../../contract/indicator-scope.ts';
import { listScopeOptions, setScopeOption } from '../../services/indicator-scope.ts';
import type { RouteModule } from '../deps.ts';
import { actorOf, authenticate } from '../auth.ts';
import { openapi, parseInput } from '../openapi.ts';

const routes: RouteModule = async (app, deps) => {
  const rdeps = { store: deps.store, clock: deps.clock, log: { error: (fields: Record<string, unknown>, message: string) => app.log.error(fields, message) } };

  app.get('/api/indicator-scope', openapi({ summary: '指标口径选项 / Scope options of the indicator definitions', tags: ['progress'], response: scopeOptions }), async () => ({ options: await listScopeOptions(rdeps) }));

  app.put('/api/workspace/indicator-scope/:name', openapi({
    summary: '设置指标口径选项 / Choose a scope option', description: 'City administrators. Audited; every computed year is recomputed (provisional until the next release).',
    tags: ['progress'], params: setScopeOptionParams, body: setScopeOptionRequest, auth: true,
  }), async (req) => {
    await authenticate(req, deps);
    const { name } = parseInput(setScopeOptionParams, req.params, 'params');
    const { value } = parseInput(setScopeOptionRequest, req.body, 'body');
    return setScopeOption(rdeps, actorOf(req), name, value);
  });
};

export default routes;
