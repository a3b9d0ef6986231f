/** The portal's static files: built once with Vite (dist/web), then served by the app. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export function webDistDir(): string {
  return join(repoRoot, 'dist', 'web');
}

export async function ensureWebBuilt(say: (zh: string, en: string) => void): Promise<void> {
  if (existsSync(join(webDistDir(), 'index.html'))) return;
  const config = join(repoRoot, 'vite.config.ts');
  if (!existsSync(config)) {
    say('未找到网页配置，仅提供 API', 'no web app configured; serving the API only');
    return;
  }
  say('首次启动：构建网页…', 'first start: building the web app…');
  const { build } = await import('vite');
  await build({ configFile: config, logLevel: 'warn', root: join(repoRoot, 'src', 'web') });
}
