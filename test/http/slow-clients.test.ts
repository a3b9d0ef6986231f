/**
 * Slow clients over a real socket (server/timeouts.ts): headers sent a line at a time and a
 * body sent a byte at a time are cut off at their deadlines — the body with the catalogue's
 * 408 E_REQUEST_TIMEOUT — while other requests are answered meanwhile. The deadlines are set
 * short here (ServerConfig.timeouts); production's are 30 s (headers) and 2 min (body).
 */
import { connect, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { fakeClock, seedAccounts, seedOrgs, serverDeps } from './submissions.fixture.ts';

const clock = fakeClock('2024-09-20T02:00:00Z');

/** Everything the server sends until it closes the connection. */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => undefined);
  });
}

describe('slow clients', () => {
  let store: Store;
  let app: FastifyInstance;
  let port = 0;
  beforeAll(async () => {
    store = await openStore({ dataDir: null });
    await seedOrgs(store);
    await seedAccounts(store, clock.now);
    const deps = serverDeps(store, clock);
    app = await buildApp({ ...deps, config: { ...deps.config, timeouts: { headersMs: 400, bodyMs: 400, requestMs: 5_000 } } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  afterAll(async () => { await app?.close(); await store?.close(); });

  it('headers that never finish: the connection is answered 408 and closed', async () => {
    const s = connect(port, '127.0.0.1');
    const all = readAll(s);
    s.write('GET /api/plan HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => { if (!s.destroyed) s.write('X-Slow: 1\r\n'); }, 100);
    try {
      const answer = await all;
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
    } finally { clearInterval(trickle); s.destroy(); }
  });

  it('a JSON body sent a byte at a time: 408 E_REQUEST_TIMEOUT and the connection closed; others are served meanwhile', async () => {
    const s = connect(port, '127.0.0.1');
    const all = readAll(s);
    s.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Requested-With: eduplan\r\nContent-Length: 200\r\n\r\n{');
    const trickle = setInterval(() => { if (!s.destroyed) s.write(' '); }, 100);
    try {
      const meanwhile = await fetch(`http://127.0.0.1:${port}/api/plan`);
      expect(meanwhile.status).toBe(200);
      const answer = await all;
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer).toContain('"code":"E_REQUEST_TIMEOUT"');
      expect(answer.toLowerCase()).toContain('connection: close');
    } finally { clearInterval(trickle); s.destroy(); }
  });

  it('a body that arrives in time is read as usual', async () => {
    const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'eduplan' }, body: JSON.stringify({ username: 'nobody', password: 'x' }) });
    expect(r.status).toBe(401);
  });
});
