/**
 * Reads one student-record file through the parse workers (read-file.ts) into a sink that
 * keeps nothing, in a process of its own: parse-worker-jit.test.ts runs it under V8's trace
 * flags, which are process-wide and would otherwise trace the test runner itself.
 *
 *   node --import tsx [V8 trace flags] test/helpers/parse-workers-child.ts <file> <fitness|vision> <rows>
 * The file is one that `writeStudentRecordFiles` wrote for `benchSchools(rows)` (year 2023).
 * Prints one JSON line: { rows, problemCount, parseThreads }.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { distinctBuffers } from '../../src/store/binary-copy.ts';
import { startParseWorkers } from '../../src/ingest/student-records/index.ts';
import { benchSchools } from '../../bench/fitness.ts';

const [path, kindArg, rowsArg] = process.argv.slice(2);
if (path === undefined || (kindArg !== 'fitness' && kindArg !== 'vision') || rowsArg === undefined) throw new Error('usage: parse-workers-child.ts <file> <fitness|vision> <rows>');
const schoolTypes = benchSchools(Number(rowsArg)).map((s) => [s.code, s.type] as const);
const workers = await startParseWorkers(
  { path, fileName: basename(path), size: statSync(path).size, kind: kindArg, year: 2023, schoolTypes, pseudonymKey: 'child-pseudonym-key-0001' },
  { parseWorkers: 2, parallelMinBytes: 0 },
);
if (workers === null) throw new Error('no parse workers for this file');
const read = await workers.read({
  begin: () => Promise.resolve(1),
  copy: (_columns, tuples) => Promise.resolve({ rows: 0, buffers: distinctBuffers(tuples) }),
});
process.stdout.write(`${JSON.stringify({ rows: read.rows, problemCount: read.problemCount, parseThreads: read.parseThreads })}\n`);
