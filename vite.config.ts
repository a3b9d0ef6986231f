/**
 * The public portal (src/web): React + ECharts, built to dist/web and served by
 * src/server/routes/web.ts. `npm run build:web`; `npx vite` for a dev server that
 * proxies /api to a running `eduplan start` (EDUPLAN_API, default http://127.0.0.1:3000).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./src/web'),
  base: '/',
  plugins: [react()],
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
