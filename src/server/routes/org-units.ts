/**
 * GET /api/org-units?level=&parent=&code= — the org-unit tree (city, 16 districts, schools):
 * code, names, level, parent, school type, ownership, 普惠 flag, urban/rural.
 * Public: these are the schools' registered attributes, no personal data.
 */
import { orgUnitsQuery, orgUnitsResponse } from '../../contract/org-units.ts';
import { listOrgUnits } from '../../services/org-units.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

const orgUnitRoutes: RouteModule = async (app, deps) => {
  app.get('/api/org-units', openapi({
    summary: '机构列表（市、区、学校）/ Org units (city, districts, schools)',
    tags: ['org'], query: orgUnitsQuery, response: orgUnitsResponse,
  }), async (req) => listOrgUnits(deps, parseInput(orgUnitsQuery, req.query, 'query')));
};

export default orgUnitRoutes;
