/**
 * How the CLI reports what went wrong: a catalogue error as it is, a database failure as
 * E_DB, anything else as E_INTERNAL (exit 70) with one log line — never a bare stack.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EduplanError } from '../core/errors.ts';
import { DatabaseError } from '../store/database-error.ts';
import { reportError, type CliIO } from './io.ts';

function capture(): { io: CliIO; err: () => string } {
  const stderr = new PassThrough();
  let e = '';
  stderr.on('data', (c: Buffer) => { e += c.toString('utf8'); });
  return { io: { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd() }, err: () => e };
}

describe('reportError', () => {
  it('reports an unexpected error as E_INTERNAL in both languages, exit 70, with one log line', () => {
    const c = capture();
    const code = reportError(c.io, new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(code).toBe(70);
    const lines = c.err().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^错误 E_INTERNAL：内部错误/);
    expect(lines[1]).toMatch(/^Error E_INTERNAL: Internal error/);
    expect(c.err()).not.toContain('E_DB');
    const log = lines.filter((l) => l.startsWith('log: '));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^log: TypeError: Cannot read properties of undefined \(reading 'x'\) \(at .*io\.test\.ts/);
    // One line for the frame, not the whole stack.
    expect(lines.filter((l) => l.trim().startsWith('at '))).toEqual([]);
  });

  it('reports a failure the database raised as E_DB, exit 1', () => {
    const c = capture();
    expect(reportError(c.io, new DatabaseError('relation "nope" does not exist', '42P01', null))).toBe(1);
    expect(c.err()).toContain('E_DB');
    expect(c.err()).toContain('relation "nope" does not exist');
    // node-postgres' own error shape (severity + SQLSTATE), as thrown outside a query.
    const pg = capture();
    expect(reportError(pg.io, Object.assign(new Error('canceling statement due to statement timeout'), { severity: 'ERROR', code: '57014' }))).toBe(1);
    expect(pg.err()).toContain('E_DB');
  });

  it('exits 2 for E_USAGE and 1 for other catalogue errors, with the fix in both languages', () => {
    const u = capture();
    expect(reportError(u.io, new EduplanError('E_USAGE', { detail: 'x' }))).toBe(2);
    const f = capture();
    expect(reportError(f.io, new EduplanError('E_FILE_NOT_FOUND', { detail: '/tmp/nope.csv' }))).toBe(1);
    expect(f.err()).toContain('修改方法：检查路径是否正确');
    expect(f.err()).toContain('How to fix: Check the path');
    expect(f.err()).not.toContain('log:');
  });
});
