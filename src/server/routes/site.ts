/** GET /api/site — the demo flag and the newest release, for every portal page. */
import { siteInfo as siteInfoSchema } from '../../contract/site.ts';
import { siteInfo } from '../../services/site.ts';
import type { RouteModule } from '../deps.ts';
import { openapi } from '../openapi.ts';

const routes: RouteModule = async (app, deps) => {
  app.get('/api/site', openapi({ summary: '站点信息：演示标识、最新发布 / Site: demo flag, newest release', tags: ['releases'], response: siteInfoSchema }), async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return siteInfo(deps.store, deps.config.demo);
  });
};

export default routes;
