/**
 * Worker threads start from one pre-bundled ES module instead of loading TypeScript
 * through tsx. Every import's parse worker used to spend ~0.6–0.75 CPU-s and ~0.4 s
 * before its first row registering tsx and transforming its module graph (measured with
 * `.scratch`-style boot timings, docs/student-records.md "Performance"); with 2 workers
 * on 2 cores that is time the import waits for.
 *
 * The bundle is built with esbuild (already what tsx runs on) once per process, written
 * under the project's node_modules/.cache (not a shared temp directory: the file is code
 * that will run) with its content hash in the name, so a changed source gets a new file
 * and concurrent processes never write each other's. Anything that goes wrong — no
 * esbuild, a read-only install — returns null, and the caller boots through tsx as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/eduplan/workers/', import.meta.url));
const built = new Map<string, Promise<URL | null>>();

/** A file URL of `entry` (a .ts worker module) bundled with its imports, or null to boot it through tsx. */
export function workerBundle(entry: URL): Promise<URL | null> {
  let p = built.get(entry.href);
  if (p === undefined) {
    p = buildBundle(entry).catch(() => null);
    built.set(entry.href, p);
  }
  return p;
}

async function buildBundle(entry: URL): Promise<URL | null> {
  const { build } = await import('esbuild');
  const entryPath = fileURLToPath(entry);
  const out = await build({
    entryPoints: [entryPath], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    write: false, logLevel: 'silent', legalComments: 'none',
    // Bundled packages that still `require` node built-ins (ESM output has no `require`).
    banner: { js: "import { createRequire as __eduplanCreateRequire } from 'node:module'; const require = __eduplanCreateRequire(import.meta.url);" },
  });
  const code = out.outputFiles[0]?.contents;
  if (code === undefined) return null;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const name = entryPath.split(/[\\/]/).pop()?.replace(/\.ts$/, '') ?? 'worker';
  const file = join(cacheDir, `${name}-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return pathToFileURL(file);
}
