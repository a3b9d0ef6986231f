/**
 * Org units (机构: city, districts, schools) as the public API, `eduplan org list` and the
 * portal list them. The public shape carries the schools' registered attributes only;
 * the operator's listing adds opening and closing dates and the contact for reminders.
 */
import { z } from 'zod';
import { orgLevelCodeSchema } from '../core/org/levels.ts';

export const orgUnitsQuery = z.strictObject({
  level: orgLevelCodeSchema.optional().describe('A level code of the region (org_level), e.g. city | district | school'),
  parent: z.string().regex(/^\d{6}$/, '6-digit parent code').optional().describe('Parent code, e.g. 120000 or a district'),
  code: z.string().regex(/^(\d{6}|\d{10})$/, '6-digit district/city code or 10-digit school code').optional().describe('One org unit by its code (an empty list when unknown)'),
});
export type OrgUnitsQuery = z.infer<typeof orgUnitsQuery>;

export const orgUnit = z.object({
  code: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  level: z.string(),
  parent_code: z.string().nullable(),
  school_type: z.string().nullable(),
  ownership: z.string().nullable(),
  inclusive: z.boolean().nullable(),
  urban_rural: z.string().nullable(),
});
export type OrgUnit = z.infer<typeof orgUnit>;
export const orgUnitsResponse = z.array(orgUnit);

/** The operator's listing (`eduplan org list --json`): every stored column. */
export const orgUnitRecord = orgUnit.extend({
  ownership: z.enum(['public', 'private']).nullable(),
  urban_rural: z.enum(['urban', 'town', 'rural']).nullable(),
  opened: z.string().nullable().describe('YYYY-MM-DD'),
  closed: z.string().nullable().describe('YYYY-MM-DD'),
  contact_name: z.string().nullable(),
  contact_phone: z.string().nullable(),
});
export type OrgUnitRecord = z.infer<typeof orgUnitRecord>;
