/**
 * The portal's static route: files from the build, SPA fallback for page paths, JSON 404
 * for unknown API paths, cache headers, and a clear 503 when the portal is not built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import webRoutes from './web.ts';
import type { ServerDeps } from '../deps.ts';

// The web module needs only the configured folder; a stand-in keeps this test free of a database.
async function appFor(dir: string): Promise<FastifyInstance> {
  const deps = { config: { webDir: dir } } as ServerDeps;
  const app = Fastify();
  app.get('/api/ping', async () => ({ ok: true }));
  await webRoutes(app, deps);
  await app.ready();
  return app;
}

describe('web route (built portal)', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'eduplan-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    // What the build writes beside a bundle (vite.config.ts precompress).
    const big = `export const data = ${JSON.stringify(Array.from({ length: 500 }, (_, i) => `row ${i}`))};`;
    writeFileSync(join(dir, 'assets', 'big-def456.js'), big);
    writeFileSync(join(dir, 'assets', 'big-def456.js.br'), brotliCompressSync(Buffer.from(big)));
    writeFileSync(join(dir, 'assets', 'big-def456.js.gz'), gzipSync(Buffer.from(big)));
    app = await appFor(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a bundle precompressed as the client accepts (brotli, gzip), with its long cache; identity otherwise', async () => {
    const br = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(br.rawPayload).toString()).toContain('row 499');
    const gz = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ url: '/assets/big-def456.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('row 499');
  });

  it('serves / and deep links with index.html, revalidated on every visit', async () => {
    for (const url of ['/', '/indicators/myopia_rate', '/districts/120116', '/open-data?lang=en']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toContain('<div id="root">');
    }
  });

  it('serves hashed assets as immutable for a year', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe('console.log(1)');
  });

  it('leaves API routes alone and answers unknown API paths with the catalogue 404', async () => {
    expect((await app.inject({ url: '/api/ping' })).json()).toEqual({ ok: true });
    const res = await app.inject({ url: '/api/no-such-route' });
    expect(res.statusCode).toBe(404);
    const body = res.json() as { error: { code: string; message_zh: string; message_en: string } };
    expect(body.error.code).toBe('E_NOT_FOUND');
    expect(body.error.message_zh).toBeTruthy();
    expect(body.error.message_en).toBeTruthy();
  });

  it('does not answer a POST to a page path with the app', async () => {
    const res = await app.inject({ method: 'POST', url: '/indicators/x', payload: {} });
    expect(res.statusCode).toBe(404);
    expect((res.json() as { error: { code: string } }).error.code).toBe('E_NOT_FOUND');
  });

  it('does not serve files outside the build folder', async () => {
    const res = await app.inject({ url: '/../package.json' });
    expect(res.body).not.toContain('"dependencies"');
    const res2 = await app.inject({ url: '/assets/..%2f..%2fpackage.json' });
    expect(res2.body).not.toContain('"dependencies"');
  });
});

describe('web route (portal not built)', () => {
  it('answers pages with a bilingual 503 saying how to build, and the API still works', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'eduplan-web-empty-'));
    const app = await appFor(empty);
    try {
      const res = await app.inject({ url: '/' });
      expect(res.statusCode).toBe(503);
      expect(res.body).toContain('npm run build:web');
      expect(res.body).toContain('门户网页尚未构建');
      expect((await app.inject({ url: '/api/ping' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/nope' })).statusCode).toBe(404);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
