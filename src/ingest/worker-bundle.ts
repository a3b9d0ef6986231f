/**
 * Worker threads start from one pre-bundled ES module instead of loading TypeScript
 * through tsx: registering tsx and transforming the module graph in every parse worker
 * costs CPU and delays its first row, time the import waits for when the workers have all
 * the cores (docs/student-records.md "Performance").
 *
 * The bundle is built with esbuild (already what tsx runs on) once per process, written
 * under the project's node_modules/.cache (not a shared temp directory: the file is code
 * that will run) with its content hash in the name, so a changed source gets a new file
 * and concurrent processes never write each other's. Anything that goes wrong — no
 * esbuild, a read-only install — returns null, and the caller boots the workers through tsx (parse-worker-boot.mjs).
 *
 * An import waits for the bundle before its workers start, and running esbuild takes a
 * noticeable part of a second. So a manifest beside the bundle lists every input
 * file with its size and modification time (esbuild's metafile), with the esbuild and
 * Node versions; a later process whose inputs all still match reuses the bundle without
 * running esbuild (~120 stats).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const defaultCacheDir = fileURLToPath(new URL('../../node_modules/.cache/eduplan/workers/', import.meta.url));
const built = new Map<string, Promise<URL | null>>();

/** A file URL of `entry` (a .ts worker module) bundled with its imports, or null to boot it through tsx. */
export function workerBundle(entry: URL): Promise<URL | null> {
  let p = built.get(entry.href);
  if (p === undefined) {
    p = bundleFile(entry, defaultCacheDir).then((b) => b.url, () => null);
    built.set(entry.href, p);
  }
  return p;
}

/** What a manifest records: the bundle file, and what it was built from. */
interface Manifest {
  readonly key: string;
  readonly file: string;
  /** Absolute path → [size, mtimeMs] when bundled. */
  readonly inputs: Readonly<Record<string, readonly [number, number]>>;
}

/**
 * Bundle `entry` into `cacheDir`, or reuse the bundle an earlier process made when none of
 * its inputs changed (`reused`). Not memoised: `workerBundle` is the per-process entry point.
 */
export async function bundleFile(entry: URL, cacheDir: string): Promise<{ url: URL; reused: boolean }> {
  const { build, version } = await import('esbuild');
  const entryPath = fileURLToPath(entry);
  const name = entryPath.split(/[\\/]/).pop()?.replace(/\.ts$/, '') ?? 'worker';
  const key = `${entryPath}|esbuild ${version}|node ${process.version}`;
  const manifestFile = join(cacheDir, `${name}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.manifest.json`);
  const reusable = reusableBundle(manifestFile, key);
  if (reusable !== null) return { url: pathToFileURL(reusable), reused: true };

  const started = Date.now();
  const out = await build({
    entryPoints: [entryPath], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    write: false, logLevel: 'silent', legalComments: 'none', metafile: true,
    // Bundled packages that still `require` node built-ins (ESM output has no `require`).
    banner: { js: "import { createRequire as __eduplanCreateRequire } from 'node:module'; const require = __eduplanCreateRequire(import.meta.url);" },
  });
  const code = out.outputFiles[0]?.contents;
  if (code === undefined) throw new Error(`esbuild wrote no bundle for ${entryPath}`);
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(cacheDir, `${name}-${hash}.mjs`);
  if (!existsSync(file)) writeAtomically(file, code);
  // Inputs as esbuild saw them (paths relative to its working directory). When one was
  // modified since the build started, the bundle may hold its old content: no manifest,
  // so the next process bundles again.
  const inputs: Record<string, readonly [number, number]> = {};
  let settled = true;
  for (const input of Object.keys(out.metafile.inputs)) {
    const path = resolve(process.cwd(), input);
    const st = statSync(path);
    inputs[path] = [st.size, st.mtimeMs];
    if (st.mtimeMs >= started) settled = false;
  }
  if (settled) writeAtomically(manifestFile, JSON.stringify({ key, file, inputs } satisfies Manifest));
  return { url: pathToFileURL(file), reused: false };
}

/** The bundle a manifest names, when it exists and every input still has its size and mtime; else null. */
function reusableBundle(manifestFile: string, key: string): string | null {
  try {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (m.key !== key || !existsSync(m.file)) return null;
    for (const [path, [size, mtimeMs]] of Object.entries(m.inputs)) {
      const st = statSync(path);
      if (st.size !== size || st.mtimeMs !== mtimeMs) return null;
    }
    return m.file;
  } catch {
    return null; // no manifest yet, or an input gone
  }
}

/** Write via a temporary file and rename: a concurrent reader sees the old file or the new one. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
