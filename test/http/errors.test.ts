/**
 * The server's answer to an unexpected error: E_DB only for a failure the database raised,
 * E_INTERNAL for anything else, both 500 with the request id to quote, and one line on the
 * error log with that id. Catalogue errors and bad requests keep their own answers.
 */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EduplanError } from '../../src/core/errors.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { backends } from '../helpers/stores.ts';

describe.each(backends)('unexpected errors on $name', (backend) => {
  let store: Store & { dispose(): Promise<void> };
  let app: FastifyInstance;
  const log: string[] = [];

  beforeAll(async () => {
    store = await backend.open();
    app = await buildApp({ store, clock: () => new Date('2025-01-01T00:00:00Z'), config: { demo: false, pseudonymKey: 'test-key-0123456789', maxUploadBytes: 1 << 20 } }, { errorLog: (line) => log.push(line) });
    app.get('/api/test/defect', async () => {
      const missing = undefined as unknown as { x: number };
      return { x: missing.x };
    });
    app.get('/api/test/database', async () => (await sql`SELECT * FROM no_such_table`.execute(store.db)).rows);
    app.get('/api/test/catalogue', async () => { throw new EduplanError('E_NOT_FOUND', { detail: 'x' }); });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.dispose();
  });

  it('answers a defect with 500 E_INTERNAL and the request id, and logs one line with that id', async () => {
    log.length = 0;
    const res = await app.inject({ url: '/api/test/defect?student=secret' });
    expect(res.statusCode).toBe(500);
    const body = res.json() as { error: { code: string; detail: string; message_zh: string; message_en: string } };
    expect(body.error.code).toBe('E_INTERNAL');
    expect(body.error.message_zh).toContain('内部错误');
    const id = /^request (\S+)$/.exec(body.error.detail)?.[1];
    expect(id).toBeDefined();
    expect(res.body).not.toContain('undefined (reading');
    expect(log).toHaveLength(1);
    expect(log[0]).toContain(`req-${id} GET /api/test/defect 500 E_INTERNAL TypeError:`);
    expect(log[0]).not.toContain('secret');
    expect(log[0]).not.toContain('\n');
  });

  it('answers a database failure with 500 E_DB', async () => {
    log.length = 0;
    const res = await app.inject({ url: '/api/test/database' });
    expect(res.statusCode).toBe(500);
    expect((res.json() as { error: { code: string } }).error.code).toBe('E_DB');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/GET \/api\/test\/database 500 E_DB .*no_such_table/);
  });

  it('leaves catalogue errors and bad requests as they were, and logs nothing for them', async () => {
    log.length = 0;
    const res = await app.inject({ url: '/api/test/catalogue' });
    expect(res.statusCode).toBe(404);
    expect((res.json() as { error: { code: string } }).error.code).toBe('E_NOT_FOUND');
    const bad = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json', 'x-requested-with': 'eduplan' }, payload: '{not json' });
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: { code: string } }).error.code).toBe('E_INPUT_INVALID');
    expect(log).toEqual([]);
  });
});
