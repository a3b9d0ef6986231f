/**
 * Student records (学生体测/视力记录): the shapes shared by the services
 * (src/services/student-records.ts, student-uploads.ts), the upload routes, the CLI
 * (`eduplan fitness import --json`), the workspace's upload page and the OpenAPI document.
 */
import { z } from 'zod';

export const studentRecordKinds = ['fitness', 'vision'] as const;
/** fitness 体测 | vision 视力筛查 */
export const studentRecordKind = z.enum(studentRecordKinds);
export type StudentRecordKind = z.infer<typeof studentRecordKind>;

/** What an import of one file is asked to do (`fitness import`, the upload job). */
export const studentImportRequest = z.object({
  path: z.string().describe('the file on the importer’s disk (.csv or .xlsx)'),
  kind: studentRecordKind,
  year: z.number().int().optional().describe('学年 academic year; otherwise from the file name fitness-<year>.csv'),
  replace: z.boolean().describe('confirmed: the file may replace records already stored for its schools’ year'),
});
export type StudentImportRequest = z.infer<typeof studentImportRequest>;

/** What an import did (the upload job's `result`, `fitness import --json`). */
export const studentImportOutcome = z.object({
  batchId: z.number().nullable(),
  rows: z.number(),
  skipped: z.boolean(),
  parseThreads: z.number(),
  indicators: z.enum(['recomputed', 'unchanged', 'failed']),
});
export type StudentImportOutcome = z.infer<typeof studentImportOutcome>;

/** POST /api/student-records/uploads — the query beside the raw file in the body. */
export const studentUploadQuery = z.object({
  kind: studentRecordKind.describe('fitness 体测 | vision 视力筛查'),
  year: z.coerce.number().int().min(2000).max(2100).optional().describe('学年 academic year (2023 = 2023-09-01…2024-08-31); otherwise from the file name fitness-<year>.csv'),
  replace: z.enum(['true', 'false']).optional().describe('true: the uploader confirmed replacing records already stored for the schools’ year (otherwise such a file fails with E_REPLACE_UNCONFIRMED, listing them)'),
});
export type StudentUploadQuery = z.infer<typeof studentUploadQuery>;

/** GET /api/student-records/uploads/:id */
export const studentUploadJobParams = z.object({ id: z.uuid().describe('job id from the upload answer') });

export const jobPhases = ['uploaded', 'validating', 'importing', 'done', 'failed'] as const;
export type JobPhase = (typeof jobPhases)[number];

const problemSchema = z.object({
  file: z.string().optional(), sheet: z.string().optional(), row: z.number().optional(), column: z.string().optional(), path: z.string().optional(),
  value: z.unknown().optional(), rule: z.string(), message_zh: z.string(), message_en: z.string(), fix_zh: z.string().optional(), fix_en: z.string().optional(),
});

/** An upload's import job, as its owner polls it. */
export const studentUploadJob = z.object({
  id: z.string(),
  kind: studentRecordKind,
  year: z.number().nullable().describe('as given; null = from the file name'),
  replace: z.boolean().describe('the uploader confirmed that the file replaces records already stored for its schools’ year'),
  fileName: z.string(),
  phase: z.enum(jobPhases),
  bytes: z.number().describe('bytes received'),
  rowsTotal: z.number().nullable().describe('data rows in the file, once counted (CSV, or any file of a district account); null otherwise'),
  rowsChecked: z.number().describe('rows read while validating (scope check)'),
  rowsDone: z.number().describe('rows imported so far'),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  result: studentImportOutcome.nullable(),
  error: z.object({
    code: z.string(), message_zh: z.string(), message_en: z.string(), fix_zh: z.string(), fix_en: z.string(), detail: z.string().optional(),
    problems: z.array(problemSchema).describe('the first 1,000 located problems'),
  }).nullable(),
});
export type StudentUploadJob = z.infer<typeof studentUploadJob>;

/** Both upload endpoints answer `{job}`. */
export const studentUploadJobAnswer = z.object({ job: studentUploadJob });
