/**
 * Open data (开放数据): the request and response shapes of the downloads
 * (`/api/download/…`), SDMX (`/api/sdmx/…`) and the list of datasets (`/api/open-data`).
 */
import { z } from 'zod';
import { indicatorCode } from './progress.ts';

/** `<indicator>.csv` or `<indicator>.json`: one indicator's tidy table. */
export const indicatorFileParams = z.strictObject({ file: z.string().regex(/^[a-z0-9_]{1,64}\.(csv|json)$/, '<indicator code>.csv or <indicator code>.json') });
export const sdmxParams = z.strictObject({ indicator: indicatorCode });
export const sdmxQuery = z.strictObject({
  format: z.enum(['sdmx-json', 'sdmx-csv']).optional().describe('Overrides the Accept header (application/vnd.sdmx.data+json;version=2.0.0 or application/vnd.sdmx.data+csv;version=2.0.0); default SDMX-JSON'),
});

export const licence = z.object({ id: z.string(), name_zh: z.string(), name_en: z.string(), url: z.string() });
export const citation = z.object({ zh: z.string(), en: z.string() });

const breakdownColumn = z.string().optional().describe('The part of this breakdown dimension (e.g. sex: m, f); empty = all');
export const openDataRow = z.object({
  indicator: z.string(), indicator_name_zh: z.string(), indicator_name_en: z.string(),
  org_code: z.string(), org_name_zh: z.string(), org_name_en: z.string(), level: z.string(), year: z.number(),
  sex: breakdownColumn, stage: breakdownColumn, programme: breakdownColumn, area: breakdownColumn,
  value: z.number().nullable(), numerator: z.number().nullable(), denominator: z.number().nullable(), unit: z.string(),
  status: z.enum(['normal', 'revised', 'suppressed']), suppressed: z.boolean(),
  release: z.string().describe('<academic year>-v<version>'), released_at: z.string(), licence: z.string(),
});
export const openDataTable = z.object({
  columns: z.array(z.string()), rows: z.array(openDataRow), licence, citation,
  release: z.object({ year: z.number(), version: z.number(), released_at: z.string() }).nullable(),
});

export const dataset = z.object({
  id: z.string(), title_zh: z.string(), title_en: z.string(), description_zh: z.string(), description_en: z.string(), unit: z.string(),
  rows: z.number(), years: z.array(z.number()), last_update: z.string().nullable(),
  formats: z.array(z.object({ format: z.string(), url: z.string() })),
});
export const datasetList = z.object({ datasets: z.array(dataset), licence });

export type Dataset = z.infer<typeof dataset>;
export type DatasetList = z.infer<typeof datasetList>;
export type OpenDataTableResponse = z.infer<typeof openDataTable>;
