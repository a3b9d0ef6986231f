/**
 * The use case "import a file of student records" (学生体测/视力记录导入), whoever asks: the
 * CLI's `fitness import`, the workspace upload job (services/student-uploads.ts). It imports
 * the file all-or-nothing (services/students-import.ts) and then brings the indicators up
 * to date through the one recompute policy (services/recompute.ts).
 */
import { afterDataChanged, type RecomputeDeps, type RecomputeOutcome } from './recompute.ts';
import { importStudentFile, type StudentImportOptions, type StudentImportResult } from './students-import.ts';

export interface StudentRecordsOutcome extends StudentImportResult {
  /** What the recompute did: `unchanged` when the file was already imported. */
  readonly indicators: RecomputeOutcome['status'];
}

export async function importStudentRecords(deps: RecomputeDeps, path: string, opts: Omit<StudentImportOptions, 'clock'>): Promise<StudentRecordsOutcome> {
  const r = await importStudentFile(deps.store, path, { ...opts, clock: deps.clock });
  const indicators = r.skipped ? 'unchanged' : (await afterDataChanged(deps)).status;
  return { ...r, indicators };
}
