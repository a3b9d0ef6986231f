/**
 * The parse workers' optimised code survives their first segment. Posting a segment detaches
 * its buffers, and the first detach in a V8 isolate invalidates the ArrayBufferDetaching
 * protector, which throws away every optimised function that touches a typed array; the
 * worker detaches an empty buffer before its first row (parse-worker.ts) so that the row path
 * is compiled once, not twice. Checked from V8's own traces in a child process (the flags are
 * process-wide): with one segment per worker posted at the end, after the row path is hot,
 * no function of the row path may be deoptimised for "code dependencies".
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { benchSchools } from '../../../bench/fitness.ts';
import { writeStudentRecordFiles } from '../../demo/students.ts';

const run = promisify(execFile);
const child = fileURLToPath(new URL('../../../test/helpers/parse-workers-child.ts', import.meta.url));
const ROWS = 40_000;
/** Functions of the row path (rows.ts, row-bytes.ts, binary-copy.ts, hmac-batch.ts, score.ts). */
const ROW_PATH = ['flushLines', 'line', 'parse', 'fitnessCells', 'visionCells', 'finish', 'studentNoCell', 'setUpperAscii', 'digestInto', 'scoreCompiled', 'hexWords', 'float4OrNull', 'text'];

describe('parse workers and V8\'s ArrayBufferDetaching protector', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-jit-'));
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  it.each(['fitness', 'vision'] as const)('a %s file\'s row path is not deoptimised when the workers post their segments', async (kind) => {
    const gen = await writeStudentRecordFiles({ schools: benchSchools(ROWS), years: [2023], seed: 7, outDir: dir, kinds: [kind] });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--trace-protector-invalidation', '--trace-deopt', child, join(dir, `${kind}-2023.csv`), kind, String(ROWS)], { maxBuffer: 64 << 20 });
    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '')).toEqual({ rows: gen.rows, problemCount: 0, parseThreads: 2 });
    // The trace is read as this test expects: the importer's thread and both workers detach buffers.
    expect(lines.filter((l) => l.includes('Invalidating protector cell ArrayBufferDetaching')).length).toBeGreaterThanOrEqual(3);
    const thrownAway = lines
      .filter((l) => l.startsWith('[marking dependent code') && l.includes('reason: code dependencies'))
      .map((l) => /<SharedFunctionInfo ([\w$]+)>/.exec(l)?.[1])
      .filter((name) => name !== undefined && ROW_PATH.includes(name));
    expect(thrownAway).toEqual([]);
  }, 120_000);
});
