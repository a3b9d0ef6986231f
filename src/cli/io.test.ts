/**
 * How the CLI reports what went wrong: a catalogue error as it is, a database failure as
 * E_DB, anything else as E_INTERNAL (exit 70) with one log line — never a bare stack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EduplanError } from '../core/errors.ts';
import { DatabaseError } from '../store/database-error.ts';
import { readJsonFile, reportError, type CliIO } from './io.ts';

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

describe('readJsonFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eduplan-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ioAt = (stdin = new PassThrough()): CliIO => ({ stdout: new PassThrough(), stderr: new PassThrough(), stdin, env: {}, cwd: dir });
  const failure = async (p: Promise<unknown>): Promise<EduplanError> => {
    const e = await p.then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(EduplanError);
    return e as EduplanError;
  };

  it('reads a file relative to the working directory', async () => {
    writeFileSync(join(dir, 'ok.json'), '{"a": [1, 2]}');
    expect(await readJsonFile(ioAt(), 'ok.json')).toEqual({ doc: { a: [1, 2] }, path: join(dir, 'ok.json') });
  });

  it('a missing file is E_FILE_NOT_FOUND naming it', async () => {
    const e = await failure(readJsonFile(ioAt(), 'nope.json'));
    expect(e.code).toBe('E_FILE_NOT_FOUND');
    expect(e.problems).toEqual([expect.objectContaining({ file: join(dir, 'nope.json'), rule: 'exists', message_en: 'file not found' })]);
  });

  it('text that is not JSON is E_INPUT_INVALID naming the file, with the parser\'s message in both languages', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"a": 1,');
    const e = await failure(readJsonFile(ioAt(), 'bad.json'));
    expect(e.code).toBe('E_INPUT_INVALID');
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ file: join(dir, 'bad.json'), rule: 'json' });
    expect(e.problems[0]?.message_zh).toMatch(/^不是有效的 JSON：\S/);
    expect(e.problems[0]?.message_en).toMatch(/^not valid JSON: \S/);
  });

  it('a field the schema refuses is E_INPUT_INVALID naming the file and the field', async () => {
    writeFileSync(join(dir, 'shape.json'), '{"count": "three", "name": "x"}');
    const schema = z.object({ count: z.number(), name: z.string() });
    const e = await failure(readJsonFile(ioAt(), 'shape.json', { schema }));
    expect(e.code).toBe('E_INPUT_INVALID');
    expect(e.problems).toEqual([expect.objectContaining({ file: join(dir, 'shape.json'), path: 'count', rule: 'json_schema' })]);
    writeFileSync(join(dir, 'shape.json'), '{"count": 3, "name": "x"}');
    expect((await readJsonFile(ioAt(), 'shape.json', { schema })).doc).toEqual({ count: 3, name: 'x' });
  });

  it('`-` is standard input only where the command allows it', async () => {
    const stdin = new PassThrough();
    stdin.end('[true]');
    expect(await readJsonFile(ioAt(stdin), '-', { stdin: true })).toEqual({ doc: [true], path: '-' });
    const notAllowed = await failure(readJsonFile(ioAt(), '-'));
    expect(notAllowed.code).toBe('E_FILE_NOT_FOUND');
    const bad = new PassThrough();
    bad.end('nope');
    expect((await failure(readJsonFile(ioAt(bad), '-', { stdin: true }))).problems[0]).toMatchObject({ file: 'stdin', rule: 'json' });
  });
});
