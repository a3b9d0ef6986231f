/**
 * GET /api/org-units?level=&parent=&code= — the org-unit tree (city, 16 districts, schools):
 * code, names, level, parent, school type, ownership, 普惠 flag, urban/rural.
 * Public: these are the schools' registered attributes, no personal data.
 */
import { z } from 'zod';
import { orgLevels } from '../../core/org/types.ts';
import { listOrgUnits } from '../../services/progress.ts';
import type { RouteModule } from '../deps.ts';
import { openapi, parseInput } from '../openapi.ts';

const orgUnitsQuery = z.strictObject({
  level: z.enum(orgLevels).optional().describe('city | district | school'),
  parent: z.string().regex(/^\d{6}$/, '6-digit parent code').optional().describe('Parent code, e.g. 120000 or a district'),
  code: z.string().regex(/^(\d{6}|\d{10})$/, '6-digit district/city code or 10-digit school code').optional().describe('One org unit by its code (an empty list when unknown)'),
});
const orgUnitsResponse = z.array(z.object({
  code: z.string(), name_zh: z.string(), name_en: z.string(), level: z.enum(orgLevels), parent_code: z.string().nullable(),
  school_type: z.string().nullable(), ownership: z.string().nullable(), inclusive: z.boolean().nullable(), urban_rural: z.string().nullable(),
}));

const orgUnitRoutes: RouteModule = async (app, deps) => {
  app.get('/api/org-units', openapi({
    summary: '机构列表（市、区、学校）/ Org units (city, districts, schools)',
    tags: ['org'], query: orgUnitsQuery, response: orgUnitsResponse,
  }), async (req) => {
    const q = parseInput(orgUnitsQuery, req.query, 'query');
    return listOrgUnits(deps.store, q);
  });
};

export default orgUnitRoutes;
