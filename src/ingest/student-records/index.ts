/**
 * The student-record pipeline (学生体测/视力记录读取): from a file's bytes to binary COPY
 * segments, per-school counts and located problems. The use case that decides what an
 * import changes — replace or refuse, derived elements, audit, stale years — is
 * src/services/student-records.ts; this folder only reads, and does it fast, so **a newcomer
 * can skip it**: the rows, problems and counts are the same whichever path reads a file
 * (tests compare them), and docs/student-records.md "Performance" says why each piece exists.
 *
 * What is inside:
 * - format.ts — the files as schools send them: columns, header matching, the rules of one
 *   row (`parseStudentRow`). The one file to read to know what is accepted.
 * - readers.ts — CSV (fast-csv.ts's plain-line splitter, csv-parse otherwise) and XLSX
 *   (exceljs streaming), rows as text cells.
 * - rows.ts — one record from cells (or bytes) to a stored tuple: validate, score, classify,
 *   pseudonymise, tally, write the binary COPY tuple (store/binary-copy.ts).
 * - read-file.ts — a whole file, in this thread or by parse workers in line-aligned ranges
 *   (csv-shards.ts), into the caller's `CopySink`; `sha256File` for the re-import check.
 * - parse-worker.ts, parse-worker-boot.mjs, protocol.ts — the parse
 *   workers: their messages, and how they start (an esbuild bundle, ../worker-bundle.ts, under
 *   node_modules/.cache, or tsx when it cannot be built).
 * - row-bytes.ts — an ordinary fitness or vision row read from its bytes, never deciding differently
 *   from `parseStudentRow`.
 * - fast-csv-hmac.ts, hmac-batch.ts, wasm-emit.ts — HMAC-SHA256 pseudonyms with the key's
 *   pads computed once, and four at a time in WebAssembly SIMD (generated from TypeScript
 *   at load time); the duplicate check's `DigestSet`.
 *
 * Code outside this folder imports it from here. Modules inside import each other directly:
 * the parse worker must not load this file (readers.ts would bring exceljs into every worker).
 */
export {
  fitnessItemColumns, K3_GRADE_CODE, mapHeader, newStudentRow, parseStudentRow, templateHeaders, visionEyeColumns,
  type ColumnIndex, type RawRow, type RowContext, type StudentFileKind, type StudentRow,
} from './format.ts';
export { readRowBatches, readRows } from './readers.ts';
export { countCsvDataLines } from './csv-shards.ts';
export type { SchoolTally, TallyCounts } from './rows.ts';
export {
  NotPlainCsv, readInOneThread, sha256File, startParseWorkers,
  type CopySink, type FileRead, type ParseWorkers, type StudentFileSpec,
} from './read-file.ts';
