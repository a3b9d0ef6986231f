/**
 * The public portal (src/web): React + ECharts, built to dist/web and served by
 * src/server/routes/web.ts. `npm run build:web`; `npx vite` for a dev server that
 * proxies /api to a running `eduplan start` (EDUPLAN_API, default http://127.0.0.1:3000).
 */
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Brotli and gzip copies of every built text file (~1 MB of JS is ~300 KB in brotli), written
 * once at build time beside the original; the server sends them to clients that accept them
 * (routes/web.ts, @fastify/static `preCompressed`), never compressing per request.
 */
function precompress(): Plugin {
  let out = here('./dist/web');
  return {
    name: 'eduplan-precompress',
    apply: 'build',
    configResolved(config) {
      out = config.build.outDir;
    },
    closeBundle() {
      const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
      for (const file of walk(out)) {
        if (!/\.(js|css|html|json|svg)$/.test(file)) continue;
        const bytes = readFileSync(file);
        if (bytes.length < 1024) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: here('./src/web'),
  base: '/',
  plugins: [react(), precompress()],
  publicDir: false,
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Separate, long-cacheable chunks: React, ECharts, and the district boundaries.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/ },
            { name: 'map', test: /maps[\\/]tianjin-districts/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.EDUPLAN_API ?? 'http://127.0.0.1:3000' },
  },
});
