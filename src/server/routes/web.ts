/**
 * The public portal's static files (dist/web, built by `npm run build:web`), with SPA
 * fallback: any GET outside /api that is not a file gets index.html, so /indicators/x and
 * /districts/120101 load the app. Unknown /api paths keep a JSON 404 from the catalogue.
 * Registered last (routes/index.ts) so every API route wins over the wildcard.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { EduplanError } from '../../core/errors.ts';
import type { RouteModule, ServerConfig } from '../deps.ts';

/** The configured build (`ServerConfig.webDir`, e.g. a packaged one), else dist/web beside the repository's src/. */
export function webRoot(config: Pick<ServerConfig, 'webDir'>): string {
  return config.webDir ?? fileURLToPath(new URL('../../../dist/web/', import.meta.url));
}

const webRoutes: RouteModule = async (app, deps) => {
  const root = webRoot(deps.config);
  const built = existsSync(join(root, 'index.html'));

  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: true,
      index: 'index.html',
      // The build writes .br and .gz beside each text file (vite.config.ts): sent as the client accepts, no per-request compression.
      preCompressed: true,
      setHeaders: (reply, path) => {
        // Hashed bundles never change; the page itself must be revalidated to pick up a new build.
        if (path.startsWith(join(root, 'assets'))) reply.header('cache-control', 'public, max-age=31536000, immutable');
        else reply.header('cache-control', 'no-cache');
      },
    });
  }

  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && path !== '/api';
    if (wantsPage && built) {
      reply.header('cache-control', 'no-cache');
      return reply.type('text/html; charset=utf-8').sendFile('index.html', root);
    }
    if (wantsPage) {
      return reply.status(503).type('text/plain; charset=utf-8').send(
        '门户网页尚未构建：请运行 npm run build:web（API 在 /api 下可用）。\n' +
        'The portal has not been built: run `npm run build:web` (the API is available under /api).\n',
      );
    }
    const e = new EduplanError('E_NOT_FOUND', { detail: `${req.method} ${path}` });
    return reply.status(404).send(e.toJSON());
  });
};

export default webRoutes;
